//! The settings the use cases read, taken from the configuration once by `startup.rs`:
//! plain values, free of HTTP and of the application's state.

use crate::domain::retention::RetentionDays;
use crate::lender::Lender;
use crate::proxies::TrustedProxies;

/// The settings, taken from the configuration once.
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
    /// How long a second factor's proof covers sensitive actions.
    pub reauthentication_seconds: i64,
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
