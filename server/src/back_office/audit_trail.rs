//! Reading and exporting the audit trail (PRODUCT.md §6, §9), filtered by establishment,
//! person, kind and date. The trail itself is append-only: see `db::audit`.

use inscription_shared::dates::{date_time, parse_day};
use inscription_shared::operator::{AuditEntry, AuditFilter, AUDIT_PAGE};

use super::{BackOfficeError, Operator};
use crate::db::audit::{self, AuditEvent, Query};
use crate::startup::AppState;

/// The filter as SQL wants it; a bad date is said in French.
fn query(filter: &AuditFilter) -> Result<Query, BackOfficeError> {
    let day = |text: &str, what: &str| -> Result<Option<i64>, BackOfficeError> {
        if text.trim().is_empty() {
            return Ok(None);
        }
        parse_day(text).map(Some).ok_or_else(|| {
            BackOfficeError::Filter(format!(
                "La date {what} n’est pas valide : saisissez-la au format AAAA-MM-JJ."
            ))
        })
    };
    Ok(Query {
        client_number: filter.establishment.trim().to_owned(),
        person: filter.person.trim().to_lowercase(),
        kind: filter.kind.trim().to_owned(),
        from: day(&filter.from, "de début")?.unwrap_or(0),
        until: day(&filter.to, "de fin")?.map_or(i64::MAX, |d| d + 86_400),
    })
}

/// A cell a spreadsheet will not run as a formula (typed text such as a reason may start
/// with `=`, `+`, `-` or `@`).
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// The latest matching events, newest first.
pub async fn list(
    state: &AppState,
    filter: &AuditFilter,
) -> Result<Vec<AuditEntry>, BackOfficeError> {
    Ok(audit::search(&state.db, &query(filter)?, AUDIT_PAGE).await?)
}

/// Every matching event as CSV (`;`-separated with a BOM, as French spreadsheets open it);
/// the export itself is an audit event.
pub async fn export(
    state: &AppState,
    operator: &Operator,
    filter: &AuditFilter,
    ip: &str,
) -> Result<Vec<u8>, BackOfficeError> {
    let entries = audit::search(&state.db, &query(filter)?, i64::MAX).await?;
    audit::append(
        &state.db,
        &AuditEvent {
            action: "audit.exported",
            actor: operator.actor(),
            ip: ip.into(),
            establishment_id: None,
            user_id: None,
            details: format!(
                "{} événement(s) ; filtre : {}",
                entries.len(),
                filter.query()
            ),
        },
    )
    .await?;
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(b';')
            .from_writer(&mut out);
        let header = [
            "date",
            "action",
            "acteur",
            "adresse IP",
            "établissement",
            "personne",
            "détails",
        ];
        let csv_error = |e: csv::Error| BackOfficeError::Filter(e.to_string());
        writer.write_record(header).map_err(csv_error)?;
        for e in &entries {
            writer
                .write_record(
                    [
                        date_time(e.at).as_str(),
                        &e.action,
                        &e.actor,
                        &e.ip,
                        e.establishment.as_deref().unwrap_or(""),
                        e.person.as_deref().unwrap_or(""),
                        &e.details,
                    ]
                    .map(cell),
                )
                .map_err(csv_error)?;
        }
        writer
            .flush()
            .map_err(|e| BackOfficeError::Filter(e.to_string()))?;
    }
    Ok(out)
}
