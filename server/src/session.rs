//! The session cookie and the extractor that turns it into the signed-in user. Sessions
//! live in the database, so any instance serves them; the cookie is HttpOnly,
//! SameSite=Strict, and Secure when the service is reached over HTTPS.

use axum_extra::extract::cookie::{Cookie, SameSite};

use crate::domain::Purpose;

pub const COOKIE: &str = "inscription_session";
/// Over HTTPS: the browser takes this name only from this very host, over HTTPS, for the
/// whole site; a neighbouring subdomain cannot plant or shadow it.
pub const SECURE_COOKIE: &str = "__Host-inscription_session";

/// The session cookie's name: `__Host-` when served over HTTPS.
pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        SECURE_COOKIE
    } else {
        COOKIE
    }
}

/// The cookie that carries a new session's token.
pub fn cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build((cookie_name(secure), token))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .path("/")
        .build()
}

/// A sign-in waiting for its second factor: this cookie carries its challenge, never a
/// session.
pub fn challenge_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-inscription_second_factor"
    } else {
        "inscription_second_factor"
    }
}

pub fn challenge_cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build((challenge_cookie_name(secure), token))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .path("/")
        .build()
}

/// The cookie that removes the session's.
pub fn removal(secure: bool) -> Cookie<'static> {
    let mut cookie = cookie(String::new(), secure);
    cookie.make_removal();
    cookie
}

/// A valid session of an account that may act.
#[derive(Debug, Clone)]
pub struct CurrentSession {
    pub user_id: i64,
    pub purpose: Purpose,
    pub token_hash: String,
    /// When the person signed in (OpenID Connect's `auth_time`).
    pub created_at: i64,
    /// When the session last proved a second factor.
    pub factor_at: Option<i64>,
}

/// A session of an account that has chosen its password, not the activation session a
/// candidate signs in with the letter's code (which may only choose one): refused before
/// the request's body is read.
#[derive(Debug, Clone)]
pub struct FullSession(pub CurrentSession);

pub const NOT_ACTIVATED: &str =
    "Choisissez d’abord votre mot de passe\u{a0}: votre compte n’est pas encore activé.";

pub const EXPIRED: &str =
    "Votre session a expiré ou vous n’êtes pas connecté. Connectez-vous de nouveau.";
