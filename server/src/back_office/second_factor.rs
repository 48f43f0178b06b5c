//! The level above an administrator: an operator forgets a person's second factor, an
//! administrator's in particular (PRODUCT.md §3bis), when their phone is lost.

use super::{BackOfficeError, Operator};
use crate::db::audit::AuditEvent;
use crate::db::Db;

/// An operator forgets a person's second factor (an administrator's lost phone: their
/// peers may not): audited, their sessions ended, the person e-mailed.
pub async fn reset(
    db: &Db,
    lender: &crate::lender::Lender,
    operator: &Operator,
    user_id: i64,
    at: i64,
    ip: &str,
) -> Result<(), BackOfficeError> {
    let event = AuditEvent {
        action: "operator.second_factor_reset",
        actor: operator.actor(),
        ip: ip.into(),
        establishment_id: None,
        user_id: Some(user_id),
        details: String::new(),
    };
    let body = format!(
        "Bonjour,\n\nLe prêteur a réinitialisé le second facteur de votre compte (clés d’accès, application de codes à usage unique et codes de secours), à votre demande. Votre prochaine connexion ne demandera que votre mot de passe\u{a0}; ajoutez-les de nouveau depuis «\u{a0}Sécurité de mon compte\u{a0}».\n\nSi vous n’avez rien demandé, appelez le numéro vert {}.\n\n{}",
        lender.free_phone(),
        lender.signature()
    );
    let notice = (
        "Le second facteur de votre compte a été réinitialisé",
        body.as_str(),
    );
    crate::db::second_factor::reset_by_the_lender(db, user_id, at, &event, notice)
        .await?
        .ok_or(BackOfficeError::NotFound)
}
