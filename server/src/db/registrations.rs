//! SQL of registrations: the account, the candidate's temporary password and letter, the
//! e-mail verification, each registration in one transaction.
//!
//! Concurrency: every registration transaction first locks its establishment's row (a
//! no-op update), so that registrations for one establishment run one after the other on
//! PostgreSQL, as every writer does on SQLite (`BEGIN IMMEDIATE`). The unique indexes
//! (`users_one_candidate`, `letters_one_queued`, `users_one_live_account`,
//! `registration_ticket`) hold the rules even if that were bypassed.

use inscription_shared::registration::{Identity, RegistrationCase};

use super::audit::{record, AuditEvent};
use super::establishments::{Establishment, COLUMNS};
use super::letters::{insert_letter, NewCode};
use super::BeginWrite;
use super::{now, on_db, on_own, placeholders, Db, OwnConnection};
use crate::domain::registration::{decide_case, EstablishmentFacts};

/// A new administrator candidate, with what the letter needs.
pub struct NewCandidate<'a> {
    pub establishment_id: i64,
    pub ticket: &'a str,
    pub identity: &'a Identity,
    /// The codes: their printed forms live in the queued letter only.
    pub code: NewCode<'a>,
    pub ip: &'a str,
}

/// A new request from a user of an establishment that has an account.
pub struct NewRequest<'a> {
    pub establishment_id: i64,
    pub ticket: &'a str,
    pub identity: &'a Identity,
    pub password_hash: &'a str,
    /// Until when the verification link (drawn when its e-mail goes out) works.
    pub verification_expires_at: i64,
    pub verification_email: (&'a str, &'a str),
    /// At most this many unanswered requests per establishment and hour.
    pub hourly_cap: i64,
    pub ip: &'a str,
}

/// How a registration transaction ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Created {
        user_id: i64,
    },
    /// The same ticket was already used: the earlier account stands, nothing new is made.
    AlreadyDone {
        email: String,
    },
    /// Meanwhile the establishment changed case.
    CaseChanged(RegistrationCase),
    /// The person already has a live account or request here.
    EmailTaken,
    /// Too many unanswered requests this hour.
    CapReached,
    /// The establishment is unknown or closed.
    NoEstablishment,
}

const LOCK_ESTABLISHMENT: &str =
    "UPDATE establishments SET updated_at = updated_at WHERE id = $1 AND status = 'active'";
const BY_TICKET: &str = "SELECT email FROM users WHERE registration_ticket = $1";
const FACTS: &str = "SELECT \
    COUNT(CASE WHEN role = 'administrator' AND status = 'active' THEN 1 END), \
    COUNT(CASE WHEN status = 'candidate' THEN 1 END), \
    COUNT(CASE WHEN status IN ('email_unverified', 'pending') AND created_at >= $2 THEN 1 END) \
    FROM users WHERE establishment_id = $1";
const EMAIL_TAKEN: &str = "SELECT COUNT(*) FROM users WHERE establishment_id = $1 \
    AND LOWER(email) = LOWER($2) AND status NOT IN ('refused', 'cancelled')";
const INSERT_USER: &str = "INSERT INTO users (establishment_id, email, civility, last_name, \
    first_name, job_title, phone, role, status, password_hash, registration_ticket, created_at, \
    updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id";

/// The facts the case depends on, read inside the transaction.
macro_rules! read_facts {
    ($tx:expr, $establishment_id:expr) => {{
        let (admins, candidates, recent): (i64, i64, i64) = sqlx::query_as(FACTS)
            .bind($establishment_id)
            .bind(now() - 3600)
            .fetch_one(&mut *$tx)
            .await?;
        EstablishmentFacts {
            active_administrators: admins,
            candidates,
            recent_unanswered_requests: recent,
        }
    }};
}

/// Inserts the account of an [`Identity`] with its (role, status); returns its id.
macro_rules! insert_user {
    ($tx:expr, $establishment_id:expr, $who:expr, ($role:expr, $status:expr), $password_hash:expr, $ticket:expr, $at:expr) => {{
        let id: i64 = sqlx::query_scalar(INSERT_USER)
            .bind($establishment_id)
            .bind($who.email.as_str())
            .bind($who.civility.label())
            .bind($who.last_name.as_str())
            .bind($who.first_name.as_str())
            .bind($who.job_title.as_str())
            .bind($who.phone.as_str())
            .bind($role)
            .bind($status)
            .bind($password_hash)
            .bind($ticket)
            .bind($at)
            .fetch_one(&mut *$tx)
            .await?;
        id
    }};
}

/// Locks the establishment, retires expired candidacies, and returns early with the
/// outcome when the ticket was already used or the establishment is gone.
macro_rules! begin_registration {
    ($tx:expr, $establishment_id:expr, $ticket:expr) => {{
        let at = now();
        let locked = sqlx::query(LOCK_ESTABLISHMENT)
            .bind($establishment_id)
            .execute(&mut *$tx)
            .await?;
        if locked.rows_affected() == 0 {
            return Ok(Outcome::NoEstablishment);
        }
        let earlier: Option<String> = sqlx::query_scalar(BY_TICKET)
            .bind($ticket)
            .fetch_optional(&mut *$tx)
            .await?;
        if let Some(email) = earlier {
            return Ok(Outcome::AlreadyDone { email });
        }
        // A candidate whose code expired frees the establishment (PRODUCT.md §5).
        $crate::db::candidacies::close_expired!($tx, $establishment_id, at);
    }};
}

/// Creates the administrator candidate, its temporary password and its queued letter.
pub async fn create_candidate(db: &Db, c: &NewCandidate<'_>) -> Result<Outcome, sqlx::Error> {
    let at = now();
    let who = c.identity;
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        begin_registration!(tx, c.establishment_id, c.ticket);
        let facts = read_facts!(tx, c.establishment_id);
        if decide_case(&facts) != RegistrationCase::FirstUser {
            return Ok(Outcome::CaseChanged(RegistrationCase::ExistingAccount));
        }
        let taken: i64 = sqlx::query_scalar(EMAIL_TAKEN)
            .bind(c.establishment_id)
            .bind(who.email.as_str())
            .fetch_one(&mut *tx)
            .await?;
        if taken > 0 {
            return Ok(Outcome::EmailTaken);
        }
        let user_id = insert_user!(tx, c.establishment_id, who, ("administrator", "candidate"), None::<&str>, c.ticket, at);
        sqlx::query("INSERT INTO temporary_passwords (user_id, password_hash, expires_at) VALUES ($1, $2, $3)")
            .bind(user_id)
            .bind(c.code.temporary_password_hash)
            .bind(c.code.expires_at)
            .execute(&mut *tx)
            .await?;
        insert_letter!(tx, c.establishment_id, user_id, &c.code, at);
        record!(&mut *tx, &AuditEvent {
            action: "registration.first_user",
            actor: "anonymous".into(),
            ip: c.ip.into(),
            establishment_id: Some(c.establishment_id),
            user_id: Some(user_id),
            details: "candidat administrateur créé, courrier mis en file".into(),
        })?;
        tx.commit().await?;
        Ok(Outcome::Created { user_id })
    })
}

/// Creates a request to join an establishment that has an account, with its e-mail
/// verification link and the e-mail that carries it.
pub async fn create_request(db: &Db, r: &NewRequest<'_>) -> Result<Outcome, sqlx::Error> {
    let at = now();
    let who = r.identity;
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        begin_registration!(tx, r.establishment_id, r.ticket);
        let facts = read_facts!(tx, r.establishment_id);
        if decide_case(&facts) != RegistrationCase::ExistingAccount {
            return Ok(Outcome::CaseChanged(RegistrationCase::FirstUser));
        }
        let taken: i64 = sqlx::query_scalar(EMAIL_TAKEN)
            .bind(r.establishment_id)
            .bind(who.email.as_str())
            .fetch_one(&mut *tx)
            .await?;
        if taken > 0 {
            return Ok(Outcome::EmailTaken);
        }
        if facts.recent_unanswered_requests >= r.hourly_cap {
            return Ok(Outcome::CapReached);
        }
        let user_id = insert_user!(tx, r.establishment_id, who, ("user", "email_unverified"), Some(r.password_hash), r.ticket, at);
        let (subject, body) = r.verification_email;
        let link = super::emails::Link {
            kind: super::emails::LinkKind::EmailVerification,
            user_id,
            expires_at: r.verification_expires_at,
        };
        super::emails::queue!(&mut *tx, who.email.as_str(), subject, body, Some(link))?;
        record!(&mut *tx, &AuditEvent {
            action: "registration.access_request",
            actor: "anonymous".into(),
            ip: r.ip.into(),
            establishment_id: Some(r.establishment_id),
            user_id: Some(user_id),
            details: "demande d’accès créée, adresse électronique à vérifier".into(),
        })?;
        tx.commit().await?;
        Ok(Outcome::Created { user_id })
    })
}

/// What the e-mail verification changed.
#[derive(Debug, PartialEq, Eq)]
pub enum Verification {
    /// The request now waits for the administrators, who are e-mailed.
    Verified { establishment_id: i64 },
    /// Unknown, used or expired link.
    Invalid,
}

/// Uses a verification link once: the request becomes pending and each active
/// administrator of the establishment gets `notification`.
pub async fn verify_email(
    db: &Db,
    token_hash: &str,
    notification: (&str, &str),
    ip: &str,
    at: i64,
) -> Result<Verification, sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let used: Option<i64> = sqlx::query_scalar(
            "UPDATE email_verifications SET used_at = $2 \
             WHERE token_hash = $1 AND used_at IS NULL AND expires_at >= $2 RETURNING user_id",
        )
        .bind(token_hash)
        .bind(at)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(user_id) = used else {
            return Ok(Verification::Invalid);
        };
        let establishment_id: Option<i64> = sqlx::query_scalar(
            "UPDATE users SET status = 'pending', updated_at = $2 \
             WHERE id = $1 AND status = 'email_unverified' RETURNING establishment_id",
        )
        .bind(user_id)
        .bind(at)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(establishment_id) = establishment_id else {
            return Ok(Verification::Invalid);
        };
        let administrators: Vec<String> = sqlx::query_scalar(
            "SELECT email FROM users WHERE establishment_id = $1 AND role = 'administrator' \
             AND status = 'active' ORDER BY id",
        )
        .bind(establishment_id)
        .fetch_all(&mut *tx)
        .await?;
        for administrator in &administrators {
            super::emails::queue!(&mut *tx, administrator.as_str(), notification.0, notification.1)?;
        }
        record!(&mut *tx, &AuditEvent {
            action: "registration.email_verified",
            actor: format!("user:{user_id}"),
            ip: ip.into(),
            establishment_id: Some(establishment_id),
            user_id: Some(user_id),
            details: inscription_shared::french::plural(administrators.len(), "administrateur prévenu", "administrateurs prévenus"),
        })?;
        tx.commit().await?;
        Ok(Verification::Verified { establishment_id })
    })
}

/// The facts of establishment `e` at `$1`, the hour before being `$2`; expired candidacies
/// do not count (they are retired at the next registration).
const FACTS_OF_E: &str = "(SELECT COUNT(*) FROM users u WHERE u.establishment_id = e.id \
        AND u.role = 'administrator' AND u.status = 'active') AS active_administrators, \
    (SELECT COUNT(*) FROM users u JOIN temporary_passwords t ON t.user_id = u.id \
        WHERE u.establishment_id = e.id AND u.status = 'candidate' AND t.expires_at >= $1) \
        AS candidates, \
    (SELECT COUNT(*) FROM users u WHERE u.establishment_id = e.id \
        AND u.status IN ('email_unverified', 'pending') AND u.created_at >= $2) \
        AS recent_unanswered_requests";

/// The facts as [`FACTS_OF_E`] reads them.
#[derive(sqlx::FromRow)]
struct FactsRow {
    active_administrators: i64,
    candidates: i64,
    recent_unanswered_requests: i64,
}

impl From<FactsRow> for EstablishmentFacts {
    fn from(row: FactsRow) -> Self {
        EstablishmentFacts {
            active_administrators: row.active_administrators,
            candidates: row.candidates,
            recent_unanswered_requests: row.recent_unanswered_requests,
        }
    }
}

/// An establishment and its facts.
#[derive(sqlx::FromRow)]
struct WithFacts {
    #[sqlx(flatten)]
    establishment: Establishment,
    #[sqlx(flatten)]
    facts: FactsRow,
}

/// The facts of an establishment at `at`, outside any transaction (step 2's preview of the
/// case; its transaction reads them again).
async fn facts(db: &Db, establishment_id: i64, at: i64) -> Result<EstablishmentFacts, sqlx::Error> {
    let sql = format!("SELECT {FACTS_OF_E} FROM establishments e WHERE e.id = $3");
    let found: Option<FactsRow> = on_db!(db, pool => {
        sqlx::query_as(&sql).bind(at).bind(at - 3600).bind(establishment_id).fetch_optional(pool).await?
    });
    Ok(found.map(EstablishmentFacts::from).unwrap_or_default())
}

/// The establishments of `numbers` with their facts at `at`, in one statement, outside any
/// transaction (step 1's look-up of a batch of attempts, its preview of each case); a number
/// of none is left out.
pub async fn look_up_each(
    reader: &mut OwnConnection,
    numbers: &[&str],
    at: i64,
) -> Result<Vec<(Establishment, EstablishmentFacts)>, sqlx::Error> {
    if numbers.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {COLUMNS}, {FACTS_OF_E} FROM establishments e WHERE e.client_number IN ({})",
        placeholders(3, numbers.len())
    );
    let found: Vec<WithFacts> = on_own!(reader, conn => {
        let mut query = sqlx::query_as(&sql).bind(at).bind(at - 3600);
        for number in numbers {
            query = query.bind(*number);
        }
        query.fetch_all(conn).await?
    });
    Ok(found
        .into_iter()
        .map(|f| (f.establishment, f.facts.into()))
        .collect())
}

/// What a step-2 submission would end in, read before anything costly (hashing) is done,
/// outside any transaction: `None` when it may go on. The transaction checks it all again.
pub async fn foreseen_refusal(
    db: &Db,
    establishment_id: i64,
    ticket: &str,
    email: &str,
    wanted: RegistrationCase,
    hourly_cap: i64,
) -> Result<Option<Outcome>, sqlx::Error> {
    let earlier: Option<String> = on_db!(db, pool => {
        sqlx::query_scalar(BY_TICKET).bind(ticket).fetch_optional(pool).await?
    });
    if let Some(email) = earlier {
        return Ok(Some(Outcome::AlreadyDone { email }));
    }
    // On the clock of the transaction that follows (which reads `now()` too).
    let facts = facts(db, establishment_id, now()).await?;
    let case = decide_case(&facts);
    if case != wanted {
        return Ok(Some(Outcome::CaseChanged(case)));
    }
    let taken: i64 = on_db!(db, pool => {
        sqlx::query_scalar(EMAIL_TAKEN).bind(establishment_id).bind(email).fetch_one(pool).await?
    });
    if taken > 0 {
        return Ok(Some(Outcome::EmailTaken));
    }
    if wanted == RegistrationCase::ExistingAccount && facts.recent_unanswered_requests >= hourly_cap
    {
        return Ok(Some(Outcome::CapReached));
    }
    Ok(None)
}

/// The e-mail address of the account a ticket made, if it made one.
pub async fn made_by_ticket(db: &Db, ticket: &str) -> Result<Option<String>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_scalar(BY_TICKET).bind(ticket).fetch_optional(pool).await
    })
}
