//! SQL of the append-only audit trail: there is an insert, and no update or delete (the
//! database refuses them too, by trigger).

use inscription_shared::operator::AuditEntry;

use super::{on_db, Db};

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

/// Appends an event with the given executor (a pool or a transaction of either database),
/// now or `at` a given time (the application's clock, where tests move it).
macro_rules! record {
    ($executor:expr, $event:expr) => {
        $crate::db::audit::record!($executor, $event, at = $crate::db::now())
    };
    ($executor:expr, $event:expr, at = $at:expr) => {{
        let event: &$crate::db::audit::AuditEvent = $event;
        sqlx::query($crate::db::audit::INSERT)
            .bind($at)
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

/// Appends one event on its own (outside any other change).
pub async fn append(db: &Db, event: &AuditEvent) -> Result<(), sqlx::Error> {
    on_db!(db, pool => record!(pool, event).map(drop))
}

/// The audit trail's filters, as SQL takes them: empty text and the widest times match all.
#[derive(Debug, Clone)]
pub struct Query {
    pub client_number: String,
    /// A lower-case e-mail address: the user it names, or the operator.
    pub person: String,
    /// An action, or its first part before the dot.
    pub kind: String,
    pub from: i64,
    pub until: i64,
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: i64,
    at: i64,
    action: String,
    actor: String,
    ip: String,
    client_number: Option<String>,
    establishment_name: Option<String>,
    email: Option<String>,
    details: String,
}

/// Matching events, newest first, at most `limit`.
/// The events a [`Query`] matches ($1 to $5), with their establishment and person.
const MATCHING: &str =
    "FROM audit_events a LEFT JOIN establishments e ON e.id = a.establishment_id \
     LEFT JOIN users u ON u.id = a.user_id \
     WHERE ($1 = '' OR e.client_number = $1) \
     AND ($2 = '' OR LOWER(u.email) = $2 \
          OR a.actor IN (SELECT 'operator:' || CAST(id AS TEXT) FROM operators WHERE email = $2)) \
     AND ($3 = '' OR a.action = $3 OR a.action LIKE $3 || '.%') \
     AND a.at >= $4 AND a.at < $5";

/// How many events the query matches, and the newest one's id (0 without any).
pub async fn count(db: &Db, q: &Query) -> Result<(i64, i64), sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as(&format!("SELECT COUNT(*), COALESCE(MAX(a.id), 0) {MATCHING}"))
            .bind(&q.client_number)
            .bind(&q.person)
            .bind(&q.kind)
            .bind(q.from)
            .bind(q.until)
            .fetch_one(pool)
            .await
    })
}

/// The newest `limit` matching events, newest first.
pub async fn search(db: &Db, q: &Query, limit: i64) -> Result<Vec<AuditEntry>, sqlx::Error> {
    search_before(db, q, i64::MAX, limit).await
}

/// The newest `limit` matching events older than the event `before_id`, newest first (a
/// page of an export that goes on where the last one ended).
pub async fn search_before(
    db: &Db,
    q: &Query,
    before_id: i64,
    limit: i64,
) -> Result<Vec<AuditEntry>, sqlx::Error> {
    let rows: Vec<EntryRow> = on_db!(db, pool => {
        sqlx::query_as(&format!(
            "SELECT a.id, a.at, a.action, a.actor, a.ip, e.client_number, \
             e.name AS establishment_name, u.email, a.details {MATCHING} \
             AND a.id < $6 ORDER BY a.id DESC LIMIT $7",
        ))
        .bind(&q.client_number)
        .bind(&q.person)
        .bind(&q.kind)
        .bind(q.from)
        .bind(q.until)
        .bind(before_id)
        .bind(limit)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|r| AuditEntry {
            id: r.id,
            at: r.at,
            action: r.action,
            actor: r.actor,
            ip: r.ip,
            establishment: r
                .client_number
                .map(|n| format!("{n} {}", r.establishment_name.unwrap_or_default())),
            person: r.email,
            details: r.details,
        })
        .collect())
}

/// Every event, oldest first (for tests).
pub async fn all(db: &Db) -> Result<Vec<(String, Option<i64>, Option<i64>)>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as("SELECT action, establishment_id, user_id FROM audit_events ORDER BY id")
            .fetch_all(pool)
            .await
    })
}
