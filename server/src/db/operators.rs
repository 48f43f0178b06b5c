//! SQL of operator accounts and their sessions.

use super::audit::{record, AuditEvent};
use super::BeginWrite;
use super::{now, on_db, Db};

/// An operator as sign-in and the console see them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OperatorRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub password_hash: String,
}

/// A live operator session.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OperatorSessionRow {
    pub operator_id: i64,
    pub email: String,
    pub name: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    /// When the session last proved the second factor.
    pub factor_at: Option<i64>,
    /// Whether the operator holds one (a confirmed app): without, they may only add one.
    pub has_factor: bool,
}

pub async fn by_email(db: &Db, email: &str) -> Result<Option<OperatorRow>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as("SELECT id, email, name, password_hash FROM operators WHERE email = LOWER($1)")
            .bind(email)
            .fetch_optional(pool)
            .await
    })
}

pub async fn by_id(db: &Db, id: i64) -> Result<Option<OperatorRow>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as("SELECT id, email, name, password_hash FROM operators WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await
    })
}

/// Creates the operator, or gives an existing one a new password and ends their sessions.
/// Returns whether it was created.
pub async fn create_or_reset(
    db: &Db,
    email: &str,
    name: &str,
    password_hash: &str,
) -> Result<bool, sqlx::Error> {
    let at = now();
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let existing: Option<i64> = sqlx::query_scalar("UPDATE operators SET name = $2, password_hash = $3, updated_at = $4 WHERE email = $1 RETURNING id")
            .bind(email)
            .bind(name)
            .bind(password_hash)
            .bind(at)
            .fetch_optional(&mut *tx)
            .await?;
        let (id, created) = match existing {
            Some(id) => {
                sqlx::query("DELETE FROM operator_sessions WHERE operator_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                (id, false)
            }
            None => {
                let id: i64 = sqlx::query_scalar("INSERT INTO operators (email, name, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id")
                    .bind(email)
                    .bind(name)
                    .bind(password_hash)
                    .bind(at)
                    .fetch_one(&mut *tx)
                    .await?;
                (id, true)
            }
        };
        record!(&mut *tx, &AuditEvent {
            action: if created { "operator.created" } else { "operator.password_reset" },
            actor: "system".into(),
            ip: "ligne de commande".into(),
            establishment_id: None,
            user_id: None,
            details: format!("opérateur {id} <{email}>"),
        })?;
        tx.commit().await?;
        Ok(created)
    })
}

/// An operator's session begun at `at` (the application's clock).
/// `factor_at`: when the session proved the second factor (none for an operator who has
/// yet to add one).
pub async fn create_session(
    db: &Db,
    token_hash: &str,
    operator_id: i64,
    at: i64,
    factor_at: Option<i64>,
) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query("INSERT INTO operator_sessions (token_hash, operator_id, created_at, last_seen_at, factor_at) VALUES ($1, $2, $3, $3, $4)")
            .bind(token_hash)
            .bind(operator_id)
            .bind(at)
            .bind(factor_at)
            .execute(pool)
            .await
            .map(drop)
    })
}

pub async fn find_session(
    db: &Db,
    token_hash: &str,
) -> Result<Option<OperatorSessionRow>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as(
            "SELECT s.operator_id, o.email, o.name, s.created_at, s.last_seen_at, s.factor_at, \
             EXISTS (SELECT 1 FROM operator_totp_factors t WHERE t.operator_id = o.id \
                     AND t.confirmed_at IS NOT NULL) AS has_factor \
             FROM operator_sessions s JOIN operators o ON o.id = s.operator_id WHERE s.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(pool)
        .await
    })
}

pub async fn touch_session(db: &Db, token_hash: &str, at: i64) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query("UPDATE operator_sessions SET last_seen_at = $2 WHERE token_hash = $1")
            .bind(token_hash)
            .bind(at)
            .execute(pool)
            .await
            .map(drop)
    })
}

pub async fn delete_session(db: &Db, token_hash: &str) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query("DELETE FROM operator_sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(pool)
            .await
            .map(drop)
    })
}
