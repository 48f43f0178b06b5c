//! The CAPTCHA widget's configuration and the self-hosted challenges.

use axum::extract::State;
use axum::Json;

use crate::captcha::{Captcha, WidgetConfig};
use crate::error::ApiError;
use crate::startup::AppState;

/// Which provider the page must show.
pub async fn config(State(state): State<AppState>) -> Json<WidgetConfig> {
    Json(state.captcha.widget_config())
}

/// A fresh proof-of-work challenge (only with the self-hosted provider).
pub async fn challenge(State(state): State<AppState>) -> Result<Json<altcha::Challenge>, ApiError> {
    match &state.captcha {
        Captcha::Altcha(altcha) => Ok(Json(altcha.challenge()?)),
        Captcha::Recaptcha(_) => Err(ApiError::NotFound),
    }
}
