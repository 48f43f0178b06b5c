//! Step 2, case 1: the first user of an establishment becomes its administrator
//! candidate; a temporary password is drawn, hashed, and printed in a queued letter to
//! the legal representative.

use std::net::IpAddr;

use inscription_shared::registration::{FirstUserRequest, RegistrationCase, Step2Response};
use inscription_shared::temporary_password::{TemporaryPassword, ALPHABET, LENGTH};
use rand::Rng;

use super::{
    admit, confirm, settle, take_first_user_budget, with_retry, within_limits, Registrar,
    Step2Error,
};
use crate::account::token_hash;
use crate::db;
use crate::db::letters::NewCode;
use crate::db::registrations::{create_candidate, NewCandidate, Outcome};
use crate::password_hash::{HashError, Hasher};
use crate::rate_limit::give_back_all;
use crate::settings::Settings;

/// A fresh temporary password from the operating system's random source.
pub fn draw_temporary_password() -> TemporaryPassword {
    let mut rng = rand::rngs::OsRng;
    let mut indexes = [0u8; LENGTH];
    for i in &mut indexes {
        *i = rng.gen_range(0..ALPHABET.len() as u8);
    }
    TemporaryPassword::from_indexes(indexes)
}

/// The two codes a letter prints: the temporary password (hashed with Argon2, as it
/// opens an account) and the "not you?" code (a SHA-256 is enough: it can only cancel,
/// and it is drawn from the same 59-bit space behind a rate limit).
pub struct LetterCodes {
    temporary_password: String,
    temporary_password_hash: String,
    opposition: String,
    opposition_hash: String,
    expires_at: i64,
}

impl LetterCodes {
    pub async fn draw(hasher: &Hasher, settings: &Settings, at: i64) -> Result<Self, HashError> {
        let code = draw_temporary_password();
        let opposition = draw_temporary_password();
        Ok(Self {
            temporary_password_hash: hasher.hash(code.expose()).await?,
            temporary_password: code.printed(),
            opposition_hash: token_hash(opposition.expose()),
            opposition: opposition.printed(),
            expires_at: at + settings.temporary_password_days * 86_400,
        })
    }

    pub fn new_code(&self) -> NewCode<'_> {
        NewCode {
            temporary_password_hash: &self.temporary_password_hash,
            temporary_password_printed: &self.temporary_password,
            opposition_printed: &self.opposition,
            opposition_hash: &self.opposition_hash,
            expires_at: self.expires_at,
        }
    }
}

pub async fn register(
    registrar: &Registrar<'_>,
    request: &FirstUserRequest,
    ip: IpAddr,
) -> Result<Step2Response, Step2Error> {
    let ticket = registrar.tickets.verify(&request.ticket, registrar.at)?;
    within_limits(registrar, &ticket, ip).await?;
    let identity = request.validate().map_err(Step2Error::Invalid)?;
    let establishment = db::establishments::find_by_id(registrar.db, ticket.establishment_id)
        .await?
        .ok_or_else(|| Step2Error::UnknownEstablishment(registrar.settings.lender.phone.clone()))?;
    let email = identity.email.as_str();
    let case = RegistrationCase::FirstUser;
    let outcome = match admit(registrar, &ticket, establishment.id, email, case).await? {
        Err(outcome) => outcome,
        Ok(claim) => {
            settle(registrar, claim, async {
                let budget = take_first_user_budget(registrar, ip)
                    .await
                    .inspect_err(|e| {
                        if let Step2Error::Budget { global, .. } = e {
                            let budget = if *global { "service" } else { "address" };
                            registrar
                                .metrics
                                .budget_refusals
                                .with_label_values(&[budget])
                                .inc();
                        }
                    })?;
                let made = async {
                    let codes =
                        LetterCodes::draw(registrar.hasher, registrar.settings, registrar.at)
                            .await?;
                    let candidate = NewCandidate {
                        establishment_id: establishment.id,
                        ticket: &ticket.nonce,
                        identity: &identity,
                        code: codes.new_code(),
                        ip: &ip.to_string(),
                    };
                    Ok(with_retry(|| create_candidate(registrar.db, &candidate)).await?)
                }
                .await;
                if !matches!(made, Ok(Outcome::Created { .. })) {
                    give_back_all(&budget, registrar.db).await?;
                }
                made
            })
            .await?
        }
    };
    confirm(
        outcome,
        case,
        establishment.name,
        email,
        &registrar.settings.lender.phone,
    )
}
