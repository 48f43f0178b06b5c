//! SQL of the append-only audit trail: there is an insert, and no update or delete.

/// A security-relevant event (PRODUCT.md §6): who, what, when, from which address.
#[derive(Debug, Clone)]
pub struct AuditEvent {
    pub action: &'static str,
    /// Who acted: `anonymous`, `user:<id>`, `operator:<id>`, `system`.
    pub actor: String,
    pub ip: String,
    pub establishment_id: Option<i64>,
    pub user_id: Option<i64>,
    pub details: String,
}

pub const INSERT: &str = "INSERT INTO audit_events (at, action, actor, ip, establishment_id, \
    user_id, details) VALUES ($1, $2, $3, $4, $5, $6, $7)";

/// Appends an event with the given executor (a pool or a transaction of either database).
macro_rules! record {
    ($executor:expr, $event:expr) => {{
        let event: &$crate::db::audit::AuditEvent = $event;
        sqlx::query($crate::db::audit::INSERT)
            .bind($crate::db::now())
            .bind(event.action)
            .bind(&event.actor)
            .bind(&event.ip)
            .bind(event.establishment_id)
            .bind(event.user_id)
            .bind(&event.details)
            .execute($executor)
            .await
    }};
}
pub(crate) use record;

/// Every event, oldest first (for tests and, later, the operators' console).
pub async fn all(db: &super::Db) -> Result<Vec<(String, Option<i64>, Option<i64>)>, sqlx::Error> {
    super::on_db!(db, pool => {
        sqlx::query_as("SELECT action, establishment_id, user_id FROM audit_events ORDER BY id")
            .fetch_all(pool)
            .await
    })
}
