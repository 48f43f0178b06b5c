//! SQL of passkeys and of their ceremonies (the state between a ceremony's two requests).

use super::audit::{record, AuditEvent};
use super::emails::queue;
use super::BeginWrite;
use super::{on_db, Db};

/// A stored passkey: its owner, the handle the authenticator keeps, and webauthn-rs's
/// record of it (JSON).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredPasskey {
    pub credential_id: String,
    pub user_id: i64,
    pub user_handle: String,
    pub passkey: String,
}

/// A passkey as its owner's page lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PasskeyLine {
    pub credential_id: String,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

/// The person's passkeys, oldest first.
pub async fn of_user(db: &Db, user_id: i64) -> Result<Vec<StoredPasskey>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as(
            "SELECT credential_id, user_id, user_handle, passkey FROM passkeys \
             WHERE user_id = $1 ORDER BY created_at, credential_id",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await
    })
}

/// Whether the person holds a passkey (every check of their second factor asks: one
/// index lookup, not their keys' records).
pub async fn any_of_user(db: &Db, user_id: i64) -> Result<bool, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM passkeys WHERE user_id = $1)")
            .bind(user_id)
            .fetch_one(pool)
            .await
    })
}

/// The person's passkeys as listed (`$1`: their id).
pub(crate) const LINES: &str =
    "SELECT credential_id, name, created_at, last_used_at FROM passkeys \
     WHERE user_id = $1 ORDER BY created_at, credential_id";

pub async fn lines(db: &Db, user_id: i64) -> Result<Vec<PasskeyLine>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as(LINES)
        .bind(user_id)
        .fetch_all(pool)
        .await
    })
}

pub async fn by_credential(
    db: &Db,
    credential_id: &str,
) -> Result<Option<StoredPasskey>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as(
            "SELECT credential_id, user_id, user_handle, passkey FROM passkeys WHERE credential_id = $1",
        )
        .bind(credential_id)
        .fetch_optional(pool)
        .await
    })
}

/// Keeps a ceremony's state until `expires_at`.
pub async fn begin_ceremony(
    db: &Db,
    token_hash: &str,
    user_id: Option<i64>,
    purpose: &str,
    state: &str,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query(
            "INSERT INTO passkey_ceremonies (token_hash, user_id, purpose, state, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(purpose)
        .bind(state)
        .bind(expires_at)
        .execute(pool)
        .await
        .map(drop)
    })
}

/// Takes a live ceremony's state, once (on any instance): the one `DELETE` that finds it
/// wins. `user_id` must match (`None` for a sign-in with a passkey alone).
pub async fn take_ceremony(
    db: &Db,
    token_hash: &str,
    user_id: Option<i64>,
    purpose: &str,
    at: i64,
) -> Result<Option<String>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_scalar(
            "DELETE FROM passkey_ceremonies WHERE token_hash = $1 AND purpose = $2 \
             AND expires_at > $3 AND ((user_id IS NULL AND $4 IS NULL) OR user_id = $4) \
             RETURNING state",
        )
        .bind(token_hash)
        .bind(purpose)
        .bind(at)
        .bind(user_id)
        .fetch_optional(pool)
        .await
    })
}

/// A passkey to keep, with what tells of it.
pub struct NewPasskey<'a> {
    pub credential_id: &'a str,
    pub user_id: i64,
    pub user_handle: &'a str,
    pub name: &'a str,
    pub passkey: &'a str,
    pub at: i64,
    pub event: &'a AuditEvent,
    /// The e-mail that tells the person (recipient, subject, body).
    pub email: (&'a str, &'a str, &'a str),
}

/// Keeps a new passkey, audited and e-mailed; `false` if this credential is known already.
pub async fn add(db: &Db, new: &NewPasskey<'_>) -> Result<bool, sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let added = sqlx::query(
            "INSERT INTO passkeys (credential_id, user_id, user_handle, name, passkey, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (credential_id) DO NOTHING",
        )
        .bind(new.credential_id)
        .bind(new.user_id)
        .bind(new.user_handle)
        .bind(new.name)
        .bind(new.passkey)
        .bind(new.at)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !added {
            return Ok(false);
        }
        record!(&mut *tx, new.event, at = new.at)?;
        let (to, subject, body) = new.email;
        queue!(&mut *tx, to, subject, body)?;
        tx.commit().await?;
        Ok(true)
    })
}

/// Removes one of the person's passkeys, audited and e-mailed; `false` if it is not theirs
/// (or gone already).
pub async fn remove(
    db: &Db,
    user_id: i64,
    credential_id: &str,
    at: i64,
    event: &AuditEvent,
    email: (&str, &str, &str),
) -> Result<bool, sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let removed = sqlx::query("DELETE FROM passkeys WHERE user_id = $1 AND credential_id = $2")
            .bind(user_id)
            .bind(credential_id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            == 1;
        if !removed {
            return Ok(false);
        }
        record!(&mut *tx, event, at = at)?;
        let (to, subject, body) = email;
        queue!(&mut *tx, to, subject, body)?;
        tx.commit().await?;
        Ok(true)
    })
}

/// Records a use: webauthn-rs's updated record (its counter) when it changed, and when.
pub async fn used(
    db: &Db,
    credential_id: &str,
    passkey: Option<&str>,
    at: i64,
) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query(
            "UPDATE passkeys SET passkey = COALESCE($2, passkey), last_used_at = $3 \
             WHERE credential_id = $1",
        )
        .bind(credential_id)
        .bind(passkey)
        .bind(at)
        .execute(pool)
        .await
        .map(drop)
    })
}

impl From<PasskeyLine> for inscription_shared::second_factor::PasskeyLine {
    fn from(line: PasskeyLine) -> Self {
        Self {
            id: line.credential_id,
            name: line.name,
            created_at: line.created_at,
            last_used_at: line.last_used_at,
        }
    }
}
