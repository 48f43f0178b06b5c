//! The registration wizard's rules (PRODUCT.md §2): which case applies to an
//! establishment, and the use cases of each step. HTTP lives in `routes::registration`,
//! SQL in `db::registrations`.

pub mod existing_account;
pub mod first_user;
pub mod step1;
pub mod step1_batch;

use std::net::IpAddr;

use inscription_shared::registration::RegistrationCase;
use inscription_shared::FieldError;

use self::step1_batch::Step1Batch;
use crate::captcha::Captcha;
use crate::db::registrations::{foreseen_refusal, made_by_ticket, Outcome};
use crate::db::{self, Db};
use crate::email::Mailer;
use crate::metrics::Metrics;
use crate::password_hash::{HashError, Hasher};
use crate::rate_limit::{
    address_key, give_back_all, in_minutes, Limit, Limits, Penalties, RateLimitError, Slot,
};
use crate::settings::Settings;
use crate::ticket::{Ticket, TicketError, TicketSigner};

/// Step-2 submissions per client address: generous for a shared office connection.
pub const STEP2_PER_ADDRESS: Limit = Limit {
    kind: "step2-address",
    max: 30,
    window_seconds: 15 * 60,
};
/// Submissions per ticket: enough to correct a refused form a few times.
pub const STEP2_PER_TICKET: Limit = Limit {
    kind: "step2-ticket",
    max: 10,
    window_seconds: 3600,
};
const DAY: i64 = 24 * 3600;

pub use crate::domain::registration::{decide_case, EstablishmentFacts};

/// Unknown and closed establishments get the same answer, so that the number's owner
/// learns nothing more than "not registrable here".
pub fn unknown_establishment(phone: &str) -> String {
    format!(
        "Ce numéro client ne correspond à aucun établissement pouvant s’inscrire. Vérifiez-le \
         sur l’un de nos courriers, ou contactez-nous\u{a0}: formulaire de contact en ligne ou \
         {phone} (service et appel gratuits)."
    )
}

/// Why a step-2 submission (either case) was refused.
#[derive(Debug, thiserror::Error)]
pub enum Step2Error {
    #[error(transparent)]
    Ticket(#[from] TicketError),
    #[error("Le formulaire contient des erreurs.")]
    Invalid(Vec<FieldError>),
    /// The support's phone is said with it.
    #[error("{}", unknown_establishment(.0))]
    UnknownEstablishment(String),
    /// Another registrant changed the establishment's case meanwhile.
    #[error("{}", case_changed_message(*.0))]
    CaseChanged(RegistrationCase),
    #[error("Une demande ou un compte existe déjà pour cette adresse électronique dans votre établissement. Si vous avez oublié votre mot de passe, utilisez «\u{a0}Mot de passe oublié\u{a0}» sur la page de connexion.")]
    EmailTaken,
    #[error("Votre établissement a reçu trop de demandes d’accès en peu de temps. Réessayez dans une heure, ou contactez-nous au {0}.")]
    CapReached(String),
    #[error(transparent)]
    RateLimited(#[from] RateLimitError),
    /// The same ticket's first submission is still being processed.
    #[error("Votre demande est déjà en cours d’enregistrement. Patientez quelques secondes, puis rechargez la page.")]
    InProgress,
    /// A first user's registration costs a postal letter: per address and in all, a day
    /// allows only so many.
    #[error("{}", budget_message(*global, *retry_after, phone))]
    Budget {
        global: bool,
        retry_after: i64,
        phone: String,
    },
    #[error("erreur de hachage")]
    Hash(#[from] HashError),
    #[error("erreur de base de données")]
    Database(#[from] sqlx::Error),
}

fn budget_message(global: bool, retry_after: i64, phone: &str) -> String {
    let why = if global {
        "Le service a reçu aujourd’hui un nombre inhabituel d’inscriptions de premiers utilisateurs."
    } else {
        "Trop d’inscriptions de premiers utilisateurs ont été faites aujourd’hui depuis votre connexion."
    };
    format!(
        "{why} Réessayez dans {}, ou contactez-nous au {phone} (service et appel gratuits).",
        in_minutes(retry_after)
    )
}

fn case_changed_message(now: RegistrationCase) -> &'static str {
    match now {
        RegistrationCase::ExistingAccount => "Un autre utilisateur de votre établissement vient de s’inscrire en premier. Votre demande n’a pas été enregistrée\u{a0}: recommencez l’inscription pour demander un accès à votre administrateur.",
        RegistrationCase::FirstUser => "Votre établissement n’a plus d’administrateur. Votre demande n’a pas été enregistrée\u{a0}: recommencez l’inscription pour devenir le premier utilisateur.",
    }
}

/// Turns a transaction's outcome into the confirmation or the error; `Created` and
/// `AlreadyDone` (a repeated submission) give the same confirmation.
fn confirm(
    outcome: Outcome,
    case: RegistrationCase,
    establishment_name: String,
    email: &str,
    phone: &str,
) -> Result<inscription_shared::registration::Step2Response, Step2Error> {
    let email = match outcome {
        Outcome::Created { .. } => email.to_owned(),
        Outcome::AlreadyDone { email } => email,
        Outcome::CaseChanged(now) => return Err(Step2Error::CaseChanged(now)),
        Outcome::EmailTaken => return Err(Step2Error::EmailTaken),
        Outcome::CapReached => return Err(Step2Error::CapReached(phone.to_owned())),
        Outcome::NoEstablishment => return Err(Step2Error::UnknownEstablishment(phone.to_owned())),
    };
    Ok(inscription_shared::registration::Step2Response {
        case,
        establishment_name,
        email,
    })
}

/// What registering reads: the database, the hasher, the CAPTCHA and the tickets of step 1,
/// the e-mails it sends, the metrics of the first-user budget, the rate limits' penalties,
/// the settings and the time of the request. The handlers build it from the application's
/// state; a use case here never sees that state.
pub struct Registrar<'a> {
    pub db: &'a Db,
    pub hasher: &'a Hasher,
    pub captcha: &'a Captcha,
    pub tickets: &'a TicketSigner,
    pub mailer: &'a Mailer,
    pub metrics: &'a Metrics,
    pub penalties: &'a Penalties,
    pub step1_batch: &'a Step1Batch,
    pub settings: &'a Settings,
    pub at: i64,
}

impl Registrar<'_> {
    /// The rate limits as this request meets them.
    pub fn limits(&self) -> Limits<'_> {
        Limits {
            db: self.db,
            penalties: self.penalties,
            at: self.at,
        }
    }
}

/// A ticket claimed by a submission: released unless that submission makes the account.
pub(crate) struct Claim {
    key: String,
}

/// The step-2 limits, per address and per ticket: checked first, so that a flood of
/// replays is refused before any other work.
async fn within_limits(
    registrar: &Registrar<'_>,
    ticket: &Ticket,
    ip: IpAddr,
) -> Result<(), Step2Error> {
    let limits = registrar.limits();
    limits.take(&STEP2_PER_ADDRESS, &address_key(ip)).await?;
    limits.take(&STEP2_PER_TICKET, &ticket.nonce).await?;
    Ok(())
}

/// What a step-2 submission passes, after [`within_limits`], before anything costly runs:
/// a repeated submission answered from what it made, the refusals foreseeable now, and the
/// ticket claimed, so that no replay ever reaches the password hashing. `Err(outcome)` is
/// the answer without going further.
async fn admit(
    registrar: &Registrar<'_>,
    ticket: &Ticket,
    establishment_id: i64,
    email: &str,
    wanted: RegistrationCase,
) -> Result<Result<Claim, Outcome>, Step2Error> {
    let cap = existing_account::HOURLY_CAP;
    let refusal = foreseen_refusal(
        registrar.db,
        establishment_id,
        &ticket.nonce,
        email,
        wanted,
        cap,
    )
    .await?;
    if let Some(outcome) = refusal {
        // The same ticket's first submission may have committed between the reads: then
        // the address taken or the case changed is its own doing, and this is a repeat.
        return Ok(Err(
            match made_by_ticket(registrar.db, &ticket.nonce).await? {
                Some(email) => Outcome::AlreadyDone { email },
                None => outcome,
            },
        ));
    }
    let key = format!("ticket:{}", ticket.nonce);
    if db::captcha::mark_used(registrar.db, &key, ticket.expires_at).await? {
        return Ok(Ok(Claim { key }));
    }
    // Claimed by a submission that has made its account, or is still running.
    match made_by_ticket(registrar.db, &ticket.nonce).await? {
        Some(email) => Ok(Err(Outcome::AlreadyDone { email })),
        None => Err(Step2Error::InProgress),
    }
}

/// Runs the costly part of a claimed submission (hashing, the transaction); unless it made
/// the account, the ticket is released, so that the person may correct the form and send
/// it again.
async fn settle(
    registrar: &Registrar<'_>,
    claim: Claim,
    work: impl std::future::Future<Output = Result<Outcome, Step2Error>>,
) -> Result<Outcome, Step2Error> {
    let result = work.await;
    if !matches!(result, Ok(Outcome::Created { .. })) {
        db::captcha::release(registrar.db, &claim.key).await?;
    }
    result
}

/// Takes one of the day's first-user registrations for this address and for the service
/// (each costs a postal letter).
async fn take_first_user_budget(
    registrar: &Registrar<'_>,
    ip: IpAddr,
) -> Result<Vec<Slot>, Step2Error> {
    let settings = registrar.settings;
    let budgets = [
        (
            false,
            "first-user-address",
            settings.first_users_per_address_per_day,
            address_key(ip),
        ),
        (
            true,
            "first-user-all",
            settings.first_users_per_day,
            String::new(),
        ),
    ];
    let (db, at) = (registrar.db, registrar.at);
    let mut slots = Vec::new();
    for (global, kind, max, key) in budgets {
        let limit = Limit {
            kind,
            max,
            window_seconds: DAY,
        };
        let hit = limit.hit(db, &key, at).await?;
        slots.push(hit.slot);
        if let Some(retry_after) = hit.over {
            give_back_all(&slots, db).await?;
            return Err(Step2Error::Budget {
                global,
                retry_after,
                phone: registrar.settings.lender.phone.clone(),
            });
        }
    }
    Ok(slots)
}

/// Runs a registration transaction, once more if it lost a race on a unique index: the
/// second run sees the winner's row and answers accordingly (same ticket, other case…).
async fn with_retry<F, Fut>(mut run: F) -> Result<Outcome, sqlx::Error>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<Outcome, sqlx::Error>>,
{
    match run().await {
        Err(e) if crate::db::is_unique_violation(&e) => run().await,
        other => other,
    }
}
