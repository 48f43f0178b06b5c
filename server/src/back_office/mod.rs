//! The operators' back office (PRODUCT.md §4, §9): who may use it, and its use cases, one
//! module each. Nothing here is reachable with an establishment user's session.

pub mod audit_trail;
pub mod contact_messages;
pub mod directory;
pub mod outbox;
pub mod second_factor;

use crate::settings::Settings;

pub const OPERATORS_ONLY: &str = "Cette page est réservée à nos opérateurs.";

/// A signed-in operator: the only one who may use the back office.
#[derive(Debug, Clone)]
pub struct Operator {
    pub id: i64,
    pub email: String,
    pub name: String,
}

impl Operator {
    /// How the audit trail names them.
    pub fn actor(&self) -> String {
        format!("operator:{}", self.id)
    }
}

/// What the back office's actions can refuse.
#[derive(Debug, thiserror::Error)]
pub enum BackOfficeError {
    #[error("Ce courrier ou cet établissement n’existe pas, ou sa situation a changé. Rechargez la page.")]
    NotFound,
    #[error("Cette inscription n’est plus en cours\u{a0}: il n’y a plus de courrier à renvoyer ou à annuler.")]
    CandidacyClosed,
    #[error(
        "Indiquez le motif (500 caractères au plus)\u{a0}: il est gardé dans le journal d’audit."
    )]
    Reason,
    #[error("{0}")]
    Filter(String),
    #[error("{0}")]
    Directory(String),
    #[error("erreur de PDF")]
    Pdf(#[from] crate::pdf::PdfError),
    #[error("erreur de hachage")]
    Hash(#[from] crate::password_hash::HashError),
    #[error("erreur de base de données")]
    Database(#[from] sqlx::Error),
}

/// An operator closing a candidacy: the reason checked, what the candidate reads by
/// e-mail and what the audit trail keeps.
pub struct OperatorCancellation {
    actor: String,
    subject: String,
    body: String,
    details: String,
}

impl OperatorCancellation {
    /// `why` is what the candidate reads; `what` and `reason` go to the audit trail.
    pub fn new(
        settings: &Settings,
        operator: &Operator,
        why: &str,
        what: &str,
        reason_given: &str,
    ) -> Result<Self, BackOfficeError> {
        let reason_given = reason(reason_given)?;
        let (subject, body) =
            outbox::cancellation_notice(why, &settings.public_url, &settings.lender);
        Ok(Self {
            actor: operator.actor(),
            subject,
            body,
            details: format!("{what}\u{a0}; motif\u{a0}: {reason_given}"),
        })
    }

    pub fn cancellation<'a>(&'a self, ip: &'a str) -> crate::db::letters::Cancellation<'a> {
        crate::db::letters::Cancellation {
            action: "candidacy.cancelled",
            actor: &self.actor,
            ip,
            details: &self.details,
            notice: (&self.subject, &self.body),
        }
    }
}

/// A reason an operator must give, checked.
pub fn reason(text: &str) -> Result<String, BackOfficeError> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > inscription_shared::operator::REASON_MAX_CHARS {
        return Err(BackOfficeError::Reason);
    }
    Ok(text.to_owned())
}
