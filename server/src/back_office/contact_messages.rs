//! The contact form's messages and the local e-mail outbox, as operators read them.

use inscription_shared::operator::{ContactMessageView, EmailOutbox, EmailView};

use super::{BackOfficeError, Operator};
use crate::db;
use crate::db::Db;
use crate::email::Mailer;

/// Most messages or e-mails shown at once.
const LIST_LIMIT: i64 = 200;

pub async fn list(db: &Db) -> Result<Vec<ContactMessageView>, BackOfficeError> {
    Ok(db::contact::list(db, LIST_LIMIT)
        .await?
        .into_iter()
        .map(|m| ContactMessageView {
            id: m.id,
            name: m.name,
            email: m.email,
            client_number: m.client_number,
            subject: m.subject,
            message: m.message,
            handled: m.status == "handled",
            created_at: m.created_at,
        })
        .collect())
}

pub async fn set_handled(
    db: &Db,
    operator: &Operator,
    id: i64,
    handled: bool,
    ip: &str,
) -> Result<(), BackOfficeError> {
    if db::contact::set_handled(db, id, handled, operator.id, ip).await? {
        Ok(())
    } else {
        Err(BackOfficeError::NotFound)
    }
}

/// The local outbox: what was (or would be) sent, newest first.
pub async fn emails(db: &Db, mailer: &Mailer) -> Result<EmailOutbox, BackOfficeError> {
    Ok(EmailOutbox {
        smtp: mailer.smtp(),
        emails: db::emails::latest(db, LIST_LIMIT)
            .await?
            .into_iter()
            .map(|e| EmailView {
                id: e.id,
                recipient: e.recipient,
                subject: e.subject,
                body: crate::email::shown_body(&e.body),
                created_at: e.created_at,
                sent_at: e.sent_at,
                attempts: e.attempts,
                failed_at: e.failed_at,
                last_error: e.last_error,
            })
            .collect(),
    })
}
