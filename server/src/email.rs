//! Sending e-mails. Each e-mail is first queued in the database by the change that causes
//! it (same transaction, so nothing is lost or sent for a change that rolled back); then,
//! when SMTP is configured, it is sent in the background. Without SMTP the queue is the
//! local outbox that operators read.

use std::sync::Arc;

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::db::{self, Db};

#[derive(Clone)]
pub struct Mailer {
    smtp: Option<Arc<AsyncSmtpTransport<Tokio1Executor>>>,
    from: Mailbox,
}

#[derive(Debug, thiserror::Error)]
pub enum MailerError {
    #[error("invalid SMTP_URL: {0}")]
    Url(#[from] lettre::transport::smtp::Error),
    #[error("invalid MAIL_FROM: {0}")]
    From(#[from] lettre::address::AddressError),
}

impl Mailer {
    /// `smtp_url` as lettre reads it: `smtp://host:25`, `smtps://user:pass@host`…
    pub fn new(smtp_url: Option<&str>, from: &str) -> Result<Self, MailerError> {
        let smtp = match smtp_url.filter(|u| !u.is_empty()) {
            Some(url) => Some(Arc::new(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?.build(),
            )),
            None => None,
        };
        Ok(Self {
            smtp,
            from: from.parse()?,
        })
    }

    /// Whether e-mails go out over SMTP (otherwise they stay in the local outbox).
    pub fn smtp(&self) -> bool {
        self.smtp.is_some()
    }

    /// Sends what is queued, in the background, if SMTP is configured.
    pub fn send_queued(&self, db: &Db) {
        if self.smtp.is_some() {
            let (mailer, db) = (self.clone(), db.clone());
            tokio::spawn(async move { mailer.flush(&db).await });
        }
    }

    /// Sends every queued e-mail; each is claimed first, so that two instances never
    /// send the same one. Returns how many were sent.
    pub async fn flush(&self, db: &Db) -> usize {
        let Some(smtp) = &self.smtp else { return 0 };
        let queued = match db::emails::unsent(db).await {
            Ok(queued) => queued,
            Err(e) => {
                tracing::error!(error = %e, "cannot read the e-mail queue");
                return 0;
            }
        };
        let mut sent = 0;
        for email in queued {
            if !matches!(db::emails::mark_sent(db, email.id).await, Ok(true)) {
                continue;
            }
            let message = email
                .recipient
                .parse::<Mailbox>()
                .map_err(|e| e.to_string())
                .and_then(|to| {
                    Message::builder()
                        .from(self.from.clone())
                        .to(to)
                        .subject(&email.subject)
                        .body(email.body.clone())
                        .map_err(|e| e.to_string())
                });
            let result = match message {
                Ok(message) => smtp
                    .send(message)
                    .await
                    .map(drop)
                    .map_err(|e| e.to_string()),
                Err(e) => Err(e),
            };
            match result {
                Ok(()) => sent += 1,
                Err(error) => {
                    tracing::warn!(email_id = email.id, %error, "e-mail not sent, will retry");
                    let _ = db::emails::mark_unsent(db, email.id).await;
                }
            }
        }
        sent
    }
}
