//! The services registered as clients (PRODUCT.md §11): operators register them from the
//! command line or the back office, with exact redirect URIs and the entry of the rights
//! catalogue each stands for. A confidential service's secret is shown once; the database
//! keeps its hash.

use inscription_shared::administration::Service;
use inscription_shared::operator::{ServiceClient, ServiceClients};

use crate::account::{new_session_token, token_hash};
use crate::db::audit::AuditEvent;
use crate::db::oidc::{self as sql, ClientRow};
use crate::db::Db;
use crate::oidc::protocol::redirect_uri_problem;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ClientError {
    #[error("l’identifiant d’un service s’écrit en minuscules sans accent, chiffres, points et tirets (1 à 60 caractères), par exemple «\u{a0}consultation-prets\u{a0}»")]
    BadClientId,
    #[error("le nom d’un service est obligatoire (120 caractères au plus)")]
    BadName,
    #[error("il n’y a pas de service «\u{a0}{0}\u{a0}» dans le catalogue des habilitations")]
    UnknownService(String),
    #[error("donnez au moins une adresse de retour")]
    NoRedirectUri,
    #[error("l’adresse de retour «\u{a0}{0}\u{a0}» {1}")]
    BadRedirectUri(String, &'static str),
    #[error("l’adresse après déconnexion «\u{a0}{0}\u{a0}» {1}")]
    BadLogoutUri(String, &'static str),
    #[error("le service «\u{a0}{0}\u{a0}» est déjà enregistré")]
    Exists(String),
    #[error("il n’y a pas de service enregistré «\u{a0}{0}\u{a0}»")]
    Unknown(String),
    #[error("le service «\u{a0}{0}\u{a0}» est public (PKCE seul)\u{a0}: il n’a pas de secret")]
    Public(String),
    #[error("erreur de base de données")]
    Database(String),
}

impl From<sqlx::Error> for ClientError {
    fn from(e: sqlx::Error) -> Self {
        Self::Database(e.to_string())
    }
}

/// A service to register.
#[derive(Debug, Clone)]
pub struct NewClient {
    pub client_id: String,
    pub name: String,
    pub service_code: String,
    pub redirect_uris: Vec<String>,
    pub post_logout_redirect_uris: Vec<String>,
    /// A public client (a page in the browser, a mobile app) has no secret.
    pub public: bool,
}

/// Who registers: an operator (from the back office) or the command line.
#[derive(Debug, Clone)]
pub struct Registrar {
    pub actor: String,
    pub ip: String,
}

impl Registrar {
    pub fn command_line() -> Self {
        Self {
            actor: "system".into(),
            ip: "ligne de commande".into(),
        }
    }

    fn event(&self, action: &'static str, details: String) -> AuditEvent {
        AuditEvent {
            action,
            actor: self.actor.clone(),
            ip: self.ip.clone(),
            establishment_id: None,
            user_id: None,
            details,
        }
    }
}

fn client_id(id: &str) -> Result<&str, ClientError> {
    let ok = (1..=60).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.');
    ok.then_some(id).ok_or(ClientError::BadClientId)
}

fn uris(
    uris: &[String],
    refusal: fn(String, &'static str) -> ClientError,
) -> Result<String, ClientError> {
    for uri in uris {
        if let Some(problem) = redirect_uri_problem(uri) {
            return Err(refusal(uri.clone(), problem));
        }
    }
    Ok(uris.join("\n"))
}

/// Registers the service; returns its secret (shown once), or `None` for a public client.
pub async fn register(
    db: &Db,
    client: &NewClient,
    at: i64,
    by: &Registrar,
) -> Result<Option<String>, ClientError> {
    let id = client_id(client.client_id.trim())?;
    let name = client.name.trim();
    if name.is_empty() || name.chars().count() > 120 || name.contains('\0') {
        return Err(ClientError::BadName);
    }
    let known = crate::db::services::list(db).await?;
    if !known.iter().any(|s| s.code == client.service_code) {
        return Err(ClientError::UnknownService(client.service_code.clone()));
    }
    if client.redirect_uris.is_empty() {
        return Err(ClientError::NoRedirectUri);
    }
    let redirect_uris = uris(&client.redirect_uris, ClientError::BadRedirectUri)?;
    let post_logout_redirect_uris =
        uris(&client.post_logout_redirect_uris, ClientError::BadLogoutUri)?;
    let secret = (!client.public).then(new_session_token);
    let row = ClientRow {
        client_id: id.to_owned(),
        name: name.to_owned(),
        service_code: client.service_code.clone(),
        secret_hash: secret.as_ref().map(|(_, hash)| hash.clone()),
        redirect_uris,
        post_logout_redirect_uris,
        created_at: at,
        secret_rotated_at: None,
    };
    let kind = if client.public {
        "public"
    } else {
        "confidentiel"
    };
    let event = by.event(
        "oidc.client_registered",
        format!(
            "{id} ({kind}), service {}, retours\u{a0}: {}",
            row.service_code,
            client.redirect_uris.join(" ")
        ),
    );
    if !sql::add_client(db, &row, &event).await? {
        return Err(ClientError::Exists(id.to_owned()));
    }
    Ok(secret.map(|(secret, _)| secret))
}

/// A new secret for a confidential service (shown once; the old one dies at once).
pub async fn rotate_secret(
    db: &Db,
    client_id: &str,
    at: i64,
    by: &Registrar,
) -> Result<String, ClientError> {
    let Some(client) = sql::client(db, client_id).await? else {
        return Err(ClientError::Unknown(client_id.to_owned()));
    };
    if client.secret_hash.is_none() {
        return Err(ClientError::Public(client_id.to_owned()));
    }
    let (secret, hash) = new_session_token();
    let event = by.event("oidc.secret_rotated", client_id.to_owned());
    if !sql::set_secret(db, client_id, &hash, at, &event).await? {
        return Err(ClientError::Unknown(client_id.to_owned()));
    }
    Ok(secret)
}

/// Whether this secret is the confidential service's.
pub fn secret_matches(client: &ClientRow, secret: &str) -> bool {
    client
        .secret_hash
        .as_ref()
        .is_some_and(|hash| *hash == token_hash(secret))
}

pub async fn list(db: &Db) -> Result<Vec<ClientRow>, ClientError> {
    Ok(sql::clients(db).await?)
}

/// The back office's view: the services (never a secret) and the catalogue they may stand for.
pub async fn listing(db: &Db) -> Result<ServiceClients, ClientError> {
    let clients = sql::clients(db)
        .await?
        .into_iter()
        .map(|row| ServiceClient {
            public: row.secret_hash.is_none(),
            redirect_uris: row.redirect_uris(),
            post_logout_redirect_uris: row.post_logout_redirect_uris(),
            client_id: row.client_id,
            name: row.name,
            service_code: row.service_code,
            created_at: row.created_at,
            secret_rotated_at: row.secret_rotated_at,
        })
        .collect();
    let catalogue = crate::db::services::list(db)
        .await?
        .into_iter()
        .map(|s| Service {
            code: s.code,
            label: s.label,
        })
        .collect();
    Ok(ServiceClients { clients, catalogue })
}
