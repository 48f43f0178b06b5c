//! A person's rights over their data (PRODUCT.md §12; RGPD articles 15 to 17 and 20): they
//! see and download what is kept, correct it, close their account (never the last active
//! administrator); an operator erases a person on request. Each action is audited, and an
//! erasure leaves only a pseudonymised trace, with `check` passing.

use inscription_shared::my_data::{Correction, LAST_ADMINISTRATOR};
use inscription_shared::ErrorResponse;

use crate::account::{candidate, sign_in};
use crate::administration::{pending_request, PASSWORD};
use crate::clients::Signed;
use crate::helpers::{assert_check_passes, demo, TestApp};
use crate::on_both_databases;

const ADMIN: &str = "admin@habitat-loire.fr";
const USER: &str = "paul.martin@habitat-loire.fr";

/// A validated user of 237517 with two rights, signed in; returns their id too.
async fn user<'a>(app: &'a TestApp, admin: &Signed<'_>) -> (i64, Signed<'a>) {
    let id = pending_request(app, "237517", USER).await;
    let validated = admin.validate(id, &["consultation", "saisie"]).await;
    assert_eq!(validated.status(), 204);
    (id, app.signed_in(USER, PASSWORD).await)
}

/// Paul's identity as "Mes données" corrects it, with this last name and phone.
fn correction(last_name: &str, phone: &str) -> Correction {
    Correction {
        civility: "Monsieur".into(),
        last_name: last_name.into(),
        first_name: "Paul".into(),
        job_title: "Gestionnaire".into(),
        phone: phone.into(),
    }
}

async fn a_person_sees_corrects_and_closes_their_account(app: TestApp) {
    let admin = app.administrator("237517", ADMIN).await;
    let (id, paul) = user(&app, &admin).await;

    // Served as a file, for the browser to save.
    let served = paul.get("/me/data").await;
    assert_eq!(
        served.headers()["content-disposition"],
        "attachment; filename=\"mes-donnees.json\""
    );
    let data = paul.my_data().await;
    assert_eq!(data.account.email, USER);
    assert_eq!(data.account.last_name, "Martin");
    assert_eq!(data.account.role, "Utilisateur");
    assert_eq!(data.establishment.client_number, "237517");
    assert_eq!(
        data.rights,
        [
            "Consultation des encours et des échéanciers",
            "Saisie des demandes de prêt"
        ]
    );
    assert_eq!(data.sessions.len(), 1);
    let downloads = "SELECT COUNT(*) FROM audit_events WHERE action = 'account.data_downloaded'";
    assert_eq!(
        app.count(downloads).await,
        0,
        "the page showing the data is no download"
    );
    let download = paul.get("/me/data?telechargement").await;
    assert_eq!(download.status(), 200);
    assert_eq!(app.count(downloads).await, 1);
    let actions: Vec<_> = data.events.iter().map(|e| e.action.as_str()).collect();
    assert!(
        actions.contains(&"administration.request_validated"),
        "{actions:?}"
    );
    assert!(!data.emails.is_empty(), "the validation notice");

    // Every faulty field is named, and nothing changes.
    let wrong = paul.correct(&correction("", "12")).await;
    assert_eq!(wrong.status(), 422);
    let body: ErrorResponse = wrong.json().await.unwrap();
    let fields: Vec<_> = body.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["nom", "telephone"]);
    assert_eq!(paul.my_data().await.account.last_name, "Martin");

    let corrected = paul
        .correct(&correction("Martin-Leroy", "02 51 00 00 00"))
        .await;
    assert_eq!(corrected.status(), 204);
    let data = paul.my_data().await;
    assert_eq!(data.account.last_name, "Martin-Leroy");
    assert_eq!(data.account.phone, "+33251000000");
    let event = data
        .events
        .iter()
        .find(|e| e.action == "account.corrected")
        .expect("the correction is audited");
    assert_eq!(
        event.details,
        "corrigé par la personne\u{a0}: nom, téléphone"
    );

    // The last active administrator may not leave the establishment without one.
    let refused = admin.close_account().await;
    assert_eq!(refused.status(), 409);
    let body: ErrorResponse = refused.json().await.unwrap();
    assert_eq!(body.message, LAST_ADMINISTRATOR);
    assert_eq!(sign_in(&app, ADMIN, PASSWORD).await.0, 200);

    // The user closes their account: signed out, erased, a trace kept without them.
    inscription_server::email::deliver_local(&app.db, USER, app.clock.now())
        .await
        .unwrap();
    let closed = paul.close_account().await;
    assert_eq!(closed.status(), 204);
    assert!(closed.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .starts_with("inscription_session=;"));
    assert_eq!(paul.get("/me/data").await.status(), 401);
    assert_eq!(sign_in(&app, USER, PASSWORD).await.0, 401);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM users WHERE id = {id} AND status = 'cancelled' \
             AND email = '' AND last_name = '' AND phone = '' AND erased_at IS NOT NULL"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM user_rights WHERE user_id = {id}"
        ))
        .await,
        0
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_events WHERE user_id = {id} \
             AND action <> 'account.closed' AND (ip <> '' OR details <> '')"
        ))
        .await,
        0,
        "the earlier events are pseudonymised"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_events WHERE user_id = {id} \
             AND action = 'account.closed' AND actor = 'user:{id}' AND ip <> ''"
        ))
        .await,
        1
    );
    let notices = inscription_server::db::emails::to_recipient(&app.db, USER)
        .await
        .unwrap();
    assert!(notices[0]
        .body
        .contains("est fermé et vos données sont effacées"));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM emails WHERE recipient = '{USER}' AND sent_at IS NOT NULL"
        ))
        .await,
        0,
        "no sent e-mail kept; the ones still to send go out"
    );
    assert_check_passes(&app).await;

    // The address is free again: the person may register anew.
    pending_request(&app, "237517", USER).await;
}
on_both_databases!(a_person_sees_corrects_and_closes_their_account, demo);

async fn an_operator_erases_a_person_on_request(app: TestApp) {
    let (_, candidate_id) = candidate(&app).await;
    let admin = app.administrator("12345", "admin@saint-aubin.fr").await;
    let admin_id = app
        .count("SELECT id FROM users WHERE email = 'admin@saint-aubin.fr'")
        .await;
    let op = app.operator().await;
    let erase = |id: i64, reason: &'static str| op.erase(id, reason);
    assert_eq!(erase(candidate_id, "demande écrite").await.status(), 409);
    let last = erase(admin_id, "demande écrite").await;
    assert_eq!(last.status(), 409);
    let body: ErrorResponse = last.json().await.unwrap();
    assert!(body.message.contains("re-désignez"), "{}", body.message);
    assert_eq!(erase(admin_id, " ").await.status(), 422);
    // An establishment's administrator is no operator.
    let not_operator = admin.erase(admin_id, "demande écrite").await;
    assert_eq!(not_operator.status(), 403);

    let id = pending_request(&app, "12345", "lea.petit@saint-aubin.fr").await;
    assert_eq!(
        erase(id, "demande écrite du 1er décembre").await.status(),
        204
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM users WHERE id = {id} AND email = '' AND status = 'cancelled'"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_events WHERE user_id = {id} AND action = 'account.erased' \
             AND actor LIKE 'operator:%' AND details LIKE '%demande écrite du 1er décembre'"
        ))
        .await,
        1
    );
    assert_eq!(
        erase(id, "demande écrite").await.status(),
        410,
        "already erased"
    );
    assert_check_passes(&app).await;
}
on_both_databases!(an_operator_erases_a_person_on_request, demo);

/// A candidate signed in with the letter's code has nothing to see or change yet.
async fn an_activation_session_has_no_data_page(app: TestApp) {
    let (code, _) = candidate(&app).await;
    let candidate = app.signed_in(crate::account::EMAIL, &code).await;
    assert_eq!(candidate.get("/me/data").await.status(), 403);
    assert_eq!(candidate.close_account().await.status(), 403);
}
on_both_databases!(an_activation_session_has_no_data_page, demo);
