//! The online contact form ("formulaire de contact en ligne"): what a visitor may send to
//! the lender's support, checked by the page as they type and by the server.

use serde::{Deserialize, Serialize};

use crate::identity::{Email, NameField, PersonName};
use crate::registration::Errors;
use crate::{ClientNumber, FieldError};

/// Field names, shared by the page (element ids) and the server (error answers).
pub mod fields {
    pub const NAME: &str = "contact-nom";
    pub const EMAIL: &str = "contact-courriel";
    pub const CLIENT_NUMBER: &str = "contact-numero-client";
    pub const SUBJECT: &str = "contact-objet";
    pub const MESSAGE: &str = "contact-message";
    pub use crate::registration::fields::CAPTCHA;
}

/// The subjects a message can be about, so that support can sort them.
pub const SUBJECTS: [&str; 6] = [
    "Numéro client introuvable",
    "Inscription en cours",
    "Courrier et mot de passe temporaire",
    "Connexion et mot de passe",
    "Données personnelles",
    "Autre question",
];

/// Longest message accepted: a long letter, not a document.
pub const MESSAGE_MAX_CHARS: usize = 3000;

/// The form as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactRequest {
    pub name: String,
    pub email: String,
    /// Optional: "if known".
    pub client_number: String,
    pub subject: String,
    pub message: String,
    pub captcha: String,
}

/// A checked message.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactMessage {
    pub name: PersonName,
    pub email: Email,
    pub client_number: Option<ClientNumber>,
    pub subject: &'static str,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContactError {
    #[error("Choisissez l’objet de votre message.")]
    Subject,
    #[error("Écrivez votre message.")]
    EmptyMessage,
    #[error("Votre message ne peut pas dépasser 3 000 caractères.")]
    LongMessage,
}

/// The subject among [`SUBJECTS`].
pub fn parse_subject(input: &str) -> Result<&'static str, ContactError> {
    SUBJECTS
        .into_iter()
        .find(|s| *s == input.trim())
        .ok_or(ContactError::Subject)
}

/// The message's text, trimmed and bounded.
pub fn parse_message(input: &str) -> Result<String, ContactError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(ContactError::EmptyMessage);
    }
    if text.chars().count() > MESSAGE_MAX_CHARS {
        return Err(ContactError::LongMessage);
    }
    Ok(text.to_owned())
}

impl ContactRequest {
    /// Checks every field but the CAPTCHA (the server's affair); on failure, every faulty
    /// field's message, in the order of the form.
    pub fn validate(&self) -> Result<ContactMessage, Vec<FieldError>> {
        use fields::*;
        let mut errors = Errors::default();
        let name = errors.check(NAME, PersonName::parse(&self.name, NameField::LastName));
        let email = errors.check(EMAIL, Email::parse(&self.email));
        let client_number = if self.client_number.trim().is_empty() {
            Some(None)
        } else {
            errors
                .check(CLIENT_NUMBER, ClientNumber::parse(&self.client_number))
                .map(Some)
        };
        let subject = errors.check(SUBJECT, parse_subject(&self.subject));
        let message = errors.check(MESSAGE, parse_message(&self.message));
        match (name, email, client_number, subject, message) {
            (Some(name), Some(email), Some(client_number), Some(subject), Some(message))
                if errors.0.is_empty() =>
            {
                Ok(ContactMessage {
                    name,
                    email,
                    client_number,
                    subject,
                    message,
                })
            }
            _ => Err(errors.0),
        }
    }
}

/// What the page says once the message is sent.
pub const CONTACT_SENT: &str = "Votre message a bien été envoyé. Un accusé de réception vient de vous être adressé par courrier électronique\u{a0}; nous vous répondrons sous deux jours ouvrés.";

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn form() -> ContactRequest {
        ContactRequest {
            name: "Marie Dupont".into(),
            email: "marie.dupont@exemple.fr".into(),
            client_number: String::new(),
            subject: SUBJECTS[0].into(),
            message: "Je ne trouve pas mon numéro client.".into(),
            captcha: String::new(),
        }
    }

    #[test]
    fn a_complete_form_passes_and_the_client_number_is_optional() {
        let message = form().validate().unwrap();
        assert_eq!(message.client_number, None);
        assert_eq!(message.subject, SUBJECTS[0]);
    }

    #[test]
    fn a_client_number_if_given_follows_the_same_rule_as_step_1() {
        let mut with_number = form();
        with_number.client_number = "0012345".into();
        let errors = with_number.validate().unwrap_err();
        assert_eq!(errors[0].field, fields::CLIENT_NUMBER);
        with_number.client_number = "12345".into();
        assert!(with_number.validate().unwrap().client_number.is_some());
    }

    #[test]
    fn every_faulty_field_is_named_in_form_order() {
        let errors = ContactRequest::default().validate().unwrap_err();
        let names: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            names,
            [
                fields::NAME,
                fields::EMAIL,
                fields::SUBJECT,
                fields::MESSAGE
            ]
        );
    }

    proptest! {
        #[test]
        fn only_known_subjects_pass(subject in ".{0,40}") {
            prop_assert_eq!(parse_subject(&subject).is_ok(), SUBJECTS.contains(&subject.trim()));
        }

        #[test]
        fn messages_are_bounded(text in "\\PC{0,3100}") {
            let parsed = parse_message(&text);
            let len = text.trim().chars().count();
            prop_assert_eq!(parsed.is_ok(), len > 0 && len <= MESSAGE_MAX_CHARS);
        }
    }
}
