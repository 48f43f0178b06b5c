//! The protocol's rules that need neither HTTP nor SQL: what an authorization request must
//! hold, PKCE, redirect URIs. Each refusal says whether it may go back to the service (its
//! redirect URI is known to be its own) or must stop on the provider's page.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};

/// An authorization request's parameters, as the query string gives them.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct AuthorizationRequest {
    pub client_id: Option<String>,
    pub redirect_uri: Option<String>,
    pub response_type: Option<String>,
    pub scope: Option<String>,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    pub prompt: Option<String>,
    pub request: Option<String>,
    pub request_uri: Option<String>,
    pub response_mode: Option<String>,
}

/// What the request asks of the person's session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prompt {
    /// Sign in if needed.
    Default,
    /// Never show a page: an error goes back at once (`prompt=none`).
    None,
    /// Sign in again even with a session (`prompt=login`).
    Login,
}

/// A request that may go on: the service's redirect URI is registered, PKCE is there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub redirect_uri: String,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: String,
    pub prompt: Prompt,
}

/// An error the service is told on its redirect URI (RFC 6749 §4.1.2.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirected {
    pub redirect_uri: String,
    pub state: Option<String>,
    pub error: &'static str,
    pub description: &'static str,
}

/// The upper bound of what a service may send in `state` and `nonce`.
const MAX_PARAMETER: usize = 512;

/// Checks the request against the service's registered redirect URIs (`None`: no such
/// service). `Err(Ok(page))`: stop on a page, the redirect URI cannot be trusted;
/// `Err(Err(redirected))`: tell the service.
pub fn check(
    request: &AuthorizationRequest,
    registered: Option<&[String]>,
) -> Result<Checked, Result<&'static str, Redirected>> {
    let Some(registered) = registered else {
        return Err(Ok(UNKNOWN_SERVICE));
    };
    let redirect_uri = match &request.redirect_uri {
        Some(uri) if registered.iter().any(|r| r == uri) => uri.clone(),
        _ => return Err(Ok(UNKNOWN_REDIRECT)),
    };
    let refuse = |error, description| {
        Err(Err(Redirected {
            redirect_uri: redirect_uri.clone(),
            state: request.state.clone().filter(|s| s.len() <= MAX_PARAMETER),
            error,
            description,
        }))
    };
    if request.request.is_some() {
        return refuse(
            "request_not_supported",
            "Le paramètre request n’est pas pris en charge.",
        );
    }
    if request.request_uri.is_some() {
        return refuse(
            "request_uri_not_supported",
            "Le paramètre request_uri n’est pas pris en charge.",
        );
    }
    if request.response_type.as_deref() != Some("code") {
        return refuse(
            "unsupported_response_type",
            "Seul response_type=code est pris en charge.",
        );
    }
    if request
        .response_mode
        .as_deref()
        .is_some_and(|m| m != "query")
    {
        return refuse(
            "invalid_request",
            "Seul response_mode=query est pris en charge.",
        );
    }
    if !request
        .scope
        .as_deref()
        .unwrap_or_default()
        .split(' ')
        .any(|s| s == "openid")
    {
        return refuse("invalid_scope", "La portée doit comprendre openid.");
    }
    let too_long = |v: &Option<String>| v.as_ref().is_some_and(|v| v.len() > MAX_PARAMETER);
    if too_long(&request.state) || too_long(&request.nonce) {
        return refuse(
            "invalid_request",
            "state et nonce font 512 caractères au plus.",
        );
    }
    let code_challenge = match (&request.code_challenge, request.code_challenge_method.as_deref()) {
        (Some(challenge), Some("S256")) if is_challenge(challenge) => challenge.clone(),
        (None, _) => return refuse("invalid_request", "PKCE est obligatoire\u{a0}: code_challenge manque."),
        _ => return refuse("invalid_request", "PKCE\u{a0}: seule la méthode S256 est acceptée, avec un code_challenge de 43 caractères."),
    };
    let prompt = match request.prompt.as_deref().map(str::trim) {
        None | Some("") | Some("consent") | Some("select_account") => Prompt::Default,
        Some("none") => Prompt::None,
        Some("login") => Prompt::Login,
        Some(_) => return refuse("invalid_request", "Valeur de prompt non prise en charge."),
    };
    Ok(Checked {
        redirect_uri,
        state: request.state.clone(),
        nonce: request.nonce.clone(),
        code_challenge,
        prompt,
    })
}

pub const UNKNOWN_SERVICE: &str =
    "Ce service en ligne n’est pas connu du portail. Revenez au service et recommencez, ou contactez l’assistance.";
pub const UNKNOWN_REDIRECT: &str =
    "L’adresse de retour demandée n’est pas celle que ce service a déclarée. Par prudence, la connexion s’arrête ici.";

/// A S256 challenge: the base64url (no padding) of a SHA-256 digest, 43 characters.
fn is_challenge(challenge: &str) -> bool {
    challenge.len() == 43
        && challenge
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Whether the verifier is the one the challenge was made from (RFC 7636 §4.6). A verifier
/// is 43 to 128 unreserved characters.
pub fn pkce_matches(verifier: &str, challenge: &str) -> bool {
    let well_formed = (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
    well_formed && URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) == challenge
}

/// Why a service's redirect URI is refused at registration: it must be absolute, without
/// a fragment, and HTTPS unless it stays on this machine.
pub fn redirect_uri_problem(uri: &str) -> Option<&'static str> {
    let Ok(url) = url::Url::parse(uri) else {
        return Some("n’est pas une adresse absolue");
    };
    if url.fragment().is_some() {
        return Some("ne doit pas contenir de fragment (#)");
    }
    let loopback = matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    match url.scheme() {
        "https" => None,
        "http" if loopback => None,
        _ => Some("doit commencer par https:// (http:// seulement pour 127.0.0.1 ou localhost)"),
    }
}

/// `uri` with these query parameters added (after any it has).
pub fn with_query(uri: &str, parameters: &[(&str, &str)]) -> String {
    match url::Url::parse(uri) {
        Ok(mut url) => {
            url.query_pairs_mut().extend_pairs(parameters);
            url.into()
        }
        Err(_) => uri.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const URI: &str = "https://service.example/retour";

    fn request() -> AuthorizationRequest {
        AuthorizationRequest {
            client_id: Some("service".into()),
            redirect_uri: Some(URI.into()),
            response_type: Some("code".into()),
            scope: Some("openid email".into()),
            state: Some("s".into()),
            nonce: Some("n".into()),
            code_challenge: Some("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM".into()),
            code_challenge_method: Some("S256".into()),
            ..AuthorizationRequest::default()
        }
    }

    fn registered() -> Vec<String> {
        vec![URI.to_owned()]
    }

    fn redirected_error(request: &AuthorizationRequest) -> &'static str {
        match check(request, Some(&registered())) {
            Err(Err(redirected)) => redirected.error,
            other => panic!("expected a redirected error, got {other:?}"),
        }
    }

    #[test]
    fn a_complete_request_goes_on() {
        let checked = check(&request(), Some(&registered())).unwrap();
        assert_eq!(checked.redirect_uri, URI);
        assert_eq!(checked.prompt, Prompt::Default);
    }

    #[test]
    fn an_unknown_service_or_redirect_uri_stops_on_a_page() {
        assert_eq!(check(&request(), None), Err(Ok(UNKNOWN_SERVICE)));
        for uri in [
            "https://service.example/retour/",
            "https://service.example/retour?x=1",
            "https://evil.example/retour",
            "https://service.example/Retour",
        ] {
            let mut request = request();
            request.redirect_uri = Some(uri.into());
            assert_eq!(
                check(&request, Some(&registered())),
                Err(Ok(UNKNOWN_REDIRECT)),
                "{uri}"
            );
        }
        let mut request = request();
        request.redirect_uri = None;
        assert_eq!(
            check(&request, Some(&registered())),
            Err(Ok(UNKNOWN_REDIRECT))
        );
    }

    #[test]
    fn pkce_s256_is_required() {
        let mut plain = request();
        plain.code_challenge_method = Some("plain".into());
        assert_eq!(redirected_error(&plain), "invalid_request");
        let mut missing = request();
        missing.code_challenge = None;
        assert_eq!(redirected_error(&missing), "invalid_request");
        let mut no_method = request();
        no_method.code_challenge_method = None;
        assert_eq!(redirected_error(&no_method), "invalid_request");
    }

    #[test]
    fn the_other_errors_go_back_to_the_service_with_its_state() {
        let mut token = request();
        token.response_type = Some("token".into());
        assert_eq!(redirected_error(&token), "unsupported_response_type");
        let mut no_openid = request();
        no_openid.scope = Some("email".into());
        assert_eq!(redirected_error(&no_openid), "invalid_scope");
        let mut odd_prompt = request();
        odd_prompt.prompt = Some("whatever".into());
        assert_eq!(redirected_error(&odd_prompt), "invalid_request");
        match check(&token, Some(&registered())) {
            Err(Err(r)) => assert_eq!(r.state.as_deref(), Some("s")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_rfc_7636_example_verifier_matches_its_challenge() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert!(pkce_matches(verifier, challenge));
        assert!(!pkce_matches(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXj",
            challenge
        ));
        assert!(!pkce_matches(challenge, challenge));
        assert!(!pkce_matches("short", challenge));
    }

    #[test]
    fn redirect_uris_are_https_or_loopback_without_fragment() {
        assert_eq!(redirect_uri_problem("https://a.example/cb"), None);
        assert_eq!(redirect_uri_problem("http://127.0.0.1:8080/cb"), None);
        assert!(redirect_uri_problem("http://a.example/cb").is_some());
        assert!(redirect_uri_problem("https://a.example/cb#x").is_some());
        assert!(redirect_uri_problem("/cb").is_some());
        assert!(redirect_uri_problem("javascript:alert(1)").is_some());
    }

    #[test]
    fn query_parameters_are_added_after_the_uris_own() {
        assert_eq!(
            with_query(
                "https://a.example/cb?x=1",
                &[("code", "a b"), ("state", "é")]
            ),
            "https://a.example/cb?x=1&code=a+b&state=%C3%A9"
        );
    }
}
