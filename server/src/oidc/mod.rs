//! The product as the OpenID Connect provider of the lender's online services (PRODUCT.md
//! §11): a service sends the person here, the portal's own session (or a sign-in) says who
//! they are, and the service gets a signed ID token with their establishment and the
//! services they hold rights on — only if they hold the right on the asking service.
//!
//! Authorization code flow with PKCE (S256) required; codes are single-use and short-lived,
//! and every token lives no longer than the portal session it came from. HTTP lives in
//! `routes::oidc`, SQL in `db::oidc`.

pub mod clients;
pub mod flow;
pub mod keys;
pub mod protocol;

/// How long a code may wait for its exchange.
pub const CODE_SECONDS: i64 = 60;
/// How long an access token serves userinfo (and the portal session must still be alive).
pub const ACCESS_SECONDS: i64 = 600;
/// How long an ID token is valid; a retired key stays published that long.
pub const ID_TOKEN_SECONDS: i64 = 600;

/// What can go wrong that is not the caller's fault.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    #[error("erreur de base de données")]
    Database(#[from] sqlx::Error),
    #[error("la clé de signature des jetons est illisible")]
    Key,
}
