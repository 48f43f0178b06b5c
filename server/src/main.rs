//! `inscription-server`: serves the product, or runs an operator's command.

use std::fs::File;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use inscription_server::backup::{self, DataFolderLock};
use inscription_server::config::Config;
use inscription_server::import;
use inscription_server::lender::Lender;
use inscription_server::letter::{self, LetterContent};
use inscription_server::startup::{open_database, Application};
use inscription_shared::french::plural;

#[derive(Parser)]
#[command(version, about = "Inscription en ligne des établissements clients")]
struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the app and the API (the default).
    Serve,
    /// Import the establishment directory from a CSV file (idempotent, keyed by client
    /// number); prints a line per rejected row and exits non-zero if any was rejected.
    Import { file: PathBuf },
    /// Write every queued letter into one PDF ready to print (the operators' console will
    /// offer the same); the letters stay queued.
    Letters {
        #[arg(long, default_value = "courriers.pdf")]
        output: PathBuf,
    },
    /// Create an operator account of the lender, or give an existing one a new password
    /// (their sessions end). The password is asked without echo on a terminal, or read
    /// from the first line of standard input.
    Operator {
        email: String,
        /// The operator's name, as the back office shows it.
        #[arg(long)]
        name: String,
    },
    /// Forget an operator's second factor (a lost phone): their app and recovery codes go,
    /// their sessions end, and their next sign-in asks them to add a new one. Audited.
    ResetOperatorFactor { email: String },
    /// Write a consistent copy of the SQLite database to FILE while the server runs
    /// (PostgreSQL: pg_dump, see the README).
    Backup { file: PathBuf },
    /// Replace the SQLite database of DATA_DIR by the copy FILE, once the copy has passed
    /// every invariant of `check`; refused while a server runs on DATA_DIR. The replaced
    /// database is kept as inscription.db.avant-restauration.
    Restore { file: PathBuf },
    /// Check every invariant of the database (after a crash, a restore, or any doubt):
    /// prints each rule with what breaks it, exits non-zero if any is broken.
    Check,
    /// Deliver the e-mails of the local outbox to one address (without SMTP, they stay
    /// there): prints them newest first, drawing the single-use links of those not
    /// delivered yet (a link is printed once; the database never holds it).
    Outbox { recipient: String },
    /// The rights catalogue: list the services (the default), or change it. Every change
    /// is audited; administrators grant rights on what the catalogue holds.
    Services {
        #[command(subcommand)]
        change: Option<ServiceCommand>,
    },
    /// The online services that sign people in through the product (OpenID Connect
    /// clients): list them (the default), register one, or give one a new secret. Every
    /// change is audited.
    Clients {
        #[command(subcommand)]
        change: Option<ClientCommand>,
    },
    /// Sign ID tokens with a new key from now on; the old key stays published until the
    /// tokens it signed have expired. Audited.
    RotateSigningKey,
}

#[derive(Subcommand)]
enum ClientCommand {
    /// Register a service: prints its client secret, shown only this once.
    Add {
        /// The client id: lower case, digits, dots and hyphens, e.g. consultation-prets.
        client_id: String,
        /// The service's name, as the portal's pages show it.
        #[arg(long)]
        name: String,
        /// The rights catalogue's service it stands for: only its holders get a token.
        #[arg(long)]
        service: String,
        /// An address the person is sent back to after signing in (exact match; repeat
        /// the flag for several).
        #[arg(long = "redirect-uri", required = true)]
        redirect_uris: Vec<String>,
        /// An address the person may be sent back to after signing out (repeatable).
        #[arg(long = "post-logout-redirect-uri")]
        post_logout_redirect_uris: Vec<String>,
        /// A public client (an app in the browser or on a phone): no secret, PKCE alone.
        #[arg(long)]
        public: bool,
    },
    /// Give a confidential service a new secret (printed once); the old one stops at once.
    RotateSecret { client_id: String },
}

#[derive(Subcommand)]
enum ServiceCommand {
    /// Add a service at the end of the catalogue.
    Add {
        /// Lower case, digits and hyphens, e.g. prets-bonifies.
        code: String,
        #[arg(long)]
        label: String,
    },
    /// Rename a service.
    Label {
        code: String,
        #[arg(long)]
        label: String,
    },
    /// Withdraw a service and every right granted on it.
    Remove { code: String },
}

fn main() -> ExitCode {
    // Before any thread exists: the file's variables join the environment, which clap
    // then reads as if they had been exported.
    if let Err(e) = load_config_file(std::env::args()) {
        eprintln!("erreur\u{a0}: {e:#}");
        return ExitCode::FAILURE;
    }
    init_logs();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("erreur\u{a0}: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(Cli::parse()))
}

/// The optional configuration file (`--config-file PATH` or `CONFIG_FILE`): `NAME=value`
/// lines, `#` comments. A variable already in the environment wins over the file, and a
/// flag wins over both.
fn load_config_file(args: impl Iterator<Item = String>) -> anyhow::Result<()> {
    let mut args = args.skip(1);
    let mut path = std::env::var_os("CONFIG_FILE").map(PathBuf::from);
    while let Some(arg) = args.next() {
        if arg == "--config-file" {
            path = args.next().map(PathBuf::from);
        } else if let Some(value) = arg.strip_prefix("--config-file=") {
            path = Some(PathBuf::from(value));
        }
    }
    if let Some(path) = path {
        dotenvy::from_path(&path)
            .with_context(|| format!("fichier de configuration {}", path.display()))?;
    }
    Ok(())
}

async fn run(cli: Cli) -> ExitCode {
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(cli.config).await,
        Command::Import { file } => import_file(cli.config, file).await,
        Command::Letters { output } => print_letters(cli.config, output).await,
        Command::Outbox { recipient } => print_outbox(cli.config, recipient).await,
        Command::Operator { email, name } => create_operator(cli.config, email, name).await,
        Command::ResetOperatorFactor { email } => reset_operator_factor(cli.config, email).await,
        Command::Check => check(cli.config).await,
        Command::Backup { file } => backup(cli.config, file).await,
        Command::Restore { file } => restore(cli.config, file).await,
        Command::Services { change } => services(cli.config, change).await,
        Command::Clients { change } => clients(cli.config, change).await,
        Command::RotateSigningKey => rotate_signing_key(cli.config).await,
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("erreur\u{a0}: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(config: Config) -> anyhow::Result<ExitCode> {
    // The data folder's database stays this process's while it serves: no restore there.
    let _folder = match config.database_url.as_deref() {
        Some(url) if !url.is_empty() => None,
        _ => Some(DataFolderLock::take(&config.data_dir)?),
    };
    let app = Application::build(config).await?;
    tracing::info!(port = app.port(), "listening");
    app.run_until_stopped().await?;
    Ok(ExitCode::SUCCESS)
}

async fn backup(config: Config, file: PathBuf) -> anyhow::Result<ExitCode> {
    let db = open_database(&config).await?;
    let written = backup::backup(&db, &file).await;
    db.close().await;
    let bytes = written?;
    println!(
        "Sauvegarde écrite dans {} ({}\u{a0}octets).",
        file.display(),
        inscription_shared::french::number(i64::try_from(bytes).unwrap_or(i64::MAX))
    );
    Ok(ExitCode::SUCCESS)
}

async fn restore(config: Config, file: PathBuf) -> anyhow::Result<ExitCode> {
    if config
        .database_url
        .as_deref()
        .is_some_and(|url| !url.is_empty())
    {
        anyhow::bail!("la base est PostgreSQL\u{a0}: restaurez-la avec pg_restore (voir le README, «\u{a0}Sauvegardes\u{a0}»)");
    }
    backup::restore(&config.data_dir, &file).await?;
    println!(
        "Base restaurée depuis {}\u{a0}; l’ancienne est gardée dans {}.",
        file.display(),
        config.data_dir.join(backup::REPLACED_FILE).display()
    );
    Ok(ExitCode::SUCCESS)
}

async fn import_file(config: Config, path: PathBuf) -> anyhow::Result<ExitCode> {
    let file = File::open(&path).with_context(|| format!("cannot open {}", path.display()))?;
    let db = open_database(&config).await?;
    let report = import::import_csv(&db, file).await?;
    db.close().await;
    for line in &report.rejected {
        println!("rejetée, {line}");
    }
    println!(
        "{}",
        inscription_shared::operator::import_summary(
            report.imported,
            report.rejected.len(),
            report.total
        )
    );
    Ok(if report.rejected.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

async fn print_letters(config: Config, output: PathBuf) -> anyhow::Result<ExitCode> {
    let db = open_database(&config).await?;
    let rows = inscription_server::db::letters::queued(&db).await?;
    db.close().await;
    let public_url = config.public_url();
    let lender = Lender::new(
        &config.lender_name,
        &config.support_phone,
        &config.time_zone,
    )?;
    let letters: Vec<LetterContent> = rows
        .iter()
        .map(|r| LetterContent::of(r, &lender, &public_url))
        .collect();
    std::fs::write(&output, letter::render(&letters)?)
        .with_context(|| format!("cannot write {}", output.display()))?;
    println!(
        "{} dans {}",
        plural(letters.len(), "courrier", "courriers"),
        output.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The new password: typed twice without echo on a terminal, else standard input's first line.
fn read_password() -> anyhow::Result<String> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Mot de passe\u{a0}: ")?;
        let again = rpassword::prompt_password("Le même mot de passe, encore\u{a0}: ")?;
        anyhow::ensure!(first == again, "les deux saisies diffèrent");
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}

async fn create_operator(config: Config, email: String, name: String) -> anyhow::Result<ExitCode> {
    use inscription_shared::identity::Email;
    use inscription_shared::password::{Password, PersonalWords};
    let email = Email::parse(&email).map_err(|e| anyhow::anyhow!("{e}"))?;
    let name = name.trim();
    anyhow::ensure!(!name.is_empty(), "indiquez le nom de l’opérateur (--name)");
    let password = read_password()?;
    let personal = PersonalWords {
        email: Some(email.as_str()),
        last_name: Some(name),
        first_name: None,
    };
    let password = Password::parse(&password, personal).map_err(|e| anyhow::anyhow!("{e}"))?;
    let hash = inscription_server::password_hash::Hasher::new(1)
        .hash(password.expose())
        .await?;
    let db = open_database(&config).await?;
    let created =
        inscription_server::db::operators::create_or_reset(&db, &email.normalized(), name, &hash)
            .await?;
    db.close().await;
    println!(
        "{}\u{a0}: {}",
        if created {
            "Opérateur créé"
        } else {
            "Mot de passe de l’opérateur changé"
        },
        email.as_str()
    );
    Ok(ExitCode::SUCCESS)
}

async fn reset_operator_factor(config: Config, email: String) -> anyhow::Result<ExitCode> {
    use inscription_server::db::{audit::AuditEvent, operators, second_factor};
    let email = inscription_shared::identity::normalize_email(&email);
    let db = open_database(&config).await?;
    let Some(operator) = operators::by_email(&db, &email).await? else {
        db.close().await;
        anyhow::bail!("aucun opérateur n’a l’adresse {email}");
    };
    let event = AuditEvent {
        action: "operator.factor_reset_by_command",
        actor: "system".into(),
        ip: "ligne de commande".into(),
        establishment_id: None,
        user_id: None,
        details: format!("opérateur {} <{email}>", operator.id),
    };
    let notice = (
        "Le second facteur de votre compte d’opérateur a été réinitialisé",
        "Bonjour,\n\nLe second facteur de votre compte d’opérateur (application de codes à usage \
         unique et codes de secours) a été réinitialisé, et vos sessions ont été fermées. Votre \
         prochaine connexion vous demandera d’ajouter de nouveau une application.\n\nSi vous \
         n’avez rien demandé, prévenez sans attendre le responsable de la sécurité.\n",
    );
    let had_one = second_factor::reset_operator(&db, operator.id, &event, notice).await?;
    db.close().await;
    println!(
        "{}\u{a0}: {email}",
        if had_one {
            "Second facteur de l’opérateur oublié\u{a0}; sa prochaine connexion lui en fera ajouter un"
        } else {
            "Cet opérateur n’avait pas de second facteur\u{a0}; ses sessions sont fermées"
        }
    );
    Ok(ExitCode::SUCCESS)
}

async fn services(config: Config, change: Option<ServiceCommand>) -> anyhow::Result<ExitCode> {
    use inscription_server::services::{self, Change};
    let change = change.map(|c| match c {
        ServiceCommand::Add { code, label } => Change::Add { code, label },
        ServiceCommand::Label { code, label } => Change::Relabel { code, label },
        ServiceCommand::Remove { code } => Change::Remove { code },
    });
    let db = open_database(&config).await?;
    let result = match change {
        Some(change) => services::apply(&db, &change)
            .await
            .map(|done| println!("{done}")),
        None => services::list(&db).await.map(|rows| {
            for row in rows {
                println!(
                    "{}\t{}\t{}",
                    row.code,
                    row.label,
                    plural(row.holders, "habilitation", "habilitations")
                );
            }
        }),
    };
    db.close().await;
    result?;
    Ok(ExitCode::SUCCESS)
}

async fn clients(config: Config, change: Option<ClientCommand>) -> anyhow::Result<ExitCode> {
    use inscription_server::oidc::clients::{self, NewClient, Registrar};
    let db = open_database(&config).await?;
    let at = inscription_server::db::now();
    let by = Registrar::command_line();
    let result = match change {
        Some(ClientCommand::Add {
            client_id,
            name,
            service,
            redirect_uris,
            post_logout_redirect_uris,
            public,
        }) => {
            let client = NewClient {
                client_id: client_id.clone(),
                name,
                service_code: service,
                redirect_uris,
                post_logout_redirect_uris,
                public,
            };
            clients::register(&db, &client, at, &by).await.map(|secret| match secret {
                Some(secret) => println!(
                    "Service «\u{a0}{client_id}\u{a0}» enregistré. Son secret, affiché cette seule fois\u{a0}:\n{secret}"
                ),
                None => println!("Service public «\u{a0}{client_id}\u{a0}» enregistré (PKCE seul, sans secret)."),
            })
        }
        Some(ClientCommand::RotateSecret { client_id }) => clients::rotate_secret(&db, &client_id, at, &by)
            .await
            .map(|secret| println!("Nouveau secret de «\u{a0}{client_id}\u{a0}», affiché cette seule fois\u{a0}:\n{secret}")),
        None => clients::list(&db).await.map(|rows| {
            for row in rows {
                let kind = if row.secret_hash.is_some() { "confidentiel" } else { "public" };
                println!(
                    "{}\t{}\t{}\t{kind}\t{}",
                    row.client_id,
                    row.name,
                    row.service_code,
                    row.redirect_uris().join(" ")
                );
            }
        }),
    };
    db.close().await;
    result?;
    Ok(ExitCode::SUCCESS)
}

async fn rotate_signing_key(config: Config) -> anyhow::Result<ExitCode> {
    let db = open_database(&config).await?;
    let kid = inscription_server::oidc::keys::rotate(&db, inscription_server::db::now()).await;
    db.close().await;
    println!("Nouvelle clé de signature des jetons\u{a0}: {}", kid?);
    Ok(ExitCode::SUCCESS)
}

async fn check(config: Config) -> anyhow::Result<ExitCode> {
    let db = open_database(&config).await?;
    let results = inscription_server::db::check::run(&db).await?;
    db.close().await;
    let mut broken = 0;
    for (invariant, count) in results {
        if count == 0 {
            println!("ok      {}", invariant.rule);
        } else {
            broken += 1;
            println!(
                "ÉCHEC   {}\u{a0}: {} en défaut",
                invariant.rule,
                plural(count, "ligne", "lignes")
            );
        }
    }
    Ok(if broken == 0 {
        println!("Toutes les règles sont respectées.");
        ExitCode::SUCCESS
    } else {
        println!(
            "{}.",
            plural(broken, "règle non respectée", "règles non respectées")
        );
        ExitCode::FAILURE
    })
}

async fn print_outbox(config: Config, recipient: String) -> anyhow::Result<ExitCode> {
    let db = open_database(&config).await?;
    let at = inscription_server::clock::Clock::default().now();
    // Without SMTP this is the delivery: links are drawn now, and only what is printed has them.
    let emails = if config.smtp_url.as_deref().unwrap_or_default().is_empty() {
        inscription_server::email::deliver_local(&db, &recipient, at).await?
    } else {
        let mut emails = inscription_server::db::emails::to_recipient(&db, &recipient).await?;
        for email in &mut emails {
            email.body = inscription_server::email::shown_body(&email.body);
        }
        emails
    };
    db.close().await;
    for email in emails {
        println!(
            "À\u{a0}: {}\nObjet\u{a0}: {}\n\n{}\n----",
            email.recipient, email.subject, email.body
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Structured logs on standard error; `RUST_LOG` filters, `LOG_FORMAT=json` for machines.
fn init_logs() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,sqlx=warn,tower_http=info".into());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if std::env::var("LOG_FORMAT").is_ok_and(|f| f == "json") {
        builder.json().init();
    } else {
        builder.init();
    }
}
