//! Step 1: CAPTCHA first, then the client number; a signed ticket on success.

use inscription_shared::registration::{RegistrationCase, Step1Request};
use inscription_shared::ErrorResponse;

use crate::helpers::{demo, get_with, pdf_text, spawn_app_with, Backend, TestApp, TestOptions};
use crate::on_both_databases;

/// Step 1 with `captcha`: the status and the answer.
pub async fn step1_raw(app: &TestApp, number: &str, captcha: String) -> (u16, ErrorResponse) {
    step1_sent(app.client.post(app.url(STEP1)), number, &captcha).await
}

/// [`step1_raw`] from client address `from`, as a trusted load balancer says it.
pub async fn step1_from(
    app: &TestApp,
    from: &str,
    number: &str,
    captcha: &str,
) -> (u16, ErrorResponse) {
    let request = app
        .client
        .post(app.url(STEP1))
        .header("x-forwarded-for", from);
    step1_sent(request, number, captcha).await
}

const STEP1: &str = "/api/registration/step1";

async fn step1_sent(
    request: reqwest::RequestBuilder,
    number: &str,
    captcha: &str,
) -> (u16, ErrorResponse) {
    let body = Step1Request {
        client_number: number.into(),
        captcha: captcha.into(),
    };
    let response = request.json(&body).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or_default())
}

async fn a_known_number_with_a_solved_captcha_gives_a_ticket(app: TestApp) {
    let config: serde_json::Value = app.get("/api/captcha").await.json().await.unwrap();
    assert_eq!(config["provider"], "altcha");
    let answer = app.step1(" 237517 ").await;
    assert_eq!(answer.establishment_name, "Habitat Loire Océan SA d’HLM");
    assert_eq!(answer.case, RegistrationCase::FirstUser);
    assert!(answer.ticket.len() > 30);
}
on_both_databases!(a_known_number_with_a_solved_captcha_gives_a_ticket, demo);

async fn the_captcha_is_required_single_use_and_checked(app: TestApp) {
    let (status, body) = step1_raw(&app, "237517", String::new()).await;
    assert_eq!(status, 422);
    assert_eq!(body.fields[0].field, "captcha");
    assert_eq!(
        body.fields[0].message,
        "Cochez la case «\u{a0}Je ne suis pas un robot\u{a0}»."
    );

    let token = app.captcha_token().await;
    assert_eq!(step1_raw(&app, "237517", token.clone()).await.0, 200);
    let (status, body) = step1_raw(&app, "237517", token).await;
    assert_eq!(status, 422, "a replayed token must be refused");
    assert!(body.message.contains("déjà servi"), "{}", body.message);

    for garbage in ["abc", "e30=", "bm90IGpzb24="] {
        let (status, body) = step1_raw(&app, "237517", garbage.into()).await;
        assert_eq!(status, 422, "{garbage}");
        assert!(
            body.message.contains("a échoué ou a expiré"),
            "{}",
            body.message
        );
    }
}
on_both_databases!(the_captcha_is_required_single_use_and_checked, demo);

/// The sweep deletes spent tokens once expired and rate-limit windows long over, and
/// keeps what a rule still reads: a token replayed before its expiry is still refused.
async fn the_sweep_keeps_what_the_rules_still_read(app: TestApp) {
    let token = app.captcha_token().await;
    assert_eq!(step1_raw(&app, "237517", token.clone()).await.0, 200);
    // What step 1 wrote, none of it expired (the app's own sweep may run meanwhile: it is
    // the same deletion).
    let (tokens, windows) = (
        app.count("SELECT COUNT(*) FROM captcha_uses").await,
        app.count("SELECT COUNT(*) FROM rate_limits").await,
    );
    let now = inscription_server::db::now();
    app.execute(&format!(
        "INSERT INTO captcha_uses (token_key, expires_at) VALUES ('perime', {})",
        now - 1
    ))
    .await;
    app.execute(&format!(
        "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ('ancien', {}, 3)",
        now - 30 * 24 * 3600
    ))
    .await;

    inscription_server::db::sweep::expired(&app.db, now, now - 7 * 24 * 3600)
        .await
        .unwrap();

    assert_eq!(app.count("SELECT COUNT(*) FROM captcha_uses").await, tokens);
    assert_eq!(app.count("SELECT COUNT(*) FROM rate_limits").await, windows);
    let (status, body) = step1_raw(&app, "237517", token).await;
    assert_eq!(status, 422);
    assert!(body.message.contains("déjà servi"), "{}", body.message);
}
on_both_databases!(the_sweep_keeps_what_the_rules_still_read, demo);

async fn a_captcha_replayed_after_a_restart_is_still_refused(app: TestApp) {
    let token = app.captcha_token().await;
    assert_eq!(step1_raw(&app, "237517", token.clone()).await.0, 200);
    // Another instance on the same database: it shares the secret and the used tokens.
    let other = inscription_server::startup::Application::build(app.config.clone())
        .await
        .unwrap();
    let address = format!("http://127.0.0.1:{}", other.port());
    tokio::spawn(other.run_until_stopped());
    let response = app
        .client
        .post(format!("{address}/api/registration/step1"))
        .json(&Step1Request {
            client_number: "237517".into(),
            captcha: token,
        })
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
}
on_both_databases!(a_captcha_replayed_after_a_restart_is_still_refused, demo);

async fn each_bad_number_gets_its_own_french_message(app: TestApp) {
    let cases = [
        ("", "Saisissez votre numéro client."),
        ("23A517", "Le numéro client ne contient que des chiffres\u{a0}: retirez les lettres."),
        ("000237517", "Ne saisissez pas les zéros du début\u{a0}: votre numéro client est 237517."),
        ("1234", "Le numéro client compte 5 ou 6\u{a0}chiffres (sans les zéros du début)\u{a0}: vous en avez saisi 4."),
        ("237-517", "Saisissez le numéro sans espace, point ni tiret\u{a0}: votre numéro client est 237517."),
        ("237/517", "Le caractère «\u{a0}/\u{a0}» n’est pas accepté\u{a0}: le numéro client ne contient que des chiffres."),
    ];
    for (number, message) in cases {
        let (status, body) = step1_raw(&app, number, app.captcha_token().await).await;
        assert_eq!(status, 422, "{number}");
        assert_eq!(body.fields[0].field, "numero-client");
        assert_eq!(body.fields[0].message, message);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0);
}
on_both_databases!(each_bad_number_gets_its_own_french_message, demo);

async fn unknown_and_closed_establishments_get_one_message(app: TestApp) {
    let (status, unknown) = step1_raw(&app, "11111", app.captcha_token().await).await;
    assert_eq!(status, 422);
    let (status, closed) = step1_raw(&app, "99001", app.captcha_token().await).await;
    assert_eq!(status, 422);
    assert_eq!(unknown, closed);
    assert!(
        unknown.message.contains("0\u{a0}800\u{a0}887\u{a0}300"),
        "{}",
        unknown.message
    );
}
on_both_databases!(unknown_and_closed_establishments_get_one_message, demo);

fn another_lender() -> TestOptions {
    TestOptions {
        lender: Some(("Caisse d’essai des territoires", "01 23 45 67 89")),
        ..demo()
    }
}

/// LENDER_NAME and SUPPORT_PHONE reach the messages, the e-mails and the tutorial.
async fn the_lenders_name_and_phone_are_configuration(app: TestApp) {
    let (_, unknown) = step1_raw(&app, "11111", app.captcha_token().await).await;
    assert!(
        unknown
            .message
            .contains("01\u{a0}23\u{a0}45\u{a0}67\u{a0}89"),
        "{}",
        unknown.message
    );
    assert!(!unknown.message.contains("800"), "{}", unknown.message);

    let ticket = app.step1("12345").await.ticket;
    let request = crate::registration_step2::first_user(&ticket, "claire.durand@saint-aubin.fr");
    let response = app.register_first_user(&request).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let op = crate::back_office::operator(&app).await;
    let id = app.count("SELECT id FROM letters").await;
    let letter = get_with(&app, &format!("/api/operator/letters/{id}/pdf"), &op).await;
    let text = pdf_text(&letter.bytes().await.unwrap());
    assert!(
        text.contains("Le service Relation clients — Caisse d’essai des territoires"),
        "{text}"
    );
    assert!(text.contains("Numéro vert 01 23 45 67 89"), "{text}");
    assert!(!text.contains("800 887"), "{text}");
    let tutorial = app.get("/documents/tutoriel-inscription.pdf").await;
    let text = pdf_text(&tutorial.bytes().await.unwrap());
    assert!(text.contains("Caisse d’essai des territoires"), "{text}");
    assert!(text.contains("01 23 45 67 89"), "{text}");
}
on_both_databases!(the_lenders_name_and_phone_are_configuration, another_lender);

async fn attempts_on_one_number_are_limited(app: TestApp) {
    for _ in 0..10 {
        assert_eq!(
            step1_raw(&app, "480213", app.captcha_token().await).await.0,
            200
        );
    }
    let (status, body) = step1_raw(&app, "480213", app.captcha_token().await).await;
    assert_eq!(status, 429);
    assert!(
        body.message.starts_with("Trop de tentatives"),
        "{}",
        body.message
    );
    // Another number is not affected.
    assert_eq!(
        step1_raw(&app, "237517", app.captcha_token().await).await.0,
        200
    );
}
on_both_databases!(attempts_on_one_number_are_limited, demo);

async fn malformed_bodies_get_a_french_answer(app: TestApp) {
    let response = app
        .client
        .post(app.url("/api/registration/step1"))
        .header("content-type", "application/json")
        .body("{pas du json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let body: ErrorResponse = response.json().await.unwrap();
    assert_eq!(
        body.message,
        "La demande est mal formée\u{a0}: rechargez la page et recommencez."
    );
}
on_both_databases!(malformed_bodies_get_a_french_answer, demo);

/// PostgreSQL dropped every connection while step 1 was idle (a restart, a failover, an
/// idle session's timeout): the next attempt is served, on new connections.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn step1_outlives_postgres_dropping_its_connections_while_idle() {
    let Some(app) = spawn_app_with(Backend::Postgres, demo()).await else {
        return;
    };
    app.step1("237517").await;
    app.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .await;
    app.clock.advance(60);
    app.step1("237517").await;
}
