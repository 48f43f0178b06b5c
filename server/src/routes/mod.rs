//! HTTP handlers: thin, they parse input, call a use case and shape the answer.

pub mod account;
pub mod administration;
pub mod back_office;
pub mod captcha;
pub mod contact;
pub mod documents;
pub mod endpoint;
pub mod extract;
pub mod health;
pub mod metrics;
pub mod oidc;
pub mod openapi;
pub mod passkeys;
pub mod registration;
pub mod table;

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRef, FromRequestParts};
use axum::http::request::Parts;

use crate::state::AppState;

/// The client's address: the peer's, or the one our trusted load balancers say
/// (`TRUSTED_PROXIES`, read from the right of X-Forwarded-For: see [`crate::proxies`]).
pub struct ClientIp(pub IpAddr);

impl<S> FromRequestParts<S> for ClientIp
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::from([127, 0, 0, 1]), |c| c.0.ip());
        let forwarded: Vec<&str> = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        Ok(Self(
            state.settings.trusted_proxies.client(peer, &forwarded),
        ))
    }
}

/// A JSON body; a malformed one gets a French answer like every other bad input. A NUL
/// character is refused here once for all: PostgreSQL cannot store it in text.
pub struct JsonBody<T>(pub T);

const MALFORMED: &str = "La demande est mal formée\u{a0}: rechargez la page et recommencez.";
const NUL_REFUSED: &str =
    "La demande contient un caractère nul, qui n’est accepté dans aucun champ.";

fn malformed() -> crate::error::ApiError {
    crate::error::ApiError::Invalid {
        message: MALFORMED.into(),
        fields: Vec::new(),
    }
}

fn nul_refused() -> crate::error::ApiError {
    crate::error::ApiError::Invalid {
        message: NUL_REFUSED.into(),
        fields: Vec::new(),
    }
}

impl<S, T> axum::extract::FromRequest<S> for JsonBody<T>
where
    S: Send + Sync,
    T: serde::de::DeserializeOwned,
{
    type Rejection = crate::error::ApiError;

    async fn from_request(
        request: axum::extract::Request,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let json = request
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !json {
            return Err(malformed());
        }
        let bytes = match axum::body::Bytes::from_request(request, state).await {
            Ok(bytes) => bytes,
            Err(rejection) if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(crate::error::ApiError::TooLarge)
            }
            Err(_) => return Err(malformed()),
        };
        // JSON writes a NUL only escaped.
        if bytes.windows(6).any(|w| w == b"\\u0000") {
            return Err(nul_refused());
        }
        match axum::Json::<T>::from_bytes(&bytes) {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) => {
                tracing::debug!(%rejection, "malformed request body");
                Err(malformed())
            }
        }
    }
}

/// A query string read as `T`; a malformed one, or one holding a NUL, gets a French 422.
pub struct QueryParams<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequestParts<S> for QueryParams<T> {
    type Rejection = crate::error::ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        if parts.uri.query().is_some_and(|q| q.contains("%00")) {
            return Err(nul_refused());
        }
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Self(value)),
            Err(_) => Err(crate::error::ApiError::Invalid {
                message: "Les critères de recherche sont mal formés.".into(),
                fields: Vec::new(),
            }),
        }
    }
}

/// A numeric id in the path; anything else is a French 404 like any unknown address.
pub struct PathId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for PathId {
    type Rejection = crate::error::ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<i64>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(id)) => Ok(Self(id)),
            Err(_) => Err(crate::error::ApiError::NotFound),
        }
    }
}
