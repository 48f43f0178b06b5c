//! SQL of e-mails: queued with the change that causes them (same transaction), then sent
//! over SMTP when configured (tried again with a growing delay, then abandoned); without
//! SMTP they stay here as the local outbox. A single-use link is never stored: the body
//! holds [`TOKEN_MARK`] where the link's token goes, and the token is drawn at send time.

use super::{on_db, Db};

/// Where a link's token stands in a stored body.
pub const TOKEN_MARK: &str = "{jeton}";

/// The kind of single-use link an e-mail carries, and the table that keeps its hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    PasswordReset,
    EmailVerification,
}

impl LinkKind {
    pub fn as_db(self) -> &'static str {
        match self {
            Self::PasswordReset => "password_reset",
            Self::EmailVerification => "email_verification",
        }
    }

    fn from_db(value: &str) -> Option<Self> {
        match value {
            "password_reset" => Some(Self::PasswordReset),
            "email_verification" => Some(Self::EmailVerification),
            _ => None,
        }
    }
}

/// The single-use link an e-mail will carry: whose, and until when it works.
#[derive(Debug, Clone, Copy)]
pub struct Link {
    pub kind: LinkKind,
    pub user_id: i64,
    pub expires_at: i64,
}

/// Queues an e-mail with the given executor (a pool or a transaction of either database).
macro_rules! queue {
    ($executor:expr, $to:expr, $subject:expr, $body:expr) => {
        $crate::db::emails::queue!($executor, $to, $subject, $body, None)
    };
    ($executor:expr, $to:expr, $subject:expr, $body:expr, $link:expr) => {{
        let link: Option<$crate::db::emails::Link> = $link;
        sqlx::query(
            "INSERT INTO emails (recipient, subject, body, created_at, link_kind, link_user_id, link_expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind($to)
        .bind($subject)
        .bind($body)
        .bind($crate::db::now())
        .bind(link.map(|l| l.kind.as_db()))
        .bind(link.map(|l| l.user_id))
        .bind(link.map(|l| l.expires_at))
        .execute($executor)
        .await
    }};
}
pub(crate) use queue;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Email {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    /// With [`TOKEN_MARK`] where a link's token goes.
    pub body: String,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    pub attempts: i64,
    pub failed_at: Option<i64>,
    pub last_error: String,
    link_kind: Option<String>,
    link_user_id: Option<i64>,
    link_expires_at: Option<i64>,
}

impl Email {
    /// The link this e-mail carries, if any.
    pub fn link(&self) -> Option<Link> {
        Some(Link {
            kind: LinkKind::from_db(self.link_kind.as_deref()?)?,
            user_id: self.link_user_id?,
            expires_at: self.link_expires_at?,
        })
    }
}

const COLUMNS: &str = "id, recipient, subject, body, created_at, sent_at, attempts, failed_at, \
    last_error, link_kind, link_user_id, link_expires_at";

/// E-mails due for a try at `at`, the longest due first: one that keeps failing is pushed
/// back after each failure, so it never holds a later one.
pub async fn due(db: &Db, at: i64) -> Result<Vec<Email>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM emails WHERE sent_at IS NULL AND failed_at IS NULL \
            AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT 100"))
            .bind(at)
            .fetch_all(pool)
            .await
    })
}

/// Claims an e-mail for sending (marks it sent), unless another instance did first;
/// `true` if this call did.
pub async fn claim(db: &Db, id: i64, at: i64) -> Result<bool, sqlx::Error> {
    on_db!(db, pool => {
        let done = sqlx::query("UPDATE emails SET sent_at = $2 WHERE id = $1 AND sent_at IS NULL AND failed_at IS NULL")
            .bind(id)
            .bind(at)
            .execute(pool)
            .await?;
        Ok(done.rows_affected() == 1)
    })
}

/// Puts a claimed e-mail back after a failed send, to be tried at `next_attempt_at`, or
/// abandons it (`next_attempt_at` = `None`).
pub async fn failed(
    db: &Db,
    id: i64,
    error: &str,
    at: i64,
    next_attempt_at: Option<i64>,
) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query("UPDATE emails SET sent_at = NULL, attempts = attempts + 1, last_error = $2, \
            next_attempt_at = COALESCE($4, next_attempt_at), \
            failed_at = CASE WHEN $4 IS NULL THEN $3 END WHERE id = $1")
            .bind(id)
            .bind(error)
            .bind(at)
            .bind(next_attempt_at)
            .execute(pool)
            .await
            .map(drop)
    })
}

/// Stores the hash of a link's token drawn for `link` (at send time).
pub async fn store_link(db: &Db, link: Link, token_hash: &str) -> Result<(), sqlx::Error> {
    let sql = match link.kind {
        LinkKind::PasswordReset => {
            "INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES ($1, $2, $3)"
        }
        LinkKind::EmailVerification => {
            "INSERT INTO email_verifications (token_hash, user_id, expires_at) VALUES ($1, $2, $3)"
        }
    };
    on_db!(db, pool => {
        sqlx::query(sql)
            .bind(token_hash)
            .bind(link.user_id)
            .bind(link.expires_at)
            .execute(pool)
            .await
            .map(drop)
    })
}

/// Every e-mail to one address, newest first (the local outbox, and tests).
pub async fn to_recipient(db: &Db, recipient: &str) -> Result<Vec<Email>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM emails WHERE recipient = $1 ORDER BY id DESC"))
            .bind(recipient)
            .fetch_all(pool)
            .await
    })
}

/// The latest e-mails, newest first (the operators' view of the local outbox).
pub async fn latest(db: &Db, limit: i64) -> Result<Vec<Email>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM emails ORDER BY id DESC LIMIT $1"))
            .bind(limit)
            .fetch_all(pool)
            .await
    })
}
