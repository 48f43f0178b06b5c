//! SQL of the letter outbox and of the candidacies the letters carry: printing, dispatch
//! (which erases the plain codes), re-sending with a new code, and cancelling.

use super::audit::{record, AuditEvent};
use super::BeginWrite;
use super::{now, on_db, Db};
use crate::domain::LetterStatus;

/// A letter with what its PDF prints. The codes are `None` once dispatched or cancelled.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LetterRow {
    pub id: i64,
    #[sqlx(try_from = "String")]
    pub status: LetterStatus,
    pub establishment_id: i64,
    pub user_id: i64,
    pub created_at: i64,
    pub code_expires_at: i64,
    pub dispatched_at: Option<i64>,
    pub cancelled_at: Option<i64>,
    pub temporary_password: Option<String>,
    pub opposition_code: Option<String>,
    pub establishment_name: String,
    pub client_number: String,
    pub legal_representative_title: String,
    pub address_line1: String,
    pub address_line2: String,
    pub postcode: String,
    pub city: String,
    pub civility: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// 1 while the candidacy is open (re-send and cancel make sense).
    pub open: i64,
    /// Wrong tries of the code so far.
    pub code_failures: i64,
}

const SELECT: &str = "SELECT l.id, l.status, l.establishment_id, l.user_id, l.created_at, \
    l.code_expires_at, l.dispatched_at, l.cancelled_at, l.temporary_password, l.opposition_code, \
    e.name AS establishment_name, e.client_number, e.legal_representative_title, \
    e.address_line1, e.address_line2, e.postcode, e.city, \
    u.civility, u.first_name, u.last_name, u.email, \
    CAST(CASE WHEN u.status = 'candidate' AND l.status <> 'cancelled' THEN 1 ELSE 0 END AS BIGINT) AS open, \
    COALESCE(t.failed_attempts, 0) AS code_failures \
    FROM letters l JOIN establishments e ON e.id = l.establishment_id \
    JOIN users u ON u.id = l.user_id LEFT JOIN temporary_passwords t ON t.user_id = l.user_id";

/// Letters waiting for an operator, oldest first.
pub async fn queued(db: &Db) -> Result<Vec<LetterRow>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as(&format!("{SELECT} WHERE l.status = 'queued' ORDER BY l.id"))
            .fetch_all(pool)
            .await
    })
}

/// The outbox: letters of one status (or all when empty), newest first, at most `limit`.
pub async fn list(db: &Db, status: &str, limit: i64) -> Result<Vec<LetterRow>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as(&format!("{SELECT} WHERE ($1 = '' OR l.status = $1) ORDER BY l.id DESC LIMIT $2"))
            .bind(status)
            .bind(limit)
            .fetch_all(pool)
            .await
    })
}

/// An establishment's letters, newest first.
pub async fn of_establishment(
    db: &Db,
    establishment_id: i64,
) -> Result<Vec<LetterRow>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as(&format!("{SELECT} WHERE l.establishment_id = $1 ORDER BY l.id DESC"))
            .bind(establishment_id)
            .fetch_all(pool)
            .await
    })
}

pub async fn one(db: &Db, id: i64) -> Result<Option<LetterRow>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as(&format!("{SELECT} WHERE l.id = $1"))
            .bind(id)
            .fetch_optional(pool)
            .await
    })
}

/// Marks queued letters dispatched and erases their plain codes for good; returns how
/// many were. Letters no longer queued are left as they are.
pub async fn dispatch(db: &Db, ids: &[i64], actor: &str, ip: &str) -> Result<u64, sqlx::Error> {
    let at = now();
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let mut count = 0;
        for id in ids {
            let done: Option<(i64, i64)> = sqlx::query_as(
                "UPDATE letters SET status = 'dispatched', dispatched_at = $2, \
                 temporary_password = NULL, opposition_code = NULL \
                 WHERE id = $1 AND status = 'queued' RETURNING establishment_id, user_id",
            )
            .bind(id)
            .bind(at)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some((establishment_id, user_id)) = done {
                count += 1;
                record!(&mut *tx, &AuditEvent {
                    action: "letter.dispatched",
                    actor: actor.into(),
                    ip: ip.into(),
                    establishment_id: Some(establishment_id),
                    user_id: Some(user_id),
                    details: format!("courrier INS-{id:06} envoyé, codes effacés"),
                })?;
            }
        }
        tx.commit().await?;
        Ok(count)
    })
}

/// A new code for a candidacy: the hash that replaces the old one and the letter's codes.
pub struct NewCode<'a> {
    pub temporary_password_hash: &'a str,
    pub temporary_password_printed: &'a str,
    pub opposition_printed: &'a str,
    pub opposition_hash: &'a str,
    pub expires_at: i64,
}

pub(crate) const INSERT_LETTER: &str = "INSERT INTO letters (establishment_id, user_id, status, \
    temporary_password, opposition_code, opposition_code_hash, code_expires_at, created_at) \
    VALUES ($1, $2, 'queued', $3, $4, $5, $6, $7) RETURNING id";

/// Queues a letter with a new code (in a registration or re-send transaction).
macro_rules! insert_letter {
    ($tx:expr, $establishment_id:expr, $user_id:expr, $code:expr, $at:expr) => {{
        let code: &$crate::db::letters::NewCode<'_> = $code;
        let id: i64 = sqlx::query_scalar($crate::db::letters::INSERT_LETTER)
            .bind($establishment_id)
            .bind($user_id)
            .bind(code.temporary_password_printed)
            .bind(code.opposition_printed)
            .bind(code.opposition_hash)
            .bind(code.expires_at)
            .bind($at)
            .fetch_one(&mut *$tx)
            .await?;
        id
    }};
}
pub(crate) use insert_letter;

/// Re-sends the letter of an open candidacy with a new code: the old code stops working
/// at once, its queued letter is cancelled, a new one is queued. `None` when the
/// candidacy is no longer open.
pub async fn resend(
    db: &Db,
    letter_id: i64,
    code: &NewCode<'_>,
    actor: &str,
    ip: &str,
) -> Result<Option<i64>, sqlx::Error> {
    let at = now();
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        // A write first: PostgreSQL locks the letter's row, so its rivals wait for this one.
        sqlx::query("UPDATE letters SET id = id WHERE id = $1")
            .bind(letter_id)
            .execute(&mut *tx)
            .await?;
        let found: Option<(i64, i64)> = sqlx::query_as(
            "SELECT l.establishment_id, l.user_id FROM letters l JOIN users u ON u.id = l.user_id \
             WHERE l.id = $1 AND l.status <> 'cancelled' AND u.status = 'candidate'",
        )
        .bind(letter_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((establishment_id, user_id)) = found else { return Ok(None) };
        // Same order as registrations: the establishment's row first.
        sqlx::query("UPDATE establishments SET updated_at = updated_at WHERE id = $1")
            .bind(establishment_id)
            .execute(&mut *tx)
            .await?;
        let still: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE id = $1 AND status = 'candidate'")
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
        if still.is_none() {
            return Ok(None);
        }
        sqlx::query("UPDATE temporary_passwords SET password_hash = $2, expires_at = $3, \
            failed_attempts = 0, used_at = NULL WHERE user_id = $1")
            .bind(user_id)
            .bind(code.temporary_password_hash)
            .bind(code.expires_at)
            .execute(&mut *tx)
            .await?;
        sqlx::query(super::candidacies::CANCEL_QUEUED_LETTERS).bind(user_id).bind(at).execute(&mut *tx).await?;
        // A session opened with the old code ends with it.
        sqlx::query(super::sessions::END_ALL_OF_USER).bind(user_id).execute(&mut *tx).await?;
        let new_id = insert_letter!(tx, establishment_id, user_id, code, at);
        record!(&mut *tx, &AuditEvent {
            action: "letter.resent",
            actor: actor.into(),
            ip: ip.into(),
            establishment_id: Some(establishment_id),
            user_id: Some(user_id),
            details: format!("courrier INS-{letter_id:06} remplacé par INS-{new_id:06}, ancien code révoqué"),
        })?;
        tx.commit().await?;
        Ok(Some(new_id))
    })
}

/// Who cancels a candidacy, and what the audit trail and the candidate are told.
pub struct Cancellation<'a> {
    pub action: &'static str,
    pub actor: &'a str,
    pub ip: &'a str,
    pub details: &'a str,
    /// The e-mail to the candidate: subject and body.
    pub notice: (&'a str, &'a str),
}

/// Cancels a candidacy in a transaction ([`Ending::Cancelled`] says what it ends), tells
/// the candidate and records an audit event. Returns whether there was an open candidacy
/// to close.
///
/// [`Ending::Cancelled`]: crate::domain::candidacy::Ending::Cancelled
macro_rules! cancel_candidacy {
    ($tx:expr, $user_id:expr, $cancellation:expr, $at:expr) => {{
        let c: &$crate::db::letters::Cancellation<'_> = $cancellation;
        let ending = $crate::domain::candidacy::Ending::Cancelled;
        let closed = $crate::db::candidacies::close!($tx, $user_id, ending, $at);
        if let Some((establishment_id, email)) = &closed {
            if ending.closing().notify {
                $crate::db::emails::queue!(&mut *$tx, email.as_str(), c.notice.0, c.notice.1)?;
            }
            $crate::db::audit::record!(
                &mut *$tx,
                &$crate::db::audit::AuditEvent {
                    action: c.action,
                    actor: c.actor.into(),
                    ip: c.ip.into(),
                    establishment_id: Some(*establishment_id),
                    user_id: Some($user_id),
                    details: c.details.into(),
                }
            )?;
        }
        closed.is_some()
    }};
}
pub(crate) use cancel_candidacy;

/// Cancels the candidacy of a letter (operator's action). `false` if it was not open.
pub async fn cancel(
    db: &Db,
    letter_id: i64,
    cancellation: &Cancellation<'_>,
) -> Result<bool, sqlx::Error> {
    let at = now();
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let user_id: Option<i64> = sqlx::query_scalar("SELECT user_id FROM letters WHERE id = $1")
            .bind(letter_id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(user_id) = user_id else { return Ok(false) };
        let closed = cancel_candidacy!(tx, user_id, cancellation, at);
        tx.commit().await?;
        Ok(closed)
    })
}

/// The open candidacy a "not you?" code points at, for this client number.
pub async fn by_opposition(
    db: &Db,
    client_number: &str,
    code_hash: &str,
) -> Result<Option<i64>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_scalar(
            "SELECT l.user_id FROM letters l JOIN establishments e ON e.id = l.establishment_id \
             JOIN users u ON u.id = l.user_id WHERE l.opposition_code_hash = $1 \
             AND e.client_number = $2 AND u.status = 'candidate' AND l.status <> 'cancelled'",
        )
        .bind(code_hash)
        .bind(client_number)
        .fetch_optional(pool)
        .await
    })
}

/// Cancels a candidacy by its user id (the "not you?" route).
pub async fn cancel_user(
    db: &Db,
    user_id: i64,
    cancellation: &Cancellation<'_>,
) -> Result<bool, sqlx::Error> {
    let at = now();
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let closed = cancel_candidacy!(tx, user_id, cancellation, at);
        tx.commit().await?;
        Ok(closed)
    })
}

/// First-user registrations since `since`: (client address, time, client number, name),
/// grouped by address, newest first within each.
pub async fn candidacies_since(
    db: &Db,
    since: i64,
) -> Result<Vec<(String, i64, String, String)>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as(
            "SELECT a.ip, a.at, e.client_number, e.name FROM audit_events a \
             JOIN establishments e ON e.id = a.establishment_id \
             WHERE a.action = 'registration.first_user' AND a.at >= $1 \
             ORDER BY a.ip, a.at DESC LIMIT 10000",
        )
        .bind(since)
        .fetch_all(pool)
        .await
    })
}
