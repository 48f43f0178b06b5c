//! The operators' second factor (PRODUCT.md §3bis): added at their first sign-in (before
//! it, their session opens nothing else), asked at every sign-in after, proved again before
//! dispatch, re-designation and audit export, and forgotten from the command line only.

use inscription_shared::second_factor::{
    OperatorSecurity, RecoveryCodes, TotpEnrolment, REAUTHENTICATE,
};
use serde_json::{json, Value};

use crate::back_office::{operator_without_factor, registered, OPERATOR, OPERATOR_PASSWORD};
use crate::helpers::{demo, TestApp};
use crate::on_both_databases;
use crate::second_factor::{code_at, code_step, cookie_named, enrol_operator, refused_saying};

const FACTOR_OWED: &str = inscription_server::back_office::FACTOR_OWED;

/// The operator's password, right: the sign-in's challenge cookie (no session yet) and
/// what the page is told.
async fn password_step(app: &TestApp) -> (String, Value) {
    let response = app
        .post(
            "/api/session",
            &json!({ "email": OPERATOR, "password": OPERATOR_PASSWORD }),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert!(cookie_named(&response, "inscription_session").is_none());
    let challenge = cookie_named(&response, "inscription_second_factor").unwrap();
    (challenge, response.json().await.unwrap())
}

async fn an_operator_adds_a_factor_at_first_sign_in_then_signs_in_with_it(app: TestApp) {
    let cookie = operator_without_factor(&app, OPERATOR).await;
    let op = app.as_holder_of(cookie);
    // Before the factor, the back office opens nothing but adding it.
    refused_saying(
        vec![
            ("letters", op.get("/operator/letters").await),
            ("audit", op.get("/operator/audit").await),
            (
                "dispatch",
                op.post("/operator/letters/dispatch", &json!({ "ids": [] }))
                    .await,
            ),
        ],
        FACTOR_OWED,
    )
    .await;
    assert_eq!(op.get("/me").await.status(), 200, "who is signed in");
    assert!(
        !op.json::<OperatorSecurity>("/operator/second-factor")
            .await
            .totp
    );
    let enrolment: TotpEnrolment = op
        .post("/operator/totp", &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        enrolment.uri.contains("claire.operatrice"),
        "{}",
        enrolment.uri
    );
    let wrong = op
        .post("/operator/totp/confirmation", &json!({ "code": "000000" }))
        .await;
    assert_eq!(wrong.status(), 422);
    assert_eq!(op.get("/operator/letters").await.status(), 403);
    let now = app.clock.now();
    let confirmed = op
        .post(
            "/operator/totp/confirmation",
            &json!({ "code": code_at(&enrolment.secret, now) }),
        )
        .await;
    assert_eq!(confirmed.status(), 200);
    let codes = confirmed.json::<RecoveryCodes>().await.unwrap().codes;
    assert_eq!(codes.len(), 10);
    // Adding it proved it: this session works at once, dispatch included.
    assert_eq!(op.get("/operator/letters").await.status(), 200);
    let dispatch = op
        .post("/operator/letters/dispatch", &json!({ "ids": [] }))
        .await;
    assert_eq!(dispatch.status(), 200);
    let security: OperatorSecurity = op.json("/operator/second-factor").await;
    assert!(security.totp && security.recovery_codes_left == 10 && security.proof_fresh);
    let told = app
        .count(&format!("SELECT COUNT(*) FROM emails WHERE recipient = '{OPERATOR}' AND subject LIKE 'Codes à usage unique%'"))
        .await;
    assert_eq!(told, 1, "the operator is e-mailed");
    let audited = app
        .count("SELECT COUNT(*) FROM audit_events WHERE action = 'account.totp_enrolled' AND actor LIKE 'operator:%'")
        .await;
    assert_eq!(audited, 1);

    // From now on the password opens no session: the code does, once.
    let (challenge, me) = password_step(&app).await;
    assert_eq!(me["second_factor_required"], true);
    assert_eq!(me["second_factor_code"], true);
    assert_eq!(me["second_factor_passkey"], false);
    let token = challenge.split_once('=').unwrap().1;
    let forged = app.as_holder_of(format!("inscription_session={token}"));
    assert_eq!(forged.get("/operator/letters").await.status(), 401);
    let (status, _, body) = code_step(&app, &challenge, &code_at(&enrolment.secret, now)).await;
    assert_eq!(status, 422, "the confirming code has served: {body}");
    app.clock.advance(30);
    let code = code_at(&enrolment.secret, app.clock.now());
    let (status, session, body) = code_step(&app, &challenge, &code).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["role"], "operator");
    let signed = app.as_holder_of(session.unwrap());
    assert_eq!(signed.get("/operator/letters").await.status(), 200);
    // Replayed in another sign-in, the code is refused; a recovery code serves once.
    let (again, _) = password_step(&app).await;
    assert_eq!(code_step(&app, &again, &code).await.0, 422);
    let (status, session, _) = code_step(&app, &again, &codes[0]).await;
    assert_eq!(status, 200);
    assert!(session.is_some());
    let (again, _) = password_step(&app).await;
    assert_eq!(code_step(&app, &again, &codes[0]).await.0, 422);
    let with_factor = app
        .count("SELECT COUNT(*) FROM audit_events WHERE action = 'operator.signed_in' AND details = 'second facteur'")
        .await;
    assert_eq!(with_factor, 2);
}
on_both_databases!(
    an_operator_adds_a_factor_at_first_sign_in_then_signs_in_with_it,
    demo
);

async fn the_back_offices_sensitive_actions_ask_an_old_proof_again(app: TestApp) {
    let cookie = operator_without_factor(&app, OPERATOR).await;
    let (secret, _) = enrol_operator(&app, &cookie).await;
    let op = app.as_holder_of(cookie);
    let (letter, _, _) = registered(&app).await;
    let establishment = app
        .count("SELECT id FROM establishments WHERE client_number = '237517'")
        .await;
    let redesignation = format!("/operator/establishments/{establishment}/redesignation");
    // Past the configured time (15 minutes), the proof of the sign-in is too old.
    app.clock.advance(15 * 60 + 1);
    let security: OperatorSecurity = op.json("/operator/second-factor").await;
    assert!(!security.proof_fresh, "the page knows before the export");
    refused_saying(
        vec![
            (
                "dispatch",
                op.post("/operator/letters/dispatch", &json!({ "ids": [letter] }))
                    .await,
            ),
            (
                "re-designation",
                op.post(&redesignation, &json!({ "reason": "Représentant parti" }))
                    .await,
            ),
            ("audit export", op.get("/operator/audit.csv").await),
        ],
        REAUTHENTICATE,
    )
    .await;
    // Nothing was done; what is not sensitive still works.
    let queued = app
        .count("SELECT COUNT(*) FROM letters WHERE status = 'queued'")
        .await;
    assert_eq!(queued, 1);
    assert_eq!(op.get("/operator/audit").await.status(), 200);
    let wrong = op
        .post("/operator/reauthentication", &json!({ "code": "000000" }))
        .await;
    assert_eq!(wrong.status(), 422);
    let code = code_at(&secret, app.clock.now());
    let proved = op
        .post("/operator/reauthentication", &json!({ "code": code }))
        .await;
    assert_eq!(proved.status(), 204);
    let audited = app
        .count("SELECT COUNT(*) FROM audit_events WHERE action = 'account.reauthenticated' AND actor LIKE 'operator:%'")
        .await;
    assert_eq!(audited, 1);
    assert!(
        op.json::<OperatorSecurity>("/operator/second-factor")
            .await
            .proof_fresh
    );
    let dispatched = op
        .post("/operator/letters/dispatch", &json!({ "ids": [letter] }))
        .await;
    assert_eq!(dispatched.status(), 200);
    assert_eq!(op.get("/operator/audit.csv").await.status(), 200);
    let redesignated = op
        .post(&redesignation, &json!({ "reason": "Représentant parti" }))
        .await;
    assert_eq!(redesignated.status(), 200);
}
on_both_databases!(
    the_back_offices_sensitive_actions_ask_an_old_proof_again,
    demo
);

/// Runs `inscription-server reset-operator-factor EMAIL`: whether it succeeded, and what
/// it printed.
fn reset_from_the_command_line(app: &TestApp, email: &str) -> (bool, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_inscription-server"))
        .args(["reset-operator-factor", email])
        .env("DATABASE_URL", app.database_url())
        .env("DATA_DIR", &app.config.data_dir)
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), printed)
}

async fn the_command_line_forgets_an_operators_factor(app: TestApp) {
    let cookie = operator_without_factor(&app, OPERATOR).await;
    enrol_operator(&app, &cookie).await;
    let op = app.as_holder_of(cookie);
    assert_eq!(op.get("/operator/letters").await.status(), 200);
    let (done, printed) = reset_from_the_command_line(&app, OPERATOR);
    assert!(done, "{printed}");
    assert!(printed.contains("oublié"), "{printed}");
    // Their sessions ended; the password alone opens a session that must add a new one.
    assert_eq!(op.get("/operator/letters").await.status(), 401);
    let (status, cookie, _) = crate::account::sign_in(&app, OPERATOR, OPERATOR_PASSWORD).await;
    assert_eq!(status, 200);
    let op = app.as_holder_of(cookie.unwrap());
    refused_saying(
        vec![("letters", op.get("/operator/letters").await)],
        FACTOR_OWED,
    )
    .await;
    let audited = app
        .count("SELECT COUNT(*) FROM audit_events WHERE action = 'operator.factor_reset_by_command' AND actor = 'system'")
        .await;
    assert_eq!(audited, 1);
    let told = app
        .count(&format!("SELECT COUNT(*) FROM emails WHERE recipient = '{OPERATOR}' AND subject LIKE 'Le second facteur de votre compte%'"))
        .await;
    assert_eq!(told, 1, "the operator is e-mailed");
    let (done, printed) = reset_from_the_command_line(&app, "personne@preteur.example");
    assert!(!done);
    assert!(printed.contains("aucun opérateur"), "{printed}");
}
on_both_databases!(the_command_line_forgets_an_operators_factor, demo);

async fn a_session_opened_before_the_factor_proves_it_first(app: TestApp) {
    // Two sessions opened with the password alone; the factor is added in one of them.
    let older = operator_without_factor(&app, OPERATOR).await;
    let (_, cookie, _) = crate::account::sign_in(&app, OPERATOR, OPERATOR_PASSWORD).await;
    let (secret, _) = enrol_operator(&app, &cookie.unwrap()).await;
    let older = app.as_holder_of(older);
    refused_saying(
        vec![
            ("letters", older.get("/operator/letters").await),
            ("batch", older.get("/operator/letters/batch.pdf").await),
        ],
        REAUTHENTICATE,
    )
    .await;
    let security: OperatorSecurity = older.json("/operator/second-factor").await;
    assert!(security.totp && !security.session_proved && !security.proof_fresh);
    app.clock.advance(30);
    let code = code_at(&secret, app.clock.now());
    let proved = older
        .post("/operator/reauthentication", &json!({ "code": code }))
        .await;
    assert_eq!(proved.status(), 204);
    assert_eq!(older.get("/operator/letters").await.status(), 200);
}
on_both_databases!(a_session_opened_before_the_factor_proves_it_first, demo);

async fn the_sweep_ends_sign_ins_whose_wait_is_over(app: TestApp) {
    let cookie = operator_without_factor(&app, OPERATOR).await;
    enrol_operator(&app, &cookie).await;
    password_step(&app).await;
    let waiting = "SELECT COUNT(*) FROM operator_second_factor_challenges";
    let swept = |at: i64| inscription_server::db::sweep::expired(&app.db, at, 0);
    // Within its five minutes, a sign-in waits on; after them, it goes.
    swept(app.clock.now()).await.unwrap();
    assert_eq!(app.count(waiting).await, 1);
    swept(app.clock.now() + 301).await.unwrap();
    assert_eq!(app.count(waiting).await, 0);
}
on_both_databases!(the_sweep_ends_sign_ins_whose_wait_is_over, demo);
