//! Passkeys over HTTP: adding and removing one ("Sécurité de mon compte"), and the three
//! ways of using one — the sign-in's second step, signing in with a passkey alone, and
//! proving the factor again before a sensitive action. Each is two requests: the options
//! for `navigator.credentials`, then the authenticator's answer.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use axum_extra::extract::cookie::CookieJar;
use inscription_shared::account::Me;
use inscription_shared::second_factor::{
    show_recovery, PasskeyAnswer, PasskeyOptions, RecoveryCodes,
};

use super::account::{challenge_of, opened_with_factor, person_of};
use super::{ClientIp, JsonBody};
use crate::account::passkeys::{self, Ceremony, PasskeyError, SIGN_INS_BEGUN_PER_ADDRESS};
use crate::account::second_factor;
use crate::db;
use crate::domain::AccountStatus;
use crate::error::ApiError;
use crate::rate_limit::address_key;
use crate::session::FullSession;
use crate::state::AppState;

/// Starts adding a passkey to the signed-in person's account.
pub async fn begin_registration(
    State(state): State<AppState>,
    FullSession(session): FullSession,
) -> Result<Json<PasskeyOptions>, ApiError> {
    let person = person_of(&state, session.user_id).await?;
    let options = state
        .passkeys
        .begin_registration(&state.db, &person, state.clock.now())
        .await?;
    Ok(Json(options))
}

/// Finishes adding it, under the name the person gave; answers the recovery codes given
/// with it, shown this once (none when the person has some left).
pub async fn finish_registration(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    FullSession(session): FullSession,
    JsonBody(answer): JsonBody<PasskeyAnswer>,
) -> Result<Json<RecoveryCodes>, ApiError> {
    let person = person_of(&state, session.user_id).await?;
    let (at, ip) = (state.clock.now(), ip.to_string());
    let codes = state
        .passkeys
        .finish_registration(&state.db, &person, &answer, at, &ip)
        .await?;
    let holder = crate::db::second_factor::Holder::User(session.user_id);
    db::sessions::factor_added(&state.db, holder, &session.token_hash, at).await?;
    state.mailer.send_queued();
    Ok(Json(RecoveryCodes {
        codes: codes.iter().map(|c| show_recovery(c)).collect(),
    }))
}

/// Removes one of the person's passkeys.
pub async fn remove(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    FullSession(session): FullSession,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let person = person_of(&state, session.user_id).await?;
    let (at, ip) = (state.clock.now(), ip.to_string());
    passkeys::remove(&state.db, &person, &id, at, &ip).await?;
    state.mailer.send_queued();
    Ok(StatusCode::NO_CONTENT)
}

/// The sign-in's second step with a passkey: the options for the waiting sign-in's person.
pub async fn begin_second_step(
    State(state): State<AppState>,
    jar: CookieJar,
) -> Result<Json<PasskeyOptions>, ApiError> {
    let at = state.clock.now();
    let user_id = second_factor::challenged(&state.db, &challenge_of(&state, &jar), at).await?;
    let options = state
        .passkeys
        .begin_authentication(&state.db, Some(user_id), Ceremony::SecondStep, at)
        .await?;
    Ok(Json(options))
}

/// The passkey's answer: the session opens.
pub async fn finish_second_step(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    JsonBody(answer): JsonBody<PasskeyAnswer>,
) -> Result<(CookieJar, Json<Me>), ApiError> {
    let challenge = challenge_of(&state, &jar);
    let at = state.clock.now();
    let user_id =
        second_factor::answer_with_passkey(&state.db, &state.passkeys, &challenge, &answer, at)
            .await?;
    opened_with_factor(&state, user_id, &ip.to_string(), jar).await
}

/// Signing in with a passkey alone: options that let the authenticator offer its keys.
/// Each start keeps a row until it ends, so starts are counted per address.
pub async fn begin_sign_in(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
) -> Result<Json<PasskeyOptions>, ApiError> {
    let limits = state.limits();
    limits
        .take(&SIGN_INS_BEGUN_PER_ADDRESS, &address_key(ip))
        .await?;
    let options = state
        .passkeys
        .begin_authentication(&state.db, None, Ceremony::SignIn, limits.at)
        .await?;
    Ok(Json(options))
}

/// The passkey names its person: their session opens, if their account is active.
pub async fn finish_sign_in(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    JsonBody(answer): JsonBody<PasskeyAnswer>,
) -> Result<(CookieJar, Json<Me>), ApiError> {
    let at = state.clock.now();
    let user_id = state
        .passkeys
        .finish_authentication(&state.db, None, Ceremony::SignIn, &answer, at)
        .await?;
    let active = db::administration::standing(&state.db, user_id)
        .await?
        .is_some_and(|s| s.status == AccountStatus::Active);
    if !active {
        return Err(PasskeyError::Refused.into());
    }
    opened_with_factor(&state, user_id, &ip.to_string(), jar).await
}

/// Proving the factor again with a passkey, before a sensitive action.
pub async fn begin_reauthentication(
    State(state): State<AppState>,
    FullSession(session): FullSession,
) -> Result<Json<PasskeyOptions>, ApiError> {
    let options = state
        .passkeys
        .begin_authentication(
            &state.db,
            Some(session.user_id),
            Ceremony::Reauthenticate,
            state.clock.now(),
        )
        .await?;
    Ok(Json(options))
}

pub async fn finish_reauthentication(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    FullSession(session): FullSession,
    JsonBody(answer): JsonBody<PasskeyAnswer>,
) -> Result<StatusCode, ApiError> {
    let person = person_of(&state, session.user_id).await?;
    let at = state.clock.now();
    state
        .passkeys
        .finish_authentication(
            &state.db,
            Some(session.user_id),
            Ceremony::Reauthenticate,
            &answer,
            at,
        )
        .await?;
    second_factor::proved_again(&state.db, &session.token_hash, &person, at, &ip.to_string())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
