//! The registration wizard's requests and answers (PRODUCT.md §2), and the checks of a
//! whole step-2 form, so that the page's error summary and the server's answer list the
//! same errors with the same words.

use serde::{Deserialize, Serialize};

use crate::identity::{Civility, Email, JobTitle, NameField, PersonName, Phone};
use crate::password::{Password, PersonalWords};
use crate::{ClientNumber, FieldError};

/// Field names, shared by the page (element ids) and the server (error answers).
pub mod fields {
    pub const CLIENT_NUMBER: &str = "numero-client";
    pub const CAPTCHA: &str = "captcha";
    pub const CIVILITY: &str = "civilite";
    pub const LAST_NAME: &str = "nom";
    pub const FIRST_NAME: &str = "prenom";
    pub const JOB_TITLE: &str = "fonction";
    pub const EMAIL: &str = "courriel";
    pub const PHONE: &str = "telephone";
    pub const PASSWORD: &str = "mot-de-passe";
    pub const ACCEPT_ADMIN_ROLE: &str = "role-administrateur";
    pub const ACCEPT_CGU: &str = "cgu";
}

/// Step 1: the client number and the CAPTCHA's token.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Step1Request {
    pub client_number: String,
    pub captcha: String,
}

/// Which step 2 the server chose for the establishment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RegistrationCase {
    /// No administrator and no pending candidate: the registrant becomes the candidate.
    FirstUser,
    /// An account exists: the administrators will validate the request.
    ExistingAccount,
}

/// Step 1 passed: a short-lived signed ticket bound to the establishment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Step1Response {
    pub ticket: String,
    /// The number as the server read it, recalled on step 2.
    pub client_number: ClientNumber,
    pub establishment_name: String,
    pub case: RegistrationCase,
    /// Unix time (seconds) after which the ticket is refused.
    pub expires_at: i64,
}

/// The identity fields of step 2, as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IdentityForm {
    pub civility: String,
    pub last_name: String,
    pub first_name: String,
    pub job_title: String,
    pub email: String,
    pub phone: String,
}

/// The identity fields, each checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
    pub civility: Civility,
    pub last_name: PersonName,
    pub first_name: PersonName,
    pub job_title: JobTitle,
    pub email: Email,
    pub phone: Phone,
}

/// Step 2, case 1 (first user of the establishment).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FirstUserRequest {
    pub ticket: String,
    pub identity: IdentityForm,
    pub accept_admin_role: bool,
    pub accept_cgu: bool,
}

/// Step 2, case 2 (an account already exists). The password is never printed.
#[derive(Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExistingAccountRequest {
    pub ticket: String,
    pub identity: IdentityForm,
    pub password: String,
    pub accept_cgu: bool,
}

impl std::fmt::Debug for ExistingAccountRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExistingAccountRequest")
            .field("ticket", &self.ticket)
            .field("identity", &self.identity)
            .field("password", &"***")
            .field("accept_cgu", &self.accept_cgu)
            .finish()
    }
}

/// Step 2 done: what the confirmation page tells.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Step2Response {
    pub case: RegistrationCase,
    pub establishment_name: String,
    pub email: String,
}

/// Collects one message per faulty field, in the order of the form.
#[derive(Default)]
pub(crate) struct Errors(pub(crate) Vec<FieldError>);

impl Errors {
    pub(crate) fn check<T, E: ToString>(
        &mut self,
        field: &'static str,
        result: Result<T, E>,
    ) -> Option<T> {
        result
            .map_err(|e| self.0.push(FieldError::new(field, e.to_string())))
            .ok()
    }

    pub(crate) fn require(&mut self, field: &'static str, ticked: bool, message: &str) {
        if !ticked {
            self.0.push(FieldError::new(field, message));
        }
    }
}

pub const ACCEPT_ADMIN_ROLE_REQUIRED: &str =
    "Cochez la case pour accepter le rôle d’administrateur.";
pub const ACCEPT_CGU_REQUIRED: &str =
    "Cochez la case pour accepter les conditions générales d’utilisation.";

/// Who a person is, before their e-mail address: civility, names and job title, as step 2
/// and "Mes données" check them, each faulty field's message collected in form order.
pub(crate) fn check_person(
    errors: &mut Errors,
    civility: &str,
    last_name: &str,
    first_name: &str,
    job_title: &str,
) -> Option<(Civility, PersonName, PersonName, JobTitle)> {
    use fields::*;
    let civility = errors.check(CIVILITY, Civility::parse(civility));
    let last_name = errors.check(LAST_NAME, PersonName::parse(last_name, NameField::LastName));
    let first_name = errors.check(
        FIRST_NAME,
        PersonName::parse(first_name, NameField::FirstName),
    );
    let job_title = errors.check(JOB_TITLE, JobTitle::parse(job_title));
    Some((civility?, last_name?, first_name?, job_title?))
}

impl IdentityForm {
    fn check(&self, errors: &mut Errors) -> Option<Identity> {
        let person = check_person(
            errors,
            &self.civility,
            &self.last_name,
            &self.first_name,
            &self.job_title,
        );
        let email = errors.check(fields::EMAIL, Email::parse(&self.email));
        let phone = errors.check(fields::PHONE, Phone::parse(&self.phone));
        let (civility, last_name, first_name, job_title) = person?;
        Some(Identity {
            civility,
            last_name,
            first_name,
            job_title,
            email: email?,
            phone: phone?,
        })
    }
}

impl FirstUserRequest {
    /// Checks every field; on failure, every faulty field's message.
    pub fn validate(&self) -> Result<Identity, Vec<FieldError>> {
        let mut errors = Errors::default();
        let identity = self.identity.check(&mut errors);
        errors.require(
            fields::ACCEPT_ADMIN_ROLE,
            self.accept_admin_role,
            ACCEPT_ADMIN_ROLE_REQUIRED,
        );
        errors.require(fields::ACCEPT_CGU, self.accept_cgu, ACCEPT_CGU_REQUIRED);
        match identity {
            Some(identity) if errors.0.is_empty() => Ok(identity),
            _ => Err(errors.0),
        }
    }
}

impl ExistingAccountRequest {
    /// Checks every field, the password against the person's own e-mail and names.
    pub fn validate(&self) -> Result<(Identity, Password), Vec<FieldError>> {
        let mut errors = Errors::default();
        let identity = self.identity.check(&mut errors);
        let personal = PersonalWords {
            email: Some(self.identity.email.trim()),
            last_name: Some(&self.identity.last_name),
            first_name: Some(&self.identity.first_name),
        };
        let password = errors.check(fields::PASSWORD, Password::parse(&self.password, personal));
        errors.require(fields::ACCEPT_CGU, self.accept_cgu, ACCEPT_CGU_REQUIRED);
        match (identity, password) {
            (Some(identity), Some(password)) if errors.0.is_empty() => Ok((identity, password)),
            _ => Err(errors.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good_identity() -> IdentityForm {
        IdentityForm {
            civility: "Madame".into(),
            last_name: "Le Bihan".into(),
            first_name: "Anne-Sophie".into(),
            job_title: "Directrice financière".into(),
            email: "anne-sophie.lebihan@habitat-loire.fr".into(),
            phone: "02 40 12 34 56".into(),
        }
    }

    #[test]
    fn a_complete_first_user_form_passes() {
        let request = FirstUserRequest {
            ticket: "t".into(),
            identity: good_identity(),
            accept_admin_role: true,
            accept_cgu: true,
        };
        let identity = request.validate().unwrap();
        assert_eq!(identity.phone.as_str(), "+33240123456");
    }

    #[test]
    fn every_faulty_field_is_listed_in_form_order() {
        let request = FirstUserRequest::default();
        let errors = request.validate().unwrap_err();
        let names: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            names,
            [
                "civilite",
                "nom",
                "prenom",
                "fonction",
                "courriel",
                "telephone",
                "role-administrateur",
                "cgu"
            ]
        );
        assert_eq!(errors[0].message, "Choisissez votre civilité.");
    }

    #[test]
    fn the_password_may_not_hold_the_persons_name() {
        let request = ExistingAccountRequest {
            ticket: "t".into(),
            identity: good_identity(),
            password: "Bihan!2026-Loire".into(),
            accept_cgu: true,
        };
        let errors = request.validate().unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "mot-de-passe");
        assert!(format!("{request:?}").contains("***"));
        assert!(!format!("{request:?}").contains("Bihan!2026"));
    }
}
