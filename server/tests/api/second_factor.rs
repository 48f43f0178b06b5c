//! The second factor (PRODUCT.md §3bis): a one-time code app enrolled from "Mon espace",
//! then asked at each sign-in; codes computed here from the secret the server gave, as an
//! authenticator app would, at the times the application's clock says.

use inscription_shared::second_factor::{RecoveryCodes, Security, TotpEnrolment};
use serde_json::{json, Value};
use totp_rs::{Algorithm, Secret, TOTP};

use crate::administration::PASSWORD;
use crate::clients::Signed;
use crate::helpers::{demo, TestApp};
use crate::on_both_databases;

const ADMIN: &str = "admin@habitat-loire.fr";

/// The code an authenticator shows for this secret at `at`.
pub(crate) fn code_at(secret: &str, at: i64) -> String {
    let bytes = Secret::Encoded(secret.into()).to_bytes().unwrap();
    let totp = TOTP::new_unchecked(Algorithm::SHA1, 6, 1, 30, bytes, None, String::new());
    totp.generate(u64::try_from(at).unwrap())
}

/// The administrator with an app enrolled: their secret and recovery codes.
async fn enrolled(app: &TestApp) -> (String, Vec<String>) {
    let admin = app.administrator_without_factor("237517", ADMIN).await;
    enrol(app, &admin).await
}

pub(crate) fn cookie_named(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")) && !v.starts_with(&format!("{name}=;")))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
}

/// After a reset: the password alone opens a session again.
async fn assert_password_alone_signs_in(app: &TestApp, email: &str) {
    let response = app
        .post(
            "/api/session",
            &json!({ "email": email, "password": PASSWORD }),
        )
        .await;
    assert!(
        cookie_named(&response, "inscription_session").is_some(),
        "{email}: a session"
    );
}

/// Signs in with the password: the challenge's cookie (no session yet).
async fn password_step(app: &TestApp) -> String {
    password_step_of(app, ADMIN).await.0
}

/// The password step of `email`, who has a second factor: the challenge's cookie (no
/// session yet), and what the page is told.
pub(crate) async fn password_step_of(app: &TestApp, email: &str) -> (String, Value) {
    let response = app
        .post(
            "/api/session",
            &json!({ "email": email, "password": PASSWORD }),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert!(
        cookie_named(&response, "inscription_session").is_none(),
        "no session before the second factor"
    );
    let challenge = cookie_named(&response, "inscription_second_factor").unwrap();
    let me: Value = response.json().await.unwrap();
    assert_eq!(me["second_factor_required"], true);
    (challenge, me)
}

/// Half a minute later, `person` proves their app again with its next code.
async fn prove_again(app: &TestApp, person: &Signed<'_>, secret: &str) {
    app.clock.advance(30);
    let code = code_at(secret, app.clock.now());
    let proved = person
        .post("/me/reauthentication", &json!({ "code": code }))
        .await;
    assert_eq!(proved.status(), 204);
}

/// Each response is the refusal (403) saying `message`.
pub(crate) async fn refused_saying(responses: Vec<(&str, reqwest::Response)>, message: &str) {
    for (what, refused) in responses {
        assert_eq!(refused.status(), 403, "{what}");
        let body: Value = refused.json().await.unwrap();
        assert_eq!(body["message"], message, "{what}");
    }
}

/// The second step: its status, and the session cookie when it opened one.
pub(crate) async fn code_step(
    app: &TestApp,
    challenge: &str,
    code: &str,
) -> (u16, Option<String>, Value) {
    let response = app
        .client
        .post(app.url("/api/session/second-factor"))
        .header("cookie", challenge)
        .header("x-inscription", "1")
        .json(&json!({ "code": code }))
        .send()
        .await
        .unwrap();
    let session = cookie_named(&response, "inscription_session");
    (
        response.status().as_u16(),
        session,
        response.json().await.unwrap_or_default(),
    )
}

async fn an_enrolled_person_signs_in_with_the_apps_code_once(app: TestApp) {
    let admin = app.administrator_without_factor("237517", ADMIN).await;
    let before: Security = admin.json("/me/security").await;
    assert!(!before.totp);
    let enrolment: TotpEnrolment = admin
        .post("/me/totp", &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        enrolment.uri.starts_with("otpauth://totp/"),
        "{}",
        enrolment.uri
    );
    assert!(enrolment
        .uri
        .contains(&format!("secret={}", enrolment.secret)));
    // A wrong code does not confirm it.
    let wrong = admin
        .post("/me/totp/confirmation", &json!({ "code": "000000" }))
        .await;
    assert_eq!(wrong.status(), 422);
    assert!(!admin.json::<Security>("/me/security").await.totp);
    let now = app.clock.now();
    let codes = admin
        .post(
            "/me/totp/confirmation",
            &json!({ "code": code_at(&enrolment.secret, now) }),
        )
        .await;
    assert_eq!(codes.status(), 200);
    assert_eq!(codes.json::<RecoveryCodes>().await.unwrap().codes.len(), 10);
    let after: Security = admin.json("/me/security").await;
    assert!(after.totp && after.recovery_codes_left == 10);
    let kept = admin.my_data().await.second_factor;
    assert_eq!(
        (kept.app_added_at, kept.recovery_codes_left),
        (Some(now), 10)
    );
    let told = app
        .count(&format!("SELECT COUNT(*) FROM emails WHERE recipient = '{ADMIN}' AND subject LIKE 'Codes à usage unique%'"))
        .await;
    assert_eq!(told, 1, "the person is e-mailed");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'account.totp_enrolled'")
            .await,
        1
    );

    // The password alone opens nothing; the challenge's cookie is no session.
    let challenge = password_step(&app).await;
    let token = challenge.split_once('=').unwrap().1;
    let forged: Signed = app.as_holder_of(format!("inscription_session={token}"));
    assert_eq!(forged.get("/me").await.status(), 401);
    // The code that confirmed the app has served: the next one opens the session.
    let (status, _, body) = code_step(&app, &challenge, &code_at(&enrolment.secret, now)).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("déjà servi"),
        "{body}"
    );
    app.clock.advance(30);
    let code = code_at(&enrolment.secret, app.clock.now());
    let (status, session, body) = code_step(&app, &challenge, &code).await;
    assert_eq!(status, 200, "{body}");
    let signed = app.as_holder_of(session.unwrap());
    assert_eq!(signed.get("/me").await.status(), 200);
    // Replayed in a new sign-in, the same code is refused.
    let again = password_step(&app).await;
    let (status, session, _) = code_step(&app, &again, &code).await;
    assert_eq!((status, session), (422, None));
}
on_both_databases!(an_enrolled_person_signs_in_with_the_apps_code_once, demo);

async fn a_recovery_code_serves_once(app: TestApp) {
    let (_, codes) = enrolled(&app).await;
    let challenge = password_step(&app).await;
    let (status, session, _) = code_step(&app, &challenge, &codes[3].to_lowercase()).await;
    assert_eq!(status, 200);
    assert!(session.is_some());
    let challenge = password_step(&app).await;
    let (status, session, _) = code_step(&app, &challenge, &codes[3]).await;
    assert_eq!((status, session), (422, None));
    let (status, _, _) = code_step(&app, &challenge, &codes[4]).await;
    assert_eq!(status, 200);
}
on_both_databases!(a_recovery_code_serves_once, demo);

async fn guessing_the_code_is_cut_short(app: TestApp) {
    let (secret, _) = enrolled(&app).await;
    app.clock.advance(30);
    // Five wrong codes end the sign-in: even the right code then needs the password again.
    let challenge = password_step(&app).await;
    for guess in ["111111", "222222", "333333", "444444", "555555"] {
        assert_eq!(code_step(&app, &challenge, guess).await.0, 422);
    }
    let right = code_at(&secret, app.clock.now());
    assert_eq!(code_step(&app, &challenge, &right).await.0, 410);
    // Signing in again buys five more, but the account's ten a quarter of an hour hold.
    let challenge = password_step(&app).await;
    for guess in ["666666", "777777", "888888", "999999", "123123"] {
        assert_eq!(code_step(&app, &challenge, guess).await.0, 422);
    }
    let challenge = password_step(&app).await;
    assert_eq!(code_step(&app, &challenge, &right).await.0, 429);
    // A malformed code is said so, and does not count.
    app.clock.advance(15 * 60);
    let challenge = password_step(&app).await;
    let (status, _, body) = code_step(&app, &challenge, "12ab").await;
    assert_eq!(status, 422);
    assert_eq!(body["fields"][0]["field"], "code");
    // A challenge lives five minutes.
    app.clock.advance(301);
    let right = code_at(&secret, app.clock.now());
    assert_eq!(code_step(&app, &challenge, &right).await.0, 410);
    let challenge = password_step(&app).await;
    assert_eq!(code_step(&app, &challenge, &right).await.0, 200);
}
on_both_databases!(guessing_the_code_is_cut_short, demo);

/// The operator of the session `cookie` adds the app operators must hold: its secret and
/// recovery codes.
pub(crate) async fn enrol_operator(app: &TestApp, cookie: &str) -> (String, Vec<String>) {
    enrol_at(app, &app.as_holder_of(cookie.to_owned()), "/operator").await
}

/// `person` adds an app (the code at the app's clock): its secret and recovery codes.
pub(crate) async fn enrol(app: &TestApp, person: &Signed<'_>) -> (String, Vec<String>) {
    enrol_at(app, person, "/me").await
}

/// Adds an app through the endpoints under `prefix` (a person's or an operator's).
async fn enrol_at(app: &TestApp, person: &Signed<'_>, prefix: &str) -> (String, Vec<String>) {
    let enrolment: TotpEnrolment = person
        .post(&format!("{prefix}/totp"), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    let code = code_at(&enrolment.secret, app.clock.now());
    let confirmed = person
        .post(
            &format!("{prefix}/totp/confirmation"),
            &json!({ "code": code }),
        )
        .await;
    assert_eq!(confirmed.status(), 200);
    let codes: RecoveryCodes = confirmed.json().await.unwrap();
    (enrolment.secret, codes.codes)
}

async fn an_administrator_resets_a_users_second_factor_but_not_a_peers(app: TestApp) {
    const PAUL: &str = "paul.martin@habitat-loire.fr";
    let admin = app.administrator("237517", ADMIN).await;
    let paul_id = crate::administration::pending_request(&app, "237517", PAUL).await;
    assert_eq!(
        admin.validate(paul_id, &["consultation"]).await.status(),
        204
    );
    let paul = app.signed_in(PAUL, PASSWORD).await;
    enrol(&app, &paul).await;
    let listed = |console: &inscription_shared::administration::Console| {
        console
            .users
            .iter()
            .find(|u| u.id == paul_id)
            .unwrap()
            .second_factor
    };
    assert!(listed(&admin.console().await));

    // A lost phone: the administrator forgets the factor; Paul's sessions end, he is told.
    assert_eq!(admin.reset_second_factor(paul_id).await.status(), 204);
    assert!(!listed(&admin.console().await));
    assert_eq!(paul.get("/me").await.status(), 401);
    assert_password_alone_signs_in(&app, PAUL).await;
    let told = app
        .count(&format!("SELECT COUNT(*) FROM emails WHERE recipient = '{PAUL}' AND subject LIKE 'Le second facteur%'"))
        .await;
    assert_eq!(told, 1);
    let audited = app
        .count(
            "SELECT COUNT(*) FROM audit_events WHERE action = 'administration.second_factor_reset'",
        )
        .await;
    assert_eq!(audited, 1);

    // An administrator's factor is the lender's to reset: a peer's, or one's own.
    assert_eq!(admin.set_administrator(paul_id, true).await.status(), 204);
    let refused = admin.reset_second_factor(paul_id).await;
    assert_eq!(refused.status(), 403);
    let body: Value = refused.json().await.unwrap();
    assert!(
        body["message"].as_str().unwrap().contains("par le prêteur"),
        "{body}"
    );
    let own: i64 = app
        .count(&format!("SELECT id FROM users WHERE email = '{ADMIN}'"))
        .await;
    assert_eq!(admin.reset_second_factor(own).await.status(), 403);
}
on_both_databases!(
    an_administrator_resets_a_users_second_factor_but_not_a_peers,
    demo
);

async fn an_operator_resets_an_administrators_second_factor(app: TestApp) {
    let (_, _) = enrolled(&app).await;
    let admin_id: i64 = app
        .count(&format!("SELECT id FROM users WHERE email = '{ADMIN}'"))
        .await;
    let establishment: i64 = app
        .count("SELECT id FROM establishments WHERE client_number = '237517'")
        .await;
    let op = app.operator().await;
    let shown = |detail: inscription_shared::operator::EstablishmentDetail| {
        detail
            .accounts
            .iter()
            .find(|a| a.id == admin_id)
            .unwrap()
            .second_factor
    };
    assert!(shown(op.establishment(establishment).await));
    // A session of the administrator's, open before the reset.
    let challenge = password_step(&app).await;
    let (_, session, _) = code_step(
        &app,
        &challenge,
        &inscription_shared::second_factor::show_recovery("AAAAAAAAAA"),
    )
    .await;
    assert!(session.is_none(), "not one of their codes");

    assert_eq!(op.forget_second_factor(admin_id).await.status(), 204);
    assert!(!shown(op.establishment(establishment).await));
    assert_password_alone_signs_in(&app, ADMIN).await;
    // The challenge of before is gone with the factor.
    assert_eq!(code_step(&app, &challenge, "123456").await.0, 410);
    let told = app
        .count(&format!("SELECT COUNT(*) FROM emails WHERE recipient = '{ADMIN}' AND subject LIKE 'Le second facteur%'"))
        .await;
    assert_eq!(told, 1);
    let audited = app
        .count("SELECT COUNT(*) FROM audit_events WHERE action = 'operator.second_factor_reset' AND actor LIKE 'operator:%'")
        .await;
    assert_eq!(audited, 1);
    assert_eq!(op.forget_second_factor(999_999).await.status(), 410);
}
on_both_databases!(an_operator_resets_an_administrators_second_factor, demo);

async fn handing_out_access_asks_an_old_proof_again(app: TestApp) {
    const PAUL: &str = "paul.martin@habitat-loire.fr";
    let admin = app.administrator_without_factor("237517", ADMIN).await;
    let (secret, _) = enrol(&app, &admin).await;
    let paul = crate::administration::pending_request(&app, "237517", PAUL).await;
    // This session proved the factor by adding it; that proof grows old.
    app.clock
        .advance(app.state.settings.reauthentication_seconds + 1);
    let refused = admin.validate(paul, &["consultation"]).await;
    assert_eq!(refused.status(), 403);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(
        body["message"],
        inscription_shared::second_factor::REAUTHENTICATE
    );
    // Refusing gives no access: it asks nothing.
    let wrong = admin
        .post("/me/reauthentication", &json!({ "code": "000000" }))
        .await;
    assert_eq!(wrong.status(), 422);
    prove_again(&app, &admin, &secret).await;
    assert_eq!(admin.validate(paul, &["consultation"]).await.status(), 204);
    // Within the window, other grants go through; past it, the proof is asked again.
    assert_eq!(admin.set_rights(paul, &["saisie"]).await.status(), 204);
    app.clock
        .advance(app.state.settings.reauthentication_seconds + 1);
    assert_eq!(
        admin.set_rights(paul, &["consultation"]).await.status(),
        403
    );
    assert_eq!(
        admin.set_enabled(paul, false).await.status(),
        204,
        "disabling hands out nothing"
    );
    let audited = app
        .count("SELECT COUNT(*) FROM audit_events WHERE action = 'account.reauthenticated'")
        .await;
    assert_eq!(audited, 1);

    // A session opened with the code has proved it.
    let challenge = password_step(&app).await;
    let (status, session, _) =
        code_step(&app, &challenge, &code_at(&secret, app.clock.now())).await;
    assert_eq!(status, 200);
    let fresh = app.as_holder_of(session.unwrap());
    assert_eq!(fresh.set_enabled(paul, true).await.status(), 204);
    assert_eq!(
        fresh.set_rights(paul, &["consultation"]).await.status(),
        204
    );
}
on_both_databases!(handing_out_access_asks_an_old_proof_again, demo);

async fn a_password_only_session_hands_out_nothing(app: TestApp) {
    const PAUL: &str = "paul.martin@habitat-loire.fr";
    const ZOE: &str = "zoe.durand@habitat-loire.fr";
    let admin = app.administrator_without_factor("237517", ADMIN).await;
    // A second session, opened with the password alone before the factor was added.
    let old = app.signed_in(ADMIN, PASSWORD).await;
    let (secret, _) = enrol(&app, &admin).await;
    let paul = crate::administration::pending_request(&app, "237517", PAUL).await;
    assert_eq!(admin.validate(paul, &["consultation"]).await.status(), 204);
    let pauls = app.signed_in(PAUL, PASSWORD).await;
    enrol(&app, &pauls).await;
    let zoe = crate::administration::pending_request(&app, "237517", ZOE).await;
    // Each change that hands out access or lowers a protection is refused to the old
    // session, which never proved the factor.
    let admin = old;
    let audited = app.count("SELECT COUNT(*) FROM audit_events").await;
    let refused = vec![
        ("validate", admin.validate(zoe, &["consultation"]).await),
        ("rights", admin.set_rights(paul, &["saisie"]).await),
        ("administrator", admin.set_administrator(paul, true).await),
        ("reset", admin.reset_second_factor(paul).await),
    ];
    refused_saying(refused, inscription_shared::second_factor::REAUTHENTICATE).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events").await,
        audited,
        "nothing done"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM totp_factors WHERE user_id = {paul}"
        ))
        .await,
        1,
        "Paul keeps his factor"
    );
    // Proved again, the same changes go through.
    prove_again(&app, &admin, &secret).await;
    assert_eq!(admin.validate(zoe, &["consultation"]).await.status(), 204);
    assert_eq!(admin.set_rights(paul, &["saisie"]).await.status(), 204);
    assert_eq!(admin.reset_second_factor(paul).await.status(), 204);
    assert_eq!(admin.set_administrator(paul, true).await.status(), 204);
}
on_both_databases!(a_password_only_session_hands_out_nothing, demo);

async fn an_administrator_owes_a_second_factor_from_activation(app: TestApp) {
    const PAUL: &str = "paul.martin@habitat-loire.fr";
    let before = app.clock.now();
    let admin = app.administrator_without_factor("237517", ADMIN).await;
    let activated = app.clock.now();
    let paul = crate::administration::pending_request(&app, "237517", PAUL).await;
    // Owed from the activation on (the clock runs: between these two readings).
    let owed = admin.console().await.second_factor_owed_by.unwrap();
    assert!(
        (before..=activated).contains(&owed),
        "{before} {owed} {activated}"
    );
    // Every change of the console waits for the factor; nothing is done.
    let audited = app.count("SELECT COUNT(*) FROM audit_events").await;
    let refused = vec![
        ("validate", admin.validate(paul, &["consultation"]).await),
        ("refuse", admin.refuse(paul, "").await),
    ];
    refused_saying(refused, inscription_shared::second_factor::FACTOR_OWED).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events").await,
        audited
    );
    enrol(&app, &admin).await;
    assert_eq!(admin.console().await.second_factor_owed_by, None);
    assert_eq!(admin.validate(paul, &["consultation"]).await.status(), 204);

    // A user named administrator owes it at once too.
    assert_eq!(admin.set_administrator(paul, true).await.status(), 204);
    let named = app.signed_in(PAUL, PASSWORD).await;
    assert!(named.console().await.second_factor_owed_by.is_some());
    assert_eq!(named.set_rights(paul, &["saisie"]).await.status(), 403);
}
on_both_databases!(an_administrator_owes_a_second_factor_from_activation, demo);

async fn administrators_named_before_the_rule_have_a_grace_period(app: TestApp) {
    const PAUL: &str = "paul.martin@habitat-loire.fr";
    const ZOE: &str = "zoe.durand@habitat-loire.fr";
    let admin = app.administrator_without_factor("237517", ADMIN).await;
    // As an administrator named before the rule: no date; the start grants the grace
    // (SECOND_FACTOR_GRACE_DAYS, 30 here), and only to them.
    app.execute("UPDATE users SET second_factor_due_at = NULL")
        .await;
    let until = app.clock.now() + 30 * 24 * 3600;
    let granted = inscription_server::db::second_factor::grant_grace(&app.db, until)
        .await
        .unwrap();
    assert_eq!(granted, 1);
    let console = admin.console().await;
    assert_eq!(console.second_factor_owed_by, Some(until));
    let paul = crate::administration::pending_request(&app, "237517", PAUL).await;
    assert_eq!(admin.validate(paul, &["consultation"]).await.status(), 204);
    // Past the grace, the console waits for the factor.
    app.clock.advance(30 * 24 * 3600);
    let zoe = crate::administration::pending_request(&app, "237517", ZOE).await;
    let admin = app.signed_in(ADMIN, PASSWORD).await;
    let refused = admin.validate(zoe, &["consultation"]).await;
    assert_eq!(refused.status(), 403);
    assert_eq!(
        refused.json::<Value>().await.unwrap()["message"],
        inscription_shared::second_factor::FACTOR_OWED
    );
}
on_both_databases!(
    administrators_named_before_the_rule_have_a_grace_period,
    demo
);
