//! SQL of a person's rights over their data (`crate::my_data` holds the rules): what is
//! kept about them, their corrections, and the erasure of their account, by themselves
//! or by an operator, in one transaction with its audit event.

use inscription_shared::my_data::{
    Corrected, KeptAccount, KeptEmail, KeptEstablishment, KeptEvent, KeptSecondFactor,
    KeptServices, KeptSession, KeptSignIn, MyData,
};

use super::audit::{record, AuditEvent};
use super::emails::queue;
use super::retention::erase_accounts;
use super::BeginWrite;
use super::{now, on_db, Db};
use crate::domain::{AccountStatus, Role};

#[derive(sqlx::FromRow)]
struct AccountRow {
    civility: String,
    last_name: String,
    first_name: String,
    job_title: String,
    email: String,
    phone: String,
    #[sqlx(try_from = "String")]
    role: Role,
    created_at: i64,
    client_number: String,
    establishment_name: String,
}

/// The audit events kept in an export: the newest, as many as any person could have.
const EVENTS_MAX: i64 = 5_000;

/// Everything kept about an account, or `None` if it is not there.
pub async fn export(db: &Db, user_id: i64) -> Result<Option<MyData>, sqlx::Error> {
    on_db!(db, pool => {
        let row: Option<AccountRow> = sqlx::query_as(
            "SELECT u.civility, u.last_name, u.first_name, u.job_title, u.email, u.phone, \
             u.role, u.created_at, e.client_number, e.name AS establishment_name \
             FROM users u JOIN establishments e ON e.id = u.establishment_id WHERE u.id = $1",
        )
        .bind(user_id)
        .fetch_optional(pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let rights: Vec<String> = sqlx::query_scalar(
            "SELECT s.label FROM user_rights r JOIN services s ON s.code = r.service_code \
             WHERE r.user_id = $1 ORDER BY s.position",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await?;
        let sessions: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT created_at, last_seen_at FROM sessions WHERE user_id = $1 ORDER BY created_at DESC",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await?;
        let events: Vec<(i64, String, String, String)> = sqlx::query_as(
            "SELECT at, action, ip, details FROM audit_events WHERE user_id = $1 OR actor = $2 \
             ORDER BY id DESC LIMIT $3",
        )
        .bind(user_id)
        .bind(format!("user:{user_id}"))
        .bind(EVENTS_MAX)
        .fetch_all(pool)
        .await?;
        let emails: Vec<(i64, String, Option<i64>)> = sqlx::query_as(
            "SELECT created_at, subject, sent_at FROM emails WHERE recipient = $1 \
             OR link_user_id = $2 ORDER BY id DESC",
        )
        .bind(&row.email)
        .bind(user_id)
        .fetch_all(pool)
        .await?;
        let app_added_at: Option<i64> = sqlx::query_scalar(
            "SELECT confirmed_at FROM totp_factors WHERE user_id = $1 AND confirmed_at IS NOT NULL",
        )
        .bind(user_id)
        .fetch_optional(pool)
        .await?;
        let recovery_codes_left: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
        )
        .bind(user_id)
        .fetch_one(pool)
        .await?;
        let passkeys: Vec<super::passkeys::PasskeyLine> = sqlx::query_as(super::passkeys::LINES)
        .bind(user_id)
        .fetch_all(pool)
        .await?;
        let subject: Option<String> =
            sqlx::query_scalar("SELECT subject FROM oidc_subjects WHERE user_id = $1")
                .bind(user_id)
                .fetch_optional(pool)
                .await?;
        let sign_ins: Vec<(i64, String)> = sqlx::query_as(
            "SELECT g.created_at, c.name FROM oidc_grants g JOIN oidc_clients c \
             ON c.client_id = g.client_id WHERE g.user_id = $1 ORDER BY g.created_at DESC",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await?;
        Ok(Some(MyData {
            account: KeptAccount {
                civility: row.civility,
                last_name: row.last_name,
                first_name: row.first_name,
                job_title: row.job_title,
                email: row.email,
                phone: row.phone,
                role: row.role.label().into(),
                created_at: row.created_at,
            },
            establishment: KeptEstablishment {
                client_number: row.client_number,
                name: row.establishment_name,
            },
            rights,
            sessions: sessions
                .into_iter()
                .map(|(created_at, last_seen_at)| KeptSession { created_at, last_seen_at })
                .collect(),
            events: events
                .into_iter()
                .map(|(at, action, ip, details)| KeptEvent { at, action, ip, details })
                .collect(),
            emails: emails
                .into_iter()
                .map(|(created_at, subject, sent_at)| KeptEmail { created_at, subject, sent_at })
                .collect(),
            second_factor: KeptSecondFactor {
                app_added_at,
                recovery_codes_left,
                passkeys: passkeys.into_iter().map(Into::into).collect(),
            },
            services: KeptServices {
                subject,
                sign_ins: sign_ins
                    .into_iter()
                    .map(|(at, service)| KeptSignIn { at, service })
                    .collect(),
            },
        }))
    })
}

/// Who an account is, as the correction compares it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Identity {
    pub civility: String,
    pub last_name: String,
    pub first_name: String,
    pub job_title: String,
    pub phone: String,
}

/// An active account's identity, or `None`.
pub async fn identity(db: &Db, user_id: i64) -> Result<Option<Identity>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as(
            "SELECT civility, last_name, first_name, job_title, phone FROM users \
             WHERE id = $1 AND status = 'active'",
        )
        .bind(user_id)
        .fetch_optional(pool)
        .await
    })
}

/// Writes a person's corrected identity and the audit event that names the fields
/// changed (`details`); false if the account is not active any more.
pub async fn correct(
    db: &Db,
    user_id: i64,
    corrected: &Corrected,
    ip: &str,
    details: &str,
) -> Result<bool, sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE users SET civility = $2, last_name = $3, first_name = $4, job_title = $5, \
             phone = $6, updated_at = $7 WHERE id = $1 AND status = 'active'",
        )
        .bind(user_id)
        .bind(corrected.civility.label())
        .bind(corrected.last_name.as_str())
        .bind(corrected.first_name.as_str())
        .bind(corrected.job_title.as_str())
        .bind(corrected.phone.as_str())
        .bind(now())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Ok(false);
        }
        let establishment_id: i64 =
            sqlx::query_scalar("SELECT establishment_id FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_one(&mut *tx)
                .await?;
        record!(&mut *tx, &AuditEvent {
            action: "account.corrected",
            actor: format!("user:{user_id}"),
            ip: ip.into(),
            establishment_id: Some(establishment_id),
            user_id: Some(user_id),
            details: details.into(),
        })?;
        tx.commit().await?;
        Ok(true)
    })
}

/// An erasure: who asks, and what the audit trail and the person's last e-mail say.
pub struct Erasure<'a> {
    pub action: &'static str,
    pub actor: &'a str,
    pub ip: &'a str,
    pub details: &'a str,
    /// Subject and body of the e-mail that tells the person.
    pub notice: (&'a str, &'a str),
}

/// How an erasure ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Erased {
    Done,
    /// No such account, or already erased.
    NotFound,
    /// The establishment would be left without an active administrator.
    LastAdministrator,
    /// A candidate administrator: their candidacy (and letter) must be cancelled first.
    Candidate,
}

/// Closes an account and erases what is kept about the person, in one transaction under
/// the establishment's lock (as the console's changes, so that the last active
/// administrator stays); the audit trail keeps a pseudonymised trace and this event.
pub async fn erase(db: &Db, user_id: i64, erasure: &Erasure<'_>) -> Result<Erased, sqlx::Error> {
    let at = now();
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        // A write first: PostgreSQL locks the user's row, so its rivals wait for this one.
        let row: Option<(i64, String, String, String)> = sqlx::query_as(
            "UPDATE users SET updated_at = updated_at WHERE id = $1 AND erased_at IS NULL \
             RETURNING establishment_id, role, status, email",
        )
        .bind(user_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((establishment_id, role, status, email)) = row else {
            return Ok(Erased::NotFound);
        };
        let (role, status) = (Role::from_db(&role)?, AccountStatus::from_db(&status)?);
        sqlx::query("UPDATE establishments SET updated_at = updated_at WHERE id = $1")
            .bind(establishment_id)
            .execute(&mut *tx)
            .await?;
        if status == AccountStatus::Candidate {
            return Ok(Erased::Candidate);
        }
        if role.administers(status) {
            let others: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM users WHERE establishment_id = $1 AND id <> $2 \
                 AND role = 'administrator' AND status = 'active'",
            )
            .bind(establishment_id)
            .bind(user_id)
            .fetch_one(&mut *tx)
            .await?;
            if others == 0 {
                return Ok(Erased::LastAdministrator);
            }
        }
        sqlx::query(
            "UPDATE users SET status = 'cancelled', updated_at = $2 \
             WHERE id = $1 AND status NOT IN ('refused', 'cancelled')",
        )
        .bind(user_id)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        erase_accounts!(tx, "id = $1 AND erased_at IS NULL", user_id, at)?;
        // After the erasure, which pseudonymises the person's earlier events.
        record!(&mut *tx, &AuditEvent {
            action: erasure.action,
            actor: erasure.actor.into(),
            ip: erasure.ip.into(),
            establishment_id: Some(establishment_id),
            user_id: Some(user_id),
            details: erasure.details.into(),
        })?;
        let (subject, body) = erasure.notice;
        queue!(&mut *tx, email.as_str(), subject, body)?;
        tx.commit().await?;
        Ok(Erased::Done)
    })
}
