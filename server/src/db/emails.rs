//! SQL of e-mails: queued with the change that causes them (same transaction), then sent
//! over SMTP when configured; otherwise they stay here as the local outbox.

use super::{now, on_db, Db};

/// Queues an e-mail with the given executor (a pool or a transaction of either database).
macro_rules! queue {
    ($executor:expr, $to:expr, $subject:expr, $body:expr) => {
        sqlx::query(
            "INSERT INTO emails (recipient, subject, body, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind($to)
        .bind($subject)
        .bind($body)
        .bind($crate::db::now())
        .execute($executor)
        .await
    };
}
pub(crate) use queue;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Email {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

/// E-mails not sent yet, oldest first.
pub async fn unsent(db: &Db) -> Result<Vec<Email>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as("SELECT id, recipient, subject, body, created_at, sent_at FROM emails WHERE sent_at IS NULL ORDER BY id LIMIT 100")
            .fetch_all(pool)
            .await
    })
}

/// Marks an e-mail sent, unless another instance did first; `true` if this call did.
pub async fn mark_sent(db: &Db, id: i64) -> Result<bool, sqlx::Error> {
    on_db!(db, pool => {
        let done = sqlx::query("UPDATE emails SET sent_at = $2 WHERE id = $1 AND sent_at IS NULL")
            .bind(id)
            .bind(now())
            .execute(pool)
            .await?;
        Ok(done.rows_affected() == 1)
    })
}

/// Every e-mail to one address, newest first (the local outbox, and tests).
pub async fn to_recipient(db: &Db, recipient: &str) -> Result<Vec<Email>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as("SELECT id, recipient, subject, body, created_at, sent_at FROM emails WHERE recipient = $1 ORDER BY id DESC")
            .bind(recipient)
            .fetch_all(pool)
            .await
    })
}

/// Puts a claimed e-mail back in the queue after a failed send.
pub async fn mark_unsent(db: &Db, id: i64) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query("UPDATE emails SET sent_at = NULL WHERE id = $1")
            .bind(id)
            .execute(pool)
            .await
            .map(drop)
    })
}

/// The latest e-mails, newest first (the operators' view of the local outbox).
pub async fn latest(db: &Db, limit: i64) -> Result<Vec<Email>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as("SELECT id, recipient, subject, body, created_at, sent_at FROM emails ORDER BY id DESC LIMIT $1")
            .bind(limit)
            .fetch_all(pool)
            .await
    })
}
