//! SQL of the rights catalogue (PRODUCT.md §5): the services rights are granted on.

use super::audit::{record, AuditEvent};
use super::BeginWrite;
use super::{on_db, Db};

/// One service and how many accounts hold a right on it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ServiceRow {
    pub code: String,
    pub label: String,
    pub holders: i64,
}

pub async fn list(db: &Db) -> Result<Vec<ServiceRow>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as(
            "SELECT s.code, s.label, COUNT(r.user_id) AS holders FROM services s \
             LEFT JOIN user_rights r ON r.service_code = s.code \
             GROUP BY s.code, s.label, s.position ORDER BY s.position",
        )
        .fetch_all(pool)
        .await
    })
}

/// Adds a service at the end of the catalogue; `false` if the code is taken.
pub async fn add(
    db: &Db,
    code: &str,
    label: &str,
    event: &AuditEvent,
) -> Result<bool, sqlx::Error> {
    // `WHERE true`: SQLite needs it to parse an upsert that follows a SELECT.
    const ADD: &str = "INSERT INTO services (code, label, position) \
        SELECT $1, $2, COALESCE(MAX(position), 0) + 1 FROM services WHERE true \
        ON CONFLICT (code) DO NOTHING";
    audited_write(db, ADD, code, label, event).await
}

/// Renames a service; `false` if there is none with this code.
pub async fn relabel(
    db: &Db,
    code: &str,
    label: &str,
    event: &AuditEvent,
) -> Result<bool, sqlx::Error> {
    const RELABEL: &str = "UPDATE services SET label = $2 WHERE code = $1";
    audited_write(db, RELABEL, code, label, event).await
}

/// Runs `sql` on ($1 code, $2 label) and, if it changed a row, records the event in the
/// same transaction.
async fn audited_write(
    db: &Db,
    sql: &'static str,
    code: &str,
    label: &str,
    event: &AuditEvent,
) -> Result<bool, sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let changed = sqlx::query(sql)
            .bind(code)
            .bind(label)
            .execute(&mut *tx)
            .await?
            .rows_affected() == 1;
        if changed {
            record!(&mut *tx, event)?;
        }
        tx.commit().await?;
        Ok(changed)
    })
}

/// Withdraws a service and every right on it; the number of rights withdrawn, or `None`
/// if there is no service with this code.
pub async fn remove(db: &Db, code: &str, event: &AuditEvent) -> Result<Option<u64>, sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let rights = sqlx::query("DELETE FROM user_rights WHERE service_code = $1")
            .bind(code)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let removed = sqlx::query("DELETE FROM services WHERE code = $1")
            .bind(code)
            .execute(&mut *tx)
            .await?
            .rows_affected() == 1;
        if !removed {
            return Ok(None);
        }
        record!(&mut *tx, event)?;
        tx.commit().await?;
        Ok(Some(rights))
    })
}
