//! What every handler can reach: the application's state, built once by `startup.rs`.
//! Only the handlers (`routes/`) read it; each hands a use case the parts it needs (the
//! database, the hasher, the settings, the time…), so that no use case depends on it.

use std::sync::Arc;

use crate::account::passkeys::Passkeys;
use crate::captcha::Captcha;
use crate::clock::Clock;
use crate::db::Db;
use crate::documents::Documents;
use crate::email::Mailer;
use crate::metrics::Metrics;
use crate::password_hash::Hasher;
use crate::rate_limit::{Limits, Penalties};
use crate::registration::step1_batch::Step1Batch;
use crate::settings::Settings;
use crate::static_files::ServerPages;
use crate::ticket::TicketSigner;

/// What every handler can reach, behind one `Arc`: axum clones it for each extractor and
/// middleware layer of every request, and one count is cheaper to clone than every part's
/// (the metrics alone hold a dozen; BENCHMARKS.md, 2026-12-06, night).
#[derive(Clone)]
pub struct AppState(Arc<Parts>);

/// The parts of [`AppState`].
pub struct Parts {
    pub db: Db,
    pub captcha: Captcha,
    pub tickets: TicketSigner,
    pub hasher: Hasher,
    pub mailer: Mailer,
    pub metrics: Metrics,
    pub settings: Arc<Settings>,
    pub clock: Clock,
    pub penalties: Penalties,
    /// Step 1's database work, many requests' at once.
    pub step1_batch: Step1Batch,
    pub documents: Arc<Documents>,
    /// The pages the server writes itself (the services' sign-in refusals).
    pub pages: Arc<ServerPages>,
    /// The product as a WebAuthn relying party (passkeys).
    pub passkeys: Passkeys,
}

impl From<Parts> for AppState {
    fn from(parts: Parts) -> Self {
        Self(Arc::new(parts))
    }
}

impl std::ops::Deref for AppState {
    type Target = Parts;

    fn deref(&self) -> &Parts {
        &self.0
    }
}

impl Parts {
    /// The rate limits as a request meets them now.
    pub fn limits(&self) -> Limits<'_> {
        Limits {
            db: &self.db,
            penalties: &self.penalties,
            at: self.clock.now(),
        }
    }
}
