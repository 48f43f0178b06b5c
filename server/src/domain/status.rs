//! The statuses of the lifecycle, each mapped to and from its database text in exactly one
//! place. A value the code does not know is an error, never read as some default status:
//! a row written by a newer version, or by hand, must not pass for an active account.

use inscription_shared::administration::UserStatus;

/// A text of the database that names no value of its kind.
#[derive(Debug, thiserror::Error)]
#[error("valeur inconnue dans la base de données pour {kind}\u{a0}: «\u{a0}{value}\u{a0}»")]
pub struct UnknownValue {
    kind: &'static str,
    value: String,
}

/// A row the code cannot read is a decoding error of the database.
impl From<UnknownValue> for sqlx::Error {
    fn from(unknown: UnknownValue) -> Self {
        sqlx::Error::Decode(Box::new(unknown))
    }
}

/// Declares an enum with the text each value has in the database (the migrations' CHECK
/// constraints list the same texts), and both directions of the mapping.
macro_rules! stored_as_text {
    ($(#[$meta:meta])* $name:ident, $kind:literal { $($(#[$vmeta:meta])* $variant:ident => $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];

            /// The text stored in the database.
            pub fn as_db(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)+
                }
            }

            /// The value of a stored text; an unknown text is an error.
            pub fn from_db(text: &str) -> Result<Self, UnknownValue> {
                match text {
                    $($text => Ok(Self::$variant),)+
                    _ => Err(UnknownValue { kind: $kind, value: text.to_owned() }),
                }
            }
        }

        /// For rows: `#[sqlx(try_from = "String")]`.
        impl TryFrom<String> for $name {
            type Error = UnknownValue;

            fn try_from(text: String) -> Result<Self, UnknownValue> {
                Self::from_db(&text)
            }
        }
    };
}

stored_as_text! {
    /// Where an account stands (PRODUCT.md §3–5).
    AccountStatus, "un statut de compte" {
        /// The first user of an establishment, waiting for the letter's code.
        Candidate => "candidate",
        /// A request whose e-mail address is not verified yet.
        EmailUnverified => "email_unverified",
        /// A verified request, waiting for an administrator.
        Pending => "pending",
        Active => "active",
        Disabled => "disabled",
        /// A request an administrator refused.
        Refused => "refused",
        /// A candidacy or request that ended without an account.
        Cancelled => "cancelled",
    }
}

stored_as_text! {
    /// An account's role within its establishment.
    Role, "un rôle" {
        User => "user",
        Administrator => "administrator",
    }
}

stored_as_text! {
    /// A letter of the outbox.
    LetterStatus, "un statut de courrier" {
        Queued => "queued",
        Dispatched => "dispatched",
        Cancelled => "cancelled",
    }
}

stored_as_text! {
    /// What a session may do.
    Purpose, "un usage de session" {
        /// Signed in with the temporary password: may only choose a password.
        Activation => "activation",
        Full => "full",
    }
}

impl AccountStatus {
    /// An account that may use the services.
    pub fn is_active(self) -> bool {
        self == Self::Active
    }

    /// An account whose session lives: an active one, or a candidate signed in with the
    /// letter's code to choose a password.
    pub fn may_have_a_session(self) -> bool {
        matches!(self, Self::Active | Self::Candidate)
    }

    /// As the operators' directory says it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Active => "Actif",
            Self::Candidate => "Candidat administrateur (courrier)",
            Self::EmailUnverified => "Adresse électronique à vérifier",
            Self::Pending => "En attente de validation",
            Self::Disabled => "Désactivé",
            Self::Refused => "Demande refusée",
            Self::Cancelled => "Annulé",
        }
    }

    /// As the administrators' console shows its users: requests waiting for a decision and
    /// accounts; `None` for the others, which the console does not list.
    pub fn in_console(self) -> Option<UserStatus> {
        match self {
            Self::Pending => Some(UserStatus::Pending),
            Self::Active => Some(UserStatus::Active),
            Self::Disabled => Some(UserStatus::Disabled),
            Self::Candidate | Self::EmailUnverified | Self::Refused | Self::Cancelled => None,
        }
    }
}

impl Role {
    /// An active administrator of the establishment: the console is theirs.
    pub fn administers(self, status: AccountStatus) -> bool {
        self == Self::Administrator && status.is_active()
    }

    /// As the pages say it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Administrator => "Administrateur",
            Self::User => "Utilisateur",
        }
    }
}

impl From<Role> for inscription_shared::account::Role {
    fn from(role: Role) -> Self {
        match role {
            Role::Administrator => Self::Administrator,
            Role::User => Self::User,
        }
    }
}

impl From<LetterStatus> for inscription_shared::operator::LetterStatus {
    fn from(status: LetterStatus) -> Self {
        match status {
            LetterStatus::Queued => Self::Queued,
            LetterStatus::Dispatched => Self::Dispatched,
            LetterStatus::Cancelled => Self::Cancelled,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_goes_to_the_database_and_back() {
        for s in AccountStatus::ALL {
            assert_eq!(AccountStatus::from_db(s.as_db()).unwrap(), *s);
        }
        for r in Role::ALL {
            assert_eq!(Role::from_db(r.as_db()).unwrap(), *r);
        }
        for l in LetterStatus::ALL {
            assert_eq!(LetterStatus::from_db(l.as_db()).unwrap(), *l);
        }
        for p in Purpose::ALL {
            assert_eq!(Purpose::from_db(p.as_db()).unwrap(), *p);
        }
    }

    #[test]
    fn an_unknown_text_is_an_error_not_a_default() {
        for text in ["", "Active", "actif", "active ", "admin"] {
            assert!(AccountStatus::from_db(text).is_err(), "{text:?}");
            assert!(Role::from_db(text).is_err(), "{text:?}");
        }
        assert!(Purpose::from_db("activation-expired").is_err());
        assert!(LetterStatus::from_db("sent").is_err());
    }

    #[test]
    fn the_texts_are_those_the_migrations_allow() {
        let migration = include_str!("../../migrations/sqlite/0002_registration.sql");
        for s in AccountStatus::ALL {
            assert!(migration.contains(&format!("'{}'", s.as_db())), "{s:?}");
        }
        for l in LetterStatus::ALL {
            assert!(migration.contains(&format!("'{}'", l.as_db())), "{l:?}");
        }
    }
}
