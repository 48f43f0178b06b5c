//! The one place where errors become HTTP answers: a status and a French message for the
//! user; internal details go to the log, never to the page.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

/// An error as the API reports it.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("Cette adresse n’existe pas.")]
    NotFound,
    #[error(
        "Le service est momentanément indisponible. Veuillez réessayer dans quelques instants."
    )]
    Internal(#[source] anyhow::Error),
}

#[derive(Serialize)]
struct ErrorBody {
    message: String,
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        Self::Internal(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Self::Internal(e) = &self {
            tracing::error!(error = ?e, "internal error");
        }
        let body = ErrorBody {
            message: self.to_string(),
        };
        (self.status(), Json(body)).into_response()
    }
}

/// Unknown API paths answer in JSON, not with the app's `index.html`.
pub async fn api_not_found() -> ApiError {
    ApiError::NotFound
}
