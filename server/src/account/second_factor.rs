//! The second factor (PRODUCT.md §3bis): a one-time code app (TOTP, RFC 6238, with
//! `totp-rs`) and ten single-use recovery codes. A code is accepted for its time step or
//! the steps on either side (a phone's clock a little off), once: the last accepted step
//! is kept, and only a later one passes. A sign-in whose password was right waits for the
//! code in a challenge, which dies after five wrong codes or five minutes; the person's
//! wrong codes are also counted across challenges, so that signing in again does not buy
//! more guesses.

use inscription_shared::second_factor::{
    parse_code, Code, PasskeyAnswer, Security, TotpEnrolment, RECOVERY_ALPHABET, RECOVERY_CODES,
    RECOVERY_LENGTH,
};
use rand::Rng;
use totp_rs::{Algorithm, Secret, TOTP};

use super::passkeys::{Ceremony, PasskeyError, Passkeys};
use super::{new_session_token, token_hash};
use crate::db::audit::AuditEvent;
use crate::db::second_factor::{self as sql, Confirmation, Holder};
use crate::db::Db;
use crate::rate_limit::{Limit, Limits, RateLimitError};

const STEP: i64 = 30;
/// How long a sign-in waits for its second factor.
pub const CHALLENGE_SECONDS: i64 = 300;
/// Wrong codes one sign-in may try before the password is asked again.
pub const CHALLENGE_TRIES: i64 = 5;
/// Wrong codes a person's sign-ins may try, whatever their number: ten a quarter of an
/// hour leaves a guesser of six digits about two years' work on average.
pub const PER_ACCOUNT: Limit = Limit {
    kind: "second-factor-account",
    max: 10,
    window_seconds: 15 * 60,
};

#[derive(Debug, thiserror::Error)]
pub enum SecondFactorError {
    #[error("{0}")]
    Malformed(&'static str),
    #[error("Ce code ne convient pas. Vérifiez que l’heure de votre téléphone est juste, ou saisissez un code de secours.")]
    Wrong,
    #[error("Ce code a déjà servi. Attendez le suivant (30\u{a0}secondes au plus).")]
    Replayed,
    #[error("Les codes à usage unique protègent déjà votre compte.")]
    AlreadyEnrolled,
    #[error("Ajoutez d’abord le compte à votre application\u{a0}: le code qu’elle affiche confirme l’ajout.")]
    NotStarted,
    #[error("Cette connexion a expiré ou a reçu trop de codes faux. Saisissez de nouveau votre mot de passe.")]
    ChallengeOver,
    #[error(transparent)]
    Passkey(#[from] PasskeyError),
    #[error(transparent)]
    Throttled(#[from] RateLimitError),
    #[error("erreur de base de données")]
    Database(#[from] sqlx::Error),
}

/// The app's generator for this secret; `issuer` and `email` name the account in the app.
fn generator(secret: &str, issuer: &str, email: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().ok()?;
    // The issuer and the account's name may not hold ':' in an otpauth address.
    let issuer = issuer.replace(':', " ");
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        STEP as u64,
        bytes,
        Some(issuer),
        email.replace(':', " "),
    )
    .ok()
}

/// The time step whose code this is (now's, or the one on either side), if any.
fn matching_step(generator: &TOTP, code: &str, at: i64) -> Option<i64> {
    [0, -1, 1].into_iter().find_map(|offset| {
        let time = at + offset * STEP;
        let expected = generator.generate(u64::try_from(time).ok()?);
        // Compared in constant time: the digits must not leak one by one.
        let same = expected.len() == code.len()
            && expected
                .bytes()
                .zip(code.bytes())
                .fold(0, |d, (a, b)| d | (a ^ b))
                == 0;
        same.then_some(time / STEP)
    })
}

/// Ten new recovery codes, and their hashes (what the database keeps).
pub(crate) fn new_recovery_codes() -> (Vec<String>, Vec<String>) {
    let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| recovery_code()).collect();
    let hashes = codes.iter().map(|c| token_hash(c)).collect();
    (codes, hashes)
}

/// Whether the person can answer with a code: their app's, or a recovery code left.
pub async fn has_codes(db: &Db, holder: Holder) -> Result<bool, sqlx::Error> {
    Ok(has_app(db, holder).await? || sql::recovery_codes_left(db, holder).await? > 0)
}

fn recovery_code() -> String {
    let mut rng = rand::rngs::OsRng;
    (0..RECOVERY_LENGTH)
        .map(|_| RECOVERY_ALPHABET[rng.gen_range(0..RECOVERY_ALPHABET.len())] as char)
        .collect()
}

/// Who is enrolling: their account, address and establishment (an operator has none).
pub struct Person {
    pub holder: Holder,
    pub email: String,
    pub establishment_id: Option<i64>,
}

impl Person {
    pub(crate) fn event(&self, action: &'static str, ip: &str) -> AuditEvent {
        AuditEvent {
            action,
            actor: self.holder.to_string(),
            ip: ip.into(),
            establishment_id: self.establishment_id,
            user_id: self.holder.user(),
            details: String::new(),
        }
    }
}

/// Starts adding a one-time code app: a new secret, unconfirmed until its first code.
pub async fn start(
    db: &Db,
    person: &Person,
    issuer: &str,
    at: i64,
    ip: &str,
) -> Result<TotpEnrolment, SecondFactorError> {
    let mut bytes = [0u8; 20];
    rand::Rng::fill(&mut rand::rngs::OsRng, &mut bytes);
    let secret = Secret::Raw(bytes.to_vec()).to_encoded().to_string();
    let event = person.event("account.totp_started", ip);
    if !sql::start(db, person.holder, &secret, at, &event).await? {
        return Err(SecondFactorError::AlreadyEnrolled);
    }
    let uri = generator(&secret, issuer, &person.email)
        .map(|g| g.get_url())
        .unwrap_or_default();
    let (qr_path, qr_size) = qr_drawing(&uri);
    Ok(TotpEnrolment {
        secret,
        uri,
        qr_path,
        qr_size,
    })
}

/// The QR code of `text` as one SVG path, a dark square per dark module, with the quiet
/// zone of four modules the readers need around it; and the square's side. Drawn here
/// rather than in the page: a QR encoder would weigh 12 KB in the signed-in bundle.
fn qr_drawing(text: &str) -> (String, u32) {
    let Ok(code) = qrcode::QrCode::new(text.as_bytes()) else {
        return (String::new(), 0);
    };
    let width = code.width();
    let mut path = String::new();
    for (i, color) in code.to_colors().into_iter().enumerate() {
        if color == qrcode::Color::Dark {
            path.push_str(&format!("M{} {}h1v1h-1z", i % width + 4, i / width + 4));
        }
    }
    (path, u32::try_from(width + 8).unwrap_or(0))
}

/// Confirms the app with a code it shows; returns the recovery codes, shown this once.
pub async fn confirm(
    db: &Db,
    person: &Person,
    typed: &str,
    issuer: &str,
    at: i64,
    ip: &str,
) -> Result<Vec<String>, SecondFactorError> {
    let Code::Totp(code) = parse_code(typed).map_err(SecondFactorError::Malformed)? else {
        return Err(SecondFactorError::Wrong);
    };
    let factor = sql::totp(db, person.holder)
        .await?
        .ok_or(SecondFactorError::NotStarted)?;
    if factor.confirmed_at.is_some() {
        return Err(SecondFactorError::AlreadyEnrolled);
    }
    let generator =
        generator(&factor.secret, issuer, &person.email).ok_or(SecondFactorError::NotStarted)?;
    let step = matching_step(&generator, &code, at).ok_or(SecondFactorError::Wrong)?;
    let (codes, hashes) = new_recovery_codes();
    let event = person.event("account.totp_enrolled", ip);
    let body = format!(
        "Bonjour,\n\nUne application de codes à usage unique protège désormais votre compte \
         des services en ligne de {issuer}\u{a0}: chaque connexion vous demandera, après votre \
         mot de passe, le code qu’elle affiche.\n\nSi vous n’êtes pas à l’origine de ce \
         changement, appelez sans attendre l’assistance.\n"
    );
    let confirmation = Confirmation {
        holder: person.holder,
        step,
        recovery_hashes: &hashes,
        at,
        event: &event,
        email: (
            &person.email,
            "Codes à usage unique activés sur votre compte",
            &body,
        ),
    };
    if !sql::confirm(db, &confirmation).await? {
        return Err(SecondFactorError::AlreadyEnrolled);
    }
    Ok(codes)
}

/// Whether the person has a confirmed one-time code app.
pub async fn has_app(db: &Db, holder: Holder) -> Result<bool, sqlx::Error> {
    Ok(sql::totp(db, holder)
        .await?
        .is_some_and(|f| f.confirmed_at.is_some()))
}

/// Whether the person signs in with a second factor: an app or a passkey (users only).
pub async fn required(db: &Db, holder: Holder) -> Result<bool, sqlx::Error> {
    if has_app(db, holder).await? {
        return Ok(true);
    }
    match holder.user() {
        Some(user_id) => super::passkeys::held(db, user_id).await,
        None => Ok(false),
    }
}

pub async fn security(db: &Db, user_id: i64) -> Result<Security, sqlx::Error> {
    Ok(Security {
        totp: has_app(db, Holder::User(user_id)).await?,
        recovery_codes_left: sql::recovery_codes_left(db, Holder::User(user_id)).await?,
        passkeys: crate::db::passkeys::lines(db, user_id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    })
}

/// Checks a code of the person's and spends it.
async fn spend(db: &Db, holder: Holder, typed: &str, at: i64) -> Result<(), SecondFactorError> {
    match parse_code(typed).map_err(SecondFactorError::Malformed)? {
        Code::Totp(code) => {
            let factor = sql::totp(db, holder)
                .await?
                .ok_or(SecondFactorError::Wrong)?;
            // The issuer and name do not change the codes.
            let generator = generator(&factor.secret, "", "").ok_or(SecondFactorError::Wrong)?;
            let step = matching_step(&generator, &code, at).ok_or(SecondFactorError::Wrong)?;
            if !sql::spend_step(db, holder, step).await? {
                return Err(SecondFactorError::Replayed);
            }
        }
        Code::Recovery(code) => {
            if !sql::spend_recovery(db, holder, &token_hash(&code), at).await? {
                return Err(SecondFactorError::Wrong);
            }
        }
    }
    Ok(())
}

/// When an administrator without a second factor must add one before managing accesses
/// again (PRODUCT.md §3bis): `None` when they owe none (they hold one, or are no
/// administrator). The date is set at activation and when named (at once), or a grace
/// period ahead for those named before the rule.
pub async fn owed_by(db: &Db, user_id: i64) -> Result<Option<i64>, sqlx::Error> {
    if required(db, Holder::User(user_id)).await? {
        return Ok(None);
    }
    sql::due_at(db, user_id).await
}

/// Whether the date a factor was owed by has come.
pub fn overdue(owed_by: Option<i64>, at: i64) -> bool {
    owed_by.is_some_and(|due| at >= due)
}

/// Whether an action that asks a fresh factor must first prove it again: only a person who
/// has one, and whose last proof (`factor_at`) is older than `window` seconds.
pub fn proof_too_old(has_factor: bool, factor_at: Option<i64>, at: i64, window: i64) -> bool {
    has_factor && factor_at.is_none_or(|proved| at - proved > window)
}

/// Proves the factor again for this session (`session_hash`): a code of the app or a
/// recovery code, counted as the sign-in's are.
pub async fn reauthenticate(
    limits: &Limits<'_>,
    session_hash: &str,
    person: &Person,
    typed: &str,
    ip: &str,
) -> Result<(), SecondFactorError> {
    let (db, at) = (limits.db, limits.at);
    if !has_codes(db, person.holder).await? {
        return Err(SecondFactorError::NotStarted);
    }
    if let Err(malformed) = parse_code(typed) {
        return Err(SecondFactorError::Malformed(malformed));
    }
    let slot = limits
        .take(&PER_ACCOUNT, &person.holder.to_string())
        .await?;
    spend(db, person.holder, typed, at).await?;
    slot.give_back(db).await?;
    proved_again(db, session_hash, person, at, ip).await?;
    Ok(())
}

/// Records that this session proved the factor again (a code or a passkey), audited.
pub async fn proved_again(
    db: &Db,
    session_hash: &str,
    person: &Person,
    at: i64,
    ip: &str,
) -> Result<(), sqlx::Error> {
    let event = person.event("account.reauthenticated", ip);
    crate::db::sessions::prove_factor(db, person.holder, session_hash, at, &event).await
}

/// A sign-in whose password was right: the token of its challenge.
pub async fn challenge(db: &Db, holder: Holder, at: i64) -> Result<String, sqlx::Error> {
    let (token, hash) = new_session_token();
    sql::add_challenge(db, &hash, holder, at + CHALLENGE_SECONDS).await?;
    Ok(token)
}

/// The second step of a sign-in answered with a passkey: the person whose challenge it
/// answers. A refused answer counts as a wrong code.
pub async fn answer_with_passkey(
    db: &Db,
    passkeys: &Passkeys,
    challenge_token: &str,
    answer: &PasskeyAnswer,
    at: i64,
) -> Result<i64, SecondFactorError> {
    let hash = token_hash(challenge_token);
    let (holder, _) = sql::challenge(db, &hash, at)
        .await?
        .ok_or(SecondFactorError::ChallengeOver)?;
    // Operators hold no passkey: their challenge is answered with a code.
    let user_id = holder.user().ok_or(SecondFactorError::ChallengeOver)?;
    let checked = passkeys
        .finish_authentication(db, Some(user_id), Ceremony::SecondStep, answer, at)
        .await;
    if let Err(e) = checked {
        failed_answer(db, holder, &hash, at).await?;
        return Err(SecondFactorError::Passkey(e));
    }
    if !sql::end_challenge(db, holder, &hash).await? {
        return Err(SecondFactorError::ChallengeOver);
    }
    Ok(user_id)
}

/// The user a live challenge waits for (to ask their passkey; operators hold none).
pub async fn challenged(db: &Db, challenge_token: &str, at: i64) -> Result<i64, SecondFactorError> {
    sql::challenge(db, &token_hash(challenge_token), at)
        .await?
        .and_then(|(holder, _)| holder.user())
        .ok_or(SecondFactorError::ChallengeOver)
}

/// Counts a wrong answer to a challenge, which ends after [`CHALLENGE_TRIES`].
async fn failed_answer(db: &Db, holder: Holder, hash: &str, at: i64) -> Result<(), sqlx::Error> {
    sql::count_failure(db, holder, hash).await?;
    let failures = sql::challenge(db, hash, at)
        .await?
        .map_or(CHALLENGE_TRIES, |(_, f)| f);
    if failures >= CHALLENGE_TRIES {
        sql::end_challenge(db, holder, hash).await?;
    }
    Ok(())
}

/// The second step of a sign-in: the person whose challenge this code answers.
pub async fn answer(
    limits: &Limits<'_>,
    challenge_token: &str,
    typed: &str,
) -> Result<Holder, SecondFactorError> {
    let (db, at) = (limits.db, limits.at);
    let hash = token_hash(challenge_token);
    let (holder, _) = sql::challenge(db, &hash, at)
        .await?
        .ok_or(SecondFactorError::ChallengeOver)?;
    if let Err(malformed) = parse_code(typed) {
        return Err(SecondFactorError::Malformed(malformed));
    }
    let slot = limits.take(&PER_ACCOUNT, &holder.to_string()).await?;
    match spend(db, holder, typed, at).await {
        Ok(()) => {
            slot.give_back(db).await?;
            if !sql::end_challenge(db, holder, &hash).await? {
                return Err(SecondFactorError::ChallengeOver);
            }
            Ok(holder)
        }
        Err(e) => {
            failed_answer(db, holder, &hash, at).await?;
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base32_of(bytes: &[u8]) -> String {
        Secret::Raw(bytes.to_vec()).to_encoded().to_string()
    }

    #[test]
    fn the_rfc_6238_vector_matches_its_step_and_its_neighbours() {
        // RFC 6238, appendix B: "12345678901234567890", SHA-1, T = 59 → 94287082 (8 digits);
        // with 6 digits, 287082.
        let secret = base32_of(b"12345678901234567890");
        let generator = generator(&secret, "Prêteur public", "a@b.fr").unwrap();
        assert_eq!(matching_step(&generator, "287082", 59), Some(1));
        assert_eq!(
            matching_step(&generator, "287082", 59 + 30),
            Some(1),
            "a step late"
        );
        assert_eq!(
            matching_step(&generator, "287082", 59 - 30),
            Some(1),
            "a step early"
        );
        assert_eq!(
            matching_step(&generator, "287082", 59 + 60),
            None,
            "two steps late"
        );
        assert_eq!(matching_step(&generator, "287083", 59), None);
    }

    #[test]
    fn only_a_person_with_a_factor_and_an_old_proof_proves_it_again() {
        assert!(
            !proof_too_old(false, None, 1000, 900),
            "no factor, nothing to prove"
        );
        assert!(
            proof_too_old(true, None, 1000, 900),
            "never proved in this session"
        );
        assert!(
            !proof_too_old(true, Some(100), 1000, 900),
            "proved 900 s ago"
        );
        assert!(proof_too_old(true, Some(99), 1000, 900), "proved 901 s ago");
    }

    #[test]
    fn the_qr_code_is_a_square_with_its_quiet_zone() {
        let (path, size) = qr_drawing("otpauth://totp/Pr%C3%AAteur:a%40b.fr?secret=ABC");
        // Version 4 (33 modules) for this length, plus four modules each side.
        assert_eq!(size, 33 + 8);
        assert!(
            path.starts_with("M4 4h1v1h-1z"),
            "the finder pattern's corner"
        );
        for edge in ["M0 ", "M3 ", "M37 ", "M40 "] {
            assert!(!path.contains(edge), "nothing in the quiet zone: {edge}");
        }
    }

    #[test]
    fn recovery_codes_read_back_and_differ() {
        let a = recovery_code();
        assert_eq!(
            parse_code(&inscription_shared::second_factor::show_recovery(&a)),
            Ok(Code::Recovery(a.clone()))
        );
        assert_ne!(a, recovery_code());
    }
}
