//! Sending e-mails. Each e-mail is first queued in the database by the change that causes
//! it (same transaction, so nothing is lost or sent for a change that rolled back); then,
//! when SMTP is configured, it is sent in the background, and tried again with a growing
//! delay when the server refuses it for now. Without SMTP the queue is the local outbox,
//! delivered by the `outbox` command.
//!
//! A single-use link (password reset, address verification) is drawn only when its
//! e-mail goes out: the stored body never holds a usable token, for operators, backups
//! or anyone reading the database.

use std::sync::Arc;

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use rand::distributions::{Alphanumeric, DistString};

use crate::account::token_hash;
use crate::clock::Clock;
use crate::db::emails::{Email, TOKEN_MARK};
use crate::db::{self, Db};

/// Tries before an e-mail is abandoned (about four hours of back-off in all).
pub const MAX_ATTEMPTS: i64 = 8;
/// The first retry waits this long; each next one twice as long.
const FIRST_RETRY_SECONDS: i64 = 60;

/// When to try again after `attempts` failed tries, or `None` to give up.
pub fn next_attempt(attempts: i64, permanent: bool, at: i64) -> Option<i64> {
    if permanent || attempts >= MAX_ATTEMPTS {
        return None;
    }
    let exponent = u32::try_from(attempts.clamp(1, 20) - 1).unwrap_or(0);
    Some(at + FIRST_RETRY_SECONDS * 2_i64.pow(exponent))
}

/// What an operator may read of a stored body: the link's place, never a token.
pub fn shown_body(body: &str) -> String {
    body.replace(TOKEN_MARK, "(lien à usage unique, non conservé)")
}

/// Sends the e-mails the use cases queue in the database (each in the transaction of what
/// it tells), over SMTP when configured: it holds the database and the clock it sends by,
/// so that a use case only wakes it.
#[derive(Clone)]
pub struct Mailer {
    smtp: Option<Arc<AsyncSmtpTransport<Tokio1Executor>>>,
    from: Mailbox,
    db: Db,
    clock: Clock,
}

#[derive(Debug, thiserror::Error)]
pub enum MailerError {
    #[error("invalid SMTP_URL: {0}")]
    Url(#[from] lettre::transport::smtp::Error),
    #[error("invalid MAIL_FROM: {0}")]
    From(#[from] lettre::address::AddressError),
}

/// Why one e-mail was not sent.
struct SendFailure {
    error: String,
    /// The server said never (5xx, or an address that cannot be one).
    permanent: bool,
}

/// The body as it goes out: with a fresh single-use link, stored as a hash, when it
/// carries one.
pub async fn compose(db: &Db, email: &Email) -> Result<String, sqlx::Error> {
    let Some(link) = email.link() else {
        return Ok(email.body.clone());
    };
    let token = Alphanumeric.sample_string(&mut rand::rngs::OsRng, 40);
    db::emails::store_link(db, link, &token_hash(&token)).await?;
    Ok(email.body.replace(TOKEN_MARK, &token))
}

/// The local outbox's delivery (no SMTP): the e-mails to `recipient`, newest first, as
/// they are sent; those not delivered yet are composed now and marked sent.
pub async fn deliver_local(db: &Db, recipient: &str, at: i64) -> Result<Vec<Email>, sqlx::Error> {
    let mut emails = db::emails::to_recipient(db, recipient).await?;
    for email in &mut emails {
        if email.sent_at.is_none()
            && email.failed_at.is_none()
            && db::emails::claim(db, email.id, at).await?
        {
            email.body = compose(db, email).await?;
            email.sent_at = Some(at);
        } else {
            email.body = shown_body(&email.body);
        }
    }
    Ok(emails)
}

impl Mailer {
    /// `smtp_url` as lettre reads it: `smtp://host:25`, `smtps://user:pass@host`…
    pub fn new(
        smtp_url: Option<&str>,
        from: &str,
        db: Db,
        clock: Clock,
    ) -> Result<Self, MailerError> {
        let smtp = match smtp_url.filter(|u| !u.is_empty()) {
            Some(url) => Some(Arc::new(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?.build(),
            )),
            None => None,
        };
        Ok(Self {
            smtp,
            from: from.parse()?,
            db,
            clock,
        })
    }

    /// Whether e-mails go out over SMTP (otherwise they stay in the local outbox).
    pub fn smtp(&self) -> bool {
        self.smtp.is_some()
    }

    /// Sends what is due, in the background, if SMTP is configured.
    pub fn send_queued(&self) {
        if self.smtp.is_some() {
            let mailer = self.clone();
            tokio::spawn(async move { mailer.flush().await });
        }
    }

    /// Sends every e-mail due now; each is claimed first, so that two instances never
    /// send the same one. A failure is put back with its next try, or abandoned. Returns
    /// how many were sent.
    pub async fn flush(&self) -> usize {
        let Some(smtp) = &self.smtp else { return 0 };
        let (db, clock) = (&self.db, &self.clock);
        let due = match db::emails::due(db, clock.now()).await {
            Ok(due) => due,
            Err(e) => {
                tracing::error!(error = %e, "cannot read the e-mail queue");
                return 0;
            }
        };
        let mut sent = 0;
        for email in due {
            if !matches!(db::emails::claim(db, email.id, clock.now()).await, Ok(true)) {
                continue;
            }
            match self.send(smtp, db, &email).await {
                Ok(()) => sent += 1,
                Err(failure) => {
                    let at = clock.now();
                    let next = next_attempt(email.attempts + 1, failure.permanent, at);
                    tracing::warn!(email_id = email.id, error = %failure.error, abandoned = next.is_none(), "e-mail not sent");
                    if let Err(e) = db::emails::failed(db, email.id, &failure.error, at, next).await
                    {
                        tracing::error!(error = %e, "cannot record an e-mail's failure");
                    }
                }
            }
        }
        sent
    }

    async fn send(
        &self,
        smtp: &AsyncSmtpTransport<Tokio1Executor>,
        db: &Db,
        email: &Email,
    ) -> Result<(), SendFailure> {
        let permanent = |error: String| SendFailure {
            error,
            permanent: true,
        };
        let to = email
            .recipient
            .parse::<Mailbox>()
            .map_err(|e| permanent(e.to_string()))?;
        let body = compose(db, email).await.map_err(|e| SendFailure {
            error: e.to_string(),
            permanent: false,
        })?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&email.subject)
            .body(body)
            .map_err(|e| permanent(e.to_string()))?;
        smtp.send(message).await.map(drop).map_err(|e| SendFailure {
            permanent: e.is_permanent(),
            error: e.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_then_give_up() {
        assert_eq!(next_attempt(1, false, 1000), Some(1060));
        assert_eq!(next_attempt(2, false, 1000), Some(1120));
        assert_eq!(next_attempt(3, false, 1000), Some(1240));
        assert_eq!(next_attempt(MAX_ATTEMPTS, false, 1000), None);
        assert_eq!(next_attempt(1, true, 1000), None);
    }

    #[test]
    fn an_operator_never_reads_a_token() {
        let body = format!("Ouvrez https://x/mot-de-passe/nouveau?jeton={TOKEN_MARK} maintenant");
        assert!(!shown_body(&body).contains(TOKEN_MARK));
        assert!(shown_body(&body).contains("non conservé"));
    }
}
