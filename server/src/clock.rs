//! The time every rule reads. In production it is the system's; tests move it forward
//! (rate-limit windows, back-offs, expiries) instead of sleeping.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// The system time in Unix seconds, shifted by an offset that only tests change. Clones
/// share the offset, so a test that holds one moves the whole application's time.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset: Arc<AtomicI64>,
}

impl Clock {
    /// Now, in the Unix seconds every table stores.
    pub fn now(&self) -> i64 {
        crate::db::now() + self.offset.load(Ordering::Relaxed)
    }

    /// Moves time forward by `seconds` (tests).
    pub fn advance(&self, seconds: i64) {
        self.offset.fetch_add(seconds, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_the_advance() {
        let clock = Clock::default();
        let other = clock.clone();
        let before = other.now();
        clock.advance(3600);
        assert!(other.now() >= before + 3600);
    }
}
