//! SQL of the periodic sweep: rows that no rule reads any more, deleted off the request
//! path (a request used to delete them on its way, a write and a table scan each time).

use super::{on_db, Db};

/// Deletes CAPTCHA tokens, passkey ceremonies and sign-ins waiting for a second factor
/// past their expiry (an expired one is
/// refused before its use is looked up) and rate-limit windows that ended before `windows_before` (counts are read
/// for the current window only). Returns how many rows went.
pub async fn expired(db: &Db, now: i64, windows_before: i64) -> Result<u64, sqlx::Error> {
    on_db!(db, pool => {
        let tokens = sqlx::query("DELETE FROM captcha_uses WHERE expires_at < $1")
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected();
        let windows = sqlx::query("DELETE FROM rate_limits WHERE window_start < $1")
            .bind(windows_before)
            .execute(pool)
            .await?
            .rows_affected();
        let ceremonies = sqlx::query("DELETE FROM passkey_ceremonies WHERE expires_at < $1")
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected();
        let challenges = super::second_factor::delete_expired_challenges(db, now).await?;
        Ok(tokens + windows + ceremonies + challenges)
    })
}
