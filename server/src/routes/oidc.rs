//! The OpenID Connect endpoints (PRODUCT.md §11; use cases in `crate::oidc`): discovery,
//! keys, authorization, token, userinfo and logout. Outside `/api`: services call them
//! from their servers and send browsers to them, with the protocol's own error shapes.

use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Form, Query, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{StatusCode, Uri};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use axum_extra::extract::cookie::CookieJar;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use inscription_shared::pages::Page;
use serde_json::json;

use super::ClientIp;
use crate::domain::Purpose;
use crate::error::ApiError;
use crate::oidc::flow::{
    self, Authorization, ClientAuthentication, LogoutRequest, Parts, PortalSession, Refusal,
    TokenError, TokenRequest,
};
use crate::oidc::keys;
use crate::oidc::protocol::{with_query, AuthorizationRequest};
use crate::session::{self, CurrentSession};
use crate::state::AppState;
use crate::static_files::escape;

pub const AUTHORIZE: &str = inscription_shared::pages::OIDC_AUTHORIZE;
pub const TOKEN: &str = "/oidc/token";
pub const USERINFO: &str = "/oidc/userinfo";
pub const JWKS: &str = "/oidc/jwks";
pub const LOGOUT: &str = "/oidc/logout";
pub const DISCOVERY: &str = "/.well-known/openid-configuration";

pub fn router() -> Router<AppState> {
    // What a service running in the browser (a public client) calls from its own origin:
    // none of these reads a cookie, so any origin may, without credentials.
    let cors = tower_http::cors::CorsLayer::new()
        .allow_origin(tower_http::cors::Any)
        .allow_methods([axum::http::Method::GET, axum::http::Method::POST])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE]);
    let called_by_services = Router::new()
        .route(DISCOVERY, get(discovery))
        .route(JWKS, get(jwks))
        .route(TOKEN, axum::routing::post(token))
        .route(USERINFO, get(userinfo).post(userinfo))
        .layer(cors);
    // Where browsers are sent, with the portal's session: no cross-origin reading.
    Router::new()
        .route(AUTHORIZE, get(authorize))
        .route(LOGOUT, get(logout).post(logout_form))
        .merge(called_by_services)
}

fn parts(state: &AppState) -> Parts<'_> {
    Parts {
        db: &state.db,
        settings: &state.settings,
        at: state.clock.now(),
    }
}

/// Nothing of the protocol is kept by a cache.
fn no_store(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}

fn server_error(error: impl std::fmt::Display) -> Response {
    tracing::error!(%error, "OpenID Connect");
    let body = json!({"error": "server_error", "error_description": "Erreur interne du portail."});
    no_store((StatusCode::INTERNAL_SERVER_ERROR, Json(body)).into_response())
}

async fn discovery(State(state): State<AppState>) -> Response {
    let issuer = &state.settings.public_url;
    let body = json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}{AUTHORIZE}"),
        "token_endpoint": format!("{issuer}{TOKEN}"),
        "userinfo_endpoint": format!("{issuer}{USERINFO}"),
        "jwks_uri": format!("{issuer}{JWKS}"),
        "end_session_endpoint": format!("{issuer}{LOGOUT}"),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["ES256"],
        "scopes_supported": ["openid", "profile", "email"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "none"],
        "code_challenge_methods_supported": ["S256"],
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "sid",
            "email", "email_verified", "name", "given_name", "family_name",
            "etablissement", "habilitations"],
        "prompt_values_supported": ["none", "login", "consent", "select_account"],
        "authorization_response_iss_parameter_supported": true,
        "request_parameter_supported": false,
        "request_uri_parameter_supported": false,
        "claims_parameter_supported": false,
        "ui_locales_supported": ["fr-FR"],
    });
    Json(body).into_response()
}

async fn jwks(State(state): State<AppState>) -> Response {
    match keys::published(&state.db, state.clock.now()).await {
        // Services may keep the set five minutes: one that meets an unknown key id (just
        // after a rotation) fetches it again, as mod_auth_openidc and the usual libraries do.
        Ok(set) => ([(header::CACHE_CONTROL, "max-age=300")], Json(set)).into_response(),
        Err(e) => server_error(e),
    }
}

/// A page of the portal, written by the server, with this status.
async fn page(state: &AppState, status: StatusCode, title: &str, main: String) -> Response {
    let html = state.pages.render(title, &main).await;
    no_store((status, Html(html)).into_response())
}

async fn stopped(state: &AppState, message: &str) -> Response {
    let main = format!(
        "<h1>La connexion au service n’a pas abouti</h1>\
         <div class=\"notice notice--error\" role=\"alert\"><p>{}</p></div>\
         <p><a href=\"{}\">Aller à l’accueil du portail</a></p>",
        escape(message),
        Page::Home.path()
    );
    page(
        state,
        StatusCode::BAD_REQUEST,
        "Connexion au service impossible",
        main,
    )
    .await
}

async fn refused(state: &AppState, refusal: &Refusal) -> Response {
    let whom = if refusal.administrators.is_empty() {
        format!(
            "<p>Votre établissement n’a pas d’administrateur en activité\u{a0}: appelez l’assistance au {}.</p>",
            escape(&state.settings.lender.phone)
        )
    } else {
        let names: String = refusal
            .administrators
            .iter()
            .map(|name| format!("<li>{}</li>", escape(name)))
            .collect();
        format!(
            "<p>Les habilitations sont attribuées par les administrateurs de votre établissement. \
             Demandez-la à l’un d’eux\u{a0}:</p><ul class=\"administrators\">{names}</ul>"
        )
    };
    let main = format!(
        "<h1>Vous n’avez pas accès au service «\u{a0}{service}\u{a0}»</h1>\
         <div class=\"notice notice--error\" role=\"alert\"><p>Votre compte n’a pas l’habilitation \
         «\u{a0}{right}\u{a0}», qui ouvre ce service.</p></div>{whom}\
         <p><a href=\"{rights}\">Voir mes habilitations</a></p>",
        service = escape(&refusal.service),
        right = escape(&refusal.right),
        rights = Page::MyRights.path(),
    );
    page(
        state,
        StatusCode::FORBIDDEN,
        "Accès au service refusé",
        main,
    )
    .await
}

async fn authorize(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    session: Result<CurrentSession, ApiError>,
    uri: Uri,
    query: Result<Query<AuthorizationRequest>, QueryRejection>,
) -> Response {
    let Ok(Query(request)) = query else {
        return stopped(
            &state,
            "La demande du service est mal formée (un paramètre manque de forme ou est répété).",
        )
        .await;
    };
    let session = session
        .ok()
        .filter(|s| s.purpose == Purpose::Full)
        .map(|s| PortalSession {
            user_id: s.user_id,
            token_hash: s.token_hash,
            created_at: s.created_at,
        });
    let outcome = match flow::authorize(&parts(&state), &request, session, &ip.to_string()).await {
        Ok(outcome) => outcome,
        Err(e) => return server_error(e),
    };
    match outcome {
        Authorization::Granted(location) => no_store(Redirect::to(&location).into_response()),
        Authorization::Redirected(r) => {
            let mut parameters = vec![("error", r.error), ("error_description", r.description)];
            if let Some(state) = &r.state {
                parameters.push(("state", state));
            }
            parameters.push(("iss", &state.settings.public_url));
            no_store(Redirect::to(&with_query(&r.redirect_uri, &parameters)).into_response())
        }
        Authorization::SignIn => {
            // The sign-in page comes back here once the person is signed in.
            let back = uri.path_and_query().map_or(AUTHORIZE, |pq| pq.as_str());
            let query = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("suite", back)
                .finish();
            no_store(Redirect::to(&format!("{}?{query}", Page::SignIn.path())).into_response())
        }
        Authorization::Stopped(message) => stopped(&state, message).await,
        Authorization::Refused(refusal) => refused(&state, &refusal).await,
    }
}

fn token_error(error: &TokenError, basic: bool) -> Response {
    if let TokenError::Server(e) = error {
        return server_error(e);
    }
    let status = match error {
        TokenError::InvalidClient => StatusCode::UNAUTHORIZED,
        _ => StatusCode::BAD_REQUEST,
    };
    let body = json!({"error": error.code(), "error_description": error.to_string()});
    let mut response = (status, Json(body)).into_response();
    if matches!(error, TokenError::InvalidClient) && basic {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"oidc\""),
        );
    }
    no_store(response)
}

/// The `Authorization` header's Basic credentials (RFC 6749 §2.3.1: each part
/// form-urlencoded); `Err` for a header that is there but not readable.
fn basic_credentials(headers: &HeaderMap) -> Result<ClientAuthentication, ()> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(ClientAuthentication::None);
    };
    let value = value.to_str().map_err(drop)?;
    let encoded = value.strip_prefix("Basic ").ok_or(())?;
    let decoded = STANDARD.decode(encoded.trim()).map_err(drop)?;
    let decoded = String::from_utf8(decoded).map_err(drop)?;
    let (id, secret) = decoded.split_once(':').ok_or(())?;
    let unescape = |part: &str| -> String {
        url::form_urlencoded::parse(format!("v={part}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    Ok(ClientAuthentication::Basic {
        client_id: unescape(id),
        secret: unescape(secret),
    })
}

async fn token(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<TokenRequest>, FormRejection>,
) -> Response {
    let Ok(authentication) = basic_credentials(&headers) else {
        return token_error(&TokenError::InvalidClient, true);
    };
    let basic = matches!(authentication, ClientAuthentication::Basic { .. });
    let Ok(Form(request)) = form else {
        return token_error(
            &TokenError::InvalidRequest("Le corps doit être un formulaire (application/x-www-form-urlencoded) sans paramètre répété."),
            basic,
        );
    };
    match flow::exchange(&parts(&state), &authentication, &request).await {
        Ok(tokens) => no_store(Json(tokens).into_response()),
        Err(error) => token_error(&error, basic),
    }
}

async fn userinfo(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let challenge = match bearer {
        None => "Bearer realm=\"oidc\"",
        Some(token) => match flow::userinfo(&parts(&state), token).await {
            Ok(Some(identity)) => return no_store(Json(identity).into_response()),
            Ok(None) => "Bearer realm=\"oidc\", error=\"invalid_token\"",
            Err(e) => return server_error(e),
        },
    };
    let mut response = StatusCode::UNAUTHORIZED.into_response();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static(challenge),
    );
    no_store(response)
}

async fn logout(
    state: State<AppState>,
    ip: ClientIp,
    jar: CookieJar,
    query: Result<Query<LogoutRequest>, QueryRejection>,
) -> Response {
    let request = query.map(|Query(r)| r).unwrap_or_default();
    end_session(state, ip, jar, request).await
}

async fn logout_form(
    state: State<AppState>,
    ip: ClientIp,
    jar: CookieJar,
    form: Result<Form<LogoutRequest>, FormRejection>,
) -> Response {
    let request = form.map(|Form(r)| r).unwrap_or_default();
    end_session(state, ip, jar, request).await
}

async fn end_session(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    request: LogoutRequest,
) -> Response {
    let secure = state.settings.secure_cookies;
    let cookie_session = jar
        .get(session::cookie_name(secure))
        .map(|c| crate::account::token_hash(c.value()));
    let back = match flow::logout(&parts(&state), &request, cookie_session, &ip.to_string()).await {
        Ok(back) => back,
        Err(e) => return server_error(e),
    };
    let jar = jar.add(session::removal(secure));
    let response = match back {
        Some(location) => Redirect::to(&location).into_response(),
        None => {
            let main = format!(
                "<h1>Vous êtes déconnecté</h1>\
                 <div class=\"notice notice--success\" role=\"status\"><p>Votre session du portail \
                 et des services en ligne est terminée.</p></div>\
                 <p><a href=\"{}\">Se connecter de nouveau</a></p>",
                Page::SignIn.path()
            );
            page(&state, StatusCode::OK, "Déconnexion", main).await
        }
    };
    no_store((jar, response).into_response())
}
