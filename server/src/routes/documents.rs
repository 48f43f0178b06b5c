//! The documents the pages link to (`crate::documents` makes them).

use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::IntoResponse;

use crate::error::ApiError;
use crate::state::AppState;

/// The registration tutorial, as a PDF to download.
pub async fn tutorial(State(state): State<AppState>) -> Result<impl IntoResponse, ApiError> {
    let pdf = state
        .documents
        .tutorial()
        .await
        .map_err(|e| ApiError::Internal(e.into()))?;
    Ok((
        [
            (CONTENT_TYPE, "application/pdf"),
            (
                CONTENT_DISPOSITION,
                "attachment; filename=\"tutoriel-inscription.pdf\"",
            ),
            (CACHE_CONTROL, "public, max-age=86400"),
        ],
        pdf.to_vec(),
    ))
}
