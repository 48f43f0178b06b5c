//! Observability: Prometheus metrics, a request id on every answer and in the logs, and
//! no secret in the logs of a whole journey.

use std::process::Stdio;

use serde_json::json;

use crate::helpers::{demo, free_port, wait_ready, TestApp, TestOptions};
use crate::on_both_databases;
use crate::registration_step2::first_user;

async fn metrics(app: &TestApp) -> String {
    let response = app.get("/metrics").await;
    assert_eq!(response.status(), 200);
    response.text().await.unwrap()
}

async fn metrics_count_requests_registrations_and_letters(app: TestApp) {
    let ticket = app.step1("237517").await.ticket;
    let done = app
        .register_first_user(&first_user(&ticket, "anne@habitat-loire.fr"))
        .await;
    assert!(done.headers().contains_key("x-request-id"));
    let text = metrics(&app).await;
    for expected in [
        "inscription_http_requests_total{method=\"POST\",route=\"/api/registration/first-user\",status=\"200\"} 1",
        "inscription_http_request_duration_seconds_count{method=\"POST\",route=\"/api/registration/step1\"} 1",
        "inscription_registrations_total{case=\"first_user\"} 1",
        "inscription_accounts{status=\"candidate\"} 1",
        "inscription_letters{status=\"queued\"} 1",
        "inscription_hash_pool_queued 0",
        "inscription_hash_pool_busy 0",
    ] {
        assert!(text.contains(expected), "«\u{a0}{expected}\u{a0}» missing from:\n{text}");
    }
}
on_both_databases!(metrics_count_requests_registrations_and_letters, demo);

fn with_token() -> TestOptions {
    TestOptions {
        metrics_token: Some("jeton-de-supervision".into()),
        ..TestOptions::default()
    }
}

async fn a_metrics_token_closes_the_metrics_to_others(app: TestApp) {
    assert_eq!(app.get("/metrics").await.status(), 401);
    let allowed = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth("jeton-de-supervision")
        .send()
        .await
        .unwrap();
    assert_eq!(allowed.status(), 200);
}
on_both_databases!(a_metrics_token_closes_the_metrics_to_others, with_token);

/// A whole journey against the server binary with every log on; then the logs are
/// searched for each secret the journey used.
async fn no_secret_reaches_the_logs(app: TestApp) {
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let log = app.config.data_dir.join("server.log");
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_inscription-server"))
        .arg("serve")
        .env("DATABASE_URL", app.database_url())
        .env("DATA_DIR", &app.config.data_dir)
        .env("PORT", port.to_string())
        .env("ALTCHA_KEY_PREFIX", "00")
        .env("RUST_LOG", "trace")
        .env("LOG_FORMAT", "json")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    wait_ready(&base).await;
    let post = |path: &str, body: serde_json::Value, cookie: Option<String>| {
        let mut request = app.client.post(format!("{base}{path}")).json(&body);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send()
    };
    let captcha = app.captcha_token().await;
    let step1 = post(
        "/api/registration/step1",
        json!({ "client_number": "237517", "captcha": captcha }),
        None,
    )
    .await
    .unwrap();
    let ticket = step1.json::<serde_json::Value>().await.unwrap()["ticket"]
        .as_str()
        .unwrap()
        .to_owned();
    let email = "anne@habitat-loire.fr";
    let body = serde_json::to_value(first_user(&ticket, email)).unwrap();
    assert_eq!(
        post("/api/registration/first-user", body, None)
            .await
            .unwrap()
            .status(),
        200
    );
    let letter = inscription_server::db::letters::queued(&app.db)
        .await
        .unwrap()
        .remove(0);
    let code = letter.temporary_password.clone().unwrap();
    let opposition = letter.opposition_code.clone().unwrap();
    let signed_in = post(
        "/api/session",
        json!({ "email": email, "password": code }),
        None,
    )
    .await
    .unwrap();
    let cookie = crate::account::session_cookie(&signed_in).unwrap();
    let password = "Tournesol!2026-Loire";
    let activated = post(
        "/api/activation",
        json!({ "password": password }),
        Some(cookie.clone()),
    )
    .await
    .unwrap();
    assert_eq!(activated.status(), 200);
    let full = crate::account::session_cookie(&activated).unwrap();
    post("/api/password/forgotten", json!({ "email": email }), None)
        .await
        .unwrap();
    let reset = crate::helpers::link_token(&app, email).await;
    // The reset page is loaded with its token in the query string.
    app.client
        .get(format!("{base}/mot-de-passe/nouveau?jeton={reset}"))
        .send()
        .await
        .unwrap();
    let wrong = post(
        "/api/session",
        json!({ "email": email, "password": "Mauvais!Mot2Passe" }),
        None,
    )
    .await
    .unwrap();
    assert_eq!(wrong.status(), 401);
    server.kill().unwrap();
    server.wait().unwrap();

    let logs = std::fs::read_to_string(&log).unwrap();
    assert!(logs.contains("request_id"), "the logs carry request ids");
    let token = |cookie: &str| cookie.split_once('=').unwrap().1.to_owned();
    for secret in [
        code.clone(),
        code.replace('-', ""),
        opposition,
        password.to_owned(),
        "Mauvais!Mot2Passe".to_owned(),
        token(&cookie),
        token(&full),
        reset,
        ticket,
        captcha,
    ] {
        assert!(!logs.contains(&secret), "a secret is in the logs: {secret}");
    }
}
on_both_databases!(no_secret_reaches_the_logs, demo);
