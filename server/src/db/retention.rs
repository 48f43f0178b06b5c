//! SQL of retention (`crate::domain::retention` holds the durations): what is past its duration is
//! erased in one transaction, with the audit event that counts it.

use crate::domain::retention::{Cutoffs, Erased};

use super::audit::{record, AuditEvent};
use super::BeginWrite;
use super::{on_db, Db};

/// Unconfirmed access requests made before `$1`.
const UNVERIFIED: &str = "status = 'email_unverified' AND updated_at < $1 AND erased_at IS NULL";
/// Refused requests and cancelled accounts closed before `$1`.
const CLOSED: &str = "status IN ('refused', 'cancelled') AND updated_at < $1 AND erased_at IS NULL";

/// What erasing the accounts `{which}` (a condition on `users` with `$1`) does, one
/// statement per effect, each binding `$1` and, when it says so, `$2` (now). The account's
/// row stays, emptied, because letters and the audit trail point to it.
pub(crate) const ERASE_ACCOUNTS: &[(&str, bool)] = &[
    (
        "DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE {which})",
        false,
    ),
    (
        "DELETE FROM email_verifications WHERE user_id IN (SELECT id FROM users WHERE {which})",
        false,
    ),
    (
        "DELETE FROM password_resets WHERE user_id IN (SELECT id FROM users WHERE {which})",
        false,
    ),
    (
        "DELETE FROM temporary_passwords WHERE user_id IN (SELECT id FROM users WHERE {which})",
        false,
    ),
    (
        "DELETE FROM user_rights WHERE user_id IN (SELECT id FROM users WHERE {which})",
        false,
    ),
    // The second factor.
    (
        "DELETE FROM totp_factors WHERE user_id IN (SELECT id FROM users WHERE {which})",
        false,
    ),
    (
        "DELETE FROM recovery_codes WHERE user_id IN (SELECT id FROM users WHERE {which})",
        false,
    ),
    (
        "DELETE FROM second_factor_challenges WHERE user_id IN (SELECT id FROM users WHERE {which})",
        false,
    ),
    (
        "DELETE FROM passkeys WHERE user_id IN (SELECT id FROM users WHERE {which})",
        false,
    ),
    (
        "DELETE FROM passkey_ceremonies WHERE user_id IN (SELECT id FROM users WHERE {which})",
        false,
    ),
    // What the online services' sign-in kept: the authorizations, and the person's `sub`.
    (
        "DELETE FROM oidc_grants WHERE user_id IN (SELECT id FROM users WHERE {which})",
        false,
    ),
    (
        "DELETE FROM oidc_subjects WHERE user_id IN (SELECT id FROM users WHERE {which})",
        false,
    ),
    (
        "UPDATE letters SET temporary_password = NULL, opposition_code = NULL \
         WHERE user_id IN (SELECT id FROM users WHERE {which})",
        false,
    ),
    // E-mails about the account, and the sent ones to its address (never one still to send).
    (
        "DELETE FROM emails WHERE link_user_id IN (SELECT id FROM users WHERE {which}) \
         OR ((sent_at IS NOT NULL OR failed_at IS NOT NULL) \
             AND recipient IN (SELECT email FROM users WHERE {which}))",
        false,
    ),
    (
        "UPDATE audit_events SET ip = '', details = '', pseudonymised_at = $2 \
         WHERE user_id IN (SELECT id FROM users WHERE {which}) AND pseudonymised_at IS NULL",
        true,
    ),
];

/// Empties the accounts themselves (last: the statements above find them by their data).
/// An unconfirmed request becomes cancelled: it is over, and an empty address must not
/// count as a live one.
pub(crate) const EMPTY_ACCOUNTS: &str =
    "UPDATE users SET email = '', civility = '', first_name = '', \
    last_name = '', job_title = '', phone = '', password_hash = NULL, erased_at = $2, \
    status = CASE WHEN status = 'email_unverified' THEN 'cancelled' ELSE status END \
    WHERE {which}";

/// Erases the accounts that `$which` (a condition on `users`, with `$1` bound to `$first`)
/// selects, within the transaction `$tx`, at `$now`; evaluates to how many were emptied.
/// The retention pass and a person's or an operator's erasure share it.
macro_rules! erase_accounts {
    ($tx:expr, $which:expr, $first:expr, $now:expr) => {
        async {
            for (sql, binds_now) in $crate::db::retention::ERASE_ACCOUNTS {
                let sql = sql.replace("{which}", $which);
                let query = sqlx::query(&sql).bind($first);
                let query = if *binds_now { query.bind($now) } else { query };
                query.execute(&mut *$tx).await?;
            }
            let empty = $crate::db::retention::EMPTY_ACCOUNTS.replace("{which}", $which);
            Ok::<u64, sqlx::Error>(
                sqlx::query(&empty)
                    .bind($first)
                    .bind($now)
                    .execute(&mut *$tx)
                    .await?
                    .rows_affected(),
            )
        }
        .await
    };
}
pub(crate) use erase_accounts;

/// Rows past their duration that go whole, with their cutoff (`$1`).
const DELETE_EMAILS: &str =
    "DELETE FROM emails WHERE created_at < $1 AND (sent_at IS NOT NULL OR failed_at IS NOT NULL)";
const DELETE_CONTACT_MESSAGES: &str =
    "DELETE FROM contact_messages WHERE status = 'handled' AND handled_at < $1";
const DELETE_LINKS: [&str; 2] = [
    "DELETE FROM email_verifications WHERE expires_at < $1",
    "DELETE FROM password_resets WHERE expires_at < $1",
];
/// Sessions last used before `$1` or begun before `$2`.
const DELETE_SESSIONS: [&str; 2] = [
    "DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2",
    "DELETE FROM operator_sessions WHERE last_seen_at < $1 OR created_at < $2",
];
/// The services' authorizations end with the portal session they came from (their codes
/// long spent or expired before `$1`, now).
const DELETE_GRANTS: &str = "DELETE FROM oidc_grants WHERE code_expires_at < $1 \
    AND session_hash NOT IN (SELECT token_hash FROM sessions)";
/// Audit events that happened before `$1` lose their address and details at `$2`.
const PSEUDONYMISE_AUDIT: &str = "UPDATE audit_events SET ip = '', details = '', \
    pseudonymised_at = $2 WHERE at < $1 AND pseudonymised_at IS NULL";

/// Erases what is past its retention and, when anything went, records the counts.
pub async fn apply(db: &Db, c: &Cutoffs) -> Result<Erased, sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let mut erased = Erased::default();
        for (which, cutoff, count) in [
            (UNVERIFIED, c.unverified_requests, &mut erased.unverified_requests),
            (CLOSED, c.closed_accounts, &mut erased.closed_accounts),
        ] {
            *count = erase_accounts!(tx, which, cutoff, c.now)?;
        }
        erased.emails = sqlx::query(DELETE_EMAILS).bind(c.emails).execute(&mut *tx).await?.rows_affected();
        erased.contact_messages = sqlx::query(DELETE_CONTACT_MESSAGES)
            .bind(c.contact_messages)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        for sql in DELETE_LINKS {
            erased.links += sqlx::query(sql).bind(c.now).execute(&mut *tx).await?.rows_affected();
        }
        for sql in DELETE_SESSIONS {
            erased.sessions += sqlx::query(sql)
                .bind(c.sessions_seen)
                .bind(c.sessions_begun)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        }
        erased.authorizations = sqlx::query(DELETE_GRANTS).bind(c.now).execute(&mut *tx).await?.rows_affected();
        erased.audit_events = sqlx::query(PSEUDONYMISE_AUDIT)
            .bind(c.audit_events)
            .bind(c.now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if erased.total() > 0 {
            record!(&mut *tx, &AuditEvent {
                action: "retention.applied",
                actor: "system".into(),
                ip: String::new(),
                establishment_id: None,
                user_id: None,
                details: erased.summary(),
            }, at = c.now)?;
        }
        tx.commit().await?;
        Ok(erased)
    })
}
