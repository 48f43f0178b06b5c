//! Sign-in: one answer for every failure, in about the same time (an unknown address still
//! costs one Argon2 verification), with failures throttled per account and per address.

use std::net::IpAddr;
use std::sync::OnceLock;

use inscription_shared::account::{SignInRequest, SIGN_IN_FAILED};
use inscription_shared::temporary_password::TemporaryPassword;

use super::{new_session_token, Purpose};
use crate::db::audit::AuditEvent;
use crate::db::{self, accounts::SignInAccount};
use crate::password_hash::HashError;
use crate::rate_limit::{Limit, RateLimitError};
use crate::startup::AppState;

/// Failed sign-ins per e-mail address before it waits.
pub const FAILURES_PER_ACCOUNT: Limit = Limit {
    kind: "sign-in-failures-account",
    max: 10,
    window_seconds: 15 * 60,
};
/// The next tier: an account that keeps failing waits for a day (progressive throttling).
pub const FAILURES_PER_ACCOUNT_DAY: Limit = Limit {
    kind: "sign-in-failures-account-day",
    max: 30,
    window_seconds: 24 * 3600,
};
/// Failed sign-ins per client address before it waits.
pub const FAILURES_PER_ADDRESS: Limit = Limit {
    kind: "sign-in-failures-address",
    max: 30,
    window_seconds: 15 * 60,
};

#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    #[error("{}", SIGN_IN_FAILED)]
    Failed,
    #[error(transparent)]
    Throttled(#[from] RateLimitError),
    #[error("erreur de hachage")]
    Hash(#[from] HashError),
    #[error("erreur de base de données")]
    Database(#[from] sqlx::Error),
}

/// Whose session was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedInAccount {
    User { id: i64, purpose: Purpose },
    Operator { id: i64 },
}

/// A new session.
pub struct SignedIn {
    pub token: String,
    pub account: SignedInAccount,
}

/// A hash to verify against when there is nothing real to verify, so that every
/// failure costs the same.
async fn dummy_hash(state: &AppState) -> Result<&'static str, HashError> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    if let Some(hash) = DUMMY.get() {
        return Ok(hash);
    }
    let hash = state
        .hasher
        .hash("mot de passe factice pour un temps constant")
        .await?;
    Ok(DUMMY.get_or_init(|| hash))
}

/// Spends the time of one verification without opening anything.
async fn verify_nothing(state: &AppState, secret: &str) -> Result<(), SignInError> {
    let _ = state
        .hasher
        .verify(secret, dummy_hash(state).await?)
        .await?;
    Ok(())
}

/// Checks the secret against one account (always one Argon2 verification); `Some(purpose)`
/// when it opens it.
async fn try_account(
    state: &AppState,
    account: &SignInAccount,
    secret: &str,
) -> Result<Option<Purpose>, SignInError> {
    if let (Some(hash), "active") = (&account.password_hash, account.status.as_str()) {
        return Ok(state
            .hasher
            .verify(secret, hash)
            .await?
            .then_some(Purpose::Full));
    }
    let (Some(hash), Ok(code)) = (&account.temporary_hash, TemporaryPassword::parse(secret)) else {
        verify_nothing(state, secret).await?;
        return Ok(None);
    };
    if !db::accounts::take_temporary_try(&state.db, account.id).await? {
        verify_nothing(state, secret).await?;
        return Ok(None);
    }
    if state.hasher.verify(code.expose(), hash).await? {
        db::accounts::give_back_temporary_try(&state.db, account.id).await?;
        return Ok(Some(Purpose::Activation));
    }
    Ok(None)
}

pub async fn sign_in(
    state: &AppState,
    request: &SignInRequest,
    ip: IpAddr,
) -> Result<SignedIn, SignInError> {
    let email = request.email.trim().to_lowercase();
    let address = ip.to_string();
    FAILURES_PER_ACCOUNT.ensure_below(&state.db, &email).await?;
    FAILURES_PER_ADDRESS
        .ensure_below(&state.db, &address)
        .await?;

    // The lender's operators sign in on the same page; their addresses are the lender's own.
    if let Some(operator) = db::operators::by_email(&state.db, &email).await? {
        if state
            .hasher
            .verify(&request.password, &operator.password_hash)
            .await?
        {
            let (token, hash) = new_session_token();
            db::operators::create_session(&state.db, &hash, operator.id).await?;
            db::audit::append(
                &state.db,
                &AuditEvent {
                    action: "operator.signed_in",
                    actor: format!("operator:{}", operator.id),
                    ip: address,
                    establishment_id: None,
                    user_id: None,
                    details: String::new(),
                },
            )
            .await?;
            return Ok(SignedIn {
                token,
                account: SignedInAccount::Operator { id: operator.id },
            });
        }
        return Err(failed(state, &email, address, None).await?);
    }

    let accounts = db::accounts::for_sign_in(&state.db, &email).await?;
    for account in &accounts {
        if let Some(purpose) = try_account(state, account, &request.password).await? {
            let (token, hash) = new_session_token();
            db::sessions::create(&state.db, &hash, account.id, purpose.as_db()).await?;
            db::audit::append(
                &state.db,
                &AuditEvent {
                    action: "account.signed_in",
                    actor: format!("user:{}", account.id),
                    ip: address,
                    establishment_id: Some(account.establishment_id),
                    user_id: Some(account.id),
                    details: purpose.as_db().into(),
                },
            )
            .await?;
            return Ok(SignedIn {
                token,
                account: SignedInAccount::User {
                    id: account.id,
                    purpose,
                },
            });
        }
    }
    if accounts.is_empty() {
        verify_nothing(state, &request.password).await?;
    }
    Err(failed(state, &email, address, accounts.first().map(|a| a.id)).await?)
}

/// Counts a failure against the address and the account, and records it.
async fn failed(
    state: &AppState,
    email: &str,
    address: String,
    user_id: Option<i64>,
) -> Result<SignInError, SignInError> {
    FAILURES_PER_ACCOUNT.count(&state.db, email).await?;
    FAILURES_PER_ACCOUNT_DAY.count(&state.db, email).await?;
    FAILURES_PER_ADDRESS.count(&state.db, &address).await?;
    db::audit::append(
        &state.db,
        &AuditEvent {
            action: "account.sign_in_failed",
            actor: "anonymous".into(),
            ip: address,
            establishment_id: None,
            user_id,
            details: String::new(),
        },
    )
    .await?;
    Ok(SignInError::Failed)
}
