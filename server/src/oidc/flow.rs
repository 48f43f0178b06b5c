//! The provider's four steps: authorization (the person, through their portal session),
//! the code's exchange for tokens (the service), userinfo, and logout. Each step checks
//! again that the person may use the service: a disabled account, a removed right or a
//! signed-out portal session ends the service's access at its next call.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::protocol::{self, AuthorizationRequest, Prompt, Redirected};
use super::{keys, OidcError, ACCESS_SECONDS, CODE_SECONDS, ID_TOKEN_SECONDS};
use crate::account::{new_session_token, token_hash};
use crate::db::audit::AuditEvent;
use crate::db::oidc::{self as sql, ClientRow, Grant, Person};
use crate::db::{self, Db};
use crate::domain::{AccountStatus, Purpose};
use crate::settings::Settings;

/// What each step needs: the database, the settings (the issuer is the public URL; the
/// portal's session timeouts) and the time.
pub struct Parts<'a> {
    pub db: &'a Db,
    pub settings: &'a Settings,
    pub at: i64,
}

/// The portal session a request carries, if any.
#[derive(Debug, Clone)]
pub struct PortalSession {
    pub user_id: i64,
    pub token_hash: String,
    pub created_at: i64,
}

/// How an authorization request ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Authorization {
    /// Back to the service with a code (the full redirect address).
    Granted(String),
    /// Back to the service with an error.
    Redirected(Redirected),
    /// The person must sign in first, then come back.
    SignIn,
    /// The request cannot go back to where it asks: a page says so.
    Stopped(&'static str),
    /// The person does not hold the right on the service: a page names whom to ask.
    Refused(Refusal),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub service: String,
    pub right: String,
    pub administrators: Vec<String>,
}

/// The `sid` of ID tokens made from one portal session: opaque, the same for all of them.
fn sid_of(session_hash: &str) -> String {
    URL_SAFE_NO_PAD.encode(&Sha256::digest(format!("sid:{session_hash}"))[..16])
}

/// Whether the person may use a service standing for this right, now.
fn may_use(person: &Person, rights: &[String], service_code: &str) -> bool {
    person.status == AccountStatus::Active
        && person.establishment_status == "active"
        && rights.iter().any(|r| r == service_code)
}

/// The session behind a token, if it is still alive: not signed out, not past its idle or
/// absolute timeout, of an account that has chosen its password.
async fn session_alive(parts: &Parts<'_>, session_hash: &str) -> Result<bool, OidcError> {
    let Some(row) = db::sessions::find(parts.db, session_hash).await? else {
        return Ok(false);
    };
    Ok(row.purpose == Purpose::Full
        && row.user_status.may_have_a_session()
        && !parts
            .settings
            .session_expired(row.created_at, row.last_seen_at, parts.at))
}

fn event(action: &'static str, person: &Person, ip: &str, details: String) -> AuditEvent {
    AuditEvent {
        action,
        actor: format!("user:{}", person.user_id),
        ip: ip.into(),
        establishment_id: Some(person.establishment_id),
        user_id: Some(person.user_id),
        details,
    }
}

/// The authorization step. `session`: the portal session of the request (a full one).
pub async fn authorize(
    parts: &Parts<'_>,
    request: &AuthorizationRequest,
    session: Option<PortalSession>,
    ip: &str,
) -> Result<Authorization, OidcError> {
    let client = match &request.client_id {
        Some(id) => sql::client(parts.db, id).await?,
        None => None,
    };
    let registered = client.as_ref().map(ClientRow::redirect_uris);
    let checked = match protocol::check(request, registered.as_deref()) {
        Ok(checked) => checked,
        Err(Ok(page)) => return Ok(Authorization::Stopped(page)),
        Err(Err(redirected)) => return Ok(Authorization::Redirected(redirected)),
    };
    let Some(client) = client else {
        return Ok(Authorization::Stopped(protocol::UNKNOWN_SERVICE));
    };
    let back = |error, description| {
        Authorization::Redirected(Redirected {
            redirect_uri: checked.redirect_uri.clone(),
            state: checked.state.clone(),
            error,
            description,
        })
    };
    // `prompt=login`: a session made a moment ago (by the sign-in this request led to) will do.
    let fresh_enough =
        |s: &PortalSession| checked.prompt != Prompt::Login || parts.at - s.created_at <= 120;
    let session = match session {
        Some(session) if fresh_enough(&session) => session,
        _ if checked.prompt == Prompt::None => {
            return Ok(back(
                "login_required",
                "La personne n’est pas connectée au portail.",
            ))
        }
        _ => return Ok(Authorization::SignIn),
    };
    let Some(person) = sql::person(parts.db, session.user_id).await? else {
        return Ok(Authorization::SignIn);
    };
    let rights = sql::rights(parts.db, person.user_id).await?;
    if !may_use(&person, &rights, &client.service_code) {
        db::audit::append(
            parts.db,
            &event(
                "oidc.authorization_refused",
                &person,
                ip,
                format!("service {}", client.client_id),
            ),
        )
        .await?;
        if checked.prompt == Prompt::None {
            return Ok(back(
                "access_denied",
                "La personne n’a pas l’habilitation de ce service.",
            ));
        }
        let right = db::services::list(parts.db)
            .await?
            .into_iter()
            .find(|s| s.code == client.service_code)
            .map_or_else(|| client.service_code.clone(), |s| s.label);
        let administrators =
            db::administration::administrator_names(parts.db, person.establishment_id)
                .await?
                .into_iter()
                .map(|(civility, first, last)| format!("{civility} {first} {last}"))
                .collect();
        return Ok(Authorization::Refused(Refusal {
            service: client.name,
            right,
            administrators,
        }));
    }
    let (code, code_hash) = new_session_token();
    let grant = Grant {
        code_hash,
        client_id: client.client_id.clone(),
        user_id: person.user_id,
        sid: sid_of(&session.token_hash),
        session_hash: session.token_hash,
        redirect_uri: checked.redirect_uri.clone(),
        code_challenge: checked.code_challenge,
        nonce: checked.nonce,
        auth_time: session.created_at,
        created_at: parts.at,
        code_expires_at: parts.at + CODE_SECONDS,
        redeemed_at: None,
    };
    let granted = event(
        "oidc.authorization_granted",
        &person,
        ip,
        format!("service {}", client.client_id),
    );
    sql::add_grant(parts.db, &grant, &granted).await?;
    let issuer = parts.settings.public_url.as_str();
    let mut parameters = vec![("code", code.as_str())];
    if let Some(state) = &checked.state {
        parameters.push(("state", state));
    }
    parameters.push(("iss", issuer));
    Ok(Authorization::Granted(protocol::with_query(
        &checked.redirect_uri,
        &parameters,
    )))
}

/// The token endpoint's request (RFC 6749 §4.1.3), form-encoded.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TokenRequest {
    pub grant_type: Option<String>,
    pub code: Option<String>,
    pub redirect_uri: Option<String>,
    pub code_verifier: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
}

/// How the service authenticated: HTTP Basic (`client_secret_basic`), or its id alone (a
/// public client).
#[derive(Debug, Clone)]
pub enum ClientAuthentication {
    Basic { client_id: String, secret: String },
    None,
}

/// The token endpoint's refusals (RFC 6749 §5.2).
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("{0}")]
    InvalidRequest(&'static str),
    #[error("L’authentification du service a échoué.")]
    InvalidClient,
    #[error("{0}")]
    InvalidGrant(&'static str),
    #[error("Seul grant_type=authorization_code est pris en charge.")]
    UnsupportedGrantType,
    #[error(transparent)]
    Server(#[from] OidcError),
}

impl From<sqlx::Error> for TokenError {
    fn from(e: sqlx::Error) -> Self {
        Self::Server(e.into())
    }
}

impl TokenError {
    /// The error code of the protocol.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidRequest(_) => "invalid_request",
            Self::InvalidClient => "invalid_client",
            Self::InvalidGrant(_) => "invalid_grant",
            Self::UnsupportedGrantType => "unsupported_grant_type",
            Self::Server(_) => "server_error",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    pub id_token: String,
    pub scope: &'static str,
}

/// The establishment, as the `etablissement` claim gives it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct EstablishmentClaim {
    pub numero_client: String,
    pub nom: String,
}

/// Who the person is, as the ID token and userinfo say it (README "Services en ligne").
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Identity {
    pub sub: String,
    pub email: String,
    pub email_verified: bool,
    pub name: String,
    pub given_name: String,
    pub family_name: String,
    pub etablissement: EstablishmentClaim,
    /// The codes of the rights catalogue's services the person holds rights on.
    pub habilitations: Vec<String>,
}

#[derive(Debug, Serialize)]
struct IdToken<'a> {
    iss: &'a str,
    aud: &'a str,
    azp: &'a str,
    exp: i64,
    iat: i64,
    auth_time: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    nonce: Option<&'a str>,
    sid: &'a str,
    #[serde(flatten)]
    identity: &'a Identity,
}

async fn identity(db: &Db, person: &Person, rights: Vec<String>) -> Result<Identity, OidcError> {
    let fresh = URL_SAFE_NO_PAD.encode(new_session_token().0.as_bytes())[..32].to_owned();
    Ok(Identity {
        sub: sql::subject(db, person.user_id, &fresh).await?,
        email: person.email.clone(),
        email_verified: true,
        name: format!("{} {}", person.first_name, person.last_name),
        given_name: person.first_name.clone(),
        family_name: person.last_name.clone(),
        etablissement: EstablishmentClaim {
            numero_client: person.client_number.clone(),
            nom: person.establishment_name.clone(),
        },
        habilitations: rights,
    })
}

/// The service this request authenticates, or `InvalidClient`.
async fn authenticated_client(
    db: &Db,
    authentication: &ClientAuthentication,
    request: &TokenRequest,
) -> Result<ClientRow, TokenError> {
    if request.client_secret.is_some() {
        return Err(TokenError::InvalidRequest(
            "Le secret se transmet par l’en-tête Authorization (client_secret_basic).",
        ));
    }
    match authentication {
        ClientAuthentication::Basic { client_id, secret } => {
            if request.client_id.as_ref().is_some_and(|id| id != client_id) {
                return Err(TokenError::InvalidRequest(
                    "client_id diffère de l’identifiant authentifié.",
                ));
            }
            match sql::client(db, client_id).await? {
                Some(client) if super::clients::secret_matches(&client, secret) => Ok(client),
                _ => Err(TokenError::InvalidClient),
            }
        }
        ClientAuthentication::None => {
            let Some(id) = &request.client_id else {
                return Err(TokenError::InvalidClient);
            };
            match sql::client(db, id).await? {
                // A confidential service must prove itself with its secret.
                Some(client) if client.secret_hash.is_none() => Ok(client),
                _ => Err(TokenError::InvalidClient),
            }
        }
    }
}

/// The code's exchange for an access token and an ID token.
pub async fn exchange(
    parts: &Parts<'_>,
    authentication: &ClientAuthentication,
    request: &TokenRequest,
) -> Result<TokenResponse, TokenError> {
    match request.grant_type.as_deref() {
        Some("authorization_code") => {}
        Some(_) => return Err(TokenError::UnsupportedGrantType),
        None => return Err(TokenError::InvalidRequest("grant_type manque.")),
    }
    let client = authenticated_client(parts.db, authentication, request).await?;
    let (Some(code), Some(redirect_uri)) = (&request.code, &request.redirect_uri) else {
        return Err(TokenError::InvalidRequest(
            "code et redirect_uri sont obligatoires.",
        ));
    };
    let Some(verifier) = &request.code_verifier else {
        return Err(TokenError::InvalidRequest(
            "PKCE est obligatoire\u{a0}: code_verifier manque.",
        ));
    };
    let code_hash = token_hash(code);
    let Some(grant) = sql::grant(parts.db, &code_hash).await? else {
        return Err(TokenError::InvalidGrant("Code inconnu."));
    };
    if grant.client_id != client.client_id {
        return Err(TokenError::InvalidGrant(
            "Ce code n’a pas été délivré à ce service.",
        ));
    }
    if grant.redeemed_at.is_some() {
        // A code used twice may have been stolen: the token it gave dies too.
        sql::revoke(parts.db, &code_hash).await?;
        return Err(TokenError::InvalidGrant("Ce code a déjà servi."));
    }
    if grant.code_expires_at <= parts.at {
        return Err(TokenError::InvalidGrant("Ce code a expiré."));
    }
    if grant.redirect_uri != *redirect_uri {
        return Err(TokenError::InvalidGrant(
            "redirect_uri diffère de celle de la demande d’autorisation.",
        ));
    }
    if !protocol::pkce_matches(verifier, &grant.code_challenge) {
        return Err(TokenError::InvalidGrant(
            "code_verifier ne correspond pas au code_challenge.",
        ));
    }
    let person = sql::person(parts.db, grant.user_id).await?;
    let rights = sql::rights(parts.db, grant.user_id).await?;
    let allowed = person
        .as_ref()
        .is_some_and(|p| may_use(p, &rights, &client.service_code));
    let (Some(person), true) = (
        person,
        allowed && session_alive(parts, &grant.session_hash).await?,
    ) else {
        return Err(TokenError::InvalidGrant(
            "La personne n’a plus accès à ce service.",
        ));
    };
    let (access_token, access_hash) = new_session_token();
    if !sql::redeem(
        parts.db,
        &code_hash,
        parts.at,
        &access_hash,
        parts.at + ACCESS_SECONDS,
    )
    .await?
    {
        return Err(TokenError::InvalidGrant("Ce code a déjà servi."));
    }
    let identity = identity(parts.db, &person, rights).await?;
    let claims = IdToken {
        iss: &parts.settings.public_url,
        aud: &client.client_id,
        azp: &client.client_id,
        exp: parts.at + ID_TOKEN_SECONDS,
        iat: parts.at,
        auth_time: grant.auth_time,
        nonce: grant.nonce.as_deref(),
        sid: &grant.sid,
        identity: &identity,
    };
    let id_token = keys::sign(parts.db, parts.at, &claims).await?;
    Ok(TokenResponse {
        access_token,
        token_type: "Bearer",
        expires_in: ACCESS_SECONDS,
        id_token,
        scope: "openid profile email",
    })
}

/// Userinfo: who the bearer of this access token signs in as, if they still may.
pub async fn userinfo(
    parts: &Parts<'_>,
    access_token: &str,
) -> Result<Option<Identity>, OidcError> {
    let Some(access) = sql::access(parts.db, &token_hash(access_token), parts.at).await? else {
        return Ok(None);
    };
    let Some(client) = sql::client(parts.db, &access.client_id).await? else {
        return Ok(None);
    };
    let Some(person) = sql::person(parts.db, access.user_id).await? else {
        return Ok(None);
    };
    let rights = sql::rights(parts.db, access.user_id).await?;
    if !may_use(&person, &rights, &client.service_code)
        || !session_alive(parts, &access.session_hash).await?
    {
        return Ok(None);
    }
    Ok(Some(identity(parts.db, &person, rights).await?))
}

/// RP-initiated logout's parameters.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct LogoutRequest {
    pub id_token_hint: Option<String>,
    pub post_logout_redirect_uri: Option<String>,
    pub client_id: Option<String>,
    pub state: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Hint {
    aud: String,
    sid: String,
}

/// The claims of an ID token this provider signed (expired or not: a hint names who).
async fn hint(db: &Db, token: &str) -> Result<Option<Hint>, OidcError> {
    let Ok(header) = jsonwebtoken::decode_header(token) else {
        return Ok(None);
    };
    let Some(key) = keys::decoding_key(db, header.kid.as_deref().unwrap_or_default()).await? else {
        return Ok(None);
    };
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::ES256);
    validation.validate_exp = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    Ok(jsonwebtoken::decode::<Hint>(token, &key, &validation)
        .ok()
        .map(|t| t.claims))
}

/// Ends the portal session (the request's, or the one the ID token names); returns where to
/// go: the service's registered post-logout address, with its state, or `None` for the
/// portal's own page.
pub async fn logout(
    parts: &Parts<'_>,
    request: &LogoutRequest,
    cookie_session: Option<String>,
    ip: &str,
) -> Result<Option<String>, OidcError> {
    let hint = match &request.id_token_hint {
        Some(token) => hint(parts.db, token).await?,
        None => None,
    };
    let session = match (cookie_session, &hint) {
        (Some(session), _) => Some(session),
        (None, Some(hint)) => sql::session_of_sid(parts.db, &hint.sid).await?,
        (None, None) => None,
    };
    if let Some(session) = session {
        db::sessions::sign_out(parts.db, &session, ip, parts.at).await?;
    }
    let client_id = hint.map(|h| h.aud).or_else(|| request.client_id.clone());
    let client = match client_id {
        Some(id) => sql::client(parts.db, &id).await?,
        None => None,
    };
    let back = match (client, &request.post_logout_redirect_uri) {
        (Some(client), Some(uri)) if client.post_logout_redirect_uris().contains(uri) => {
            let state: Vec<(&str, &str)> = request
                .state
                .iter()
                .map(|s| ("state", s.as_str()))
                .collect();
            Some(protocol::with_query(uri, &state))
        }
        _ => None,
    };
    Ok(back)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sid_is_the_same_for_one_session_and_says_nothing_of_its_token() {
        assert_eq!(sid_of("abc"), sid_of("abc"));
        assert_ne!(sid_of("abc"), sid_of("abd"));
        assert!(!sid_of("abc").contains("abc"));
    }
}
