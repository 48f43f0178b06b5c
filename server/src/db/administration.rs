//! SQL of the administrators' console. Every change runs in one transaction that first
//! locks the establishment's row, so that two administrators acting at once are
//! serialised and the "never zero active administrators" rule holds under concurrency.

use super::audit::{record, AuditEvent};
use super::BeginWrite;
use super::{now, on_db, Db};
use crate::domain::{AccountStatus, Role};

/// An administrator acting in the console.
#[derive(Debug, Clone, Copy)]
pub struct Actor {
    pub user_id: i64,
    pub establishment_id: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub civility: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub job_title: String,
    pub phone: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    #[sqlx(try_from = "String")]
    pub status: AccountStatus,
    /// A one-time code app protects the account.
    pub second_factor: bool,
}

/// The establishment, role and status of an account, for authorisation.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct Standing {
    pub establishment_id: i64,
    #[sqlx(try_from = "String")]
    pub role: Role,
    #[sqlx(try_from = "String")]
    pub status: AccountStatus,
}

pub async fn standing(db: &Db, user_id: i64) -> Result<Option<Standing>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as("SELECT establishment_id, role, status FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(pool)
            .await
    })
}

pub async fn services(db: &Db) -> Result<Vec<(String, String)>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as("SELECT code, label FROM services ORDER BY position")
            .fetch_all(pool)
            .await
    })
}

/// The establishment's pending requests and users (not refused or cancelled ones).
pub async fn users(db: &Db, establishment_id: i64) -> Result<Vec<UserRow>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as(
            concat!(
                "SELECT id, civility, first_name, last_name, email, job_title, phone, role, status, ",
                super::second_factor::held!(),
                " AS second_factor \
                 FROM users WHERE establishment_id = $1 AND status IN ('pending', 'active', 'disabled') \
                 ORDER BY last_name, first_name, id"
            ),
        )
        .bind(establishment_id)
        .fetch_all(pool)
        .await
    })
}

/// (user id, service code) pairs of the establishment's users.
pub async fn rights(db: &Db, establishment_id: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as(
            "SELECT r.user_id, r.service_code FROM user_rights r JOIN users u ON u.id = r.user_id \
             JOIN services s ON s.code = r.service_code \
             WHERE u.establishment_id = $1 ORDER BY r.user_id, s.position",
        )
        .bind(establishment_id)
        .fetch_all(pool)
        .await
    })
}

use crate::domain::Change;

/// How a change ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Applied {
    /// Done; the target's e-mail address, for telling them.
    Done { email: String },
    /// No such user in the actor's establishment (or not in a state the change applies to).
    NotFound,
    /// The establishment would be left without an active administrator.
    LastAdministrator,
    /// The actor is no longer an active administrator (removed while the request ran).
    NotAdministrator,
    /// The lender's operators make this change for this account.
    ForTheLender,
}

/// Applies one change to a user of the actor's establishment, in one transaction, with
/// the e-mail (subject, body) that tells the user, if any.
pub async fn apply(
    db: &Db,
    actor: Actor,
    target: i64,
    change: &Change,
    notify: Option<(&str, &str)>,
    ip: &str,
    details: &str,
) -> Result<Applied, sqlx::Error> {
    let at = now();
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query("UPDATE establishments SET updated_at = updated_at WHERE id = $1")
            .bind(actor.establishment_id)
            .execute(&mut *tx)
            .await?;
        // Checked again under the establishment's lock: an administrator removed since the
        // request began must not act.
        let still: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM users WHERE id = $1 AND establishment_id = $2 \
             AND role = 'administrator' AND status = 'active'",
        )
        .bind(actor.user_id)
        .bind(actor.establishment_id)
        .fetch_one(&mut *tx)
        .await?;
        if still == 0 {
            return Ok(Applied::NotAdministrator);
        }
        let row: Option<(String, String, String)> = sqlx::query_as(
            "SELECT email, role, status FROM users WHERE id = $1 AND establishment_id = $2",
        )
        .bind(target)
        .bind(actor.establishment_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((email, role, status)) = row else {
            return Ok(Applied::NotFound);
        };
        let (role, status) = (Role::from_db(&role)?, AccountStatus::from_db(&status)?);
        if !change.applies_to(status) {
            return Ok(Applied::NotFound);
        }
        if change.reserved_to_the_lender(role) {
            return Ok(Applied::ForTheLender);
        }
        if change.removes_an_administrator(role, status) {
            let administrators: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM users WHERE establishment_id = $1 AND role = 'administrator' AND status = 'active'",
            )
            .bind(actor.establishment_id)
            .fetch_one(&mut *tx)
            .await?;
            if administrators <= 1 {
                return Ok(Applied::LastAdministrator);
            }
        }
        let (new_role, new_status) = change.after(role, status);
        // A user named administrator owes a second factor from then on.
        sqlx::query(
            "UPDATE users SET role = $2, status = $3, updated_at = $4, \
             second_factor_due_at = CASE WHEN role <> 'administrator' AND $2 = 'administrator' \
             THEN $4 ELSE second_factor_due_at END WHERE id = $1",
        )
            .bind(target)
            .bind(new_role.as_db())
            .bind(new_status.as_db())
            .bind(at)
            .execute(&mut *tx)
            .await?;
        if let Change::Validate { services } | Change::SetRights { services } = change {
            sqlx::query("DELETE FROM user_rights WHERE user_id = $1")
                .bind(target)
                .execute(&mut *tx)
                .await?;
            for service in services {
                sqlx::query("INSERT INTO user_rights (user_id, service_code) VALUES ($1, $2)")
                    .bind(target)
                    .bind(service)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        if matches!(change, Change::ResetSecondFactor) {
            for sql in super::second_factor::forget_user() {
                sqlx::query(sql).bind(target).execute(&mut *tx).await?;
            }
        }
        if matches!(
            change,
            Change::SetEnabled(false) | Change::SetAdministrator(_) | Change::ResetSecondFactor
        ) {
            // A disabled account, a changed privilege or a forgotten factor signs in again.
            sqlx::query(super::sessions::END_ALL_OF_USER)
                .bind(target)
                .execute(&mut *tx)
                .await?;
        }
        if let Some((subject, body)) = notify {
            super::emails::queue!(&mut *tx, email.as_str(), subject, body)?;
        }
        record!(&mut *tx, &AuditEvent {
            action: change.action(),
            actor: format!("user:{}", actor.user_id),
            ip: ip.into(),
            establishment_id: Some(actor.establishment_id),
            user_id: Some(target),
            details: details.into(),
        })?;
        tx.commit().await?;
        Ok(Applied::Done { email })
    })
}

/// The active administrators' names, for "Mes habilitations".
pub async fn administrator_names(
    db: &Db,
    establishment_id: i64,
) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as(
            "SELECT civility, first_name, last_name FROM users WHERE establishment_id = $1 \
             AND role = 'administrator' AND status = 'active' ORDER BY last_name, first_name",
        )
        .bind(establishment_id)
        .fetch_all(pool)
        .await
    })
}
