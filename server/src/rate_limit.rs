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
    fn window(&self) -> (i64, i64) {
        let at = now();
        (at, at - at.rem_euclid(self.window_seconds))
    }

    fn exceeded(&self, at: i64, window_start: i64) -> RateLimitError {
        let minutes = (window_start + self.window_seconds - at + 59) / 60;
        RateLimitError::Exceeded(minutes.max(1))
    }

    /// Counts an attempt for `key`, refusing it once the window's count passes `max`.
    pub async fn check(&self, db: &Db, key: &str) -> Result<(), RateLimitError> {
        let (at, window_start) = self.window();
        let hits = db::rate_limits::hit(db, &format!("{}:{key}", self.kind), window_start).await?;
        if hits > self.max {
            Err(self.exceeded(at, window_start))
        } else {
            Ok(())
        }
    }

    /// Refuses when `max` hits were already counted for `key`, without counting one
    /// (for limits on failures, counted by [`Limit::count`] only when one happens).
    pub async fn ensure_below(&self, db: &Db, key: &str) -> Result<(), RateLimitError> {
        let (at, window_start) = self.window();
        let hits =
            db::rate_limits::current(db, &format!("{}:{key}", self.kind), window_start).await?;
        if hits >= self.max {
            Err(self.exceeded(at, window_start))
        } else {
            Ok(())
        }
    }

    /// Counts one hit for `key`.
    pub async fn count(&self, db: &Db, key: &str) -> Result<(), RateLimitError> {
        let (_, window_start) = self.window();
        db::rate_limits::hit(db, &format!("{}:{key}", self.kind), window_start).await?;
        Ok(())
    }
}
