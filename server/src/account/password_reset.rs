//! "Mot de passe oublié": a single-use link valid one hour, sent by e-mail. The answer is
//! the same whether or not the address has an account.

use inscription_shared::pages::Page;
use std::net::IpAddr;

use inscription_shared::account::{fields, ForgottenPassword, PasswordReset};
use inscription_shared::identity::{Email, EmailError};
use inscription_shared::password::{Password, PasswordError, PersonalWords};

use super::token_hash;
use crate::db;
use crate::db::emails::{Link, LinkKind, TOKEN_MARK};
use crate::db::Db;
use crate::email::Mailer;
use crate::password_hash::HashError;
use crate::password_hash::Hasher;
use crate::rate_limit::{address_key, Limit, Limits, RateLimitError};
use crate::settings::Settings;

const LINK_TTL_SECONDS: i64 = 3600;

/// Links asked per client address.
pub const PER_ADDRESS: Limit = Limit {
    kind: "password-reset-address",
    max: 10,
    window_seconds: 3600,
};
/// Links asked per e-mail address.
pub const PER_EMAIL: Limit = Limit {
    kind: "password-reset-email",
    max: 3,
    window_seconds: 3600,
};

#[derive(Debug, thiserror::Error)]
pub enum ResetError {
    #[error(
        "Ce lien n’est pas valable\u{a0}: il a déjà servi ou a expiré. Demandez un nouveau lien."
    )]
    InvalidLink,
    #[error(transparent)]
    Email(#[from] EmailError),
    #[error(transparent)]
    Password(#[from] PasswordError),
    #[error(transparent)]
    Throttled(#[from] RateLimitError),
    #[error("erreur de hachage")]
    Hash(#[from] HashError),
    #[error("erreur de base de données")]
    Database(#[from] sqlx::Error),
}

impl ResetError {
    pub const FIELD: &'static str = fields::NEW_PASSWORD;
}

/// Sends a link to each active account with this address; says nothing of whether any.
pub async fn send_link(
    db: &Db,
    limits: Limits<'_>,
    settings: &Settings,
    mailer: &Mailer,
    request: &ForgottenPassword,
    ip: IpAddr,
) -> Result<(), ResetError> {
    let email = Email::parse(&request.email)?.normalized();
    limits.take(&PER_ADDRESS, &address_key(ip)).await?;
    limits.take(&PER_EMAIL, &email).await?;
    for (user_id, _) in db::accounts::active_with_email(db, &email).await? {
        // The token is drawn when the e-mail goes out (crate::email): not stored here.
        let link = format!(
            "{}{}?jeton={TOKEN_MARK}",
            settings.public_url,
            Page::NewPassword
        );
        let body = format!(
            "Bonjour,\n\nPour choisir un nouveau mot de passe pour les services en ligne des prêts sur fonds d’épargne, ouvrez ce lien (valable une heure, une seule fois)\u{a0}:\n{link}\n\nSi vous n’avez rien demandé, ignorez ce message\u{a0}: votre mot de passe ne change pas.\n\n{}",
            settings.lender.signature()
        );
        let link = Link {
            kind: LinkKind::PasswordReset,
            user_id,
            expires_at: limits.at + LINK_TTL_SECONDS,
        };
        db::accounts::queue_reset(
            db,
            link,
            (&email, "Choisir un nouveau mot de passe", &body),
            &ip.to_string(),
        )
        .await?;
    }
    mailer.send_queued();
    Ok(())
}

/// Uses a link: the new password replaces the old one and every session ends.
pub async fn reset(
    db: &Db,
    hasher: &Hasher,
    at: i64,
    request: &PasswordReset,
    ip: IpAddr,
) -> Result<(), ResetError> {
    let hash = token_hash(request.token.trim());
    let (_, email, last_name, first_name) = db::accounts::reset_owner(db, &hash, at)
        .await?
        .ok_or(ResetError::InvalidLink)?;
    let personal = PersonalWords {
        email: Some(&email),
        last_name: Some(&last_name),
        first_name: Some(&first_name),
    };
    let password = Password::parse(&request.password, personal)?;
    let password_hash = hasher.hash(password.expose()).await?;
    if db::accounts::reset_password(db, &hash, &password_hash, &ip.to_string(), at).await? {
        Ok(())
    } else {
        Err(ResetError::InvalidLink)
    }
}
