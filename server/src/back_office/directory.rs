//! The directory as operators work it (PRODUCT.md §5, §9): import from the console,
//! search, an establishment's page, and re-designation.

use inscription_shared::french::plural;
use inscription_shared::operator::{
    AccountSummary, EstablishmentDetail, EstablishmentSummary, ImportReport, Redesignated,
};

use super::outbox::summary as letter_summary;
use super::{BackOfficeError, Operator, OperatorCancellation};
use crate::db;
use crate::db::audit::AuditEvent;
use crate::db::establishments::{self, AccountRow, Establishment};
use crate::db::Db;
use crate::domain::directory::EstablishmentStatus;
use crate::domain::AccountStatus;
use crate::email::Mailer;
use crate::import::{self, ImportError};
use crate::settings::Settings;

fn establishment_summary(e: &Establishment) -> EstablishmentSummary {
    EstablishmentSummary {
        id: e.id,
        client_number: e.client_number.clone(),
        name: e.name.clone(),
        kind: e.kind.clone(),
        city: e.city.clone(),
        closed: e.status() == EstablishmentStatus::Closed,
    }
}

fn account_summary(a: AccountRow) -> AccountSummary {
    AccountSummary {
        id: a.id,
        // Emptied past its retention (or erased on request): the row stays for the letters
        // and the audit trail.
        name: if a.email.is_empty() {
            "Données effacées".into()
        } else {
            format!("{} {} {}", a.civility, a.first_name, a.last_name)
        },
        email: a.email,
        job_title: a.job_title,
        role: a.role.label().into(),
        status: a.status.label().into(),
        created_at: a.created_at,
        second_factor: a.second_factor,
    }
}

/// By client number when the query is digits (a prefix), else by a part of the name.
pub async fn search(db: &Db, query: &str) -> Result<Vec<EstablishmentSummary>, BackOfficeError> {
    let query = query.trim();
    if query.is_empty() {
        return Ok(Vec::new());
    }
    let (number, name) = if query.chars().all(|c| c.is_ascii_digit() || c == ' ') {
        (query.replace(' ', ""), String::new())
    } else {
        (String::new(), query.to_lowercase())
    };
    Ok(establishments::search(db, &number, &name)
        .await?
        .iter()
        .map(establishment_summary)
        .collect())
}

pub async fn detail(db: &Db, id: i64) -> Result<EstablishmentDetail, BackOfficeError> {
    let e = establishments::find_by_id(db, id)
        .await?
        .ok_or(BackOfficeError::NotFound)?;
    let rows = establishments::accounts(db, id).await?;
    let active_administrators = rows.iter().filter(|a| a.role.administers(a.status)).count() as i64;
    let candidate = rows
        .iter()
        .find(|a| a.status == AccountStatus::Candidate)
        .cloned()
        .map(account_summary);
    let accounts: Vec<AccountSummary> = rows.into_iter().map(account_summary).collect();
    let letters = db::letters::of_establishment(db, id)
        .await?
        .iter()
        .map(letter_summary)
        .collect();
    let mut address_lines = vec![e.address_line1.clone()];
    if !e.address_line2.is_empty() {
        address_lines.push(e.address_line2.clone());
    }
    address_lines.push(format!("{} {}", e.postcode, e.city));
    Ok(EstablishmentDetail {
        summary: establishment_summary(&e),
        legal_representative_title: e.legal_representative_title,
        address_lines,
        active_administrators,
        candidate,
        accounts,
        letters,
    })
}

/// The same import as the command line, from the console; the report lists each rejected
/// line.
pub async fn import(
    db: &Db,
    operator: &Operator,
    content: &str,
    ip: &str,
) -> Result<ImportReport, BackOfficeError> {
    let report = import::import_csv(db, content.as_bytes())
        .await
        .map_err(|e| match e {
            ImportError::File(e) => BackOfficeError::Directory(e.to_string()),
            ImportError::Database(e) => BackOfficeError::Database(e),
        })?;
    db::audit::append(
        db,
        &AuditEvent {
            action: "directory.imported",
            actor: operator.actor(),
            ip: ip.into(),
            establishment_id: None,
            user_id: None,
            details: format!(
                "{}, {}",
                plural(report.imported, "ligne importée", "lignes importées"),
                plural(report.rejected.len(), "rejetée", "rejetées")
            ),
        },
    )
    .await?;
    Ok(ImportReport {
        imported: report.imported as u64,
        rejected: report.rejected.iter().map(ToString::to_string).collect(),
        total: report.total,
    })
}

/// Starts a re-designation: the next registrant becomes the first user (PRODUCT.md §5).
pub async fn redesignate(
    db: &Db,
    settings: &Settings,
    mailer: &Mailer,
    operator: &Operator,
    id: i64,
    why: &str,
    ip: &str,
) -> Result<Redesignated, BackOfficeError> {
    let closing = OperatorCancellation::new(
        settings,
        operator,
        "nous avons lancé une nouvelle désignation de l’administrateur de votre établissement.",
        "re-désignation lancée par un opérateur",
        why,
    )?;
    let done = establishments::redesignate(db, id, &closing.cancellation(ip))
        .await?
        .ok_or(BackOfficeError::NotFound)?;
    crate::db::erase_freed(db).await;
    mailer.send_queued();
    Ok(Redesignated {
        former_administrators: done.former_administrators,
        cancelled_candidacy: done.cancelled_candidacy,
    })
}
