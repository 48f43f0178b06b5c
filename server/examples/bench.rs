//! The benchmark suite: a command, not a test (`scripts/bench.sh` builds the release server
//! and runs this with its path). It prints figures and ratios; BENCHMARKS.md records them.
//!
//! Measured against the real release binary over HTTP on 127.0.0.1: start-up time, idle
//! memory, step-1 throughput and p99 against an axum hello-world run in this same process
//! (ratio), sign-in throughput against the single-thread Argon2 rate × cores (ratio), and
//! step-1 p99 while sign-ins saturate the CPUs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use inscription_server::db::Db;
use inscription_server::password_hash::{Hasher, Lane};
use inscription_server::registration::step1::PER_NUMBER;
use serde_json::json;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

const CONCURRENCY: usize = 32;
/// Requests of each hello-world run: about half a second of it here, so that one run is
/// not a tenth of a second of the machine's noise.
const HELLO_REQUESTS: usize = 20_000;
const PASSWORD: &str = "Tournesol!2026-Loire";

struct Stats {
    count: usize,
    elapsed: Duration,
    p50: Duration,
    p99: Duration,
}

impl Stats {
    fn rate(&self) -> f64 {
        self.count as f64 / self.elapsed.as_secs_f64()
    }

    fn line(&self, what: &str) -> String {
        format!(
            "{what}: {} requests, {:.0} req/s, p50 {:.1} ms, p99 {:.1} ms",
            self.count,
            self.rate(),
            self.p50.as_secs_f64() * 1e3,
            self.p99.as_secs_f64() * 1e3
        )
    }
}

/// Runs `count` requests, `concurrency` at a time; each call of `make(i)` is one request
/// that must succeed.
async fn load<F, Fut>(count: usize, concurrency: usize, make: F) -> Stats
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = bool> + Send + 'static,
{
    let permits = Arc::new(Semaphore::new(concurrency));
    let started = Instant::now();
    let mut tasks = JoinSet::new();
    for i in 0..count {
        let permit = permits.clone().acquire_owned().await.unwrap();
        let request = make(i);
        tasks.spawn(async move {
            let t = Instant::now();
            let ok = request.await;
            drop(permit);
            (ok, t.elapsed())
        });
    }
    let mut latencies = Vec::with_capacity(count);
    while let Some(done) = tasks.join_next().await {
        let (ok, latency) = done.unwrap();
        assert!(ok, "a benchmark request failed");
        latencies.push(latency);
    }
    Stats::of(latencies, started.elapsed())
}

impl Stats {
    fn of(mut latencies: Vec<Duration>, elapsed: Duration) -> Self {
        let count = latencies.len();
        latencies.sort();
        let at = |q: f64| latencies[((q * count as f64).ceil() as usize).clamp(1, count) - 1];
        Stats {
            count,
            elapsed,
            p50: at(0.50),
            p99: at(0.99),
        }
    }
}

/// Sign-ins by `people` people, each one after the other, until `deadline`.
async fn sign_ins_until(
    client: &reqwest::Client,
    base: &str,
    people: usize,
    deadline: Instant,
) -> Stats {
    let started = Instant::now();
    let mut tasks = JoinSet::new();
    for person in 0..people {
        let (client, base) = (client.clone(), base.to_owned());
        tasks.spawn(async move {
            let mut latencies = Vec::new();
            while Instant::now() < deadline {
                let t = Instant::now();
                let ok = sign_in_as(&client, &base, person).await;
                assert!(ok, "a sign-in failed");
                latencies.push(t.elapsed());
            }
            latencies
        });
    }
    let mut latencies = Vec::new();
    while let Some(done) = tasks.join_next().await {
        latencies.extend(done.unwrap());
    }
    Stats::of(latencies, started.elapsed())
}

/// Issue 12's attack: `threads` tasks replay one step-2 ticket (access requests with other
/// e-mails, from other addresses) until `deadline`; returns the statuses counted.
async fn replay_step2(
    client: &reqwest::Client,
    base: &str,
    ticket: String,
    threads: usize,
    deadline: Instant,
) -> std::collections::BTreeMap<u16, usize> {
    let mut tasks = JoinSet::new();
    for t in 0..threads {
        let (client, base, ticket) = (client.clone(), base.to_owned(), ticket.clone());
        tasks.spawn(async move {
            let mut statuses = std::collections::BTreeMap::new();
            let mut i = 0;
            while Instant::now() < deadline {
                i += 1;
                let body = json!({ "ticket": ticket, "identity": { "civility": "Monsieur",
                    "last_name": "Rejeu", "first_name": "Paul", "job_title": "Essai",
                    "email": format!("rejeu-{t}-{i}@exemple.fr"), "phone": "0240123456" },
                    "password": PASSWORD, "accept_cgu": true });
                let status = client
                    .post(format!("{base}/api/registration/existing-account"))
                    .header(
                        "x-forwarded-for",
                        format!("13.{t}.{}.{}", i / 256 % 256, i % 256),
                    )
                    .json(&body)
                    .send()
                    .await
                    .map_or(0, |r| r.status().as_u16());
                *statuses.entry(status).or_insert(0) += 1;
            }
            statuses
        });
    }
    let mut statuses = std::collections::BTreeMap::new();
    while let Some(done) = tasks.join_next().await {
        for (status, n) in done.unwrap() {
            *statuses.entry(status).or_insert(0) += n;
        }
    }
    statuses
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// The CPU time the process `pid` has had, its threads' together (nanoseconds, from each
/// live thread's schedstat): the server's own work beside what the load got of it. It
/// still moves with the run (a slower run makes smaller batches, each paying the same
/// statements), so builds are told apart by pairs of runs, as with the throughput.
fn cpu_nanos(pid: u32) -> u64 {
    let Ok(threads) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return 0;
    };
    threads
        .filter_map(|thread| {
            let stat = std::fs::read_to_string(thread.ok()?.path().join("schedstat")).ok()?;
            stat.split_whitespace().next()?.parse::<u64>().ok()
        })
        .sum()
}

async fn wait_ready(client: &reqwest::Client, base: &str) {
    loop {
        if let Ok(r) = client.get(format!("{base}/readyz")).send().await {
            if r.status().is_success() {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// A solved proof-of-work token from the server.
async fn captcha_token(client: &reqwest::Client, base: &str) -> String {
    let challenge: altcha::Challenge = client
        .get(format!("{base}/api/captcha/challenge"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let solution = altcha::solve_challenge(altcha::SolveChallengeOptions::new(&challenge))
        .unwrap()
        .unwrap();
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(
        serde_json::to_vec(&altcha::Payload {
            challenge,
            solution,
        })
        .unwrap(),
    )
}

/// An axum hello-world on its own port, in this process: the yardstick.
async fn hello_world() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = axum::Router::new().route("/", axum::routing::get(|| async { "bonjour" }));
    tokio::spawn(async move { axum::serve(listener, app).await });
    base
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(CONCURRENCY)
        .default_headers(reqwest::header::HeaderMap::from_iter([(
            reqwest::header::HeaderName::from_static("x-inscription"),
            reqwest::header::HeaderValue::from_static("1"),
        )]))
        .build()
        .unwrap()
}

/// The demo directory's active client numbers.
fn client_numbers() -> Vec<String> {
    inscription_server::import::DEMO_CSV
        .lines()
        .skip(1)
        .filter(|l| l.ends_with(";actif"))
        .map(|l| l.split(';').next().unwrap().to_owned())
        .collect()
}

/// Step-1 requests, each with its own token, a client number of its own (per-number
/// limits) and a client address of its own (the server trusts X-Forwarded-For here).
async fn step1_load(
    client: &reqwest::Client,
    base: &str,
    numbers: Vec<String>,
    first_octet: u8,
    tokens: Vec<String>,
    concurrency: usize,
) -> Stats {
    let numbers = Arc::new(numbers);
    let tokens = Arc::new(tokens);
    let count = tokens.len();
    load(count, concurrency, |i| {
        let (client, base, numbers, tokens) = (
            client.clone(),
            base.to_owned(),
            numbers.clone(),
            tokens.clone(),
        );
        async move {
            client
                .post(format!("{base}/api/registration/step1"))
                .header(
                    "x-forwarded-for",
                    format!(
                        "{first_octet}.{}.{}.{}",
                        i / 65536 % 256,
                        i / 256 % 256,
                        i % 256
                    ),
                )
                .json(&json!({ "client_number": numbers[i % numbers.len()], "captcha": tokens[i] }))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
        }
    })
    .await
}

async fn solve_many(client: &reqwest::Client, base: &str, count: usize) -> Vec<String> {
    let mut tokens = Vec::with_capacity(count);
    for _ in 0..count {
        tokens.push(captcha_token(client, base).await);
    }
    tokens
}

/// Requests of the step-1 run: 2,000 (about a quarter of a second here), or
/// `BENCH_STEP1_REQUESTS`, longer for a profiler to sample (the figures recorded in
/// BENCHMARKS.md are of 2,000 unless they say otherwise). Each client number takes
/// `PER_NUMBER.max` attempts in its window, so the demo directory's active numbers allow
/// about 11,000: more would be refused mid-run, so the bench refuses to start.
fn step1_requests() -> usize {
    let requests = std::env::var("BENCH_STEP1_REQUESTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2000);
    let most = client_numbers().len() * usize::try_from(PER_NUMBER.max).unwrap();
    assert!(
        requests <= most,
        "BENCH_STEP1_REQUESTS: at most {most} ({} attempts per client number in 15 minutes)",
        PER_NUMBER.max
    );
    requests
}

/// People signing in at once in the benchmark: each has an account of their own (a
/// person's many simultaneous sign-ins would meet the per-account limits).
const ACCOUNTS: usize = 16;

/// The active accounts `mesure-N@exemple.fr` to sign in with, written straight into the
/// database.
async fn active_accounts(db: &Db, hash: &str) {
    let Db::Sqlite { pool, .. } = db else {
        panic!("the benchmark runs on SQLite")
    };
    for i in 0..ACCOUNTS {
        let sql = format!(
            "INSERT INTO users (establishment_id, email, civility, last_name, first_name, job_title, phone, \
             role, status, password_hash, registration_ticket, created_at, updated_at) \
             SELECT MIN(id), 'mesure-{i}@exemple.fr', 'Madame', 'Mesure', 'Anne', 'Banc', '0240123456', \
             'administrator', 'active', '{hash}', 'banc-d-essai-{i}', 0, 0 FROM establishments"
        );
        sqlx::query(&sql).execute(pool).await.unwrap();
    }
}

/// The `i`-th sign-in: account `i` mod [`ACCOUNTS`], from that person's own address.
async fn sign_in_as(client: &reqwest::Client, base: &str, i: usize) -> bool {
    let person = i % ACCOUNTS;
    client
        .post(format!("{base}/api/session"))
        .header("x-forwarded-for", format!("14.0.0.{person}"))
        .json(&json!({ "email": format!("mesure-{person}@exemple.fr"), "password": PASSWORD }))
        .send()
        .await
        .is_ok_and(|r| r.status().is_success())
}

/// Starts the server on a SQLite file of the run, or on `BENCH_DATABASE_URL` when set (an
/// empty PostgreSQL database, to measure that one).
fn start(bin: &str, dir: &std::path::Path, port: u16) -> Child {
    let database = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}/bench.db", dir.display()));
    Command::new(bin)
        .arg("serve")
        .env("PORT", port.to_string())
        .env("DATA_DIR", dir)
        .env("DATABASE_URL", database)
        .env("DEMO_DATA", "true")
        .env("ALTCHA_KEY_PREFIX", "0")
        .env("TRUSTED_PROXIES", "1")
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the release server binary")
}

/// Step 1's writes alone, one transaction after the other, straight on a SQLite database of
/// the server's kind (no HTTP), for one attempt and for a batch of them: the time each holds
/// SQLite's one writer bounds step 1's throughput from above. A `SELECT 1` gives the round
/// trip to sqlx's connection thread.
async fn sqlite_floor(dir: &std::path::Path) {
    use inscription_server::db::{captcha, rate_limits};
    use std::collections::BTreeMap;
    let db = Db::connect(&format!("sqlite://{}/floor.db", dir.display()))
        .await
        .unwrap();
    let rounds = 2000;
    let started = Instant::now();
    for _ in 0..rounds {
        db.ping().await.unwrap();
    }
    let ping = started.elapsed() / rounds;
    println!(
        "SQLite through sqlx: a round trip {:.0} µs",
        ping.as_secs_f64() * 1e6
    );
    // As step 1's batches do: on a connection of their own.
    let mut writer = db.own_connection().await.unwrap();
    for batch in [1, 32] {
        let keys = |kind: &str, round: usize| -> Vec<String> {
            (0..batch).map(|i| format!("{kind}:{round}:{i}")).collect()
        };
        let rounds = 4000 / batch;
        let started = Instant::now();
        for round in 0..rounds {
            let counts = |kind| keys(kind, round).into_iter().map(|k| (k, 1)).collect();
            let (addresses, numbers): (BTreeMap<_, _>, BTreeMap<_, _>) = (counts("a"), counts("n"));
            let tokens = keys("t", round);
            let tokens: Vec<(&str, i64)> = tokens.iter().map(|t| (t.as_str(), 0)).collect();
            let mut tx = writer.begin().await.unwrap();
            rate_limits::hit_each_in(&mut tx, &addresses, 0, 900)
                .await
                .unwrap();
            captcha::mark_each_used_in(&mut tx, &tokens).await.unwrap();
            rate_limits::hit_each_in(&mut tx, &numbers, 0, 900)
                .await
                .unwrap();
            tx.commit().await.unwrap();
        }
        let each = started.elapsed() / rounds as u32;
        println!(
            "step 1's transaction for {batch} attempt(s) (begin, 3 writes, commit): {:.0} µs, \
             at most {:.0} attempts a second",
            each.as_secs_f64() * 1e6,
            batch as f64 / each.as_secs_f64()
        );
    }
    writer.close().await.unwrap();
    db.close().await;
}

#[tokio::main]
async fn main() {
    let bin = std::env::args()
        .nth(1)
        .expect("usage: bench <inscription-server binary> [step1]");
    // `step1`: the hello-world and step 1 only, for a quick comparison of two builds.
    let step1_only = std::env::args().nth(2).as_deref() == Some("step1");
    // Read first: a count the limits would refuse stops the bench before any server starts.
    let step1_requests = step1_requests();
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let client = client();
    println!("machine: {cores} core(s)");

    let start_timed = |what: &'static str| {
        let (bin, dir, client, base) = (&bin, dir.path(), &client, &base);
        async move {
            let started = Instant::now();
            let server = start(bin, dir, port);
            wait_ready(client, base).await;
            println!(
                "start-up ({what}): {:.0} ms",
                started.elapsed().as_secs_f64() * 1e3
            );
            server
        }
    };
    let mut server = start_timed("empty database, migrations, 1,200 demo establishments").await;
    let _ = server.kill();
    let _ = server.wait();
    let mut server = start_timed("existing database").await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    println!(
        "idle memory: {:.1} MiB resident",
        rss_kib(server.id()) as f64 / 1024.0
    );

    let hello = hello_world().await;
    let get_load = |url: String| {
        let client = client.clone();
        load(HELLO_REQUESTS, CONCURRENCY, move |_| {
            let (client, url) = (client.clone(), url.clone());
            async move {
                client
                    .get(&url)
                    .send()
                    .await
                    .is_ok_and(|r| r.status().is_success())
            }
        })
    };
    let hello_before = get_load(hello.clone()).await;
    println!("{}", hello_before.line("axum hello-world"));
    // The product's server answering without its database: what its process and its layers
    // (security headers, request id, tracing, metrics…) cost before any of step 1's work.
    let healthz = get_load(format!("{base}/healthz")).await;
    println!(
        "{} ({:.2} of hello-world)",
        healthz.line("the server's /healthz"),
        healthz.rate() / hello_before.rate()
    );
    let tokens = solve_many(&client, &base, step1_requests).await;
    let cpu_before = cpu_nanos(server.id());
    let step1 = step1_load(&client, &base, client_numbers(), 10, tokens, CONCURRENCY).await;
    // A thread ended meanwhile takes its time with it: never below zero.
    let cpu = cpu_nanos(server.id()).saturating_sub(cpu_before);
    println!(
        "{}",
        step1.line("step 1 (CAPTCHA verified, number looked up, ticket signed)")
    );
    println!(
        "step 1's server CPU time: {:.0} µs a request",
        cpu as f64 / 1e3 / step1.count as f64
    );
    // The yardstick again: on two shared cores one hello-world run moves by a third from
    // one run to the next, so step 1 is set against the two runs around it.
    let hello_after = get_load(hello).await;
    println!("{}", hello_after.line("axum hello-world, again"));
    let mean = |f: fn(&Stats) -> f64| (f(&hello_before) + f(&hello_after)) / 2.0;
    println!(
        "step 1 / hello-world (the mean of the two runs): throughput {:.2}, p99 {:.1}×",
        step1.rate() / mean(Stats::rate),
        step1.p99.as_secs_f64() / mean(|s| s.p99.as_secs_f64())
    );
    sqlite_floor(dir.path()).await;
    if step1_only {
        let _ = server.kill();
        let _ = server.wait();
        return;
    }

    let hasher = Hasher::new(1);
    let hash = hasher.hash(PASSWORD).await.unwrap();
    let started = Instant::now();
    let rounds = 40;
    for _ in 0..rounds {
        assert!(hasher.verify(Lane::SignIn, PASSWORD, &hash).await.unwrap());
    }
    let argon2_rate = f64::from(rounds) / started.elapsed().as_secs_f64();
    println!(
        "Argon2id verification, one thread: {argon2_rate:.1}/s; × {cores} cores = {:.1}/s",
        argon2_rate * cores as f64
    );
    let db = Db::connect(&format!("sqlite://{}/bench.db", dir.path().display()))
        .await
        .unwrap();
    active_accounts(&db, &hash).await;
    let (sign_in_client, sign_in_base) = (client.clone(), base.clone());
    let sign_in = move |i: usize| {
        let (client, base) = (sign_in_client.clone(), sign_in_base.clone());
        async move { sign_in_as(&client, &base, i).await }
    };
    let sign_ins = load(200, 8, sign_in.clone()).await;
    println!(
        "{}",
        sign_ins.line("sign-in (one Argon2id verification each)")
    );
    println!(
        "sign-in / (Argon2 one thread × cores): {:.2}",
        sign_ins.rate() / (argon2_rate * cores as f64)
    );

    // Sign-in while 64 tasks replay one step-2 ticket for 30 s (issue 12): the replays are
    // refused before any hashing, and sign-in keeps its own lane of the hashing pool.
    let Db::Sqlite { pool, .. } = &db else {
        unreachable!()
    };
    let number: String = sqlx::query_scalar(
        "SELECT client_number FROM establishments WHERE id = (SELECT MIN(id) FROM establishments)",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    let token = captcha_token(&client, &base).await;
    let opened: serde_json::Value = client
        .post(format!("{base}/api/registration/step1"))
        .header("x-forwarded-for", "12.0.0.1")
        .json(&json!({ "client_number": number, "captcha": token }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ticket = opened["ticket"].as_str().unwrap().to_owned();
    let idle = sign_ins_until(&client, &base, 2, Instant::now() + Duration::from_secs(10)).await;
    println!("{}", idle.line("sign-in, 2 people, idle"));
    let deadline = Instant::now() + Duration::from_secs(30);
    let replays = tokio::spawn({
        let (client, base) = (client.clone(), base.clone());
        async move { replay_step2(&client, &base, ticket, 64, deadline).await }
    });
    let attacked = sign_ins_until(&client, &base, 2, deadline).await;
    let statuses = replays.await.unwrap();
    println!(
        "{}",
        attacked.line("sign-in, 2 people, while 64 tasks replay a step-2 ticket")
    );
    println!("step-2 replays answered, by status: {statuses:?}");
    println!(
        "sign-in p99 under replay / idle: {:.2}",
        attacked.p99.as_secs_f64() / idle.p99.as_secs_f64()
    );

    // Step 1 while sign-ins keep every core hashing.
    let tokens = solve_many(&client, &base, 300).await;
    let saturate = tokio::spawn(load(400, 16, sign_in));
    tokio::time::sleep(Duration::from_millis(200)).await;
    let busy = step1_load(&client, &base, client_numbers(), 12, tokens, 8).await;
    println!("{}", busy.line("step 1 while sign-ins saturate the CPUs"));
    saturate.await.unwrap();

    // The same step-1 load with 100,000 establishments and 1,000,000 users.
    let Db::Sqlite { pool, .. } = &db else {
        unreachable!()
    };
    let started = Instant::now();
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) \
         INSERT INTO establishments (client_number, name, kind, legal_representative_title, \
         address_line1, postcode, city, status, created_at, updated_at) \
         SELECT CAST(800000 + i AS TEXT), 'Établissement ' || i, 'Commune', 'Maire', '1 place', \
         '21000', 'Dijon', 'active', 0, 0 FROM n WHERE true ON CONFLICT (client_number) DO NOTHING",
    )
    .execute(pool)
    .await
    .unwrap();
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000) \
         INSERT INTO users (establishment_id, email, civility, last_name, first_name, job_title, \
         phone, role, status, password_hash, registration_ticket, created_at, updated_at) \
         SELECT (SELECT MIN(id) FROM establishments) + i % 100000, 'agent' || i || '@exemple.fr', \
         'Madame', 'Agent', 'Anne', 'Gestion', '0240123456', \
         CASE WHEN i % 10 = 0 THEN 'administrator' ELSE 'user' END, 'active', 'x', 'bulk-' || i, 0, 0 FROM n",
    )
    .execute(pool)
    .await
    .unwrap();
    println!(
        "100,000 establishments and 1,000,000 users written in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    // As a database grown over years would be: statistics known, the write-ahead log folded.
    sqlx::query("ANALYZE").execute(pool).await.unwrap();
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(pool)
        .await
        .unwrap();
    let big: Vec<String> = (1..=2000).map(|i| (800_000 + i * 50).to_string()).collect();
    let tokens = solve_many(&client, &base, 2000).await;
    let scaled = step1_load(&client, &base, big, 11, tokens, CONCURRENCY).await;
    println!(
        "{}",
        scaled.line("step 1 with 100,000 establishments and 1,000,000 users")
    );
    println!(
        "step 1 p99, 1,000,000 users / 1,200 establishments: {:.2}",
        scaled.p99.as_secs_f64() / step1.p99.as_secs_f64()
    );
    let _ = server.kill();
    let _ = server.wait();
}
