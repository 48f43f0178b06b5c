//! SQL of server-side sessions. Tokens are stored hashed.

use super::audit::{record, AuditEvent};
use super::second_factor::Holder;
use super::BeginWrite;
use super::{on_db, Db};
use crate::domain::{AccountStatus, Purpose};

/// Ends every session of a person: a cancelled candidacy, a disabled account, a changed
/// privilege or a new password signs in again.
pub(crate) const END_ALL_OF_USER: &str = "DELETE FROM sessions WHERE user_id = $1";

/// A live session with what requests need of its user.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub user_id: i64,
    #[sqlx(try_from = "String")]
    pub purpose: Purpose,
    pub created_at: i64,
    pub last_seen_at: i64,
    #[sqlx(try_from = "String")]
    pub user_status: AccountStatus,
    /// When the session last proved a second factor.
    pub factor_at: Option<i64>,
}

/// A session begun at `at` (the application's clock); `factor_at`: when it proved a
/// second factor, if it did.
pub async fn create(
    db: &Db,
    token_hash: &str,
    user_id: i64,
    purpose: &str,
    at: i64,
    factor_at: Option<i64>,
) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query("INSERT INTO sessions (token_hash, user_id, purpose, created_at, last_seen_at, factor_at) VALUES ($1, $2, $3, $4, $4, $5)")
            .bind(token_hash)
            .bind(user_id)
            .bind(purpose)
            .bind(at)
            .bind(factor_at)
            .execute(pool)
            .await
            .map(drop)
    })
}

pub async fn find(db: &Db, token_hash: &str) -> Result<Option<SessionRow>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as(
            "SELECT s.user_id, s.purpose, s.created_at, s.last_seen_at, u.status AS user_status, s.factor_at \
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(pool)
        .await
    })
}

/// The session proved a second factor at `at`.
pub async fn prove_factor(
    db: &Db,
    holder: Holder,
    token_hash: &str,
    at: i64,
    event: &AuditEvent,
) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query(prove_factor_sql(holder))
            .bind(token_hash)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        record!(&mut *tx, event, at = at)?;
        tx.commit().await
    })
}

/// The session `$1` (a user's or an operator's) proved the second factor at `$2`.
fn prove_factor_sql(holder: Holder) -> &'static str {
    match holder {
        Holder::User(_) => "UPDATE sessions SET factor_at = $2 WHERE token_hash = $1",
        Holder::Operator(_) => "UPDATE operator_sessions SET factor_at = $2 WHERE token_hash = $1",
    }
}

/// The session has just proved a factor by adding it (a code of the new app, the new
/// passkey): what was added is audited already.
pub async fn factor_added(
    db: &Db,
    holder: Holder,
    token_hash: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query(prove_factor_sql(holder))
            .bind(token_hash)
            .bind(at)
            .execute(pool)
            .await
            .map(drop)
    })
}

/// Records activity at `at`, so that the idle timeout counts from then.
pub async fn touch(db: &Db, token_hash: &str, at: i64) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1")
            .bind(token_hash)
            .bind(at)
            .execute(pool)
            .await
            .map(drop)
    })
}

/// Signs out: ends the session of this token, user's or operator's, and records it with
/// who it was; `false` when there was none.
pub async fn sign_out(db: &Db, token_hash: &str, ip: &str, at: i64) -> Result<bool, sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let user: Option<i64> = sqlx::query_scalar("DELETE FROM sessions WHERE token_hash = $1 RETURNING user_id")
            .bind(token_hash)
            .fetch_optional(&mut *tx)
            .await?;
        let operator: Option<i64> = sqlx::query_scalar(
            "DELETE FROM operator_sessions WHERE token_hash = $1 RETURNING operator_id",
        )
        .bind(token_hash)
        .fetch_optional(&mut *tx)
        .await?;
        let actor = match (user, operator) {
            (Some(user_id), _) => format!("user:{user_id}"),
            (None, Some(operator_id)) => format!("operator:{operator_id}"),
            (None, None) => return Ok(false),
        };
        record!(&mut *tx, &AuditEvent {
            action: "session.signed_out",
            actor,
            ip: ip.into(),
            establishment_id: None,
            user_id: user,
            details: String::new(),
        }, at = at)?;
        tx.commit().await?;
        Ok(true)
    })
}

pub async fn delete(db: &Db, token_hash: &str) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(pool)
            .await
            .map(drop)
    })
}
