//! Google reCAPTCHA v2: the server asks the siteverify API about each token. Its address
//! is configurable, so that tests run a local stand-in speaking the same protocol.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::{CaptchaError, UsedToken};
use crate::db::now;

/// Google's tokens live two minutes; remember used ones a little longer.
const TOKEN_MEMORY_SECONDS: i64 = 10 * 60;
/// A box ticked longer ago than this is not believed, whatever siteverify says.
pub const MAX_AGE_SECONDS: i64 = 5 * 60;

#[derive(Clone)]
pub struct Recaptcha {
    site_key: Arc<str>,
    secret: Arc<str>,
    verify_url: Arc<str>,
    /// The host people reach the service at: a token solved on another site is refused.
    hostname: Arc<str>,
    http: reqwest::Client,
}

/// The siteverify answer (only what we use).
#[derive(Deserialize)]
struct SiteverifyAnswer {
    success: bool,
    #[serde(default, rename = "error-codes")]
    error_codes: Vec<String>,
    #[serde(default)]
    hostname: String,
    /// When the box was ticked (RFC 3339).
    #[serde(default)]
    challenge_ts: String,
}

/// Whether an accepted answer is for our site and fresh at `now`.
fn for_us_and_fresh(answer: &SiteverifyAnswer, hostname: &str, now: i64) -> bool {
    let ticked = time::OffsetDateTime::parse(
        &answer.challenge_ts,
        &time::format_description::well_known::Rfc3339,
    )
    .map(|t| t.unix_timestamp());
    answer.hostname.eq_ignore_ascii_case(hostname)
        && ticked.is_ok_and(|t| t <= now + 60 && now - t <= MAX_AGE_SECONDS)
}

impl Recaptcha {
    /// `public_url` names the host the widget runs on.
    pub fn new(
        site_key: &str,
        secret: &str,
        verify_url: &str,
        public_url: &str,
    ) -> Result<Self, reqwest::Error> {
        let hostname = reqwest::Url::parse(public_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_default();
        Ok(Self {
            hostname: hostname.into(),
            site_key: site_key.into(),
            secret: secret.into(),
            verify_url: verify_url.into(),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(5))
                .build()?,
        })
    }

    pub fn site_key(&self) -> &str {
        &self.site_key
    }

    pub(super) async fn verify(
        &self,
        token: &str,
        client: IpAddr,
    ) -> Result<UsedToken, CaptchaError> {
        let client = client.to_string();
        let form = [
            ("secret", &*self.secret),
            ("response", token),
            ("remoteip", client.as_str()),
        ];
        let response = self
            .http
            .post(&*self.verify_url)
            .form(&form)
            .send()
            .await
            .map_err(|e| CaptchaError::Unavailable(e.to_string()))?;
        if !response.status().is_success() {
            return Err(CaptchaError::Unavailable(format!(
                "siteverify answered {}",
                response.status()
            )));
        }
        let answer: SiteverifyAnswer = response
            .json()
            .await
            .map_err(|e| CaptchaError::Unavailable(format!("malformed siteverify answer: {e}")))?;
        if !answer.success {
            tracing::info!(errors = ?answer.error_codes, "reCAPTCHA refused a token");
            return Err(CaptchaError::Invalid);
        }
        if !for_us_and_fresh(&answer, &self.hostname, now()) {
            tracing::info!(hostname = %answer.hostname, ticked = %answer.challenge_ts, "reCAPTCHA token for another site, or stale");
            return Err(CaptchaError::Invalid);
        }
        Ok(UsedToken {
            key: format!("recaptcha:{:x}", Sha256::digest(token.as_bytes())),
            expires_at: now() + TOKEN_MEMORY_SECONDS,
            // A person ticked the box: no proof of work to grow.
            extra: usize::MAX,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(hostname: &str, challenge_ts: &str) -> SiteverifyAnswer {
        SiteverifyAnswer {
            success: true,
            error_codes: Vec::new(),
            hostname: hostname.into(),
            challenge_ts: challenge_ts.into(),
        }
    }

    #[test]
    fn only_our_host_and_a_recent_tick_are_believed() {
        // 2026-01-01T12:00:00Z
        let noon = 1_767_268_800;
        let fresh = "2026-01-01T11:58:00Z";
        assert!(for_us_and_fresh(
            &answer("inscription.example", fresh),
            "inscription.example",
            noon
        ));
        assert!(!for_us_and_fresh(
            &answer("evil.example", fresh),
            "inscription.example",
            noon
        ));
        assert!(!for_us_and_fresh(
            &answer("inscription.example", "2026-01-01T11:50:00Z"),
            "inscription.example",
            noon
        ));
        assert!(!for_us_and_fresh(
            &answer("inscription.example", ""),
            "inscription.example",
            noon
        ));
    }
}
