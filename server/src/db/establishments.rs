//! SQL of the establishment directory.

use inscription_shared::ClientNumber;

use super::BeginWrite;
use super::{now, on_db, Db};
use crate::domain::candidacy::{demoted_on_redesignation, Ending};
use crate::domain::directory::{EstablishmentRecord, EstablishmentStatus};
use crate::domain::{AccountStatus, Role};

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

/// The columns of an [`Establishment`], for the statements that read more beside them.
pub(super) const COLUMNS: &str = "id, client_number, name, kind, legal_representative_title, \
    address_line1, address_line2, postcode, city, status";

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
        let mut tx = pool.begin_write().await?;
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
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM establishments WHERE client_number = $1"))
            .bind(number.as_str())
            .fetch_optional(pool)
            .await
    })
}

pub async fn find_by_id(db: &Db, id: i64) -> Result<Option<Establishment>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM establishments WHERE id = $1"))
            .bind(id)
            .fetch_optional(pool)
            .await
    })
}

/// Most establishments a search returns.
pub const SEARCH_LIMIT: i64 = 50;

/// Establishments whose client number starts with `number_prefix` (when digits were
/// typed) or whose name contains `name_part` (lower case), by name.
pub async fn search(
    db: &Db,
    number_prefix: &str,
    name_part: &str,
) -> Result<Vec<Establishment>, sqlx::Error> {
    // LIKE's wildcards typed by the operator are taken literally.
    let escape = |s: &str| {
        s.replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    };
    on_db!(db, pool => {
        sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM establishments WHERE ($1 <> '' AND client_number LIKE $1 || '%' ESCAPE '\\') \
             OR ($2 <> '' AND LOWER(name) LIKE '%' || $2 || '%' ESCAPE '\\') \
             ORDER BY name, client_number LIMIT $3"
        ))
        .bind(escape(number_prefix))
        .bind(escape(name_part))
        .bind(SEARCH_LIMIT)
        .fetch_all(pool)
        .await
    })
}

/// An account of an establishment, as operators see it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccountRow {
    pub id: i64,
    pub civility: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub job_title: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    #[sqlx(try_from = "String")]
    pub status: AccountStatus,
    pub created_at: i64,
    pub second_factor: bool,
}

/// Every account and request of an establishment, the live ones first.
pub async fn accounts(db: &Db, establishment_id: i64) -> Result<Vec<AccountRow>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as(
            concat!(
                "SELECT id, civility, first_name, last_name, email, job_title, role, status, created_at, ",
                super::second_factor::held!(),
                " AS second_factor FROM users WHERE establishment_id = $1 \
                 ORDER BY CASE WHEN status IN ('refused', 'cancelled') THEN 1 ELSE 0 END, id"
            ),
        )
        .bind(establishment_id)
        .fetch_all(pool)
        .await
    })
}

/// What a re-designation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Redesignation {
    pub former_administrators: u64,
    pub cancelled_candidacy: bool,
}

/// Re-designation (PRODUCT.md §5), in one transaction: `domain::candidacy` says whom it
/// demotes (their sessions end) and that a pending candidacy is cancelled with its
/// letter; the next registrant is a first user again. `None` if the establishment is
/// unknown.
pub async fn redesignate(
    db: &Db,
    establishment_id: i64,
    cancellation: &super::letters::Cancellation<'_>,
) -> Result<Option<Redesignation>, sqlx::Error> {
    let at = now();
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let locked = sqlx::query("UPDATE establishments SET updated_at = updated_at WHERE id = $1")
            .bind(establishment_id)
            .execute(&mut *tx)
            .await?;
        if locked.rows_affected() == 0 {
            return Ok(None);
        }
        let candidate: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM users WHERE establishment_id = $1 AND status = $2",
        )
        .bind(establishment_id)
        .bind(Ending::OPEN.as_db())
        .fetch_optional(&mut *tx)
        .await?;
        let cancelled_candidacy = match candidate {
            Some(user_id) => super::letters::cancel_candidacy!(tx, user_id, cancellation, at),
            None => false,
        };
        let accounts: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT id, role, status FROM users WHERE establishment_id = $1",
        )
        .bind(establishment_id)
        .fetch_all(&mut *tx)
        .await?;
        let mut demoted = 0;
        for (user_id, role, status) in accounts {
            if !demoted_on_redesignation(Role::from_db(&role)?, AccountStatus::from_db(&status)?) {
                continue;
            }
            sqlx::query(super::sessions::END_ALL_OF_USER).bind(user_id).execute(&mut *tx).await?;
            sqlx::query("UPDATE users SET role = $2, updated_at = $3 WHERE id = $1")
                .bind(user_id)
                .bind(Role::User.as_db())
                .bind(at)
                .execute(&mut *tx)
                .await?;
            demoted += 1;
        }
        super::audit::record!(&mut *tx, &super::audit::AuditEvent {
            action: "establishment.redesignation",
            actor: cancellation.actor.into(),
            ip: cancellation.ip.into(),
            establishment_id: Some(establishment_id),
            user_id: None,
            details: format!("{}\u{a0}; {}{}",
                cancellation.details,
                inscription_shared::french::plural(demoted, "administrateur redevenu utilisateur", "administrateurs redevenus utilisateurs"),
                if cancelled_candidacy { ", candidature en cours annulée" } else { "" }),
        })?;
        tx.commit().await?;
        Ok(Some(Redesignation { former_administrators: demoted, cancelled_candidacy }))
    })
}
