//! The extractors that turn a request's session cookie into who is calling: an
//! establishment's account (any session, or a full one), one of its administrators, or an
//! operator. One session check serves users and operators alike (the idle and absolute
//! timeouts of `Settings::session_expired`); the use cases receive the result and never
//! see HTTP.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum_extra::extract::cookie::CookieJar;

use crate::account::token_hash;
use crate::administration::{Administrator, ADMINISTRATORS_ONLY};
use crate::back_office::{EnrollingOperator, Operator, FACTOR_OWED, OPERATORS_ONLY};
use crate::db;
use crate::db::administration::Actor;
use crate::domain::Purpose;
use crate::error::ApiError;
use crate::session::{cookie_name, CurrentSession, FullSession, EXPIRED, NOT_ACTIVATED};
use crate::state::AppState;
use inscription_shared::second_factor::REAUTHENTICATE;

/// The hash of the session cookie's token (what the session tables keep); 401 without one.
pub fn cookie_token_hash(parts: &Parts, secure: bool) -> Result<String, ApiError> {
    CookieJar::from_headers(&parts.headers)
        .get(cookie_name(secure))
        .map(|c| c.value())
        .filter(|token| !token.is_empty())
        .map(token_hash)
        .ok_or_else(|| ApiError::Unauthorized(EXPIRED.into()))
}

/// The two kinds of sessions, kept apart in the database.
#[derive(Debug, Clone, Copy)]
enum Sessions {
    Users,
    Operators,
}

/// The one session check of users and operators: a session past its idle or absolute
/// timeout (or of an account that can no longer use one) ends, 401; one last used more
/// than a minute ago is marked used now. `times`: (created at, last used at).
async fn keep_alive(
    state: &AppState,
    sessions: Sessions,
    hash: &str,
    (created_at, last_seen_at): (i64, i64),
    usable: bool,
) -> Result<(), ApiError> {
    // The application's clock, which tests move instead of sleeping.
    let at = state.clock.now();
    if !usable || state.settings.session_expired(created_at, last_seen_at, at) {
        match sessions {
            Sessions::Users => db::sessions::delete(&state.db, hash).await?,
            Sessions::Operators => db::operators::delete_session(&state.db, hash).await?,
        }
        return Err(ApiError::Unauthorized(EXPIRED.into()));
    }
    // Writing on every request costs; once a minute keeps the idle timeout exact enough.
    if at - last_seen_at >= 60 {
        match sessions {
            Sessions::Users => db::sessions::touch(&state.db, hash, at).await?,
            Sessions::Operators => db::operators::touch_session(&state.db, hash, at).await?,
        }
    }
    Ok(())
}

impl FromRequestParts<AppState> for CurrentSession {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let hash = cookie_token_hash(parts, state.settings.secure_cookies)?;
        let row = db::sessions::find(&state.db, &hash)
            .await?
            .ok_or_else(|| ApiError::Unauthorized(EXPIRED.into()))?;
        let times = (row.created_at, row.last_seen_at);
        let usable = row.user_status.may_have_a_session();
        keep_alive(state, Sessions::Users, &hash, times, usable).await?;
        Ok(Self {
            user_id: row.user_id,
            purpose: row.purpose,
            token_hash: hash,
            created_at: row.created_at,
            factor_at: row.factor_at,
        })
    }
}

impl FromRequestParts<AppState> for FullSession {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let session = CurrentSession::from_request_parts(parts, state).await?;
        match session.purpose {
            Purpose::Full => Ok(Self(session)),
            Purpose::Activation => Err(ApiError::Forbidden(NOT_ACTIVATED.into())),
        }
    }
}

impl FromRequestParts<AppState> for Administrator {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let session = CurrentSession::from_request_parts(parts, state).await?;
        let standing = db::administration::standing(&state.db, session.user_id).await?;
        match standing {
            Some(standing)
                if session.purpose == Purpose::Full
                    && standing.role.administers(standing.status) =>
            {
                Ok(Self(Actor {
                    user_id: session.user_id,
                    establishment_id: standing.establishment_id,
                }))
            }
            _ => Err(ApiError::Forbidden(ADMINISTRATORS_ONLY.into())),
        }
    }
}

impl FromRequestParts<AppState> for Operator {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let enrolling = EnrollingOperator::from_request_parts(parts, state).await?;
        if !enrolling.has_factor {
            return Err(ApiError::Forbidden(FACTOR_OWED.into()));
        }
        // A session opened with the password alone before the factor was added (in another
        // browser) proves it first.
        if enrolling.operator.factor_at.is_none() {
            return Err(ApiError::Forbidden(REAUTHENTICATE.into()));
        }
        Ok(enrolling.operator)
    }
}

impl FromRequestParts<AppState> for EnrollingOperator {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let hash = cookie_token_hash(parts, state.settings.secure_cookies)?;
        let Some(row) = db::operators::find_session(&state.db, &hash).await? else {
            // An establishment's user is told plainly that this is not for them.
            return Err(match db::sessions::find(&state.db, &hash).await? {
                Some(_) => ApiError::Forbidden(OPERATORS_ONLY.into()),
                None => ApiError::Unauthorized(EXPIRED.into()),
            });
        };
        let times = (row.created_at, row.last_seen_at);
        keep_alive(state, Sessions::Operators, &hash, times, true).await?;
        Ok(Self {
            operator: Operator {
                id: row.operator_id,
                email: row.email,
                name: row.name,
                factor_at: row.factor_at,
                session_hash: hash,
            },
            has_factor: row.has_factor,
        })
    }
}
