//! Configuration: built-in defaults, overridden by an optional file of `NAME=value` lines,
//! overridden by environment variables, overridden by command-line flags (clap reads the
//! last three; `main` loads the file into the environment first). Every variable is listed
//! in the README.

use std::net::IpAddr;
use std::path::PathBuf;

use crate::proxies::TrustedProxies;

#[derive(Debug, Clone, clap::Args)]
pub struct Config {
    /// A file of `NAME=value` lines (the variables below), read before the environment.
    #[arg(long, env = "CONFIG_FILE")]
    pub config_file: Option<PathBuf>,
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
    /// The address people reach the service at, for links in e-mails and letters
    /// (default: http://HOST:PORT).
    #[arg(long, env = "PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Secret that signs registration tickets and CAPTCHA challenges. By default one is
    /// drawn at the first start and kept in the database, shared by every instance.
    #[arg(long, env = "SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,
    /// Google reCAPTCHA v2 site key; with RECAPTCHA_SECRET it replaces the self-hosted CAPTCHA.
    #[arg(long, env = "RECAPTCHA_SITE_KEY")]
    pub recaptcha_site_key: Option<String>,
    #[arg(long, env = "RECAPTCHA_SECRET", hide_env_values = true)]
    pub recaptcha_secret: Option<String>,
    /// The siteverify API (a local stand-in in tests).
    #[arg(
        long,
        env = "RECAPTCHA_VERIFY_URL",
        default_value = "https://www.google.com/recaptcha/api/siteverify"
    )]
    pub recaptcha_verify_url: String,
    /// Proof-of-work difficulty of the self-hosted CAPTCHA: the hex prefix the solution's
    /// hash must start with (each 0 multiplies the work by 16).
    #[arg(long, env = "ALTCHA_KEY_PREFIX", default_value = "0000")]
    pub altcha_key_prefix: String,
    /// Validity of the step-1 ticket, in minutes.
    #[arg(long, env = "TICKET_TTL_MINUTES", default_value_t = 30)]
    pub ticket_ttl_minutes: i64,
    /// Validity of the temporary password sent by post, in days.
    #[arg(long, env = "TEMPORARY_PASSWORD_DAYS", default_value_t = 60)]
    pub temporary_password_days: i64,
    /// A session ends after this many minutes without activity.
    #[arg(long, env = "SESSION_IDLE_MINUTES", default_value_t = 30)]
    pub session_idle_minutes: i64,
    /// A person with a second factor proves it again before a sensitive action (validating
    /// rights, naming administrators) once their last proof is older than this.
    #[arg(long, env = "REAUTHENTICATION_MINUTES", default_value_t = 15)]
    pub reauthentication_minutes: i64,
    /// Administrators named before the second factor became their duty may manage
    /// accesses without one for this many days after the first start with the rule.
    #[arg(long, env = "SECOND_FACTOR_GRACE_DAYS", default_value_t = 30)]
    pub second_factor_grace_days: i64,
    /// A session ends this many hours after sign-in, whatever the activity.
    #[arg(long, env = "SESSION_ABSOLUTE_HOURS", default_value_t = 12)]
    pub session_absolute_hours: i64,
    /// SMTP server for e-mails (`smtp://host:port`, `smtps://user:password@host`); without
    /// it, e-mails stay in the local outbox.
    #[arg(long, env = "SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// Sender of the e-mails.
    #[arg(
        long,
        env = "MAIL_FROM",
        default_value = "Services en ligne <ne-pas-repondre@services-en-ligne.invalid>"
    )]
    pub mail_from: String,
    /// Where the contact form's messages are e-mailed (they also land in the operators'
    /// console).
    #[arg(
        long,
        env = "SUPPORT_EMAIL",
        default_value = "support@services-en-ligne.invalid"
    )]
    pub support_email: String,
    /// The lender's name, as pages, e-mails and letters sign.
    #[arg(long, env = "LENDER_NAME", default_value = crate::lender::DEFAULT_NAME)]
    pub lender_name: String,
    /// The support's free phone number, as people dial it.
    #[arg(long, env = "SUPPORT_PHONE", default_value = crate::lender::DEFAULT_PHONE)]
    pub support_phone: String,
    /// The lender's time zone (IANA name): every date and time shown is on its clocks.
    #[arg(long, env = "TIME_ZONE", default_value = "Europe/Paris")]
    pub time_zone: String,
    /// Who hosts the service (name, address, phone), for the legal notice; empty: the
    /// lender itself, on its own servers.
    #[arg(long, env = "HOSTING", default_value = "")]
    pub hosting: String,
    /// When set, `/metrics` answers only to `Authorization: Bearer <this token>`.
    #[arg(long, env = "METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// The load balancers in front of the server, whose X-Forwarded-For entries are
    /// believed: their number (`1`), or their networks (`10.0.0.0/8,fd00::/8`). Empty: none,
    /// the peer is the client.
    #[arg(long, env = "TRUSTED_PROXIES", default_value = "")]
    pub trusted_proxies: TrustedProxies,
    /// First-user registrations (each costs a postal letter) allowed per client address
    /// and day.
    #[arg(long, env = "FIRST_USERS_PER_ADDRESS_PER_DAY", default_value_t = 3)]
    pub first_users_per_address_per_day: i64,
    /// First-user registrations allowed per day on the whole service.
    #[arg(long, env = "FIRST_USERS_PER_DAY", default_value_t = 200)]
    pub first_users_per_day: i64,
    /// Password hashes allowed to wait per hashing thread before the server answers "busy"
    /// (503): about a second of work by default.
    #[arg(long, env = "HASH_QUEUE_PER_THREAD", default_value_t = crate::password_hash::DEFAULT_QUEUE_PER_THREAD)]
    pub hash_queue_per_thread: usize,
    /// How long each kind of personal data is kept.
    #[command(flatten)]
    pub retention: crate::domain::retention::RetentionDays,
}

/// The shortest signing secret accepted: 32 bytes, the HMAC-SHA-256 key size.
pub const SECRET_KEY_MIN_BYTES: usize = 32;

impl Config {
    /// The public base URL, without a trailing slash.
    pub fn public_url(&self) -> String {
        match &self.public_url {
            Some(url) if !url.is_empty() => url.trim_end_matches('/').to_owned(),
            _ => format!("http://{}:{}", self.host, self.port),
        }
    }

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
