//! The operators' back office (PRODUCT.md §4, §9): who may use it, and its use cases, one
//! module each. Nothing here is reachable with an establishment user's session.

pub mod audit_trail;
pub mod contact_messages;
pub mod directory;
pub mod outbox;
pub mod second_factor;

use crate::account::second_factor::{proof_too_old, Person};
use crate::db::second_factor::Holder;
use crate::settings::Settings;

pub const OPERATORS_ONLY: &str = "Cette page est réservée à nos opérateurs.";

/// An operator's session before they add their second factor may do nothing else.
pub const FACTOR_OWED: &str = "Votre compte d’opérateur demande un second facteur\u{a0}: ajoutez d’abord une application de codes à usage unique depuis l’espace opérateur.";

/// A signed-in operator who holds a second factor: the only one who may use the back
/// office (PRODUCT.md §3bis).
#[derive(Debug, Clone)]
pub struct Operator {
    pub id: i64,
    pub email: String,
    pub name: String,
    /// When the session last proved the second factor.
    pub factor_at: Option<i64>,
    /// The session's token hash (to record a new proof).
    pub session_hash: String,
}

/// A signed-in operator, with or without a second factor, whose session may not have proved
/// it: what adding one, or proving it, needs.
#[derive(Debug, Clone)]
pub struct EnrollingOperator {
    pub operator: Operator,
    pub has_factor: bool,
}

impl Operator {
    /// How the audit trail names them.
    pub fn actor(&self) -> String {
        format!("operator:{}", self.id)
    }

    pub fn holder(&self) -> Holder {
        Holder::Operator(self.id)
    }

    /// As the second factor's use cases name them.
    pub fn person(&self) -> Person {
        Person {
            holder: self.holder(),
            email: self.email.clone(),
            establishment_id: None,
        }
    }

    /// Refuses an action that asks a fresh second factor (dispatch, re-designation, audit
    /// export) when this session's last proof is older than the configured time.
    pub fn fresh(&self, settings: &Settings, at: i64) -> Result<(), BackOfficeError> {
        let window = settings.reauthentication_seconds;
        if proof_too_old(true, self.factor_at, at, window) {
            return Err(BackOfficeError::Reauthenticate);
        }
        Ok(())
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
    #[error("{}", inscription_shared::second_factor::REAUTHENTICATE)]
    Reauthenticate,
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
