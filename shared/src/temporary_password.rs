//! The temporary password printed in the postal letter (PRODUCT.md §3, §4): 12 characters
//! from an alphabet without look-alikes (no 0/O, 1/I/L), printed in groups of four
//! (`K7QX-3MPD-9HTW`). Typed back case-insensitively, dashes and spaces ignored.

/// The symbols a temporary password is drawn from: 31 of them, about 59 bits for 12.
pub const ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Symbols in a temporary password.
pub const LENGTH: usize = 12;

/// A temporary password in its canonical form (upper case, no dashes). Never printed by
/// `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct TemporaryPassword(String);

impl std::fmt::Debug for TemporaryPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TemporaryPassword(***)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemporaryPasswordError {
    #[error("Saisissez le mot de passe temporaire reçu par courrier.")]
    Empty,
    #[error("Le mot de passe temporaire compte 12 caractères, par exemple K7QX-3MPD-9HTW.")]
    Length,
    #[error("Le caractère «\u{a0}{0}\u{a0}» ne figure dans aucun mot de passe temporaire\u{a0}: vérifiez votre saisie.")]
    Character(char),
}

impl TemporaryPassword {
    /// Parses what a person typed from the letter.
    pub fn parse(input: &str) -> Result<Self, TemporaryPasswordError> {
        let code: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if code.is_empty() {
            return Err(TemporaryPasswordError::Empty);
        }
        if let Some(bad) = code
            .chars()
            .find(|c| !c.is_ascii() || !ALPHABET.contains(&(*c as u8)))
        {
            return Err(TemporaryPasswordError::Character(bad));
        }
        if code.len() != LENGTH {
            return Err(TemporaryPasswordError::Length);
        }
        Ok(Self(code))
    }

    /// Builds one from `LENGTH` random indexes into [`ALPHABET`] (the server draws them).
    pub fn from_indexes(indexes: [u8; LENGTH]) -> Self {
        Self(
            indexes
                .iter()
                .map(|i| ALPHABET[usize::from(*i) % ALPHABET.len()] as char)
                .collect(),
        )
    }

    /// The canonical form, for hashing.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The printed form, in groups of four.
    pub fn printed(&self) -> String {
        let groups: Vec<&str> = (0..LENGTH).step_by(4).map(|i| &self.0[i..i + 4]).collect();
        groups.join("-")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn typed_back_loosely() {
        let code = TemporaryPassword::parse(" k7qx 3mpd-9htw ").unwrap();
        assert_eq!(code.expose(), "K7QX3MPD9HTW");
        assert_eq!(code.printed(), "K7QX-3MPD-9HTW");
    }

    #[test]
    fn mistakes() {
        use TemporaryPasswordError::*;
        assert_eq!(TemporaryPassword::parse(" - "), Err(Empty));
        assert_eq!(TemporaryPassword::parse("K7QX-3MPD"), Err(Length));
        assert_eq!(
            TemporaryPassword::parse("K7QX-3MPD-9HT0"),
            Err(Character('0'))
        );
        assert_eq!(
            TemporaryPassword::parse("K7QX-3MPD-9HTÉ"),
            Err(Character('É'))
        );
    }

    proptest! {
        #[test]
        fn printed_codes_parse_back(indexes in proptest::array::uniform12(0u8..31)) {
            let code = TemporaryPassword::from_indexes(indexes);
            prop_assert_eq!(TemporaryPassword::parse(&code.printed()), Ok(code.clone()));
            prop_assert_eq!(TemporaryPassword::parse(&code.printed().to_lowercase()), Ok(code));
        }
    }
}
