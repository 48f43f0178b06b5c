//! Step 2, case 1: the first user of an establishment becomes its administrator
//! candidate; a temporary password is drawn, hashed, and printed in a queued letter to
//! the legal representative.

use std::net::IpAddr;

use inscription_shared::registration::{FirstUserRequest, RegistrationCase, Step2Response};
use inscription_shared::temporary_password::{TemporaryPassword, ALPHABET, LENGTH};
use rand::Rng;

use super::{confirm, with_retry, Step2Error};
use crate::db::registrations::{create_candidate, NewCandidate};
use crate::db::{self, now};
use crate::startup::AppState;

/// A fresh temporary password from the operating system's random source.
pub fn draw_temporary_password() -> TemporaryPassword {
    let mut rng = rand::rngs::OsRng;
    let mut indexes = [0u8; LENGTH];
    for i in &mut indexes {
        *i = rng.gen_range(0..ALPHABET.len() as u8);
    }
    TemporaryPassword::from_indexes(indexes)
}

pub async fn register(
    state: &AppState,
    request: &FirstUserRequest,
    ip: IpAddr,
) -> Result<Step2Response, Step2Error> {
    let ticket = state.tickets.verify(&request.ticket)?;
    let identity = request.validate().map_err(Step2Error::Invalid)?;
    let establishment = db::establishments::find_by_id(&state.db, ticket.establishment_id)
        .await?
        .ok_or(Step2Error::UnknownEstablishment)?;
    let code = draw_temporary_password();
    let hash = state.hasher.hash(code.expose()).await?;
    let printed = code.printed();
    let candidate = NewCandidate {
        establishment_id: establishment.id,
        ticket: &ticket.nonce,
        identity: &identity,
        temporary_password_hash: &hash,
        temporary_password_printed: &printed,
        code_expires_at: now() + state.settings.temporary_password_days * 86_400,
        ip: &ip.to_string(),
    };
    let outcome = with_retry(|| create_candidate(&state.db, &candidate)).await?;
    confirm(
        outcome,
        RegistrationCase::FirstUser,
        establishment.name,
        identity.email.as_str(),
    )
}
