//! The administrators' console and "Mes habilitations".

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use inscription_shared::administration::{
    Console, MyRights, Refusal, RightsUpdate, RoleUpdate, StatusUpdate,
};

use super::{ClientIp, JsonBody, PathId};
use crate::administration::{self, Administrator};
use crate::domain::Change;
use crate::error::ApiError;
use crate::session::{CurrentSession, FullSession};
use crate::state::AppState;

pub async fn console(
    State(state): State<AppState>,
    admin: Administrator,
) -> Result<Json<Console>, ApiError> {
    Ok(Json(administration::console(&state.db, admin).await?))
}

/// Applies the change, once the session has proved a fresh second factor if it must.
async fn apply(
    state: &AppState,
    admin: Administrator,
    factor_at: Option<i64>,
    id: i64,
    change: Change,
    ip: std::net::IpAddr,
) -> Result<StatusCode, ApiError> {
    let (db, settings, mailer) = (&state.db, &state.settings, &state.mailer);
    let at = state.clock.now();
    administration::check_fresh_factor(db, settings, admin, &change, factor_at, at).await?;
    administration::change(db, settings, mailer, admin, id, change, &ip.to_string()).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn validate(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    admin: Administrator,
    session: CurrentSession,
    PathId(id): PathId,
    JsonBody(body): JsonBody<RightsUpdate>,
) -> Result<StatusCode, ApiError> {
    apply(
        &state,
        admin,
        session.factor_at,
        id,
        Change::Validate {
            services: body.services,
        },
        ip,
    )
    .await
}

pub async fn refuse(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    admin: Administrator,
    session: CurrentSession,
    PathId(id): PathId,
    JsonBody(body): JsonBody<Refusal>,
) -> Result<StatusCode, ApiError> {
    let refuse = Change::Refuse {
        reason: body.reason,
    };
    apply(&state, admin, session.factor_at, id, refuse, ip).await
}

pub async fn rights(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    admin: Administrator,
    session: CurrentSession,
    PathId(id): PathId,
    JsonBody(body): JsonBody<RightsUpdate>,
) -> Result<StatusCode, ApiError> {
    apply(
        &state,
        admin,
        session.factor_at,
        id,
        Change::SetRights {
            services: body.services,
        },
        ip,
    )
    .await
}

pub async fn role(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    admin: Administrator,
    session: CurrentSession,
    PathId(id): PathId,
    JsonBody(body): JsonBody<RoleUpdate>,
) -> Result<StatusCode, ApiError> {
    apply(
        &state,
        admin,
        session.factor_at,
        id,
        Change::SetAdministrator(body.administrator),
        ip,
    )
    .await
}

pub async fn status(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    admin: Administrator,
    session: CurrentSession,
    PathId(id): PathId,
    JsonBody(body): JsonBody<StatusUpdate>,
) -> Result<StatusCode, ApiError> {
    apply(
        &state,
        admin,
        session.factor_at,
        id,
        Change::SetEnabled(body.enabled),
        ip,
    )
    .await
}

/// Forgets a user's second factor (a lost phone).
pub async fn reset_second_factor(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    admin: Administrator,
    session: CurrentSession,
    PathId(id): PathId,
) -> Result<StatusCode, ApiError> {
    apply(
        &state,
        admin,
        session.factor_at,
        id,
        Change::ResetSecondFactor,
        ip,
    )
    .await
}

pub async fn my_rights(
    State(state): State<AppState>,
    session: FullSession,
) -> Result<Json<MyRights>, ApiError> {
    Ok(Json(administration::my_rights(&state.db, &session).await?))
}
