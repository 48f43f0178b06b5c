//! Activation: the candidate, signed in with the letter's temporary password, chooses a
//! password and becomes an active administrator; the session is replaced by a new one.

use std::net::IpAddr;

use inscription_shared::account::{fields, ActivationRequest};
use inscription_shared::password::{Password, PasswordError, PersonalWords};

use super::new_session_token;
use crate::db;
use crate::db::Db;
use crate::domain::Purpose;
use crate::password_hash::HashError;
use crate::password_hash::Hasher;
use crate::session::CurrentSession;

#[derive(Debug, thiserror::Error)]
pub enum ActivationError {
    #[error("Votre compte est déjà activé.")]
    NotNeeded,
    #[error(transparent)]
    Password(#[from] PasswordError),
    #[error("erreur de hachage")]
    Hash(#[from] HashError),
    #[error("erreur de base de données")]
    Database(#[from] sqlx::Error),
}

impl ActivationError {
    /// The form field an error belongs to.
    pub const FIELD: &'static str = fields::NEW_PASSWORD;
}

/// Returns the new session's token.
pub async fn activate(
    db: &Db,
    hasher: &Hasher,
    at: i64,
    session: &CurrentSession,
    request: &ActivationRequest,
    ip: IpAddr,
) -> Result<String, ActivationError> {
    if session.purpose != Purpose::Activation {
        return Err(ActivationError::NotNeeded);
    }
    let profile = db::accounts::profile(db, session.user_id)
        .await?
        .ok_or(ActivationError::NotNeeded)?;
    let personal = PersonalWords {
        email: Some(&profile.email),
        last_name: Some(&profile.last_name),
        first_name: Some(&profile.first_name),
    };
    let password = Password::parse(&request.password, personal)?;
    let hash = hasher.hash(password.expose()).await?;
    let (token, new_hash) = new_session_token();
    let done = db::accounts::activate(
        db,
        session.user_id,
        &hash,
        (&session.token_hash, &new_hash),
        &ip.to_string(),
        at,
    )
    .await?;
    if done {
        // The letter's codes were erased with the activation.
        db::erase_freed(db).await;
        Ok(token)
    } else {
        Err(ActivationError::NotNeeded)
    }
}
