use std::process::Command;

use inscription_server::db::establishments;
use inscription_server::startup::Application;
use inscription_shared::ClientNumber;

use crate::helpers::{demo, write, TestApp};
use crate::on_both_databases;

const HEADER: &str = "numero_client;raison_sociale;categorie;titre_representant_legal;adresse_1;adresse_2;code_postal;commune;statut";

/// Runs `inscription-server import FILE` against the app's database.
fn import_command(app: &TestApp, csv: &str) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("annuaire.csv");
    write(&file, csv);
    let output = Command::new(env!("CARGO_BIN_EXE_inscription-server"))
        .arg("import")
        .arg(&file)
        .env("DATABASE_URL", app.database_url())
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).to_string()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), text)
}

async fn find(app: &TestApp, number: &str) -> Option<establishments::Establishment> {
    let number = ClientNumber::parse(number).unwrap();
    establishments::find_by_client_number(&app.db, &number)
        .await
        .unwrap()
}

async fn demo_directory_is_loaded_once(app: TestApp) {
    assert_eq!(establishments::count(&app.db).await.unwrap(), 1200);
    let known = find(&app, "237517").await.unwrap();
    assert_eq!(known.name, "Habitat Loire Océan SA d’HLM");
    // A second start on the same database loads nothing more.
    let again = Application::build(app.config.clone()).await.unwrap();
    assert_eq!(establishments::count(again.db()).await.unwrap(), 1200);
}
on_both_databases!(demo_directory_is_loaded_once, demo);

async fn import_reports_each_bad_line_and_keeps_the_good_ones(app: TestApp) {
    let csv = format!(
        "{HEADER}\n\
         000237517;Habitat Loire Océan;SA d’HLM;Directeur général;12 rue de la Paix;BP 42;44000;Nantes;actif\n\
         12A45;Commune fautive;Commune;Maire;1 place du Marché;;29200;Brest;actif\n\
         54321;Commune de Brest;Commune;Maire;1 place du Marché;;29200;Brest;fermé\n\
         654321;Sans code postal;Commune;Maire;1 place du Marché;;;Brest;actif\n"
    );
    let (ok, report) = import_command(&app, &csv);
    assert!(
        !ok,
        "a file with rejected lines must exit non-zero:\n{report}"
    );
    assert!(
        report.contains("ligne 3\u{a0}: numéro client «\u{a0}12A45\u{a0}» refusé"),
        "{report}"
    );
    assert!(report.contains("ligne 5\u{a0}: code postal"), "{report}");
    assert!(
        report.contains("2\u{a0}lignes importées, 2\u{a0}rejetées"),
        "{report}"
    );
    assert_eq!(establishments::count(&app.db).await.unwrap(), 2);
    let brest = find(&app, "54321").await.unwrap();
    assert_eq!(brest.status, "closed");
    assert!(find(&app, "654321").await.is_none());

    // Importing again changes nothing; a corrected line updates in place.
    let (_, again) = import_command(&app, &csv);
    assert!(
        again.contains("2\u{a0}établissements dans l’annuaire"),
        "{again}"
    );
    let fixed = format!(
        "{HEADER}\n237517;Habitat Loire Océan Métropole;SA d’HLM;Directrice générale;12 rue de la Paix;;44000;Nantes;actif\n"
    );
    let (ok, report) = import_command(&app, &fixed);
    assert!(ok, "{report}");
    assert_eq!(establishments::count(&app.db).await.unwrap(), 2);
    let updated = find(&app, "237517").await.unwrap();
    assert_eq!(updated.name, "Habitat Loire Océan Métropole");
    assert_eq!(updated.legal_representative_title, "Directrice générale");
}
on_both_databases!(import_reports_each_bad_line_and_keeps_the_good_ones);

async fn a_file_without_the_expected_columns_changes_nothing(app: TestApp) {
    let (ok, report) = import_command(&app, "numero;nom\n237517;X\n");
    assert!(!ok);
    assert!(
        report.contains("Colonne manquante dans l’en-tête\u{a0}: «\u{a0}numero_client\u{a0}»"),
        "{report}"
    );
    assert_eq!(establishments::count(&app.db).await.unwrap(), 0);
}
on_both_databases!(a_file_without_the_expected_columns_changes_nothing);
