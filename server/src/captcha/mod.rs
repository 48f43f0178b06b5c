//! "Je ne suis pas un robot" (PRODUCT.md §8): one widget, two providers behind one
//! interface. The self-hosted ALTCHA proof of work is the default (no third party, no
//! tracking, works with no outside network); Google reCAPTCHA v2 when keys are configured.
//! Every token is single-use on every instance: used tokens are kept in the database.

mod altcha;
mod recaptcha;

use std::collections::HashSet;
use std::net::IpAddr;

use serde::Serialize;

use crate::db::{self, Db, Tx};

pub use self::altcha::Altcha;
pub use self::recaptcha::Recaptcha;

/// The configured provider.
#[derive(Clone)]
pub enum Captcha {
    Altcha(Altcha),
    Recaptcha(Recaptcha),
}

/// What the page needs to show the widget.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(tag = "provider", rename_all = "snake_case")]
pub enum WidgetConfig {
    Altcha,
    Recaptcha { site_key: String },
}

#[derive(Debug, thiserror::Error)]
pub enum CaptchaError {
    #[error("Cochez la case «\u{a0}Je ne suis pas un robot\u{a0}».")]
    Missing,
    #[error("La vérification «\u{a0}Je ne suis pas un robot\u{a0}» a échoué ou a expiré\u{a0}: cochez de nouveau la case.")]
    Invalid,
    #[error(
        "Cette vérification a déjà servi\u{a0}: cochez de nouveau la case «\u{a0}Je ne suis pas un robot\u{a0}»."
    )]
    Replayed,
    #[error("Le service de vérification «\u{a0}Je ne suis pas un robot\u{a0}» ne répond pas. Réessayez dans quelques instants.")]
    Unavailable(String),
    #[error("erreur de base de données")]
    Database(#[from] sqlx::Error),
}

impl Captcha {
    pub fn widget_config(&self) -> WidgetConfig {
        match self {
            Captcha::Altcha(_) => WidgetConfig::Altcha,
            Captcha::Recaptcha(r) => WidgetConfig::Recaptcha {
                site_key: r.site_key().to_owned(),
            },
        }
    }

    /// Checks a token with the provider (a proof of work in memory, reCAPTCHA by a call to
    /// Google), without spending it.
    pub async fn check(&self, token: &str, client: IpAddr) -> Result<UsedToken, CaptchaError> {
        let token = token.trim();
        if token.is_empty() {
            return Err(CaptchaError::Missing);
        }
        match self {
            Captcha::Altcha(a) => a.verify(token),
            Captcha::Recaptcha(r) => r.verify(token, client).await,
        }
    }

    /// Checks a token, at least `extra` zeros harder than the configured difficulty if it
    /// is a proof of work, then spends it so that it never serves twice.
    pub async fn verify(
        &self,
        db: &Db,
        token: &str,
        client: IpAddr,
        extra: usize,
    ) -> Result<(), CaptchaError> {
        let token = self.check(token, client).await?;
        token.require(extra)?;
        if db::captcha::mark_used(db, &token.key, token.expires_at).await? {
            Ok(())
        } else {
            Err(CaptchaError::Replayed)
        }
    }
}

/// A token the provider accepted: what identifies it, until when it must be remembered,
/// and how much harder than the configured difficulty its proof of work was.
pub struct UsedToken {
    pub key: String,
    pub expires_at: i64,
    pub extra: usize,
}

impl UsedToken {
    /// Refuses a proof of work easier than `extra` more zeros: it was drawn for fewer
    /// attempts than its address has made since.
    pub fn require(&self, extra: usize) -> Result<(), CaptchaError> {
        if self.extra >= extra {
            Ok(())
        } else {
            Err(CaptchaError::Invalid)
        }
    }

    /// Spends each of `tokens` within a transaction, in one statement: a token is refused if
    /// it already served, on any instance, or earlier among `tokens`.
    pub async fn spend_each_in(
        tx: &mut Tx<'_>,
        tokens: &[&UsedToken],
    ) -> Result<Vec<Result<(), CaptchaError>>, sqlx::Error> {
        let mut distinct = HashSet::new();
        let first: Vec<bool> = tokens
            .iter()
            .map(|token| distinct.insert(token.key.as_str()))
            .collect();
        let rows: Vec<(&str, i64)> = tokens
            .iter()
            .zip(&first)
            .filter(|(_, first)| **first)
            .map(|(token, _)| (token.key.as_str(), token.expires_at))
            .collect();
        let fresh = db::captcha::mark_each_used_in(tx, &rows).await?;
        Ok(tokens
            .iter()
            .zip(first)
            .map(|(token, first)| {
                if first && fresh.contains(&token.key) {
                    Ok(())
                } else {
                    Err(CaptchaError::Replayed)
                }
            })
            .collect())
    }
}
