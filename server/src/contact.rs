//! The online contact form: the message is kept for the operators' console, e-mailed to
//! support, and acknowledged to its sender, in one transaction.

use std::net::IpAddr;

use inscription_shared::contact::{ContactMessage, ContactRequest};
use inscription_shared::FieldError;

use crate::captcha::Captcha;
use crate::captcha::CaptchaError;
use crate::db;
use crate::db::Db;
use crate::email::Mailer;
use crate::lender::Lender;
use crate::rate_limit::{address_key, Limit, Limits, RateLimitError};
use crate::settings::Settings;

/// Messages per client address: enough for a busy office, too few for a flood.
pub const PER_ADDRESS: Limit = Limit {
    kind: "contact-address",
    max: 10,
    window_seconds: 60 * 60,
};

#[derive(Debug, thiserror::Error)]
pub enum ContactError {
    #[error("Vérifiez les champs signalés.")]
    Invalid(Vec<FieldError>),
    #[error(transparent)]
    Captcha(#[from] CaptchaError),
    #[error(transparent)]
    RateLimited(#[from] RateLimitError),
    #[error("erreur de base de données")]
    Database(#[from] sqlx::Error),
}

fn to_support(m: &ContactMessage) -> String {
    format!(
        "Message reçu par le formulaire de contact.\n\nNom\u{a0}: {}\nAdresse électronique\u{a0}: {}\nNuméro client\u{a0}: {}\nObjet\u{a0}: {}\n\n{}\n",
        m.name.as_str(),
        m.email.as_str(),
        m.client_number.as_ref().map_or("non indiqué", |n| n.as_str()),
        m.subject,
        m.message
    )
}

fn acknowledgement(m: &ContactMessage, lender: &Lender) -> String {
    format!(
        "Bonjour,\n\nNous avons bien reçu votre message «\u{a0}{}\u{a0}» et vous répondrons par courrier électronique.\n\nPour une question urgente\u{a0}: numéro vert {}.\n\nServices en ligne — {}\n",
        m.subject,
        lender.free_phone(),
        lender.name
    )
}

/// Checks the fields first (a typo must not burn the CAPTCHA), then the CAPTCHA.
pub async fn send(
    db: &Db,
    limits: Limits<'_>,
    captcha: &Captcha,
    settings: &Settings,
    mailer: &Mailer,
    request: &ContactRequest,
    ip: IpAddr,
) -> Result<(), ContactError> {
    let address = ip.to_string();
    limits.take(&PER_ADDRESS, &address_key(ip)).await?;
    let message = request.validate().map_err(ContactError::Invalid)?;
    captcha.verify(db, &request.captcha, ip, 0).await?;
    let support_subject = format!("[Contact] {} — {}", message.subject, message.name.as_str());
    let support_body = to_support(&message);
    let ack_body = acknowledgement(&message, &settings.lender);
    db::contact::receive(
        db,
        &message,
        &address,
        (&settings.support_email, &support_subject, &support_body),
        (
            message.email.as_str(),
            "Votre message aux services en ligne des prêts sur fonds d’épargne",
            &ack_body,
        ),
    )
    .await?;
    mailer.send_queued();
    Ok(())
}
