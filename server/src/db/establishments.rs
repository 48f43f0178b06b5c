//! SQL of the establishment directory.

use inscription_shared::ClientNumber;

use super::{now, on_db, Db};
use crate::directory::{EstablishmentRecord, EstablishmentStatus};

/// An establishment as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Establishment {
    pub id: i64,
    pub client_number: String,
    pub name: String,
    pub kind: String,
    pub legal_representative_title: String,
    pub address_line1: String,
    pub address_line2: String,
    pub postcode: String,
    pub city: String,
    pub status: String,
}

impl Establishment {
    pub fn status(&self) -> EstablishmentStatus {
        EstablishmentStatus::from_db(&self.status)
    }
}

const SELECT: &str = "SELECT id, client_number, name, kind, legal_representative_title, \
    address_line1, address_line2, postcode, city, status FROM establishments";

const UPSERT: &str = "INSERT INTO establishments (client_number, name, kind, \
    legal_representative_title, address_line1, address_line2, postcode, city, status, \
    created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) \
    ON CONFLICT (client_number) DO UPDATE SET name = excluded.name, kind = excluded.kind, \
    legal_representative_title = excluded.legal_representative_title, \
    address_line1 = excluded.address_line1, address_line2 = excluded.address_line2, \
    postcode = excluded.postcode, city = excluded.city, status = excluded.status, \
    updated_at = excluded.updated_at";

/// Inserts or updates every record, keyed by client number, in one transaction.
pub async fn upsert_all(db: &Db, records: &[EstablishmentRecord]) -> Result<(), sqlx::Error> {
    let at = now();
    on_db!(db, pool => {
        let mut tx = pool.begin().await?;
        for r in records {
            sqlx::query(UPSERT)
                .bind(r.client_number.as_str())
                .bind(&r.name)
                .bind(&r.kind)
                .bind(&r.legal_representative_title)
                .bind(&r.address_line1)
                .bind(&r.address_line2)
                .bind(&r.postcode)
                .bind(&r.city)
                .bind(r.status.as_db())
                .bind(at)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await
    })
}

pub async fn count(db: &Db) -> Result<i64, sqlx::Error> {
    on_db!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM establishments").fetch_one(pool).await)
}

pub async fn find_by_client_number(
    db: &Db,
    number: &ClientNumber,
) -> Result<Option<Establishment>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as(&format!("{SELECT} WHERE client_number = $1"))
            .bind(number.as_str())
            .fetch_optional(pool)
            .await
    })
}

pub async fn find_by_id(db: &Db, id: i64) -> Result<Option<Establishment>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as(&format!("{SELECT} WHERE id = $1"))
            .bind(id)
            .fetch_optional(pool)
            .await
    })
}
