//! SQL of the windowed counters shared by every instance.

use std::collections::{BTreeMap, HashMap};

use super::{on_db, on_tx, tuples, Db, Tx};

/// The statement that counts `n` more hits for each of `rows` buckets in one window and
/// returns each bucket's new count and its previous window's: `$1` is the previous window's
/// start, then each row binds its bucket, the window's start and `n`. Old windows go in the
/// periodic sweep ([`super::sweep`]).
fn hits_sql(rows: usize) -> String {
    format!(
        "INSERT INTO rate_limits (bucket, window_start, hits) VALUES {} \
        ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + excluded.hits \
        RETURNING bucket, hits, COALESCE((SELECT p.hits FROM rate_limits p \
        WHERE p.bucket = rate_limits.bucket AND p.window_start = $1), 0)",
        tuples(2, rows, 3)
    )
}

/// The counts of `$1` in the window starting at `$2` and in the one starting at `$3` (one
/// row each at most; MAX keeps PostgreSQL's BIGINT, where SUM would make it NUMERIC).
const TWO_WINDOWS: &str = "SELECT COALESCE(MAX(CASE WHEN window_start = $2 THEN hits END), 0), \
    COALESCE(MAX(CASE WHEN window_start = $3 THEN hits END), 0) \
    FROM rate_limits WHERE bucket = $1 AND window_start IN ($2, $3)";

/// Counts one hit in `bucket` for the window starting at `window_start`, atomically, and
/// returns (this window's count, the previous window's).
pub async fn hit(
    db: &Db,
    bucket: &str,
    window_start: i64,
    window_seconds: i64,
) -> Result<(i64, i64), sqlx::Error> {
    let sql = hits_sql(1);
    let (_, current, previous): (String, i64, i64) = on_db!(db, pool => {
        sqlx::query_as(&sql)
            .bind(window_start - window_seconds)
            .bind(bucket)
            .bind(window_start)
            .bind(1_i64)
            .fetch_one(pool)
            .await?
    });
    Ok((current, previous))
}

/// Counts `n` more hits for each `(bucket, n)` of `counts` in the window
/// starting at `window_start`, in one statement within a transaction, and returns each
/// bucket's new count and its previous window's. The rows go in the buckets' order, the
/// same in every transaction: PostgreSQL locks them in that order, so two instances'
/// batches never wait for each other in a cycle.
pub async fn hit_each_in(
    tx: &mut Tx<'_>,
    counts: &BTreeMap<String, i64>,
    window_start: i64,
    window_seconds: i64,
) -> Result<HashMap<String, (i64, i64)>, sqlx::Error> {
    if counts.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = hits_sql(counts.len());
    let rows: Vec<(String, i64, i64)> = on_tx!(tx, conn => {
        let mut query = sqlx::query_as(&sql).bind(window_start - window_seconds);
        for (bucket, n) in counts {
            query = query.bind(bucket).bind(window_start).bind(*n);
        }
        query.fetch_all(conn).await?
    });
    Ok(rows
        .into_iter()
        .map(|(bucket, current, previous)| (bucket, (current, previous)))
        .collect())
}

/// The counts of `bucket` in the window starting at `window_start` and in the one before,
/// without counting a hit.
pub async fn two_windows(
    db: &Db,
    bucket: &str,
    window_start: i64,
    window_seconds: i64,
) -> Result<(i64, i64), sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as(TWO_WINDOWS)
            .bind(bucket)
            .bind(window_start)
            .bind(window_start - window_seconds)
            .fetch_one(pool)
            .await
    })
}

/// Takes back one hit counted in `bucket` for the window starting at `window_start`.
pub async fn give_back(db: &Db, bucket: &str, window_start: i64) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query("UPDATE rate_limits SET hits = hits - 1 WHERE bucket = $1 AND window_start = $2 AND hits > 0")
            .bind(bucket)
            .bind(window_start)
            .execute(pool)
            .await
            .map(drop)
    })
}
