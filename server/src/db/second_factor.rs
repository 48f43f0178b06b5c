//! SQL of the second factor: the one-time code app, recovery codes, and the sign-ins that
//! wait for one of them, for an establishment's users and the lender's operators alike.

use std::borrow::Cow;
use std::fmt;

use super::audit::{record, AuditEvent};
use super::emails::queue;
use super::BeginWrite;
use super::{on_db, Db};

/// Whose second factor: an establishment's user or one of the lender's operators. The
/// operators' factors live in tables of the users' shape (migration 0016: `operator_`
/// before the table's name, `operator_id` for `user_id`), so each statement is written
/// once, for users, and read for operators by [`Holder::sql`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    User(i64),
    Operator(i64),
}

impl Holder {
    pub fn id(self) -> i64 {
        match self {
            Holder::User(id) | Holder::Operator(id) => id,
        }
    }

    /// The user's id, for what only users have (passkeys, an establishment).
    pub fn user(self) -> Option<i64> {
        match self {
            Holder::User(id) => Some(id),
            Holder::Operator(_) => None,
        }
    }

    /// A statement written for users' factors, as it reads for this holder's.
    fn sql(self, for_users: &'static str) -> Cow<'static, str> {
        match self {
            Holder::User(_) => Cow::Borrowed(for_users),
            Holder::Operator(_) => Cow::Owned(
                for_users
                    .replace("totp_factors", "operator_totp_factors")
                    .replace("recovery_codes", "operator_recovery_codes")
                    .replace(
                        "second_factor_challenges",
                        "operator_second_factor_challenges",
                    )
                    .replace("user_id", "operator_id"),
            ),
        }
    }
}

/// As the audit trail and the rate limits name them: `user:12`, `operator:3`.
impl fmt::Display for Holder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Holder::User(id) => write!(f, "user:{id}"),
            Holder::Operator(id) => write!(f, "operator:{id}"),
        }
    }
}

/// Forgets a holder's codes (`$1`: their id): the app, the recovery codes, the sign-ins
/// waiting for a code; an operator's through [`Holder::sql`].
const FORGET_CODES: [&str; 3] = [
    "DELETE FROM totp_factors WHERE user_id = $1",
    "DELETE FROM recovery_codes WHERE user_id = $1",
    "DELETE FROM second_factor_challenges WHERE user_id = $1",
];

/// Forgets a person's second factor (`$1`: their id): their codes, and their passkeys with
/// their ceremonies (which operators have none of).
pub(crate) fn forget_user() -> impl Iterator<Item = &'static str> {
    FORGET_CODES.into_iter().chain([
        "DELETE FROM passkeys WHERE user_id = $1",
        "DELETE FROM passkey_ceremonies WHERE user_id = $1",
    ])
}

/// Whether the account of the row `users` holds a second factor: a confirmed app or a
/// passkey (an SQL expression, for the lists that show it).
macro_rules! held {
    () => {
        "(EXISTS (SELECT 1 FROM totp_factors t WHERE t.user_id = users.id \
         AND t.confirmed_at IS NOT NULL) \
         OR EXISTS (SELECT 1 FROM passkeys p WHERE p.user_id = users.id))"
    };
}
pub(crate) use held;

/// Gives the administrators who owe no date yet (named before the rule) until `until` to
/// add a second factor; returns how many.
pub async fn grant_grace(db: &Db, until: i64) -> Result<u64, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query(
            "UPDATE users SET second_factor_due_at = $1 \
             WHERE role = 'administrator' AND second_factor_due_at IS NULL",
        )
        .bind(until)
        .execute(pool)
        .await
        .map(|done| done.rows_affected())
    })
}

/// When the person owes a second factor by (administrators only), if ever.
pub async fn due_at(db: &Db, user_id: i64) -> Result<Option<i64>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_scalar(
            "SELECT second_factor_due_at FROM users WHERE id = $1 AND role = 'administrator'",
        )
        .bind(user_id)
        .fetch_optional(pool)
        .await
        .map(Option::flatten)
    })
}

/// A person's one-time code app.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Totp {
    pub secret: String,
    pub confirmed_at: Option<i64>,
    pub last_step: i64,
}

pub async fn totp(db: &Db, holder: Holder) -> Result<Option<Totp>, sqlx::Error> {
    let sql =
        holder.sql("SELECT secret, confirmed_at, last_step FROM totp_factors WHERE user_id = $1");
    on_db!(db, pool => {
        sqlx::query_as(&sql)
            .bind(holder.id())
            .fetch_optional(pool)
            .await
    })
}

/// Starts (or starts again) an enrolment, audited; `false` if one is confirmed already.
pub async fn start(
    db: &Db,
    holder: Holder,
    secret: &str,
    at: i64,
    event: &AuditEvent,
) -> Result<bool, sqlx::Error> {
    let sql = holder.sql(
        "INSERT INTO totp_factors (user_id, secret, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id) DO UPDATE SET secret = $2, created_at = $3 \
         WHERE totp_factors.confirmed_at IS NULL",
    );
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let started = sqlx::query(&sql)
            .bind(holder.id())
            .bind(secret)
            .bind(at)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            == 1;
        if !started {
            return Ok(false);
        }
        record!(&mut *tx, event, at = at)?;
        tx.commit().await?;
        Ok(true)
    })
}

/// Replaces the holder's recovery codes with these hashes, within a transaction.
macro_rules! replace_codes {
    ($conn:expr, $holder:expr, $hashes:expr) => {
        sqlx::query(&$holder.sql("DELETE FROM recovery_codes WHERE user_id = $1"))
            .bind($holder.id())
            .execute($conn)
            .await?;
        for hash in $hashes {
            sqlx::query(
                &$holder.sql("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)"),
            )
            .bind($holder.id())
            .bind(hash)
            .execute($conn)
            .await?;
        }
    };
}

/// What confirming an enrolment writes, at once.
pub struct Confirmation<'a> {
    pub holder: Holder,
    pub step: i64,
    pub recovery_hashes: &'a [String],
    pub at: i64,
    pub event: &'a AuditEvent,
    /// The e-mail that tells the person (recipient, subject, body).
    pub email: (&'a str, &'a str, &'a str),
}

/// Confirms the enrolment with the step of the code typed back, replaces the recovery
/// codes; `false` if it was confirmed meanwhile.
pub async fn confirm(db: &Db, c: &Confirmation<'_>) -> Result<bool, sqlx::Error> {
    let holder = c.holder;
    let confirm = holder.sql(
        "UPDATE totp_factors SET confirmed_at = $2, last_step = $3 \
         WHERE user_id = $1 AND confirmed_at IS NULL",
    );
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let confirmed = sqlx::query(&confirm)
            .bind(holder.id())
            .bind(c.at)
            .bind(c.step)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            == 1;
        if !confirmed {
            return Ok(false);
        }
        replace_codes!(&mut *tx, holder, c.recovery_hashes);
        record!(&mut *tx, c.event, at = c.at)?;
        let (to, subject, body) = c.email;
        queue!(&mut *tx, to, subject, body)?;
        tx.commit().await?;
        Ok(true)
    })
}

/// Accepts a code of this time step: `false` if a code of this step or a later one was
/// accepted already (a code serves once, on any instance).
pub async fn spend_step(db: &Db, holder: Holder, step: i64) -> Result<bool, sqlx::Error> {
    let sql = holder.sql(
        "UPDATE totp_factors SET last_step = $2 \
         WHERE user_id = $1 AND confirmed_at IS NOT NULL AND last_step < $2",
    );
    on_db!(db, pool => {
        sqlx::query(&sql)
            .bind(holder.id())
            .bind(step)
            .execute(pool)
            .await
            .map(|done| done.rows_affected() == 1)
    })
}

/// Spends a recovery code: `false` if it is not one of theirs or was used.
pub async fn spend_recovery(
    db: &Db,
    holder: Holder,
    hash: &str,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let sql = holder.sql(
        "UPDATE recovery_codes SET used_at = $3 \
         WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL",
    );
    on_db!(db, pool => {
        sqlx::query(&sql)
            .bind(holder.id())
            .bind(hash)
            .bind(at)
            .execute(pool)
            .await
            .map(|done| done.rows_affected() == 1)
    })
}

pub async fn recovery_codes_left(db: &Db, holder: Holder) -> Result<i64, sqlx::Error> {
    let sql =
        holder.sql("SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL");
    on_db!(db, pool => {
        sqlx::query_scalar(&sql)
            .bind(holder.id())
            .fetch_one(pool)
            .await
    })
}

/// Gives the person new recovery codes (kept hashed) in place of any left.
pub async fn replace_recovery_codes(
    db: &Db,
    holder: Holder,
    hashes: &[String],
) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        replace_codes!(&mut *tx, holder, hashes);
        tx.commit().await
    })
}

/// A sign-in waiting for its second factor.
pub async fn add_challenge(
    db: &Db,
    token_hash: &str,
    holder: Holder,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    let sql = holder.sql(
        "INSERT INTO second_factor_challenges (token_hash, user_id, expires_at) VALUES ($1, $2, $3)",
    );
    on_db!(db, pool => {
        sqlx::query(&sql)
            .bind(token_hash)
            .bind(holder.id())
            .bind(expires_at)
            .execute(pool)
            .await
            .map(drop)
    })
}

/// Whom a live challenge waits for (a user's, else an operator's), with its failures so far.
pub async fn challenge(
    db: &Db,
    token_hash: &str,
    at: i64,
) -> Result<Option<(Holder, i64)>, sqlx::Error> {
    const SQL: &str = "SELECT user_id, failures FROM second_factor_challenges \
                       WHERE token_hash = $1 AND expires_at > $2";
    for holder in [Holder::User as fn(i64) -> Holder, Holder::Operator] {
        let sql = holder(0).sql(SQL);
        let found: Option<(i64, i64)> = on_db!(db, pool => {
            sqlx::query_as(&sql)
                .bind(token_hash)
                .bind(at)
                .fetch_optional(pool)
                .await?
        });
        if let Some((id, failures)) = found {
            return Ok(Some((holder(id), failures)));
        }
    }
    Ok(None)
}

pub async fn count_failure(db: &Db, holder: Holder, token_hash: &str) -> Result<(), sqlx::Error> {
    let sql = holder
        .sql("UPDATE second_factor_challenges SET failures = failures + 1 WHERE token_hash = $1");
    on_db!(db, pool => {
        sqlx::query(&sql)
            .bind(token_hash)
            .execute(pool)
            .await
            .map(drop)
    })
}

/// Deletes the sign-ins, users' and operators', whose wait for a code is over (the sweep);
/// returns how many.
pub async fn delete_expired_challenges(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    let mut deleted = 0;
    for holder in [Holder::User(0), Holder::Operator(0)] {
        let sql = holder.sql("DELETE FROM second_factor_challenges WHERE expires_at < $1");
        deleted += on_db!(db, pool => {
            sqlx::query(&sql).bind(now).execute(pool).await?.rows_affected()
        });
    }
    Ok(deleted)
}

/// Ends a challenge: `false` if another request ended it first.
pub async fn end_challenge(db: &Db, holder: Holder, token_hash: &str) -> Result<bool, sqlx::Error> {
    let sql = holder.sql("DELETE FROM second_factor_challenges WHERE token_hash = $1");
    on_db!(db, pool => {
        sqlx::query(&sql)
            .bind(token_hash)
            .execute(pool)
            .await
            .map(|done| done.rows_affected() == 1)
    })
}

/// Forgets an operator's second factor from the command line (a lost phone), in one
/// transaction: their sessions end, the trail records it, the operator is told (`notice`:
/// the e-mail's subject and body). `false` when the operator had none.
pub async fn reset_operator(
    db: &Db,
    operator_id: i64,
    event: &AuditEvent,
    notice: (&str, &str),
) -> Result<bool, sqlx::Error> {
    let holder = Holder::Operator(operator_id);
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let mut forgotten = 0;
        for sql in FORGET_CODES {
            forgotten += sqlx::query(&holder.sql(sql))
                .bind(operator_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        }
        sqlx::query("DELETE FROM operator_sessions WHERE operator_id = $1")
            .bind(operator_id)
            .execute(&mut *tx)
            .await?;
        record!(&mut *tx, event)?;
        let email: String = sqlx::query_scalar("SELECT email FROM operators WHERE id = $1")
            .bind(operator_id)
            .fetch_one(&mut *tx)
            .await?;
        let (subject, body) = notice;
        queue!(&mut *tx, email.as_str(), subject, body)?;
        tx.commit().await?;
        Ok(forgotten > 0)
    })
}

/// The lender's operator forgets a person's second factor (a lost phone), in one
/// transaction: their sessions end, the trail records it, the person is told. `None` when
/// there is no such account to reset (not an active or disabled one).
pub async fn reset_by_the_lender(
    db: &Db,
    user_id: i64,
    at: i64,
    event: &AuditEvent,
    notice: (&str, &str),
) -> Result<Option<()>, sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let row: Option<(String, String)> = sqlx::query_as(
            "SELECT email, status FROM users WHERE id = $1",
        )
        .bind(user_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((email, status)) = row else {
            return Ok(None);
        };
        let status = crate::domain::AccountStatus::from_db(&status)?;
        if !crate::domain::console::Change::ResetSecondFactor.applies_to(status) {
            return Ok(None);
        }
        for sql in forget_user().chain([super::sessions::END_ALL_OF_USER]) {
            sqlx::query(sql).bind(user_id).execute(&mut *tx).await?;
        }
        record!(&mut *tx, event, at = at)?;
        let (subject, body) = notice;
        queue!(&mut *tx, email.as_str(), subject, body)?;
        tx.commit().await?;
        Ok(Some(()))
    })
}
