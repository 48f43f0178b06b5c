//! The CAPTCHA widget's configuration and the self-hosted challenges.

use axum::extract::State;
use axum::Json;

use crate::captcha::{Captcha, WidgetConfig};
use crate::error::ApiError;
use crate::registration::step1;
use crate::routes::ClientIp;
use crate::state::AppState;

/// Which provider the page must show.
pub async fn config(State(state): State<AppState>) -> Json<WidgetConfig> {
    Json(state.captcha.widget_config())
}

/// A fresh proof-of-work challenge (only with the self-hosted provider), harder for an
/// address that has tried step 1 many times lately.
pub async fn challenge(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
) -> Result<Json<altcha::Challenge>, ApiError> {
    match &state.captcha {
        Captcha::Altcha(altcha) => {
            let extra =
                step1::extra_difficulty(&super::registration::registrar(&state), ip).await?;
            Ok(Json(altcha.challenge(extra)?))
        }
        Captcha::Recaptcha(_) => Err(ApiError::NotFound),
    }
}
