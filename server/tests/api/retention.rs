//! Retention (PRODUCT.md §12): the clock moves past each duration, the retention pass runs,
//! and what is past its duration is gone (from the disk too, on SQLite) while everything
//! else stays; the audit trail keeps pseudonymised events and counts each pass.

use inscription_server::email::deliver_local;
use inscription_server::startup::apply_retention;
use serde_json::json;

use crate::abuse::files_holding;
use crate::account::sign_in;
use crate::administration::{active_admin, pending_request, PASSWORD};
use crate::helpers::{assert_check_passes, demo, TestApp, SUPPORT_EMAIL};
use crate::on_both_databases;
use crate::registration_step2::access_request;

const DAY: i64 = 86_400;
const ADMIN: &str = "admin@habitat-loire.fr";
const REFUSED: &str = "paul.martin@habitat-loire.fr";
const UNVERIFIED: &str = "jamais.confirme@habitat-loire.fr";
const WRITER: &str = "marie.dupont@exemple.fr";

/// Moves the clock by `days`, runs the retention pass, and checks every invariant.
async fn days_later(app: &TestApp, days: i64) {
    app.clock.advance(days * DAY);
    apply_retention(&app.state).await.unwrap();
    assert_check_passes(app).await;
}

async fn users_named(app: &TestApp, email: &str) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM users WHERE email = '{email}'"
    ))
    .await
}

/// The details of each retention pass's audit event, oldest first.
async fn passes(app: &TestApp) -> Vec<String> {
    const SQL: &str =
        "SELECT details FROM audit_events WHERE action = 'retention.applied' ORDER BY id";
    crate::helpers::scalars(&app.db, SQL).await
}

/// Runs a statement the database may refuse.
async fn try_execute(app: &TestApp, sql: &str) -> Result<(), sqlx::Error> {
    crate::helpers::try_execute(&app.db, sql).await
}

async fn each_duration_erases_its_data_and_nothing_else(app: TestApp) {
    // An administrator, a request they refuse, a request never confirmed, a contact
    // message handled by an operator, and the e-mails of all that.
    let admin = app.administrator("237517", ADMIN).await;
    let id = pending_request(&app, "237517", REFUSED).await;
    let refused = admin.refuse(id, "Personne inconnue du service").await;
    assert_eq!(refused.status(), 204);
    let ticket = app.step1("237517").await.ticket;
    let request = app
        .request_access(&access_request(&ticket, UNVERIFIED))
        .await;
    assert_eq!(request.status(), 200);
    let op = app.operator().await;
    let message = json!({ "name": "Marie Dupont", "email": WRITER, "client_number": "",
        "subject": "Numéro client introuvable", "message": "Je ne trouve pas notre numéro.",
        "captcha": app.captcha_token().await });
    assert_eq!(app.contact(&message).await.status(), 204);
    let message_id = app.count("SELECT id FROM contact_messages").await;
    let handled = op
        .put(
            &format!("/operator/messages/{message_id}"),
            &json!({ "handled": true }),
        )
        .await;
    assert_eq!(handled.status(), 204);
    for recipient in [ADMIN, REFUSED, UNVERIFIED, WRITER, SUPPORT_EMAIL] {
        deliver_local(&app.db, recipient, app.clock.now())
            .await
            .unwrap();
    }
    let sent = app
        .count("SELECT COUNT(*) FROM emails WHERE sent_at IS NOT NULL")
        .await;
    assert!(sent >= 4, "{sent} e-mails sent");
    assert!(app.count("SELECT COUNT(*) FROM sessions").await >= 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM operator_sessions").await, 1);

    // Day 6: only the sessions, idle for days, are gone.
    days_later(&app, 6).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM operator_sessions").await, 0);
    assert_eq!(users_named(&app, UNVERIFIED).await, 1, "7 days not reached");
    assert_eq!(passes(&app).await.len(), 1);
    assert!(passes(&app).await[0].contains("sessions expirées supprimées"));

    // Day 8: the request never confirmed is erased; it counts as cancelled, emptied.
    days_later(&app, 2).await;
    assert_eq!(users_named(&app, UNVERIFIED).await, 0);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM users WHERE erased_at IS NOT NULL AND status = 'cancelled' \
             AND last_name = '' AND phone = '' AND password_hash IS NULL"
        )
        .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM email_verifications").await,
        0,
        "its link went with it"
    );
    assert!(passes(&app).await[1].starts_with("1\u{a0}demande non vérifiée effacée"));
    assert_eq!(users_named(&app, REFUSED).await, 1, "90 days not reached");

    // Day 31: sent e-mails are gone.
    days_later(&app, 23).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM emails WHERE sent_at IS NOT NULL")
            .await,
        0
    );

    // Day 91: the refused request is erased, its audit events pseudonymised; the
    // administrator, active, keeps everything.
    assert!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_events WHERE user_id = {id} AND ip <> ''"
        ))
        .await
            > 0
    );
    days_later(&app, 60).await;
    assert_eq!(users_named(&app, REFUSED).await, 0);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM users WHERE id = {id} AND status = 'refused' AND email = ''"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_events WHERE user_id = {id} \
             AND (ip <> '' OR details <> '' OR pseudonymised_at IS NULL)"
        ))
        .await,
        0
    );
    assert!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_events WHERE user_id = {id} AND action <> ''"
        ))
        .await
            > 0,
        "the trace remains"
    );
    assert_eq!(users_named(&app, ADMIN).await, 1);
    let (status, _, _) = sign_in(&app, ADMIN, PASSWORD).await;
    assert_eq!(status, 200, "the administrator still signs in");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM contact_messages").await,
        1,
        "365 days not reached"
    );
    if app.config.database_url.is_none() {
        let dir = app.config.data_dir.clone();
        assert_eq!(files_holding(&dir, REFUSED), Vec::<String>::new());
        assert_eq!(files_holding(&dir, UNVERIFIED), Vec::<String>::new());
        assert!(
            !files_holding(&dir, ADMIN).is_empty(),
            "the test sees data on disk"
        );
    }

    // Day 366: the handled message is gone; every event older than a year has lost its
    // address and details, and still says what happened.
    let events = app.count("SELECT COUNT(*) FROM audit_events").await;
    days_later(&app, 275).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM contact_messages").await, 0);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_events WHERE action <> 'retention.applied' \
             AND (ip <> '' OR details <> '')"
        )
        .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events").await,
        events + 1,
        "nothing deleted, one pass more"
    );
    let last = passes(&app).await.pop().unwrap();
    assert!(
        last.contains("1\u{a0}message de contact supprimé"),
        "{last}"
    );
    assert!(
        last.contains("événements du journal pseudonymisés"),
        "{last}"
    );

    // A pass with nothing to do leaves no event.
    days_later(&app, 0).await;
    let passes = passes(&app).await;
    assert_eq!(passes.len(), 5, "{passes:?}");
}
on_both_databases!(each_duration_erases_its_data_and_nothing_else, demo);

/// The audit trail accepts pseudonymisation and nothing else: not a rewrite of what
/// happened, not a pseudonymisation that keeps the address, not a deletion.
async fn the_trail_accepts_only_pseudonymisation(app: TestApp) {
    active_admin(&app, "237517", ADMIN).await;
    let id = app.count("SELECT MIN(id) FROM audit_events").await;
    let attempts = [
        format!("UPDATE audit_events SET action = 'autre' WHERE id = {id}"),
        format!("UPDATE audit_events SET ip = '', details = '' WHERE id = {id}"),
        format!("UPDATE audit_events SET details = '', pseudonymised_at = 1 WHERE id = {id}"),
        format!(
            "UPDATE audit_events SET ip = '', details = '', pseudonymised_at = 1, actor = 'x' \
             WHERE id = {id}"
        ),
        format!("DELETE FROM audit_events WHERE id = {id}"),
    ];
    for sql in &attempts {
        assert!(try_execute(&app, sql).await.is_err(), "accepted: {sql}");
    }
    app.execute(&format!(
        "UPDATE audit_events SET ip = '', details = '', pseudonymised_at = 1 WHERE id = {id}"
    ))
    .await;
    let again = format!(
        "UPDATE audit_events SET ip = '', details = '', pseudonymised_at = 2 WHERE id = {id}"
    );
    assert!(
        try_execute(&app, &again).await.is_err(),
        "once pseudonymised, an event is final"
    );
}
on_both_databases!(the_trail_accepts_only_pseudonymisation, demo);
