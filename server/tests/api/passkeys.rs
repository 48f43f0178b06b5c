//! Passkeys ("clés d'accès", PRODUCT.md §3bis): added from "Sécurité de mon compte", then
//! the sign-in's second step, a sign-in alone, or the proof asked again before handing out
//! access. The browser and the authenticator are played by `authenticator.rs`, which signs
//! as a real key does; every attack is one it could mount.

use inscription_shared::second_factor::{PasskeyOptions, RecoveryCodes, Security, REAUTHENTICATE};
use reqwest::Method;
use serde_json::{json, Value};

use crate::administration::PASSWORD;
use crate::authenticator::Authenticator;
use crate::clients::Signed;
use crate::helpers::{TestApp, TestOptions, PUBLIC_URL_OF_INSTANCES};
use crate::on_both_databases;
use crate::second_factor::{cookie_named, password_step_of as password_step};

const ADMIN: &str = "admin@habitat-loire.fr";
const OTHER_ADMIN: &str = "direction@ville-exemple.fr";
const PAUL: &str = "paul.martin@habitat-loire.fr";
/// The portal's public address: passkeys belong to its domain.
const ORIGIN: &str = PUBLIC_URL_OF_INSTANCES;

fn portal() -> TestOptions {
    TestOptions {
        public_url: Some(ORIGIN.into()),
        ..crate::helpers::demo()
    }
}

async fn options_of(response: reqwest::Response) -> PasskeyOptions {
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// Adds a passkey held by `key` to the account, under `name`.
async fn add(person: &Signed<'_>, key: &mut Authenticator, name: &str) -> reqwest::Response {
    let options = options_of(person.post("/me/passkeys/options", &json!({})).await).await;
    let credential = key.create(&options.options);
    person
        .post(
            "/me/passkeys",
            &json!({ "ceremony": options.ceremony, "name": name, "credential": credential }),
        )
        .await
}

/// Posts to the public API with a cookie (the sign-in's challenge), or none.
async fn post_with(app: &TestApp, path: &str, cookie: &str, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .header("cookie", cookie)
        .json(body)
        .send()
        .await
        .unwrap()
}

/// Signs in with a passkey alone: the status, and the session cookie when one opened.
async fn alone(app: &TestApp, key: &mut Authenticator) -> (u16, Option<String>) {
    let options = options_of(app.post("/api/session/passkey/options", &json!({})).await).await;
    let credential = key.get(&options.options);
    let response = app
        .post(
            "/api/session/passkey",
            &json!({ "ceremony": options.ceremony, "credential": credential }),
        )
        .await;
    (
        response.status().as_u16(),
        cookie_named(&response, "inscription_session"),
    )
}

/// The second step answered by `key`: the status and the session cookie.
async fn second_step(
    app: &TestApp,
    challenge: &str,
    key: &mut Authenticator,
) -> (u16, Option<String>) {
    let options = options_of(
        post_with(
            app,
            "/api/session/second-factor/passkey/options",
            challenge,
            &json!({}),
        )
        .await,
    )
    .await;
    let credential = key.get(&options.options);
    let response = post_with(
        app,
        "/api/session/second-factor/passkey",
        challenge,
        &json!({ "ceremony": options.ceremony, "credential": credential }),
    )
    .await;
    (
        response.status().as_u16(),
        cookie_named(&response, "inscription_session"),
    )
}

async fn a_passkey_signs_in_after_the_password_and_alone(app: TestApp) {
    let admin = app.administrator_without_factor("237517", ADMIN).await;
    let mut key = Authenticator::new(ORIGIN);
    let added = add(&admin, &mut key, "  Ordinateur du bureau ").await;
    assert_eq!(added.status(), 200);
    // With the first passkey of a person without recovery codes: ten, shown this once.
    let recovery: RecoveryCodes = added.json().await.unwrap();
    assert_eq!(recovery.codes.len(), 10);
    let security: Security = admin.json("/me/security").await;
    assert_eq!(security.recovery_codes_left, 10);
    assert_eq!(security.passkeys.len(), 1);
    assert_eq!(security.passkeys[0].name, "Ordinateur du bureau");
    assert!(!security.totp);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM emails WHERE recipient = '{ADMIN}' AND subject LIKE 'Clé d’accès ajoutée%'"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'account.passkey_added'")
            .await,
        1
    );

    // The password alone now opens nothing: the page offers the passkey, and a recovery
    // code (no app: no app's code).
    let (challenge, me) = password_step(&app, ADMIN).await;
    assert_eq!(me["second_factor_required"], true);
    assert_eq!(me["second_factor_passkey"], true);
    assert_eq!(me["second_factor_code"], true);
    let (status, session) = second_step(&app, &challenge, &mut key).await;
    assert_eq!(status, 200);
    let signed = app.as_holder_of(session.unwrap());
    assert_eq!(signed.get("/me").await.status(), 200);
    // The challenge served once.
    let again = post_with(
        &app,
        "/api/session/second-factor/passkey/options",
        &challenge,
        &json!({}),
    )
    .await;
    assert_eq!(again.status(), 410);

    // The passkey alone: the authenticator names the person.
    let (status, session) = alone(&app, &mut key).await;
    assert_eq!(status, 200);
    let me: Value = app
        .as_holder_of(session.unwrap())
        .json::<Value>("/me")
        .await;
    assert_eq!(me["email"], ADMIN);
    let used: Security = admin.json("/me/security").await;
    assert!(used.passkeys[0].last_used_at.is_some());
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_events WHERE action = 'account.signed_in' \
             AND details LIKE '%second facteur'"
        )
        .await,
        2
    );
    // With an app too, the page offers both.
    crate::second_factor::enrol(&app, &admin).await;
    let (_, me) = password_step(&app, ADMIN).await;
    assert_eq!(me["second_factor_passkey"], true);
    assert_eq!(me["second_factor_code"], true);
}
on_both_databases!(a_passkey_signs_in_after_the_password_and_alone, portal);

async fn a_passkey_answers_only_its_challenge_its_person_and_a_counter_that_moves_on(app: TestApp) {
    let admin = app.administrator_without_factor("237517", ADMIN).await;
    let other = app.administrator_without_factor("12345", OTHER_ADMIN).await;
    let mut key = Authenticator::new(ORIGIN);
    let mut others_key = Authenticator::new(ORIGIN);
    assert_eq!(add(&admin, &mut key, "Clé USB").await.status(), 200);
    assert_eq!(
        add(&other, &mut others_key, "Téléphone").await.status(),
        200
    );

    // An answer serves its ceremony once, and no other ceremony.
    let first = options_of(app.post("/api/session/passkey/options", &json!({})).await).await;
    let answer = key.get(&first.options);
    let body = json!({ "ceremony": first.ceremony, "credential": answer });
    assert_eq!(app.post("/api/session/passkey", &body).await.status(), 200);
    assert_eq!(app.post("/api/session/passkey", &body).await.status(), 410);
    let second = options_of(app.post("/api/session/passkey/options", &json!({})).await).await;
    let replayed = json!({ "ceremony": second.ceremony, "credential": answer });
    assert_eq!(
        app.post("/api/session/passkey", &replayed).await.status(),
        401
    );

    // A counter that does not move on is a cloned key.
    let third = options_of(app.post("/api/session/passkey/options", &json!({})).await).await;
    let cloned = key.assert_with_counter(&third.options, 1);
    let body = json!({ "ceremony": third.ceremony, "credential": cloned });
    assert_eq!(app.post("/api/session/passkey", &body).await.status(), 401);

    // Another site's page, another key under this key's id, a key never added: refused.
    key.origin = "http://attaquant.test".into();
    assert_eq!(alone(&app, &mut key).await.0, 401);
    key.origin = ORIGIN.into();
    let mut forged = Authenticator::new(ORIGIN);
    forged.credential_id = key.credential_id.clone();
    forged.user_handle = key.user_handle.clone();
    forged.counter = 100;
    assert_eq!(alone(&app, &mut forged).await.0, 401);
    assert_eq!(alone(&app, &mut Authenticator::new(ORIGIN)).await.0, 401);
    assert_eq!(
        alone(&app, &mut key).await.0,
        200,
        "the real key still works"
    );

    // After the administrator's password, another person's passkey does not answer.
    let (challenge, _) = password_step(&app, ADMIN).await;
    assert_eq!(second_step(&app, &challenge, &mut others_key).await.0, 401);
    assert_eq!(second_step(&app, &challenge, &mut key).await.0, 200);

    // A sign-in's ceremony does not prove the factor again.
    let sign_in = options_of(app.post("/api/session/passkey/options", &json!({})).await).await;
    let body = json!({ "ceremony": sign_in.ceremony, "credential": key.get(&sign_in.options) });
    assert_eq!(
        admin
            .post("/me/reauthentication/passkey", &body)
            .await
            .status(),
        410
    );
    // Nothing of the above was written for the attacker.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM passkeys").await,
        2,
        "no passkey added or lost"
    );
}
on_both_databases!(
    a_passkey_answers_only_its_challenge_its_person_and_a_counter_that_moves_on,
    portal
);

async fn adding_and_removing_a_passkey_checks_what_it_is_given(app: TestApp) {
    let admin = app.administrator_without_factor("237517", ADMIN).await;
    let other = app.administrator_without_factor("12345", OTHER_ADMIN).await;
    let mut key = Authenticator::new(ORIGIN);

    // A name is needed; an unreadable answer says so; nothing is kept.
    let unnamed = add(&admin, &mut key, "   ").await;
    assert_eq!(unnamed.status(), 422);
    let body: Value = unnamed.json().await.unwrap();
    assert_eq!(
        body["fields"][0]["field"],
        inscription_shared::second_factor::PASSKEY_NAME_FIELD
    );
    let options = options_of(admin.post("/me/passkeys/options", &json!({})).await).await;
    let garbage = admin
        .post(
            "/me/passkeys",
            &json!({ "ceremony": options.ceremony, "name": "Clé", "credential": "{\"id\":1}" }),
        )
        .await;
    assert_eq!(garbage.status(), 422);
    // Another site's registration is not this portal's passkey.
    let options = options_of(admin.post("/me/passkeys/options", &json!({})).await).await;
    let mut elsewhere = Authenticator::new("http://attaquant.test");
    let body = json!({ "ceremony": options.ceremony, "name": "Clé", "credential": elsewhere.create(&options.options) });
    assert_eq!(admin.post("/me/passkeys", &body).await.status(), 422);
    // Another person's ceremony is not theirs to finish.
    let options = options_of(admin.post("/me/passkeys/options", &json!({})).await).await;
    let body = json!({ "ceremony": options.ceremony, "name": "Clé", "credential": key.create(&options.options) });
    assert_eq!(other.post("/me/passkeys", &body).await.status(), 410);
    assert_eq!(app.count("SELECT COUNT(*) FROM passkeys").await, 0);

    assert_eq!(add(&admin, &mut key, "Clé USB").await.status(), 200);
    // The same key twice: the browser is told to skip it, and the server refuses it.
    let options = options_of(admin.post("/me/passkeys/options", &json!({})).await).await;
    let excluded: Value = serde_json::from_str(&options.options).unwrap();
    let id = admin.json::<Security>("/me/security").await.passkeys[0]
        .id
        .clone();
    assert_eq!(excluded["publicKey"]["excludeCredentials"][0]["id"], id);
    let body = json!({ "ceremony": options.ceremony, "name": "Encore", "credential": key.create(&options.options) });
    assert_eq!(admin.post("/me/passkeys", &body).await.status(), 409);

    // Only its owner removes it; then it signs in no more.
    let path = format!("/me/passkeys/{id}");
    assert_eq!(
        other
            .send(Method::DELETE, &path, None::<&()>)
            .await
            .status(),
        410
    );
    assert_eq!(
        admin
            .send(Method::DELETE, &path, None::<&()>)
            .await
            .status(),
        204
    );
    assert_eq!(alone(&app, &mut key).await.0, 401);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM emails WHERE recipient = '{ADMIN}' AND subject LIKE 'Clé d’accès retirée%'"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'account.passkey_removed'")
            .await,
        1
    );
    // The password alone opens a session again.
    let response = app
        .post(
            "/api/session",
            &json!({ "email": ADMIN, "password": PASSWORD }),
        )
        .await;
    assert!(cookie_named(&response, "inscription_session").is_some());
}
on_both_databases!(
    adding_and_removing_a_passkey_checks_what_it_is_given,
    portal
);

async fn a_passkey_proves_the_factor_again_before_handing_out_access(app: TestApp) {
    let admin = app.administrator_without_factor("237517", ADMIN).await;
    let mut key = Authenticator::new(ORIGIN);
    assert_eq!(add(&admin, &mut key, "Clé USB").await.status(), 200);
    let paul = crate::administration::pending_request(&app, "237517", PAUL).await;
    // Adding the passkey proved it for this session; that proof grows old.
    app.clock
        .advance(app.state.settings.reauthentication_seconds + 1);
    let refused = admin.validate(paul, &["consultation"]).await;
    assert_eq!(refused.status(), 403);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["message"], REAUTHENTICATE);
    let options = options_of(
        admin
            .post("/me/reauthentication/passkey/options", &json!({}))
            .await,
    )
    .await;
    let body = json!({ "ceremony": options.ceremony, "credential": key.get(&options.options) });
    assert_eq!(
        admin
            .post("/me/reauthentication/passkey", &body)
            .await
            .status(),
        204
    );
    assert_eq!(admin.validate(paul, &["consultation"]).await.status(), 204);

    // Paul adds a passkey; disabled, it opens nothing; his reset forgets it.
    let paul_signed = app.signed_in(PAUL, PASSWORD).await;
    let mut pauls_key = Authenticator::new(ORIGIN);
    assert_eq!(
        add(&paul_signed, &mut pauls_key, "Téléphone")
            .await
            .status(),
        200
    );
    assert_eq!(admin.set_enabled(paul, false).await.status(), 204);
    assert_eq!(alone(&app, &mut pauls_key).await.0, 401);
    assert_eq!(admin.set_enabled(paul, true).await.status(), 204);
    assert_eq!(alone(&app, &mut pauls_key).await.0, 200);
    assert_eq!(admin.reset_second_factor(paul).await.status(), 204);
    assert_eq!(alone(&app, &mut pauls_key).await.0, 401);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM passkeys WHERE user_id = {paul}"
        ))
        .await,
        0
    );
}
on_both_databases!(
    a_passkey_proves_the_factor_again_before_handing_out_access,
    portal
);

async fn one_passkey_answer_raced_by_many_requests_opens_one_session(app: TestApp) {
    let admin = app.administrator_without_factor("237517", ADMIN).await;
    let mut key = Authenticator::new(ORIGIN);
    assert_eq!(add(&admin, &mut key, "Clé USB").await.status(), 200);
    let options = options_of(app.post("/api/session/passkey/options", &json!({})).await).await;
    let body = json!({ "ceremony": options.ceremony, "credential": key.get(&options.options) });
    let attempts = (0..8).map(|_| app.post("/api/session/passkey", &body));
    let statuses: Vec<u16> = futures_util::future::join_all(attempts)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'account.signed_in' AND details LIKE '%second facteur'")
            .await,
        1
    );
}
on_both_databases!(
    one_passkey_answer_raced_by_many_requests_opens_one_session,
    portal
);
