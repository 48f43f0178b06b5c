//! The database: SQLite (embedded default) or PostgreSQL (several instances), chosen at
//! run time from the URL. Each aggregate's SQL lives in its own module beside this one;
//! the SQL is written once and runs on both (`$1` placeholders, `ON CONFLICT`, Unix times).

pub mod accounts;
pub mod administration;
pub mod audit;
pub mod candidacies;
pub mod captcha;
pub mod check;
pub mod contact;
pub mod emails;
pub mod establishments;
pub mod letters;
pub mod my_data;
pub mod oidc;
pub mod operators;
pub mod passkeys;
pub mod rate_limits;
pub mod registrations;
pub mod retention;
pub mod second_factor;
pub mod services;
pub mod sessions;
pub mod settings;
pub mod sweep;

use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sqlx::migrate::MigrateDatabase;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{ConnectOptions, Connection};

/// A pool of either database. Code that queries it uses [`on_db!`], so that one query
/// text is compiled against each driver's own types.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite {
        pool: SqlitePool,
        /// Whether the WAL may still hold erased content: an [`erase_freed`] could not
        /// empty it, and [`checkpoint`] tries again.
        erased_in_wal: Arc<AtomicBool>,
    },
    Postgres(PgPool),
}

/// Runs the same block with `$pool` bound to whichever pool `$db` holds.
macro_rules! on_db {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite { pool: $pool, .. } => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_db;

/// A writing transaction on either database, on an [`OwnConnection`], for a use case that
/// decides between its statements (step 1's batch: each limit, then the CAPTCHA, then the
/// number) and commits them all at once.
pub enum Tx<'c> {
    Sqlite(sqlx::Transaction<'c, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'c, sqlx::Postgres>),
}

/// A connection of one task's own, opened with the pool's options, outside the pool: for a
/// task that queries again and again, one statement after another (step 1's batches).
/// Through the pool, each SQLite statement's round trip cost more: the pool hands out its
/// connections in turn, each on a thread of its own that has slept since its last use, and
/// each goes back with a ping. It is opened on the runtime of the task that uses it
/// (PostgreSQL's socket belongs to that runtime). The task drops it after a failure, and
/// opens another.
pub enum OwnConnection {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection),
}

/// Runs the same block with `$conn` bound to whichever connection `$own` holds, as
/// [`on_db!`] does for pools.
macro_rules! on_own {
    ($own:expr, $conn:ident => $body:expr) => {
        match $own {
            $crate::db::OwnConnection::Sqlite($conn) => $body,
            $crate::db::OwnConnection::Postgres($conn) => $body,
        }
    };
}
pub(crate) use on_own;

impl OwnConnection {
    /// Begins a writing transaction ([`BeginWrite`]) on this connection.
    pub async fn begin(&mut self) -> Result<Tx<'_>, sqlx::Error> {
        Ok(match self {
            OwnConnection::Sqlite(conn) => Tx::Sqlite(conn.begin_with(SQLITE_BEGIN_WRITE).await?),
            OwnConnection::Postgres(conn) => Tx::Postgres(conn.begin().await?),
        })
    }

    /// Whether the connection still answers (a round trip).
    pub async fn ping(&mut self) -> Result<(), sqlx::Error> {
        on_own!(self, conn => conn.ping().await)
    }

    pub async fn close(self) -> Result<(), sqlx::Error> {
        on_own!(self, conn => conn.close().await)
    }
}

/// Runs the same block with `$conn` bound to the connection of whichever transaction `$tx`
/// holds, as [`on_db!`] does for pools.
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            $crate::db::Tx::Sqlite(tx) => {
                let $conn = &mut **tx;
                $body
            }
            $crate::db::Tx::Postgres(tx) => {
                let $conn = &mut **tx;
                $body
            }
        }
    };
}
pub(crate) use on_tx;

/// How a transaction that writes begins, on either pool.
///
/// SQLite's plain `BEGIN` takes the write lock only at the first write. A transaction that
/// has read by then, while another connection or process wrote and committed, can no longer
/// write: it fails at once with "database is locked", which the busy timeout does not wait
/// out. `BEGIN IMMEDIATE` takes the write lock first, waiting its turn in the busy timeout,
/// so the transaction may read before it writes. PostgreSQL's statements lock their rows.
/// [`OwnConnection::begin`] begins the same way.
pub(crate) trait BeginWrite {
    type Database: sqlx::Database;

    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, Self::Database>, sqlx::Error>;
}

/// How SQLite begins a transaction that writes ([`BeginWrite`]).
const SQLITE_BEGIN_WRITE: &str = "BEGIN IMMEDIATE";

impl BeginWrite for SqlitePool {
    type Database = sqlx::Sqlite;

    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        self.begin_with(SQLITE_BEGIN_WRITE).await
    }
}

impl BeginWrite for PgPool {
    type Database = sqlx::Postgres;

    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
        self.begin().await
    }
}

impl Tx<'_> {
    /// Commits every statement of the transaction at once.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await,
            Tx::Postgres(tx) => tx.commit().await,
        }
    }
}

/// How long a SQLite statement waits for a lock another connection holds.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// The SQLite pool's connections, each on a thread of its own.
const SQLITE_CONNECTIONS: u32 = 8;

impl Db {
    /// Connects, creating the database if it does not exist, and applies the migrations.
    pub async fn connect(url: &str) -> Result<Self, sqlx::Error> {
        let db = if is_postgres(url) {
            if !sqlx::Postgres::database_exists(url).await? {
                sqlx::Postgres::create_database(url).await?;
            }
            let pool = PgPoolOptions::new()
                .max_connections(20)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await?;
            sqlx::migrate!("./migrations/postgres").run(&pool).await?;
            Db::Postgres(pool)
        } else {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                // In WAL mode, NORMAL loses no committed transaction when the process dies
                // (only on a power cut) and saves an fsync per commit.
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(BUSY_TIMEOUT)
                // Deleted and overwritten content is zeroed, not left in free space: an
                // erased letter code must be gone from the disk (PRODUCT.md §4).
                .pragma("secure_delete", "ON")
                // Statement journals and temporary tables stay in memory. On disk they were
                // a file created, written and deleted in each of step 1's batches (its
                // multi-row statements' journals spill past 64 KiB), and the pages they
                // copied, personal data among them, were left in the free space of the
                // temporary directory's disk.
                .pragma("temp_store", "MEMORY")
                // The WAL is copied into the database file by a task of its own
                // ([`checkpoint`]), not by the connection that commits, as SQLite does by
                // default every 1,000 pages: that copy's fsync held up the transaction
                // crossing the mark and all queued behind it (BENCHMARKS.md: step 1's p99).
                .pragma("wal_autocheckpoint", "0")
                .foreign_keys(true);
            let pool = SqlitePoolOptions::new()
                .max_connections(SQLITE_CONNECTIONS)
                // A file of this process cannot drop the connection: no ping before each use
                // (a round trip to the connection's thread, the most of a short query's cost).
                .test_before_acquire(false)
                .connect_with(options)
                .await?;
            sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
            Db::Sqlite {
                pool,
                erased_in_wal: Arc::default(),
            }
        };
        Ok(db)
    }

    /// Opens an [`OwnConnection`], with the pool's options.
    pub async fn own_connection(&self) -> Result<OwnConnection, sqlx::Error> {
        Ok(match self {
            Db::Sqlite { pool, .. } => {
                OwnConnection::Sqlite(pool.connect_options().connect().await?)
            }
            Db::Postgres(pool) => OwnConnection::Postgres(pool.connect_options().connect().await?),
        })
    }

    /// Whether the database answers, for the readiness probe.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        on_db!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(drop))
    }

    pub async fn close(&self) {
        on_db!(self, pool => pool.close().await)
    }
}

/// Makes what was just erased (a dispatched letter's codes…) gone from the disk too. With
/// `secure_delete`, SQLite zeroes freed content in the pages it writes; emptying the WAL
/// (`TRUNCATE`) copies those pages into the database file over the old ones and drops the
/// WAL's earlier frames, which still held the content. A reader in the middle of a read
/// keeps the WAL from emptying: then the every-second [`checkpoint`] tries again until it
/// empties. PostgreSQL keeps old row versions until VACUUM: see the README.
pub async fn erase_freed(db: &Db) {
    if let Db::Sqlite {
        pool,
        erased_in_wal,
    } = db
    {
        if !empty_wal(pool).await {
            erased_in_wal.store(true, Ordering::SeqCst);
        }
    }
}

/// How long emptying the WAL waits for readers. It holds SQLite's write lock meanwhile, so
/// every writer waits as long: a busy moment defers it to the next [`checkpoint`] instead.
const EMPTYING_WAITS: Duration = Duration::from_millis(200);

/// Copies the whole WAL into the database file and truncates it (`TRUNCATE`), waiting
/// [`EMPTYING_WAITS`] at most. Whether it emptied. On a connection of its own: the pool's
/// wait longer, and a caller cancelled midway (a request whose client left) must not put
/// one back with the short wait.
async fn empty_wal(pool: &SqlitePool) -> bool {
    let emptied = async {
        let options = pool.connect_options().as_ref().clone();
        let mut connection = options.busy_timeout(EMPTYING_WAITS).connect().await?;
        let (busy, _, _) = sqlx::query_as::<_, (i64, i64, i64)>("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(&mut connection)
            .await?;
        connection.close().await?;
        Ok::<_, sqlx::Error>(busy == 0)
    };
    match emptied.await {
        Ok(true) => true,
        Ok(false) => {
            tracing::debug!("WAL not emptied: readers are busy; the checkpoint tries again");
            false
        }
        Err(error) => {
            tracing::warn!(%error, "WAL not emptied");
            false
        }
    }
}

/// Copies what SQLite's WAL holds into the database file, without waiting for readers or
/// for the writer (`PASSIVE`), so that the WAL is written again from its start rather than
/// grown; the server runs it every second (`startup.rs`). When an erasure could not empty
/// the WAL ([`erase_freed`]), then empties it too. Whether every frame was copied.
pub async fn checkpoint(db: &Db) -> Result<bool, sqlx::Error> {
    let Db::Sqlite {
        pool,
        erased_in_wal,
    } = db
    else {
        return Ok(true);
    };
    let copied_all = copy_wal(pool).await?;
    // Cleared before trying, so that an erasure deferred meanwhile sets it again.
    if erased_in_wal.swap(false, Ordering::SeqCst) {
        // Not all copied: a reader still reads an older state, and emptying would only
        // hold the writers for nothing while it waits for it.
        if !(copied_all && empty_wal(pool).await) {
            erased_in_wal.store(true, Ordering::SeqCst);
        }
    }
    Ok(copied_all)
}

/// Copies the WAL into the database file as far as readers allow (`PASSIVE`). Whether it
/// copied every frame.
async fn copy_wal(pool: &SqlitePool) -> Result<bool, sqlx::Error> {
    let (_, written, copied) =
        sqlx::query_as::<_, (i64, i64, i64)>("PRAGMA wal_checkpoint(PASSIVE)")
            .fetch_one(pool)
            .await?;
    Ok(copied == written)
}

/// `$from, $from+1, …` for `n` values: the list of an `IN (…)` of several rows.
pub(crate) fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `($from, …), (…), …`: `rows` tuples of `width` placeholders each, numbered on from
/// `from`, for a `VALUES` of several rows.
pub(crate) fn tuples(from: usize, rows: usize, width: usize) -> String {
    (0..rows)
        .map(|row| format!("({})", placeholders(from + row * width, width)))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// Now, in the Unix seconds every table stores.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Whether an error is a unique constraint refusing a row (SQLite 2067, PostgreSQL 23505).
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    error
        .as_database_error()
        .is_some_and(|d| d.is_unique_violation())
}

#[cfg(test)]
mod tests {
    use sqlx::{ConnectOptions, Connection};

    use super::*;

    #[test]
    fn placeholders_are_numbered_on_from_the_first() {
        assert_eq!(placeholders(3, 2), "$3, $4");
        assert_eq!(tuples(2, 2, 3), "($2, $3, $4), ($5, $6, $7)");
        assert_eq!(tuples(1, 1, 2), "($1, $2)");
    }

    /// A new SQLite database in a folder of its own (gone when the folder is dropped), and
    /// its URL.
    async fn a_sqlite_db() -> (tempfile::TempDir, String, Db) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("base.db").display());
        let db = Db::connect(&url).await.unwrap();
        (dir, url, db)
    }

    /// No connection of the pool writes its statement journals or temporary tables to
    /// a file of the temporary directory.
    #[tokio::test]
    async fn temporary_data_stays_in_memory() {
        let (_dir, _, db) = a_sqlite_db().await;
        let Db::Sqlite { pool, .. } = &db else {
            unreachable!("a SQLite URL")
        };
        // 2: MEMORY.
        assert_eq!(
            on_every_connection(pool, "PRAGMA temp_store").await,
            [2; SQLITE_CONNECTIONS as usize]
        );
    }

    /// `pragma`'s value on each connection the pool may hold, all held at once.
    async fn on_every_connection(pool: &SqlitePool, pragma: &str) -> Vec<i64> {
        let mut connections = Vec::new();
        for _ in 0..SQLITE_CONNECTIONS {
            connections.push(pool.acquire().await.unwrap());
        }
        let mut values = Vec::new();
        for connection in &mut connections {
            let value: i64 = sqlx::query_scalar(pragma)
                .fetch_one(&mut **connection)
                .await
                .unwrap();
            values.push(value);
        }
        values
    }

    /// No commit copies the WAL into the database file: [`checkpoint`] does, apart.
    #[tokio::test]
    async fn the_wal_is_copied_apart_from_the_commits() {
        let (dir, _, db) = a_sqlite_db().await;
        let Db::Sqlite { pool, .. } = &db else {
            unreachable!("a SQLite URL")
        };
        let automatic: i64 = sqlx::query_scalar("PRAGMA wal_autocheckpoint")
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(automatic, 0);
        sqlx::query("CREATE TABLE t (b BLOB)")
            .execute(pool)
            .await
            .unwrap();
        // More pages than SQLite's default mark, each commit on its own.
        for _ in 0..600 {
            sqlx::query("INSERT INTO t VALUES (randomblob(16000))")
                .execute(pool)
                .await
                .unwrap();
        }
        let size = |file: &str| std::fs::metadata(dir.path().join(file)).unwrap().len();
        let written = 600 * 16_000;
        assert!(size("base.db-wal") > written, "a commit copied the WAL");
        assert!(size("base.db") < written / 10, "a commit copied the WAL");
        assert!(checkpoint(&db).await.unwrap());
        assert!(size("base.db") > written, "the checkpoint copied the WAL");
    }

    /// An erasure cancelled while it waits for a reader (its request's client left) leaves
    /// every connection of the pool waiting as long as before.
    #[tokio::test]
    async fn an_erasure_cancelled_midway_leaves_the_pool_as_it_was() {
        let (_dir, url, db) = a_sqlite_db().await;
        let Db::Sqlite { pool, .. } = &db else {
            unreachable!("a SQLite URL")
        };
        sqlx::query("CREATE TABLE t (n INTEGER)")
            .execute(pool)
            .await
            .unwrap();
        let mut reader = SqliteConnectOptions::from_str(&url)
            .unwrap()
            .connect()
            .await
            .unwrap();
        sqlx::query("BEGIN").execute(&mut reader).await.unwrap();
        let _: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM t")
            .fetch_one(&mut reader)
            .await
            .unwrap();
        sqlx::query("INSERT INTO t VALUES (1)")
            .execute(pool)
            .await
            .unwrap();

        let cancelled = tokio::time::timeout(Duration::from_millis(50), erase_freed(&db)).await;
        assert!(cancelled.is_err(), "the erasure waits for the reader");
        sqlx::query("COMMIT").execute(&mut reader).await.unwrap();
        // Every connection the pool may hold, the one the erasure had once it is back.
        assert_eq!(
            on_every_connection(pool, "PRAGMA busy_timeout").await,
            [BUSY_TIMEOUT.as_millis() as i64; SQLITE_CONNECTIONS as usize]
        );
        reader.close().await.unwrap();
    }

    /// A writer that reads before it writes, as several use cases do, while another process
    /// writes to the same file: the other waits for it, and it is not failed.
    #[tokio::test]
    async fn a_writer_may_read_first_while_another_process_writes() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("base.db").display());
        let Db::Sqlite { pool, .. } = Db::connect(&url).await.unwrap() else {
            unreachable!("a SQLite URL")
        };
        sqlx::query("CREATE TABLE t (n INTEGER)")
            .execute(&pool)
            .await
            .unwrap();
        // The other process: a connection of its own, which does not wait for the lock.
        let mut other = SqliteConnectOptions::from_str(&url)
            .unwrap()
            .busy_timeout(Duration::ZERO)
            .connect()
            .await
            .unwrap();

        let mut tx = pool.begin_write().await.unwrap();
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM t")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        let meanwhile = sqlx::query("INSERT INTO t VALUES (10)")
            .execute(&mut other)
            .await;
        assert!(meanwhile.is_err(), "the other writer must wait its turn");
        sqlx::query("INSERT INTO t VALUES ($1)")
            .bind(n + 1)
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();

        sqlx::query("INSERT INTO t VALUES (10)")
            .execute(&mut other)
            .await
            .unwrap();
        other.close().await.unwrap();
    }
}
