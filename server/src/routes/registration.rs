//! The registration wizard's endpoints.

use axum::extract::State;
use axum::Json;
use inscription_shared::registration::{
    ExistingAccountRequest, FirstUserRequest, Step1Request, Step1Response, Step2Response,
};
use serde::Deserialize;

use super::{ClientIp, JsonBody};
use crate::error::ApiError;
use crate::registration::{existing_account, first_user, step1, Registrar};
use crate::state::AppState;

/// What the registration use cases read of the state, at the time of this request.
pub(super) fn registrar(state: &AppState) -> Registrar<'_> {
    Registrar {
        db: &state.db,
        hasher: &state.hasher,
        captcha: &state.captcha,
        tickets: &state.tickets,
        mailer: &state.mailer,
        metrics: &state.metrics,
        penalties: &state.penalties,
        step1_batch: &state.step1_batch,
        settings: &state.settings,
        at: state.clock.now(),
    }
}

pub async fn step1(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    JsonBody(request): JsonBody<Step1Request>,
) -> Result<Json<Step1Response>, ApiError> {
    Ok(Json(step1::start(&registrar(&state), &request, ip).await?))
}

pub async fn first_user(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    JsonBody(request): JsonBody<FirstUserRequest>,
) -> Result<Json<Step2Response>, ApiError> {
    let done = first_user::register(&registrar(&state), &request, ip).await?;
    state
        .metrics
        .registrations
        .with_label_values(&["first_user"])
        .inc();
    Ok(Json(done))
}

pub async fn existing_account(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    JsonBody(request): JsonBody<ExistingAccountRequest>,
) -> Result<Json<Step2Response>, ApiError> {
    let done = existing_account::request_access(&registrar(&state), &request, ip).await?;
    state
        .metrics
        .registrations
        .with_label_values(&["existing_account"])
        .inc();
    Ok(Json(done))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct VerifyEmail {
    token: String,
}

pub async fn verify_email(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    JsonBody(request): JsonBody<VerifyEmail>,
) -> Result<(), ApiError> {
    Ok(existing_account::verify_email(&registrar(&state), &request.token, ip).await?)
}
