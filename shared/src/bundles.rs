//! Which of the app's six bundles serves a page. The registration's first load (home and
//! the wizard's first step) carries only them: the wizard's second step and its
//! confirmation are a bundle of their own, which step 1 fetches ahead while the person
//! types, and signing in, the passwords, "Pas vous ?", the contact form and the legal pages
//! are the access bundle's. The signed-in spaces (a person's space and their
//! establishment's administration), the operators' back office and the designers' gallery
//! are bundles of their own too, and a person of an establishment never loads the back
//! office: the server sends each page's `index.html` by this rule and each app follows it.

/// The folder of the bundle of the wizard's second step, and its URL prefix.
pub const STEP2_DIR: &str = "etape-2";
/// The folder of the access bundle (sign-in and the pages open to all but the wizard).
pub const ACCESS_DIR: &str = "acces";
/// The folder of the signed-in bundle within the built app (`dist/`), and its URL prefix.
pub const SIGNED_IN_DIR: &str = "espaces";
/// The folder of the operators' bundle, and its URL prefix.
pub const OPERATORS_DIR: &str = "back-office";
/// The folder of the designers' bundle (the gallery), and its URL prefix.
pub const DESIGNERS_DIR: &str = "atelier";

/// The id of the CAPTCHA's zone in a page. The pages painted ahead are drawn with the
/// self-hosted CAPTCHA: with reCAPTCHA, the server does not paint a page that holds it.
pub const CAPTCHA_ZONE_ID: &str = "captcha-zone";

/// The paths of a person's signed-in pages, with everything under them; and the operator's
/// adding of their one-time code app, which lives with the people's (this bundle has it
/// already, and the back office stays within its budget without a second copy).
const SIGNED_IN: [&str; 3] = ["/espace", "/activation", "/operateur/securite"];
/// The wizard's second step and its confirmation: the forms of both cases, the identity
/// fields and the password's rules, a fifth of the first load, which a visitor who only
/// looks at step 1 never needs (BENCHMARKS.md, 2026-12-07).
const STEP2: [&str; 2] = ["/inscription/etape-2", "/inscription/confirmation"];
/// The paths of the access bundle's pages: signing in, the passwords, "Pas vous ?", the
/// terms, the legal pages and the contact form.
const ACCESS: [&str; 9] = [
    "/connexion",
    "/mot-de-passe-oublie",
    "/mot-de-passe",
    "/pas-vous",
    "/cgu",
    "/mentions-legales",
    "/donnees-personnelles",
    "/accessibilite",
    "/contact",
];
/// The paths of the operators' pages.
const OPERATORS: [&str; 1] = ["/operateur"];
/// The designers' gallery: every state of the wizard, with sample data.
const DESIGNERS: [&str; 1] = ["/galerie"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bundle {
    /// Home and the registration wizard's first step: a visitor's first load.
    Public,
    /// The wizard's second step and its confirmation.
    Step2,
    /// Sign-in, the passwords, "Pas vous ?", the terms, the legal pages and contact.
    Access,
    /// A person's space and their establishment's administration.
    SignedIn,
    /// The operators' back office.
    Operators,
    /// The designers' gallery (no visitor's path goes through it).
    Designers,
}

impl Bundle {
    /// Every bundle, the public one first.
    pub const ALL: [Self; 6] = [
        Self::Public,
        Self::Step2,
        Self::Access,
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
        } else if under(&STEP2) {
            Self::Step2
        } else if under(&ACCESS) {
            Self::Access
        } else {
            Self::Public
        }
    }

    /// The bundle's folder within the built app (and URL prefix of its files); the public
    /// bundle's is the root.
    pub fn dir(self) -> Option<&'static str> {
        match self {
            Self::Public => None,
            Self::Step2 => Some(STEP2_DIR),
            Self::Access => Some(ACCESS_DIR),
            Self::SignedIn => Some(SIGNED_IN_DIR),
            Self::Operators => Some(OPERATORS_DIR),
            Self::Designers => Some(DESIGNERS_DIR),
        }
    }

    /// Whether the server may send this bundle's pages with their first view drawn in
    /// (`app/frames/`): the bundles whose app starts with `start_painted`, which takes over
    /// what was typed there. The others' pages start from the bare frame.
    pub fn painted_ahead(self) -> bool {
        matches!(self, Self::Public | Self::Access)
    }
}

#[cfg(test)]
mod tests {
    use super::Bundle;

    #[test]
    fn sorts_pages_by_bundle() {
        use Bundle::{Access, Designers, Operators, Public, SignedIn, Step2};
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
            ("/connexion", Access),
            ("/connexions", Public),
            ("/mot-de-passe/nouveau", Access),
            ("/mot-de-passe-oublie", Access),
            ("/contact", Access),
            ("/mentions-legales", Access),
            ("/acces", Public),
            ("/inscription/etape-2", Step2),
            ("/inscription/confirmation", Step2),
            ("/inscription/etape-3", Public),
            ("/etape-2", Public),
            ("/inscription/confirmer-courriel", Public),
            ("/espaces", Public),
            ("/operateurs", Public),
            ("/back-office", Public),
            ("/activations", Public),
            ("/pas-vous", Access),
            ("/galerie", Designers),
            ("/galeries", Public),
            ("/atelier", Public),
        ] {
            assert_eq!(Bundle::of(path), bundle, "{path}");
        }
    }
}
