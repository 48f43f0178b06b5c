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
            "aiosmtpd.handlers.Mailbox",
        ])
        .arg(maildir.path().join("boite"))
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
        .post(
            "/api/registration/first-user",
            &first_user(&ticket, "admin@habitat-loire.fr"),
        )
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
    assert_eq!(
        app.post("/api/registration/existing-account", &request)
            .await
            .status(),
        200
    );

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
    assert!(message.contains("jeton"), "{message}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM emails WHERE sent_at IS NULL")
            .await,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smtp_sqlite() {
    access_request_email_goes_out_over_smtp(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smtp_postgres() {
    access_request_email_goes_out_over_smtp(Backend::Postgres).await;
}
