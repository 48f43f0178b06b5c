//! Every page of the app by its address: the one list that the apps' routing, their links
//! and the server's e-mails, letters and "not found" answers read, so that an address is
//! written once. Addresses are French: they are what people read, type and bookmark.

use std::fmt;

use crate::bundles::Bundle;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Home,
    /// The wizard's step 1: the client number and the CAPTCHA.
    Register,
    RegisterStep2,
    RegisterDone,
    /// The link of the e-mail that verifies a request's address (case 2).
    VerifyEmail,
    SignIn,
    ForgottenPassword,
    /// The link of the password reset e-mail.
    NewPassword,
    /// "Pas vous ?": the legal representative cancels a candidacy with the letter's code.
    NotYou,
    Terms,
    LegalNotice,
    PersonalData,
    Accessibility,
    Contact,
    /// The designers' gallery of components.
    Gallery,
    MySpace,
    MyRights,
    MyData,
    /// The second factor: a one-time code app and recovery codes.
    MySecurity,
    Administration,
    /// The candidate chooses their password with the letter's code.
    Activation,
    OperatorLetters,
    OperatorDirectory,
    OperatorAudit,
    OperatorMessages,
    OperatorEmails,
    /// The services that sign people in through the portal (OpenID Connect clients).
    OperatorServices,
    /// One establishment of the directory, by its id.
    OperatorEstablishment(i64),
    /// An operator adds the one-time code app operators must hold (their first sign-in).
    OperatorSecurity,
}

const ESTABLISHMENT: &str = "/operateur/etablissements/";

impl Page {
    /// Every page at a fixed address (all but one establishment's).
    pub const FIXED: [Page; 28] = [
        Page::Home,
        Page::Register,
        Page::RegisterStep2,
        Page::RegisterDone,
        Page::VerifyEmail,
        Page::SignIn,
        Page::ForgottenPassword,
        Page::NewPassword,
        Page::NotYou,
        Page::Terms,
        Page::LegalNotice,
        Page::PersonalData,
        Page::Accessibility,
        Page::Contact,
        Page::Gallery,
        Page::MySpace,
        Page::MyRights,
        Page::MyData,
        Page::MySecurity,
        Page::Administration,
        Page::Activation,
        Page::OperatorLetters,
        Page::OperatorDirectory,
        Page::OperatorAudit,
        Page::OperatorMessages,
        Page::OperatorEmails,
        Page::OperatorServices,
        Page::OperatorSecurity,
    ];

    /// The address of a page at a fixed address.
    fn fixed_path(self) -> Option<&'static str> {
        Some(match self {
            Page::Home => "/",
            Page::Register => "/inscription",
            Page::RegisterStep2 => "/inscription/etape-2",
            Page::RegisterDone => "/inscription/confirmation",
            Page::VerifyEmail => "/inscription/confirmer-courriel",
            Page::SignIn => "/connexion",
            Page::ForgottenPassword => "/mot-de-passe-oublie",
            Page::NewPassword => "/mot-de-passe/nouveau",
            Page::NotYou => "/pas-vous",
            Page::Terms => "/cgu",
            Page::LegalNotice => "/mentions-legales",
            Page::PersonalData => "/donnees-personnelles",
            Page::Accessibility => "/accessibilite",
            Page::Contact => "/contact",
            Page::Gallery => "/galerie",
            Page::MySpace => "/espace",
            Page::MyRights => "/espace/habilitations",
            Page::MyData => "/espace/donnees",
            Page::MySecurity => "/espace/securite",
            Page::Administration => "/espace/administration",
            Page::Activation => "/activation",
            Page::OperatorLetters => "/operateur",
            Page::OperatorDirectory => "/operateur/annuaire",
            Page::OperatorAudit => "/operateur/journal",
            Page::OperatorMessages => "/operateur/messages",
            Page::OperatorEmails => "/operateur/courriels",
            Page::OperatorServices => "/operateur/services",
            Page::OperatorSecurity => "/operateur/securite",
            Page::OperatorEstablishment(_) => return None,
        })
    }

    /// The page at this path (its query aside); a trailing slash is the same page.
    pub fn parse(path: &str) -> Option<Page> {
        let path = match path.trim_end_matches('/') {
            "" => "/",
            trimmed => trimmed,
        };
        if let Some(id) = path.strip_prefix(ESTABLISHMENT) {
            // Digits without a leading zero: one address per page ("+3" and "03" are not).
            let canonical = id.bytes().all(|b| b.is_ascii_digit()) && !id.starts_with('0');
            return id
                .parse()
                .ok()
                .filter(|_| canonical)
                .map(Page::OperatorEstablishment);
        }
        Page::FIXED
            .into_iter()
            .find(|page| page.fixed_path() == Some(path))
    }

    /// The page's address.
    pub fn path(self) -> String {
        self.to_string()
    }

    /// The bundle that serves it.
    pub fn bundle(self) -> Bundle {
        Bundle::of(&self.path())
    }
}

/// The provider's authorization endpoint (PRODUCT.md §11), where the sign-in page sends a
/// person back once signed in.
pub const OIDC_AUTHORIZE: &str = "/oidc/authorize";

/// Where the sign-in page may continue to after signing in (its `suite` parameter): only
/// the authorization endpoint of this very site, so that the parameter cannot send a
/// person anywhere else.
pub fn sign_in_continuation(suite: &str) -> Option<&str> {
    let rest = suite.strip_prefix(OIDC_AUTHORIZE)?;
    let safe = (rest.is_empty() || rest.starts_with('?'))
        && !suite.contains(['\\', '\r', '\n', '\t', '#']);
    safe.then_some(suite)
}

/// Whether the services' request asks for a fresh sign-in even with a session
/// (`prompt=login`): the sign-in page then waits for the password.
pub fn asks_fresh_sign_in(suite: &str) -> bool {
    suite.split(['?', '&']).any(|pair| pair == "prompt=login")
}

impl fmt::Display for Page {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Page::OperatorEstablishment(id) => write!(f, "{ESTABLISHMENT}{id}"),
            page => f.write_str(page.fixed_path().unwrap_or_default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_fixed_page_has_its_own_address() {
        for page in Page::FIXED {
            assert_eq!(Page::parse(&page.path()), Some(page), "{page:?}");
            assert_eq!(Page::parse(&format!("{page}/")), Some(page), "{page:?}/");
        }
        let mut paths: Vec<String> = Page::FIXED.iter().map(|p| p.path()).collect();
        paths.sort();
        paths.dedup();
        assert_eq!(paths.len(), Page::FIXED.len());
    }

    #[test]
    fn pages_sort_into_their_bundles() {
        use Bundle::*;
        for page in Page::FIXED
            .into_iter()
            .chain([Page::OperatorEstablishment(7)])
        {
            let bundle = match page {
                Page::Home | Page::Register | Page::VerifyEmail => Public,
                Page::RegisterStep2 | Page::RegisterDone => Step2,
                Page::SignIn
                | Page::ForgottenPassword
                | Page::NewPassword
                | Page::NotYou
                | Page::Terms
                | Page::LegalNotice
                | Page::PersonalData
                | Page::Accessibility
                | Page::Contact => Access,
                Page::Gallery => Designers,
                Page::MySpace
                | Page::MyRights
                | Page::MyData
                | Page::MySecurity
                | Page::Administration
                | Page::Activation
                | Page::OperatorSecurity => SignedIn,
                Page::OperatorLetters
                | Page::OperatorDirectory
                | Page::OperatorAudit
                | Page::OperatorMessages
                | Page::OperatorEmails
                | Page::OperatorServices
                | Page::OperatorEstablishment(_) => Operators,
            };
            assert_eq!(page.bundle(), bundle, "{page:?}");
        }
    }

    #[test]
    fn the_sign_in_continues_only_to_the_authorization_endpoint() {
        let good = "/oidc/authorize?client_id=a&redirect_uri=https%3A%2F%2Fs.example%2Fcb";
        assert_eq!(sign_in_continuation(good), Some(good));
        assert_eq!(
            sign_in_continuation("/oidc/authorize"),
            Some("/oidc/authorize")
        );
        for bad in [
            "https://evil.example/oidc/authorize?x",
            "//evil.example/oidc/authorize",
            "/oidc/authorizex?y",
            "/oidc/authorize/../../espace",
            "/oidc/authorize?\\evil",
            "/oidc/authorize?a#b",
            "/espace",
            "",
        ] {
            assert_eq!(sign_in_continuation(bad), None, "{bad}");
        }
        assert!(asks_fresh_sign_in("/oidc/authorize?a=1&prompt=login"));
        assert!(!asks_fresh_sign_in(
            "/oidc/authorize?a=1&prompt=none&x=prompt=login2"
        ));
    }

    #[test]
    fn unknown_addresses_are_no_page() {
        for path in [
            "/inconnue",
            "/inscription/etape-3",
            "/espace/autre",
            "/operateur/etablissements/",
            "/operateur/etablissements/abc",
            "/operateur/etablissements/+3",
            "/operateur/etablissements/03",
            "/operateur/etablissements/0",
            "/operateur/etablissements/99999999999999999999",
            "/Connexion",
        ] {
            assert_eq!(Page::parse(path), None, "{path}");
        }
    }

    proptest! {
        #[test]
        fn an_establishments_page_round_trips(id in 1..=i64::MAX) {
            let page = Page::OperatorEstablishment(id);
            prop_assert_eq!(Page::parse(&page.path()), Some(page));
        }

        /// The address alone names the page: trailing slashes aside, nothing before or
        /// after it makes the same page (no prefix matching).
        #[test]
        fn only_the_exact_address_names_a_page(
            index in 0..Page::FIXED.len(),
            slashes in "/{0,3}",
            extra in "[a-z0-9-]{1,6}",
        ) {
            let page = Page::FIXED[index];
            let path = page.path();
            prop_assert_eq!(Page::parse(&format!("{path}{slashes}")), Some(page));
            prop_assert_ne!(Page::parse(&format!("{path}{extra}")), Some(page));
            prop_assert_ne!(Page::parse(&format!("/{extra}{path}")), Some(page));
        }
    }
}
