//! A registrant's identity fields (PRODUCT.md §2, step 2): civility, names, job title,
//! professional e-mail and phone. Each is a newtype whose `parse` is the only way in.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Madame or Monsieur, as French forms ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Civility {
    Madame,
    Monsieur,
}

impl Civility {
    pub const ALL: [Civility; 2] = [Civility::Madame, Civility::Monsieur];

    pub fn label(self) -> &'static str {
        match self {
            Civility::Madame => "Madame",
            Civility::Monsieur => "Monsieur",
        }
    }

    pub fn parse(input: &str) -> Result<Self, CivilityError> {
        Self::ALL
            .into_iter()
            .find(|c| c.label() == input.trim())
            .ok_or(CivilityError)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Choisissez votre civilité.")]
pub struct CivilityError;

/// Which name a [`PersonName`] is, for its messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameField {
    LastName,
    FirstName,
}

impl fmt::Display for NameField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NameField::LastName => "nom",
            NameField::FirstName => "prénom",
        })
    }
}

/// Longest last or first name accepted.
pub const NAME_MAX_CHARS: usize = 50;

/// A last or first name: letters (accents included), spaces, hyphens and apostrophes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct PersonName(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("Saisissez votre {0}.")]
    Empty(NameField),
    #[error("Votre {0} ne peut pas dépasser 50 caractères.")]
    TooLong(NameField),
    #[error("Le caractère «\u{a0}{1}\u{a0}» n’est pas accepté dans votre {0}\u{a0}: lettres, espaces, traits d’union et apostrophes seulement.")]
    Character(NameField, char),
}

impl PersonName {
    /// Parses a name; inner runs of spaces are kept as typed, surrounding spaces dropped.
    pub fn parse(input: &str, field: NameField) -> Result<Self, NameError> {
        let name = input.trim();
        if name.is_empty() {
            return Err(NameError::Empty(field));
        }
        if name.chars().count() > NAME_MAX_CHARS {
            return Err(NameError::TooLong(field));
        }
        if let Some(bad) = name
            .chars()
            .find(|&c| !(c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '’')))
        {
            return Err(NameError::Character(field, bad));
        }
        if !name.chars().any(char::is_alphabetic) {
            return Err(NameError::Empty(field));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Longest job title accepted.
pub const JOB_TITLE_MAX_CHARS: usize = 100;

/// The registrant's job title ("Directrice financière", "Gestionnaire de prêts"…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct JobTitle(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobTitleError {
    #[error("Saisissez votre fonction.")]
    Empty,
    #[error("Votre fonction ne peut pas dépasser 100 caractères.")]
    TooLong,
    #[error("Votre fonction contient un caractère non accepté.")]
    Character,
}

impl JobTitle {
    pub fn parse(input: &str) -> Result<Self, JobTitleError> {
        let title = input.trim();
        if title.is_empty() {
            return Err(JobTitleError::Empty);
        }
        if title.chars().count() > JOB_TITLE_MAX_CHARS {
            return Err(JobTitleError::TooLong);
        }
        if title.chars().any(char::is_control) {
            return Err(JobTitleError::Character);
        }
        Ok(Self(title.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A professional e-mail address, domain in lower case. The check is structural (one
/// `@`, a dotted domain of letters, digits and hyphens); the single-use link proves it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Email(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("Saisissez votre adresse électronique professionnelle.")]
    Empty,
    #[error("L’adresse électronique doit contenir un «\u{a0}@\u{a0}», par exemple prenom.nom@organisme.fr.")]
    MissingAt,
    #[error("L’adresse électronique ne doit contenir qu’un seul «\u{a0}@\u{a0}».")]
    SeveralAt,
    #[error("Saisissez la partie avant le «\u{a0}@\u{a0}», par exemple prenom.nom@organisme.fr.")]
    MissingLocalPart,
    #[error("Le nom de domaine après le «\u{a0}@\u{a0}» est incomplet, par exemple organisme.fr.")]
    BadDomain,
    #[error("L’adresse électronique ne doit pas contenir d’espace.")]
    Space,
    #[error("Le caractère «\u{a0}{0}\u{a0}» n’est pas accepté dans une adresse électronique.")]
    Character(char),
    #[error("L’adresse électronique est trop longue.")]
    TooLong,
}

/// How an e-mail address is compared and looked up wherever a person types one (sign-in,
/// password reset, operators, the audit filter): trimmed and in lower case. Addresses
/// are stored as typed; the database compares them with `LOWER(…)`.
pub fn normalize_email(input: &str) -> String {
    input.trim().to_lowercase()
}

impl Email {
    /// The address as lookups compare it (see [`normalize_email`]).
    pub fn normalized(&self) -> String {
        normalize_email(&self.0)
    }

    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let email = input.trim();
        if email.is_empty() {
            return Err(EmailError::Empty);
        }
        if email.len() > 254 {
            return Err(EmailError::TooLong);
        }
        if email.chars().any(char::is_whitespace) {
            return Err(EmailError::Space);
        }
        let (local, domain) = match email.split_once('@') {
            None => return Err(EmailError::MissingAt),
            Some((_, d)) if d.contains('@') => return Err(EmailError::SeveralAt),
            Some(parts) => parts,
        };
        if local.is_empty() {
            return Err(EmailError::MissingLocalPart);
        }
        if local.len() > 64 {
            return Err(EmailError::TooLong);
        }
        let local_ok = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c);
        if let Some(bad) = local.chars().find(|&c| !local_ok(c)) {
            return Err(EmailError::Character(bad));
        }
        if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
            return Err(EmailError::Character('.'));
        }
        let domain = domain.to_ascii_lowercase();
        let labels: Vec<&str> = domain.split('.').collect();
        let label_ok = |l: &&str| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        };
        let tld_ok = labels
            .last()
            .is_some_and(|t| t.len() >= 2 && t.bytes().all(|b| b.is_ascii_alphabetic()));
        if labels.len() < 2 || !labels.iter().all(label_ok) || !tld_ok {
            if let Some(bad) = domain
                .chars()
                .find(|&c| !(c.is_ascii_alphanumeric() || c == '-' || c == '.'))
            {
                return Err(EmailError::Character(bad));
            }
            return Err(EmailError::BadDomain);
        }
        Ok(Self(format!("{local}@{domain}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part before the `@`, for the password rule "not your e-mail".
    pub fn local_part(&self) -> &str {
        self.0.split('@').next().unwrap_or_default()
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A French phone number, kept in the international form `+33XXXXXXXXX`.
/// Accepts the usual written forms: `01 23 45 67 89`, `01.23.45.67.89`, `0123456789`,
/// `+33 1 23 45 67 89`, `+33 (0)1 23 45 67 89`, `0033 1 23 45 67 89`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Phone(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("Saisissez votre numéro de téléphone.")]
    Empty,
    #[error("Le numéro de téléphone ne contient que des chiffres, espaces, points, tirets et «\u{a0}+\u{a0}»\u{a0}: retirez «\u{a0}{0}\u{a0}».")]
    Character(char),
    #[error("Le numéro de téléphone compte 10 chiffres, par exemple 01 23 45 67 89.")]
    Length,
    #[error("Le numéro de téléphone commence par 0 suivi d’un chiffre de 1 à 9, par exemple 01 23 45 67 89.")]
    Prefix,
}

impl Phone {
    pub fn parse(input: &str) -> Result<Self, PhoneError> {
        let raw = input.trim();
        if raw.is_empty() {
            return Err(PhoneError::Empty);
        }
        if let Some(bad) = raw
            .chars()
            .find(|&c| !(c.is_ascii_digit() || " .-+()\u{a0}".contains(c)))
        {
            return Err(PhoneError::Character(bad));
        }
        let plus = raw.starts_with('+');
        let digits: String = raw
            .replace("(0)", "")
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        let national = if plus {
            digits.strip_prefix("33").map(|rest| format!("0{rest}"))
        } else if let Some(rest) = digits.strip_prefix("0033") {
            Some(format!("0{rest}"))
        } else {
            Some(digits)
        }
        .ok_or(PhoneError::Prefix)?;
        if national.len() != 10 {
            return Err(PhoneError::Length);
        }
        let mut chars = national.chars();
        if chars.next() != Some('0') || matches!(chars.next(), Some('0') | None) {
            return Err(PhoneError::Prefix);
        }
        Ok(Self(format!("+33{}", &national[1..])))
    }

    /// The international form, `+33123456789`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The national written form, `01 23 45 67 89`.
    pub fn display(&self) -> String {
        let national = format!("0{}", &self.0[3..]);
        national
            .as_bytes()
            .chunks(2)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn addresses_are_compared_trimmed_and_in_lower_case() {
        assert_eq!(
            normalize_email("  Anne.LeBihan@Habitat.FR "),
            "anne.lebihan@habitat.fr"
        );
        let email = Email::parse(" Anne.LeBihan@Habitat.FR").unwrap();
        assert_eq!(email.normalized(), "anne.lebihan@habitat.fr");
    }
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_accept_french_names() {
        for ok in [
            "Le Bihan",
            "N’Diaye",
            "D'Artagnan",
            "Jean-Édouard",
            "Ørsted",
            "Œdipe",
        ] {
            assert!(PersonName::parse(ok, NameField::LastName).is_ok(), "{ok}");
        }
        assert_eq!(
            PersonName::parse("  ", NameField::FirstName),
            Err(NameError::Empty(NameField::FirstName))
        );
        assert_eq!(
            PersonName::parse("R2D2", NameField::LastName),
            Err(NameError::Character(NameField::LastName, '2'))
        );
        assert_eq!(
            PersonName::parse("--", NameField::LastName),
            Err(NameError::Empty(NameField::LastName))
        );
        assert_eq!(
            PersonName::parse(&"a".repeat(51), NameField::LastName),
            Err(NameError::TooLong(NameField::LastName))
        );
        assert_eq!(
            NameError::Empty(NameField::FirstName).to_string(),
            "Saisissez votre prénom."
        );
    }

    #[test]
    fn emails() {
        assert_eq!(
            Email::parse(" Marie.Dupont@Habitat-Loire.FR ")
                .unwrap()
                .as_str(),
            "Marie.Dupont@habitat-loire.fr"
        );
        use EmailError::*;
        let cases = [
            ("", Empty),
            ("marie.dupont", MissingAt),
            ("a@b@c.fr", SeveralAt),
            ("@organisme.fr", MissingLocalPart),
            ("marie@organisme", BadDomain),
            ("marie@organisme.", BadDomain),
            ("marie@-org.fr", BadDomain),
            ("marie dupont@org.fr", Space),
            ("marie,dupont@org.fr", Character(',')),
            ("marie@org_anisme.fr", Character('_')),
            ("marie..dupont@org.fr", Character('.')),
        ];
        for (input, expected) in cases {
            assert_eq!(Email::parse(input), Err(expected), "{input}");
        }
    }

    #[test]
    fn phones_in_the_usual_written_forms() {
        for ok in [
            "01 23 45 67 89",
            "01.23.45.67.89",
            "01-23-45-67-89",
            "0123456789",
            "+33 1 23 45 67 89",
            "+33 (0)1 23 45 67 89",
            "0033 1 23 45 67 89",
        ] {
            let phone = Phone::parse(ok).unwrap();
            assert_eq!(phone.as_str(), "+33123456789", "{ok}");
            assert_eq!(phone.display(), "01 23 45 67 89");
        }
        assert_eq!(Phone::parse("06 12 34 56"), Err(PhoneError::Length));
        assert_eq!(Phone::parse("00 12 34 56 78"), Err(PhoneError::Prefix));
        assert_eq!(Phone::parse("+44 20 7946 0958"), Err(PhoneError::Prefix));
        assert_eq!(
            Phone::parse("01 23 45 67 8a"),
            Err(PhoneError::Character('a'))
        );
        assert_eq!(Phone::parse(""), Err(PhoneError::Empty));
    }

    #[test]
    fn civility_and_job_title() {
        assert_eq!(Civility::parse("Madame"), Ok(Civility::Madame));
        assert_eq!(Civility::parse(""), Err(CivilityError));
        assert_eq!(JobTitle::parse("  "), Err(JobTitleError::Empty));
        assert_eq!(
            JobTitle::parse("Directrice financière").unwrap().as_str(),
            "Directrice financière"
        );
    }

    proptest! {
        #[test]
        fn parsers_never_panic(s in "\\PC{0,80}") {
            let _ = PersonName::parse(&s, NameField::LastName);
            let _ = JobTitle::parse(&s);
            let _ = Email::parse(&s);
            let _ = Phone::parse(&s);
        }

        #[test]
        fn any_french_number_round_trips(d in 1u8..=9, rest in 0u64..100_000_000) {
            let written = format!("0{d}{rest:08}");
            let phone = Phone::parse(&written).unwrap();
            prop_assert_eq!(phone.display().replace(' ', ""), written);
        }

        #[test]
        fn accepted_emails_are_stable(local in "[a-z0-9._-]{1,20}", domain in "[a-z0-9]{1,10}\\.(fr|com|org)") {
            if let Ok(email) = Email::parse(&format!("{local}@{domain}")) {
                prop_assert_eq!(Email::parse(email.as_str()), Ok(email.clone()));
            }
        }
    }
}
