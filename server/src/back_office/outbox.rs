//! The letter outbox (PRODUCT.md §4): list, print one or a batch, mark dispatched (the
//! plain codes are erased), re-send with a new code, cancel the candidacy.

use inscription_shared::operator::{CandidaciesFromAddress, LetterSummary, CANDIDACY_DAYS};
use inscription_shared::pages::Page;

use super::{BackOfficeError, Operator, OperatorCancellation};
use crate::db;
use crate::db::audit::AuditEvent;
use crate::db::letters::{self, LetterRow};
use crate::db::Db;
use crate::email::Mailer;
use crate::lender::Lender;
use crate::letter::{self, LetterContent};
use crate::password_hash::Hasher;
use crate::registration::first_user::LetterCodes;
use crate::settings::Settings;

/// Most letters the outbox lists at once.
const LIST_LIMIT: i64 = 500;

pub fn summary(row: &LetterRow) -> LetterSummary {
    LetterSummary {
        id: row.id,
        reference: letter::reference(row.id),
        status: row.status.into(),
        establishment_id: row.establishment_id,
        establishment_name: row.establishment_name.clone(),
        client_number: row.client_number.clone(),
        candidate_name: format!("{} {} {}", row.civility, row.first_name, row.last_name),
        candidate_email: row.email.clone(),
        created_at: row.created_at,
        code_expires_at: row.code_expires_at,
        dispatched_at: row.dispatched_at,
        cancelled_at: row.cancelled_at,
        open: row.open == 1,
        code_failures: row.code_failures,
    }
}

/// The last days' first users grouped by the address they registered from, the busiest
/// address first.
pub async fn candidacies_by_address(
    db: &Db,
    at: i64,
) -> Result<Vec<CandidaciesFromAddress>, BackOfficeError> {
    let since = at - CANDIDACY_DAYS * 86_400;
    let mut groups: Vec<CandidaciesFromAddress> = Vec::new();
    for (address, at, number, name) in letters::candidacies_since(db, since).await? {
        let establishment = format!("{number} {name}");
        match groups.last_mut() {
            Some(group) if group.address == address => group.establishments.push(establishment),
            _ => groups.push(CandidaciesFromAddress {
                address,
                establishments: vec![establishment],
                last_at: at,
            }),
        }
    }
    groups.sort_by(|a, b| {
        (b.establishments.len(), b.last_at).cmp(&(a.establishments.len(), a.last_at))
    });
    Ok(groups)
}

/// The letters of one status, or all (`""`), newest first.
pub async fn list(db: &Db, status: &str) -> Result<Vec<LetterSummary>, BackOfficeError> {
    let status = match status {
        "queued" | "dispatched" | "cancelled" => status,
        _ => "",
    };
    Ok(letters::list(db, status, LIST_LIMIT)
        .await?
        .iter()
        .map(summary)
        .collect())
}

/// Who saw plain codes is security-relevant: each PDF shown is an audit event.
async fn record_view(
    db: &Db,
    operator: &Operator,
    ip: &str,
    rows: &[&LetterRow],
) -> Result<(), BackOfficeError> {
    let references: Vec<String> = rows.iter().map(|r| letter::reference(r.id)).collect();
    db::audit::append(
        db,
        &AuditEvent {
            action: "letter.printed",
            actor: operator.actor(),
            ip: ip.into(),
            establishment_id: (rows.len() == 1).then(|| rows[0].establishment_id),
            user_id: (rows.len() == 1).then(|| rows[0].user_id),
            details: format!(
                "PDF de {}\u{a0}: {}",
                inscription_shared::french::plural(rows.len(), "courrier", "courriers"),
                references.join(", ")
            ),
        },
    )
    .await?;
    Ok(())
}

/// One letter's PDF (a dispatched one shows its codes erased).
pub async fn pdf(
    db: &Db,
    settings: &Settings,
    operator: &Operator,
    id: i64,
    ip: &str,
) -> Result<Vec<u8>, BackOfficeError> {
    let row = letters::one(db, id)
        .await?
        .ok_or(BackOfficeError::NotFound)?;
    record_view(db, operator, ip, &[&row]).await?;
    Ok(letter::render(&[LetterContent::of(
        &row,
        &settings.lender,
        &settings.public_url,
    )])?)
}

/// The queued letters (those of `ids` when given) as one PDF ready to print, oldest first.
pub async fn batch(
    db: &Db,
    settings: &Settings,
    operator: &Operator,
    ids: Option<&[i64]>,
    ip: &str,
) -> Result<Vec<u8>, BackOfficeError> {
    let queued = letters::queued(db).await?;
    let rows: Vec<&LetterRow> = queued
        .iter()
        .filter(|row| ids.is_none_or(|ids| ids.contains(&row.id)))
        .collect();
    record_view(db, operator, ip, &rows).await?;
    let contents: Vec<LetterContent> = rows
        .iter()
        .map(|row| LetterContent::of(row, &settings.lender, &settings.public_url))
        .collect();
    Ok(letter::render(&contents)?)
}

pub async fn dispatch(
    db: &Db,
    operator: &Operator,
    ids: &[i64],
    ip: &str,
) -> Result<u64, BackOfficeError> {
    let dispatched = letters::dispatch(db, ids, &operator.actor(), ip).await?;
    db::erase_freed(db).await;
    Ok(dispatched)
}

/// A new code and letter; the old code stops working. Returns the new letter's id.
pub async fn resend(
    db: &Db,
    hasher: &Hasher,
    settings: &Settings,
    at: i64,
    operator: &Operator,
    id: i64,
    ip: &str,
) -> Result<i64, BackOfficeError> {
    let codes = LetterCodes::draw(hasher, settings, at).await?;
    let letter = letters::resend(db, id, &codes.new_code(), &operator.actor(), ip)
        .await?
        .ok_or(BackOfficeError::CandidacyClosed)?;
    db::erase_freed(db).await;
    Ok(letter)
}

/// What the candidate reads when their candidacy is cancelled, and why.
pub fn cancellation_notice(why: &str, public_url: &str, lender: &Lender) -> (String, String) {
    (
        "Votre inscription aux services en ligne est annulée".into(),
        format!(
            "Bonjour,\n\nVotre inscription comme administrateur des services en ligne des prêts sur fonds d’épargne est annulée\u{a0}: {why}\nLe mot de passe temporaire envoyé par courrier ne fonctionne plus.\n\nPour toute question\u{a0}: {public_url}{} ou le numéro vert {}.\n\nServices en ligne — {}\n",
            Page::Contact,
            lender.free_phone(),
            lender.name
        ),
    )
}

/// Cancels the candidacy of a letter; the candidate is told by e-mail.
pub async fn cancel(
    db: &Db,
    settings: &Settings,
    mailer: &Mailer,
    operator: &Operator,
    id: i64,
    why: &str,
    ip: &str,
) -> Result<(), BackOfficeError> {
    let closing = OperatorCancellation::new(
        settings,
        operator,
        "nous l’avons annulée à la demande de votre établissement.",
        "inscription annulée par un opérateur",
        why,
    )?;
    let closed = letters::cancel(db, id, &closing.cancellation(ip)).await?;
    if !closed {
        return Err(BackOfficeError::CandidacyClosed);
    }
    db::erase_freed(db).await;
    mailer.send_queued();
    Ok(())
}
