//! How an administrator's candidacy ends (PRODUCT.md §5). A first user waits, as a
//! candidate, for the legal representative to hand over the letter's code; the candidacy
//! ends when they activate their account, when it is cancelled (by an operator, by "Pas
//! vous ?", by a re-designation) or when the code expires. What each ending does to the
//! account, the code, the letters still in the outbox and the sessions is decided here,
//! once: `db::candidacies` carries out each effect with one statement.

use super::{AccountStatus, Role};

/// How a candidacy ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// The candidate chose their password with the letter's code.
    Activated,
    /// An operator, "Pas vous ?" or a re-designation cancelled it.
    Cancelled,
    /// Its code expired unused; the next registrant finds the establishment free.
    Expired,
}

/// What an ending does, effect by effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Closing {
    /// What the candidate's account becomes.
    pub account: AccountStatus,
    /// Whether the code is marked used, so that it opens nothing any more (an expired
    /// code already opens nothing).
    pub spend_code: bool,
    /// Whether the letters still in the outbox count as dispatched; otherwise they are
    /// cancelled. Either way they leave the outbox, and their two plain codes are erased.
    pub letters_dispatched: bool,
    /// Whether every session of the candidate ends (activation instead replaces its own
    /// activation session with a full one).
    pub end_sessions: bool,
    /// Whether the account receives every right of the catalogue: the establishment's
    /// first administrator holds them all.
    pub every_right: bool,
    /// Whether the candidate is told by e-mail (the caller writes what).
    pub notify: bool,
}

impl Ending {
    /// The account status a candidacy must still be in for any ending: the first ending
    /// wins, the others then find nothing to close.
    pub const OPEN: AccountStatus = AccountStatus::Candidate;

    pub fn closing(self) -> Closing {
        match self {
            Ending::Activated => Closing {
                account: AccountStatus::Active,
                spend_code: true,
                // The code was used, so the letter reached its reader even if nobody
                // marked it dispatched.
                letters_dispatched: true,
                end_sessions: false,
                every_right: true,
                notify: false,
            },
            Ending::Cancelled => Closing {
                account: AccountStatus::Cancelled,
                spend_code: true,
                letters_dispatched: false,
                end_sessions: true,
                every_right: false,
                notify: true,
            },
            Ending::Expired => Closing {
                account: AccountStatus::Cancelled,
                spend_code: false,
                letters_dispatched: false,
                end_sessions: true,
                every_right: false,
                notify: false,
            },
        }
    }
}

/// Re-designation (PRODUCT.md §5): the establishment's administrators are unreachable, so
/// its next registrant becomes a first user again. Its candidacy, if any, ends as
/// [`Ending::Cancelled`]; each administrator who could act again (active, or disabled and
/// so able to be enabled) keeps their account as a plain user, and their sessions end.
pub fn demoted_on_redesignation(role: Role, status: AccountStatus) -> bool {
    role == Role::Administrator && matches!(status, AccountStatus::Active | AccountStatus::Disabled)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENDINGS: [Ending; 3] = [Ending::Activated, Ending::Cancelled, Ending::Expired];

    #[test]
    fn only_activation_makes_an_administrator_with_every_right() {
        for ending in ENDINGS {
            let closing = ending.closing();
            let activated = ending == Ending::Activated;
            assert_eq!(closing.account == AccountStatus::Active, activated);
            assert_eq!(closing.every_right, activated);
            assert_eq!(
                closing.letters_dispatched, activated,
                "an unused code's letter is cancelled"
            );
        }
    }

    #[test]
    fn a_closed_candidacy_leaves_no_way_in() {
        for ending in [Ending::Cancelled, Ending::Expired] {
            let closing = ending.closing();
            assert!(!closing.account.may_have_a_session(), "{ending:?}");
            assert!(closing.end_sessions, "{ending:?}");
        }
        // A code still valid when the candidacy is cancelled must not open it again.
        assert!(Ending::Cancelled.closing().spend_code);
        assert!(Ending::Activated.closing().spend_code);
    }

    #[test]
    fn the_candidate_is_told_of_a_cancellation_only() {
        for ending in ENDINGS {
            assert_eq!(ending.closing().notify, ending == Ending::Cancelled);
        }
    }

    #[test]
    fn redesignation_demotes_administrators_who_could_act() {
        use AccountStatus::*;
        for &status in AccountStatus::ALL {
            assert_eq!(
                demoted_on_redesignation(Role::Administrator, status),
                matches!(status, Active | Disabled),
                "{status:?}"
            );
            assert!(!demoted_on_redesignation(Role::User, status));
        }
    }
}
