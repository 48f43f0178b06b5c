//! Building the application from its configuration, and running it.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::http::{header, HeaderName, HeaderValue, Request};
use axum::routing::get;
use axum::Router;
use tokio::net::TcpListener;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// The header that carries each request's id, in the logs and back to the client.
const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

use crate::captcha::{Altcha, Captcha, Recaptcha};
use crate::clock::Clock;
use crate::config::{Config, SECRET_KEY_MIN_BYTES};
use crate::db::{self, Db};
use crate::documents::Documents;
use crate::domain::retention::{Erased, SessionLimits};
use crate::email::Mailer;
use crate::lender::Lender;
use crate::metrics::Metrics;
use crate::password_hash::Hasher;
use crate::rate_limit::Penalties;
use crate::registration::step1_batch::Step1Batch;
use crate::security::{self, SecurityHeaders};
use crate::settings::Settings;
use crate::state::{self, AppState};
use crate::static_files::ServerPages;
use crate::ticket::TicketSigner;
use crate::{error, import, routes, static_files};

/// A built application, bound to its port but not yet serving.
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
}

impl Application {
    /// Connects and migrates the database, loads demo data when asked, binds the port.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let db = open_database(&config).await?;
        if config.demo_data {
            if let Some(report) = import::load_demo_if_empty(&db).await? {
                tracing::info!(establishments = report.total, "demo directory loaded");
            }
        }
        if !config.static_dir.join("index.html").exists() {
            tracing::warn!(dir = %config.static_dir.display(), "no built app found: only the API is served");
        }

        let address = SocketAddr::new(config.host, config.port);
        let listener = TcpListener::bind(address)
            .await
            .with_context(|| format!("cannot listen on {address}"))?;
        let port = listener.local_addr()?.port();
        let state = build_state(&config, db.clone(), port).await?;
        // The administrators there were before the second factor became their duty.
        let grace_until = state.clock.now() + config.second_factor_grace_days * 24 * 3600;
        let granted = crate::db::second_factor::grant_grace(&db, grace_until).await?;
        if granted > 0 {
            tracing::info!(
                granted,
                grace_until,
                "second factor owed by existing administrators"
            );
        }
        let headers = SecurityHeaders::new(
            &security::content_security_policy(
                &config.static_dir,
                matches!(state.captcha, Captcha::Recaptcha(_)),
            ),
            state.settings.secure_cookies,
        );
        let metrics = state.metrics.clone();
        let app_state = state.clone();
        let api = routes::table::api()
            .router
            .route_layer(axum::middleware::from_fn(move |request, next| {
                metrics.clone().track(request, next)
            }))
            // On matched endpoints only: a method no endpoint has is answered 405.
            .route_layer(axum::middleware::from_fn(security::csrf_guard))
            .fallback(error::api_not_found)
            .method_not_allowed_fallback(error::api_method_not_allowed)
            // JSON bodies are small; the directory upload has its own, larger limit.
            .layer(axum::extract::DefaultBodyLimit::max(64 * 1024))
            // Answers are personal (sessions, letters, audit): no cache keeps them.
            .layer(SetResponseHeaderLayer::overriding(
                header::CACHE_CONTROL,
                HeaderValue::from_static("no-store"),
            ));
        let page_settings = state.pages.settings().clone();
        let router = Router::new()
            .route("/healthz", get(routes::health::healthz))
            .route("/readyz", get(routes::health::readyz))
            .route("/metrics", get(routes::metrics::render))
            .route(
                "/documents/tutoriel-inscription.pdf",
                get(routes::documents::tutorial),
            )
            // The address the first tutorial had, still in people's bookmarks.
            .route(
                "/documents/tutoriel-numero-client.pdf",
                get(routes::documents::tutorial),
            )
            .nest("/api", api)
            .merge(routes::oidc::router())
            .with_state(state)
            .merge(static_files::router(
                &config.static_dir,
                page_settings,
            ))
            .layer(axum::middleware::from_fn(move |request, next| {
                headers.clone().apply(request, next)
            }))
            .layer(axum::middleware::from_fn(security::time_limit))
            // Each request's logs carry its id; the path is logged, never the query string
            // (page links hold single-use tokens).
            .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
                let id = request
                    .headers()
                    .get(REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default();
                tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
            }))
            .layer(PropagateRequestIdLayer::new(REQUEST_ID))
            .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
            .layer(axum::middleware::from_fn(security::drop_odd_request_id));
        Ok(Self {
            listener,
            router,
            state: app_state,
        })
    }

    /// The bound port (useful when configured with port 0).
    pub fn port(&self) -> u16 {
        self.listener.local_addr().map_or(0, |a| a.port())
    }

    pub fn db(&self) -> &Db {
        &self.state.db
    }

    /// What every handler reaches (tests run the sweep or the mail queue with it).
    pub fn state(&self) -> AppState {
        self.state.clone()
    }

    /// The application's clock (tests move it forward).
    pub fn clock(&self) -> Clock {
        self.state.clock.clone()
    }

    /// Serves until Ctrl-C or SIGTERM, then lets requests in flight finish.
    pub async fn run_until_stopped(self) -> io::Result<()> {
        let sweeper = tokio::spawn(sweep_forever(self.state.clone()));
        let checkpointer = tokio::spawn(checkpoint_forever(self.state.db.clone()));
        let result = axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown_signal())
        .await;
        sweeper.abort();
        checkpointer.abort();
        self.state.step1_batch.close().await;
        self.state.db.close().await;
        result
    }
}

/// How often expired rows are deleted.
const SWEEP_EVERY: Duration = Duration::from_secs(60);
/// Rate-limit windows that started longer ago than this are over: the longest is a day.
const OLDEST_WINDOW_SECONDS: i64 = 7 * 24 * 3600;

/// Every minute: deletes what expired (see [`sweep`]) and sends the e-mails whose next
/// attempt has come; at start and every hour, erases personal data past its retention
/// (see [`apply_retention`]: hourly, so that its audit event stays a few a day). Every
/// instance does it: the deletes are idempotent and each e-mail is claimed before it is
/// sent.
async fn sweep_forever(state: AppState) {
    let mut every = tokio::time::interval(SWEEP_EVERY);
    for minute in 0u64.. {
        every.tick().await;
        if let Err(error) = sweep(&state).await {
            tracing::warn!(%error, "the sweep of expired rows failed");
        }
        if minute % RETAIN_EVERY_MINUTES == 0 {
            if let Err(error) = apply_retention(&state).await {
                tracing::warn!(%error, "the retention pass failed");
            }
        }
        state.mailer.flush().await;
    }
}

/// How often SQLite's WAL is copied into the database file (see [`db::checkpoint`]).
const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

/// Every second: copies SQLite's WAL into the database file, apart from the requests'
/// commits. Nothing to do on PostgreSQL.
async fn checkpoint_forever(db: Db) {
    if !matches!(db, Db::Sqlite { .. }) {
        return;
    }
    let mut every = tokio::time::interval(CHECKPOINT_EVERY);
    loop {
        every.tick().await;
        match db::checkpoint(&db).await {
            Ok(true) => {}
            Ok(false) => tracing::debug!("WAL checkpoint partial: readers or the writer were busy"),
            Err(error) => tracing::warn!(%error, "WAL checkpoint failed"),
        }
    }
}

/// How often (in sweeps) the retention pass runs.
const RETAIN_EVERY_MINUTES: u64 = 60;

/// Deletes expired CAPTCHA tokens and rate-limit windows.
pub async fn sweep(state: &AppState) -> Result<u64, sqlx::Error> {
    let now = state.clock.now();
    let rows = db::sweep::expired(&state.db, now, now - OLDEST_WINDOW_SECONDS).await?;
    tracing::debug!(rows, "expired rows swept");
    Ok(rows)
}

/// Erases what is past its retention now (PRODUCT.md §12), then lets SQLite overwrite what
/// the erasure freed (see [`db::erase_freed`]).
pub async fn apply_retention(state: &AppState) -> Result<Erased, sqlx::Error> {
    let settings = &state.settings;
    let cutoffs = settings.retention.cutoffs(
        state.clock.now(),
        SessionLimits {
            idle_seconds: settings.session_idle_seconds,
            absolute_seconds: settings.session_absolute_seconds,
        },
    );
    let erased = db::retention::apply(&state.db, &cutoffs).await?;
    if erased.total() > 0 {
        tracing::info!(erased = %erased.summary(), "retention applied");
        db::erase_freed(&state.db).await;
    }
    Ok(erased)
}

/// Everything handlers share, built from the configuration.
async fn build_state(config: &Config, db: Db, port: u16) -> anyhow::Result<AppState> {
    let secret = match &config.secret_key {
        Some(secret) if !secret.is_empty() && secret.len() < SECRET_KEY_MIN_BYTES => anyhow::bail!(
            "SECRET_KEY must be at least {SECRET_KEY_MIN_BYTES} bytes long (it has {}): draw one with `openssl rand -base64 48`",
            secret.len()
        ),
        Some(secret) if !secret.is_empty() => secret.clone(),
        _ => db::settings::get_or_create(&db, "secret_key", random_secret).await?,
    };
    let public_url = match &config.public_url {
        Some(_) => config.public_url(),
        None => format!("http://{}:{port}", config.host),
    };
    let captcha = match (&config.recaptcha_site_key, &config.recaptcha_secret) {
        (Some(site_key), Some(secret)) if !site_key.is_empty() && !secret.is_empty() => {
            Captcha::Recaptcha(
                Recaptcha::new(site_key, secret, &config.recaptcha_verify_url, &public_url)
                    .context("reCAPTCHA client")?,
            )
        }
        _ => Captcha::Altcha(Altcha::new(&secret, &config.altcha_key_prefix)),
    };
    config.retention.check()?;
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    let lender = Lender::new(
        &config.lender_name,
        &config.support_phone,
        &config.time_zone,
    )?;
    let clock = Clock::default();
    let mailer = Mailer::new(
        config.smtp_url.as_deref(),
        &config.mail_from,
        db.clone(),
        clock.clone(),
    )?;
    let recaptcha_site_key = match &captcha {
        Captcha::Recaptcha(recaptcha) => Some(recaptcha.site_key().to_owned()),
        Captcha::Altcha(_) => None,
    };
    let penalties = Penalties::default();
    Ok(AppState::from(state::Parts {
        passkeys: crate::account::passkeys::Passkeys::new(&public_url, &lender.name),
        step1_batch: Step1Batch::start(db.clone(), penalties.clone(), clock.now())?,
        db,
        captcha,
        tickets: TicketSigner::new(&secret),
        hasher: Hasher::with_queue(cores, config.hash_queue_per_thread),
        mailer,
        metrics: Metrics::new().context("metrics registry")?,
        clock,
        penalties,
        documents: Arc::new(Documents::new(&lender)),
        pages: Arc::new(ServerPages::new(
            &config.static_dir,
            static_files::PageSettings {
                lender: lender.clone(),
                hosting: config.hosting.trim().to_owned(),
                retention: config.retention.durations(),
                recaptcha_site_key,
            },
        )),
        settings: Arc::new(Settings {
            ticket_ttl_seconds: config.ticket_ttl_minutes * 60,
            temporary_password_days: config.temporary_password_days,
            trusted_proxies: config.trusted_proxies.clone(),
            first_users_per_address_per_day: config.first_users_per_address_per_day,
            first_users_per_day: config.first_users_per_day,
            retention: config.retention.clone(),
            session_idle_seconds: config.session_idle_minutes * 60,
            session_absolute_seconds: config.session_absolute_hours * 3600,
            reauthentication_seconds: config.reauthentication_minutes * 60,
            secure_cookies: public_url.starts_with("https://"),
            support_email: config.support_email.clone(),
            metrics_token: config.metrics_token.clone().filter(|t| !t.is_empty()),
            lender,
            public_url,
        }),
    }))
}

fn random_secret() -> String {
    use rand::distributions::{Alphanumeric, DistString};
    Alphanumeric.sample_string(&mut rand::rngs::OsRng, 64)
}

/// Opens (creating and migrating as needed) the configured database.
pub async fn open_database(config: &Config) -> anyhow::Result<Db> {
    if config.database_url.is_none() {
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("cannot create DATA_DIR {}", config.data_dir.display()))?;
    }
    Db::connect(&config.database_url())
        .await
        .context("cannot open the database")
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
