//! The pages French law asks of the service (PRODUCT.md §12), linked from every page's
//! footer: "Mentions légales", "Données personnelles" (with the configured retention
//! durations) and "Accessibilité" (the RGAA statement).

use inscription_shared::legal::kept;
use inscription_shared::pages::Page;
use leptos::prelude::*;

use crate::layout::{set_title, SupportPhone, ACCESSIBILITY_STATUS};
use crate::lender::{hosting, lender, retention};

/// "Nous écrire" and the free number: how every page says to reach the lender.
#[component]
fn Reach() -> impl IntoView {
    view! {
        <p>
            "Par le "<a href=Page::Contact.path()>"formulaire de contact"</a>" ou au numéro vert "
            <SupportPhone/>" (service et appel gratuits)."
        </p>
    }
}

#[component]
pub fn LegalNotice() -> impl IntoView {
    set_title("Mentions légales");
    let name = lender().name;
    view! {
        <article class="prose">
            <h1>"Mentions légales"</h1>
            <h2>"Éditeur"</h2>
            <p>{format!("Ces services en ligne sont édités par {name}, qui les réserve à ses établissements clients.")}</p>
            <Reach/>
            <h2>"Directeur de la publication"</h2>
            <p>{format!("Le représentant légal de {name}.")}</p>
            <h2>"Hébergement"</h2>
            <p>{hosting()}</p>
            <h2>"Propriété intellectuelle"</h2>
            <p>{format!("Les textes, les documents et l’identité visuelle de ces pages appartiennent à {name}. Toute reproduction demande son accord écrit.")}</p>
            <h2>"Données personnelles et accessibilité"</h2>
            <p>
                "Voir "<a href=Page::PersonalData.path()>"Données personnelles"</a>
                " et "<a href=Page::Accessibility.path()>"Accessibilité"</a>"."
            </p>
        </article>
    }
}

#[component]
pub fn PersonalData() -> impl IntoView {
    set_title("Données personnelles");
    let name = lender().name;
    let rows = kept(&retention());
    view! {
        <article class="prose">
            <h1>"Données personnelles"</h1>
            <h2>"Responsable du traitement"</h2>
            <p>{name.clone()}</p>
            <h2>"Finalités"</h2>
            <ul>
                <li>"Inscrire les personnes des établissements clients et gérer leurs accès aux services en ligne\u{a0}: compte, validation par un administrateur, habilitations, courrier au représentant légal."</li>
                <li>"Protéger les services\u{a0}: journal des événements de sécurité, prévention des abus."</li>
                <li>"Répondre aux messages du formulaire de contact."</li>
            </ul>
            <h2>"Bases légales"</h2>
            <p>{format!("Le contrat qui lie votre établissement à {name} (RGPD, article 6-1-b) et notre intérêt légitime à sécuriser les services (article 6-1-f).")}</p>
            <h2>"Données traitées"</h2>
            <p>"Civilité, nom, prénom, fonction, adresse électronique et téléphone professionnels, mot de passe (conservé sous forme d’empreinte), habilitations, adresse IP et événements de sécurité, messages envoyés par le formulaire de contact."</p>
            <h2>"Destinataires"</h2>
            <p>{format!("Les agents habilités de {name} et les administrateurs de votre établissement, pour les personnes de celui-ci. Vos données ne sont ni vendues ni cédées. Quand la case «\u{a0}Je ne suis pas un robot\u{a0}» est fournie par Google reCAPTCHA, la page d’inscription le dit et renvoie aux règles de Google.")}</p>
            <h2>"Durées de conservation"</h2>
            <div class="table-wrap" tabindex="0" role="region" aria-label="Durées de conservation">
                <table class="users">
                    <thead><tr><th scope="col">"Données"</th><th scope="col">"Conservation"</th></tr></thead>
                    <tbody>
                        {rows.into_iter().map(|(what, how_long)| view! {
                            <tr><td>{what}</td><td>{how_long}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <h2>"Vos droits"</h2>
            <p>"Vous pouvez accéder à vos données, les faire corriger ou effacer, en recevoir une copie dans un format lisible par une machine, vous opposer à leur traitement ou le faire limiter (RGPD, articles 15 à 21)."</p>
            <p>"Une fois connecté, la page «\u{a0}Mes données\u{a0}» de votre espace vous montre ce que nous conservons, le télécharge (fichier JSON), corrige votre identité et ferme votre compte. Pour le reste, ou sans compte, écrivez-nous avec l’objet «\u{a0}Données personnelles\u{a0}»\u{a0}:"</p>
            <Reach/>
            <p>"Si vous estimez que vos droits ne sont pas respectés, vous pouvez adresser une réclamation à la CNIL ("<a href="https://www.cnil.fr/fr/plaintes">"www.cnil.fr"</a>")."</p>
        </article>
    }
}

#[component]
pub fn Accessibility() -> impl IntoView {
    set_title("Accessibilité");
    let name = lender().name;
    view! {
        <article class="prose">
            <h1>"Déclaration d’accessibilité"</h1>
            <p>{format!("{name} s’engage à rendre ses services en ligne accessibles, conformément à l’article 47 de la loi n°\u{a0}2005-102 du 11\u{a0}février\u{a0}2005. Cette déclaration s’applique aux services en ligne d’inscription et d’administration des établissements clients.")}</p>
            <h2>"État de conformité"</h2>
            <p>"Ce service est "<strong>{ACCESSIBILITY_STATUS}</strong>" avec le référentiel général d’amélioration de l’accessibilité (RGAA), version\u{a0}4.1.2\u{a0}: aucun audit de conformité à ses 106\u{a0}critères n’a encore été réalisé, et le RGAA demande alors de le déclarer non conforme."</p>
            <h2>"Ce qui est vérifié"</h2>
            <p>"À chaque modification du service, des tests automatisés parcourent les pages dans un navigateur, avec les mêmes actions qu’une personne\u{a0}:"</p>
            <ul>
                <li>"l’outil axe-core (règles WCAG\u{a0}2.1 niveaux A et AA) sur les pages et leurs états\u{a0}: formulaires en erreur, messages, tableaux\u{a0};"</li>
                <li>"les parcours faits au clavier seul, le lien d’évitement, le placement du focus à chaque changement de page\u{a0};"</li>
                <li>"les messages annoncés aux lecteurs d’écran, une seule fois\u{a0};"</li>
                <li>"l’affichage sur un écran de 320\u{a0}pixels de large, sans défilement horizontal."</li>
            </ul>
            <h2>"Retour d’information et contact"</h2>
            <p>"Si vous n’arrivez pas à accéder à un contenu ou à un service, dites-le-nous\u{a0}: nous vous indiquerons une autre façon d’y accéder."</p>
            <Reach/>
            <h2>"Voies de recours"</h2>
            <p>"Si vous nous avez signalé un défaut d’accessibilité sans obtenir de réponse satisfaisante, vous pouvez écrire au Défenseur des droits ("<a href="https://formulaire.defenseurdesdroits.fr/">"formulaire en ligne"</a>"), contacter le délégué du Défenseur des droits de votre région, ou écrire gratuitement, sans timbre, à\u{a0}: Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX\u{a0}07."</p>
        </article>
    }
}
