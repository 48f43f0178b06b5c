//! The self-hosted proof of work, ALTCHA protocol v2 (the `altcha` crate). The page's
//! worker (`app/captcha-worker.js`) finds the counter; the server only checks it.

use std::sync::Arc;

use altcha::{CreateChallengeOptions, Payload, VerifySolutionOptions};
use base64::Engine;

use super::{CaptchaError, UsedToken};
use crate::db::now;

/// Challenges are valid this long: enough to fill step 1 without hurry.
const CHALLENGE_TTL_SECONDS: i64 = 20 * 60;

#[derive(Clone)]
pub struct Altcha {
    secret: Arc<str>,
    /// Hex digits the derived key must start with: each `0` is 16 times more work.
    key_prefix: Arc<str>,
}

impl Altcha {
    pub fn new(secret: &str, key_prefix: &str) -> Self {
        Self {
            secret: secret.into(),
            key_prefix: key_prefix.into(),
        }
    }

    /// A fresh signed challenge (SHA-256, one round: the difficulty is in the prefix).
    pub fn challenge(&self) -> Result<altcha::Challenge, CaptchaError> {
        altcha::create_challenge(CreateChallengeOptions {
            algorithm: "SHA-256".into(),
            cost: 1,
            key_prefix: self.key_prefix.to_string(),
            expires_at: Some(now() + CHALLENGE_TTL_SECONDS),
            hmac_signature_secret: Some(self.secret.to_string()),
            ..CreateChallengeOptions::default()
        })
        .map_err(|e| CaptchaError::Unavailable(e.to_string()))
    }

    /// Checks a solution: the token is the base64 of the JSON `{challenge, solution}`.
    pub(super) fn verify(&self, token: &str) -> Result<UsedToken, CaptchaError> {
        let json = base64::engine::general_purpose::STANDARD
            .decode(token)
            .map_err(|_| CaptchaError::Invalid)?;
        let payload: Payload = serde_json::from_slice(&json).map_err(|_| CaptchaError::Invalid)?;
        // Only our own kind of challenge: a client must not pick an easier algorithm.
        let params = &payload.challenge.parameters;
        if params.algorithm != "SHA-256" || params.key_prefix != *self.key_prefix {
            return Err(CaptchaError::Invalid);
        }
        let result = altcha::verify_solution(VerifySolutionOptions::new(
            &payload.challenge,
            &payload.solution,
            self.secret.to_string(),
        ))
        .map_err(|_| CaptchaError::Invalid)?;
        let signature = payload.challenge.signature.clone().unwrap_or_default();
        match (result.verified, params.expires_at) {
            (true, Some(expires_at)) if !signature.is_empty() => Ok(UsedToken {
                key: format!("altcha:{signature}"),
                expires_at,
            }),
            _ => Err(CaptchaError::Invalid),
        }
    }
}
