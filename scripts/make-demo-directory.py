#!/usr/bin/env python3
"""Writes server/demo/establishments.csv: fictional establishments for demos and tests.

Deterministic (fixed seed), so the file only changes when this script does. Every name,
person and address is invented; client numbers are random 5- or 6-digit numbers.
Usage: python3 scripts/make-demo-directory.py [count]
"""
import csv
import random
import sys
from pathlib import Path

COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 1200
OUT = Path(__file__).resolve().parent.parent / "server" / "demo" / "establishments.csv"

CITIES = [
    ("Nantes", "44000"), ("Rennes", "35000"), ("Brest", "29200"), ("Angers", "49000"),
    ("Tours", "37000"), ("Lyon", "69003"), ("Villeurbanne", "69100"), ("Grenoble", "38000"),
    ("Saint-Étienne", "42000"), ("Clermont-Ferrand", "63000"), ("Dijon", "21000"),
    ("Besançon", "25000"), ("Strasbourg", "67000"), ("Metz", "57000"), ("Nancy", "54000"),
    ("Reims", "51100"), ("Lille", "59000"), ("Roubaix", "59100"), ("Amiens", "80000"),
    ("Rouen", "76000"), ("Le Havre", "76600"), ("Caen", "14000"), ("Orléans", "45000"),
    ("Limoges", "87000"), ("Poitiers", "86000"), ("La Rochelle", "17000"),
    ("Bordeaux", "33000"), ("Pau", "64000"), ("Bayonne", "64100"), ("Toulouse", "31000"),
    ("Montpellier", "34000"), ("Nîmes", "30000"), ("Perpignan", "66000"),
    ("Marseille", "13001"), ("Aix-en-Provence", "13100"), ("Toulon", "83000"),
    ("Nice", "06000"), ("Avignon", "84000"), ("Ajaccio", "20000"), ("Bastia", "20200"),
    ("Saint-Denis", "97400"), ("Fort-de-France", "97200"), ("Pointe-à-Pitre", "97110"),
    ("Cayenne", "97300"), ("Créteil", "94000"), ("Montreuil", "93100"),
    ("Saint-Denis", "93200"), ("Nanterre", "92000"), ("Versailles", "78000"),
    ("Évry-Courcouronnes", "91000"), ("Cergy", "95000"), ("Meaux", "77100"),
    ("Quimper", "29000"), ("Lorient", "56100"), ("Vannes", "56000"), ("Saint-Malo", "35400"),
    ("Laval", "53000"), ("Le Mans", "72000"), ("Chartres", "28000"), ("Bourges", "18000"),
    ("Mâcon", "71000"), ("Chambéry", "73000"), ("Annecy", "74000"), ("Valence", "26000"),
    ("Albi", "81000"), ("Rodez", "12000"), ("Tarbes", "65000"), ("Agen", "47000"),
    ("Périgueux", "24000"), ("Angoulême", "16000"), ("Niort", "79000"), ("Colmar", "68000"),
    ("Mulhouse", "68100"), ("Épinal", "88000"), ("Troyes", "10000"), ("Auxerre", "89000"),
    ("Nevers", "58000"), ("Vichy", "03200"), ("Aurillac", "15000"), ("Le Puy-en-Velay", "43000"),
]
STREETS = [
    "rue de la République", "avenue Jean-Jaurès", "boulevard Victor-Hugo", "place de l’Hôtel-de-Ville",
    "rue Pasteur", "rue du Général-de-Gaulle", "quai des Chartrons", "allée des Tilleuls",
    "rue Émile-Zola", "cours Gambetta", "rue des Écoles", "avenue de la Libération",
    "rue Saint-Exupéry", "impasse des Acacias", "rue de l’Église", "boulevard de la Liberté",
    "rue Jules-Ferry", "avenue Marcel-Cachin", "rue du Château-d’Eau", "place du Marché",
]
REGIONS = ["Atlantique", "Val de Loire", "Rhône-Alpes", "Méditerranée", "Grand Est",
           "Hauts-de-France", "Normandie", "Aquitaine", "Occitanie", "Bretagne", "Bourgogne",
           "Auvergne", "Provence", "Île-de-France", "Océan Indien", "Antilles", "Pyrénées"]
WORDS = ["Habitat", "Logis", "Foyer", "Toit", "Maisons", "Résidences", "Domaine", "Cité",
         "Espace", "Horizon"]


def establishment(rng: random.Random, city: str) -> tuple[str, str, str]:
    """A (name, kind, legal representative's title) triple."""
    kind = rng.choices(
        ["Commune", "SA d’HLM", "Office public de l’habitat", "Coopérative HLM",
         "Entreprise sociale pour l’habitat", "Communauté d’agglomération",
         "Département", "Syndicat intercommunal", "Centre communal d’action sociale",
         "Société d’économie mixte"],
        weights=[30, 15, 10, 8, 8, 7, 4, 6, 6, 6])[0]
    region = rng.choice(REGIONS)
    word = rng.choice(WORDS)
    match kind:
        case "Commune":
            return f"Commune de {city}", kind, "Maire"
        case "SA d’HLM":
            return f"{word} {region} SA d’HLM", kind, rng.choice(["Directeur général", "Directrice générale"])
        case "Office public de l’habitat":
            return f"{city} {word} OPH", kind, rng.choice(["Directeur général", "Directrice générale"])
        case "Coopérative HLM":
            return f"Coopérative {word} {region}", kind, rng.choice(["Président", "Présidente"])
        case "Entreprise sociale pour l’habitat":
            return f"ESH {word} de {city}", kind, rng.choice(["Directeur général", "Directrice générale"])
        case "Communauté d’agglomération":
            return f"Communauté d’agglomération de {city}", kind, rng.choice(["Président", "Présidente"])
        case "Département":
            return f"Département – {region}", kind, rng.choice(["Président du conseil départemental", "Présidente du conseil départemental"])
        case "Syndicat intercommunal":
            return f"Syndicat intercommunal des eaux de {city}", kind, rng.choice(["Président", "Présidente"])
        case "Centre communal d’action sociale":
            return f"CCAS de {city}", kind, rng.choice(["Président", "Présidente"])
        case _:
            return f"SEM {word} {city}", kind, rng.choice(["Directeur général", "Directrice générale"])


def main() -> None:
    rng = random.Random(20261127)
    numbers = rng.sample(range(10_000, 1_000_000), COUNT)
    # A few well-known numbers for the README and tests.
    numbers[:4] = [237517, 12345, 480213, 99001]
    seen_names = set()
    rows = []
    for i, number in enumerate(numbers):
        city, postcode = rng.choice(CITIES)
        name, kind, title = establishment(rng, city)
        if name in seen_names:
            name = f"{name} ({postcode})"
        seen_names.add(name)
        line2 = rng.choice(["", "", "", f"BP {rng.randint(1, 999)}", f"CS {rng.randint(10000, 99999)}", "Bâtiment A"])
        status = "fermé" if i == 3 or rng.random() < 0.03 else "actif"
        rows.append([number, name, kind, title, f"{rng.randint(1, 180)} {rng.choice(STREETS)}",
                     line2, postcode, city, status])
    rows[0][1:4] = ["Habitat Loire Océan SA d’HLM", "SA d’HLM", "Directeur général"]
    rows[1][1:4] = ["Commune de Saint-Aubin-des-Prés", "Commune", "Maire"]
    rows[2][1:4] = ["Office public de l’habitat de la Métropole", "Office public de l’habitat", "Directrice générale"]
    rows[3][1:4] = ["Coopérative HLM Les Castors (dissoute)", "Coopérative HLM", "Président"]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\n")
        w.writerow(["numero_client", "raison_sociale", "categorie", "titre_representant_legal",
                    "adresse_1", "adresse_2", "code_postal", "commune", "statut"])
        w.writerows(rows)
    print(f"{len(rows)} establishments written to {OUT}")


if __name__ == "__main__":
    main()
