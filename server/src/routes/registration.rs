//! The registration wizard's endpoints.

use axum::extract::State;
use axum::Json;
use inscription_shared::registration::{
    ExistingAccountRequest, FirstUserRequest, Step1Request, Step1Response, Step2Response,
};
use serde::Deserialize;

use super::{ClientIp, JsonBody};
use crate::error::ApiError;
use crate::registration::{existing_account, first_user, step1};
use crate::state::AppState;

pub async fn step1(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    JsonBody(request): JsonBody<Step1Request>,
) -> Result<Json<Step1Response>, ApiError> {
    Ok(Json(step1::start(&state, &request, ip).await?))
}

pub async fn first_user(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    JsonBody(request): JsonBody<FirstUserRequest>,
) -> Result<Json<Step2Response>, ApiError> {
    let done = first_user::register(&state, &request, ip).await?;
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
    let done = existing_account::request_access(&state, &request, ip).await?;
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
    Ok(existing_account::verify_email(&state, &request.token, ip).await?)
}
