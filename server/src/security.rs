//! HTTP hardening (PRODUCT.md §6): security headers on every answer, and the CSRF guard of
//! every state-changing API request.
//!
//! The Content-Security-Policy has no `unsafe-inline` nor `unsafe-eval`: the one inline
//! script trunk writes into each bundle's `index.html` (the module that starts the wasm) and
//! the stylesheet inlined there are allowed by their SHA-256, computed from the built files
//! at start-up, and wasm by `wasm-unsafe-eval`.

use std::path::Path;

use axum::extract::Request;
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::error::ApiError;

/// The header every state-changing API request carries. A cross-site form cannot set it,
/// and a cross-site script cannot either without a CORS preflight this server never grants.
pub const CSRF_HEADER: &str = "x-inscription";

const RECAPTCHA_SCRIPTS: &str =
    "https://www.google.com/recaptcha/ https://www.gstatic.com/recaptcha/";
const RECAPTCHA_FRAMES: &str =
    "https://www.google.com/recaptcha/ https://recaptcha.google.com/recaptcha/";

/// `'sha256-…'` of each inline `<script>` of the page.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    inline_hashes(html, "script")
}

/// `'sha256-…'` of each inline `<style>` of the page: the stylesheet, written into the
/// page so that its frame paints without a second round trip.
pub fn inline_style_hashes(html: &str) -> Vec<String> {
    inline_hashes(html, "style")
}

/// `'sha256-…'` of the content of each `<element>` of the page that has no `src`.
fn inline_hashes(html: &str, element: &str) -> Vec<String> {
    let (open, close_tag) = (format!("<{element}"), format!("</{element}>"));
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(&open) {
        rest = &rest[start..];
        let Some(open_end) = rest.find('>') else {
            break;
        };
        let tag = &rest[..open_end];
        let body = &rest[open_end + 1..];
        let Some(close) = body.find(&close_tag) else {
            break;
        };
        if !tag.contains("src=") {
            let digest = Sha256::digest(&body.as_bytes()[..close]);
            hashes.push(format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        rest = &body[close..];
    }
    hashes
}

/// The policy for the app as built in `static_dir`, with reCAPTCHA's origins only when
/// that provider is on.
pub fn content_security_policy(static_dir: &Path, recaptcha: bool) -> String {
    let mut scripts = vec!["'self'".to_owned(), "'wasm-unsafe-eval'".to_owned()];
    let mut styles = vec!["'self'".to_owned()];
    for page in crate::static_files::pages(static_dir) {
        let html = std::fs::read_to_string(page).unwrap_or_default();
        scripts.extend(inline_script_hashes(&html));
        for hash in inline_style_hashes(&html) {
            // The bundles share one stylesheet: one hash.
            if !styles.contains(&hash) {
                styles.push(hash);
            }
        }
    }
    let mut frames = "'none'".to_owned();
    if recaptcha {
        scripts.push(RECAPTCHA_SCRIPTS.into());
        frames = RECAPTCHA_FRAMES.into();
    }
    format!(
        "default-src 'self'; script-src {}; style-src {}; img-src 'self' data:; \
         connect-src 'self'; worker-src 'self'; frame-src {frames}; frame-ancestors 'none'; \
         base-uri 'none'; form-action 'self'; object-src 'none'",
        scripts.join(" "),
        styles.join(" ")
    )
}

/// The headers every answer carries.
#[derive(Debug, Clone)]
pub struct SecurityHeaders {
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl SecurityHeaders {
    pub fn new(csp: &str, https: bool) -> Self {
        let mut headers = vec![
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_str(csp)
                    .unwrap_or(HeaderValue::from_static("default-src 'self'")),
            ),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
            // Links carry single-use tokens (e-mail verification, password reset).
            (
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            ),
            (
                HeaderName::from_static("cross-origin-opener-policy"),
                HeaderValue::from_static("same-origin"),
            ),
        ];
        if https {
            headers.push((
                header::STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static("max-age=31536000; includeSubDomains"),
            ));
        }
        Self { headers }
    }

    /// Adds the headers to an answer (a middleware).
    pub async fn apply(self, request: Request, next: Next) -> Response {
        let mut response = next.run(request).await;
        for (name, value) in self.headers {
            response.headers_mut().insert(name, value);
        }
        response
    }
}

pub const CSRF_REFUSED: &str =
    "Cette demande ne vient pas des pages du service\u{a0}: elle est refusée. Rechargez la page et recommencez.";

/// Refuses a state-changing API request that lacks [`CSRF_HEADER`]. Other methods go on to
/// the router, which serves them or answers 405.
pub async fn csrf_guard(request: Request, next: Next) -> Response {
    let changes = matches!(
        *request.method(),
        Method::POST | Method::PUT | Method::DELETE | Method::PATCH
    );
    if !changes || request.headers().contains_key(CSRF_HEADER) {
        next.run(request).await
    } else {
        ApiError::Forbidden(CSRF_REFUSED.into()).into_response()
    }
}

/// Whether a client's `X-Request-Id` is a short token: only then is it kept, to follow a
/// request across systems. Anything else (long, spaces, control characters) would forge
/// or bloat log lines, and the server draws its own id instead.
pub fn acceptable_request_id(value: &str) -> bool {
    (1..=64).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
}

/// Drops a client's `X-Request-Id` that is not [`acceptable_request_id`] (a middleware
/// that runs before the one that draws ids).
pub async fn drop_odd_request_id(mut request: Request, next: Next) -> Response {
    let keep = request
        .headers()
        .get("x-request-id")
        .is_none_or(|v| v.to_str().is_ok_and(acceptable_request_id));
    if !keep {
        request.headers_mut().remove("x-request-id");
    }
    next.run(request).await
}

/// How long a request may take before it is answered with an error (a slow client's body
/// included): no request holds a connection and a worker for longer.
pub const REQUEST_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(30);

/// Ends any request that takes longer than [`REQUEST_TIME_LIMIT`].
pub async fn time_limit(request: Request, next: Next) -> Response {
    match tokio::time::timeout(REQUEST_TIME_LIMIT, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::Unavailable(
            "La demande a pris trop de temps. Veuillez réessayer dans quelques instants.".into(),
        )
        .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_short_tokens_serve_as_request_ids() {
        assert!(acceptable_request_id(
            "b3c1e0d2-77aa-4f3b-9d2e-0a1b2c3d4e5f"
        ));
        assert!(!acceptable_request_id(""));
        assert!(!acceptable_request_id(&"a".repeat(65)));
        assert!(!acceptable_request_id("abc def"));
        assert!(!acceptable_request_id("abc\ninjected=1"));
    }

    #[test]
    fn hashes_inline_scripts_only() {
        let html = r#"<head><script src="/a.js"></script><script type="module">
import init from '/x.js';
</script></head>"#;
        let hashes = inline_script_hashes(html);
        assert_eq!(hashes.len(), 1);
        let expected = base64::engine::general_purpose::STANDARD
            .encode(Sha256::digest(b"\nimport init from '/x.js';\n"));
        assert_eq!(hashes[0], format!("'sha256-{expected}'"));
    }

    #[test]
    fn hashes_inline_styles_apart_from_scripts() {
        let html = "<head><style>body{margin:0}</style><script>go()</script></head>";
        let expected =
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"body{margin:0}"));
        assert_eq!(inline_style_hashes(html), [format!("'sha256-{expected}'")]);
        assert_eq!(inline_script_hashes(html).len(), 1);
    }
}
