//! The public forms beside registration: the contact form and "Pas vous ?".

use axum::extract::State;
use axum::http::StatusCode;
use inscription_shared::contact::ContactRequest;
use inscription_shared::operator::Opposition;

use super::{ClientIp, JsonBody};
use crate::error::ApiError;
use crate::state::AppState;
use crate::{contact, opposition};

pub async fn send(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    JsonBody(request): JsonBody<ContactRequest>,
) -> Result<StatusCode, ApiError> {
    contact::send(
        &state.db,
        state.limits(),
        &state.captcha,
        &state.settings,
        &state.mailer,
        &request,
        ip,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn oppose(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    JsonBody(request): JsonBody<Opposition>,
) -> Result<StatusCode, ApiError> {
    opposition::oppose(
        &state.db,
        state.limits(),
        &state.settings,
        &state.mailer,
        &request,
        ip,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
