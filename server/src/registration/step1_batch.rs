//! Step 1's database work, many requests' at once (group commit).
//!
//! Each attempt writes its address's count, its CAPTCHA token and its number's count, and
//! must commit them whatever its outcome; it also reads its number's establishment and that
//! establishment's facts. SQLite has one writer at a time, and each statement is a round
//! trip to a connection's thread (BENCHMARKS.md, 2026-12-06). Here one task takes the
//! attempts waiting at that moment, writes them in one transaction of three statements,
//! each attempt decided as if it had come alone, in the order they came, and looks their
//! numbers up in one statement beside it. Single use and the limits hold as before, and on
//! PostgreSQL across instances (the token's insertion waits for a rival transaction
//! holding the same key).
//!
//! Every attempt waits on that task, batch after batch, so the task has a thread and two
//! connections of its own (BENCHMARKS.md, 2026-12-07, midday). On the server's runtime,
//! each answer of a connection's thread put the task back in the queue behind the
//! requests' tasks, and the pool gave each batch a connection whose thread had slept: a
//! batch's five round trips took about twice as long, with every attempt queued behind.

use std::collections::{BTreeSet, HashMap};
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use futures_util::FutureExt;

use inscription_shared::{ClientNumber, ClientNumberError};
use tokio::sync::{mpsc, oneshot};

use super::step1::{difficulty_for, Step1Error, PER_ADDRESS, PER_NUMBER};
use super::EstablishmentFacts;
use crate::captcha::{CaptchaError, UsedToken};
use crate::db::establishments::Establishment;
use crate::db::{self, Db, OwnConnection};
use crate::domain::directory::EstablishmentStatus;
use crate::rate_limit::{Limits, Penalties};

/// What one step-1 request has to write: its address, its token as the provider judged it,
/// its number as parsed, and when it came.
pub struct Attempt {
    pub address: String,
    pub token: Result<UsedToken, CaptchaError>,
    pub number: Result<ClientNumber, ClientNumberError>,
    pub at: i64,
}

/// An attempt that passed: its number, and the active establishment of that number with
/// its facts, if there is one.
pub struct Passed {
    pub number: ClientNumber,
    pub found: Option<(Establishment, EstablishmentFacts)>,
}

type Outcome = Result<Passed, Step1Error>;

/// At most this many attempts in one transaction: a few milliseconds of SQLite's writer.
const BATCH: usize = 128;
/// Attempts waiting beyond this make their requests wait to be queued.
const QUEUED: usize = 4096;

/// What the batches' task is asked: an attempt to run, or to close its connections and end
/// (at shutdown, so that the pool's last connection is the database's last, which folds
/// the WAL into the database file).
enum Work {
    Attempt(Attempt, oneshot::Sender<Outcome>),
    Close(oneshot::Sender<()>),
}

/// The queue of attempts, and the task that does their work.
#[derive(Clone)]
pub struct Step1Batch {
    queue: mpsc::Sender<Work>,
}

impl Step1Batch {
    /// Starts the task on a thread of its own, at `now` by the attempts' clock; it ends with
    /// the last handle, or when closed.
    pub fn start(db: Db, penalties: Penalties, now: i64) -> std::io::Result<Self> {
        let (queue, waiting) = mpsc::channel(QUEUED);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        std::thread::Builder::new()
            .name("step1-batches".into())
            .spawn(move || runtime.block_on(run_in_batches(db, penalties, now, waiting)))?;
        Ok(Self { queue })
    }

    /// Does one attempt's work with the others waiting, and says whether it passed: its
    /// count, its token and its number's count, each refusal deciding what follows, then
    /// what the directory holds of its number.
    pub async fn run(&self, attempt: Attempt) -> Outcome {
        let (reply, outcome) = oneshot::channel();
        let gone = || Step1Error::Database(sqlx::Error::WorkerCrashed);
        self.queue
            .send(Work::Attempt(attempt, reply))
            .await
            .map_err(|_| gone())?;
        outcome.await.map_err(|_| gone())?
    }

    /// Runs the attempts already queued, then closes the task's connections and ends it;
    /// attempts after it are refused with a database error.
    pub async fn close(&self) {
        let (reply, closed) = oneshot::channel();
        if self.queue.send(Work::Close(reply)).await.is_ok() {
            let _ = closed.await;
        }
    }
}

/// Connections unused for this long (by the attempts' clock) are checked before a batch, a
/// round trip each: PostgreSQL may have dropped them meanwhile (a restart, a failover, an
/// idle session's timeout), and the batch's attempts would fail with them.
const CHECKED_AFTER_SECONDS: i64 = 30;

/// The batches' connections: one writes, the other looks numbers up at the same time.
struct Connections {
    writer: OwnConnection,
    reader: OwnConnection,
    /// When the last batch ran on them.
    used_at: i64,
}

impl Connections {
    async fn open(db: &Db, at: i64) -> Result<Self, sqlx::Error> {
        Ok(Self {
            writer: db.own_connection().await?,
            reader: db.own_connection().await?,
            used_at: at,
        })
    }

    /// Whether both still answer.
    async fn answer(&mut self) -> bool {
        let (writer, reader) = tokio::join!(self.writer.ping(), self.reader.ping());
        writer.is_ok() && reader.is_ok()
    }

    async fn close(self) {
        for connection in [self.writer, self.reader] {
            if let Err(error) = connection.close().await {
                tracing::warn!(%error, "step 1's batches: a connection did not close");
            }
        }
    }
}

/// Runs the waiting attempts, batch after batch, until the last handle is gone or it is
/// closed. A batch that fails fails its attempts only; one that panicked too (a fault,
/// unlike a database error), so that step 1 does not stop with this one task. The
/// connections are opened at once, so that the first attempts do not wait for them, and
/// again after a failure: its transaction may have stopped midway.
async fn run_in_batches(db: Db, penalties: Penalties, now: i64, mut queue: mpsc::Receiver<Work>) {
    let mut waiting = Vec::with_capacity(BATCH);
    let mut connections = match Connections::open(&db, now).await {
        Ok(connections) => Some(connections),
        Err(error) => {
            tracing::warn!(%error, "step 1's batches: no connection yet, the first batch tries again");
            None
        }
    };
    let mut closing = None;
    while closing.is_none() && queue.recv_many(&mut waiting, BATCH).await > 0 {
        let mut attempts = Vec::with_capacity(waiting.len());
        let mut replies = Vec::with_capacity(waiting.len());
        for work in waiting.drain(..) {
            match work {
                Work::Attempt(attempt, reply) if closing.is_none() => {
                    attempts.push(attempt);
                    replies.push(reply);
                }
                // Dropped unanswered: refused as if the task had gone.
                Work::Attempt(..) => {}
                Work::Close(closed) => closing = Some(closed),
            }
        }
        if attempts.is_empty() {
            continue;
        }
        let done = AssertUnwindSafe(run_batch(&db, &mut connections, &penalties, attempts))
            .catch_unwind()
            .await;
        let error = match done {
            Ok(Ok(outcomes)) => {
                for (reply, outcome) in replies.into_iter().zip(outcomes) {
                    let _ = reply.send(outcome);
                }
                continue;
            }
            Ok(Err(error)) => Arc::new(error),
            Err(_) => {
                tracing::error!("step 1's batch panicked");
                Arc::new(sqlx::Error::WorkerCrashed)
            }
        };
        connections = None;
        for reply in replies {
            let _ = reply.send(Err(Step1Error::Unwritten(error.clone())));
        }
    }
    if let Some(connections) = connections {
        connections.close().await;
    }
    if let Some(closed) = closing {
        let _ = closed.send(());
    }
}

/// The attempts' writes, and beside them, on the other connection, the directory's look-up
/// of their numbers: one waits for the other's statements no more than SQLite's readers
/// wait for its writer. Opens the connections if there are none, or if they were idle and
/// no longer answer.
async fn run_batch(
    db: &Db,
    connections: &mut Option<Connections>,
    penalties: &Penalties,
    attempts: Vec<Attempt>,
) -> Result<Vec<Outcome>, sqlx::Error> {
    let at = attempts.iter().map(|a| a.at).max().unwrap_or_default();
    if let Some(idle) = connections {
        if at.saturating_sub(idle.used_at) >= CHECKED_AFTER_SECONDS && !idle.answer().await {
            tracing::info!("step 1's batches: connections lost while idle, opening new ones");
            *connections = None;
        }
    }
    let Connections {
        writer,
        reader,
        used_at,
    } = match connections {
        Some(connections) => connections,
        none @ None => none.insert(Connections::open(db, at).await?),
    };
    *used_at = at;
    let numbers: BTreeSet<String> = attempts
        .iter()
        .filter_map(|a| Some(a.number.as_ref().ok()?.as_str().to_owned()))
        .collect();
    let numbers: Vec<&str> = numbers.iter().map(String::as_str).collect();
    let (written, found) = tokio::join!(
        write(writer, db, penalties, attempts, at),
        db::registrations::look_up_each(reader, &numbers, at)
    );
    // Several attempts of a batch may name the same number: each gets its own copy.
    let active: HashMap<String, (Establishment, EstablishmentFacts)> = found?
        .into_iter()
        .filter(|(e, _)| e.status() == EstablishmentStatus::Active)
        .map(|found| (found.0.client_number.clone(), found))
        .collect();
    Ok(written?
        .into_iter()
        .map(|number| {
            let number = number?;
            let found = active.get(number.as_str()).cloned();
            Ok(Passed { number, found })
        })
        .collect())
}

/// One transaction for `attempts`, counted at `at` (the latest attempt's), committed
/// whatever their outcomes (a refused attempt still counts). Each phase is one statement
/// for the attempts that reached it: the address's count, the token's difficulty (drawn
/// before this attempt counted) and single use, then the number's count.
async fn write(
    writer: &mut OwnConnection,
    db: &Db,
    penalties: &Penalties,
    attempts: Vec<Attempt>,
    at: i64,
) -> Result<Vec<Result<ClientNumber, Step1Error>>, sqlx::Error> {
    let limits = Limits { db, penalties, at };
    let mut tx = writer.begin().await?;

    let addresses: Vec<&str> = attempts.iter().map(|a| a.address.as_str()).collect();
    let mut hits = limits
        .take_each_in(&mut tx, &PER_ADDRESS, &addresses)
        .await?
        .into_iter();
    let checked: Vec<Result<(UsedToken, _), Step1Error>> = attempts
        .into_iter()
        .map(|attempt| {
            let hit = next(&mut hits)??;
            let token = attempt.token?;
            token.require(difficulty_for(hit.count - 1))?;
            Ok((token, attempt.number))
        })
        .collect();

    let tokens: Vec<&UsedToken> = passed(&checked).map(|(token, _)| token).collect();
    let mut spent = UsedToken::spend_each_in(&mut tx, &tokens)
        .await?
        .into_iter();
    let numbers: Vec<Result<ClientNumber, Step1Error>> = checked
        .into_iter()
        .map(|checked| {
            let (_, number) = checked?;
            next(&mut spent)??;
            Ok(number?)
        })
        .collect();

    let keys: Vec<&str> = passed(&numbers).map(ClientNumber::as_str).collect();
    let mut hits = limits
        .take_each_in(&mut tx, &PER_NUMBER, &keys)
        .await?
        .into_iter();
    let outcomes = numbers
        .into_iter()
        .map(|number| {
            let number = number?;
            next(&mut hits)??;
            Ok(number)
        })
        .collect();
    tx.commit().await?;
    Ok(outcomes)
}

/// The values of the attempts not refused yet, in order: each phase's statement gives back
/// one answer for each, in the same order.
fn passed<T>(attempts: &[Result<T, Step1Error>]) -> impl Iterator<Item = &T> {
    attempts.iter().filter_map(|attempt| attempt.as_ref().ok())
}

/// The next answer of a phase's statement.
fn next<T>(answers: &mut impl Iterator<Item = T>) -> Result<T, Step1Error> {
    answers
        .next()
        .ok_or(Step1Error::Database(sqlx::Error::RowNotFound))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rate_limit::RateLimitError;

    async fn database() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/base.db", dir.path().display());
        (dir, Db::connect(&url).await.unwrap())
    }

    fn attempt(address: &str, token: &str, number: &str) -> Attempt {
        Attempt {
            address: address.into(),
            token: Ok(UsedToken {
                key: token.into(),
                expires_at: 1_000,
                extra: 0,
            }),
            number: ClientNumber::parse(number),
            at: 100,
        }
    }

    fn served(outcomes: &[Outcome]) -> Vec<bool> {
        outcomes.iter().map(Result::is_ok).collect()
    }

    #[tokio::test]
    async fn a_token_twice_in_one_batch_serves_once() {
        let (_dir, db) = database().await;
        let batch = vec![
            attempt("192.0.2.1", "t1", "237517"),
            attempt("192.0.2.2", "t1", "12345"),
            attempt("192.0.2.3", "t2", "12345"),
        ];
        let outcomes = run_batch(&db, &mut None, &Penalties::default(), batch)
            .await
            .unwrap();
        assert_eq!(served(&outcomes), [true, false, true]);
        assert!(matches!(
            outcomes[1],
            Err(Step1Error::Captcha(CaptchaError::Replayed))
        ));
        // And in the next batch, as ever.
        let again = vec![attempt("192.0.2.4", "t2", "237517")];
        let outcomes = run_batch(&db, &mut None, &Penalties::default(), again)
            .await
            .unwrap();
        assert_eq!(served(&outcomes), [false]);
    }

    #[tokio::test]
    async fn each_attempt_of_a_batch_is_counted_in_its_turn() {
        let (_dir, db) = database().await;
        let penalties = Penalties::default();
        // One address, eight easy proofs: the seventh attempt needed a harder one.
        let batch = (0..8)
            .map(|i| attempt("192.0.2.1", &format!("t{i}"), "237517"))
            .collect();
        let outcomes = run_batch(&db, &mut None, &penalties, batch).await.unwrap();
        assert_eq!(
            served(&outcomes),
            [true, true, true, true, true, true, false, false]
        );
        // One number: its eleventh attempt of the window is over (each from another address).
        let batch = (0..5)
            .map(|i| attempt(&format!("198.51.100.{i}"), &format!("u{i}"), "237517"))
            .collect();
        let outcomes = run_batch(&db, &mut None, &penalties, batch).await.unwrap();
        assert_eq!(served(&outcomes), [true, true, true, true, false]);
        assert!(matches!(
            outcomes[4],
            Err(Step1Error::RateLimited(RateLimitError::Exceeded(_)))
        ));
    }

    async fn rename_table(db: &Db, from: &str, to: &str) {
        let sql = format!("ALTER TABLE {from} RENAME TO {to}");
        db::on_db!(db, pool => sqlx::query(&sql).execute(pool).await.map(drop)).unwrap();
    }

    #[tokio::test]
    async fn a_failed_batch_fails_its_attempts_only() {
        let (_dir, db) = database().await;
        let batches = Step1Batch::start(db.clone(), Penalties::default(), 0).unwrap();
        rename_table(&db, "captcha_uses", "elsewhere").await;
        let failed = batches.run(attempt("192.0.2.1", "t1", "237517")).await;
        assert!(matches!(failed, Err(Step1Error::Unwritten(_))));
        rename_table(&db, "elsewhere", "captcha_uses").await;
        let passed = batches.run(attempt("192.0.2.2", "t2", "237517")).await;
        assert!(passed.is_ok());
    }

    #[tokio::test]
    async fn closed_it_leaves_the_pool_the_last_connection() {
        let (dir, db) = database().await;
        let batches = Step1Batch::start(db.clone(), Penalties::default(), 0).unwrap();
        assert!(batches
            .run(attempt("192.0.2.1", "t1", "237517"))
            .await
            .is_ok());
        batches.close().await;
        assert!(batches
            .run(attempt("192.0.2.2", "t2", "237517"))
            .await
            .is_err());
        // The database's last connection folds the WAL into its file and removes it.
        db.close().await;
        assert!(!dir.path().join("base.db-wal").exists());
    }

    #[tokio::test]
    async fn each_attempt_of_a_batch_finds_its_establishment() {
        use crate::domain::directory::EstablishmentRecord;
        let (_dir, db) = database().await;
        let record = |number: &str, status| EstablishmentRecord {
            client_number: ClientNumber::parse(number).unwrap(),
            name: format!("Établissement {number}"),
            kind: "Commune".into(),
            legal_representative_title: "Maire".into(),
            address_line1: "1 place de la Mairie".into(),
            address_line2: String::new(),
            postcode: "44000".into(),
            city: "Nantes".into(),
            status,
        };
        db::establishments::upsert_all(
            &db,
            &[
                record("237517", EstablishmentStatus::Active),
                record("100008", EstablishmentStatus::Closed),
            ],
        )
        .await
        .unwrap();
        // Two attempts name one number; a closed establishment is not found.
        let batch = vec![
            attempt("192.0.2.1", "t1", "237517"),
            attempt("192.0.2.2", "t2", "237517"),
            attempt("192.0.2.3", "t3", "100008"),
        ];
        let outcomes = run_batch(&db, &mut None, &Penalties::default(), batch)
            .await
            .unwrap();
        let found: Vec<Option<String>> = outcomes
            .iter()
            .map(|o| Some(o.as_ref().ok()?.found.as_ref()?.0.name.clone()))
            .collect();
        assert_eq!(
            found,
            [
                Some("Établissement 237517".to_owned()),
                Some("Établissement 237517".to_owned()),
                None
            ]
        );
    }
}
