//! Reading and exporting the audit trail (PRODUCT.md §6, §9), filtered by establishment,
//! person, kind and date. The trail itself is append-only: see `db::audit`.

use inscription_shared::dates::{date_time, parse_day, parse_day_end};
use inscription_shared::french::{number, plural};
use inscription_shared::operator::{AuditEntry, AuditFilter, AUDIT_PAGE};

use super::{BackOfficeError, Operator};
use crate::db::audit::{self, AuditEvent, Query};
use crate::db::Db;
use crate::lender::{Lender, LenderZone};

/// The filter as SQL wants it; a bad date is said in French.
/// Days are the lender's: from its midnight to the next.
fn query(filter: &AuditFilter, zone: &LenderZone) -> Result<Query, BackOfficeError> {
    let day = |text: &str, what: &str, end: bool| -> Result<Option<i64>, BackOfficeError> {
        if text.trim().is_empty() {
            return Ok(None);
        }
        let parsed = if end {
            parse_day_end(text, zone)
        } else {
            parse_day(text, zone)
        };
        parsed.map(Some).ok_or_else(|| {
            BackOfficeError::Filter(format!(
                "La date {what} n’est pas valide\u{a0}: saisissez-la au format AAAA-MM-JJ."
            ))
        })
    };
    Ok(Query {
        client_number: filter.establishment.trim().to_owned(),
        person: inscription_shared::identity::normalize_email(&filter.person),
        kind: filter.kind.trim().to_owned(),
        from: day(&filter.from, "de début", false)?.unwrap_or(0),
        until: day(&filter.to, "de fin", true)?.unwrap_or(i64::MAX),
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
    db: &Db,
    lender: &Lender,
    filter: &AuditFilter,
) -> Result<Vec<AuditEntry>, BackOfficeError> {
    let query = query(filter, &lender.zone)?;
    Ok(audit::search(db, &query, AUDIT_PAGE).await?)
}

/// Most events one export may hold: past that, the filters must be narrowed.
pub const EXPORT_MAX_ROWS: i64 = 100_000;
/// Events read from the database at a time while the export streams.
const EXPORT_PAGE: i64 = 1_000;

/// The export's header row.
const HEADER: [&str; 7] = [
    "date",
    "action",
    "acteur",
    "adresse IP",
    "établissement",
    "personne",
    "détails",
];

/// CSV lines (`;`-separated) of some events.
fn csv_lines(
    entries: &[AuditEntry],
    header: bool,
    zone: &LenderZone,
) -> Result<Vec<u8>, csv::Error> {
    let mut out = Vec::new();
    {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(b';')
            .from_writer(&mut out);
        if header {
            writer.write_record(HEADER)?;
        }
        for e in entries {
            writer.write_record(
                [
                    date_time(e.at, zone).as_str(),
                    &e.action,
                    &e.actor,
                    &e.ip,
                    e.establishment.as_deref().unwrap_or(""),
                    e.person.as_deref().unwrap_or(""),
                    &e.details,
                ]
                .map(cell),
            )?;
        }
        writer.flush()?;
    }
    Ok(out)
}

/// A stream of CSV chunks.
pub type CsvStream =
    std::pin::Pin<Box<dyn futures_util::Stream<Item = Result<Vec<u8>, std::io::Error>> + Send>>;

/// Every matching event as CSV (`;`-separated with a BOM, as French spreadsheets open it),
/// streamed a page at a time so that memory stays flat whatever the trail's size; refused
/// past [`EXPORT_MAX_ROWS`]. The export itself is an audit event.
pub async fn export(
    db: &Db,
    lender: &Lender,
    operator: &Operator,
    filter: &AuditFilter,
    ip: &str,
) -> Result<CsvStream, BackOfficeError> {
    let zone = lender.zone.clone();
    let query = query(filter, &zone)?;
    let (total, newest) = audit::count(db, &query).await?;
    if total > EXPORT_MAX_ROWS {
        return Err(BackOfficeError::Filter(format!(
            "Ces critères retiennent {}\u{a0}événements, plus que les {}\u{a0}qu’un export peut contenir\u{a0}: resserrez les dates ou précisez l’établissement, la personne ou le type.",
            number(total),
            number(EXPORT_MAX_ROWS)
        )));
    }
    audit::append(
        db,
        &AuditEvent {
            action: "audit.exported",
            actor: operator.actor(),
            ip: ip.into(),
            establishment_id: None,
            user_id: None,
            details: format!(
                "{}\u{a0}; filtre\u{a0}: {}",
                plural(total, "événement", "événements"),
                filter.query()
            ),
        },
    )
    .await?;
    // The events written after the count (this export's own, at least) are not part of it.
    let db = db.clone();
    let start_before = newest.saturating_add(1);
    let first = "\u{feff}".as_bytes().to_vec();
    let pages = futures_util::stream::try_unfold(
        (db, query, Some(start_before), total, zone.clone()),
        |(db, query, before, left, zone)| async move {
            let Some(before) = before.filter(|_| left > 0) else {
                return Ok(None);
            };
            let entries = audit::search_before(&db, &query, before, EXPORT_PAGE.min(left))
                .await
                .map_err(std::io::Error::other)?;
            let next = entries.last().map(|e| e.id);
            let left = left - i64::try_from(entries.len()).unwrap_or(left);
            let chunk = csv_lines(&entries, false, &zone).map_err(std::io::Error::other)?;
            Ok(Some((chunk, (db, query, next, left, zone))))
        },
    );
    let header = csv_lines(&[], true, &zone).map_err(|e| BackOfficeError::Filter(e.to_string()))?;
    let start = futures_util::stream::iter([Ok([first, header].concat())]);
    Ok(Box::pin(futures_util::StreamExt::chain(start, pages)))
}
