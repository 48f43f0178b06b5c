//! Backups (PRODUCT.md §12): a copy of the SQLite database taken while registrations pour
//! in restores into a fresh data folder with everything accepted before it, and `check`
//! passes; a restore refuses a running folder and a broken or unreadable copy. PostgreSQL:
//! the README's pg_dump and pg_restore commands, run.

use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use inscription_server::db::Db;

use crate::crash::numbers;
use crate::helpers::{
    demo, free_port, spawn_app_with, wait_ready, Backend, PostgresDatabase, TestOptions,
};
use crate::registration_step2::first_user;

/// The server binary's command line on a data folder (and a database URL, if given).
fn cli(data_dir: &Path, database_url: Option<&str>, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_inscription-server"));
    command
        .args(args)
        .env("DATA_DIR", data_dir)
        .env("RUST_LOG", "error");
    match database_url {
        Some(url) => command.env("DATABASE_URL", url),
        None => command.env_remove("DATABASE_URL"),
    };
    command.output().unwrap()
}

fn said(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

async fn count(db: &Db, sql: &str) -> i64 {
    crate::helpers::scalar(db, sql).await
}

/// Whether candidate `i` of the load, with their queued letter and audit event, is there.
async fn registered(db: &Db, i: usize) -> bool {
    let email = format!("candidat{i}@exemple.fr");
    let letters = count(
        db,
        &format!(
            "SELECT COUNT(*) FROM users u JOIN letters l ON l.user_id = u.id \
             WHERE u.email = '{email}' AND u.status = 'candidate' AND l.status = 'queued'"
        ),
    )
    .await;
    let events = count(
        db,
        &format!(
            "SELECT COUNT(*) FROM audit_events a JOIN users u ON u.id = a.user_id \
             WHERE u.email = '{email}' AND a.action = 'registration.first_user'"
        ),
    )
    .await;
    letters == 1 && events == 1
}

/// A server process, stopped when dropped (a failed assertion must not leave it running).
struct Stopped(std::process::Child);

impl Stopped {
    fn stop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Stopped {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Registrations in the load (step 1's per-address limit allows this many tickets).
const LOAD: usize = 24;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_load_restores_everything_accepted_before_it() {
    let options = TestOptions {
        first_users_per_address_per_day: Some(1000),
        ..demo()
    };
    let app = spawn_app_with(Backend::Sqlite, options).await.unwrap();
    let mut tickets = Vec::new();
    for number in numbers(LOAD) {
        tickets.push(app.step1(&number).await.ticket);
    }
    // Registrations pour in; the backup starts once some are accepted.
    let accepted = Arc::new(std::sync::Mutex::new(Vec::new()));
    let answered = Arc::new(AtomicUsize::new(0));
    let mut load = Vec::new();
    for (i, ticket) in tickets.iter().enumerate() {
        let request = first_user(ticket, &format!("candidat{i}@exemple.fr"));
        let (client, url) = (app.client.clone(), app.url("/api/registration/first-user"));
        let (accepted, answered) = (accepted.clone(), answered.clone());
        load.push(tokio::spawn(async move {
            let status = client
                .post(url)
                .json(&request)
                .send()
                .await
                .unwrap()
                .status();
            if status == 200 {
                accepted.lock().unwrap().push(i);
            }
            answered.fetch_add(1, Ordering::SeqCst);
        }));
    }
    while answered.load(Ordering::SeqCst) < 5 {
        tokio::task::yield_now().await;
    }
    let before: Vec<usize> = accepted.lock().unwrap().clone();
    let copy = app.config.data_dir.join("sauvegarde.db");
    let (data_dir, file) = (app.config.data_dir.clone(), copy.clone());
    let backup = tokio::task::spawn_blocking(move || {
        cli(&data_dir, None, &["backup", file.to_str().unwrap()])
    })
    .await
    .unwrap();
    assert!(backup.status.success(), "{}", said(&backup));
    let in_flight = answered.load(Ordering::SeqCst);
    for task in load {
        task.await.unwrap();
    }
    assert!(
        !before.is_empty(),
        "some registrations were accepted before the backup"
    );
    assert!(
        in_flight < LOAD,
        "the backup ran while registrations were still coming"
    );

    // A second backup never overwrites the first.
    let again = cli(
        &app.config.data_dir,
        None,
        &["backup", copy.to_str().unwrap()],
    );
    assert!(!again.status.success());
    assert!(said(&again).contains("existe déjà"), "{}", said(&again));

    let fresh = tempfile::tempdir().unwrap();
    let restored = cli(fresh.path(), None, &["restore", copy.to_str().unwrap()]);
    assert!(restored.status.success(), "{}", said(&restored));
    let check = cli(fresh.path(), None, &["check"]);
    assert!(check.status.success(), "{}", said(&check));
    let db = Db::connect(&format!(
        "sqlite://{}",
        fresh.path().join("inscription.db").display()
    ))
    .await
    .unwrap();
    for i in &before {
        assert!(
            registered(&db, *i).await,
            "accepted registration {i} is in the copy"
        );
    }
    // Nothing the copy holds is half there: what is in it is whole.
    let candidates = count(&db, "SELECT COUNT(*) FROM users WHERE status = 'candidate'").await;
    let letters = count(&db, "SELECT COUNT(*) FROM letters WHERE status = 'queued'").await;
    assert_eq!(candidates, letters);
    assert!(candidates >= i64::try_from(before.len()).unwrap());
    db.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restore_refuses_a_running_folder_and_a_bad_copy() {
    let app = spawn_app_with(Backend::Sqlite, demo()).await.unwrap();
    let ticket = app.step1("237517").await.ticket;
    app.register_first_user(&first_user(&ticket, "anne@habitat-loire.fr"))
        .await;
    let copy = app.config.data_dir.join("sauvegarde.db");
    let backup = cli(
        &app.config.data_dir,
        None,
        &["backup", copy.to_str().unwrap()],
    );
    assert!(backup.status.success(), "{}", said(&backup));

    // A server runs on the target folder: refused, nothing replaced.
    let target = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut server = Stopped(
        Command::new(env!("CARGO_BIN_EXE_inscription-server"))
            .arg("serve")
            .env("DATA_DIR", target.path())
            .env_remove("DATABASE_URL")
            .env("PORT", port.to_string())
            .env("RUST_LOG", "error")
            .spawn()
            .unwrap(),
    );
    wait_ready(&format!("http://127.0.0.1:{port}")).await;
    let refused = cli(target.path(), None, &["restore", copy.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(
        said(&refused).contains("un serveur utilise ce dossier"),
        "{}",
        said(&refused)
    );
    server.stop();

    // A copy that breaks an invariant: refused, the rule named, nothing replaced.
    let broken = app.config.data_dir.join("abimee.db");
    std::fs::copy(&copy, &broken).unwrap();
    let db = Db::connect(&format!("sqlite://{}", broken.display()))
        .await
        .unwrap();
    crate::helpers::try_execute(
        &db,
        "UPDATE letters SET status = 'cancelled', temporary_password = NULL, opposition_code = NULL",
    )
    .await
    .unwrap();
    inscription_server::db::erase_freed(&db).await;
    db.close().await;
    let before = std::fs::read(target.path().join("inscription.db")).unwrap();
    let refused = cli(target.path(), None, &["restore", broken.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(
        said(&refused).contains("chaque candidat administrateur a un courrier en file ou envoyé"),
        "{}",
        said(&refused)
    );
    // Not a database at all: refused too.
    let text = app.config.data_dir.join("pas-une-base.db");
    std::fs::write(&text, "ceci n’est pas une base").unwrap();
    let refused = cli(target.path(), None, &["restore", text.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(
        said(&refused).contains("n’est pas une base lisible"),
        "{}",
        said(&refused)
    );
    assert_eq!(
        std::fs::read(target.path().join("inscription.db")).unwrap(),
        before
    );

    // The good copy, once the server is stopped: restored, and the old base kept.
    let restored = cli(target.path(), None, &["restore", copy.to_str().unwrap()]);
    assert!(restored.status.success(), "{}", said(&restored));
    assert!(target
        .path()
        .join("inscription.db.avant-restauration")
        .exists());
    let check = cli(target.path(), None, &["check"]);
    assert!(check.status.success(), "{}", said(&check));
}

/// PostgreSQL is backed up with its own tools: the README's commands, run here.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgresql_backs_up_and_restores_with_pg_dump_and_pg_restore() {
    let Some(app) = spawn_app_with(Backend::Postgres, demo()).await else {
        return;
    };
    let ticket = app.step1("237517").await.ticket;
    let response = app
        .register_first_user(&first_user(&ticket, "candidat0@exemple.fr"))
        .await;
    assert_eq!(response.status(), 200);
    let dump = app.config.data_dir.join("inscription.dump");
    let dumped = Command::new("pg_dump")
        .args(["--format=custom", "--no-owner", "--file"])
        .arg(&dump)
        .arg(app.database_url())
        .output()
        .unwrap();
    assert!(dumped.status.success(), "{}", said(&dumped));

    let target = PostgresDatabase::new().unwrap();
    let created = Command::new("createdb")
        .arg("--maintenance-db")
        .arg(app.database_url())
        .arg(target.url.rsplit('/').next().unwrap())
        .output()
        .unwrap();
    assert!(created.status.success(), "{}", said(&created));
    let restored = Command::new("pg_restore")
        .args(["--no-owner", "--dbname"])
        .arg(&target.url)
        .arg(&dump)
        .output()
        .unwrap();
    assert!(restored.status.success(), "{}", said(&restored));
    let check = cli(&app.config.data_dir, Some(&target.url), &["check"]);
    assert!(check.status.success(), "{}", said(&check));
    let db = Db::connect(&target.url).await.unwrap();
    assert!(registered(&db, 0).await);
    db.close().await;
    // The CLI's backup says where to look instead.
    let cli_backup = cli(
        &app.config.data_dir,
        Some(&target.url),
        &["backup", "/tmp/x.db"],
    );
    assert!(!cli_backup.status.success());
    assert!(
        said(&cli_backup).contains("pg_dump"),
        "{}",
        said(&cli_backup)
    );
}

/// A server stopped short leaves its last commits in the WAL only: a restore keeps them
/// with the database it sets aside.
#[tokio::test]
async fn a_restore_sets_the_replaced_base_aside_with_its_last_commits() {
    let target = tempfile::tempdir().unwrap();
    let file = target.path().join("inscription.db");
    let db = Db::connect(&format!("sqlite://{}", file.display()))
        .await
        .unwrap();
    crate::helpers::try_execute(&db, "CREATE TABLE dernier (n INTEGER)")
        .await
        .unwrap();
    crate::helpers::try_execute(&db, "INSERT INTO dernier VALUES (42)")
        .await
        .unwrap();
    // The folder as a crash leaves it: the database open, its WAL not yet copied.
    let crashed = tempfile::tempdir().unwrap();
    for suffix in ["", "-wal", "-shm"] {
        let name = format!("inscription.db{suffix}");
        std::fs::copy(target.path().join(&name), crashed.path().join(&name)).unwrap();
    }
    db.close().await;
    assert!(
        std::fs::metadata(crashed.path().join("inscription.db-wal"))
            .unwrap()
            .len()
            > 0
    );

    let source = tempfile::tempdir().unwrap();
    let copy = source.path().join("sauvegarde.db");
    Db::connect(&format!("sqlite://{}", copy.display()))
        .await
        .unwrap()
        .close()
        .await;
    let restored = cli(crashed.path(), None, &["restore", copy.to_str().unwrap()]);
    assert!(restored.status.success(), "{}", said(&restored));

    let aside = crashed.path().join("inscription.db.avant-restauration");
    let replaced = Db::connect(&format!("sqlite://{}", aside.display()))
        .await
        .unwrap();
    assert_eq!(count(&replaced, "SELECT n FROM dernier").await, 42);
    replaced.close().await;
}
