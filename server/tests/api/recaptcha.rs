//! The reCAPTCHA provider against a local stand-in speaking Google's siteverify protocol.

use std::collections::HashMap;
use std::time::Duration;

use axum::routing::post;
use axum::{Form, Router};
use inscription_shared::registration::Step1Request;
use inscription_shared::ErrorResponse;

use crate::helpers::{spawn_app_with, Backend, TestApp, TestOptions};

/// Google's time format for `challenge_ts`, `seconds_ago` before now.
fn ticked(seconds_ago: i64) -> String {
    let at = time::OffsetDateTime::now_utc() - time::Duration::seconds(seconds_ago);
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

/// Answers like siteverify, by token: `bon`, `refuse`, `lent` (too slow), `casse` (not JSON),
/// `ailleurs` (solved on another site), `ancien` (ticked long ago).
async fn siteverify(Form(form): Form<HashMap<String, String>>) -> String {
    assert_eq!(
        form.get("secret").map(String::as_str),
        Some("secret-de-test")
    );
    match form.get("response").map(String::as_str) {
        Some(token) if token.starts_with("bon") => {
            format!(
                r#"{{"success": true, "hostname": "127.0.0.1", "challenge_ts": "{}"}}"#,
                ticked(5)
            )
        }
        Some("ailleurs") => {
            format!(
                r#"{{"success": true, "hostname": "autre-site.example", "challenge_ts": "{}"}}"#,
                ticked(5)
            )
        }
        Some("ancien") => {
            format!(
                r#"{{"success": true, "hostname": "127.0.0.1", "challenge_ts": "{}"}}"#,
                ticked(3600)
            )
        }
        Some("lent") => {
            tokio::time::sleep(Duration::from_secs(30)).await;
            r#"{"success": true}"#.into()
        }
        Some("casse") => "<html>pas du JSON</html>".into(),
        _ => r#"{"success": false, "error-codes": ["invalid-input-response"]}"#.into(),
    }
}

async fn app_with_stand_in(backend: Backend) -> Option<TestApp> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "http://{}/recaptcha/api/siteverify",
        listener.local_addr().unwrap()
    );
    let router = Router::new().route("/recaptcha/api/siteverify", post(siteverify));
    tokio::spawn(async move { axum::serve(listener, router).await });
    spawn_app_with(
        backend,
        TestOptions {
            demo_data: true,
            recaptcha: Some(url),
            ..TestOptions::default()
        },
    )
    .await
}

async fn step1(app: &TestApp, captcha: &str) -> (u16, ErrorResponse) {
    let request = Step1Request {
        client_number: "237517".into(),
        captcha: captcha.into(),
    };
    let response = app.post("/api/registration/step1", &request).await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or_default())
}

async fn recaptcha_answers(backend: Backend) {
    let Some(app) = app_with_stand_in(backend).await else {
        return;
    };
    let config: serde_json::Value = app.get("/api/captcha").await.json().await.unwrap();
    assert_eq!(config["provider"], "recaptcha");
    assert_eq!(config["site_key"], "site-key-de-test");
    assert_eq!(app.get("/api/captcha/challenge").await.status(), 404);

    assert_eq!(step1(&app, "bon-1").await.0, 200, "success");
    let (status, body) = step1(&app, "bon-1").await;
    assert_eq!(
        (status, body.fields[0].field.as_str()),
        (422, "captcha"),
        "a token serves once"
    );
    let (status, body) = step1(&app, "refuse").await;
    assert_eq!(status, 422, "failure");
    assert!(
        body.message.contains("a échoué ou a expiré"),
        "{}",
        body.message
    );
    for (token, why) in [
        ("ailleurs", "another site's token"),
        ("ancien", "a stale tick"),
    ] {
        let (status, body) = step1(&app, token).await;
        assert_eq!(
            (status, body.fields[0].field.as_str()),
            (422, "captcha"),
            "{why}"
        );
    }
    let (status, body) = step1(&app, "casse").await;
    assert_eq!(status, 503, "malformed answer");
    assert!(body.message.contains("ne répond pas"), "{}", body.message);
    let (status, _) = step1(&app, "lent").await;
    assert_eq!(status, 503, "timeout");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recaptcha_sqlite() {
    recaptcha_answers(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recaptcha_postgres() {
    recaptcha_answers(Backend::Postgres).await;
}
