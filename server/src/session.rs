//! The session cookie and the extractor that turns it into the signed-in user. Sessions
//! live in the database, so any instance serves them; the cookie is HttpOnly,
//! SameSite=Strict, and Secure when the service is reached over HTTPS.

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};

use crate::account::{token_hash, Purpose};
use crate::db;
use crate::error::ApiError;
use crate::state::AppState;

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
}

/// A session of an account that has chosen its password, not the activation session a
/// candidate signs in with the letter's code (which may only choose one): refused before
/// the request's body is read.
#[derive(Debug, Clone)]
pub struct FullSession(pub CurrentSession);

pub const NOT_ACTIVATED: &str =
    "Choisissez d’abord votre mot de passe\u{a0}: votre compte n’est pas encore activé.";

impl<S> FromRequestParts<S> for FullSession
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let session = CurrentSession::from_request_parts(parts, state).await?;
        match session.purpose {
            Purpose::Full => Ok(Self(session)),
            Purpose::Activation => Err(ApiError::Forbidden(NOT_ACTIVATED.into())),
        }
    }
}

pub const EXPIRED: &str =
    "Votre session a expiré ou vous n’êtes pas connecté. Connectez-vous de nouveau.";

/// The hash of the session cookie's token (what the session tables keep); 401 without one.
pub fn cookie_token_hash(parts: &Parts, secure: bool) -> Result<String, ApiError> {
    CookieJar::from_headers(&parts.headers)
        .get(cookie_name(secure))
        .map(|c| c.value())
        .filter(|token| !token.is_empty())
        .map(token_hash)
        .ok_or_else(|| ApiError::Unauthorized(EXPIRED.into()))
}

impl<S> FromRequestParts<S> for CurrentSession
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let hash = cookie_token_hash(parts, state.settings.secure_cookies)?;
        let row = db::sessions::find(&state.db, &hash)
            .await?
            .ok_or_else(|| ApiError::Unauthorized(EXPIRED.into()))?;
        // The application's clock, which tests move instead of sleeping.
        let at = state.clock.now();
        let expired = state
            .settings
            .session_expired(row.created_at, row.last_seen_at, at)
            || !row.user_status.may_have_a_session();
        if expired {
            db::sessions::delete(&state.db, &hash).await?;
            return Err(ApiError::Unauthorized(EXPIRED.into()));
        }
        // Writing on every request costs; once a minute keeps the idle timeout exact enough.
        if at - row.last_seen_at >= 60 {
            db::sessions::touch(&state.db, &hash, at).await?;
        }
        Ok(Self {
            user_id: row.user_id,
            purpose: row.purpose,
            token_hash: hash,
        })
    }
}
