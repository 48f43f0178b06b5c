//! `spawn_app`: a fresh database and the real server on port 0, for each test.

use std::path::{Path, PathBuf};

use inscription_server::config::Config;
use inscription_server::db::Db;
use inscription_server::startup::Application;
use tempfile::TempDir;

/// The PostgreSQL server to create test databases on; PostgreSQL tests are skipped without it.
pub const POSTGRES_ENV: &str = "INSCRIPTION_TEST_POSTGRES_URL";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub address: String,
    pub db: Db,
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
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
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
        host: "127.0.0.1".parse().unwrap(),
        port: 0,
        data_dir: data_dir.path().to_path_buf(),
        database_url: postgres.as_ref().map(|p| p.url.clone()),
        static_dir: options
            .static_dir
            .unwrap_or_else(|| data_dir.path().join("no-app")),
        demo_data: options.demo_data,
    };
    let app = Application::build(config.clone()).await.unwrap();
    let address = format!("http://127.0.0.1:{}", app.port());
    let db = app.db().clone();
    tokio::spawn(app.run_until_stopped());
    Some(TestApp {
        address,
        db,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        config,
        _data_dir: data_dir,
        _postgres: postgres,
    })
}

/// A database of its own on the test PostgreSQL server, dropped when the test ends.
struct PostgresDatabase {
    url: String,
    admin_url: String,
    name: String,
}

impl PostgresDatabase {
    fn new() -> Option<Self> {
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

/// Writes a file, creating its folder.
pub fn write(path: &Path, contents: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents).unwrap();
}
