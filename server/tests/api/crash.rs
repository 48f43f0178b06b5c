//! Crash safety: the server killed with SIGKILL in the middle of a registration load,
//! restarted, then `inscription-server check` — every invariant holds and every
//! registration that was answered 200 is in the database.

use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::helpers::{demo, free_port, start_process as start, wait_ready, TestApp};
use crate::on_both_databases;
use crate::registration_step2::first_user;

/// Client numbers of active demo establishments.
pub fn numbers(count: usize) -> Vec<String> {
    inscription_server::import::DEMO_CSV
        .lines()
        .skip(1)
        .filter(|l| l.ends_with(";actif"))
        .map(|l| l.split(';').next().unwrap().to_owned())
        .take(count)
        .collect()
}

async fn a_killed_server_loses_no_accepted_registration(app: TestApp) {
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = start(&app, port);
    wait_ready(&base).await;

    // Tickets first (the instances share the signing secret through the database).
    let mut tickets = Vec::new();
    for number in numbers(25) {
        tickets.push((number.clone(), app.step1(&number).await.ticket));
    }
    let answered = Arc::new(AtomicUsize::new(0));
    let mut load = Vec::new();
    for (i, (_, ticket)) in tickets.iter().enumerate() {
        let (client, base, answered) = (app.client.clone(), base.clone(), answered.clone());
        let request = first_user(ticket, &format!("candidat{i}@exemple.fr"));
        load.push(tokio::spawn(async move {
            let status = client
                .post(format!("{base}/api/registration/first-user"))
                .json(&request)
                .send()
                .await
                .map(|r| r.status().as_u16());
            answered.fetch_add(1, Ordering::SeqCst);
            (i, status)
        }));
    }
    // Killed once a few were answered, the others in flight.
    while answered.load(Ordering::SeqCst) < 3 {
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let mut accepted = Vec::new();
    for task in load {
        if let (i, Ok(200)) = task.await.unwrap() {
            accepted.push(i);
        }
    }
    assert!(
        !accepted.is_empty() && accepted.len() < 25,
        "{} accepted",
        accepted.len()
    );

    let mut server = start(&app, port);
    wait_ready(&base).await;
    let check = Command::new(env!("CARGO_BIN_EXE_inscription-server"))
        .arg("check")
        .env("DATABASE_URL", app.database_url())
        .env("DATA_DIR", &app.config.data_dir)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "{report}");
    assert!(
        report.contains("Toutes les règles sont respectées."),
        "{report}"
    );
    for i in accepted {
        let sql = format!(
            "SELECT COUNT(*) FROM users u JOIN letters l ON l.user_id = u.id \
             WHERE u.email = 'candidat{i}@exemple.fr' AND u.status = 'candidate' AND l.status = 'queued'"
        );
        assert_eq!(app.count(&sql).await, 1, "accepted registration {i} lost");
    }
    server.kill().unwrap();
    server.wait().unwrap();
}
on_both_databases!(a_killed_server_loses_no_accepted_registration, demo);

async fn check_names_a_broken_rule(app: TestApp) {
    let ticket = app.step1("237517").await.ticket;
    app.register_first_user(&first_user(&ticket, "anne@habitat-loire.fr"))
        .await;
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_inscription-server"))
            .arg("check")
            .env("DATABASE_URL", app.database_url())
            .env("DATA_DIR", &app.config.data_dir)
            .output()
            .unwrap()
    };
    assert!(run().status.success());
    // A candidate whose letter vanished, as a faulty restore could leave it.
    app.execute("UPDATE letters SET status = 'cancelled', temporary_password = NULL, opposition_code = NULL")
        .await;
    let broken = run();
    let report = String::from_utf8_lossy(&broken.stdout);
    assert!(!broken.status.success());
    assert!(
        report.contains(
            "ÉCHEC   chaque candidat administrateur a un courrier en file ou envoyé\u{a0}: 1\u{a0}ligne en défaut"
        ),
        "{report}"
    );
}
on_both_databases!(check_names_a_broken_rule, demo);
