//! The operators' back office: every handler takes an [`Operator`], so no establishment
//! user reaches any of them.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use inscription_shared::operator::{
    AuditEntry, AuditFilter, CandidaciesFromAddress, Changed, ClientSecret, ContactMessageView,
    DirectoryUpload, Dispatch, EmailOutbox, EstablishmentDetail, EstablishmentSummary, Handled,
    ImportReport, LetterSummary, NewServiceClient, Reason, Redesignated, SecretRotation,
    ServiceClients,
};
use serde::Deserialize;

use super::{ClientIp, JsonBody, PathId, QueryParams};
use inscription_shared::second_factor::{
    show_recovery, CodeRequest, OperatorSecurity, RecoveryCodes, TotpEnrolment,
};

use crate::account::second_factor;
use crate::back_office::{
    audit_trail, contact_messages, directory, outbox, EnrollingOperator, Operator,
};
use crate::error::ApiError;
use crate::oidc::clients::{self, NewClient, Registrar};
use crate::state::AppState;

/// A file the browser downloads or shows, never cached (it may hold a code).
fn file(content_type: &'static str, name: &str, inline: bool, bytes: Vec<u8>) -> Response {
    let disposition = format!(
        "{}; filename=\"{name}\"",
        if inline { "inline" } else { "attachment" }
    );
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

/// `status`: queued, dispatched, cancelled or all (queued when absent).
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LetterQuery {
    #[serde(default)]
    status: String,
}

pub async fn candidacies_by_address(
    State(state): State<AppState>,
    _: Operator,
) -> Result<Json<Vec<CandidaciesFromAddress>>, ApiError> {
    Ok(Json(
        outbox::candidacies_by_address(&state.db, state.clock.now()).await?,
    ))
}

pub async fn letters(
    State(state): State<AppState>,
    _: Operator,
    QueryParams(query): QueryParams<LetterQuery>,
) -> Result<Json<Vec<LetterSummary>>, ApiError> {
    Ok(Json(outbox::list(&state.db, &query.status).await?))
}

pub async fn letter_pdf(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    operator: Operator,
    PathId(id): PathId,
) -> Result<Response, ApiError> {
    let pdf = outbox::pdf(&state.db, &state.settings, &operator, id, &ip.to_string()).await?;
    Ok(file(
        "application/pdf",
        &format!("courrier-{id}.pdf"),
        true,
        pdf,
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BatchQuery {
    /// The letters shown when the batch was asked for, comma-separated; all queued if absent.
    ids: Option<String>,
}

pub async fn batch_pdf(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    operator: Operator,
    QueryParams(query): QueryParams<BatchQuery>,
) -> Result<Response, ApiError> {
    let ids: Option<Vec<i64>> = query.ids.map(|ids| {
        ids.split(',')
            .filter_map(|id| id.trim().parse().ok())
            .collect()
    });
    let pdf = outbox::batch(
        &state.db,
        &state.settings,
        &operator,
        ids.as_deref(),
        &ip.to_string(),
    )
    .await?;
    Ok(file("application/pdf", "courriers.pdf", false, pdf))
}

pub async fn dispatch(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    operator: Operator,
    JsonBody(body): JsonBody<Dispatch>,
) -> Result<Json<Changed>, ApiError> {
    operator.fresh(&state.settings, state.clock.now())?;
    let count = outbox::dispatch(&state.db, &operator, &body.ids, &ip.to_string()).await?;
    Ok(Json(Changed { count }))
}

pub async fn resend(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    operator: Operator,
    PathId(id): PathId,
) -> Result<Json<Changed>, ApiError> {
    outbox::resend(
        &state.db,
        &state.hasher,
        &state.settings,
        state.clock.now(),
        &operator,
        id,
        &ip.to_string(),
    )
    .await?;
    Ok(Json(Changed { count: 1 }))
}

pub async fn cancel(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    operator: Operator,
    PathId(id): PathId,
    JsonBody(body): JsonBody<Reason>,
) -> Result<StatusCode, ApiError> {
    outbox::cancel(
        &state.db,
        &state.settings,
        &state.mailer,
        &operator,
        id,
        &body.reason,
        &ip.to_string(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Erases a person's data on their request (RGPD article 17).
pub async fn erase_person(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    operator: Operator,
    PathId(id): PathId,
    JsonBody(body): JsonBody<Reason>,
) -> Result<StatusCode, ApiError> {
    let actor = operator.actor();
    crate::my_data::erase_on_request(
        &state.db,
        &state.settings,
        &actor,
        id,
        &body.reason,
        &ip.to_string(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `q`: the start of a client number, or words of the name.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

pub async fn search(
    State(state): State<AppState>,
    _: Operator,
    QueryParams(query): QueryParams<SearchQuery>,
) -> Result<Json<Vec<EstablishmentSummary>>, ApiError> {
    Ok(Json(directory::search(&state.db, &query.q).await?))
}

pub async fn establishment(
    State(state): State<AppState>,
    _: Operator,
    PathId(id): PathId,
) -> Result<Json<EstablishmentDetail>, ApiError> {
    Ok(Json(directory::detail(&state.db, id).await?))
}

pub async fn import(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    operator: Operator,
    JsonBody(body): JsonBody<DirectoryUpload>,
) -> Result<Json<ImportReport>, ApiError> {
    Ok(Json(
        directory::import(&state.db, &operator, &body.content, &ip.to_string()).await?,
    ))
}

pub async fn redesignate(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    operator: Operator,
    PathId(id): PathId,
    JsonBody(body): JsonBody<Reason>,
) -> Result<Json<Redesignated>, ApiError> {
    operator.fresh(&state.settings, state.clock.now())?;
    Ok(Json(
        directory::redesignate(
            &state.db,
            &state.settings,
            &state.mailer,
            &operator,
            id,
            &body.reason,
            &ip.to_string(),
        )
        .await?,
    ))
}

pub async fn audit(
    State(state): State<AppState>,
    _: Operator,
    QueryParams(filter): QueryParams<AuditFilter>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    Ok(Json(
        audit_trail::list(&state.db, &state.settings.lender, &filter).await?,
    ))
}

pub async fn audit_csv(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    operator: Operator,
    QueryParams(filter): QueryParams<AuditFilter>,
) -> Result<Response, ApiError> {
    operator.fresh(&state.settings, state.clock.now())?;
    let csv = audit_trail::export(
        &state.db,
        &state.settings.lender,
        &operator,
        &filter,
        &ip.to_string(),
    )
    .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"journal-audit.csv\"",
            ),
        ],
        axum::body::Body::from_stream(csv),
    )
        .into_response())
}

pub async fn messages(
    State(state): State<AppState>,
    _: Operator,
) -> Result<Json<Vec<ContactMessageView>>, ApiError> {
    Ok(Json(contact_messages::list(&state.db).await?))
}

pub async fn message_handled(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    operator: Operator,
    PathId(id): PathId,
    JsonBody(body): JsonBody<Handled>,
) -> Result<StatusCode, ApiError> {
    contact_messages::set_handled(&state.db, &operator, id, body.handled, &ip.to_string()).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn emails(
    State(state): State<AppState>,
    _: Operator,
) -> Result<Json<EmailOutbox>, ApiError> {
    Ok(Json(
        contact_messages::emails(&state.db, &state.mailer).await?,
    ))
}

/// The services that sign people in through the portal.
pub async fn service_clients(
    State(state): State<AppState>,
    _: Operator,
) -> Result<Json<ServiceClients>, ApiError> {
    Ok(Json(clients::listing(&state.db).await?))
}

fn registrar(operator: &Operator, ip: std::net::IpAddr) -> Registrar {
    Registrar {
        actor: format!("operator:{}", operator.id),
        ip: ip.to_string(),
    }
}

/// Registers a service; its secret is in the answer, this once.
pub async fn register_service_client(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    operator: Operator,
    JsonBody(body): JsonBody<NewServiceClient>,
) -> Result<Json<ClientSecret>, ApiError> {
    let client = NewClient {
        client_id: body.client_id,
        name: body.name,
        service_code: body.service_code,
        redirect_uris: body.redirect_uris,
        post_logout_redirect_uris: body.post_logout_redirect_uris,
        public: body.public,
    };
    let at = state.clock.now();
    let secret = clients::register(&state.db, &client, at, &registrar(&operator, ip)).await?;
    let client_id = client.client_id.trim().to_owned();
    Ok(Json(ClientSecret { client_id, secret }))
}

/// A new secret for a confidential service; the old one stops at once.
pub async fn rotate_client_secret(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    operator: Operator,
    JsonBody(body): JsonBody<SecretRotation>,
) -> Result<Json<ClientSecret>, ApiError> {
    let at = state.clock.now();
    let by = registrar(&operator, ip);
    let secret = clients::rotate_secret(&state.db, &body.client_id, at, &by).await?;
    Ok(Json(ClientSecret {
        client_id: body.client_id,
        secret: Some(secret),
    }))
}

/// Forgets a person's second factor (an administrator's lost phone).
pub async fn reset_second_factor(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    operator: Operator,
    PathId(id): PathId,
) -> Result<StatusCode, ApiError> {
    let (lender, at) = (&state.settings.lender, state.clock.now());
    crate::back_office::second_factor::reset(&state.db, lender, &operator, id, at, &ip.to_string())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Where the operator's second factor stands: without one, the back office offers only
/// adding it.
pub async fn security(
    State(state): State<AppState>,
    enrolling: EnrollingOperator,
) -> Result<Json<OperatorSecurity>, ApiError> {
    let operator = &enrolling.operator;
    let holder = operator.holder();
    Ok(Json(OperatorSecurity {
        totp: enrolling.has_factor,
        recovery_codes_left: crate::db::second_factor::recovery_codes_left(&state.db, holder)
            .await?,
        session_proved: operator.factor_at.is_some(),
        proof_fresh: enrolling.has_factor
            && operator.fresh(&state.settings, state.clock.now()).is_ok(),
    }))
}

/// Starts adding the operator's one-time code app: its secret and QR code.
pub async fn start_totp(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    enrolling: EnrollingOperator,
) -> Result<Json<TotpEnrolment>, ApiError> {
    let person = enrolling.operator.person();
    let (issuer, at) = (&state.settings.lender.name, state.clock.now());
    let enrolment = second_factor::start(&state.db, &person, issuer, at, &ip.to_string()).await?;
    Ok(Json(enrolment))
}

/// Confirms the operator's app with a code it shows; answers the recovery codes, this
/// once. The session has proved the factor by adding it: the back office opens.
pub async fn confirm_totp(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    enrolling: EnrollingOperator,
    JsonBody(request): JsonBody<CodeRequest>,
) -> Result<Json<RecoveryCodes>, ApiError> {
    let operator = enrolling.operator;
    let (issuer, at, ip) = (
        &state.settings.lender.name,
        state.clock.now(),
        ip.to_string(),
    );
    let codes = second_factor::confirm(
        &state.db,
        &operator.person(),
        &request.code,
        issuer,
        at,
        &ip,
    )
    .await?;
    let (db, hash) = (&state.db, &operator.session_hash);
    crate::db::sessions::factor_added(db, operator.holder(), hash, at).await?;
    state.mailer.send_queued();
    Ok(Json(RecoveryCodes {
        codes: codes.iter().map(|c| show_recovery(c)).collect(),
    }))
}

/// Proves the operator's factor again: before a sensitive action, or in a session opened
/// with the password alone before the factor was added.
pub async fn reauthenticate(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    EnrollingOperator { operator, .. }: EnrollingOperator,
    JsonBody(request): JsonBody<CodeRequest>,
) -> Result<StatusCode, ApiError> {
    let (limits, ip) = (state.limits(), ip.to_string());
    let (hash, person) = (&operator.session_hash, operator.person());
    second_factor::reauthenticate(&limits, hash, &person, &request.code, &ip).await?;
    Ok(StatusCode::NO_CONTENT)
}
