//! Which of the app's four bundles serves a page. The signed-in spaces (a person's space
//! and their establishment's administration), the operators' back office and the
//! designers' gallery are bundles of their own, so that a visitor's first load (home,
//! wizard, sign-in) carries none of them, and a person of an establishment never loads the
//! back office: the server sends each page's `index.html` by this rule and each app
//! follows it.

/// The folder of the signed-in bundle within the built app (`dist/`), and its URL prefix.
pub const SIGNED_IN_DIR: &str = "espaces";
/// The folder of the operators' bundle, and its URL prefix.
pub const OPERATORS_DIR: &str = "back-office";
/// The folder of the designers' bundle (the gallery), and its URL prefix.
pub const DESIGNERS_DIR: &str = "atelier";

/// The paths of a person's signed-in pages, with everything under them; and the operator's
/// adding of their one-time code app, which lives with the people's (this bundle has it
/// already, and the back office stays within its budget without a second copy).
const SIGNED_IN: [&str; 3] = ["/espace", "/activation", "/operateur/securite"];
/// The paths of the operators' pages.
const OPERATORS: [&str; 1] = ["/operateur"];
/// The designers' gallery: every state of the wizard, with sample data.
const DESIGNERS: [&str; 1] = ["/galerie"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bundle {
    /// Home, the registration wizard, sign-in and every page open to all.
    Public,
    /// A person's space and their establishment's administration.
    SignedIn,
    /// The operators' back office.
    Operators,
    /// The designers' gallery (no visitor's path goes through it).
    Designers,
}

impl Bundle {
    /// Every bundle, the public one first.
    pub const ALL: [Self; 4] = [
        Self::Public,
        Self::SignedIn,
        Self::Operators,
        Self::Designers,
    ];

    /// The bundle of the page at this path (without its query).
    pub fn of(path: &str) -> Self {
        let under = |prefixes: &[&str]| {
            prefixes.iter().any(|prefix| {
                path.strip_prefix(prefix)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            })
        };
        if under(&SIGNED_IN) {
            Self::SignedIn
        } else if under(&OPERATORS) {
            Self::Operators
        } else if under(&DESIGNERS) {
            Self::Designers
        } else {
            Self::Public
        }
    }

    /// The bundle's folder within the built app (and URL prefix of its files); the public
    /// bundle's is the root.
    pub fn dir(self) -> Option<&'static str> {
        match self {
            Self::Public => None,
            Self::SignedIn => Some(SIGNED_IN_DIR),
            Self::Operators => Some(OPERATORS_DIR),
            Self::Designers => Some(DESIGNERS_DIR),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Bundle;

    #[test]
    fn sorts_pages_by_bundle() {
        use Bundle::{Designers, Operators, Public, SignedIn};
        for (path, bundle) in [
            ("/espace", SignedIn),
            ("/espace/", SignedIn),
            ("/espace/habilitations", SignedIn),
            ("/activation", SignedIn),
            ("/operateur", Operators),
            ("/operateur/securite", SignedIn),
            ("/operateur/securites", Operators),
            ("/operateur/etablissements/3", Operators),
            ("/", Public),
            ("/inscription", Public),
            ("/connexion", Public),
            ("/espaces", Public),
            ("/operateurs", Public),
            ("/back-office", Public),
            ("/activations", Public),
            ("/pas-vous", Public),
            ("/galerie", Designers),
            ("/galeries", Public),
            ("/atelier", Public),
        ] {
            assert_eq!(Bundle::of(path), bundle, "{path}");
        }
    }
}
