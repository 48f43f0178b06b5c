//! Limits on attempts (per client address, per client number…), counted in the database
//! so that every instance shares them.

use crate::db::{self, now, Db};

/// At most `max` attempts per `window_seconds` for each key of one kind.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub kind: &'static str,
    pub max: i64,
    pub window_seconds: i64,
}

/// Over the limit: retry in this many minutes.
#[derive(Debug, thiserror::Error)]
pub enum RateLimitError {
    #[error("Trop de tentatives. Réessayez dans {0} minute(s).")]
    Exceeded(i64),
    #[error("erreur de base de données")]
    Database(#[from] sqlx::Error),
}

impl Limit {
    /// Counts an attempt for `key`, refusing it once the window's count passes `max`.
    pub async fn check(&self, db: &Db, key: &str) -> Result<(), RateLimitError> {
        let at = now();
        let window_start = at - at.rem_euclid(self.window_seconds);
        let hits = db::rate_limits::hit(db, &format!("{}:{key}", self.kind), window_start).await?;
        if hits > self.max {
            let minutes = (window_start + self.window_seconds - at + 59) / 60;
            Err(RateLimitError::Exceeded(minutes.max(1)))
        } else {
            Ok(())
        }
    }
}
