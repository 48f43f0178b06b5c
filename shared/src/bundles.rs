//! Which of the app's two bundles serves a page. The signed-in spaces (a person's space,
//! their establishment's administration, the operators' back office) are a bundle of
//! their own, so that a visitor's first load (home, wizard, sign-in) does not carry them:
//! the server sends each page's `index.html` by this rule and each app follows it.

/// The folder of the signed-in bundle within the built app (`dist/`), and its URL prefix.
pub const SIGNED_IN_DIR: &str = "espaces";

/// The paths whose pages need a session, with everything under them.
const SIGNED_IN: [&str; 3] = ["/espace", "/activation", "/operateur"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bundle {
    /// Home, the registration wizard, sign-in and every page open to all.
    Public,
    /// The pages that need a session.
    SignedIn,
}

impl Bundle {
    /// The bundle of the page at this path (without its query).
    pub fn of(path: &str) -> Self {
        let signed_in = SIGNED_IN.iter().any(|prefix| {
            path.strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        });
        if signed_in {
            Self::SignedIn
        } else {
            Self::Public
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Bundle;

    #[test]
    fn sorts_pages_by_bundle() {
        use Bundle::{Public, SignedIn};
        for (path, bundle) in [
            ("/espace", SignedIn),
            ("/espace/", SignedIn),
            ("/espace/habilitations", SignedIn),
            ("/activation", SignedIn),
            ("/operateur", SignedIn),
            ("/operateur/etablissements/3", SignedIn),
            ("/", Public),
            ("/inscription", Public),
            ("/connexion", Public),
            ("/espaces", Public),
            ("/operateurs", Public),
            ("/activations", Public),
            ("/pas-vous", Public),
            ("/galerie", Public),
        ] {
            assert_eq!(Bundle::of(path), bundle, "{path}");
        }
    }
}
