//! Step 1: the CAPTCHA, then the client number; success gives the signed ticket.

use std::net::IpAddr;
use std::sync::Arc;

use inscription_shared::registration::{Step1Request, Step1Response};
use inscription_shared::{ClientNumber, ClientNumberError};
use rand::distributions::{Alphanumeric, DistString};

use super::step1_batch::{Attempt, Passed};
use super::{decide_case, unknown_establishment, Registrar};
use crate::captcha::CaptchaError;
use crate::rate_limit::{address_key, Limit, RateLimitError};
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
pub async fn extra_difficulty(registrar: &Registrar<'_>, ip: IpAddr) -> Result<usize, sqlx::Error> {
    let recent = PER_ADDRESS
        .estimate(registrar.db, &address_key(ip), registrar.at)
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
    /// The batch that held this attempt, and others', failed: its transaction or its look-up.
    #[error("erreur de base de données")]
    Unwritten(Arc<sqlx::Error>),
}

/// Checks the CAPTCHA token (in memory, or a call to Google), then counts the attempt, spends
/// the token and looks the number up with other requests' attempts
/// ([`super::step1_batch`]), committed whatever its outcome (a refused attempt still counts).
/// The refusals come in the same order as ever; one over a limit is answered after the
/// tarpit, outside the transaction.
pub async fn start(
    registrar: &Registrar<'_>,
    request: &Step1Request,
    ip: IpAddr,
) -> Result<Step1Response, Step1Error> {
    let limits = registrar.limits();
    let address = address_key(ip);
    // An address known to be over is refused before its token costs anything.
    limits.refuse_known(&PER_ADDRESS, &address).await?;
    let token = registrar.captcha.check(&request.captcha, ip).await;
    let passed = registrar
        .step1_batch
        .run(Attempt {
            address,
            token,
            number: ClientNumber::parse(&request.client_number),
            at: limits.at,
        })
        .await;
    if let Err(Step1Error::RateLimited(_)) = passed {
        registrar.penalties.tarpit().await;
    }
    let Passed { number, found } = passed?;
    let (establishment, facts) = found
        .ok_or_else(|| Step1Error::UnknownEstablishment(registrar.settings.lender.phone.clone()))?;
    let ticket = Ticket {
        establishment_id: establishment.id,
        expires_at: limits.at + registrar.settings.ticket_ttl_seconds,
        // `thread_rng` is a CSPRNG seeded from the OS: `OsRng` here cost a `getrandom`
        // system call for each of the 22 characters of every step 1.
        nonce: Alphanumeric.sample_string(&mut rand::thread_rng(), 22),
    };
    Ok(Step1Response {
        ticket: registrar.tickets.sign(&ticket),
        client_number: number,
        establishment_name: establishment.name,
        case: decide_case(&facts),
        expires_at: ticket.expires_at,
    })
}
