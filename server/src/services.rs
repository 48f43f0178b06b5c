//! The rights catalogue (PRODUCT.md §5: "configurable"): operators add, rename and
//! withdraw services from the command line; every change is audited. Administrators then
//! grant rights on whatever the catalogue holds.

use crate::db::audit::AuditEvent;
use crate::db::services::{self, ServiceRow};
use crate::db::Db;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("le code d’un service s’écrit en minuscules sans accent, chiffres et tirets (1 à 40 caractères), par exemple «\u{a0}prets-bonifies\u{a0}»")]
    BadCode,
    #[error("le libellé d’un service est obligatoire (120 caractères au plus)")]
    BadLabel,
    #[error("le service «\u{a0}{0}\u{a0}» existe déjà")]
    Exists(String),
    #[error("il n’y a pas de service «\u{a0}{0}\u{a0}»")]
    Unknown(String),
    #[error("erreur de base de données")]
    Database(#[from] sqlx::Error),
}

/// A change of the catalogue.
#[derive(Debug, Clone)]
pub enum Change {
    Add { code: String, label: String },
    Relabel { code: String, label: String },
    Remove { code: String },
}

fn code(code: &str) -> Result<&str, ServiceError> {
    let ok = (1..=40).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    ok.then_some(code).ok_or(ServiceError::BadCode)
}

fn label(label: &str) -> Result<&str, ServiceError> {
    let label = label.trim();
    let ok = !label.is_empty() && label.chars().count() <= 120 && !label.contains('\0');
    ok.then_some(label).ok_or(ServiceError::BadLabel)
}

fn event(action: &'static str, details: String) -> AuditEvent {
    AuditEvent {
        action,
        actor: "system".into(),
        ip: "ligne de commande".into(),
        establishment_id: None,
        user_id: None,
        details,
    }
}

pub async fn list(db: &Db) -> Result<Vec<ServiceRow>, ServiceError> {
    Ok(services::list(db).await?)
}

/// Applies the change; returns what to tell the operator.
pub async fn apply(db: &Db, change: &Change) -> Result<String, ServiceError> {
    match change {
        Change::Add { code: c, label: l } => {
            let (c, l) = (code(c)?, label(l)?);
            let details = format!("{c} «\u{a0}{l}\u{a0}»");
            if !services::add(db, c, l, &event("service.added", details)).await? {
                return Err(ServiceError::Exists(c.into()));
            }
            Ok(format!("Service ajouté\u{a0}: {c} «\u{a0}{l}\u{a0}»"))
        }
        Change::Relabel { code: c, label: l } => {
            let (c, l) = (code(c)?, label(l)?);
            let details = format!("{c} «\u{a0}{l}\u{a0}»");
            if !services::relabel(db, c, l, &event("service.relabelled", details)).await? {
                return Err(ServiceError::Unknown(c.into()));
            }
            Ok(format!("Service renommé\u{a0}: {c} «\u{a0}{l}\u{a0}»"))
        }
        Change::Remove { code: c } => {
            let c = code(c)?;
            let rights = services::remove(db, c, &event("service.removed", c.into()))
                .await?
                .ok_or_else(|| ServiceError::Unknown(c.into()))?;
            Ok(format!(
                "Service retiré\u{a0}: {c} ({})",
                inscription_shared::french::plural(
                    rights,
                    "habilitation retirée",
                    "habilitations retirées"
                )
            ))
        }
    }
}
