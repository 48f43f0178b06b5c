//! "Mes données" (PRODUCT.md §12; RGPD articles 15, 16, 17 and 20): what is kept about the
//! signed-in person, as they see and download it, the corrections they may make, and the
//! closing of their account.

use serde::{Deserialize, Serialize};

use crate::identity::{Civility, JobTitle, PersonName, Phone};
use crate::registration::{check_person, fields, Errors};
use crate::FieldError;

/// What the person may correct themselves. Their e-mail address is their identifier and
/// their establishment's administrators know them by it: it is not corrected here.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Correction {
    pub civility: String,
    pub last_name: String,
    pub first_name: String,
    pub job_title: String,
    pub phone: String,
}

/// A correction whose every field passed the registration's own rules.
#[derive(Debug, Clone)]
pub struct Corrected {
    pub civility: Civility,
    pub last_name: PersonName,
    pub first_name: PersonName,
    pub job_title: JobTitle,
    pub phone: Phone,
}

impl Correction {
    /// Checks every field as step 2 does; on failure, every faulty field's message.
    pub fn validate(&self) -> Result<Corrected, Vec<FieldError>> {
        let mut errors = Errors::default();
        let person = check_person(
            &mut errors,
            &self.civility,
            &self.last_name,
            &self.first_name,
            &self.job_title,
        );
        let phone = errors.check(fields::PHONE, Phone::parse(&self.phone));
        match (person, phone) {
            (Some((civility, last_name, first_name, job_title)), Some(phone)) => Ok(Corrected {
                civility,
                last_name,
                first_name,
                job_title,
                phone,
            }),
            _ => Err(errors.0),
        }
    }
}

/// Everything kept about the person: the page shows it, and downloads it as JSON.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyData {
    pub account: KeptAccount,
    pub establishment: KeptEstablishment,
    /// The services the person holds rights on, by their labels.
    pub rights: Vec<String>,
    pub sessions: Vec<KeptSession>,
    /// The audit trail's events about the person or by them, newest first.
    pub events: Vec<KeptEvent>,
    /// The e-mails sent to their address that are still kept.
    pub emails: Vec<KeptEmail>,
    /// The second factor: never its key nor the recovery codes, what is kept of them.
    #[serde(default)]
    pub second_factor: KeptSecondFactor,
    /// The online services signed in to through the portal.
    #[serde(default)]
    pub services: KeptServices,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeptSecondFactor {
    /// When a one-time code app was added (Unix seconds), if one was.
    pub app_added_at: Option<i64>,
    pub recovery_codes_left: i64,
    /// The passkeys: their names and dates (never their keys).
    #[serde(default)]
    pub passkeys: Vec<crate::second_factor::PasskeyLine>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeptServices {
    /// The identifier (`sub`) the services know the person by, once they signed in to one.
    pub subject: Option<String>,
    /// The sign-ins still kept (they go with the portal session they came from).
    pub sign_ins: Vec<KeptSignIn>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeptSignIn {
    pub at: i64,
    /// The service's name.
    pub service: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeptAccount {
    pub civility: String,
    pub last_name: String,
    pub first_name: String,
    pub job_title: String,
    pub email: String,
    pub phone: String,
    /// "Administrateur" or "Utilisateur".
    pub role: String,
    /// Unix seconds.
    pub created_at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeptEstablishment {
    pub client_number: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeptSession {
    pub created_at: i64,
    pub last_seen_at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeptEvent {
    pub at: i64,
    pub action: String,
    /// The address the request came from ("" once pseudonymised).
    pub ip: String,
    pub details: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeptEmail {
    pub created_at: i64,
    pub subject: String,
    pub sent_at: Option<i64>,
}

/// The answer to a closing refused because the establishment would lose its last active
/// administrator.
pub const LAST_ADMINISTRATOR: &str = "Vous êtes le dernier administrateur actif de votre établissement\u{a0}: nommez d’abord un autre administrateur dans «\u{a0}Administration de mon établissement\u{a0}», puis fermez votre compte.";

#[cfg(test)]
mod tests {
    use super::*;

    fn correction() -> Correction {
        Correction {
            civility: "Madame".into(),
            last_name: "Durand".into(),
            first_name: "Zoé".into(),
            job_title: "Gestionnaire".into(),
            phone: "02 40 12 34 56".into(),
        }
    }

    #[test]
    fn a_correction_follows_the_registrations_rules() {
        let corrected = correction().validate().unwrap();
        assert_eq!(corrected.last_name.as_str(), "Durand");
        assert_eq!(corrected.phone.as_str(), "+33240123456");
    }

    #[test]
    fn every_faulty_field_is_named_once() {
        let wrong = Correction {
            civility: "Maître".into(),
            last_name: String::new(),
            first_name: "Zoé".into(),
            job_title: "x".repeat(101),
            phone: "12".into(),
        };
        let errors = wrong.validate().unwrap_err();
        let named: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            named,
            [
                fields::CIVILITY,
                fields::LAST_NAME,
                fields::JOB_TITLE,
                fields::PHONE
            ]
        );
    }
}
