//! What the operators' back office exchanges (PRODUCT.md §4, §9): the letter outbox, the
//! directory, re-designation, the audit trail, contact messages and the e-mail outbox.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LetterStatus {
    Queued,
    Dispatched,
    Cancelled,
}

impl LetterStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::Queued => "À envoyer",
            Self::Dispatched => "Envoyé",
            Self::Cancelled => "Annulé",
        }
    }
}

/// A letter as the outbox lists it (never its code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LetterSummary {
    pub id: i64,
    pub reference: String,
    pub status: LetterStatus,
    pub establishment_id: i64,
    pub establishment_name: String,
    pub client_number: String,
    pub candidate_name: String,
    pub candidate_email: String,
    pub created_at: i64,
    pub code_expires_at: i64,
    pub dispatched_at: Option<i64>,
    pub cancelled_at: Option<i64>,
    /// The candidacy is still open: the letter can be re-sent or cancelled.
    pub open: bool,
    /// Wrong tries of the letter's temporary password so far (someone may be guessing).
    #[serde(default)]
    pub code_failures: i64,
}

/// New first users (administrator candidates) of the last days that came from one client
/// address: many from one address is someone squatting establishments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CandidaciesFromAddress {
    pub address: String,
    /// The establishments ("client number name"), newest first.
    pub establishments: Vec<String>,
    pub last_at: i64,
}

/// How many days the operators' view of candidacies per address looks back.
pub const CANDIDACY_DAYS: i64 = 7;

/// Letters to mark as dispatched (those just printed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dispatch {
    pub ids: Vec<i64>,
}

/// How many letters an action changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Changed {
    pub count: u64,
}

/// Why an operator cancels a candidacy or starts a re-designation (kept in the audit trail).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reason {
    pub reason: String,
}

/// Longest reason kept.
pub const REASON_MAX_CHARS: usize = 500;

/// A directory file's text, uploaded from the console.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DirectoryUpload {
    pub content: String,
}

/// What an import did: the per-line report of rejected rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    pub imported: u64,
    pub rejected: Vec<String>,
    pub total: i64,
}

/// An establishment in search results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EstablishmentSummary {
    pub id: i64,
    pub client_number: String,
    pub name: String,
    pub kind: String,
    pub city: String,
    pub closed: bool,
}

/// An account of an establishment, as operators see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountSummary {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub job_title: String,
    /// "Administrateur" or "Utilisateur".
    pub role: String,
    /// In French: "Actif", "Candidat administrateur", "En attente de validation"…
    pub status: String,
    pub created_at: i64,
    /// A one-time code app protects the account.
    #[serde(default)]
    pub second_factor: bool,
}

/// An establishment's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EstablishmentDetail {
    pub summary: EstablishmentSummary,
    pub legal_representative_title: String,
    pub address_lines: Vec<String>,
    pub active_administrators: i64,
    pub candidate: Option<AccountSummary>,
    pub accounts: Vec<AccountSummary>,
    pub letters: Vec<LetterSummary>,
}

/// What a re-designation changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Redesignated {
    /// Administrators who kept their account as plain users.
    pub former_administrators: u64,
    /// A pending candidacy cancelled with its letter.
    pub cancelled_candidacy: bool,
}

/// One event of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub action: String,
    pub actor: String,
    pub ip: String,
    pub establishment: Option<String>,
    pub person: Option<String>,
    pub details: String,
}

/// The filters of the audit trail; empty means any. Also the query string of its CSV export.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default)]
pub struct AuditFilter {
    /// A client number.
    pub establishment: String,
    /// An e-mail address (of a user or an operator).
    pub person: String,
    /// An action, or its first part ("registration", "letter"…).
    pub kind: String,
    /// From this day on (AAAA-MM-JJ).
    pub from: String,
    /// Up to this day included (AAAA-MM-JJ).
    pub to: String,
}

impl AuditFilter {
    /// The query string, for the list and its CSV export alike.
    pub fn query(&self) -> String {
        let pairs = [
            ("establishment", &self.establishment),
            ("person", &self.person),
            ("kind", &self.kind),
            ("from", &self.from),
            ("to", &self.to),
        ];
        pairs
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| format!("{k}={}", encode(v.trim())))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// Percent-encodes a query value (RFC 3986 unreserved characters pass).
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The latest events at most, newest first; the CSV export has them all.
pub const AUDIT_PAGE: i64 = 200;

/// A message sent with the contact form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactMessageView {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub client_number: String,
    pub subject: String,
    pub message: String,
    pub handled: bool,
    pub created_at: i64,
}

/// Marks a contact message handled, or new again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Handled {
    pub handled: bool,
}

/// An e-mail of the local outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmailView {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    /// Failed tries so far.
    #[serde(default)]
    pub attempts: i64,
    /// Abandoned after too many failures (or a definitive refusal) at this time.
    #[serde(default)]
    pub failed_at: Option<i64>,
    /// What the mail server said at the last failure.
    #[serde(default)]
    pub last_error: String,
}

/// The e-mail outbox: the latest e-mails, and whether SMTP sends them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmailOutbox {
    pub smtp: bool,
    pub emails: Vec<EmailView>,
}

/// "Pas vous ?": the legal representative's cancellation with the code of the letter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Opposition {
    pub client_number: String,
    pub code: String,
}

/// Field names of the "not you?" form.
pub mod fields {
    pub const CLIENT_NUMBER: &str = "opposition-numero-client";
    pub const CODE: &str = "code-opposition";
}

impl Opposition {
    /// The form's rule, for the page and the server alike: a client number and a code as
    /// the letter prints them; on failure, each faulty field's message.
    pub fn validate(
        &self,
    ) -> Result<
        (
            crate::ClientNumber,
            crate::temporary_password::TemporaryPassword,
        ),
        Vec<crate::FieldError>,
    > {
        use crate::temporary_password::{TemporaryPassword, TemporaryPasswordError};
        let number = crate::ClientNumber::parse(&self.client_number);
        let code = TemporaryPassword::parse(&self.code).map_err(|e| match e {
            TemporaryPasswordError::Empty => {
                "Saisissez le code d’opposition imprimé sur le courrier.".to_owned()
            }
            TemporaryPasswordError::Length => {
                "Le code d’opposition compte 12 caractères, par exemple K7QX-3MPD-9HTW.".to_owned()
            }
            TemporaryPasswordError::Character(c) => format!(
                "Le caractère «\u{a0}{c}\u{a0}» ne figure dans aucun code d’opposition\u{a0}: vérifiez votre saisie."
            ),
        });
        match (number, code) {
            (Ok(number), Ok(code)) => Ok((number, code)),
            (number, code) => {
                let mut errors = Vec::new();
                if let Err(e) = number {
                    errors.push(crate::FieldError::new(fields::CLIENT_NUMBER, e.to_string()));
                }
                if let Err(message) = code {
                    errors.push(crate::FieldError::new(fields::CODE, message));
                }
                Err(errors)
            }
        }
    }
}

/// The one answer to a wrong client number or code, whichever it is.
pub const OPPOSITION_FAILED: &str =
    "Ce numéro client et ce code d’opposition ne correspondent à aucune inscription en cours. Vérifiez le courrier.";

/// The answer once the candidacy is cancelled.
pub const OPPOSITION_DONE: &str = "L’inscription est annulée\u{a0}: le mot de passe temporaire du courrier ne fonctionne plus. La personne inscrite en est informée par courrier électronique.";

/// "2 lignes importées, 1 rejetée ; 12 établissements dans l’annuaire": an import's
/// outcome, as the back office and the command line say it.
pub fn import_summary(imported: impl crate::french::Count, rejected: usize, total: i64) -> String {
    format!(
        "{}, {}\u{a0}; {} dans l’annuaire.",
        crate::french::plural(imported, "ligne importée", "lignes importées"),
        crate::french::plural(rejected, "rejetée", "rejetées"),
        crate::french::plural(total, "établissement", "établissements"),
    )
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_opposition_form_names_each_faulty_field() {
        let right = Opposition {
            client_number: "237517".into(),
            code: "k7qx 3mpd 9htw".into(),
        };
        let (number, code) = right.validate().unwrap();
        assert_eq!(
            (number.as_str(), code.printed().as_str()),
            ("237517", "K7QX-3MPD-9HTW")
        );
        let wrong = Opposition {
            client_number: "0237517".into(),
            code: String::new(),
        };
        let errors = wrong.validate().unwrap_err();
        assert_eq!(errors[0].field, fields::CLIENT_NUMBER);
        assert_eq!(errors[1].field, fields::CODE);
        assert_eq!(
            errors[1].message,
            "Saisissez le code d’opposition imprimé sur le courrier."
        );
    }
    use super::*;

    #[test]
    fn the_filter_query_keeps_filled_fields_encoded() {
        let filter = AuditFilter {
            establishment: "12345".into(),
            person: "marie+x@exemple.fr".into(),
            kind: " ".into(),
            ..AuditFilter::default()
        };
        assert_eq!(
            filter.query(),
            "establishment=12345&person=marie%2Bx%40exemple.fr"
        );
    }
}

/// A service that signs people in through the portal (an OpenID Connect client, PRODUCT.md
/// §11), as the back office lists it: never its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceClient {
    pub client_id: String,
    pub name: String,
    /// The rights catalogue's entry it stands for: only its holders get a token.
    pub service_code: String,
    /// No secret: an app in the browser or on a phone, which proves itself with PKCE alone.
    pub public: bool,
    pub redirect_uris: Vec<String>,
    pub post_logout_redirect_uris: Vec<String>,
    pub created_at: i64,
    pub secret_rotated_at: Option<i64>,
}

/// The registered services, and the catalogue they may stand for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceClients {
    pub clients: Vec<ServiceClient>,
    pub catalogue: Vec<crate::administration::Service>,
}

/// A service to register.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewServiceClient {
    pub client_id: String,
    pub name: String,
    pub service_code: String,
    pub redirect_uris: Vec<String>,
    #[serde(default)]
    pub post_logout_redirect_uris: Vec<String>,
    #[serde(default)]
    pub public: bool,
}

/// Which service gets a new secret.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecretRotation {
    pub client_id: String,
}

/// A service's secret, shown this once (`None`: a public service has none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClientSecret {
    pub client_id: String,
    pub secret: Option<String>,
}

/// The fields of a service's registration, as the API's errors name them.
pub mod client_fields {
    pub const CLIENT_ID: &str = "client_id";
    pub const NAME: &str = "name";
    pub const SERVICE: &str = "service_code";
    pub const REDIRECT_URIS: &str = "redirect_uris";
    pub const POST_LOGOUT_REDIRECT_URIS: &str = "post_logout_redirect_uris";
}
