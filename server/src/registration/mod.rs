//! The registration wizard's rules (PRODUCT.md §2): which case applies to an
//! establishment, and the use cases of each step. HTTP lives in `routes::registration`,
//! SQL in `db::registrations`.

pub mod existing_account;
pub mod first_user;
pub mod step1;

use inscription_shared::registration::RegistrationCase;
use inscription_shared::FieldError;

use crate::db::registrations::Outcome;
use crate::password_hash::HashError;
use crate::ticket::TicketError;

/// What the case of an establishment depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EstablishmentFacts {
    pub active_administrators: i64,
    /// Administrator candidates whose code has not expired.
    pub candidates: i64,
    /// Requests of case 2 not answered yet, made in the last hour.
    pub recent_unanswered_requests: i64,
}

/// Case 1 when the establishment has no active administrator and no pending candidate;
/// case 2 otherwise. An establishment whose administrators are all gone, or whose
/// candidate's code expired, is a case 1 again (PRODUCT.md §5).
pub fn decide_case(facts: &EstablishmentFacts) -> RegistrationCase {
    if facts.active_administrators == 0 && facts.candidates == 0 {
        RegistrationCase::FirstUser
    } else {
        RegistrationCase::ExistingAccount
    }
}

/// Unknown and closed establishments get the same answer, so that the number's owner
/// learns nothing more than "not registrable here".
pub const UNKNOWN_ESTABLISHMENT: &str = "Ce numéro client ne correspond à aucun établissement \
    pouvant s’inscrire. Vérifiez-le sur un courrier du prêteur, ou contactez-nous : formulaire \
    de contact en ligne ou 0 800 887 300 (service et appel gratuits).";

/// Why a step-2 submission (either case) was refused.
#[derive(Debug, thiserror::Error)]
pub enum Step2Error {
    #[error(transparent)]
    Ticket(#[from] TicketError),
    #[error("Le formulaire contient des erreurs.")]
    Invalid(Vec<FieldError>),
    #[error("{}", UNKNOWN_ESTABLISHMENT)]
    UnknownEstablishment,
    /// Another registrant changed the establishment's case meanwhile.
    #[error("{}", case_changed_message(*.0))]
    CaseChanged(RegistrationCase),
    #[error("Une demande ou un compte existe déjà pour cette adresse électronique dans votre établissement. Si vous avez oublié votre mot de passe, utilisez « Mot de passe oublié » sur la page de connexion.")]
    EmailTaken,
    #[error("Votre établissement a reçu trop de demandes d’accès en peu de temps. Réessayez dans une heure, ou contactez-nous au 0 800 887 300.")]
    CapReached,
    #[error("erreur de hachage")]
    Hash(#[from] HashError),
    #[error("erreur de base de données")]
    Database(#[from] sqlx::Error),
}

fn case_changed_message(now: RegistrationCase) -> &'static str {
    match now {
        RegistrationCase::ExistingAccount => "Un autre utilisateur de votre établissement vient de s’inscrire en premier. Votre demande n’a pas été enregistrée : recommencez l’inscription pour demander un accès à votre administrateur.",
        RegistrationCase::FirstUser => "Votre établissement n’a plus d’administrateur. Votre demande n’a pas été enregistrée : recommencez l’inscription pour devenir le premier utilisateur.",
    }
}

/// Turns a transaction's outcome into the confirmation or the error; `Created` and
/// `AlreadyDone` (a repeated submission) give the same confirmation.
fn confirm(
    outcome: Outcome,
    case: RegistrationCase,
    establishment_name: String,
    email: &str,
) -> Result<inscription_shared::registration::Step2Response, Step2Error> {
    let email = match outcome {
        Outcome::Created { .. } => email.to_owned(),
        Outcome::AlreadyDone { email } => email,
        Outcome::CaseChanged(now) => return Err(Step2Error::CaseChanged(now)),
        Outcome::EmailTaken => return Err(Step2Error::EmailTaken),
        Outcome::CapReached => return Err(Step2Error::CapReached),
        Outcome::NoEstablishment => return Err(Step2Error::UnknownEstablishment),
    };
    Ok(inscription_shared::registration::Step2Response {
        case,
        establishment_name,
        email,
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_user_only_without_administrator_nor_candidate() {
        let none = EstablishmentFacts::default();
        assert_eq!(decide_case(&none), RegistrationCase::FirstUser);
        let with_admin = EstablishmentFacts {
            active_administrators: 1,
            ..none
        };
        assert_eq!(decide_case(&with_admin), RegistrationCase::ExistingAccount);
        let with_candidate = EstablishmentFacts {
            candidates: 1,
            ..none
        };
        assert_eq!(
            decide_case(&with_candidate),
            RegistrationCase::ExistingAccount
        );
        let only_requests = EstablishmentFacts {
            recent_unanswered_requests: 3,
            ..none
        };
        assert_eq!(decide_case(&only_requests), RegistrationCase::FirstUser);
    }
}
