//! What every handler can reach: the application's state and settings, built once by
//! `startup.rs`. It imports no handler, so that the use cases it is handed to do not
//! depend on the wiring.

use std::sync::Arc;

use crate::captcha::Captcha;
use crate::clock::Clock;
use crate::db::Db;
use crate::documents::Documents;
use crate::domain::retention::RetentionDays;
use crate::email::Mailer;
use crate::lender::Lender;
use crate::metrics::Metrics;
use crate::password_hash::Hasher;
use crate::proxies::TrustedProxies;
use crate::rate_limit::{Limits, Penalties};
use crate::ticket::TicketSigner;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub captcha: Captcha,
    pub tickets: TicketSigner,
    pub hasher: Hasher,
    pub mailer: Mailer,
    pub metrics: Metrics,
    pub settings: Arc<Settings>,
    pub clock: Clock,
    pub penalties: Penalties,
    pub documents: Arc<Documents>,
}

impl AppState {
    /// The rate limits as a request meets them now.
    pub fn limits(&self) -> Limits<'_> {
        Limits {
            db: &self.db,
            penalties: &self.penalties,
            at: self.clock.now(),
        }
    }
}

/// The settings handlers read, taken from the configuration once.
#[derive(Debug)]
pub struct Settings {
    pub public_url: String,
    pub ticket_ttl_seconds: i64,
    pub temporary_password_days: i64,
    pub trusted_proxies: TrustedProxies,
    /// First-user registrations allowed per client address and day, and per day in all.
    pub first_users_per_address_per_day: i64,
    pub first_users_per_day: i64,
    pub retention: RetentionDays,
    pub session_idle_seconds: i64,
    pub session_absolute_seconds: i64,
    /// Served over HTTPS: cookies are marked Secure.
    pub secure_cookies: bool,
    /// The support's address, for the contact form.
    pub support_email: String,
    pub metrics_token: Option<String>,
    /// The lender's name, phone and clocks, for every page, e-mail and letter.
    pub lender: Lender,
}

impl Settings {
    /// Whether a session begun at `created_at` and last used at `last_seen_at` has ended
    /// by now (idle or absolute timeout): one rule for users and operators.
    pub fn session_expired(&self, created_at: i64, last_seen_at: i64, at: i64) -> bool {
        at - last_seen_at > self.session_idle_seconds
            || at - created_at > self.session_absolute_seconds
    }
}
