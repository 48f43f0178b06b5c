//! Step 1: the CAPTCHA, then the client number; success gives the signed ticket.

use std::net::IpAddr;

use inscription_shared::registration::{Step1Request, Step1Response};
use inscription_shared::{ClientNumber, ClientNumberError};
use rand::distributions::{Alphanumeric, DistString};

use super::{decide_case, unknown_establishment};
use crate::captcha::CaptchaError;
use crate::db;
use crate::directory::EstablishmentStatus;
use crate::rate_limit::{address_key, Limit, RateLimitError};
use crate::startup::AppState;
use crate::ticket::Ticket;

/// Step-1 attempts per client address: generous for a shared office connection.
pub const PER_ADDRESS: Limit = Limit {
    kind: "step1-address",
    max: 30,
    window_seconds: 15 * 60,
};
/// Step-1 attempts per client number: guessing around one number is slowed down.
pub const PER_NUMBER: Limit = Limit {
    kind: "step1-number",
    max: 10,
    window_seconds: 15 * 60,
};

/// Extra hex zeros of proof of work (16 times the work each) for an address that has
/// tried step 1 this many times in the last window: a person needs a few tries, a script
/// going through client numbers many.
pub fn difficulty_for(recent_attempts: i64) -> usize {
    match recent_attempts {
        ..=5 => 0,
        6..=15 => 1,
        _ => 2,
    }
}

/// The extra difficulty of a challenge drawn for `ip` now.
pub async fn extra_difficulty(state: &AppState, ip: IpAddr) -> Result<usize, sqlx::Error> {
    let recent = PER_ADDRESS
        .estimate(&state.db, &address_key(ip), state.clock.now())
        .await?;
    Ok(difficulty_for(recent))
}

#[derive(Debug, thiserror::Error)]
pub enum Step1Error {
    #[error(transparent)]
    RateLimited(#[from] RateLimitError),
    #[error(transparent)]
    Captcha(#[from] CaptchaError),
    #[error(transparent)]
    ClientNumber(#[from] ClientNumberError),
    /// The support's phone is said with it.
    #[error("{}", unknown_establishment(.0))]
    UnknownEstablishment(String),
    #[error("erreur de base de données")]
    Database(#[from] sqlx::Error),
}

pub async fn start(
    state: &AppState,
    request: &Step1Request,
    ip: IpAddr,
) -> Result<Step1Response, Step1Error> {
    let at = state.clock.now();
    let attempt = PER_ADDRESS.hit(&state.db, &address_key(ip), at).await?;
    if let Some(wait) = attempt.over {
        return Err(RateLimitError::Exceeded(wait).into());
    }
    // The challenge was drawn before this attempt counted.
    let extra = difficulty_for(attempt.count - 1);
    state
        .captcha
        .verify(&state.db, &request.captcha, ip, extra)
        .await?;
    let number = ClientNumber::parse(&request.client_number)?;
    state.limits().take(&PER_NUMBER, number.as_str()).await?;
    let establishment = db::establishments::find_by_client_number(&state.db, &number)
        .await?
        .filter(|e| e.status() == EstablishmentStatus::Active)
        .ok_or_else(|| Step1Error::UnknownEstablishment(state.settings.lender.phone.clone()))?;
    let facts = db::registrations::facts(&state.db, establishment.id, at).await?;
    let ticket = Ticket {
        establishment_id: establishment.id,
        expires_at: at + state.settings.ticket_ttl_seconds,
        nonce: Alphanumeric.sample_string(&mut rand::rngs::OsRng, 22),
    };
    Ok(Step1Response {
        ticket: state.tickets.sign(&ticket),
        client_number: number,
        establishment_name: establishment.name,
        case: decide_case(&facts),
        expires_at: ticket.expires_at,
    })
}
