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
    #[error("Le numéro client ne contient que des chiffres\u{a0}: retirez les lettres.")]
    Letters,
    #[error(
        "Le caractère «\u{a0}{0}\u{a0}» n’est pas accepté\u{a0}: le numéro client ne contient que des chiffres."
    )]
    Character(char),
    /// The number was typed with the zeros it is printed with; `corrected` is the fix.
    #[error("Ne saisissez pas les zéros du début\u{a0}: votre numéro client est {corrected}.")]
    LeadingZeros { corrected: ClientNumber },
    /// The number was typed (or pasted) with spaces, dots or dashes, and perhaps zeros.
    #[error("{}\u{a0}: votre numéro client est {corrected}.", printed_form(*zeros, true))]
    Separators {
        corrected: ClientNumber,
        zeros: bool,
    },
    #[error("Le numéro client compte 5 ou 6\u{a0}chiffres (sans les zéros du début)\u{a0}: vous en avez saisi {0}.")]
    TooShort(usize),
    #[error("Le numéro client compte 5 ou 6\u{a0}chiffres (sans les zéros du début)\u{a0}: vous en avez saisi {0}.")]
    TooLong(usize),
}

/// What to leave out of a number copied from a letter.
fn printed_form(zeros: bool, separators: bool) -> &'static str {
    match (zeros, separators) {
        (true, true) => "Ne saisissez ni les zéros du début ni les espaces, points ou tirets",
        (true, false) => "Ne saisissez pas les zéros du début",
        _ => "Saisissez le numéro sans espace, point ni tiret",
    }
}

/// Spaces, dots and dashes: how letters and people group the digits.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || c == '.' || c == '-'
}

/// What was typed, taken apart once for the parser and the live hint.
struct Typed {
    /// The first character that is neither a digit nor a separator.
    stray: Option<char>,
    separators: bool,
    /// How many zeros come before the first other digit.
    zeros: usize,
    /// The digits after those zeros.
    significant: String,
}

impl Typed {
    fn of(input: &str) -> Self {
        let mut typed = Typed {
            stray: None,
            separators: false,
            zeros: 0,
            significant: String::new(),
        };
        for c in input.trim().chars() {
            if c == '0' && typed.significant.is_empty() {
                typed.zeros += 1;
            } else if c.is_ascii_digit() {
                typed.significant.push(c);
            } else if is_separator(c) {
                typed.separators = true;
            } else if typed.stray.is_none() {
                typed.stray = Some(c);
            }
        }
        typed
    }

    fn stray_error(&self) -> Option<ClientNumberError> {
        self.stray.map(|c| {
            if c.is_alphabetic() {
                ClientNumberError::Letters
            } else {
                ClientNumberError::Character(c)
            }
        })
    }
}

impl ClientNumber {
    /// Parses what a person typed. Surrounding white space is ignored.
    pub fn parse(input: &str) -> Result<Self, ClientNumberError> {
        if input.trim().is_empty() {
            return Err(ClientNumberError::Empty);
        }
        let typed = Typed::of(input);
        if let Some(error) = typed.stray_error() {
            return Err(error);
        }
        match typed.significant.len() {
            n if n < MIN_DIGITS => Err(ClientNumberError::TooShort(n)),
            n if n > MAX_DIGITS => Err(ClientNumberError::TooLong(n)),
            _ => {
                let corrected = ClientNumber(typed.significant);
                let zeros = typed.zeros > 0;
                if typed.separators {
                    Err(ClientNumberError::Separators { corrected, zeros })
                } else if zeros {
                    Err(ClientNumberError::LeadingZeros { corrected })
                } else {
                    Ok(corrected)
                }
            }
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

    /// The number the pages give as an example (the gallery's sample establishment's).
    pub fn example() -> Self {
        ClientNumber("237517".to_owned())
    }
}

/// What the live hint under the field says (PRODUCT.md §2): while the person types, it
/// guides and never calls wrong what can still become right; once they leave the field,
/// it says what the server would.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hint {
    /// Nothing typed.
    Nothing,
    /// Digits so far, fewer than a number has: more may come.
    Progress(usize),
    /// Zeros in front or separators, while the number they hide is not known yet.
    PrintedForm {
        zeros: bool,
        separators: bool,
    },
    Valid,
    Error(ClientNumberError),
}

/// How the hint is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Neutral,
    Valid,
    Error,
}

impl Hint {
    /// The hint while the person is still typing: more characters may come.
    pub fn typing(input: &str) -> Self {
        if input.trim().is_empty() {
            return Self::Nothing;
        }
        let typed = Typed::of(input);
        if let Some(error) = typed.stray_error() {
            return Self::Error(error);
        }
        let n = typed.significant.len();
        if n > MAX_DIGITS {
            return Self::Error(ClientNumberError::TooLong(n));
        }
        let zeros = typed.zeros > 0;
        // Only a number of the most digits is certain: a shorter one may still grow.
        if (zeros || typed.separators) && n < MAX_DIGITS {
            return Self::PrintedForm {
                zeros,
                separators: typed.separators,
            };
        }
        if n < MIN_DIGITS {
            return Self::Progress(n);
        }
        Self::settled(input)
    }

    /// The hint once the person has left the field: what is there is all there is.
    pub fn settled(input: &str) -> Self {
        if input.trim().is_empty() {
            return Self::Nothing;
        }
        match ClientNumber::parse(input) {
            Ok(_) => Self::Valid,
            // Zeros alone: saying "0 digits typed" would puzzle.
            Err(ClientNumberError::TooShort(0)) => Self::PrintedForm {
                zeros: true,
                separators: false,
            },
            Err(error) => Self::Error(error),
        }
    }

    /// The text shown under the field, if any.
    pub fn message(&self) -> Option<String> {
        Some(match self {
            Self::Nothing => return None,
            Self::Progress(1) => {
                "1\u{a0}chiffre saisi\u{a0}: le numéro client en compte 5 ou 6.".to_owned()
            }
            Self::Progress(n) => {
                format!("{n}\u{a0}chiffres saisis\u{a0}: le numéro client en compte 5 ou 6.")
            }
            Self::PrintedForm { zeros, separators } => {
                format!("{}.", printed_form(*zeros, *separators))
            }
            Self::Valid => "Format du numéro correct.".to_owned(),
            Self::Error(error) => error.to_string(),
        })
    }

    pub fn tone(&self) -> Tone {
        match self {
            Self::Nothing | Self::Progress(_) => Tone::Neutral,
            Self::Valid => Tone::Valid,
            Self::PrintedForm { .. } | Self::Error(_) => Tone::Error,
        }
    }

    /// What screen readers are told: the same text, except the digit count that changes
    /// with every key (it stays readable through the field's description).
    pub fn announcement(&self) -> Option<String> {
        match self {
            Self::Progress(_) => None,
            _ => self.message(),
        }
    }

    /// The one-click fix, offered only when the number it gives is certain.
    pub fn fix(&self) -> Option<&ClientNumber> {
        match self {
            Self::Error(
                ClientNumberError::LeadingZeros { corrected }
                | ClientNumberError::Separators { corrected, .. },
            ) => Some(corrected),
            _ => None,
        }
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
            ("237/517", Character('/')),
            ("237,517", Character(',')),
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
            "Ne saisissez pas les zéros du début\u{a0}: votre numéro client est 237517."
        );
    }

    #[test]
    fn the_example_is_a_valid_number() {
        let example = ClientNumber::example();
        assert_eq!(ClientNumber::parse(example.as_str()), Ok(example));
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

        /// Near misses (digits with at most one other character somewhere, spaces around)
        /// are accepted exactly when, white space at the ends aside, they are 5 or 6
        /// digits not starting with 0: an oracle written apart from the parser.
        #[test]
        fn near_misses_are_accepted_exactly_when_valid(
            s in "[ ]{0,2}[0-9]{0,7}[0-9 .a\u{a0}O-]?[0-9]{0,7}[ ]{0,2}",
        ) {
            // Spaces of any kind at the ends are not part of the number (pasted text).
            let t = s.trim();
            let valid = (MIN_DIGITS..=MAX_DIGITS).contains(&t.len())
                && t.bytes().all(|b| b.is_ascii_digit())
                && !t.starts_with('0');
            prop_assert_eq!(ClientNumber::parse(&s).is_ok(), valid, "{:?}", s);
        }

        #[test]
        fn never_panics_and_accepts_only_digits(s in "\\PC{0,20}") {
            if let Ok(n) = ClientNumber::parse(&s) {
                prop_assert!(n.as_str().bytes().all(|b| b.is_ascii_digit()));
                prop_assert!((MIN_DIGITS..=MAX_DIGITS).contains(&n.as_str().len()));
                prop_assert!(!n.as_str().starts_with('0'));
            }
        }

        /// Any way a letter prints a number (zeros, groups of digits) is recognised, and
        /// the fix is that number.
        #[test]
        fn printed_forms_are_fixed_to_the_number(
            n in 10_000u32..1_000_000,
            zeros in 0usize..4,
            cuts in proptest::collection::vec((0usize..6, prop_oneof![Just(' '), Just('.'), Just('-'), Just('\u{a0}')]), 0..3),
        ) {
            let mut printed: Vec<char> = n.to_string().chars().collect();
            for (at, separator) in cuts {
                let at = at.clamp(1, printed.len() - 1);
                printed.insert(at, separator);
            }
            let printed = format!("{}{}", "0".repeat(zeros), String::from_iter(printed));
            match ClientNumber::parse(&printed) {
                Ok(number) => prop_assert_eq!(number.as_str(), &printed),
                Err(e) => prop_assert_eq!(Hint::Error(e).fix().map(|c| c.to_string()), Some(n.to_string())),
            }
        }

        /// While a valid number is typed, its prefixes are never called wrong, and no fix
        /// names a number other than the one being typed.
        #[test]
        fn typing_never_misleads(n in 10_000u32..1_000_000, zeros in 0usize..4, s in "[0-9 .a-]{0,9}") {
            let printed = format!("{}{n}", "0".repeat(zeros));
            for end in 1..=printed.len() {
                let hint = Hint::typing(&printed[..end]);
                if zeros == 0 {
                    prop_assert_ne!(hint.tone(), Tone::Error);
                }
                if let Some(fix) = hint.fix() {
                    prop_assert_eq!(fix.to_string(), n.to_string());
                }
            }
            // Any input: once left, the hint agrees with the server's parser.
            let left = Hint::settled(&s);
            match ClientNumber::parse(&s) {
                Ok(_) => prop_assert_eq!(left, Hint::Valid),
                Err(ClientNumberError::Empty) => prop_assert_eq!(left, Hint::Nothing),
                Err(ClientNumberError::TooShort(0)) => prop_assert_eq!(left.tone(), Tone::Error),
                Err(e) => prop_assert_eq!(left, Hint::Error(e)),
            }
        }
    }
}
