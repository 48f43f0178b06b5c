//! SQL of the CAPTCHA tokens already used.

use super::{now, on_db, Db};

/// Records a token as used; `false` if it already was (a replay). Expired entries are
/// swept on the way.
pub async fn mark_used(db: &Db, key: &str, expires_at: i64) -> Result<bool, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query("DELETE FROM captcha_uses WHERE expires_at < $1")
            .bind(now())
            .execute(pool)
            .await?;
        let inserted = sqlx::query(
            "INSERT INTO captcha_uses (token_key, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(key)
        .bind(expires_at)
        .execute(pool)
        .await?;
        Ok(inserted.rows_affected() == 1)
    })
}
