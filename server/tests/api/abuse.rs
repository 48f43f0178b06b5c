//! Abuse resistance (issue 12): each test runs an attack over HTTP and checks that it
//! fails, with client addresses forged behind a trusted proxy where the attack needs many.

use std::sync::Arc;

use inscription_shared::account::{Me, CAPTCHA_NEEDED};
use inscription_shared::operator::{CandidaciesFromAddress, EmailOutbox, LetterSummary};
use inscription_shared::ErrorResponse;
use serde_json::json;

use crate::account::session_cookie;
use crate::administration::{activated_admin, active_admin, PASSWORD};
use crate::back_office::{operator, OPERATOR, OPERATOR_PASSWORD};
use crate::helpers::{demo, get_with, link_token, TestApp, TestOptions};
use crate::on_both_databases;
use crate::registration_step1::{step1_from, step1_raw};
use crate::registration_step2::{access_request, first_user};

const ADMIN: &str = "admin@habitat-loire.fr";
const CANDIDATE: &str = "anne.lebihan@habitat-loire.fr";
const WRONG: &str = "Mauvais!MotDePasse1";

/// Demo data behind one trusted load balancer: `X-Forwarded-For`'s last entry is the client.
fn behind_proxy() -> TestOptions {
    TestOptions {
        trusted_proxies: Some("1"),
        ..demo()
    }
}

/// A POST of JSON from client address `from` (as the load balancer says it).
async fn post_from(
    app: &TestApp,
    path: &str,
    from: &str,
    body: &serde_json::Value,
) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .header("x-forwarded-for", from)
        .json(body)
        .send()
        .await
        .unwrap()
}

/// A sign-in from `from`: the status and the answer.
async fn sign_in_from(
    app: &TestApp,
    from: &str,
    email: &str,
    password: &str,
    captcha: &str,
) -> (u16, reqwest::Response) {
    let body = json!({ "email": email, "password": password, "captcha": captcha });
    let response = post_from(app, "/api/session", from, &body).await;
    (response.status().as_u16(), response)
}

/// Argon2 computations done so far on `lane` (`sign_in` or `other`), read from /metrics.
async fn hashes(app: &TestApp, lane: &str) -> u64 {
    let text = app.get("/metrics").await.text().await.unwrap();
    let prefix = format!("inscription_password_hashes_total{{lane=\"{lane}\"}} ");
    text.lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .map_or(0, |n| n.trim().parse().unwrap())
}

async fn failures_recorded(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'account.sign_in_failed'")
        .await
}

/// Registers the first user of 237517 ([`CANDIDATE`]); returns the letter's temporary
/// password.
async fn candidate(app: &TestApp) -> String {
    crate::account::candidate(app).await.0
}

// 1. Step-2 replays buy no Argon2.

async fn step2_replays_never_reach_the_hashing(app: TestApp) {
    active_admin(&app, "237517", ADMIN).await;
    let ticket = app.step1("237517").await.ticket;
    let before = hashes(&app, "other").await;
    // Eight identical submissions at once: one is hashed and stored.
    let app = Arc::new(app);
    let racing: Vec<_> = (0..8)
        .map(|_| {
            let (app, ticket) = (app.clone(), ticket.clone());
            tokio::spawn(async move {
                let body = access_request(&ticket, "paul.martin@habitat-loire.fr");
                app.request_access(&body).await.status().as_u16()
            })
        })
        .collect();
    for task in racing {
        let status = task.await.unwrap();
        assert!([200, 409].contains(&status), "{status}");
    }
    assert_eq!(hashes(&app, "other").await - before, 1);
    // Then replays with other bodies, from other addresses: none is hashed.
    let replays: Vec<_> = (0..60)
        .map(|i| {
            let (app, ticket) = (app.clone(), ticket.clone());
            tokio::spawn(async move {
                let body = access_request(&ticket, &format!("rejeu-{i}@habitat-loire.fr"));
                app.request_access(&body).await.status().as_u16()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in replays {
        statuses.push(task.await.unwrap());
    }
    assert!(
        statuses.iter().all(|s| [200, 429].contains(s)),
        "{statuses:?}"
    );
    assert!(statuses.contains(&429), "the per-ticket limit answers");
    assert_eq!(
        hashes(&app, "other").await - before,
        1,
        "no replay was hashed"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE role = 'user'")
            .await,
        1
    );
}
on_both_databases!(step2_replays_never_reach_the_hashing, demo);

async fn step2_has_a_limit_per_address(app: TestApp) {
    // Tickets from many addresses; every step 2 from one.
    let mut tickets = Vec::new();
    for (i, number) in crate::crash::numbers(31).iter().enumerate() {
        let step1 = json!({ "client_number": number, "captcha": app.captcha_token().await });
        let response = post_from(
            &app,
            "/api/registration/step1",
            &format!("198.51.100.{i}"),
            &step1,
        )
        .await;
        assert_eq!(response.status(), 200);
        let body: serde_json::Value = response.json().await.unwrap();
        tickets.push(body["ticket"].as_str().unwrap().to_owned());
    }
    let mut statuses = Vec::new();
    for ticket in &tickets {
        // An access request where nobody registered yet: refused at once, without hashing.
        let body = serde_json::to_value(access_request(ticket, ADMIN)).unwrap();
        let response = post_from(
            &app,
            "/api/registration/existing-account",
            "203.0.113.5",
            &body,
        )
        .await;
        statuses.push(response.status().as_u16());
    }
    assert!(statuses[..30].iter().all(|s| *s == 409), "{statuses:?}");
    assert_eq!(statuses[30], 429);
}
on_both_databases!(step2_has_a_limit_per_address, behind_proxy);

/// One waiting place per hashing thread, and every request on its own address: a flood
/// of distinct, valid registrations fills the queue.
fn short_hashing_queue() -> TestOptions {
    TestOptions {
        hash_queue_per_thread: Some(1),
        first_users_per_day: Some(1000),
        ..behind_proxy()
    }
}

async fn a_full_hashing_queue_answers_busy_and_sign_in_keeps_its_share(app: TestApp) {
    active_admin(&app, "237517", ADMIN).await;
    // Sixty first users of sixty establishments, each with a valid ticket of its own.
    let mut requests = Vec::new();
    for (i, number) in crate::crash::numbers(61).iter().skip(1).enumerate() {
        let from = format!("198.51.{}.{}", i / 200, i % 200 + 1);
        let step1 = json!({ "client_number": number, "captcha": app.captcha_token().await });
        let response = post_from(&app, "/api/registration/step1", &from, &step1).await;
        let ticket: serde_json::Value = response.json().await.unwrap();
        let body = first_user(
            ticket["ticket"].as_str().unwrap(),
            &format!("premier{i}@exemple.fr"),
        );
        requests.push((from, serde_json::to_value(body).unwrap()));
    }
    let app = Arc::new(app);
    let flood: Vec<_> = requests
        .into_iter()
        .map(|(from, body)| {
            let app = app.clone();
            tokio::spawn(async move {
                let response = post_from(&app, "/api/registration/first-user", &from, &body).await;
                let retry = response.headers().get("retry-after").cloned();
                let status = response.status().as_u16();
                let body: serde_json::Value = response.json().await.unwrap_or_default();
                (
                    status,
                    retry,
                    body["message"].as_str().unwrap_or_default().to_owned(),
                )
            })
        })
        .collect();
    // Meanwhile the administrator signs in: their lane is not the flood's.
    let (status, _) = sign_in_from(&app, "192.0.2.10", ADMIN, PASSWORD, "").await;
    assert_eq!(status, 200);
    let mut busy = 0;
    for task in flood {
        let (status, retry, message) = task.await.unwrap();
        match status {
            200 => {}
            503 => {
                busy += 1;
                assert!(retry.is_some(), "Retry-After");
                assert_eq!(
                    message,
                    "Le service est très sollicité en ce moment. Réessayez dans quelques secondes."
                );
            }
            other => panic!("{other}: {message}"),
        }
    }
    assert!(busy > 0, "the queue is bounded");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM letters").await,
        61 - busy,
        "one letter per accepted registration, none for a refused one"
    );
}
on_both_databases!(
    a_full_hashing_queue_answers_busy_and_sign_in_keeps_its_share,
    short_hashing_queue
);

// 2. A burst of guesses is evaluated at most up to the limit, and every tier holds.

async fn a_burst_of_guesses_is_evaluated_at_most_up_to_the_limit(app: TestApp) {
    active_admin(&app, "237517", ADMIN).await;
    let (failed, hashed) = (failures_recorded(&app).await, hashes(&app, "sign_in").await);
    let app = Arc::new(app);
    let burst: Vec<_> = (0..300)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move {
                let body = json!({ "email": ADMIN, "password": WRONG });
                app.post("/api/session", &body).await.status().as_u16()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in burst {
        statuses.push(task.await.unwrap());
    }
    let evaluated = statuses.iter().filter(|s| **s == 401).count();
    assert!(
        statuses.iter().all(|s| [401, 429].contains(s)),
        "{statuses:?}"
    );
    assert!(evaluated <= 5, "{evaluated} guesses evaluated");
    assert!(failures_recorded(&app).await - failed <= 5);
    assert!(hashes(&app, "sign_in").await - hashed <= 5);
}
on_both_databases!(
    a_burst_of_guesses_is_evaluated_at_most_up_to_the_limit,
    demo
);

async fn every_tier_of_the_sign_in_limit_holds(app: TestApp) {
    // Start on a day boundary, so that every window of the test is whole.
    let now = app.clock.now();
    app.clock.advance(86_400 - now.rem_euclid(86_400) + 1);
    // The guesser solves a proof each time (the account's own ceiling asks for one).
    let attempt = || async {
        let captcha = app.captcha_token().await;
        let body =
            json!({ "email": "quelqu.un@example.org", "password": WRONG, "captcha": captcha });
        app.post("/api/session", &body).await.status().as_u16()
    };
    let round = || async {
        for _ in 0..5 {
            assert_eq!(attempt().await, 401);
        }
    };
    round().await;
    assert_eq!(attempt().await, 429, "5 in 5 minutes");
    app.clock.advance(10 * 60);
    round().await;
    app.clock.advance(10 * 60);
    assert_eq!(attempt().await, 429, "10 in an hour");
    app.clock.advance(2 * 3600);
    round().await;
    app.clock.advance(10 * 60);
    round().await;
    app.clock.advance(2 * 3600);
    assert_eq!(attempt().await, 429, "20 in a day");
    app.clock.advance(86_400);
    assert_eq!(attempt().await, 401, "a new day");
}
on_both_databases!(every_tier_of_the_sign_in_limit_holds, demo);

// 3. Strangers never lock the owner out.

async fn strangers_cannot_lock_an_administrator_out(app: TestApp) {
    activated_admin(&app, "237517", ADMIN).await;
    for i in 0..12 {
        let from = format!("203.0.113.{i}");
        let (status, _) = sign_in_from(&app, &from, ADMIN, WRONG, "").await;
        assert!([401, 422].contains(&status), "{status}");
    }
    // The owner, from their office: the right password is not refused, it asks a proof.
    let (status, response) = sign_in_from(&app, "198.51.100.20", ADMIN, PASSWORD, "").await;
    assert_eq!(status, 422);
    let body: ErrorResponse = response.json().await.unwrap();
    assert_eq!(body.message, CAPTCHA_NEEDED);
    assert_eq!(body.fields[0].field, "captcha");
    let proof = app.captcha_token().await;
    let (status, response) = sign_in_from(&app, "198.51.100.20", ADMIN, PASSWORD, &proof).await;
    assert_eq!(status, 200);
    assert!(session_cookie(&response).is_some());
    // A stranger still needs a proof for each guess, and a proof serves once.
    let (status, _) = sign_in_from(&app, "203.0.113.99", ADMIN, WRONG, &proof).await;
    assert_eq!(status, 422, "a used proof does not serve again");
}
on_both_databases!(strangers_cannot_lock_an_administrator_out, behind_proxy);

async fn strangers_cannot_lock_an_operator_out(app: TestApp) {
    operator(&app).await;
    for i in 0..12 {
        sign_in_from(&app, &format!("203.0.113.{i}"), OPERATOR, WRONG, "").await;
    }
    let proof = app.captcha_token().await;
    let (status, _) = sign_in_from(&app, "10.1.2.3", OPERATOR, OPERATOR_PASSWORD, &proof).await;
    assert_eq!(status, 200);
}
on_both_databases!(strangers_cannot_lock_an_operator_out, behind_proxy);

async fn wrong_codes_never_destroy_the_letters_code(app: TestApp) {
    let code = candidate(&app).await;
    for i in 0..30 {
        let proof = app.captcha_token().await;
        let from = format!("203.0.113.{i}");
        let (status, _) = sign_in_from(&app, &from, CANDIDATE, "AAAA-BBBB-CCCC", &proof).await;
        assert_eq!(status, 401);
    }
    let proof = app.captcha_token().await;
    let (status, response) = sign_in_from(&app, "198.51.100.7", CANDIDATE, &code, &proof).await;
    assert_eq!(status, 200, "thirty failures later, the code still works");
    let cookie = session_cookie(&response).unwrap();
    let me: Me = get_with(&app, "/api/me", &cookie)
        .await
        .json()
        .await
        .unwrap();
    assert!(me.must_choose_password);
    assert_eq!(me.code_failures, 30, "the candidate is shown the failures");
    let op = operator(&app).await;
    let letters: Vec<LetterSummary> = get_with(&app, "/api/operator/letters", &op)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(letters[0].code_failures, 30, "and so are the operators");
}
on_both_databases!(wrong_codes_never_destroy_the_letters_code, behind_proxy);

// 4. Client addresses come from the right of X-Forwarded-For.

async fn forged_forwarded_entries_change_nothing(app: TestApp) {
    for i in 0..5 {
        let from = format!("10.9.9.{i}, 203.0.113.9");
        let (status, _) = sign_in_from(&app, &from, "x@example.org", WRONG, "").await;
        assert_eq!(status, 401);
    }
    let (status, _) = sign_in_from(&app, "1.2.3.4, 203.0.113.9", "x@example.org", WRONG, "").await;
    assert_eq!(status, 429, "the leftmost entry is the client's to write");
    let ip = app
        .count("SELECT COUNT(*) FROM audit_events WHERE ip = '203.0.113.9'")
        .await;
    assert_eq!(ip, 5, "the audit trail has the address the proxy saw");
    // IPv6: one /64 counts as one address.
    for i in 1..=5 {
        let from = format!("2001:db8:1:2::{i}");
        assert_eq!(
            sign_in_from(&app, &from, "y@example.org", WRONG, "")
                .await
                .0,
            401
        );
    }
    assert_eq!(
        sign_in_from(&app, "2001:db8:1:2::99", "y@example.org", WRONG, "")
            .await
            .0,
        429
    );
    // Another /64 is another address: not refused, only asked the account's proof.
    let (status, response) =
        sign_in_from(&app, "2001:db8:1:3::1", "y@example.org", WRONG, "").await;
    assert_eq!(status, 422);
    let body: ErrorResponse = response.json().await.unwrap();
    assert_eq!(body.message, CAPTCHA_NEEDED);
}
on_both_databases!(forged_forwarded_entries_change_nothing, behind_proxy);

async fn without_a_trusted_proxy_the_header_is_ignored(app: TestApp) {
    for i in 0..6 {
        sign_in_from(&app, &format!("203.0.113.{i}"), "x@example.org", WRONG, "").await;
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE ip = '127.0.0.1'")
            .await,
        5,
        "five failures from the peer, then its limit"
    );
}
on_both_databases!(without_a_trusted_proxy_the_header_is_ignored, demo);

// 5. No live link at rest.

async fn no_stored_or_shown_email_holds_a_usable_token(app: TestApp) {
    activated_admin(&app, "237517", ADMIN).await;
    for _ in 0..2 {
        let response = app.forgotten_password(&json!({ "email": ADMIN })).await;
        assert_eq!(response.status(), 200);
    }
    let stored = inscription_server::db::emails::to_recipient(&app.db, ADMIN)
        .await
        .unwrap();
    assert_eq!(stored.len(), 2);
    for email in &stored {
        let after = email.body.split("jeton=").nth(1).unwrap();
        assert!(after.starts_with("{jeton}"), "{}", email.body);
    }
    let op = operator(&app).await;
    let shown: EmailOutbox = get_with(&app, "/api/operator/emails", &op)
        .await
        .json()
        .await
        .unwrap();
    let bodies: Vec<&str> = shown.emails.iter().map(|e| e.body.as_str()).collect();
    assert!(bodies.iter().any(|b| b.contains("non conservé")));
    assert!(bodies.iter().all(|b| !b.contains("{jeton}")));
    // Delivered (the local outbox), each carries its own link; the database still none.
    let first = link_token(&app, ADMIN).await;
    let delivered = inscription_server::email::deliver_local(&app.db, ADMIN, app.clock.now())
        .await
        .unwrap();
    assert!(delivered.iter().all(|e| !e.body.contains(&first)));
    let stored = inscription_server::db::emails::to_recipient(&app.db, ADMIN)
        .await
        .unwrap();
    assert!(stored.iter().all(|e| !e.body.contains(&first)));
    let second = app
        .count("SELECT COUNT(*) FROM password_resets WHERE used_at IS NULL")
        .await;
    assert_eq!(second, 2, "one link per e-mail, drawn at delivery");
    let reset = app
        .reset_password(&json!({ "token": first, "password": "Nouveau!Mot-2027" }))
        .await;
    assert_eq!(reset.status(), 204);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM password_resets WHERE used_at IS NULL")
            .await,
        0,
        "a reset ends the account's other links"
    );
}
on_both_databases!(no_stored_or_shown_email_holds_a_usable_token, demo);

async fn sent_emails_go_after_their_retention(app: TestApp) {
    active_admin(&app, "237517", ADMIN).await;
    app.forgotten_password(&json!({ "email": ADMIN })).await;
    link_token(&app, ADMIN).await;
    app.forgotten_password(&json!({ "email": "nobody@example.org" }))
        .await;
    let before = app.count("SELECT COUNT(*) FROM emails").await;
    app.clock.advance(29 * 86_400);
    inscription_server::startup::apply_retention(&app.state)
        .await
        .unwrap();
    assert_eq!(app.count("SELECT COUNT(*) FROM emails").await, before);
    app.clock.advance(2 * 86_400);
    inscription_server::startup::apply_retention(&app.state)
        .await
        .unwrap();
    assert_eq!(
        app.count("SELECT COUNT(*) FROM emails WHERE sent_at IS NOT NULL")
            .await,
        0,
        "sent e-mails are gone after 30 days"
    );
}
on_both_databases!(sent_emails_go_after_their_retention, demo);

/// Every file under `dir` that holds `needle`, as `grep` finds them. In another process:
/// opening and closing the database's files in this one would drop the SQLite locks the
/// in-process server holds on them (POSIX locks belong to the process).
pub fn files_holding(dir: &std::path::Path, needle: &str) -> Vec<String> {
    let output = std::process::Command::new("grep")
        .args(["-r", "-l", "-F", "-a", "--", needle])
        .arg(dir)
        .output()
        .unwrap();
    assert!(output.status.code().is_some_and(|c| c <= 1), "grep failed");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

/// An app on SQLite with a candidate's letter queued, and that letter.
async fn a_queued_letter_on_sqlite() -> (TestApp, inscription_server::db::letters::LetterRow) {
    use crate::helpers::{spawn_app_with, Backend};
    let app = spawn_app_with(Backend::Sqlite, demo()).await.unwrap();
    candidate(&app).await;
    let letter = inscription_server::db::letters::queued(&app.db)
        .await
        .unwrap()
        .remove(0);
    (app, letter)
}

/// An operator dispatches the letter.
async fn dispatch(app: &TestApp, letter: i64) {
    let op = operator(app).await;
    let response = crate::helpers::post_with(
        app,
        "/api/operator/letters/dispatch",
        &op,
        json!({ "ids": [letter] }),
    )
    .await;
    assert!(response.status().is_success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dispatched_letters_codes_are_gone_from_the_disk() {
    let (app, letter) = a_queued_letter_on_sqlite().await;
    let codes = [
        letter.temporary_password.clone().unwrap(),
        letter.opposition_code.clone().unwrap(),
    ];
    let dir = app.config.data_dir.clone();
    for code in &codes {
        assert!(
            !files_holding(&dir, code).is_empty(),
            "the test sees a code on disk"
        );
    }
    dispatch(&app, letter.id).await;
    for code in &codes {
        let bare = code.replace('-', "");
        for needle in [code.as_str(), bare.as_str()] {
            assert_eq!(
                files_holding(&dir, needle),
                Vec::<String>::new(),
                "{needle}"
            );
        }
    }
}

/// A reader in the middle of a read (a backup, an export) when the letter is dispatched
/// keeps SQLite's WAL, which still holds the codes, from emptying: once it is done, the
/// server's next checkpoint empties it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_letters_codes_leave_the_disk_once_a_long_read_is_over() {
    use sqlx::{Connection, SqliteConnection};
    let (app, letter) = a_queued_letter_on_sqlite().await;
    let code = letter.temporary_password.clone().unwrap();
    let dir = app.config.data_dir.clone();
    let file = dir.join(inscription_server::backup::DATABASE_FILE);
    let mut reader = SqliteConnection::connect(&format!("sqlite://{}", file.display()))
        .await
        .unwrap();
    sqlx::query("BEGIN").execute(&mut reader).await.unwrap();
    let _: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM letters")
        .fetch_one(&mut reader)
        .await
        .unwrap();

    dispatch(&app, letter.id).await;
    assert!(
        !files_holding(&dir, &code).is_empty(),
        "the reader kept the WAL from emptying"
    );
    // While the reader reads, the checkpoint cannot copy what it may still read.
    assert!(!inscription_server::db::checkpoint(&app.db).await.unwrap());
    assert!(!files_holding(&dir, &code).is_empty());

    sqlx::query("COMMIT").execute(&mut reader).await.unwrap();
    reader.close().await.unwrap();
    // What the server does every second.
    assert!(inscription_server::db::checkpoint(&app.db).await.unwrap());
    for needle in [code.clone(), code.replace('-', "")] {
        assert_eq!(
            files_holding(&dir, &needle),
            Vec::<String>::new(),
            "{needle}"
        );
    }
}

// 7. Squatting establishments in bulk.

fn small_daily_budget() -> TestOptions {
    TestOptions {
        first_users_per_day: Some(4),
        ..behind_proxy()
    }
}

async fn first_users_have_daily_budgets(app: TestApp) {
    let register = |number: &'static str, from: &'static str, email: &'static str| {
        let app = &app;
        async move {
            let step1 = json!({ "client_number": number, "captcha": app.captcha_token().await });
            let response = post_from(app, "/api/registration/step1", from, &step1).await;
            let ticket: serde_json::Value = response.json().await.unwrap();
            let body = serde_json::to_value(first_user(ticket["ticket"].as_str().unwrap(), email))
                .unwrap();
            post_from(app, "/api/registration/first-user", from, &body).await
        }
    };
    for (number, email) in [
        ("237517", "a@x.fr"),
        ("12345", "b@x.fr"),
        ("480213", "c@x.fr"),
    ] {
        assert_eq!(register(number, "203.0.113.1", email).await.status(), 200);
    }
    let fourth = register("326997", "203.0.113.1", "d@x.fr").await;
    assert_eq!(fourth.status(), 429);
    assert!(fourth.headers().contains_key("retry-after"));
    let body: ErrorResponse = fourth.json().await.unwrap();
    assert!(
        body.message.contains("depuis votre connexion"),
        "{}",
        body.message
    );
    assert_eq!(
        register("326997", "198.51.100.1", "d@x.fr").await.status(),
        200
    );
    let fifth = register("577345", "198.51.100.2", "e@x.fr").await;
    assert_eq!(fifth.status(), 429, "the service's budget");
    let body: ErrorResponse = fifth.json().await.unwrap();
    assert!(
        body.message.contains("nombre inhabituel"),
        "{}",
        body.message
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM letters").await,
        4,
        "no letter beyond the budgets"
    );
    // Operators see them grouped by address; the metric counts them.
    let op = operator(&app).await;
    let groups: Vec<CandidaciesFromAddress> =
        get_with(&app, "/api/operator/candidacies-by-address", &op)
            .await
            .json()
            .await
            .unwrap();
    assert_eq!(groups[0].address, "203.0.113.1");
    assert_eq!(groups[0].establishments.len(), 3);
    assert_eq!(groups[1].establishments.len(), 1);
    let metrics = app.get("/metrics").await.text().await.unwrap();
    assert!(
        metrics.contains("inscription_candidacies_last_day 4"),
        "{metrics}"
    );
    assert!(metrics.contains("inscription_candidacy_addresses_last_day 2"));
}
on_both_databases!(first_users_have_daily_budgets, small_daily_budget);

async fn the_proof_of_work_grows_with_an_addresss_attempts(app: TestApp) {
    let prefix = |c: &altcha::Challenge| c.parameters.key_prefix.clone();
    let fresh = || app.captcha_challenge();
    assert_eq!(prefix(&fresh().await), "00");
    let early = app.captcha_token().await;
    // Several numbers, as a script going through them would (each number has its own limit).
    let numbers = ["237517", "12345", "480213", "326997", "577345", "888564"];
    for number in numbers {
        app.step1(number).await;
    }
    assert_eq!(prefix(&fresh().await), "000", "16 times more work");
    let step1 = json!({ "client_number": "164301", "captcha": early });
    let refused = app.post("/api/registration/step1", &step1).await;
    assert_eq!(refused.status(), 422, "an easier proof no longer serves");
    for number in numbers.iter().chain(&numbers[..3]) {
        app.step1(number).await;
    }
    assert_eq!(prefix(&fresh().await), "0000");
}
on_both_databases!(the_proof_of_work_grows_with_an_addresss_attempts, demo);

async fn refused_attempts_count_too(app: TestApp) {
    // A script that does not solve the proof of work, or replays one solution: each refusal
    // is counted in the same transaction that refuses it, and makes the next proof harder.
    let token = app.captcha_token().await;
    assert_eq!(step1_raw(&app, "237517", token.clone()).await.0, 200);
    for captcha in ["", "pas-un-jeton", &token, &token, &token] {
        let (status, _) = step1_raw(&app, "237517", captcha.to_owned()).await;
        assert_eq!(status, 422, "{captcha:?}");
    }
    let challenge = app.captcha_challenge().await;
    assert_eq!(challenge.parameters.key_prefix, "000", "16 times more work");
}
on_both_databases!(refused_attempts_count_too, demo);

// 7b. Step 1's attempts written in groups: each one decided as if it had come alone.

async fn one_token_sent_many_times_at_once_serves_once(app: TestApp) {
    // Twenty addresses send the same solved token at the same instant: their attempts share
    // transactions, and only one of them may spend it.
    let token = app.captcha_token().await;
    let numbers = ["237517", "12345", "480213", "326997", "577345"];
    let attempts = (0..20).map(|i| {
        let from = format!("203.0.113.{}", i + 1);
        let (app, token) = (&app, &token);
        async move { step1_from(app, &from, numbers[i % numbers.len()], token).await }
    });
    let answers = futures_util::future::join_all(attempts).await;
    let served = answers.iter().filter(|(status, _)| *status == 200).count();
    assert_eq!(served, 1, "{answers:?}");
    for (status, body) in answers.iter().filter(|(status, _)| *status != 200) {
        assert_eq!(*status, 422);
        assert!(body.message.contains("déjà servi"), "{}", body.message);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM captcha_uses").await, 1);
}
on_both_databases!(one_token_sent_many_times_at_once_serves_once, behind_proxy);

async fn a_burst_from_one_address_is_counted_attempt_by_attempt(app: TestApp) {
    // Twelve easy proofs solved beforehand, sent at once from one address: its first six
    // attempts may use them, the next ones needed a harder proof (as one after the other).
    let mut tokens = Vec::new();
    for _ in 0..12 {
        tokens.push(app.captcha_token().await);
    }
    let numbers = ["237517", "12345", "480213", "326997", "577345", "888564"];
    let attempts = tokens
        .iter()
        .enumerate()
        .map(|(i, token)| step1_from(&app, "198.51.100.9", numbers[i % numbers.len()], token));
    let answers = futures_util::future::join_all(attempts).await;
    let statuses: Vec<u16> = answers.iter().map(|(status, _)| *status).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        6,
        "{answers:?}"
    );
    for (status, body) in answers.iter().filter(|(status, _)| *status != 200) {
        assert_eq!(*status, 422);
        assert!(body.message.contains("a échoué"), "{}", body.message);
    }
    let challenge: altcha::Challenge = app
        .client
        .get(app.url("/api/captcha/challenge"))
        .header("x-forwarded-for", "198.51.100.9")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(challenge.parameters.key_prefix, "000", "all twelve counted");
}
on_both_databases!(
    a_burst_from_one_address_is_counted_attempt_by_attempt,
    behind_proxy
);

async fn a_number_over_its_limit_holds_up_no_one_else(app: TestApp) {
    // A script keeps trying one number past its limit: each refusal waits a second before it
    // is answered, but outside step 1's transaction, so someone else's step 1 meanwhile is
    // not held up behind it.
    for i in 0..11 {
        let from = format!("192.0.2.{}", i + 1);
        step1_from(&app, &from, "326997", &app.captcha_token().await).await;
    }
    let (script, person) = (app.captcha_token().await, app.captcha_token().await);
    let refused = step1_from(&app, "192.0.2.100", "326997", &script);
    let other = async {
        // Sent once the script's attempt is in its wait (a second long).
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        step1_from(&app, "192.0.2.200", "237517", &person).await
    };
    tokio::pin!(refused);
    let first = tokio::select! {
        (status, _) = &mut refused => ("script", status),
        (status, _) = other => ("person", status),
    };
    assert_eq!(first, ("person", 200));
    assert_eq!(refused.await.0, 429);
}
on_both_databases!(a_number_over_its_limit_holds_up_no_one_else, behind_proxy);

// 8. Smaller holes.

async fn api_answers_are_never_cached(app: TestApp) {
    for response in [
        app.get("/api/captcha").await,
        app.post(
            "/api/session",
            &json!({ "email": "x@y.fr", "password": "z" }),
        )
        .await,
        app.get("/api/inconnue").await,
    ] {
        assert_eq!(response.headers()["cache-control"], "no-store");
    }
}
on_both_databases!(api_answers_are_never_cached, demo);

async fn only_a_short_token_serves_as_request_id(app: TestApp) {
    let with_id = |id: &'static str| {
        app.client
            .get(app.url("/healthz"))
            .header("x-request-id", id)
            .send()
    };
    let kept = with_id("suivi-42.a_b").await.unwrap();
    assert_eq!(kept.headers()["x-request-id"], "suivi-42.a_b");
    let odd = with_id("faux journal=1 niveau=erreur").await.unwrap();
    assert_ne!(
        odd.headers()["x-request-id"],
        "faux journal=1 niveau=erreur"
    );
    let long: &'static str = "x".repeat(200).leak();
    let replaced = with_id(long).await.unwrap();
    assert_ne!(replaced.headers()["x-request-id"], long);
}
on_both_databases!(only_a_short_token_serves_as_request_id, demo);

fn over_https() -> TestOptions {
    TestOptions {
        public_url: Some("https://inscription.example".into()),
        ..demo()
    }
}

async fn over_https_the_session_cookie_is_host_only(app: TestApp) {
    let code = candidate(&app).await;
    let response = app
        .post(
            "/api/session",
            &json!({ "email": CANDIDATE, "password": code }),
        )
        .await;
    assert_eq!(response.status(), 200);
    let set = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(set.starts_with("__Host-inscription_session="), "{set}");
    assert!(set.contains("Secure") && set.contains("Path=/") && !set.contains("Domain"));
    let cookie = set.split(';').next().unwrap();
    assert_eq!(get_with(&app, "/api/me", cookie).await.status(), 200);
    let plain = cookie.replace("__Host-", "");
    assert_eq!(
        get_with(&app, "/api/me", &plain).await.status(),
        401,
        "a cookie without the prefix, as a neighbour could plant, is not read"
    );
}
on_both_databases!(over_https_the_session_cookie_is_host_only, over_https);

async fn a_removed_administrator_acts_no_more_even_in_flight(app: TestApp) {
    // Shared with the flood's tasks below.
    let app = Arc::new(app);
    let first = app.administrator("237517", ADMIN).await;
    let paul =
        crate::administration::pending_request(&app, "237517", "paul.martin@habitat-loire.fr")
            .await;
    assert_eq!(first.validate(paul, &[]).await.status(), 204);
    let named = first.set_administrator(paul, true).await;
    assert_eq!(named.status(), 204);
    // Paul signs in, then is removed while his requests run.
    let (_, paul_cookie, _) =
        crate::account::sign_in(&app, "paul.martin@habitat-loire.fr", PASSWORD).await;
    let paul_cookie = Arc::new(paul_cookie.unwrap());
    let first_id = app
        .count(&format!("SELECT id FROM users WHERE email = '{ADMIN}'"))
        .await;
    let flood: Vec<_> = (0..30)
        .map(|i| {
            let (app, cookie) = (app.clone(), paul_cookie.clone());
            tokio::spawn(async move {
                let body =
                    json!({ "services": if i % 2 == 0 { vec!["consultation"] } else { vec![] } });
                crate::helpers::put_with(
                    &app,
                    &format!("/api/admin/users/{first_id}/rights"),
                    &cookie,
                    body,
                )
                .await
                .status()
                .as_u16()
            })
        })
        .collect();
    let removed = first.set_administrator(paul, false).await;
    assert_eq!(removed.status(), 204);
    for task in flood {
        let status = task.await.unwrap();
        assert!([204, 401, 403].contains(&status), "{status}");
    }
    let removal = app
        .count(&format!(
            "SELECT MAX(id) FROM audit_events WHERE user_id = {paul} AND actor = 'user:{first_id}'"
        ))
        .await;
    let after = app
        .count(&format!(
            "SELECT COUNT(*) FROM audit_events WHERE actor = 'user:{paul}' AND id > {removal}"
        ))
        .await;
    assert_eq!(after, 0, "no change by Paul after his removal");
}
on_both_databases!(a_removed_administrator_acts_no_more_even_in_flight, demo);
