//! Sign-in: one answer for every failure, in about the same time (an unknown address still
//! costs one Argon2 verification). Each attempt takes its slots before it is verified;
//! throttling falls on the guesser's address, and an account under attack asks for a
//! CAPTCHA proof rather than refusing its owner.

use std::net::IpAddr;
use std::sync::OnceLock;

use inscription_shared::account::{SignInRequest, CAPTCHA_NEEDED, SIGN_IN_FAILED};
use inscription_shared::temporary_password::TemporaryPassword;

use super::new_session_token;
use crate::captcha::Captcha;
use crate::captcha::CaptchaError;
use crate::db::audit::AuditEvent;
use crate::db::second_factor::Holder;
use crate::db::Db;
use crate::db::{self, accounts::SignInAccount};
use crate::domain::AccountStatus;
use crate::domain::Purpose;
use crate::password_hash::Hasher;
use crate::password_hash::{HashError, Lane};
use crate::rate_limit::Limits;
use crate::rate_limit::{address_key, give_back_all, Limit, RateLimitError, Slot};

const MINUTE: i64 = 60;
const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;

/// The attacker's side: failures from one address on one account wait longer and longer
/// (5 in 5 minutes, 10 in an hour, 20 in a day): a progressive delay that never touches
/// the owner trying from elsewhere.
pub const PER_ACCOUNT_AND_ADDRESS: [Limit; 3] = [
    Limit {
        kind: "sign-in-account-address",
        max: 5,
        window_seconds: 5 * MINUTE,
    },
    Limit {
        kind: "sign-in-account-address-hour",
        max: 10,
        window_seconds: HOUR,
    },
    Limit {
        kind: "sign-in-account-address-day",
        max: 20,
        window_seconds: DAY,
    },
];
/// Failures from one address on any account (guessing many accounts at once).
pub const PER_ADDRESS: [Limit; 2] = [
    Limit {
        kind: "sign-in-address",
        max: 30,
        window_seconds: 15 * MINUTE,
    },
    Limit {
        kind: "sign-in-address-day",
        max: 100,
        window_seconds: DAY,
    },
];
/// The owner's side: past these failures on one account, from wherever they came, every
/// try needs a fresh CAPTCHA proof. The right secret with a proof is never refused.
pub const PER_ACCOUNT: [Limit; 2] = [
    Limit {
        kind: "sign-in-account",
        max: 5,
        window_seconds: 15 * MINUTE,
    },
    Limit {
        kind: "sign-in-account-day",
        max: 20,
        window_seconds: DAY,
    },
];

#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    #[error("{}", SIGN_IN_FAILED)]
    Failed,
    #[error(transparent)]
    Throttled(#[from] RateLimitError),
    #[error("{}", CAPTCHA_NEEDED)]
    CaptchaNeeded,
    #[error(transparent)]
    Captcha(#[from] CaptchaError),
    #[error("erreur de hachage")]
    Hash(#[from] HashError),
    #[error("erreur de base de données")]
    Database(#[from] sqlx::Error),
}

/// Whose session was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedInAccount {
    User {
        id: i64,
        purpose: Purpose,
    },
    /// The password was right; the token is a challenge's, which the second factor answers.
    AwaitingSecondFactor {
        holder: Holder,
    },
    /// An operator without a second factor yet: their session may only add one.
    Operator {
        id: i64,
    },
}

/// A new session.
pub struct SignedIn {
    pub token: String,
    pub account: SignedInAccount,
}

/// What signing in reads: the database, the password hasher, the CAPTCHA asked after
/// many failures, and the rate limits as the request meets them (with its time).
pub struct SignInParts<'a> {
    pub db: &'a Db,
    pub hasher: &'a Hasher,
    pub captcha: &'a Captcha,
    pub limits: Limits<'a>,
}

/// A hash to verify against when there is nothing real to verify, so that every
/// failure costs the same.
async fn dummy_hash(parts: &SignInParts<'_>) -> Result<&'static str, HashError> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    if let Some(hash) = DUMMY.get() {
        return Ok(hash);
    }
    let hash = parts
        .hasher
        .hash("mot de passe factice pour un temps constant")
        .await?;
    Ok(DUMMY.get_or_init(|| hash))
}

/// Spends the time of one verification without opening anything.
async fn verify_nothing(parts: &SignInParts<'_>, secret: &str) -> Result<(), SignInError> {
    let _ = parts
        .hasher
        .verify(Lane::SignIn, secret, dummy_hash(parts).await?)
        .await?;
    Ok(())
}

/// Checks the secret against one account (always one Argon2 verification); `Some(purpose)`
/// when it opens it. A wrong letter code is counted, never locked: the code carries about
/// 60 bits, and the limits above slow every guesser down.
async fn try_account(
    parts: &SignInParts<'_>,
    account: &SignInAccount,
    secret: &str,
) -> Result<Option<Purpose>, SignInError> {
    if let (Some(hash), AccountStatus::Active) = (&account.password_hash, account.status) {
        return Ok(parts
            .hasher
            .verify(Lane::SignIn, secret, hash)
            .await?
            .then_some(Purpose::Full));
    }
    let (Some(hash), Ok(code)) = (&account.temporary_hash, TemporaryPassword::parse(secret)) else {
        verify_nothing(parts, secret).await?;
        return Ok(None);
    };
    if parts
        .hasher
        .verify(Lane::SignIn, code.expose(), hash)
        .await?
    {
        return Ok(Some(Purpose::Activation));
    }
    db::accounts::count_temporary_failure(parts.db, account.id, parts.limits.at).await?;
    Ok(None)
}

/// Takes the attempt's slots before anything is verified: refused (429) on the attacker's
/// side, a CAPTCHA proof asked on the account's. The slots count the attempt as a failure
/// unless given back.
async fn admit(
    parts: &SignInParts<'_>,
    email: &str,
    request: &SignInRequest,
    ip: IpAddr,
) -> Result<Vec<Slot>, SignInError> {
    let (db, limits, address) = (parts.db, &parts.limits, address_key(ip));
    let pair = format!("{email}|{address}");
    let mut slots = limits.take_all(&PER_ACCOUNT_AND_ADDRESS, &pair).await?;
    slots.extend(limits.take_all(&PER_ADDRESS, &address).await?);
    let mut proof_needed = false;
    for limit in &PER_ACCOUNT {
        let hit = limit.hit(db, email, limits.at).await?;
        proof_needed |= hit.over.is_some();
        slots.push(hit.slot);
    }
    if proof_needed {
        let proof = if request.captcha.trim().is_empty() {
            Err(SignInError::CaptchaNeeded)
        } else {
            parts
                .captcha
                .verify(db, &request.captcha, ip, 0)
                .await
                .map_err(SignInError::from)
        };
        if let Err(e) = proof {
            // Nothing was evaluated: the attempt does not count.
            give_back_all(&slots, db).await?;
            return Err(e);
        }
    }
    Ok(slots)
}

pub async fn sign_in(
    parts: &SignInParts<'_>,
    request: &SignInRequest,
    ip: IpAddr,
) -> Result<SignedIn, SignInError> {
    let email = inscription_shared::identity::normalize_email(&request.email);
    let slots = admit(parts, &email, request, ip).await?;
    match evaluate(parts, &email, &request.password, ip).await {
        Err(SignInError::Failed) => Err(SignInError::Failed),
        // A success, or nothing evaluated (busy, database): not a failure.
        other => {
            give_back_all(&slots, parts.db).await?;
            other
        }
    }
}

/// One verification per candidate account, then a session or the failure recorded.
async fn evaluate(
    parts: &SignInParts<'_>,
    email: &str,
    password: &str,
    ip: IpAddr,
) -> Result<SignedIn, SignInError> {
    let address = ip.to_string();
    // The lender's operators sign in on the same page; their addresses are the lender's own.
    if let Some(operator) = db::operators::by_email(parts.db, email).await? {
        if parts
            .hasher
            .verify(Lane::SignIn, password, &operator.password_hash)
            .await?
        {
            let holder = Holder::Operator(operator.id);
            let at = parts.limits.at;
            if super::second_factor::required(parts.db, holder).await? {
                let token = super::second_factor::challenge(parts.db, holder, at).await?;
                let event = AuditEvent {
                    action: "operator.second_factor_asked",
                    actor: holder.to_string(),
                    ip: address,
                    establishment_id: None,
                    user_id: None,
                    details: String::new(),
                };
                db::audit::append(parts.db, &event).await?;
                return Ok(SignedIn {
                    token,
                    account: SignedInAccount::AwaitingSecondFactor { holder },
                });
            }
            // Their first sign-in since operators need a second factor: adding one is all
            // this session may do (the back office's extractor refuses the rest).
            let token = open_operator_session(parts.db, operator.id, at, false, &address).await?;
            return Ok(SignedIn {
                token,
                account: SignedInAccount::Operator { id: operator.id },
            });
        }
        return Err(failed(parts, address, None, "").await?);
    }

    let accounts = db::accounts::for_sign_in(parts.db, email, parts.limits.at).await?;
    for account in &accounts {
        if let Some(purpose) = try_account(parts, account, password).await? {
            let holder = Holder::User(account.id);
            if purpose == Purpose::Full && super::second_factor::required(parts.db, holder).await? {
                let token =
                    super::second_factor::challenge(parts.db, holder, parts.limits.at).await?;
                // A right password whose factor never comes is worth seeing in the trail.
                let event = AuditEvent {
                    action: "account.second_factor_asked",
                    actor: format!("user:{}", account.id),
                    ip: address.clone(),
                    establishment_id: Some(account.establishment_id),
                    user_id: Some(account.id),
                    details: String::new(),
                };
                db::audit::append(parts.db, &event).await?;
                return Ok(SignedIn {
                    token,
                    account: SignedInAccount::AwaitingSecondFactor { holder },
                });
            }
            let opened = Opened {
                user_id: account.id,
                establishment_id: account.establishment_id,
                purpose,
                second_factor: false,
            };
            let token = open_session(parts.db, &opened, parts.limits.at, &address).await?;
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
        verify_nothing(parts, password).await?;
    }
    let first = accounts.first();
    let details = if first.is_some_and(|a| a.temporary_hash.is_some()) {
        "mot de passe temporaire du courrier erroné"
    } else {
        ""
    };
    Err(failed(parts, address, first.map(|a| a.id), details).await?)
}

/// A session to open: whose, for what, and whether a second factor was given.
pub struct Opened {
    pub user_id: i64,
    pub establishment_id: i64,
    pub purpose: Purpose,
    pub second_factor: bool,
}

/// Opens the session and records the sign-in; returns its token.
pub async fn open_session(
    db: &Db,
    opened: &Opened,
    at: i64,
    ip: &str,
) -> Result<String, sqlx::Error> {
    let (token, hash) = new_session_token();
    let factor_at = opened.second_factor.then_some(at);
    db::sessions::create(
        db,
        &hash,
        opened.user_id,
        opened.purpose.as_db(),
        at,
        factor_at,
    )
    .await?;
    let details = if opened.second_factor {
        format!("{}, second facteur", opened.purpose.as_db())
    } else {
        opened.purpose.as_db().to_owned()
    };
    let event = AuditEvent {
        action: "account.signed_in",
        actor: format!("user:{}", opened.user_id),
        ip: ip.into(),
        establishment_id: Some(opened.establishment_id),
        user_id: Some(opened.user_id),
        details,
    };
    db::audit::append(db, &event).await?;
    Ok(token)
}

/// Opens an operator's session and records the sign-in; returns its token. `with_factor`:
/// whether the second factor was proved (without, the session may only add one).
pub async fn open_operator_session(
    db: &Db,
    operator_id: i64,
    at: i64,
    with_factor: bool,
    ip: &str,
) -> Result<String, sqlx::Error> {
    let (token, hash) = new_session_token();
    let factor_at = with_factor.then_some(at);
    db::operators::create_session(db, &hash, operator_id, at, factor_at).await?;
    let event = AuditEvent {
        action: "operator.signed_in",
        actor: format!("operator:{operator_id}"),
        ip: ip.into(),
        establishment_id: None,
        user_id: None,
        details: if with_factor {
            "second facteur"
        } else {
            "second facteur à ajouter"
        }
        .into(),
    };
    db::audit::append(db, &event).await?;
    Ok(token)
}

/// Records a failure (the slots taken in [`admit`] already count it).
async fn failed(
    parts: &SignInParts<'_>,
    address: String,
    user_id: Option<i64>,
    details: &str,
) -> Result<SignInError, SignInError> {
    db::audit::append(
        parts.db,
        &AuditEvent {
            action: "account.sign_in_failed",
            actor: "anonymous".into(),
            ip: address,
            establishment_id: None,
            user_id,
            details: details.into(),
        },
    )
    .await?;
    Ok(SignInError::Failed)
}
