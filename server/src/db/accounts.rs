//! SQL of accounts as sign-in and activation see them.

use super::audit::{record, AuditEvent};
use super::BeginWrite;
use super::{on_db, Db};
use crate::domain::candidacy::Ending;
use crate::domain::{AccountStatus, Role};

/// An account that may sign in with this e-mail address.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SignInAccount {
    pub id: i64,
    pub establishment_id: i64,
    #[sqlx(try_from = "String")]
    pub status: AccountStatus,
    pub password_hash: Option<String>,
    pub temporary_hash: Option<String>,
}

/// Active accounts, and candidates whose temporary password is unused and unexpired at
/// `at`, for this address (any case). Failed tries never lock a code (PRODUCT.md §3).
pub async fn for_sign_in(db: &Db, email: &str, at: i64) -> Result<Vec<SignInAccount>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as(
            "SELECT u.id, u.establishment_id, u.status, u.password_hash, \
             CASE WHEN u.status = 'candidate' AND t.used_at IS NULL AND t.expires_at >= $2 \
                  THEN t.password_hash END AS temporary_hash \
             FROM users u LEFT JOIN temporary_passwords t ON t.user_id = u.id \
             WHERE LOWER(u.email) = LOWER($1) AND u.status IN ('active', 'candidate') ORDER BY u.id",
        )
        .bind(email)
        .bind(at)
        .fetch_all(pool)
        .await
    })
}

/// Counts a wrong try of a candidate's temporary password (shown to the candidate and to
/// operators), atomically.
pub async fn count_temporary_failure(db: &Db, user_id: i64, at: i64) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query(
            "UPDATE temporary_passwords SET failed_attempts = failed_attempts + 1, last_failed_at = $2 \
             WHERE user_id = $1 AND used_at IS NULL",
        )
        .bind(user_id)
        .bind(at)
        .execute(pool)
        .await
        .map(drop)
    })
}

/// Wrong tries of a candidate's temporary password since its letter (0 without one).
pub async fn temporary_failures(db: &Db, user_id: i64) -> Result<i64, sqlx::Error> {
    on_db!(db, pool => {
        let failures: Option<i64> = sqlx::query_scalar("SELECT failed_attempts FROM temporary_passwords WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(pool)
            .await?;
        Ok(failures.unwrap_or(0))
    })
}

/// The candidate becomes an active administrator with their own password, in one
/// transaction at `at`: the candidacy ends as [`Ending::Activated`] says, the activation
/// session is replaced by a full one, an audit event. `false` when it was no longer open.
pub async fn activate(
    db: &Db,
    user_id: i64,
    password_hash: &str,
    sessions: (&str, &str),
    ip: &str,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let (old_session, new_session) = sessions;
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let closed = super::candidacies::close!(tx, user_id, Ending::Activated, at);
        let Some((establishment_id, _)) = closed else {
            return Ok(false);
        };
        sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
            .bind(user_id)
            .bind(password_hash)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(old_session)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO sessions (token_hash, user_id, purpose, created_at, last_seen_at) VALUES ($1, $2, 'full', $3, $3)")
            .bind(new_session)
            .bind(user_id)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        record!(&mut *tx, &AuditEvent {
            action: "account.activated",
            actor: format!("user:{user_id}"),
            ip: ip.into(),
            establishment_id: Some(establishment_id),
            user_id: Some(user_id),
            details: "administrateur activé avec le mot de passe temporaire du courrier".into(),
        })?;
        tx.commit().await?;
        Ok(true)
    })
}

/// Who a session belongs to, as the page shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Profile {
    pub civility: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    #[sqlx(try_from = "String")]
    pub status: AccountStatus,
    pub establishment_name: String,
}

pub async fn profile(db: &Db, user_id: i64) -> Result<Option<Profile>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as(
            "SELECT u.civility, u.first_name, u.last_name, u.email, u.role, u.status, \
             e.name AS establishment_name FROM users u JOIN establishments e ON e.id = u.establishment_id \
             WHERE u.id = $1",
        )
        .bind(user_id)
        .fetch_optional(pool)
        .await
    })
}

/// Active accounts with this address (any case): (id, establishment id).
pub async fn active_with_email(db: &Db, email: &str) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as("SELECT id, establishment_id FROM users WHERE LOWER(email) = LOWER($1) AND status = 'active' ORDER BY id")
            .bind(email)
            .fetch_all(pool)
            .await
    })
}

/// Queues the e-mail that will carry a reset link (drawn when it is sent).
pub async fn queue_reset(
    db: &Db,
    link: super::emails::Link,
    email: (&str, &str, &str),
    ip: &str,
) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        let (to, subject, body) = email;
        let mut tx = pool.begin_write().await?;
        let user_id = link.user_id;
        super::emails::queue!(&mut *tx, to, subject, body, Some(link))?;
        record!(&mut *tx, &AuditEvent {
            action: "account.password_reset_requested",
            actor: "anonymous".into(),
            ip: ip.into(),
            establishment_id: None,
            user_id: Some(user_id),
            details: "lien de choix d’un nouveau mot de passe envoyé".into(),
        })?;
        tx.commit().await
    })
}

/// The account a valid (unused, unexpired) reset link belongs to, with its words for
/// the password policy: (id, e-mail, last name, first name).
pub async fn reset_owner(
    db: &Db,
    token_hash: &str,
    at: i64,
) -> Result<Option<(i64, String, String, String)>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as(
            "SELECT u.id, u.email, u.last_name, u.first_name FROM password_resets r \
             JOIN users u ON u.id = r.user_id WHERE r.token_hash = $1 AND r.used_at IS NULL \
             AND r.expires_at >= $2 AND u.status = 'active'",
        )
        .bind(token_hash)
        .bind(at)
        .fetch_optional(pool)
        .await
    })
}

/// Uses the link once: new password, every session of the account and every other reset
/// link of it ended, audit event.
pub async fn reset_password(
    db: &Db,
    token_hash: &str,
    password_hash: &str,
    ip: &str,
    at: i64,
) -> Result<bool, sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let user_id: Option<i64> = sqlx::query_scalar(
            "UPDATE password_resets SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL \
             AND expires_at >= $2 RETURNING user_id",
        )
        .bind(token_hash)
        .bind(at)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(user_id) = user_id else {
            return Ok(false);
        };
        sqlx::query("UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1")
            .bind(user_id)
            .bind(password_hash)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        sqlx::query(super::sessions::END_ALL_OF_USER)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE password_resets SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL")
            .bind(user_id)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        record!(&mut *tx, &AuditEvent {
            action: "account.password_reset",
            actor: format!("user:{user_id}"),
            ip: ip.into(),
            establishment_id: None,
            user_id: Some(user_id),
            details: "mot de passe changé par lien de réinitialisation".into(),
        })?;
        tx.commit().await?;
        Ok(true)
    })
}
