//! "Pas vous ?" (PRODUCT.md §4): the legal representative who receives a letter for a
//! person they do not know cancels that candidacy with the letter's code; the candidate
//! is told by e-mail.

use std::net::IpAddr;

use inscription_shared::operator::{Opposition, OPPOSITION_FAILED};
use inscription_shared::FieldError;

use crate::account::token_hash;
use crate::back_office::outbox::cancellation_notice;
use crate::db;
use crate::db::audit::AuditEvent;
use crate::db::letters::{self, Cancellation};
use crate::db::Db;
use crate::email::Mailer;
use crate::rate_limit::{address_key, Limit, Limits, RateLimitError};
use crate::settings::Settings;

/// Wrong codes per client address: a code is 59 bits, guessing is hopeless behind this.
pub const FAILURES_PER_ADDRESS: Limit = Limit {
    kind: "opposition-failures-address",
    max: 10,
    window_seconds: 60 * 60,
};

#[derive(Debug, thiserror::Error)]
pub enum OppositionError {
    #[error("Vérifiez les champs signalés.")]
    Invalid(Vec<FieldError>),
    #[error("{}", OPPOSITION_FAILED)]
    NoMatch,
    #[error(transparent)]
    Throttled(#[from] RateLimitError),
    #[error("erreur de base de données")]
    Database(#[from] sqlx::Error),
}

pub async fn oppose(
    db: &Db,
    limits: Limits<'_>,
    settings: &Settings,
    mailer: &Mailer,
    request: &Opposition,
    ip: IpAddr,
) -> Result<(), OppositionError> {
    let address = ip.to_string();
    let (number, code) = request.validate().map_err(OppositionError::Invalid)?;
    // The try takes its slot before the code is looked up; a right code gives it back.
    let slot = limits.take(&FAILURES_PER_ADDRESS, &address_key(ip)).await?;
    let found = letters::by_opposition(db, number.as_str(), &token_hash(code.expose())).await?;
    let Some(user_id) = found else {
        db::audit::append(
            db,
            &AuditEvent {
                action: "candidacy.opposition_failed",
                actor: "anonymous".into(),
                ip: address,
                establishment_id: None,
                user_id: None,
                details: format!("numéro client {}", number.as_str()),
            },
        )
        .await?;
        return Err(OppositionError::NoMatch);
    };
    let (subject, body) = cancellation_notice(
        "le représentant légal de votre établissement s’y est opposé à réception du courrier.",
        &settings.public_url,
        &settings.lender,
    );
    let closed = letters::cancel_user(
        db,
        user_id,
        &Cancellation {
            action: "candidacy.opposed",
            actor: "legal_representative",
            ip: &address,
            details: "inscription annulée par le représentant légal avec le code d’opposition du courrier",
            notice: (&subject, &body),
        },
    )
    .await?;
    if !closed {
        return Err(OppositionError::NoMatch);
    }
    slot.give_back(db).await?;
    db::erase_freed(db).await;
    mailer.send_queued();
    Ok(())
}
