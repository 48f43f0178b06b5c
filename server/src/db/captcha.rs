//! SQL of single-use keys: CAPTCHA tokens already used, and step-2 tickets claimed.

use std::collections::HashSet;

use super::{on_db, on_tx, tuples, Db, Tx};

/// The statement that records `rows` keys as used, each binding its key and its expiry, and
/// returns those that were not yet.
fn mark_used_sql(rows: usize) -> String {
    format!(
        "INSERT INTO captcha_uses (token_key, expires_at) VALUES {} \
        ON CONFLICT DO NOTHING RETURNING token_key",
        tuples(1, rows, 2)
    )
}

/// Records a token as used; `false` if it already was (a replay). Expired entries go in
/// the periodic sweep ([`super::sweep`]).
pub async fn mark_used(db: &Db, key: &str, expires_at: i64) -> Result<bool, sqlx::Error> {
    let sql = mark_used_sql(1);
    let fresh: Option<(String,)> = on_db!(db, pool => {
        sqlx::query_as(&sql).bind(key).bind(expires_at).fetch_optional(pool).await?
    });
    Ok(fresh.is_some())
}

/// Records each of `tokens` (key and expiry, keys distinct) as used, in one statement within
/// a transaction, and returns the keys that were not yet: the others are replays. On
/// PostgreSQL, a rival transaction inserting the same key waits for this one's end, and
/// finds it taken if this one commits; the keys go in order, the same in every transaction,
/// so that two instances' batches never wait for each other in a cycle.
pub async fn mark_each_used_in(
    tx: &mut Tx<'_>,
    tokens: &[(&str, i64)],
) -> Result<HashSet<String>, sqlx::Error> {
    if tokens.is_empty() {
        return Ok(HashSet::new());
    }
    let mut tokens = tokens.to_vec();
    tokens.sort_unstable();
    let sql = mark_used_sql(tokens.len());
    let fresh: Vec<(String,)> = on_tx!(tx, conn => {
        let mut query = sqlx::query_as(&sql);
        for (key, expires_at) in &tokens {
            query = query.bind(*key).bind(*expires_at);
        }
        query.fetch_all(conn).await?
    });
    Ok(fresh.into_iter().map(|(key,)| key).collect())
}

/// Forgets a key, so that it may serve again (a step-2 ticket whose submission was refused
/// may be corrected and sent again).
pub async fn release(db: &Db, key: &str) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query("DELETE FROM captcha_uses WHERE token_key = $1")
            .bind(key)
            .execute(pool)
            .await
            .map(drop)
    })
}
