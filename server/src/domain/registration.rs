//! Which of the two registration cases an establishment is in (PRODUCT.md §5).

use inscription_shared::registration::RegistrationCase;

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
