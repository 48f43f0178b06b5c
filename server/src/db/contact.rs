//! SQL of the contact form's messages.

use inscription_shared::contact::ContactMessage;

use super::audit::{record, AuditEvent};
use super::emails::queue;
use super::BeginWrite;
use super::{now, on_db, Db};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MessageRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub client_number: String,
    pub subject: String,
    pub message: String,
    pub status: String,
    pub created_at: i64,
}

/// An e-mail to send with the message: recipient, subject, body.
pub type Mail<'a> = (&'a str, &'a str, &'a str);

/// Keeps the message, queues the e-mail to support and the sender's acknowledgement, and
/// records the event, in one transaction.
pub async fn receive(
    db: &Db,
    m: &ContactMessage,
    ip: &str,
    to_support: Mail<'_>,
    acknowledgement: Mail<'_>,
) -> Result<i64, sqlx::Error> {
    let at = now();
    let client_number = m.client_number.as_ref().map_or("", |n| n.as_str());
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO contact_messages (name, email, client_number, subject, message, ip, \
             status, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'new', $7) RETURNING id",
        )
        .bind(m.name.as_str())
        .bind(m.email.as_str())
        .bind(client_number)
        .bind(m.subject)
        .bind(&m.message)
        .bind(ip)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        for (to, subject, body) in [to_support, acknowledgement] {
            queue!(&mut *tx, to, subject, body)?;
        }
        record!(&mut *tx, &AuditEvent {
            action: "contact.received",
            actor: "anonymous".into(),
            ip: ip.into(),
            establishment_id: None,
            user_id: None,
            details: format!("message {id} de <{}> : {}", m.email.as_str(), m.subject),
        })?;
        tx.commit().await?;
        Ok(id)
    })
}

/// The latest messages, the new ones first.
pub async fn list(db: &Db, limit: i64) -> Result<Vec<MessageRow>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as(
            "SELECT id, name, email, client_number, subject, message, status, created_at \
             FROM contact_messages ORDER BY CASE WHEN status = 'new' THEN 0 ELSE 1 END, id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(pool)
        .await
    })
}

/// Marks a message handled (or new again); `false` if there is no such message.
pub async fn set_handled(
    db: &Db,
    id: i64,
    handled: bool,
    operator_id: i64,
    ip: &str,
) -> Result<bool, sqlx::Error> {
    let at = now();
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE contact_messages SET status = $2, handled_at = $3, handled_by = $4 WHERE id = $1",
        )
        .bind(id)
        .bind(if handled { "handled" } else { "new" })
        .bind(handled.then_some(at))
        .bind(handled.then_some(operator_id))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Ok(false);
        }
        record!(&mut *tx, &AuditEvent {
            action: if handled { "contact.handled" } else { "contact.reopened" },
            actor: format!("operator:{operator_id}"),
            ip: ip.into(),
            establishment_id: None,
            user_id: None,
            details: format!("message {id}"),
        })?;
        tx.commit().await?;
        Ok(true)
    })
}
