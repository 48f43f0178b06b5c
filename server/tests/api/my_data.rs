//! A person's rights over their data (PRODUCT.md §12; RGPD articles 15 to 17 and 20): they
//! see and download what is kept, correct it, close their account (never the last active
//! administrator); an operator erases a person on request. Each action is audited, and an
//! erasure leaves only a pseudonymised trace, with `check` passing.

use inscription_shared::my_data::{MyData, LAST_ADMINISTRATOR};
use inscription_shared::ErrorResponse;
use serde_json::json;

use crate::account::{candidate, sign_in};
use crate::administration::{active_admin, pending_request, PASSWORD};
use crate::back_office::operator;
use crate::helpers::{
    assert_check_passes, delete_with, demo, get_with, post_with, put_with, TestApp,
};
use crate::on_both_databases;

const ADMIN: &str = "admin@habitat-loire.fr";
const USER: &str = "paul.martin@habitat-loire.fr";

/// A validated user of 237517 with two rights, signed in; returns their id and cookie.
async fn user(app: &TestApp, admin: &str) -> (i64, String) {
    let id = pending_request(app, "237517", USER).await;
    let validated = post_with(
        app,
        &format!("/api/admin/users/{id}/validate"),
        admin,
        json!({ "services": ["consultation", "saisie"] }),
    )
    .await;
    assert_eq!(validated.status(), 204);
    let (status, cookie, _) = sign_in(app, USER, PASSWORD).await;
    assert_eq!(status, 200);
    (id, cookie.unwrap())
}

async fn my_data(app: &TestApp, cookie: &str) -> MyData {
    let response = get_with(app, "/api/me/data", cookie).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-disposition"],
        "attachment; filename=\"mes-donnees.json\""
    );
    response.json().await.unwrap()
}

async fn a_person_sees_corrects_and_closes_their_account(app: TestApp) {
    let admin = active_admin(&app, "237517", ADMIN).await;
    let (id, cookie) = user(&app, &admin).await;

    let data = my_data(&app, &cookie).await;
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
    let download = get_with(&app, "/api/me/data?telechargement", &cookie).await;
    assert_eq!(download.status(), 200);
    assert_eq!(app.count(downloads).await, 1);
    let actions: Vec<_> = data.events.iter().map(|e| e.action.as_str()).collect();
    assert!(
        actions.contains(&"administration.request_validated"),
        "{actions:?}"
    );
    assert!(!data.emails.is_empty(), "the validation notice");

    // Every faulty field is named, and nothing changes.
    let wrong = put_with(
        &app,
        "/api/me",
        &cookie,
        json!({ "civility": "Monsieur", "last_name": "", "first_name": "Paul",
                "job_title": "Gestionnaire", "phone": "12" }),
    )
    .await;
    assert_eq!(wrong.status(), 422);
    let body: ErrorResponse = wrong.json().await.unwrap();
    let fields: Vec<_> = body.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["nom", "telephone"]);
    assert_eq!(my_data(&app, &cookie).await.account.last_name, "Martin");

    let corrected = put_with(
        &app,
        "/api/me",
        &cookie,
        json!({ "civility": "Monsieur", "last_name": "Martin-Leroy", "first_name": "Paul",
                "job_title": "Gestionnaire", "phone": "02 51 00 00 00" }),
    )
    .await;
    assert_eq!(corrected.status(), 204);
    let data = my_data(&app, &cookie).await;
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
    let refused = delete_with(&app, "/api/me", &admin).await;
    assert_eq!(refused.status(), 409);
    let body: ErrorResponse = refused.json().await.unwrap();
    assert_eq!(body.message, LAST_ADMINISTRATOR);
    assert_eq!(sign_in(&app, ADMIN, PASSWORD).await.0, 200);

    // The user closes their account: signed out, erased, a trace kept without them.
    inscription_server::email::deliver_local(&app.db, USER, app.clock.now())
        .await
        .unwrap();
    let closed = delete_with(&app, "/api/me", &cookie).await;
    assert_eq!(closed.status(), 204);
    assert!(closed.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .starts_with("inscription_session=;"));
    assert_eq!(get_with(&app, "/api/me/data", &cookie).await.status(), 401);
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
    let admin = active_admin(&app, "12345", "admin@saint-aubin.fr").await;
    let admin_id = app
        .count("SELECT id FROM users WHERE email = 'admin@saint-aubin.fr'")
        .await;
    let op = operator(&app).await;
    let erase = |id: i64, reason: &'static str| {
        let op = op.clone();
        let app = &app;
        async move {
            post_with(
                app,
                &format!("/api/operator/users/{id}/erase"),
                &op,
                json!({ "reason": reason }),
            )
            .await
        }
    };
    assert_eq!(erase(candidate_id, "demande écrite").await.status(), 409);
    let last = erase(admin_id, "demande écrite").await;
    assert_eq!(last.status(), 409);
    let body: ErrorResponse = last.json().await.unwrap();
    assert!(body.message.contains("re-désignez"), "{}", body.message);
    assert_eq!(erase(admin_id, " ").await.status(), 422);
    // An establishment's administrator is no operator.
    let not_operator = post_with(
        &app,
        &format!("/api/operator/users/{admin_id}/erase"),
        &admin,
        json!({ "reason": "demande écrite" }),
    )
    .await;
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
    let (_, cookie, _) = sign_in(&app, crate::account::EMAIL, &code).await;
    let cookie = cookie.unwrap();
    assert_eq!(get_with(&app, "/api/me/data", &cookie).await.status(), 403);
    assert_eq!(delete_with(&app, "/api/me", &cookie).await.status(), 403);
}
on_both_databases!(an_activation_session_has_no_data_page, demo);
