//! SQL of server-wide settings.

use super::{on_db, Db};

/// The value of a setting, created with `make()` by whichever instance comes first:
/// every instance then reads the same value.
pub async fn get_or_create(
    db: &Db,
    name: &str,
    make: impl FnOnce() -> String,
) -> Result<String, sqlx::Error> {
    let candidate = make();
    on_db!(db, pool => {
        sqlx::query("INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(name)
            .bind(&candidate)
            .execute(pool)
            .await?;
        sqlx::query_scalar("SELECT value FROM settings WHERE name = $1")
            .bind(name)
            .fetch_one(pool)
            .await
    })
}
