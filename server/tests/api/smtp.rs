//! E-mails go out over SMTP when it is configured: a real SMTP server (aiosmtpd, installed
//! by `scripts/setup.sh --tests`) receives them into a maildir that the test reads.

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::Duration;

use crate::helpers::{spawn_app_with, Backend, TestOptions};
use crate::registration_step2::first_user;

struct SmtpServer {
    child: Child,
    port: u16,
    maildir: tempfile::TempDir,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn python() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../.tools/venv/bin/python")
}

async fn start_smtp_server() -> SmtpServer {
    start_smtp_server_with("aiosmtpd.handlers.Mailbox").await
}

/// A real SMTP server (aiosmtpd) with the given handler class, on a free port.
async fn start_smtp_server_with(handler: &str) -> SmtpServer {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let maildir = tempfile::tempdir().unwrap();
    let child = Command::new(python())
        .args([
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            &format!("127.0.0.1:{port}"),
            "-c",
            handler,
        ])
        .arg(maildir.path().join("boite"))
        // Where the tests' own handler (smtp_refusing.py) lives.
        .env(
            "PYTHONPATH",
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/api"),
        )
        .spawn()
        .expect("aiosmtpd: run scripts/setup.sh --tests first");
    // Owned at once, so that Drop stops it whatever happens next.
    let server = SmtpServer {
        child,
        port,
        maildir,
    };
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return server;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("aiosmtpd did not start");
}

/// The raw messages received so far.
fn received(maildir: &Path) -> Vec<String> {
    let new = maildir.join("boite").join("new");
    std::fs::read_dir(new)
        .map(|entries| {
            entries
                .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
                .collect()
        })
        .unwrap_or_default()
}

async fn access_request_email_goes_out_over_smtp(backend: Backend) {
    let smtp = start_smtp_server().await;
    let options = TestOptions {
        demo_data: true,
        smtp_url: Some(format!("smtp://127.0.0.1:{}", smtp.port)),
        ..TestOptions::default()
    };
    let Some(app) = spawn_app_with(backend, options).await else {
        return;
    };
    let ticket = app.step1("237517").await.ticket;
    let response = app
        .register_first_user(&first_user(&ticket, "admin@habitat-loire.fr"))
        .await;
    assert_eq!(response.status(), 200);
    app.execute("UPDATE users SET status = 'active' WHERE status = 'candidate'")
        .await;

    let ticket = app.step1("237517").await.ticket;
    let request = serde_json::json!({
        "ticket": ticket,
        "identity": {
            "civility": "Monsieur", "last_name": "Martin", "first_name": "Paul",
            "job_title": "Gestionnaire", "email": "paul.martin@habitat-loire.fr", "phone": "0240123456"
        },
        "password": "Tournesol!2026-Loire",
        "accept_cgu": true
    });
    assert_eq!(app.request_access(&request).await.status(), 200);

    let mut messages = Vec::new();
    for _ in 0..100 {
        messages = received(smtp.maildir.path());
        if !messages.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(messages.len(), 1, "one e-mail received");
    let message = &messages[0];
    assert!(
        message.contains("To: paul.martin@habitat-loire.fr"),
        "{message}"
    );
    // The link's token was drawn for this message: it works, and only the message has it.
    let unwrapped = message
        .replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=");
    let token: String = unwrapped
        .split("jeton=")
        .nth(1)
        .unwrap()
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    assert_eq!(token.len(), 40, "{message}");
    let stored =
        inscription_server::db::emails::to_recipient(&app.db, "paul.martin@habitat-loire.fr")
            .await
            .unwrap();
    assert!(!stored[0].body.contains(&token));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM emails WHERE sent_at IS NULL")
            .await,
        0
    );
    let verified = app
        .verify_email(&serde_json::json!({ "token": token }))
        .await;
    assert_eq!(verified.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smtp_sqlite() {
    access_request_email_goes_out_over_smtp(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smtp_postgres() {
    access_request_email_goes_out_over_smtp(Backend::Postgres).await;
}

/// A contact message from `sender`, sent from its own client address.
async fn contact_from(app: &crate::helpers::TestApp, sender: &str, address: &str) {
    let message = serde_json::json!({ "name": "Marie Dupont", "email": sender,
        "client_number": "", "subject": "Numéro client introuvable",
        "message": "Bonjour, une question sur notre inscription.",
        "captcha": app.captcha_token().await });
    let response = app
        .client
        .post(app.url("/api/contact"))
        .header("x-forwarded-for", address)
        .json(&message)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
}

/// 100 undeliverable addresses (the contact form's acknowledgements) and one that is
/// refused for now: a later e-mail still goes out at once; the refused ones are abandoned
/// (at once when the refusal is final, after the back-off otherwise) and shown so.
async fn undeliverable_addresses_never_hold_the_mail(backend: Backend) {
    use inscription_server::email::MAX_ATTEMPTS;
    let smtp = start_smtp_server_with("smtp_refusing.RefusingMailbox").await;
    let options = TestOptions {
        smtp_url: Some(format!("smtp://127.0.0.1:{}", smtp.port)),
        trusted_proxies: Some("1"),
        ..TestOptions::default()
    };
    let Some(app) = spawn_app_with(backend, options).await else {
        return;
    };
    let state = &app.state;
    for i in 0..100 {
        contact_from(
            &app,
            &format!("inconnu-{i}@exemple.fr"),
            &format!("203.0.113.{i}"),
        )
        .await;
    }
    contact_from(&app, "plus-tard@exemple.fr", "198.51.100.1").await;
    contact_from(&app, "marie.dupont@exemple.fr", "198.51.100.2").await;
    state.mailer.flush().await;
    let arrived = |who: &str| {
        received(smtp.maildir.path())
            .iter()
            .any(|m| m.contains(&format!("To: {who}")))
    };
    let mut waited = 0;
    while !arrived("marie.dupont@exemple.fr") && waited < 100 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        waited += 1;
    }
    assert!(
        arrived("marie.dupont@exemple.fr"),
        "the later e-mail went out"
    );
    let abandoned = app
        .count("SELECT COUNT(*) FROM emails WHERE recipient LIKE 'inconnu-%' AND failed_at IS NOT NULL AND attempts = 1")
        .await;
    assert_eq!(abandoned, 100, "a final refusal is not tried again");
    let waiting = "SELECT COUNT(*) FROM emails WHERE recipient = 'plus-tard@exemple.fr' AND failed_at IS NULL AND sent_at IS NULL";
    assert_eq!(app.count(waiting).await, 1);
    for _ in 1..MAX_ATTEMPTS {
        app.clock.advance(24 * 3600);
        state.mailer.flush().await;
    }
    assert_eq!(
        app.count(waiting).await,
        0,
        "abandoned after {MAX_ATTEMPTS} tries"
    );
    let shown = inscription_server::db::emails::to_recipient(&app.db, "plus-tard@exemple.fr")
        .await
        .unwrap();
    assert_eq!(shown[0].attempts, MAX_ATTEMPTS);
    assert!(shown[0].failed_at.is_some());
    assert!(
        shown[0].last_error.contains("451"),
        "{}",
        shown[0].last_error
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undeliverable_addresses_sqlite() {
    undeliverable_addresses_never_hold_the_mail(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undeliverable_addresses_postgres() {
    undeliverable_addresses_never_hold_the_mail(Backend::Postgres).await;
}
