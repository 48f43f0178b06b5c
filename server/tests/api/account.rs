//! Activation with the letter's temporary password, sign-in, sessions.

use inscription_shared::account::{Me, Role, SIGN_IN_FAILED};
use inscription_shared::ErrorResponse;
use serde_json::json;

use crate::helpers::{demo, get_with, link_token, post_with, TestApp};
use crate::on_both_databases;
use crate::registration_step2::first_user;

pub const EMAIL: &str = "anne.lebihan@habitat-loire.fr";
const NEW_PASSWORD: &str = "Tournesol!2026-Loire";

/// Registers the first user of 237517; returns the letter's code and the user's id.
pub async fn candidate(app: &TestApp) -> (String, i64) {
    candidate_of(app, "237517", EMAIL).await
}

/// Registers `email` as the first user of establishment `number`; returns the letter's
/// code and the user's id.
pub async fn candidate_of(app: &TestApp, number: &str, email: &str) -> (String, i64) {
    let ticket = app.step1(number).await.ticket;
    assert_eq!(
        app.register_first_user(&first_user(&ticket, email))
            .await
            .status(),
        200
    );
    let letter = inscription_server::db::letters::queued(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|l| l.email == email)
        .unwrap();
    let id = app
        .count(&format!(
            "SELECT id FROM users WHERE status = 'candidate' AND email = '{email}'"
        ))
        .await;
    (letter.temporary_password.unwrap(), id)
}

/// Signs in; returns the status and the session cookie (`name=value`) if one was set.
pub async fn sign_in(
    app: &TestApp,
    email: &str,
    password: &str,
) -> (u16, Option<String>, reqwest::Response) {
    let response = app
        .post(
            "/api/session",
            &json!({ "email": email, "password": password }),
        )
        .await;
    let cookie = session_cookie(&response);
    (response.status().as_u16(), cookie, response)
}

pub fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("inscription_session=") && !v.starts_with("inscription_session=;"))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
}

async fn the_candidate_activates_with_the_letters_code(app: TestApp) {
    let (code, _) = candidate(&app).await;
    // Typed loosely: lower case, spaces instead of dashes.
    let typed = code.to_lowercase().replace('-', " ");
    let (status, cookie, response) = sign_in(&app, "Anne.LeBihan@habitat-loire.fr", &typed).await;
    assert_eq!(status, 200);
    let set_cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(set_cookie.contains(attribute), "{set_cookie}");
    }
    assert!(
        !set_cookie.contains("Secure"),
        "plain HTTP here: {set_cookie}"
    );
    let me: Me = response.json().await.unwrap();
    assert!(me.must_choose_password);
    let cookie = cookie.unwrap();

    let weak = post_with(
        &app,
        "/api/activation",
        &cookie,
        json!({ "password": "lebihan2026" }),
    )
    .await;
    assert_eq!(weak.status(), 422);
    let body: ErrorResponse = weak.json().await.unwrap();
    assert_eq!(body.fields[0].field, "nouveau-mot-de-passe");

    let done = post_with(
        &app,
        "/api/activation",
        &cookie,
        json!({ "password": NEW_PASSWORD }),
    )
    .await;
    assert_eq!(done.status(), 200);
    let new_cookie = session_cookie(&done).unwrap();
    assert_ne!(
        new_cookie, cookie,
        "the session id changes with the privilege"
    );
    assert_eq!(get_with(&app, "/api/me", &cookie).await.status(), 401);
    let me: Me = get_with(&app, "/api/me", &new_cookie)
        .await
        .json()
        .await
        .unwrap();
    assert!(!me.must_choose_password);
    assert_eq!(me.role, Role::Administrator);
    assert_eq!(me.establishment_name, "Habitat Loire Océan SA d’HLM");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE status = 'active' AND role = 'administrator'")
            .await,
        1
    );

    assert_eq!(
        sign_in(&app, EMAIL, &code).await.0,
        401,
        "the code serves once"
    );
    assert_eq!(sign_in(&app, EMAIL, NEW_PASSWORD).await.0, 200);
    let events = inscription_server::db::audit::all(&app.db).await.unwrap();
    assert!(events
        .iter()
        .any(|(action, ..)| action == "account.activated"));
}
on_both_databases!(the_candidate_activates_with_the_letters_code, demo);

async fn unknown_addresses_and_wrong_passwords_get_one_answer(app: TestApp) {
    let _ = candidate(&app).await;
    let (status, cookie, unknown) = sign_in(&app, "personne@example.org", NEW_PASSWORD).await;
    assert_eq!((status, cookie), (401, None));
    let unknown: ErrorResponse = unknown.json().await.unwrap();
    let (_, _, wrong) = sign_in(&app, EMAIL, "ZZZZ-ZZZZ-ZZZZ").await;
    let wrong: ErrorResponse = wrong.json().await.unwrap();
    assert_eq!(unknown, wrong);
    assert_eq!(unknown.message, SIGN_IN_FAILED);
}
on_both_databases!(unknown_addresses_and_wrong_passwords_get_one_answer, demo);

async fn repeated_failures_are_throttled(app: TestApp) {
    for _ in 0..5 {
        assert_eq!(
            sign_in(&app, "quelqu.un@example.org", "Mauvais!MotDePasse1")
                .await
                .0,
            401
        );
    }
    let (status, _, response) = sign_in(&app, "quelqu.un@example.org", "Mauvais!MotDePasse1").await;
    assert_eq!(status, 429);
    assert!(response.headers().contains_key("retry-after"));
    let body: ErrorResponse = response.json().await.unwrap();
    assert!(
        body.message.starts_with("Trop de tentatives"),
        "{}",
        body.message
    );
}
on_both_databases!(repeated_failures_are_throttled, demo);

async fn sign_out_ends_the_session_on_the_server(app: TestApp) {
    let (code, _) = candidate(&app).await;
    let (_, cookie, _) = sign_in(&app, EMAIL, &code).await;
    let cookie = cookie.unwrap();
    assert_eq!(get_with(&app, "/api/me", &cookie).await.status(), 200);
    let out = app
        .client
        .delete(app.url("/api/session"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204);
    assert_eq!(get_with(&app, "/api/me", &cookie).await.status(), 401);
    assert_eq!(
        app.get("/api/me").await.status(),
        401,
        "no cookie, no session"
    );
}
on_both_databases!(sign_out_ends_the_session_on_the_server, demo);

/// A session ends after 30 minutes without activity, and 12 hours after sign-in however
/// used, on the application's clock (the test moves it; nothing sleeps).
async fn a_session_ends_when_idle_or_too_old(app: TestApp) {
    let (code, _) = candidate(&app).await;
    let me = |cookie: String| {
        let app = &app;
        async move { get_with(app, "/api/me", &cookie).await }
    };
    let (_, cookie, _) = sign_in(&app, EMAIL, &code).await;
    let cookie = cookie.unwrap();
    app.clock.advance(29 * 60);
    assert_eq!(me(cookie.clone()).await.status(), 200, "29 minutes idle");
    app.clock.advance(31 * 60);
    let response = me(cookie).await;
    assert_eq!(response.status(), 401, "31 minutes idle");
    let body: ErrorResponse = response.json().await.unwrap();
    assert!(body.message.starts_with("Votre session a expiré"));

    let signed_in_at = app.clock.now();
    let (_, cookie, _) = sign_in(&app, EMAIL, &code).await;
    let cookie = cookie.unwrap();
    while app.clock.now() + 25 * 60 <= signed_in_at + 12 * 3600 {
        app.clock.advance(25 * 60);
        assert_eq!(
            me(cookie.clone()).await.status(),
            200,
            "used every 25 minutes"
        );
    }
    app.clock.advance(25 * 60);
    assert_eq!(me(cookie).await.status(), 401, "12 hours after sign-in");
}
on_both_databases!(a_session_ends_when_idle_or_too_old, demo);

/// A password-reset link lasts an hour, on the application's clock.
async fn a_reset_link_expires_after_an_hour(app: TestApp) {
    let (code, _) = candidate(&app).await;
    let (_, cookie, _) = sign_in(&app, EMAIL, &code).await;
    let done = post_with(
        &app,
        "/api/activation",
        &cookie.unwrap(),
        json!({ "password": NEW_PASSWORD }),
    )
    .await;
    assert_eq!(done.status(), 200);
    app.forgotten_password(&json!({ "email": EMAIL })).await;
    let token = link_token(&app, EMAIL).await;
    app.clock.advance(3600 + 1);
    let late = app
        .reset_password(&json!({ "token": token, "password": "Nouveau!Mot-2027" }))
        .await;
    assert_eq!(late.status(), 410);
    assert_eq!(sign_in(&app, EMAIL, NEW_PASSWORD).await.0, 200, "unchanged");
}
on_both_databases!(a_reset_link_expires_after_an_hour, demo);

async fn a_forgotten_password_is_replaced_through_a_single_use_link(app: TestApp) {
    let (code, _) = candidate(&app).await;
    let (_, cookie, _) = sign_in(&app, EMAIL, &code).await;
    let done = post_with(
        &app,
        "/api/activation",
        &cookie.unwrap(),
        json!({ "password": NEW_PASSWORD }),
    )
    .await;
    let session = session_cookie(&done).unwrap();

    let unknown = app
        .forgotten_password(&json!({ "email": "personne@example.org" }))
        .await;
    let known = app
        .forgotten_password(&json!({ "email": EMAIL.to_uppercase() }))
        .await;
    assert_eq!(
        (unknown.status().as_u16(), known.status().as_u16()),
        (200, 200)
    );
    let (unknown, known): (serde_json::Value, serde_json::Value) =
        (unknown.json().await.unwrap(), known.json().await.unwrap());
    assert_eq!(unknown, known, "the answer says nothing of the account");
    assert!(
        inscription_server::db::emails::to_recipient(&app.db, "personne@example.org")
            .await
            .unwrap()
            .is_empty()
    );
    let mail = inscription_server::db::emails::to_recipient(&app.db, EMAIL)
        .await
        .unwrap();
    assert_eq!(mail[0].subject, "Choisir un nouveau mot de passe");
    let token = link_token(&app, EMAIL).await;

    let weak = app
        .reset_password(&json!({ "token": token, "password": "court" }))
        .await;
    assert_eq!(weak.status(), 422);
    let reset = app
        .reset_password(&json!({ "token": token, "password": "Nouveau!Mot-2027" }))
        .await;
    assert_eq!(reset.status(), 204);
    assert_eq!(
        get_with(&app, "/api/me", &session).await.status(),
        401,
        "every session ended"
    );
    assert_eq!(sign_in(&app, EMAIL, NEW_PASSWORD).await.0, 401);
    assert_eq!(sign_in(&app, EMAIL, "Nouveau!Mot-2027").await.0, 200);
    let again = app
        .reset_password(&json!({ "token": token, "password": "Encore!Autre-2028" }))
        .await;
    assert_eq!(again.status(), 410, "the link serves once");
}
on_both_databases!(
    a_forgotten_password_is_replaced_through_a_single_use_link,
    demo
);

async fn an_expired_code_makes_the_next_registrant_a_first_user_again(app: TestApp) {
    let (code, _) = candidate(&app).await;
    assert_eq!(
        app.step1("237517").await.case,
        inscription_shared::registration::RegistrationCase::ExistingAccount
    );
    app.execute("UPDATE temporary_passwords SET expires_at = 0")
        .await;
    assert_eq!(
        sign_in(&app, EMAIL, &code).await.0,
        401,
        "an expired code opens nothing"
    );
    let step1 = app.step1("237517").await;
    assert_eq!(
        step1.case,
        inscription_shared::registration::RegistrationCase::FirstUser
    );
    let second = first_user(&step1.ticket, "claire.durand@habitat-loire.fr");
    assert_eq!(app.register_first_user(&second).await.status(), 200);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE status = 'candidate'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE status = 'cancelled'")
            .await,
        1
    );
    let letters = inscription_server::db::letters::queued(&app.db)
        .await
        .unwrap();
    assert_eq!(
        letters.len(),
        1,
        "the old letter is cancelled, its code erased"
    );
    assert_eq!(letters[0].email, "claire.durand@habitat-loire.fr");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM letters WHERE temporary_password IS NOT NULL")
            .await,
        1
    );
    // Both plain codes of the old letter are gone, and it says when it was cancelled (the
    // statement once kept its "not you?" code: `check` failed on it).
    assert_eq!(
        app.count("SELECT COUNT(*) FROM letters WHERE opposition_code IS NOT NULL")
            .await,
        1
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM letters WHERE status = 'cancelled' AND cancelled_at IS NULL"
        )
        .await,
        0
    );
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_inscription-server"))
        .arg("check")
        .env("DATABASE_URL", app.database_url())
        .env("DATA_DIR", &app.config.data_dir)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}
on_both_databases!(
    an_expired_code_makes_the_next_registrant_a_first_user_again,
    demo
);
