//! The one place where errors become HTTP answers: a status and a French message for the
//! user, with the faulty fields when there are; internal details go to the log, never to
//! the page.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use inscription_shared::account::fields as account_fields;
use inscription_shared::registration::fields;
use inscription_shared::{ErrorResponse, FieldError};

use crate::account::activation::ActivationError;
use crate::account::passkeys::PasskeyError;
use crate::account::password_reset::ResetError;
use crate::account::second_factor::SecondFactorError;
use crate::account::sign_in::SignInError;
use crate::administration::ConsoleError;
use crate::back_office::BackOfficeError;
use crate::captcha::CaptchaError;
use crate::contact::ContactError;
use crate::my_data::MyDataError;
use crate::oidc::clients::ClientError;
use crate::opposition::OppositionError;
use crate::password_hash::HashError;
use crate::rate_limit::RateLimitError;
use crate::registration::existing_account::VerifyEmailError;
use crate::registration::step1::Step1Error;
use crate::registration::Step2Error;

/// An error as the API reports it.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("Cette adresse n’existe pas.")]
    NotFound,
    #[error("Cette action n’est pas possible à cette adresse.")]
    MethodNotAllowed,
    /// The input is wrong: 422, with the faulty fields.
    #[error("{message}")]
    Invalid {
        message: String,
        fields: Vec<FieldError>,
    },
    /// Not signed in, or the session ended: 401.
    #[error("{0}")]
    Unauthorized(String),
    /// Signed in, but not allowed: 403.
    #[error("{0}")]
    Forbidden(String),
    /// The request is understood but refused as things stand: 409.
    #[error("{0}")]
    Conflict(String),
    /// The thing asked for is gone or never was: 410.
    #[error("{0}")]
    Gone(String),
    /// Too many attempts: 429, with how long to wait.
    #[error("{message}")]
    TooManyRequests { message: String, retry_after: i64 },
    /// Too much work waiting (the password hashing queue is full): 503, try again soon.
    #[error("Le service est très sollicité en ce moment. Réessayez dans quelques secondes.")]
    Busy,
    #[error("La demande est trop volumineuse.")]
    TooLarge,
    /// A service we depend on did not answer: 503.
    #[error("{0}")]
    Unavailable(String),
    #[error(
        "Le service est momentanément indisponible. Veuillez réessayer dans quelques instants."
    )]
    Internal(#[source] anyhow::Error),
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Gone(_) => StatusCode::GONE,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Busy => StatusCode::SERVICE_UNAVAILABLE,
            Self::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// One field's error, as the summary and the field show it.
    fn field(field: &str, message: String) -> Self {
        Self::Invalid {
            fields: vec![FieldError::new(field, message.clone())],
            message,
        }
    }

    fn internal(e: impl Into<anyhow::Error>) -> Self {
        Self::Internal(e.into())
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        Self::internal(e)
    }
}

impl From<RateLimitError> for ApiError {
    fn from(e: RateLimitError) -> Self {
        match e {
            RateLimitError::Exceeded(seconds) => Self::TooManyRequests {
                message: e.to_string(),
                retry_after: seconds,
            },
            RateLimitError::Database(e) => Self::internal(e),
        }
    }
}

/// How long a client told "busy" should wait before trying again.
const BUSY_RETRY_AFTER_SECONDS: i64 = 5;

impl From<HashError> for ApiError {
    fn from(e: HashError) -> Self {
        match e {
            HashError::Busy => Self::Busy,
            HashError::Failed(_) => Self::internal(e),
        }
    }
}

impl From<CaptchaError> for ApiError {
    fn from(e: CaptchaError) -> Self {
        match e {
            CaptchaError::Missing | CaptchaError::Invalid | CaptchaError::Replayed => {
                Self::field(fields::CAPTCHA, e.to_string())
            }
            CaptchaError::Unavailable(ref cause) => {
                tracing::warn!(%cause, "CAPTCHA provider unavailable");
                Self::Unavailable(e.to_string())
            }
            CaptchaError::Database(e) => Self::internal(e),
        }
    }
}

impl From<Step1Error> for ApiError {
    fn from(e: Step1Error) -> Self {
        match e {
            Step1Error::RateLimited(e) => e.into(),
            Step1Error::Captcha(e) => e.into(),
            Step1Error::ClientNumber(e) => Self::field(fields::CLIENT_NUMBER, e.to_string()),
            Step1Error::UnknownEstablishment(_) => {
                Self::field(fields::CLIENT_NUMBER, e.to_string())
            }
            Step1Error::Database(e) => Self::internal(e),
            Step1Error::Unwritten(e) => Self::internal(e),
        }
    }
}

impl From<Step2Error> for ApiError {
    fn from(e: Step2Error) -> Self {
        let message = e.to_string();
        match e {
            Step2Error::Ticket(_) | Step2Error::UnknownEstablishment(_) => Self::Gone(message),
            Step2Error::Invalid(fields) => Self::Invalid { message, fields },
            Step2Error::CaseChanged(_) => Self::Conflict(message),
            Step2Error::EmailTaken => Self::field(fields::EMAIL, message),
            Step2Error::CapReached(_) => Self::TooManyRequests {
                message,
                retry_after: 3600,
            },
            Step2Error::Budget { retry_after, .. } => Self::TooManyRequests {
                message,
                retry_after,
            },
            Step2Error::RateLimited(e) => e.into(),
            Step2Error::InProgress => Self::Conflict(message),
            Step2Error::Hash(e) => e.into(),
            Step2Error::Database(e) => Self::internal(e),
        }
    }
}

impl From<SignInError> for ApiError {
    fn from(e: SignInError) -> Self {
        match e {
            SignInError::Failed => Self::Unauthorized(e.to_string()),
            SignInError::Throttled(e) => e.into(),
            SignInError::CaptchaNeeded => Self::field(account_fields::CAPTCHA, e.to_string()),
            SignInError::Captcha(e) => e.into(),
            SignInError::Hash(e) => e.into(),
            SignInError::Database(e) => Self::internal(e),
        }
    }
}

impl From<ActivationError> for ApiError {
    fn from(e: ActivationError) -> Self {
        match e {
            ActivationError::NotNeeded => Self::Conflict(e.to_string()),
            ActivationError::Password(_) => Self::field(ActivationError::FIELD, e.to_string()),
            ActivationError::Hash(e) => e.into(),
            ActivationError::Database(e) => Self::internal(e),
        }
    }
}

impl From<ResetError> for ApiError {
    fn from(e: ResetError) -> Self {
        match e {
            ResetError::InvalidLink => Self::Gone(e.to_string()),
            ResetError::Email(_) => Self::field(account_fields::EMAIL, e.to_string()),
            ResetError::Password(_) => Self::field(ResetError::FIELD, e.to_string()),
            ResetError::Throttled(e) => e.into(),
            ResetError::Hash(e) => e.into(),
            ResetError::Database(e) => Self::internal(e),
        }
    }
}

impl From<ConsoleError> for ApiError {
    fn from(e: ConsoleError) -> Self {
        match e {
            ConsoleError::NotFound => Self::Gone(e.to_string()),
            ConsoleError::LastAdministrator => Self::Conflict(e.to_string()),
            ConsoleError::NotAdministrator
            | ConsoleError::NotActive
            | ConsoleError::ForTheLender
            | ConsoleError::FreshFactor
            | ConsoleError::FactorOwed => Self::Forbidden(e.to_string()),
            ConsoleError::SignedOut => Self::Unauthorized(e.to_string()),
            ConsoleError::UnknownService(_) | ConsoleError::ReasonTooLong => Self::Invalid {
                message: e.to_string(),
                fields: Vec::new(),
            },
            ConsoleError::Database(e) => Self::internal(e),
        }
    }
}

impl From<SecondFactorError> for ApiError {
    fn from(e: SecondFactorError) -> Self {
        use inscription_shared::second_factor::CODE_FIELD;
        match e {
            SecondFactorError::Malformed(_)
            | SecondFactorError::Wrong
            | SecondFactorError::Replayed => Self::field(CODE_FIELD, e.to_string()),
            SecondFactorError::AlreadyEnrolled | SecondFactorError::NotStarted => {
                Self::Conflict(e.to_string())
            }
            // The sign-in it answered is gone: begin again with the password.
            SecondFactorError::ChallengeOver => Self::Gone(e.to_string()),
            SecondFactorError::Passkey(e) => e.into(),
            SecondFactorError::Throttled(e) => e.into(),
            SecondFactorError::Database(e) => Self::internal(e),
        }
    }
}

impl From<PasskeyError> for ApiError {
    fn from(e: PasskeyError) -> Self {
        use inscription_shared::second_factor::PASSKEY_NAME_FIELD;
        match e {
            PasskeyError::Name(_) => Self::field(PASSKEY_NAME_FIELD, e.to_string()),
            PasskeyError::Unreadable | PasskeyError::NotCreated => {
                Self::field("credential", e.to_string())
            }
            PasskeyError::Refused => Self::Unauthorized(e.to_string()),
            PasskeyError::Unavailable | PasskeyError::Known | PasskeyError::NoneHeld => {
                Self::Conflict(e.to_string())
            }
            PasskeyError::CeremonyOver | PasskeyError::NotFound => Self::Gone(e.to_string()),
            PasskeyError::OperatorsHaveNone => Self::Forbidden(e.to_string()),
            PasskeyError::Database(e) => Self::internal(e),
        }
    }
}

impl From<ClientError> for ApiError {
    fn from(e: ClientError) -> Self {
        use inscription_shared::operator::client_fields::*;
        // The command line prints these after "erreur :"; a page shows them as sentences.
        let text = e.to_string();
        let mut chars = text.chars();
        let message = chars
            .next()
            .map(|first| format!("{}{}.", first.to_uppercase(), chars.as_str()))
            .unwrap_or_default();
        let field = match &e {
            ClientError::BadClientId | ClientError::Exists(_) => CLIENT_ID,
            ClientError::BadName => NAME,
            ClientError::UnknownService(_) => SERVICE,
            ClientError::NoRedirectUri | ClientError::BadRedirectUri(..) => REDIRECT_URIS,
            ClientError::BadLogoutUri(..) => POST_LOGOUT_REDIRECT_URIS,
            ClientError::Unknown(_) => return Self::Gone(message),
            ClientError::Public(_) => return Self::Conflict(message),
            ClientError::Database(_) => return Self::internal(anyhow::anyhow!(text)),
        };
        Self::field(field, message)
    }
}

impl From<MyDataError> for ApiError {
    fn from(e: MyDataError) -> Self {
        let message = e.to_string();
        match e {
            MyDataError::Gone => Self::Unauthorized(message),
            MyDataError::Invalid(fields) => Self::Invalid { message, fields },
            MyDataError::Reason => Self::Invalid {
                message,
                fields: Vec::new(),
            },
            MyDataError::LastAdministrator
            | MyDataError::OnlyAdministrator
            | MyDataError::Candidate => Self::Conflict(message),
            MyDataError::NotFound => Self::Gone(message),
            MyDataError::Database(e) => Self::internal(e),
        }
    }
}

impl From<VerifyEmailError> for ApiError {
    fn from(e: VerifyEmailError) -> Self {
        match e {
            VerifyEmailError::InvalidLink => Self::Gone(e.to_string()),
            VerifyEmailError::Database(e) => Self::internal(e),
        }
    }
}

impl From<BackOfficeError> for ApiError {
    fn from(e: BackOfficeError) -> Self {
        let message = e.to_string();
        match e {
            BackOfficeError::NotFound => Self::Gone(message),
            BackOfficeError::CandidacyClosed => Self::Conflict(message),
            BackOfficeError::Reauthenticate => Self::Forbidden(message),
            BackOfficeError::Reason
            | BackOfficeError::Filter(_)
            | BackOfficeError::Directory(_) => Self::Invalid {
                message,
                fields: Vec::new(),
            },
            BackOfficeError::Pdf(e) => Self::internal(e),
            BackOfficeError::Hash(e) => e.into(),
            BackOfficeError::Database(e) => Self::internal(e),
        }
    }
}

impl From<ContactError> for ApiError {
    fn from(e: ContactError) -> Self {
        match e {
            ContactError::Invalid(fields) => Self::Invalid {
                message: "Vérifiez les champs signalés.".into(),
                fields,
            },
            ContactError::Captcha(e) => e.into(),
            ContactError::RateLimited(e) => e.into(),
            ContactError::Database(e) => Self::internal(e),
        }
    }
}

impl From<OppositionError> for ApiError {
    fn from(e: OppositionError) -> Self {
        match e {
            OppositionError::Invalid(fields) => Self::Invalid {
                message: "Vérifiez les champs signalés.".into(),
                fields,
            },
            OppositionError::NoMatch => {
                Self::field(inscription_shared::operator::fields::CODE, e.to_string())
            }
            OppositionError::Throttled(e) => e.into(),
            OppositionError::Database(e) => Self::internal(e),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Self::Internal(e) = &self {
            tracing::error!(error = ?e, "internal error");
        }
        let status = self.status();
        let message = self.to_string();
        let retry_after = match &self {
            Self::TooManyRequests { retry_after, .. } => Some(*retry_after),
            Self::Busy => Some(BUSY_RETRY_AFTER_SECONDS),
            _ => None,
        };
        let fields = match self {
            Self::Invalid { fields, .. } => fields,
            _ => Vec::new(),
        };
        let mut response = (
            status,
            Json(ErrorResponse {
                message,
                fields,
                status: status.as_u16(),
            }),
        )
            .into_response();
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.max(1).into());
        }
        response
    }
}

/// Unknown API paths answer in JSON, not with the app's `index.html`.
pub async fn api_not_found() -> ApiError {
    ApiError::NotFound
}

/// A known API path with the wrong method, answered in French too.
pub async fn api_method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}
