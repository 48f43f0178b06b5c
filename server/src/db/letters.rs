//! SQL of the letter outbox.

use super::{on_db, Db};

/// A queued letter with what its PDF prints.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QueuedLetter {
    pub id: i64,
    pub created_at: i64,
    pub code_expires_at: i64,
    pub temporary_password: Option<String>,
    pub establishment_name: String,
    pub client_number: String,
    pub legal_representative_title: String,
    pub address_line1: String,
    pub address_line2: String,
    pub postcode: String,
    pub city: String,
    pub civility: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
}

/// Letters waiting for an operator, oldest first.
pub async fn queued(db: &Db) -> Result<Vec<QueuedLetter>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as(
            "SELECT l.id, l.created_at, l.code_expires_at, l.temporary_password, \
             e.name AS establishment_name, e.client_number, e.legal_representative_title, \
             e.address_line1, e.address_line2, e.postcode, e.city, \
             u.civility, u.first_name, u.last_name, u.email \
             FROM letters l JOIN establishments e ON e.id = l.establishment_id \
             JOIN users u ON u.id = l.user_id WHERE l.status = 'queued' ORDER BY l.id",
        )
        .fetch_all(pool)
        .await
    })
}
