//! Step 2, case 2: a user of an establishment that has an account asks for access. The
//! e-mail address is proven by a single-use link; then the administrators are told.

use inscription_shared::pages::Page;
use std::net::IpAddr;

use inscription_shared::registration::{ExistingAccountRequest, RegistrationCase, Step2Response};

use super::{admit, confirm, settle, with_retry, within_limits, Registrar, Step2Error};
use crate::account::token_hash;
use crate::db;
use crate::db::emails::TOKEN_MARK;
use crate::db::registrations::{create_request, verify_email as verify, NewRequest, Verification};

/// Unanswered requests allowed per establishment and hour (PRODUCT.md §2).
pub const HOURLY_CAP: i64 = 10;
/// The verification link is valid this long.
const LINK_TTL_SECONDS: i64 = 48 * 3600;

pub async fn request_access(
    registrar: &Registrar<'_>,
    request: &ExistingAccountRequest,
    ip: IpAddr,
) -> Result<Step2Response, Step2Error> {
    let ticket = registrar.tickets.verify(&request.ticket, registrar.at)?;
    within_limits(registrar, &ticket, ip).await?;
    let (identity, password) = request.validate().map_err(Step2Error::Invalid)?;
    let establishment = db::establishments::find_by_id(registrar.db, ticket.establishment_id)
        .await?
        .ok_or_else(|| Step2Error::UnknownEstablishment(registrar.settings.lender.phone.clone()))?;
    let email = identity.email.as_str();
    let case = RegistrationCase::ExistingAccount;
    let claim = match admit(registrar, &ticket, establishment.id, email, case).await? {
        Ok(claim) => claim,
        Err(outcome) => {
            return confirm(
                outcome,
                case,
                establishment.name,
                email,
                &registrar.settings.lender.phone,
            )
        }
    };
    // The token is drawn when the e-mail goes out (crate::email): not stored here.
    let link = format!(
        "{}{}?jeton={TOKEN_MARK}",
        registrar.settings.public_url,
        Page::VerifyEmail
    );
    let body = format!(
        "Bonjour,\n\n\
         Vous avez demandé un accès aux services en ligne des prêts sur fonds d’épargne pour \
         l’établissement «\u{a0}{name}\u{a0}».\n\n\
         Pour confirmer votre adresse électronique, ouvrez ce lien (valable 48\u{a0}heures, une seule fois)\u{a0}:\n{link}\n\n\
         Votre demande sera ensuite transmise à l’administrateur de votre établissement, qui la validera.\n\n\
         Si vous n’êtes pas à l’origine de cette demande, ignorez ce message.\n\n\
         {signature}",
        name = establishment.name,
        signature = registrar.settings.lender.signature(),
    );
    let outcome = settle(registrar, claim, async {
        let password_hash = registrar.hasher.hash(password.expose()).await?;
        let new_request = NewRequest {
            establishment_id: establishment.id,
            ticket: &ticket.nonce,
            identity: &identity,
            password_hash: &password_hash,
            verification_expires_at: registrar.at + LINK_TTL_SECONDS,
            verification_email: ("Confirmez votre adresse électronique", &body),
            hourly_cap: HOURLY_CAP,
            ip: &ip.to_string(),
        };
        Ok(with_retry(|| create_request(registrar.db, &new_request)).await?)
    })
    .await?;
    registrar.mailer.send_queued();
    confirm(
        outcome,
        case,
        establishment.name,
        email,
        &registrar.settings.lender.phone,
    )
}

#[derive(Debug, thiserror::Error)]
pub enum VerifyEmailError {
    #[error("Ce lien n’est pas valable\u{a0}: il a déjà servi ou a expiré. Si votre demande n’a pas abouti, recommencez l’inscription.")]
    InvalidLink,
    #[error("erreur de base de données")]
    Database(#[from] sqlx::Error),
}

/// Uses a verification link: the request goes to the administrators, who are e-mailed.
pub async fn verify_email(
    registrar: &Registrar<'_>,
    token: &str,
    ip: IpAddr,
) -> Result<(), VerifyEmailError> {
    let body = format!(
        "Bonjour,\n\n\
         Une personne de votre établissement demande un accès aux services en ligne.\n\
         Connectez-vous pour valider ou refuser sa demande et choisir ses habilitations\u{a0}:\n{}{}\n\n\
         {}",
        registrar.settings.public_url,
        Page::SignIn,
        registrar.settings.lender.signature(),
    );
    let notification = ("Nouvelle demande d’accès à valider", body.as_str());
    match verify(
        registrar.db,
        &token_hash(token.trim()),
        notification,
        &ip.to_string(),
        registrar.at,
    )
    .await?
    {
        Verification::Verified { .. } => {
            registrar.mailer.send_queued();
            Ok(())
        }
        Verification::Invalid => Err(VerifyEmailError::InvalidLink),
    }
}
