//! HTTP hardening: the security headers of every answer, the CSRF guard, the body limit.

use inscription_shared::ErrorResponse;
use serde_json::json;

use crate::helpers::{write, TestApp, TestOptions};
use crate::on_both_databases;

const INLINE: &str = "\nimport init from '/inscription-app-0123456789abcdef.js';\nawait init();\n";
const SPACES_INLINE: &str = "import init from '/espaces/inscription-spaces-0123456789abcdef.js';";
/// The stylesheet, written into each bundle's page.
const STYLE: &str = ".site-header{background:#0b4f6c}";

/// A built app whose two bundles' index have trunk's inline start-up module.
fn with_index() -> TestOptions {
    let dir = std::env::temp_dir().join(format!("dist-{}", uuid::Uuid::new_v4()));
    write(
        &dir.join("index.html"),
        format!("<!DOCTYPE html><title>app</title><style>{STYLE}</style><script type=\"module\">{INLINE}</script>"),
    );
    write(
        &dir.join("espaces/index.html"),
        format!(
            "<!doctype html><title>espaces</title><style>{STYLE}</style><script type=module>{SPACES_INLINE}</script>"
        ),
    );
    TestOptions {
        static_dir: Some(dir),
        ..TestOptions::default()
    }
}

fn csp(response: &reqwest::Response) -> String {
    response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned()
}

async fn every_answer_carries_the_security_headers(app: TestApp) {
    use base64::Engine;
    use sha2::Digest;
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(INLINE));
    let spaces_hash =
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(SPACES_INLINE));
    let style_hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(STYLE));
    for path in [
        "/",
        "/inscription",
        "/api/captcha",
        "/api/inconnue",
        "/healthz",
    ] {
        let response = app.get(path).await;
        let policy = csp(&response);
        assert!(
            policy.contains(&format!("'sha256-{hash}'"))
                && policy.contains(&format!("'sha256-{spaces_hash}'")),
            "{path}: {policy}"
        );
        assert!(
            policy.contains("script-src 'self' 'wasm-unsafe-eval'"),
            "{policy}"
        );
        assert!(
            policy.contains(&format!("style-src 'self' 'sha256-{style_hash}';")),
            "the one stylesheet of both pages, once: {policy}"
        );
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
        assert!(!policy.contains("'unsafe-inline'") && !policy.contains("'unsafe-eval'"));
        assert!(
            !policy.contains("google"),
            "no third party without reCAPTCHA"
        );
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["referrer-policy"], "no-referrer");
        assert_eq!(headers["x-frame-options"], "DENY");
        assert!(
            headers.get("strict-transport-security").is_none(),
            "no HSTS over plain HTTP"
        );
    }
}
on_both_databases!(every_answer_carries_the_security_headers, with_index);

fn over_https_with_recaptcha() -> TestOptions {
    TestOptions {
        public_url: Some("https://services.example.org".into()),
        recaptcha: Some("http://127.0.0.1:9/siteverify".into()),
        ..TestOptions::default()
    }
}

async fn https_adds_hsts_and_recaptcha_its_origins(app: TestApp) {
    let response = app.get("/healthz").await;
    assert_eq!(
        response.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
    let policy = csp(&response);
    assert!(
        policy.contains("https://www.google.com/recaptcha/"),
        "{policy}"
    );
    assert!(
        policy.contains("frame-src https://www.google.com/recaptcha/"),
        "{policy}"
    );
}
on_both_databases!(
    https_adds_hsts_and_recaptcha_its_origins,
    over_https_with_recaptcha
);

async fn a_change_without_the_pages_header_is_refused(app: TestApp) {
    // A bare client, as a forged cross-site form or script would be.
    let bare = reqwest::Client::new();
    for (method, path) in [
        ("POST", "/api/session"),
        ("DELETE", "/api/session"),
        ("POST", "/api/registration/step1"),
        ("PUT", "/api/admin/users/1/rights"),
        ("POST", "/api/operator/letters/dispatch"),
    ] {
        let response = bare
            .request(method.parse().unwrap(), app.url(path))
            .header("cookie", "inscription_session=quelconque")
            .json(&json!({ "email": "a@b.fr", "password": "x" }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403, "{method} {path}");
        let body: ErrorResponse = response.json().await.unwrap();
        assert!(body.message.contains("ne vient pas des pages du service"));
    }
    assert_eq!(
        bare.get(app.url("/api/captcha"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    // A method no endpoint has is not a change: it is answered 405, like any.
    let trace = bare
        .request("TRACE".parse().unwrap(), app.url("/api/captcha"))
        .send()
        .await
        .unwrap();
    assert_eq!(trace.status(), 405);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events").await, 0);
}
on_both_databases!(a_change_without_the_pages_header_is_refused);

async fn an_oversized_body_is_refused_in_french(app: TestApp) {
    let huge = "9".repeat(100 * 1024);
    let response = app
        .post(
            "/api/registration/step1",
            &json!({ "client_number": huge, "captcha": "" }),
        )
        .await;
    assert_eq!(response.status(), 413);
    let body: ErrorResponse = response.json().await.unwrap();
    assert_eq!(body.message, "La demande est trop volumineuse.");
}
on_both_databases!(an_oversized_body_is_refused_in_french);

/// PostgreSQL cannot store a NUL character in text: it is refused at the door, in French,
/// in a body or a query string, and in every field (found by the generated-input run).
async fn a_nul_character_is_refused_in_french(app: TestApp) {
    let op = crate::back_office::operator(&app).await;
    for (path, body) in [
        (
            "/api/session",
            json!({ "email": "a\u{0}@b.fr", "password": "x" }),
        ),
        ("/api/password/forgotten", json!({ "email": "\u{0}" })),
        (
            "/api/registration/step1",
            json!({ "client_number": "2\u{0}", "captcha": "" }),
        ),
    ] {
        let response = app.post(path, &body).await;
        assert_eq!(response.status(), 422, "{path}");
        let error: ErrorResponse = response.json().await.unwrap();
        assert!(
            error.message.contains("caractère nul"),
            "{path}: {}",
            error.message
        );
    }
    for path in [
        "/api/operator/establishments?q=%00",
        "/api/operator/audit?kind=a%00",
        "/api/operator/audit.csv?person=%00",
    ] {
        let response = crate::helpers::get_with(&app, path, &op).await;
        assert_eq!(response.status(), 422, "{path}");
    }
}
on_both_databases!(a_nul_character_is_refused_in_french, crate::helpers::demo);

async fn a_forgotten_password_needs_a_well_formed_address(app: TestApp) {
    let response = app
        .forgotten_password(&json!({ "email": "prenom.nom" }))
        .await;
    assert_eq!(response.status(), 422);
    let error: ErrorResponse = response.json().await.unwrap();
    assert_eq!(error.fields[0].field, "courriel");
    assert!(
        error.message.contains("«\u{a0}@\u{a0}»"),
        "{}",
        error.message
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM emails").await, 0);
}
on_both_databases!(a_forgotten_password_needs_a_well_formed_address);
