//! SQL of the OpenID Connect provider (server/src/oidc/): signing keys, the services
//! registered as clients, each person's subject, and the authorizations (code, then
//! access token).

use super::audit::{record, AuditEvent};
use super::BeginWrite;
use super::{on_db, Db};
use crate::domain::AccountStatus;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct KeyRow {
    pub kid: String,
    /// PKCS#8, base64.
    pub private_key: String,
    pub x: String,
    pub y: String,
    pub created_at: i64,
    pub retired_at: Option<i64>,
}

const KEY_COLUMNS: &str = "kid, private_key, x, y, created_at, retired_at";

/// The newest key not retired.
pub async fn signing_key(db: &Db) -> Result<Option<KeyRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {KEY_COLUMNS} FROM oidc_keys WHERE retired_at IS NULL \
         ORDER BY created_at DESC, kid DESC LIMIT 1"
    );
    on_db!(db, pool => sqlx::query_as(&sql).fetch_optional(pool).await)
}

/// The keys not retired, and those retired after `retired_since`.
pub async fn published_keys(db: &Db, retired_since: i64) -> Result<Vec<KeyRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {KEY_COLUMNS} FROM oidc_keys WHERE retired_at IS NULL OR retired_at > $1 \
         ORDER BY created_at DESC, kid DESC"
    );
    on_db!(db, pool => sqlx::query_as(&sql).bind(retired_since).fetch_all(pool).await)
}

pub async fn key(db: &Db, kid: &str) -> Result<Option<KeyRow>, sqlx::Error> {
    let sql = format!("SELECT {KEY_COLUMNS} FROM oidc_keys WHERE kid = $1");
    on_db!(db, pool => sqlx::query_as(&sql).bind(kid).fetch_optional(pool).await)
}

/// Adds a key; with `retire`, the other keys are retired at that time, and it is audited.
pub async fn add_key(
    db: &Db,
    key: &KeyRow,
    retire: Option<(i64, &AuditEvent)>,
) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        if let Some((at, event)) = retire {
            sqlx::query("UPDATE oidc_keys SET retired_at = $1 WHERE retired_at IS NULL")
                .bind(at)
                .execute(&mut *tx)
                .await?;
            record!(&mut *tx, event, at = at)?;
        }
        sqlx::query(
            "INSERT INTO oidc_keys (kid, private_key, x, y, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&key.kid)
        .bind(&key.private_key)
        .bind(&key.x)
        .bind(&key.y)
        .bind(key.created_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    })
}

/// A service registered as a client.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ClientRow {
    pub client_id: String,
    pub name: String,
    pub service_code: String,
    /// `None`: a public client (PKCE alone).
    pub secret_hash: Option<String>,
    /// One per line.
    pub redirect_uris: String,
    pub post_logout_redirect_uris: String,
    pub created_at: i64,
    pub secret_rotated_at: Option<i64>,
}

impl ClientRow {
    pub fn redirect_uris(&self) -> Vec<String> {
        lines(&self.redirect_uris)
    }

    pub fn post_logout_redirect_uris(&self) -> Vec<String> {
        lines(&self.post_logout_redirect_uris)
    }
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

const CLIENT_COLUMNS: &str = "client_id, name, service_code, secret_hash, redirect_uris, \
    post_logout_redirect_uris, created_at, secret_rotated_at";

pub async fn client(db: &Db, client_id: &str) -> Result<Option<ClientRow>, sqlx::Error> {
    let sql = format!("SELECT {CLIENT_COLUMNS} FROM oidc_clients WHERE client_id = $1");
    on_db!(db, pool => sqlx::query_as(&sql).bind(client_id).fetch_optional(pool).await)
}

pub async fn clients(db: &Db) -> Result<Vec<ClientRow>, sqlx::Error> {
    let sql = format!("SELECT {CLIENT_COLUMNS} FROM oidc_clients ORDER BY name, client_id");
    on_db!(db, pool => sqlx::query_as(&sql).fetch_all(pool).await)
}

/// Registers a service, audited; `false` if the client id is taken.
pub async fn add_client(
    db: &Db,
    client: &ClientRow,
    event: &AuditEvent,
) -> Result<bool, sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let added = sqlx::query(
            "INSERT INTO oidc_clients (client_id, name, service_code, secret_hash, redirect_uris, \
             post_logout_redirect_uris, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (client_id) DO NOTHING",
        )
        .bind(&client.client_id)
        .bind(&client.name)
        .bind(&client.service_code)
        .bind(&client.secret_hash)
        .bind(&client.redirect_uris)
        .bind(&client.post_logout_redirect_uris)
        .bind(client.created_at)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !added {
            return Ok(false);
        }
        record!(&mut *tx, event, at = client.created_at)?;
        tx.commit().await?;
        Ok(true)
    })
}

/// Gives a confidential service a new secret (the old one dies), audited; `false` if there
/// is no such service or it is a public one.
pub async fn set_secret(
    db: &Db,
    client_id: &str,
    secret_hash: &str,
    at: i64,
    event: &AuditEvent,
) -> Result<bool, sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE oidc_clients SET secret_hash = $2, secret_rotated_at = $3 \
             WHERE client_id = $1 AND secret_hash IS NOT NULL",
        )
        .bind(client_id)
        .bind(secret_hash)
        .bind(at)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !changed {
            return Ok(false);
        }
        record!(&mut *tx, event, at = at)?;
        tx.commit().await?;
        Ok(true)
    })
}

/// The person's subject: `fresh` if they had none yet.
pub async fn subject(db: &Db, user_id: i64, fresh: &str) -> Result<String, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query(
            "INSERT INTO oidc_subjects (user_id, subject) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING",
        )
        .bind(user_id)
        .bind(fresh)
        .execute(pool)
        .await?;
        sqlx::query_scalar("SELECT subject FROM oidc_subjects WHERE user_id = $1")
            .bind(user_id)
            .fetch_one(pool)
            .await
    })
}

/// A person as the services learn of them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Person {
    pub user_id: i64,
    pub email: String,
    pub civility: String,
    pub first_name: String,
    pub last_name: String,
    #[sqlx(try_from = "String")]
    pub status: AccountStatus,
    pub establishment_id: i64,
    pub client_number: String,
    pub establishment_name: String,
    pub establishment_status: String,
}

pub async fn person(db: &Db, user_id: i64) -> Result<Option<Person>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as(
            "SELECT u.id AS user_id, u.email, u.civility, u.first_name, u.last_name, u.status, \
             u.establishment_id, e.client_number, e.name AS establishment_name, \
             e.status AS establishment_status \
             FROM users u JOIN establishments e ON e.id = u.establishment_id WHERE u.id = $1",
        )
        .bind(user_id)
        .fetch_optional(pool)
        .await
    })
}

/// The codes of the services the person holds a right on, in the catalogue's order.
pub async fn rights(db: &Db, user_id: i64) -> Result<Vec<String>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_scalar(
            "SELECT r.service_code FROM user_rights r JOIN services s ON s.code = r.service_code \
             WHERE r.user_id = $1 ORDER BY s.position",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await
    })
}

/// An authorization as its code creates it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Grant {
    pub code_hash: String,
    pub client_id: String,
    pub user_id: i64,
    pub session_hash: String,
    pub sid: String,
    pub redirect_uri: String,
    pub code_challenge: String,
    pub nonce: Option<String>,
    pub auth_time: i64,
    pub created_at: i64,
    pub code_expires_at: i64,
    pub redeemed_at: Option<i64>,
}

/// Records an authorization with its audit event.
pub async fn add_grant(db: &Db, grant: &Grant, event: &AuditEvent) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query(
            "INSERT INTO oidc_grants (code_hash, client_id, user_id, session_hash, sid, redirect_uri, \
             code_challenge, nonce, auth_time, created_at, code_expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(&grant.code_hash)
        .bind(&grant.client_id)
        .bind(grant.user_id)
        .bind(&grant.session_hash)
        .bind(&grant.sid)
        .bind(&grant.redirect_uri)
        .bind(&grant.code_challenge)
        .bind(&grant.nonce)
        .bind(grant.auth_time)
        .bind(grant.created_at)
        .bind(grant.code_expires_at)
        .execute(&mut *tx)
        .await?;
        record!(&mut *tx, event, at = grant.created_at)?;
        tx.commit().await
    })
}

pub async fn grant(db: &Db, code_hash: &str) -> Result<Option<Grant>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as(
            "SELECT code_hash, client_id, user_id, session_hash, sid, redirect_uri, code_challenge, \
             nonce, auth_time, created_at, code_expires_at, redeemed_at FROM oidc_grants WHERE code_hash = $1",
        )
        .bind(code_hash)
        .fetch_optional(pool)
        .await
    })
}

/// Spends the code for this access token: `false` if it was spent already (by another
/// request, on any instance) or has expired. One statement, so that a code serves once.
pub async fn redeem(
    db: &Db,
    code_hash: &str,
    at: i64,
    access_hash: &str,
    access_expires_at: i64,
) -> Result<bool, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query(
            "UPDATE oidc_grants SET redeemed_at = $2, access_hash = $3, access_expires_at = $4 \
             WHERE code_hash = $1 AND redeemed_at IS NULL AND code_expires_at > $2",
        )
        .bind(code_hash)
        .bind(at)
        .bind(access_hash)
        .bind(access_expires_at)
        .execute(pool)
        .await
        .map(|done| done.rows_affected() == 1)
    })
}

/// A replayed code: the token it gave is revoked (RFC 6749 §4.1.2).
pub async fn revoke(db: &Db, code_hash: &str) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query("UPDATE oidc_grants SET access_expires_at = 0 WHERE code_hash = $1")
            .bind(code_hash)
            .execute(pool)
            .await
            .map(drop)
    })
}

/// An access token still in its lifetime, with the portal session it depends on.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Access {
    pub client_id: String,
    pub user_id: i64,
    pub session_hash: String,
}

pub async fn access(db: &Db, access_hash: &str, at: i64) -> Result<Option<Access>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as(
            "SELECT client_id, user_id, session_hash FROM oidc_grants \
             WHERE access_hash = $1 AND access_expires_at > $2",
        )
        .bind(access_hash)
        .bind(at)
        .fetch_optional(pool)
        .await
    })
}

/// The portal session an ID token's `sid` names, if it was made by an authorization.
pub async fn session_of_sid(db: &Db, sid: &str) -> Result<Option<String>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_scalar("SELECT session_hash FROM oidc_grants WHERE sid = $1 LIMIT 1")
            .bind(sid)
            .fetch_optional(pool)
            .await
    })
}
