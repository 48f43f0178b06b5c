//! SQL of the windowed counters shared by every instance.

use std::collections::{BTreeMap, HashMap};

use super::{on_db, on_tx, Db, Tx};

/// Counts one more hit in `$1`'s window starting at `$2` and returns the window's count and
/// the previous window's (starting at `$3`), in one statement. Old windows go in the
/// periodic sweep ([`super::sweep`]).
const HIT: &str = "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1) \
    ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1 \
    RETURNING hits, COALESCE((SELECT p.hits FROM rate_limits p \
    WHERE p.bucket = $1 AND p.window_start = $3), 0)";

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
    on_db!(db, pool => {
        sqlx::query_as(HIT)
            .bind(bucket)
            .bind(window_start)
            .bind(window_start - window_seconds)
            .fetch_one(pool)
            .await
    })
}

/// Counts `n` more hits for each `(bucket, n)` of `counts` in the window
/// starting at `window_start`, in one statement within a transaction, and returns each
/// bucket's new count and its previous window's. The rows go in the buckets' order, the
/// same in every transaction: PostgreSQL locks them in that order, so two instances'
/// batches never wait for each other in a cycle.
pub async fn hit_each_in(
    tx: &mut Tx,
    counts: &BTreeMap<String, i64>,
    window_start: i64,
    window_seconds: i64,
) -> Result<HashMap<String, (i64, i64)>, sqlx::Error> {
    if counts.is_empty() {
        return Ok(HashMap::new());
    }
    on_tx!(tx, conn => {
        let mut query = sqlx::QueryBuilder::new("INSERT INTO rate_limits (bucket, window_start, hits) ");
        query.push_values(counts, |mut row, (bucket, n)| {
            row.push_bind(bucket).push_bind(window_start).push_bind(*n);
        });
        query
            .push(
                " ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + excluded.hits \
                RETURNING bucket, hits, COALESCE((SELECT p.hits FROM rate_limits p \
                WHERE p.bucket = rate_limits.bucket AND p.window_start = ",
            )
            .push_bind(window_start - window_seconds)
            .push("), 0)");
        let rows: Vec<(String, i64, i64)> = query.build_query_as().fetch_all(conn).await?;
        Ok(rows
            .into_iter()
            .map(|(bucket, current, previous)| (bucket, (current, previous)))
            .collect())
    })
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
