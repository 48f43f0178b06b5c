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

#[derive(Clone)]
pub struct Recaptcha {
    site_key: Arc<str>,
    secret: Arc<str>,
    verify_url: Arc<str>,
    http: reqwest::Client,
}

/// The siteverify answer (only what we use).
#[derive(Deserialize)]
struct SiteverifyAnswer {
    success: bool,
    #[serde(default, rename = "error-codes")]
    error_codes: Vec<String>,
}

impl Recaptcha {
    pub fn new(site_key: &str, secret: &str, verify_url: &str) -> Result<Self, reqwest::Error> {
        Ok(Self {
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
        Ok(UsedToken {
            key: format!("recaptcha:{:x}", Sha256::digest(token.as_bytes())),
            expires_at: now() + TOKEN_MEMORY_SECONDS,
        })
    }
}
