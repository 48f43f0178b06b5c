//! Prometheus metrics at `/metrics`: requests and their latency per route, registrations,
//! the accounts and letters in the database (read at each scrape, so that every instance
//! reports the same totals), and the password-hashing pool. A registry per application,
//! so that tests running several in one process do not mix their figures.

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry,
    TextEncoder,
};

use crate::db::{on_db, Db};
use crate::password_hash::{Hasher, Lane};

#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    pub registrations: IntCounterVec,
    accounts: IntGaugeVec,
    letters: IntGaugeVec,
    hash_queued: IntGauge,
    hash_busy: IntGauge,
    /// First users registered in the last 24 hours, and the addresses they came from:
    /// a sudden rise is someone squatting establishments (issue 12).
    candidacies_day: IntGauge,
    candidacy_addresses_day: IntGauge,
    /// First-user registrations refused by the daily budgets.
    pub budget_refusals: IntCounterVec,
    hashes: IntCounterVec,
}

impl Metrics {
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new_custom(Some("inscription".into()), None)?;
        let requests = IntCounterVec::new(
            Opts::new("http_requests_total", "HTTP requests answered"),
            &["method", "route", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new("http_request_duration_seconds", "Time to answer").buckets(vec![
                0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
            ]),
            &["method", "route"],
        )?;
        let registrations = IntCounterVec::new(
            Opts::new(
                "registrations_total",
                "Registrations accepted by this instance",
            ),
            &["case"],
        )?;
        let accounts = IntGaugeVec::new(
            Opts::new("accounts", "Accounts in the database, by status"),
            &["status"],
        )?;
        let letters = IntGaugeVec::new(
            Opts::new("letters", "Letters in the database, by status"),
            &["status"],
        )?;
        let hash_queued =
            IntGauge::new("hash_pool_queued", "Password hashes waiting for a thread")?;
        let hash_busy = IntGauge::new("hash_pool_busy", "Password hashes running")?;
        let candidacies_day = IntGauge::new(
            "candidacies_last_day",
            "First users (administrator candidates) registered in the last 24 hours",
        )?;
        let candidacy_addresses_day = IntGauge::new(
            "candidacy_addresses_last_day",
            "Client addresses the last 24 hours' first users registered from",
        )?;
        let budget_refusals = IntCounterVec::new(
            Opts::new(
                "first_user_budget_refusals_total",
                "First-user registrations refused by a daily budget, by budget",
            ),
            &["budget"],
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(registrations.clone()))?;
        registry.register(Box::new(accounts.clone()))?;
        registry.register(Box::new(letters.clone()))?;
        registry.register(Box::new(hash_queued.clone()))?;
        registry.register(Box::new(hash_busy.clone()))?;
        registry.register(Box::new(candidacies_day.clone()))?;
        registry.register(Box::new(candidacy_addresses_day.clone()))?;
        registry.register(Box::new(budget_refusals.clone()))?;
        let hashes = IntCounterVec::new(
            Opts::new("password_hashes_total", "Argon2 computations, by lane"),
            &["lane"],
        )?;
        registry.register(Box::new(hashes.clone()))?;
        Ok(Self {
            registry,
            requests,
            latency,
            registrations,
            accounts,
            letters,
            hash_queued,
            hash_busy,
            candidacies_day,
            candidacy_addresses_day,
            budget_refusals,
            hashes,
        })
    }

    /// Counts and times every request, labelled by its route pattern (never the raw path,
    /// which would hold ids and tokens).
    pub async fn track(self, request: Request, next: Next) -> Response {
        let route = request
            .extensions()
            .get::<MatchedPath>()
            .map_or_else(|| "other".to_owned(), |p| p.as_str().to_owned());
        let method = request.method().as_str().to_owned();
        let started = Instant::now();
        let response = next.run(request).await;
        self.latency
            .with_label_values(&[&method, &route])
            .observe(started.elapsed().as_secs_f64());
        self.requests
            .with_label_values(&[&method, &route, response.status().as_str()])
            .inc();
        response
    }

    /// Every metric in Prometheus' text format, the database's and the hasher's read now;
    /// `None` if they cannot be encoded.
    pub async fn text(&self, db: &Db, hasher: &Hasher, now: i64) -> Option<Vec<u8>> {
        if let Err(e) = self.read_database(db, now).await {
            tracing::warn!(error = %e, "metrics: database unreadable");
        }
        self.hash_queued
            .set(i64::try_from(hasher.queued()).unwrap_or(i64::MAX));
        self.hash_busy
            .set(i64::try_from(hasher.busy()).unwrap_or(i64::MAX));
        for (lane, name) in [(Lane::SignIn, "sign_in"), (Lane::Other, "other")] {
            let counter = self.hashes.with_label_values(&[name]);
            counter.inc_by(hasher.computed(lane).saturating_sub(counter.get()));
        }
        let mut text = Vec::new();
        TextEncoder::new()
            .encode(&self.registry.gather(), &mut text)
            .ok()?;
        Some(text)
    }

    async fn read_database(&self, db: &Db, now: i64) -> Result<(), sqlx::Error> {
        let (candidacies, addresses): (i64, i64) = on_db!(db, pool => {
            sqlx::query_as(
                "SELECT COUNT(*), COUNT(DISTINCT ip) FROM audit_events \
                 WHERE action = 'registration.first_user' AND at >= $1",
            )
            .bind(now - 24 * 3600)
            .fetch_one(pool)
            .await
        })?;
        self.candidacies_day.set(candidacies);
        self.candidacy_addresses_day.set(addresses);
        let accounts: Vec<(String, i64)> = on_db!(db, pool => {
            sqlx::query_as("SELECT status, COUNT(*) FROM users GROUP BY status").fetch_all(pool).await
        })?;
        let letters: Vec<(String, i64)> = on_db!(db, pool => {
            sqlx::query_as("SELECT status, COUNT(*) FROM letters GROUP BY status").fetch_all(pool).await
        })?;
        self.accounts.reset();
        for (status, count) in accounts {
            self.accounts.with_label_values(&[&status]).set(count);
        }
        self.letters.reset();
        for (status, count) in letters {
            self.letters.with_label_values(&[&status]).set(count);
        }
        Ok(())
    }
}
