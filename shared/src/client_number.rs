//! The establishment's client number, as printed on the lender's letters.
//!
//! One parser for everyone: the page calls it on every keystroke for the live hint,
//! the server calls it as the authority, the directory import calls it on each row.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Fewest significant digits of a client number.
pub const MIN_DIGITS: usize = 5;
/// Most significant digits of a client number.
pub const MAX_DIGITS: usize = 6;

/// A valid client number: 5 or 6 digits, the first one not zero.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct ClientNumber(String);

/// Why a typed client number is not valid; each variant is one precise French message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientNumberError {
    #[error("Saisissez votre numéro client.")]
    Empty,
    #[error("Le numéro client ne contient que des chiffres : retirez les lettres.")]
    Letters,
    #[error("Le numéro client s’écrit sans espace.")]
    InnerSpace,
    #[error(
        "Le caractère « {0} » n’est pas accepté : le numéro client ne contient que des chiffres."
    )]
    Character(char),
    /// The number was typed with the zeros it is printed with; `corrected` is the fix.
    #[error("Ne saisissez pas les zéros du début : votre numéro client est {corrected}.")]
    LeadingZeros { corrected: ClientNumber },
    #[error("Le numéro client compte 5 ou 6 chiffres (sans les zéros du début) : vous en avez saisi {0}.")]
    TooShort(usize),
    #[error("Le numéro client compte 5 ou 6 chiffres (sans les zéros du début) : vous en avez saisi {0}.")]
    TooLong(usize),
}

impl ClientNumber {
    /// Parses what a person typed. Surrounding white space is ignored.
    pub fn parse(input: &str) -> Result<Self, ClientNumberError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(ClientNumberError::Empty);
        }
        if let Some(bad) = trimmed.chars().find(|c| !c.is_ascii_digit()) {
            return Err(if bad.is_alphabetic() {
                ClientNumberError::Letters
            } else if bad.is_whitespace() {
                ClientNumberError::InnerSpace
            } else {
                ClientNumberError::Character(bad)
            });
        }
        let significant = trimmed.trim_start_matches('0');
        match significant.len() {
            n if n < MIN_DIGITS => Err(ClientNumberError::TooShort(n)),
            n if n > MAX_DIGITS => Err(ClientNumberError::TooLong(n)),
            _ if significant.len() != trimmed.len() => Err(ClientNumberError::LeadingZeros {
                corrected: ClientNumber(significant.to_owned()),
            }),
            _ => Ok(ClientNumber(significant.to_owned())),
        }
    }

    /// Like [`ClientNumber::parse`], but takes the number in its printed, zero-padded form
    /// too: operators' files copy the number as the letters print it.
    pub fn parse_padded(input: &str) -> Result<Self, ClientNumberError> {
        match Self::parse(input) {
            Err(ClientNumberError::LeadingZeros { corrected }) => Ok(corrected),
            other => other,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ClientNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for ClientNumber {
    type Error = ClientNumberError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<ClientNumber> for String {
    fn from(value: ClientNumber) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ok(s: &str) -> String {
        match ClientNumber::parse(s) {
            Ok(n) => n.to_string(),
            Err(e) => panic!("{s:?} refused: {e}"),
        }
    }

    #[test]
    fn five_or_six_digits_are_accepted_and_spaces_around_ignored() {
        assert_eq!(ok("23751"), "23751");
        assert_eq!(ok("237517"), "237517");
        assert_eq!(ok("  237517 \t"), "237517");
    }

    #[test]
    fn each_mistake_has_its_own_error() {
        use ClientNumberError::*;
        let cases = [
            ("", Empty),
            ("   ", Empty),
            ("23a517", Letters),
            ("é37517", Letters),
            ("237 517", InnerSpace),
            ("237-517", Character('-')),
            ("237.517", Character('.')),
            ("1234", TooShort(4)),
            ("0001234", TooShort(4)),
            ("000", TooShort(0)),
            ("1234567", TooLong(7)),
        ];
        for (input, expected) in cases {
            assert_eq!(ClientNumber::parse(input), Err(expected), "input {input:?}");
        }
    }

    #[test]
    fn leading_zeros_carry_the_fix() {
        let err = ClientNumber::parse("000237517").unwrap_err();
        let ClientNumberError::LeadingZeros { corrected } = &err else {
            panic!("unexpected {err:?}")
        };
        assert_eq!(corrected.as_str(), "237517");
        assert_eq!(
            err.to_string(),
            "Ne saisissez pas les zéros du début : votre numéro client est 237517."
        );
    }

    #[test]
    fn padded_form_is_accepted_where_asked() {
        assert_eq!(
            ClientNumber::parse_padded("000237517").map(String::from),
            Ok("237517".into())
        );
        assert!(ClientNumber::parse_padded("0001234").is_err());
    }

    #[test]
    fn serde_goes_through_the_parser() {
        let n: ClientNumber = serde_json::from_str("\"237517\"").unwrap();
        assert_eq!(n.as_str(), "237517");
        assert!(serde_json::from_str::<ClientNumber>("\"0237517\"").is_err());
    }

    proptest! {
        #[test]
        fn any_valid_number_round_trips(n in 10_000u32..1_000_000) {
            let s = n.to_string();
            prop_assert_eq!(ClientNumber::parse(&s).map(String::from), Ok(s.clone()));
            let padded = format!("000{s}");
            prop_assert_eq!(
                ClientNumber::parse(&padded),
                Err(ClientNumberError::LeadingZeros { corrected: ClientNumber(s) })
            );
        }

        #[test]
        fn never_panics_and_accepts_only_digits(s in "\\PC{0,20}") {
            if let Ok(n) = ClientNumber::parse(&s) {
                prop_assert!(n.as_str().bytes().all(|b| b.is_ascii_digit()));
                prop_assert!((MIN_DIGITS..=MAX_DIGITS).contains(&n.as_str().len()));
                prop_assert!(!n.as_str().starts_with('0'));
            }
        }
    }
}
