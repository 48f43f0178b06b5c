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

    /// A fresh signed challenge (SHA-256, one round: the difficulty is in the prefix),
    /// `extra` hex zeros harder than the configured difficulty (16 times the work each).
    pub fn challenge(&self, extra: usize) -> Result<altcha::Challenge, CaptchaError> {
        self.challenge_expiring_at(now() + CHALLENGE_TTL_SECONDS, extra)
    }

    fn challenge_expiring_at(
        &self,
        expires_at: i64,
        extra: usize,
    ) -> Result<altcha::Challenge, CaptchaError> {
        altcha::create_challenge(CreateChallengeOptions {
            algorithm: "SHA-256".into(),
            cost: 1,
            key_prefix: format!("{}{}", self.key_prefix, "0".repeat(extra)),
            expires_at: Some(expires_at),
            hmac_signature_secret: Some(self.secret.to_string()),
            ..CreateChallengeOptions::default()
        })
        .map_err(|e| CaptchaError::Unavailable(e.to_string()))
    }

    /// Checks a solution: the token is the base64 of the JSON `{challenge, solution}`, of a
    /// challenge of ours; the token says how many zeros harder than the configured
    /// difficulty it was.
    pub(super) fn verify(&self, token: &str) -> Result<UsedToken, CaptchaError> {
        let json = base64::engine::general_purpose::STANDARD
            .decode(token)
            .map_err(|_| CaptchaError::Invalid)?;
        let payload: Payload = serde_json::from_slice(&json).map_err(|_| CaptchaError::Invalid)?;
        // Only our own kind of challenge: a client must not pick an easier algorithm.
        let params = &payload.challenge.parameters;
        let extra = params
            .key_prefix
            .strip_prefix(&*self.key_prefix)
            .filter(|zeros| zeros.bytes().all(|b| b == b'0'))
            .map(str::len);
        let (Some(extra), "SHA-256") = (extra, params.algorithm.as_str()) else {
            return Err(CaptchaError::Invalid);
        };
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
                extra,
            }),
            _ => Err(CaptchaError::Invalid),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn solved(challenge: altcha::Challenge) -> String {
        let solution = altcha::solve_challenge(altcha::SolveChallengeOptions::new(&challenge))
            .unwrap()
            .unwrap();
        let payload = serde_json::to_vec(&Payload {
            challenge,
            solution,
        })
        .unwrap();
        base64::engine::general_purpose::STANDARD.encode(payload)
    }

    /// As [`super::super::Captcha::verify`] judges a proof of work, without the spending.
    fn verify(altcha: &Altcha, token: &str, extra: usize) -> Result<(), CaptchaError> {
        altcha.verify(token)?.require(extra)
    }

    #[test]
    fn a_solved_challenge_verifies_until_it_expires() {
        let altcha = Altcha::new("secret", "0");
        let fresh = altcha.challenge(0).unwrap();
        assert!(verify(&altcha, &solved(fresh), 0).is_ok());
        let stale = altcha.challenge_expiring_at(now() - 1, 0).unwrap();
        assert!(matches!(
            verify(&altcha, &solved(stale), 0),
            Err(CaptchaError::Invalid)
        ));
    }

    #[test]
    fn another_servers_challenge_or_an_easier_one_is_refused() {
        let ours = Altcha::new("secret", "00");
        let theirs = Altcha::new("other secret", "00");
        let foreign = theirs.challenge(0).unwrap();
        assert!(matches!(
            verify(&ours, &solved(foreign), 0),
            Err(CaptchaError::Invalid)
        ));
        let easier = Altcha::new("secret", "0").challenge(0).unwrap();
        assert!(matches!(
            verify(&ours, &solved(easier), 0),
            Err(CaptchaError::Invalid)
        ));
    }

    #[test]
    fn a_harder_challenge_serves_where_an_easier_one_no_longer_does() {
        let altcha = Altcha::new("secret", "0");
        let harder = solved(altcha.challenge(1).unwrap());
        assert_eq!(altcha.verify(&harder).unwrap().extra, 1);
        assert!(verify(&altcha, &harder, 1).is_ok());
        assert!(verify(&altcha, &harder, 0).is_ok());
        let base = solved(altcha.challenge(0).unwrap());
        assert!(matches!(
            verify(&altcha, &base, 1),
            Err(CaptchaError::Invalid)
        ));
    }
}
