//! Sign-in, sign-out, who is signed in, and activation.

use axum::extract::State;
use axum::http::header::{HeaderName, CONTENT_DISPOSITION};
use axum::http::StatusCode;
use axum::Json;
use axum_extra::extract::cookie::CookieJar;
use inscription_shared::account::{
    ActivationRequest, ForgottenPassword, Me, PasswordReset, Role, SignInRequest, RESET_LINK_SENT,
};

use inscription_shared::my_data::{Correction, MyData};
use inscription_shared::second_factor::{
    show_recovery, CodeRequest, RecoveryCodes, Security, TotpEnrolment,
};

use super::{ClientIp, JsonBody, QueryParams};
use crate::account::sign_in::SignedInAccount;
use crate::account::{activation, passkeys, password_reset, second_factor, sign_in, token_hash};
use crate::back_office::EnrollingOperator;
use crate::db;
use crate::db::second_factor::Holder;
use crate::domain::Purpose;
use crate::error::ApiError;
use crate::my_data;
use crate::session::{self, CurrentSession, FullSession, EXPIRED};
use crate::state::AppState;

pub(super) async fn me_of(
    state: &AppState,
    user_id: i64,
    purpose: Purpose,
) -> Result<Me, ApiError> {
    let profile = db::accounts::profile(&state.db, user_id)
        .await?
        .ok_or_else(|| ApiError::Unauthorized(EXPIRED.into()))?;
    Ok(Me {
        civility: profile.civility,
        first_name: profile.first_name,
        last_name: profile.last_name,
        email: profile.email,
        establishment_name: profile.establishment_name,
        role: profile.role.into(),
        must_choose_password: purpose == Purpose::Activation,
        code_failures: if purpose == Purpose::Activation {
            db::accounts::temporary_failures(&state.db, user_id).await?
        } else {
            0
        },
        second_factor_required: false,
        second_factor_passkey: false,
        second_factor_code: false,
    })
}

/// An operator, as "who is signed in" tells the page: no establishment.
async fn operator_me(state: &AppState, id: i64) -> Result<Me, ApiError> {
    let operator = db::operators::by_id(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::Unauthorized(EXPIRED.into()))?;
    Ok(Me {
        civility: String::new(),
        first_name: operator.name,
        last_name: String::new(),
        email: operator.email,
        establishment_name: format!("Opérateur — {}", state.settings.lender.name),
        role: Role::Operator,
        must_choose_password: false,
        code_failures: 0,
        second_factor_required: false,
        second_factor_passkey: false,
        second_factor_code: false,
    })
}

pub async fn sign_in(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    JsonBody(request): JsonBody<SignInRequest>,
) -> Result<(CookieJar, Json<Me>), ApiError> {
    let parts = sign_in::SignInParts {
        db: &state.db,
        hasher: &state.hasher,
        captcha: &state.captcha,
        limits: state.limits(),
    };
    let signed_in = sign_in::sign_in(&parts, &request, ip).await?;
    let secure = state.settings.secure_cookies;
    let me = match signed_in.account {
        SignedInAccount::User { id, purpose } => me_of(&state, id, purpose).await?,
        SignedInAccount::Operator { id } => operator_me(&state, id).await?,
        SignedInAccount::AwaitingSecondFactor { holder } => {
            let mut me = match holder {
                Holder::User(id) => me_of(&state, id, Purpose::Full).await?,
                Holder::Operator(id) => operator_me(&state, id).await?,
            };
            me.second_factor_required = true;
            me.second_factor_code = second_factor::has_codes(&state.db, holder).await?;
            me.second_factor_passkey = match holder.user() {
                Some(id) => passkeys::held(&state.db, id).await?,
                None => false,
            };
            let jar = jar.add(session::challenge_cookie(signed_in.token, secure));
            return Ok((jar, Json(me)));
        }
    };
    let jar = jar.add(session::cookie(signed_in.token, secure));
    Ok((jar, Json(me)))
}

/// The sign-in's second step: the code of the person's app, or a recovery code.
pub async fn second_factor(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    JsonBody(request): JsonBody<CodeRequest>,
) -> Result<(CookieJar, Json<Me>), ApiError> {
    let challenge = challenge_of(&state, &jar);
    let limits = state.limits();
    match second_factor::answer(&limits, &challenge, &request.code).await? {
        Holder::User(id) => opened_with_factor(&state, id, &ip.to_string(), jar).await,
        Holder::Operator(id) => {
            let (at, ip) = (state.clock.now(), ip.to_string());
            let token = sign_in::open_operator_session(&state.db, id, at, true, &ip).await?;
            let me = operator_me(&state, id).await?;
            Ok((with_session(&state, jar, token), Json(me)))
        }
    }
}

/// The jar with the new session's cookie, and the sign-in's challenge removed.
fn with_session(state: &AppState, jar: CookieJar, token: String) -> CookieJar {
    let secure = state.settings.secure_cookies;
    let mut removal = session::challenge_cookie(String::new(), secure);
    removal.make_removal();
    jar.add(session::cookie(token, secure)).add(removal)
}

/// The sign-in's challenge, from its cookie (empty when there is none).
pub(super) fn challenge_of(state: &AppState, jar: &CookieJar) -> String {
    jar.get(session::challenge_cookie_name(
        state.settings.secure_cookies,
    ))
    .map(|c| c.value().to_owned())
    .unwrap_or_default()
}

/// Opens the session of a person who proved their second factor (a code or a passkey):
/// its cookie, the challenge's removed, and who is signed in.
pub(super) async fn opened_with_factor(
    state: &AppState,
    user_id: i64,
    ip: &str,
    jar: CookieJar,
) -> Result<(CookieJar, Json<Me>), ApiError> {
    let standing = db::administration::standing(&state.db, user_id)
        .await?
        .ok_or_else(|| ApiError::Unauthorized(EXPIRED.into()))?;
    let opened = sign_in::Opened {
        user_id,
        establishment_id: standing.establishment_id,
        purpose: Purpose::Full,
        second_factor: true,
    };
    let token = sign_in::open_session(&state.db, &opened, state.clock.now(), ip).await?;
    let me = me_of(state, user_id, Purpose::Full).await?;
    Ok((with_session(state, jar, token), Json(me)))
}

/// Proves the second factor again, before a sensitive action.
pub async fn reauthenticate(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    FullSession(session): FullSession,
    JsonBody(request): JsonBody<CodeRequest>,
) -> Result<StatusCode, ApiError> {
    let person = person_of(&state, session.user_id).await?;
    let (limits, ip) = (state.limits(), ip.to_string());
    second_factor::reauthenticate(&limits, &session.token_hash, &person, &request.code, &ip)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Where the person's second factor stands.
pub async fn security(
    State(state): State<AppState>,
    FullSession(session): FullSession,
) -> Result<Json<Security>, ApiError> {
    Ok(Json(
        second_factor::security(&state.db, session.user_id).await?,
    ))
}

/// The person of a session, as the second factor's use cases name them.
pub(super) async fn person_of(
    state: &AppState,
    user_id: i64,
) -> Result<second_factor::Person, ApiError> {
    let profile = db::accounts::profile(&state.db, user_id)
        .await?
        .ok_or_else(|| ApiError::Unauthorized(EXPIRED.into()))?;
    let standing = db::administration::standing(&state.db, user_id)
        .await?
        .ok_or_else(|| ApiError::Unauthorized(EXPIRED.into()))?;
    Ok(second_factor::Person {
        holder: Holder::User(user_id),
        email: profile.email,
        establishment_id: Some(standing.establishment_id),
    })
}

/// Starts adding a one-time code app: its secret and the address the page draws as a QR code.
pub async fn start_totp(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    FullSession(session): FullSession,
) -> Result<Json<TotpEnrolment>, ApiError> {
    let person = person_of(&state, session.user_id).await?;
    let issuer = &state.settings.lender.name;
    let at = state.clock.now();
    let enrolment = second_factor::start(&state.db, &person, issuer, at, &ip.to_string()).await?;
    Ok(Json(enrolment))
}

/// Confirms the app with a code it shows; answers the recovery codes, this once.
pub async fn confirm_totp(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    FullSession(session): FullSession,
    JsonBody(request): JsonBody<CodeRequest>,
) -> Result<Json<RecoveryCodes>, ApiError> {
    let person = person_of(&state, session.user_id).await?;
    let issuer = &state.settings.lender.name;
    let at = state.clock.now();
    let codes = second_factor::confirm(
        &state.db,
        &person,
        &request.code,
        issuer,
        at,
        &ip.to_string(),
    )
    .await?;
    db::sessions::factor_added(
        &state.db,
        Holder::User(session.user_id),
        &session.token_hash,
        at,
    )
    .await?;
    state.mailer.send_queued();
    Ok(Json(RecoveryCodes {
        codes: codes.iter().map(|c| show_recovery(c)).collect(),
    }))
}

pub async fn sign_out(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
) -> Result<(CookieJar, StatusCode), ApiError> {
    if let Some(cookie) = jar.get(session::cookie_name(state.settings.secure_cookies)) {
        let hash = token_hash(cookie.value());
        db::sessions::sign_out(&state.db, &hash, &ip.to_string(), state.clock.now()).await?;
    }
    let jar = jar.add(session::removal(state.settings.secure_cookies));
    Ok((jar, StatusCode::NO_CONTENT))
}

pub async fn me(
    State(state): State<AppState>,
    operator: Result<EnrollingOperator, ApiError>,
    session: Result<CurrentSession, ApiError>,
) -> Result<Json<Me>, ApiError> {
    if let Ok(enrolling) = operator {
        return Ok(Json(operator_me(&state, enrolling.operator.id).await?));
    }
    let session = session?;
    Ok(Json(me_of(&state, session.user_id, session.purpose).await?))
}

pub async fn activate(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    session: CurrentSession,
    jar: CookieJar,
    JsonBody(request): JsonBody<ActivationRequest>,
) -> Result<(CookieJar, Json<Me>), ApiError> {
    let token = activation::activate(
        &state.db,
        &state.hasher,
        state.clock.now(),
        &session,
        &request,
        ip,
    )
    .await?;
    let me = me_of(&state, session.user_id, Purpose::Full).await?;
    let jar = jar.add(session::cookie(token, state.settings.secure_cookies));
    Ok((jar, Json(me)))
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Message {
    message: &'static str,
}

pub async fn forgotten_password(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    JsonBody(request): JsonBody<ForgottenPassword>,
) -> Result<Json<Message>, ApiError> {
    password_reset::send_link(
        &state.db,
        state.limits(),
        &state.settings,
        &state.mailer,
        &request,
        ip,
    )
    .await?;
    Ok(Json(Message {
        message: RESET_LINK_SENT,
    }))
}

pub async fn reset_password(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    JsonBody(request): JsonBody<PasswordReset>,
) -> Result<StatusCode, ApiError> {
    password_reset::reset(&state.db, &state.hasher, state.clock.now(), &request, ip).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `telechargement`: the person downloads the file (audited), rather than the page
/// showing it.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DataQuery {
    telechargement: Option<String>,
}

/// Everything kept about the signed-in person, as JSON; a link to it downloads the file.
pub async fn my_data(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    session: FullSession,
    QueryParams(query): QueryParams<DataQuery>,
) -> Result<([(HeaderName, &'static str); 1], Json<MyData>), ApiError> {
    let downloaded_from = query.telechargement.map(|_| ip.to_string());
    let data = my_data::export(&state.db, &session, downloaded_from.as_deref()).await?;
    Ok((
        [(
            CONTENT_DISPOSITION,
            "attachment; filename=\"mes-donnees.json\"",
        )],
        Json(data),
    ))
}

/// Corrects the signed-in person's identity.
pub async fn correct(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    session: FullSession,
    JsonBody(correction): JsonBody<Correction>,
) -> Result<StatusCode, ApiError> {
    my_data::correct(&state.db, &session, &correction, &ip.to_string()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Closes the signed-in person's account: their data is erased and the session ends.
pub async fn close(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    session: FullSession,
    jar: CookieJar,
) -> Result<(CookieJar, StatusCode), ApiError> {
    my_data::close(&state.db, &state.settings, &session, &ip.to_string()).await?;
    let jar = jar.add(session::removal(state.settings.secure_cookies));
    Ok((jar, StatusCode::NO_CONTENT))
}
