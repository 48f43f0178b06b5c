//! Configuration: built-in defaults, overridden by environment variables, overridden by
//! command-line flags (clap reads all three). Every variable is listed in the README.

use std::net::IpAddr;
use std::path::PathBuf;

#[derive(Debug, Clone, clap::Args)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "HOST", default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// Port to listen on (0: any free port).
    #[arg(long, env = "PORT", default_value_t = 8080)]
    pub port: u16,
    /// Folder of the embedded SQLite database and other local files.
    #[arg(long, env = "DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// `postgres://…` for PostgreSQL; by default a SQLite file in DATA_DIR.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,
    /// Folder of the built single-page app (trunk's output).
    #[arg(long, env = "STATIC_DIR", default_value = "dist")]
    pub static_dir: PathBuf,
    /// Load the fictional demo establishments when the directory is empty.
    #[arg(long, env = "DEMO_DATA", default_value_t = false)]
    pub demo_data: bool,
}

impl Config {
    /// The database URL: the configured one, or the SQLite file inside DATA_DIR.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) if !url.is_empty() => url.clone(),
            _ => format!(
                "sqlite://{}",
                self.data_dir.join("inscription.db").display()
            ),
        }
    }
}
