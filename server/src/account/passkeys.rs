//! Passkeys ("clés d'accès", WebAuthn; PRODUCT.md §3bis) with webauthn-rs. A passkey is a
//! second factor after the password, or the whole sign-in when the authenticator keeps it
//! (a discoverable credential names its person). Each ceremony's state waits in the
//! database between its two requests, for one use, so that any instance may finish it.
//! webauthn-rs checks the challenge, the origin, the signature, user verification and the
//! signature counter (a counter that goes back is refused: a cloned key).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use inscription_shared::second_factor::{passkey_name, PasskeyAnswer, PasskeyOptions};
use serde::de::DeserializeOwned;
use serde::Serialize;
use webauthn_rs::prelude::{
    DiscoverableAuthentication, Passkey, PasskeyAuthentication, PasskeyRegistration,
    PublicKeyCredential, RegisterPublicKeyCredential, Url, Uuid, Webauthn, WebauthnBuilder,
};

use super::second_factor::Person;
use super::{new_session_token, token_hash};
use crate::db::passkeys::{self as sql, NewPasskey};
use crate::db::Db;
use crate::rate_limit::Limit;

/// How long a ceremony waits for the authenticator's answer.
pub const CEREMONY_SECONDS: i64 = 300;
/// Sign-ins with a passkey alone started from one address (each keeps a row until it
/// ends or expires): a person needs a few, a flood is refused.
pub const SIGN_INS_BEGUN_PER_ADDRESS: Limit = Limit {
    kind: "passkey-sign-in-address",
    max: 30,
    window_seconds: 15 * 60,
};

#[derive(Debug, thiserror::Error)]
pub enum PasskeyError {
    #[error("Les clés d’accès ne fonctionnent qu’à l’adresse du portail en nom de domaine (son adresse publique)\u{a0}: utilisez plutôt un code à usage unique.")]
    Unavailable,
    #[error("Cette demande a expiré ou a déjà servi. Recommencez.")]
    CeremonyOver,
    #[error("La réponse de votre clé d’accès est illisible. Recommencez.")]
    Unreadable,
    #[error("Cette clé d’accès n’a pas été reconnue. Utilisez une clé enregistrée sur votre compte, ou un code à usage unique.")]
    Refused,
    #[error("Votre navigateur n’a pas pu créer de clé d’accès valable pour ce portail. Recommencez, ou utilisez un code à usage unique.")]
    NotCreated,
    #[error("{0}")]
    Name(&'static str),
    #[error("Cette clé d’accès est déjà enregistrée.")]
    Known,
    #[error("Cette clé d’accès n’existe pas ou a déjà été retirée. Rechargez la page.")]
    NotFound,
    #[error("Aucune clé d’accès n’est enregistrée sur ce compte.")]
    NoneHeld,
    #[error("Les clés d’accès ne sont pas proposées aux comptes des opérateurs\u{a0}: utilisez votre application de codes à usage unique.")]
    OperatorsHaveNone,
    #[error("erreur de base de données")]
    Database(#[from] sqlx::Error),
}

/// The user whose passkeys these are: the lender's operators hold none.
fn user_of(person: &Person) -> Result<i64, PasskeyError> {
    person.holder.user().ok_or(PasskeyError::OperatorsHaveNone)
}

/// What a ceremony is for; its state serves that purpose only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ceremony {
    /// Adding a passkey to a signed-in account.
    Register,
    /// The sign-in's second step, after the password.
    SecondStep,
    /// Signing in with a passkey alone.
    SignIn,
    /// Proving the factor again before a sensitive action.
    Reauthenticate,
}

impl Ceremony {
    fn as_db(self) -> &'static str {
        match self {
            Self::Register => "register",
            Self::SecondStep => "second-step",
            Self::SignIn => "sign-in",
            Self::Reauthenticate => "reauthenticate",
        }
    }
}

/// The product as a WebAuthn relying party: its domain is the public address's. A portal
/// served at an IP address has none (browsers refuse passkeys there).
#[derive(Clone)]
pub struct Passkeys {
    webauthn: Option<std::sync::Arc<Webauthn>>,
}

impl Passkeys {
    pub fn new(public_url: &str, lender_name: &str) -> Self {
        let webauthn = Url::parse(public_url).ok().and_then(|origin| {
            let domain = origin.domain()?.to_owned();
            WebauthnBuilder::new(&domain, &origin)
                .ok()?
                .rp_name(lender_name)
                .build()
                .ok()
        });
        Self {
            webauthn: webauthn.map(std::sync::Arc::new),
        }
    }

    fn webauthn(&self) -> Result<&Webauthn, PasskeyError> {
        self.webauthn.as_deref().ok_or(PasskeyError::Unavailable)
    }

    /// Starts adding a passkey to the person's account (theirs excluded, so that one
    /// authenticator is not enrolled twice).
    pub async fn begin_registration(
        &self,
        db: &Db,
        person: &Person,
        at: i64,
    ) -> Result<PasskeyOptions, PasskeyError> {
        let webauthn = self.webauthn()?;
        let held = sql::of_user(db, user_of(person)?).await?;
        let handle = held
            .first()
            .and_then(|p| Uuid::parse_str(&p.user_handle).ok())
            .unwrap_or_else(Uuid::new_v4);
        let exclude = held
            .iter()
            .filter_map(|p| URL_SAFE_NO_PAD.decode(&p.credential_id).ok())
            .collect();
        let (options, state) = webauthn
            .start_passkey_registration(handle, &person.email, &person.email, Some(exclude))
            .map_err(|_| PasskeyError::Unavailable)?;
        // A passkey the authenticator keeps (discoverable), so that it can sign in alone.
        let mut options = json_value(&options)?;
        if let Some(selection) = options
            .pointer_mut("/publicKey/authenticatorSelection")
            .and_then(|s| s.as_object_mut())
        {
            selection.insert("residentKey".into(), "required".into());
            selection.insert("requireResidentKey".into(), true.into());
        }
        let state = Registration { handle, state };
        begin(
            db,
            Some(user_of(person)?),
            Ceremony::Register,
            &state,
            &options,
            at,
        )
        .await
    }

    /// Finishes adding a passkey: checks the authenticator's answer and keeps the key under
    /// the name the person gave it; audited, and the person is e-mailed. Answers the
    /// recovery codes given with it (none when the person has some left).
    pub async fn finish_registration(
        &self,
        db: &Db,
        person: &Person,
        answer: &PasskeyAnswer,
        at: i64,
        ip: &str,
    ) -> Result<Vec<String>, PasskeyError> {
        let webauthn = self.webauthn()?;
        let name = passkey_name(&answer.name).map_err(PasskeyError::Name)?;
        let state: Registration = take(
            db,
            &answer.ceremony,
            Some(user_of(person)?),
            Ceremony::Register,
            at,
        )
        .await?;
        let credential: RegisterPublicKeyCredential =
            serde_json::from_str(&answer.credential).map_err(|_| PasskeyError::Unreadable)?;
        // Known already (to this person or another): said as such.
        let offered = URL_SAFE_NO_PAD.encode(&credential.raw_id);
        if sql::by_credential(db, &offered).await?.is_some() {
            return Err(PasskeyError::Known);
        }
        let passkey = webauthn
            .finish_passkey_registration(&credential, &state.state)
            .map_err(|e| {
                tracing::info!(%e, "passkey registration refused");
                PasskeyError::NotCreated
            })?;
        let credential_id = URL_SAFE_NO_PAD.encode(passkey.cred_id());
        let record = serde_json::to_string(&passkey).map_err(|_| PasskeyError::Unreadable)?;
        let mut event = person.event("account.passkey_added", ip);
        event.details = name.clone();
        let body = format!(
            "Bonjour,\n\nUne clé d’accès nommée «\u{a0}{name}\u{a0}» a été ajoutée à votre compte \
             des services en ligne\u{a0}: elle peut désormais confirmer vos connexions.\n\nSi vous \
             n’êtes pas à l’origine de cet ajout, appelez sans attendre l’assistance.\n"
        );
        let new = NewPasskey {
            credential_id: &credential_id,
            user_id: user_of(person)?,
            user_handle: &state.handle.to_string(),
            name: &name,
            passkey: &record,
            at,
            event: &event,
            email: (&person.email, "Clé d’accès ajoutée à votre compte", &body),
        };
        if !sql::add(db, &new).await? {
            return Err(PasskeyError::Known);
        }
        // Without a recovery code left, the person gets ten, shown this once: a lost
        // passkey then need not wait for the level above.
        if crate::db::second_factor::recovery_codes_left(db, person.holder).await? > 0 {
            return Ok(Vec::new());
        }
        let (codes, hashes) = super::second_factor::new_recovery_codes();
        crate::db::second_factor::replace_recovery_codes(db, person.holder, &hashes).await?;
        Ok(codes)
    }

    /// Starts a passkey's check: `user_id` names whose passkeys may answer; `None` for a
    /// sign-in with a passkey alone, where the authenticator offers the person's own.
    pub async fn begin_authentication(
        &self,
        db: &Db,
        user_id: Option<i64>,
        ceremony: Ceremony,
        at: i64,
    ) -> Result<PasskeyOptions, PasskeyError> {
        let webauthn = self.webauthn()?;
        match user_id {
            Some(user_id) => {
                let held: Vec<Passkey> = sql::of_user(db, user_id)
                    .await?
                    .iter()
                    .filter_map(|p| serde_json::from_str(&p.passkey).ok())
                    .collect();
                if held.is_empty() {
                    return Err(PasskeyError::NoneHeld);
                }
                let (options, state) = webauthn
                    .start_passkey_authentication(&held)
                    .map_err(|_| PasskeyError::Unavailable)?;
                let options = json_value(&options)?;
                begin(db, Some(user_id), ceremony, &state, &options, at).await
            }
            None => {
                let (options, state) = webauthn
                    .start_discoverable_authentication()
                    .map_err(|_| PasskeyError::Unavailable)?;
                // Asked on a button's press, not offered in the address field's suggestions.
                let mut options = json_value(&options)?;
                if let Some(o) = options.as_object_mut() {
                    o.remove("mediation");
                }
                begin(db, None, ceremony, &state, &options, at).await
            }
        }
    }

    /// Finishes a passkey's check; answers whose passkey it was. The key's counter and last
    /// use are kept.
    pub async fn finish_authentication(
        &self,
        db: &Db,
        user_id: Option<i64>,
        ceremony: Ceremony,
        answer: &PasskeyAnswer,
        at: i64,
    ) -> Result<i64, PasskeyError> {
        let webauthn = self.webauthn()?;
        let state_text = take_text(db, &answer.ceremony, user_id, ceremony, at).await?;
        let credential: PublicKeyCredential =
            serde_json::from_str(&answer.credential).map_err(|_| PasskeyError::Unreadable)?;
        let credential_id = URL_SAFE_NO_PAD.encode(credential.get_credential_id());
        let stored = sql::by_credential(db, &credential_id)
            .await?
            .ok_or(PasskeyError::Refused)?;
        if user_id.is_some_and(|expected| expected != stored.user_id) {
            return Err(PasskeyError::Refused);
        }
        let mut passkey: Passkey =
            serde_json::from_str(&stored.passkey).map_err(|_| PasskeyError::Refused)?;
        let result = if user_id.is_none() {
            let state: DiscoverableAuthentication =
                serde_json::from_str(&state_text).map_err(|_| PasskeyError::CeremonyOver)?;
            let (handle, _) = webauthn
                .identify_discoverable_authentication(&credential)
                .map_err(|e| refused("discoverable", &e))?;
            // Always the same refusal: an unknown key and a wrong signature look alike.
            if handle.to_string() != stored.user_handle {
                return Err(PasskeyError::Refused);
            }
            webauthn.finish_discoverable_authentication_v2(&credential, state, &passkey)
        } else {
            let state: PasskeyAuthentication =
                serde_json::from_str(&state_text).map_err(|_| PasskeyError::CeremonyOver)?;
            webauthn.finish_passkey_authentication(&credential, &state)
        }
        .map_err(|e| refused("authentication", &e))?;
        let updated = match passkey.update_credential(&result) {
            Some(true) => serde_json::to_string(&passkey).ok(),
            _ => None,
        };
        sql::used(db, &credential_id, updated.as_deref(), at).await?;
        Ok(stored.user_id)
    }
}

/// Removes one of the person's passkeys; audited, and the person is e-mailed.
pub async fn remove(
    db: &Db,
    person: &Person,
    credential_id: &str,
    at: i64,
    ip: &str,
) -> Result<(), PasskeyError> {
    let name = sql::lines(db, user_of(person)?)
        .await?
        .into_iter()
        .find(|p| p.credential_id == credential_id)
        .ok_or(PasskeyError::NotFound)?
        .name;
    let mut event = person.event("account.passkey_removed", ip);
    event.details = name.clone();
    let body = format!(
        "Bonjour,\n\nLa clé d’accès nommée «\u{a0}{name}\u{a0}» a été retirée de votre compte des \
         services en ligne\u{a0}: elle ne confirme plus vos connexions.\n\nSi vous n’êtes pas à \
         l’origine de ce retrait, appelez sans attendre l’assistance.\n"
    );
    let email = (
        person.email.as_str(),
        "Clé d’accès retirée de votre compte",
        body.as_str(),
    );
    if !sql::remove(db, user_of(person)?, credential_id, at, &event, email).await? {
        return Err(PasskeyError::NotFound);
    }
    Ok(())
}

/// Whether the person holds a passkey.
pub async fn held(db: &Db, user_id: i64) -> Result<bool, sqlx::Error> {
    sql::any_of_user(db, user_id).await
}

/// A registration's state, with the handle the new passkey will carry.
#[derive(serde::Serialize, serde::Deserialize)]
struct Registration {
    handle: Uuid,
    state: PasskeyRegistration,
}

fn json_value(options: &impl Serialize) -> Result<serde_json::Value, PasskeyError> {
    serde_json::to_value(options).map_err(|_| PasskeyError::Unavailable)
}

/// Keeps the ceremony's state; answers its token and the options for the browser.
async fn begin(
    db: &Db,
    user_id: Option<i64>,
    ceremony: Ceremony,
    state: &impl Serialize,
    options: &serde_json::Value,
    at: i64,
) -> Result<PasskeyOptions, PasskeyError> {
    let state = serde_json::to_string(state).map_err(|_| PasskeyError::Unavailable)?;
    let (token, hash) = new_session_token();
    sql::begin_ceremony(
        db,
        &hash,
        user_id,
        ceremony.as_db(),
        &state,
        at + CEREMONY_SECONDS,
    )
    .await?;
    Ok(PasskeyOptions {
        ceremony: token,
        options: options.to_string(),
    })
}

async fn take_text(
    db: &Db,
    token: &str,
    user_id: Option<i64>,
    ceremony: Ceremony,
    at: i64,
) -> Result<String, PasskeyError> {
    sql::take_ceremony(db, &token_hash(token), user_id, ceremony.as_db(), at)
        .await?
        .ok_or(PasskeyError::CeremonyOver)
}

async fn take<T: DeserializeOwned>(
    db: &Db,
    token: &str,
    user_id: Option<i64>,
    ceremony: Ceremony,
    at: i64,
) -> Result<T, PasskeyError> {
    let text = take_text(db, token, user_id, ceremony, at).await?;
    serde_json::from_str(&text).map_err(|_| PasskeyError::CeremonyOver)
}

/// A refused answer, logged with webauthn-rs's reason (the person reads one sentence).
fn refused(step: &str, error: &webauthn_rs::prelude::WebauthnError) -> PasskeyError {
    tracing::info!(step, %error, "passkey refused");
    PasskeyError::Refused
}
