//! The second factor (PRODUCT.md §3bis): a one-time code app ("code à usage unique",
//! TOTP) and single-use recovery codes ("codes de secours"). What a person types is read
//! here once, for the page's feedback and the server's check.

use serde::{Deserialize, Serialize};

/// The refusal of a sensitive action whose person must prove their second factor again
/// (the page then asks for the code, and the person starts the action again).
pub const REAUTHENTICATE: &str = "Cette action demande de confirmer votre identité\u{a0}: utilisez votre clé d’accès ou saisissez le code de votre application de codes à usage unique, puis recommencez.";

/// The refusal of a console change to an administrator who owes a second factor.
pub const FACTOR_OWED: &str = "Votre rôle d’administrateur demande un second facteur\u{a0}: ajoutez une clé d’accès ou une application de codes à usage unique depuis «\u{a0}Sécurité de mon compte\u{a0}», puis recommencez.";

/// The field's name, in the sign-in's second step and the enrolment's confirmation.
pub const CODE_FIELD: &str = "code";

/// How many recovery codes a person receives.
pub const RECOVERY_CODES: usize = 10;

/// The letters of a recovery code: no 0/O, 1/I/L, to be read and typed without doubt.
pub const RECOVERY_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
/// A recovery code's length, without its dash (about 49 bits).
pub const RECOVERY_LENGTH: usize = 10;

/// A code as typed, read: six digits from the app, or a recovery code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Code {
    Totp(String),
    /// Upper case, without its dash.
    Recovery(String),
}

pub const CODE_MISSING: &str =
    "Saisissez le code à six chiffres de votre application, ou un code de secours.";
pub const CODE_MALFORMED: &str =
    "Ce code n’a pas la bonne forme\u{a0}: six chiffres, ou un code de secours de dix caractères (par exemple K7QXM-3PD9H).";

/// Reads what was typed; spaces and dashes do not count, nor the case.
pub fn parse_code(typed: &str) -> Result<Code, &'static str> {
    let kept: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if kept.is_empty() {
        return Err(CODE_MISSING);
    }
    if kept.len() == 6 && kept.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(Code::Totp(kept));
    }
    if kept.len() == RECOVERY_LENGTH && kept.bytes().all(|b| RECOVERY_ALPHABET.contains(&b)) {
        return Ok(Code::Recovery(kept));
    }
    Err(CODE_MALFORMED)
}

/// A recovery code as shown: two groups of five.
pub fn show_recovery(code: &str) -> String {
    let (first, second) = code.split_at(code.len().min(5));
    format!("{first}-{second}")
}

/// The second step of a sign-in, or the confirmation of an enrolment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeRequest {
    pub code: String,
}

/// A one-time code app to add: its secret (base32, for typing it in) and the `otpauth://`
/// address the page draws as a QR code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TotpEnrolment {
    pub secret: String,
    pub uri: String,
    /// The address's QR code, drawn by the server: an SVG path (one square per dark module,
    /// the quiet zone around) in a square of `qr_size` units.
    pub qr_path: String,
    pub qr_size: u32,
}

/// Recovery codes, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoveryCodes {
    pub codes: Vec<String>,
}

/// Where a person's second factor stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Security {
    pub totp: bool,
    pub recovery_codes_left: i64,
    #[serde(default)]
    pub passkeys: Vec<PasskeyLine>,
}

/// Where an operator's second factor stands: without an app, the back office offers only
/// adding one; a session that never proved it (opened before the app was added elsewhere)
/// proves it first; `proof_fresh` says whether it may act without proving it again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OperatorSecurity {
    pub totp: bool,
    pub recovery_codes_left: i64,
    pub session_proved: bool,
    pub proof_fresh: bool,
}

/// A passkey ("clé d'accès") as its owner sees it: its name and dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasskeyLine {
    /// The credential's id (base64url), which names it in the address that removes it.
    pub id: String,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

/// The first half of a passkey ceremony: its token, and the options the browser hands to
/// `navigator.credentials` (WebAuthn's JSON, as text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasskeyOptions {
    pub ceremony: String,
    pub options: String,
}

/// The second half: the ceremony's token and what the authenticator answered (JSON, as
/// text); `name` only when a passkey is added.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasskeyAnswer {
    pub ceremony: String,
    pub credential: String,
    #[serde(default)]
    pub name: String,
}

/// The field of a passkey's name, and its longest length.
pub const PASSKEY_NAME_FIELD: &str = "name";
pub const PASSKEY_NAME_MAX: usize = 60;
pub const PASSKEY_NAME_INVALID: &str = "Donnez un nom à cette clé d’accès (60\u{a0}caractères au plus), par exemple «\u{a0}Ordinateur du bureau\u{a0}»\u{a0}: il vous la fera reconnaître dans la liste.";

/// Reads a passkey's name: trimmed, not empty, not too long, no control characters.
pub fn passkey_name(typed: &str) -> Result<String, &'static str> {
    let name = typed.trim();
    if name.is_empty()
        || name.chars().count() > PASSKEY_NAME_MAX
        || name.chars().any(char::is_control)
    {
        return Err(PASSKEY_NAME_INVALID);
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn six_digits_are_an_app_code_and_ten_letters_a_recovery_code() {
        assert_eq!(parse_code(" 123 456 "), Ok(Code::Totp("123456".into())));
        assert_eq!(
            parse_code("k7qxm-3pd9h"),
            Ok(Code::Recovery("K7QXM3PD9H".into()))
        );
        assert_eq!(parse_code(""), Err(CODE_MISSING));
        for bad in ["12345", "1234567", "K7QXM-3PD9", "K7QXM-3PD9O", "abcdef"] {
            assert_eq!(parse_code(bad), Err(CODE_MALFORMED), "{bad}");
        }
    }

    #[test]
    fn a_passkey_name_is_trimmed_and_bounded() {
        assert_eq!(
            passkey_name("  Ordinateur du bureau "),
            Ok("Ordinateur du bureau".into())
        );
        assert_eq!(
            passkey_name(&"é".repeat(PASSKEY_NAME_MAX)).map(|n| n.chars().count()),
            Ok(60)
        );
        for bad in ["", "   ", "a\u{0}b", "ligne\nautre"] {
            assert_eq!(passkey_name(bad), Err(PASSKEY_NAME_INVALID), "{bad:?}");
        }
        assert_eq!(
            passkey_name(&"x".repeat(PASSKEY_NAME_MAX + 1)),
            Err(PASSKEY_NAME_INVALID)
        );
    }

    proptest! {
        #[test]
        fn a_shown_recovery_code_reads_back(bytes in proptest::collection::vec(0..RECOVERY_ALPHABET.len(), RECOVERY_LENGTH)) {
            let code: String = bytes.iter().map(|&i| RECOVERY_ALPHABET[i] as char).collect();
            prop_assert_eq!(parse_code(&show_recovery(&code)), Ok(Code::Recovery(code.clone())));
            prop_assert_eq!(parse_code(&show_recovery(&code).to_lowercase()), Ok(Code::Recovery(code)));
        }
    }
}
