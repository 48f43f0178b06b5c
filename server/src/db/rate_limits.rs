//! SQL of the fixed-window counters shared by every instance.

use super::{on_db, Db};

/// Counts one more hit in `bucket` for the window starting at `window_start` and returns
/// the window's count, atomically. Old windows go in the periodic sweep ([`super::sweep`]).
pub async fn hit(db: &Db, bucket: &str, window_start: i64) -> Result<i64, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_scalar(
            "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1) \
             ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1 \
             RETURNING hits",
        )
        .bind(bucket)
        .bind(window_start)
        .fetch_one(pool)
        .await
    })
}

/// The window's count for `bucket`, without counting a hit.
pub async fn current(db: &Db, bucket: &str, window_start: i64) -> Result<i64, sqlx::Error> {
    on_db!(db, pool => {
        let hits: Option<i64> = sqlx::query_scalar("SELECT hits FROM rate_limits WHERE bucket = $1 AND window_start = $2")
            .bind(bucket)
            .bind(window_start)
            .fetch_optional(pool)
            .await?;
        Ok(hits.unwrap_or(0))
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

/// The counts of `bucket` in the window starting at `window_start` and in the one before,
/// in one statement.
pub async fn two_windows(
    db: &Db,
    bucket: &str,
    window_start: i64,
    window_seconds: i64,
) -> Result<(i64, i64), sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as(
            "SELECT COALESCE(SUM(CASE WHEN window_start = $2 THEN hits END), 0), \
             COALESCE(SUM(CASE WHEN window_start = $3 THEN hits END), 0) \
             FROM rate_limits WHERE bucket = $1 AND window_start IN ($2, $3)",
        )
        .bind(bucket)
        .bind(window_start)
        .bind(window_start - window_seconds)
        .fetch_one(pool)
        .await
    })
}
