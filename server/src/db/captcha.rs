//! SQL of the CAPTCHA tokens already used.

use super::{on_db, Db};

/// Records a token as used; `false` if it already was (a replay). Expired entries go in
/// the periodic sweep ([`super::sweep`]).
pub async fn mark_used(db: &Db, key: &str, expires_at: i64) -> Result<bool, sqlx::Error> {
    on_db!(db, pool => {
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
