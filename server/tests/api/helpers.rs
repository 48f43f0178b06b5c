//! `spawn_app`: a fresh database and the real server on port 0, for each test.

use std::path::{Path, PathBuf};

use inscription_server::clock::Clock;
use inscription_server::config::Config;
use inscription_server::db::Db;
use inscription_server::startup::Application;
use inscription_server::state::AppState;
use inscription_shared::registration::{Step1Request, Step1Response};
use sqlx::{Decode, Postgres, Sqlite, Type};
use tempfile::TempDir;

/// A value either database can give as a column of a query's row.
pub trait Column:
    Send
    + Unpin
    + for<'r> Decode<'r, Sqlite>
    + Type<Sqlite>
    + for<'r> Decode<'r, Postgres>
    + Type<Postgres>
{
}
impl<T> Column for T where
    T: Send
        + Unpin
        + for<'r> Decode<'r, Sqlite>
        + Type<Sqlite>
        + for<'r> Decode<'r, Postgres>
        + Type<Postgres>
{
}

// The tests' SQL goes through these three, the one place that meets the database's kind.

/// The first column of the one row of `sql`.
pub async fn scalar<T: Column>(db: &Db, sql: &str) -> T {
    match db {
        Db::Sqlite { pool, .. } => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap(),
        Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap(),
    }
}

/// The first column of every row of `sql`.
pub async fn scalars<T: Column>(db: &Db, sql: &str) -> Vec<T> {
    match db {
        Db::Sqlite { pool, .. } => sqlx::query_scalar(sql).fetch_all(pool).await.unwrap(),
        Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_all(pool).await.unwrap(),
    }
}

/// Runs one statement the database may refuse.
pub async fn try_execute(db: &Db, sql: &str) -> Result<(), sqlx::Error> {
    match db {
        Db::Sqlite { pool, .. } => sqlx::query(sql).execute(pool).await.map(drop),
        Db::Postgres(pool) => sqlx::query(sql).execute(pool).await.map(drop),
    }
}

/// The PostgreSQL server to create test databases on; PostgreSQL tests are skipped without it.
pub const POSTGRES_ENV: &str = "INSCRIPTION_TEST_POSTGRES_URL";
/// Where the tests' contact messages are e-mailed.
pub const SUPPORT_EMAIL: &str = "support@example.org";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub address: String,
    pub db: Db,
    /// The application's clock: tests move time with it instead of sleeping.
    pub clock: Clock,
    /// What the handlers reach (to run the sweep or the mail queue at a chosen time).
    pub state: AppState,
    pub client: reqwest::Client,
    pub config: Config,
    _data_dir: TempDir,
    /// Dropped with the app: drops the test database.
    _postgres: Option<PostgresDatabase>,
}

/// Options of a test application.
#[derive(Default)]
pub struct TestOptions {
    pub demo_data: bool,
    pub static_dir: Option<PathBuf>,
    /// A siteverify URL: use reCAPTCHA against it instead of the proof of work.
    pub recaptcha: Option<String>,
    pub smtp_url: Option<String>,
    pub public_url: Option<String>,
    pub metrics_token: Option<String>,
    pub trusted_proxies: Option<&'static str>,
    pub first_users_per_address_per_day: Option<i64>,
    pub first_users_per_day: Option<i64>,
    pub hash_queue_per_thread: Option<usize>,
    /// The lender's name and support phone, instead of the defaults.
    pub lender: Option<(&'static str, &'static str)>,
}

/// The demo directory loaded, as most registration tests want.
pub fn demo() -> TestOptions {
    TestOptions {
        demo_data: true,
        ..TestOptions::default()
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn post(&self, path: &str, body: &impl serde::Serialize) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// A proof-of-work challenge drawn for this client address now.
    pub async fn captcha_challenge(&self) -> altcha::Challenge {
        self.get("/api/captcha/challenge")
            .await
            .json()
            .await
            .unwrap()
    }

    /// Solves a proof-of-work challenge of this server, as the page's worker does.
    pub async fn captcha_token(&self) -> String {
        let challenge = self.captcha_challenge().await;
        let solution = altcha::solve_challenge(altcha::SolveChallengeOptions::new(&challenge))
            .unwrap()
            .expect("challenge solved");
        let payload = altcha::Payload {
            challenge,
            solution,
        };
        base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            serde_json::to_vec(&payload).unwrap(),
        )
    }

    /// Step 1 with a fresh CAPTCHA token; panics unless it succeeds.
    pub async fn step1(&self, client_number: &str) -> Step1Response {
        let request = Step1Request {
            client_number: client_number.into(),
            captcha: self.captcha_token().await,
        };
        let response = self.post("/api/registration/step1", &request).await;
        assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
        response.json().await.unwrap()
    }

    /// One integer from SQL, for checking what the database holds.
    pub async fn count(&self, sql: &str) -> i64 {
        scalar(&self.db, sql).await
    }

    /// Runs one SQL statement (test fixtures only).
    pub async fn execute(&self, sql: &str) {
        try_execute(&self.db, sql).await.unwrap();
    }

    /// A configuration reaching this app's database (for the command-line tools).
    pub fn database_url(&self) -> String {
        self.config.database_url()
    }
}

/// Starts the application on a fresh database, or `None` for PostgreSQL when no server is
/// configured (the test script says that half was skipped).
pub async fn spawn_app_with(backend: Backend, options: TestOptions) -> Option<TestApp> {
    let data_dir = tempfile::tempdir().unwrap();
    let postgres = match backend {
        Backend::Sqlite => None,
        Backend::Postgres => Some(PostgresDatabase::new()?),
    };
    let config = Config {
        config_file: None,
        host: "127.0.0.1".parse().unwrap(),
        port: 0,
        data_dir: data_dir.path().to_path_buf(),
        database_url: postgres.as_ref().map(|p| p.url.clone()),
        static_dir: options
            .static_dir
            .unwrap_or_else(|| data_dir.path().join("no-app")),
        demo_data: options.demo_data,
        public_url: options.public_url.clone(),
        secret_key: None,
        recaptcha_site_key: options
            .recaptcha
            .as_ref()
            .map(|_| "site-key-de-test".into()),
        recaptcha_secret: options.recaptcha.as_ref().map(|_| "secret-de-test".into()),
        recaptcha_verify_url: options.recaptcha.clone().unwrap_or_default(),
        // The real proof of work, made light so that tests solve it in a few milliseconds.
        altcha_key_prefix: "00".into(),
        ticket_ttl_minutes: 30,
        temporary_password_days: 60,
        smtp_url: options.smtp_url.clone(),
        mail_from: "Services en ligne <ne-pas-repondre@example.org>".into(),
        support_email: SUPPORT_EMAIL.into(),
        lender_name: options
            .lender
            .map_or(inscription_server::lender::DEFAULT_NAME, |l| l.0)
            .into(),
        support_phone: options
            .lender
            .map_or(inscription_server::lender::DEFAULT_PHONE, |l| l.1)
            .into(),
        time_zone: "Europe/Paris".into(),
        hosting: String::new(),
        metrics_token: options.metrics_token.clone(),
        trusted_proxies: options
            .trusted_proxies
            .map_or_else(Default::default, |p| p.parse().unwrap()),
        first_users_per_address_per_day: options.first_users_per_address_per_day.unwrap_or(3),
        first_users_per_day: options.first_users_per_day.unwrap_or(200),
        retention: Default::default(),
        hash_queue_per_thread: options.hash_queue_per_thread.unwrap_or(32),
        session_idle_minutes: 30,
        session_absolute_hours: 12,
        reauthentication_minutes: 15,
        second_factor_grace_days: 30,
    };
    let app = Application::build(config.clone()).await.unwrap();
    let address = format!("http://127.0.0.1:{}", app.port());
    let db = app.db().clone();
    let clock = app.clock();
    let state = app.state();
    tokio::spawn(app.run_until_stopped());
    Some(TestApp {
        address,
        db,
        clock,
        state,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            // As the app's pages send it (the server's CSRF guard).
            .default_headers(reqwest::header::HeaderMap::from_iter([(
                reqwest::header::HeaderName::from_static("x-inscription"),
                reqwest::header::HeaderValue::from_static("1"),
            )]))
            .build()
            .unwrap(),
        config,
        _data_dir: data_dir,
        _postgres: postgres,
    })
}

/// A database of its own on the test PostgreSQL server, dropped when the test ends.
/// A PostgreSQL database of its own, dropped with the value.
pub struct PostgresDatabase {
    pub url: String,
    admin_url: String,
    name: String,
}

impl PostgresDatabase {
    /// None when no PostgreSQL server is given to the tests.
    pub fn new() -> Option<Self> {
        let admin_url = std::env::var(POSTGRES_ENV).ok().filter(|u| !u.is_empty())?;
        let name = format!("inscription_test_{}", uuid::Uuid::new_v4().simple());
        let base = admin_url
            .rsplit_once('/')
            .map_or(admin_url.as_str(), |(b, _)| b);
        Some(Self {
            url: format!("{base}/{name}"),
            admin_url,
            name,
        })
    }
}

impl Drop for PostgresDatabase {
    fn drop(&mut self) {
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        // Drop runs inside the test's runtime: use a runtime of our own on another thread.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                use sqlx::Connection;
                if let Ok(mut conn) = sqlx::PgConnection::connect(&admin_url).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&mut conn)
                        .await;
                }
            });
        })
        .join();
    }
}

/// Declares one test per database from an `async fn(TestApp)`.
#[macro_export]
macro_rules! on_both_databases {
    ($name:ident) => {
        $crate::on_both_databases!($name, $crate::helpers::TestOptions::default);
    };
    ($name:ident, $options:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            use $crate::helpers::{spawn_app_with, Backend};

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = spawn_app_with(Backend::Sqlite, $options()).await.unwrap();
                super::$name(app).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(app) = spawn_app_with(Backend::Postgres, $options()).await {
                    super::$name(app).await;
                }
            }
        }
    };
}

/// Runs every invariant of `inscription-server check` on the app's database: none broken.
pub async fn assert_check_passes(app: &TestApp) {
    let broken: Vec<_> = inscription_server::db::check::run(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(i, n)| format!("{}: {n}", i.rule))
        .collect();
    assert!(broken.is_empty(), "{broken:?}");
}

/// Writes a file, creating its folder.
pub fn write(path: &Path, contents: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents).unwrap();
}

/// The text of a PDF as poppler's `pdftotext` reads it, white space folded to single spaces.
pub fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lettre.pdf");
    std::fs::write(&file, pdf).unwrap();
    let output = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (Debian poppler-utils, installed by scripts/setup.sh --tests)");
    assert!(output.status.success());
    String::from_utf8(output.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A GET as the holder of a session cookie (`name=value`).
pub async fn get_with(app: &TestApp, path: &str, cookie: &str) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
}

async fn send_with(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    cookie: &str,
    body: serde_json::Value,
) -> reqwest::Response {
    app.client
        .request(method, app.url(path))
        .header("cookie", cookie)
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// A POST of JSON as the holder of a session cookie.
pub async fn post_with(
    app: &TestApp,
    path: &str,
    cookie: &str,
    body: serde_json::Value,
) -> reqwest::Response {
    send_with(app, reqwest::Method::POST, path, cookie, body).await
}

/// A PUT of JSON as the holder of a session cookie.
pub async fn put_with(
    app: &TestApp,
    path: &str,
    cookie: &str,
    body: serde_json::Value,
) -> reqwest::Response {
    send_with(app, reqwest::Method::PUT, path, cookie, body).await
}

/// The `jeton=` of the newest e-mail sent to `recipient` (verification or reset link), as
/// the local outbox delivers it (the database holds no token).
pub async fn link_token(app: &TestApp, recipient: &str) -> String {
    let mail = inscription_server::email::deliver_local(&app.db, recipient, app.clock.now())
        .await
        .unwrap();
    let body = &mail.first().expect("an e-mail").body;
    body.split("jeton=")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

/// The server binary on its own port, on the test's database.
pub const PUBLIC_URL_OF_INSTANCES: &str = "http://portail.test";

pub fn start_process(app: &TestApp, port: u16) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_inscription-server"))
        .arg("serve")
        .env("DATABASE_URL", app.database_url())
        .env("DATA_DIR", &app.config.data_dir)
        .env("HOST", "127.0.0.1")
        .env("PORT", port.to_string())
        // Behind one load balancer, the instances have one public address: the links'
        // and the OpenID Connect issuer's.
        .env("PUBLIC_URL", PUBLIC_URL_OF_INSTANCES)
        .env("ALTCHA_KEY_PREFIX", "00")
        // These tests load one server with many first users from one address.
        .env("FIRST_USERS_PER_ADDRESS_PER_DAY", "100000")
        .env("FIRST_USERS_PER_DAY", "100000")
        // Load tests say which client each request stands for.
        .env("TRUSTED_PROXIES", "1")
        .env("RUST_LOG", "error")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

pub async fn wait_ready(base: &str) {
    for _ in 0..300 {
        if let Ok(r) = reqwest::get(format!("{base}/readyz")).await {
            if r.status().is_success() {
                return;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the server did not start");
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Racing requests for one establishment: exactly one is accepted (200), every other is
/// told it came second (409) or, the hashing queue being full, to try again (503).
pub async fn exactly_one_accepted(tasks: Vec<tokio::task::JoinHandle<u16>>) {
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    let accepted = statuses.iter().filter(|s| **s == 200).count();
    assert_eq!(accepted, 1, "{statuses:?}");
    assert!(
        statuses.iter().all(|s| [200, 409, 503].contains(s)),
        "{statuses:?}"
    );
}
