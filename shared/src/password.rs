//! The password policy (PRODUCT.md §6), after the CNIL's 2022 recommendation: about
//! 80 bits of entropy, that is at least 12 characters mixing upper case, lower case,
//! digits and special characters — or a longer password (passphrase) of equal strength.

use serde::{Deserialize, Serialize};

/// Fewest characters of any password.
pub const MIN_CHARS: usize = 12;
/// Most characters: hashing cost grows with length, so it is bounded.
pub const MAX_CHARS: usize = 128;

/// What the page shows live, criterion by criterion, as the user types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PasswordCheck {
    pub length: usize,
    pub has_lower: bool,
    pub has_upper: bool,
    pub has_digit: bool,
    pub has_special: bool,
    /// Strong enough: the 12-character four-kind rule, or as strong by length.
    pub strong_enough: bool,
}

impl PasswordCheck {
    pub fn of(password: &str) -> Self {
        let length = password.chars().count();
        let has_lower = password.chars().any(char::is_lowercase);
        let has_upper = password.chars().any(char::is_uppercase);
        let has_digit = password.chars().any(|c| c.is_ascii_digit());
        let has_special = password
            .chars()
            .any(|c| !c.is_alphanumeric() || (c.is_numeric() && !c.is_ascii_digit()));
        let alphabet = [
            (has_lower, 26.0),
            (has_upper, 26.0),
            (has_digit, 10.0),
            (has_special, 32.0),
        ]
        .iter()
        .filter(|(present, _)| *present)
        .map(|(_, size)| size)
        .sum::<f64>();
        let bits = length as f64 * alphabet.max(1.0).log2();
        Self {
            length,
            has_lower,
            has_upper,
            has_digit,
            has_special,
            strong_enough: length >= MIN_CHARS && bits >= reference_bits() - 1e-9,
        }
    }
}

/// Entropy of the reference password: 12 characters drawn from the four kinds (94 symbols).
fn reference_bits() -> f64 {
    MIN_CHARS as f64 * 94f64.log2()
}

/// A password that meets the policy. Never printed: `Debug` hides it.
#[derive(Clone, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("Choisissez un mot de passe.")]
    Empty,
    #[error("Le mot de passe doit compter au moins 12 caractères mêlant majuscules, minuscules, chiffres et caractères spéciaux, ou être une phrase de passe plus longue.")]
    TooWeak,
    #[error("Le mot de passe ne peut pas dépasser 128 caractères.")]
    TooLong,
    #[error("Le mot de passe ne doit pas contenir votre adresse électronique.")]
    ContainsEmail,
    #[error("Le mot de passe ne doit pas contenir votre nom ou votre prénom.")]
    ContainsName,
}

/// What the password must not contain: the user's e-mail and names.
#[derive(Debug, Clone, Copy, Default)]
pub struct PersonalWords<'a> {
    pub email: Option<&'a str>,
    pub last_name: Option<&'a str>,
    pub first_name: Option<&'a str>,
}

impl Password {
    pub fn parse(input: &str, personal: PersonalWords<'_>) -> Result<Self, PasswordError> {
        if input.is_empty() {
            return Err(PasswordError::Empty);
        }
        let check = PasswordCheck::of(input);
        if check.length > MAX_CHARS {
            return Err(PasswordError::TooLong);
        }
        if !check.strong_enough {
            return Err(PasswordError::TooWeak);
        }
        let lower = lowercase(input);
        // Each word of at least 3 letters of the e-mail's local part or of a name counts.
        let holds_a_word_of = |text: Option<&str>| {
            text.into_iter()
                .flat_map(|t| t.split(|c: char| !c.is_alphanumeric()))
                .filter(|w| w.chars().count() >= 3)
                .any(|w| lower.contains(&lowercase(w)))
        };
        let email_local = personal.email.map(|e| e.split('@').next().unwrap_or(e));
        if holds_a_word_of(email_local) {
            return Err(PasswordError::ContainsEmail);
        }
        if holds_a_word_of(personal.last_name) || holds_a_word_of(personal.first_name) {
            return Err(PasswordError::ContainsName);
        }
        Ok(Self(input.to_owned()))
    }

    /// The secret itself, for hashing only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Unicode lower case. In the browser, by its own tables (`String.prototype.toLowerCase`,
/// the same Unicode mapping): Rust's would add 14 KB to the wasm (issue 6).
#[cfg(target_arch = "wasm32")]
fn lowercase(text: &str) -> String {
    js_sys::JsString::from(text).to_lower_case().into()
}

#[cfg(not(target_arch = "wasm32"))]
fn lowercase(text: &str) -> String {
    text.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(p: &str) -> Result<Password, PasswordError> {
        Password::parse(p, PersonalWords::default())
    }

    #[test]
    fn twelve_characters_of_four_kinds_pass() {
        assert!(parse("Aa1!Aa1!Aa1!").is_ok());
        assert_eq!(parse("Aa1!Aa1!Aa1"), Err(PasswordError::TooWeak));
        assert_eq!(parse("Aa1aAa1aAa1a"), Err(PasswordError::TooWeak));
    }

    #[test]
    fn longer_passwords_of_fewer_kinds_pass_at_equal_strength() {
        // 14 letters and digits of both cases, 17 lower-case letters, a passphrase.
        assert!(parse("Abcdefgh123456").is_ok());
        assert!(parse("abcdefghijklmnopq").is_ok());
        assert_eq!(parse("abcdefghijklmnop"), Err(PasswordError::TooWeak));
        assert!(parse("cheval agrafe pile correcte").is_ok());
        // Digits only need to be very long.
        assert_eq!(parse("123456789012345678"), Err(PasswordError::TooWeak));
    }

    #[test]
    fn personal_words_are_refused() {
        let me = PersonalWords {
            email: Some("marie.dupont@habitat.fr"),
            last_name: Some("Dupont"),
            first_name: Some("Marie"),
        };
        assert_eq!(
            Password::parse("X9!dupontZ-2026+", me),
            Err(PasswordError::ContainsEmail)
        );
        assert_eq!(
            Password::parse("X9!Mariette-2026", me),
            Err(PasswordError::ContainsEmail)
        );
        assert!(Password::parse("X9!Tournesol-2026", me).is_ok());
        let generic_mailbox = PersonalWords {
            email: Some("contact@habitat.fr"),
            ..me
        };
        assert_eq!(
            Password::parse("X9!Dupont-2026+", generic_mailbox),
            Err(PasswordError::ContainsName)
        );
    }

    #[test]
    fn limits_and_secrecy() {
        assert_eq!(parse(""), Err(PasswordError::Empty));
        assert_eq!(parse(&"Aa1!".repeat(33)), Err(PasswordError::TooLong));
        assert_eq!(
            format!("{:?}", parse("Aa1!Aa1!Aa1!").unwrap()),
            "Password(***)"
        );
    }

    #[test]
    fn the_live_check_lists_each_criterion() {
        let c = PasswordCheck::of("abc1");
        assert!(c.has_lower && c.has_digit && !c.has_upper && !c.has_special);
        assert_eq!(c.length, 4);
        assert!(!c.strong_enough);
    }

    proptest! {
        /// The CNIL's reference: any 12 characters or more mixing the four kinds pass.
        #[test]
        fn twelve_or_more_of_the_four_kinds_always_pass(
            // Latin-1 letters, without × and ÷ (symbols between them).
            // Three to eight of each: twelve at least in all.
            lower in "[a-zà-öø-ÿ]{3,8}",
            upper in "[A-ZÀ-ÖØ-Ý]{3,8}",
            digits in "[0-9]{3,8}",
            special in "[!-/:-@\\[-`{-~ ]{3,8}",
            order in any::<u8>(),
        ) {
            let mut parts = [lower, upper, digits, special];
            parts.rotate_left(usize::from(order % 4));
            let password: String = parts.concat();
            prop_assert_eq!(parse(&password).map(|p| p.expose().to_owned()), Ok(password));
        }

        /// Fewer than 12 characters never pass, whatever they are.
        #[test]
        fn fewer_than_twelve_characters_never_pass(s in "\\PC{0,11}") {
            prop_assert!(parse(&s).is_err());
        }

        /// One more character never makes a password weaker.
        #[test]
        fn a_longer_password_is_never_weaker(s in "\\PC{12,60}", c in "\\PC") {
            if parse(&s).is_ok() {
                let longer = s.clone() + &c;
                prop_assert!(parse(&longer).is_ok());
            }
        }
    }
}
