//! "Je ne suis pas un robot" (PRODUCT.md §8): one widget, two providers behind one
//! interface. The self-hosted ALTCHA proof of work is the default (no third party, no
//! tracking, works with no outside network); Google reCAPTCHA v2 when keys are configured.
//! Every token is single-use on every instance: used tokens are kept in the database.

mod altcha;
mod recaptcha;

use std::net::IpAddr;

use serde::Serialize;

use crate::db::{self, Db};

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

    /// Checks a token with the provider, then burns it so that it never serves twice. A
    /// proof of work must be at least `extra` zeros harder than the configured difficulty.
    pub async fn verify(
        &self,
        db: &Db,
        token: &str,
        client: IpAddr,
        extra: usize,
    ) -> Result<(), CaptchaError> {
        let token = token.trim();
        if token.is_empty() {
            return Err(CaptchaError::Missing);
        }
        let used = match self {
            Captcha::Altcha(a) => a.verify(token, extra)?,
            Captcha::Recaptcha(r) => r.verify(token, client).await?,
        };
        if db::captcha::mark_used(db, &used.key, used.expires_at).await? {
            Ok(())
        } else {
            Err(CaptchaError::Replayed)
        }
    }
}

/// A verified token: what identifies it, and until when it must be remembered.
pub struct UsedToken {
    pub key: String,
    pub expires_at: i64,
}
