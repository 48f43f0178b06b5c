//! An administrator's changes to the accounts of their establishment (PRODUCT.md §5), as
//! pure decisions; the database applies them under the establishment's lock, and counts
//! the administrators when [`removes_an_administrator`] says the rule must be checked.

use super::{AccountStatus, Role};

/// A change the console asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Validate {
        services: Vec<String>,
    },
    /// With the reason the person is told (it may be empty).
    Refuse {
        reason: String,
    },
    SetRights {
        services: Vec<String>,
    },
    SetAdministrator(bool),
    SetEnabled(bool),
    /// Forgets the person's one-time code app and recovery codes (a lost phone): their
    /// next sign-in asks the password alone, and they may add an app again.
    ResetSecondFactor,
}

impl Change {
    /// The audit trail's name for it.
    pub fn action(&self) -> &'static str {
        match self {
            Change::Validate { .. } => "administration.request_validated",
            Change::Refuse { .. } => "administration.request_refused",
            Change::SetRights { .. } => "administration.rights_changed",
            Change::SetAdministrator(true) => "administration.administrator_named",
            Change::SetAdministrator(false) => "administration.administrator_removed",
            Change::SetEnabled(true) => "administration.account_enabled",
            Change::SetEnabled(false) => "administration.account_disabled",
            Change::ResetSecondFactor => "administration.second_factor_reset",
        }
    }

    /// Whether the change hands out access (rights, the administrator's role) or lowers
    /// another person's protection (their second factor forgotten): a person with a second
    /// factor proves it again first when their last proof is old.
    pub fn asks_a_fresh_factor(&self) -> bool {
        matches!(
            self,
            Change::Validate { .. }
                | Change::SetRights { .. }
                | Change::SetAdministrator(_)
                | Change::ResetSecondFactor
        )
    }

    /// Whether the lender's operators, not an administrator, make this change for an
    /// account of this role: an administrator's second factor is reset by the level above
    /// (PRODUCT.md §3bis), never by a peer or by themselves.
    pub fn reserved_to_the_lender(&self, role: Role) -> bool {
        matches!(self, Change::ResetSecondFactor) && role == Role::Administrator
    }

    /// Whether the change is for an account in this status: a decision for a request
    /// waiting for one, the others for accounts (a request already decided, a candidate,
    /// a closed account are out of the console's reach).
    pub fn applies_to(&self, status: AccountStatus) -> bool {
        match self {
            Change::Validate { .. } | Change::Refuse { .. } => status == AccountStatus::Pending,
            Change::SetRights { .. }
            | Change::SetAdministrator(_)
            | Change::SetEnabled(_)
            | Change::ResetSecondFactor => {
                matches!(status, AccountStatus::Active | AccountStatus::Disabled)
            }
        }
    }

    /// Whether it takes an active administrator away: allowed only while another remains.
    pub fn removes_an_administrator(&self, role: Role, status: AccountStatus) -> bool {
        role.administers(status)
            && matches!(
                self,
                Change::SetAdministrator(false) | Change::SetEnabled(false)
            )
    }

    /// The account's role and status once changed.
    pub fn after(&self, role: Role, status: AccountStatus) -> (Role, AccountStatus) {
        match self {
            Change::Validate { .. } => (role, AccountStatus::Active),
            Change::Refuse { .. } => (role, AccountStatus::Refused),
            Change::SetRights { .. } | Change::ResetSecondFactor => (role, status),
            Change::SetAdministrator(true) => (Role::Administrator, status),
            Change::SetAdministrator(false) => (Role::User, status),
            Change::SetEnabled(true) => (role, AccountStatus::Active),
            Change::SetEnabled(false) => (role, AccountStatus::Disabled),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AccountStatus::*;

    fn every_change() -> [Change; 8] {
        [
            Change::Validate { services: vec![] },
            Change::Refuse {
                reason: String::new(),
            },
            Change::SetRights { services: vec![] },
            Change::SetAdministrator(true),
            Change::SetAdministrator(false),
            Change::SetEnabled(true),
            Change::SetEnabled(false),
            Change::ResetSecondFactor,
        ]
    }

    #[test]
    fn handing_out_access_asks_a_fresh_factor() {
        for change in every_change() {
            let hands_out = matches!(
                change,
                Change::Validate { .. }
                    | Change::SetRights { .. }
                    | Change::SetAdministrator(_)
                    | Change::ResetSecondFactor
            );
            assert_eq!(change.asks_a_fresh_factor(), hands_out, "{change:?}");
        }
    }

    #[test]
    fn only_an_administrators_second_factor_is_for_the_lender() {
        for change in every_change() {
            for role in Role::ALL {
                let expected = change == Change::ResetSecondFactor && *role == Role::Administrator;
                assert_eq!(
                    change.reserved_to_the_lender(*role),
                    expected,
                    "{change:?} {role:?}"
                );
            }
        }
    }

    #[test]
    fn decisions_are_for_requests_and_the_rest_for_accounts() {
        for change in every_change() {
            for status in AccountStatus::ALL {
                let decision = matches!(change, Change::Validate { .. } | Change::Refuse { .. });
                let expected = if decision {
                    *status == Pending
                } else {
                    [Active, Disabled].contains(status)
                };
                assert_eq!(
                    change.applies_to(*status),
                    expected,
                    "{change:?} {status:?}"
                );
            }
        }
    }

    #[test]
    fn only_taking_an_active_administrator_away_asks_for_another() {
        for change in every_change() {
            for role in Role::ALL {
                for status in AccountStatus::ALL.iter().filter(|s| change.applies_to(**s)) {
                    let (after_role, after_status) = change.after(*role, *status);
                    // The rule, said from the outcome: an active administrator who would no
                    // longer be one.
                    let loses_one =
                        role.administers(*status) && !after_role.administers(after_status);
                    assert_eq!(
                        change.removes_an_administrator(*role, *status),
                        loses_one,
                        "{change:?} {role:?} {status:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn each_change_makes_what_its_name_says() {
        let user = Role::User;
        let admin = Role::Administrator;
        assert_eq!(
            Change::Validate { services: vec![] }.after(user, Pending),
            (user, Active)
        );
        let refuse = Change::Refuse {
            reason: String::new(),
        };
        assert_eq!(refuse.after(user, Pending), (user, Refused));
        assert_eq!(
            Change::SetAdministrator(true).after(user, Active),
            (admin, Active)
        );
        assert_eq!(
            Change::SetAdministrator(false).after(admin, Disabled),
            (user, Disabled)
        );
        assert_eq!(
            Change::SetEnabled(false).after(admin, Active),
            (admin, Disabled)
        );
        assert_eq!(
            Change::SetEnabled(true).after(user, Disabled),
            (user, Active)
        );
        assert_eq!(
            Change::SetRights { services: vec![] }.after(admin, Active),
            (admin, Active)
        );
    }
}
