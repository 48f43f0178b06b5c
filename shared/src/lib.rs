//! Types and validation rules shared by the app and the server, so that each rule is
//! written once: the page calls them for live feedback, the server as the authority.
//! Light and wasm-safe on purpose: no regex, no heavy dependency.

pub mod account;
pub mod administration;
pub mod bundles;
pub mod client_number;
pub mod contact;
pub mod dates;
pub mod french;
pub mod identity;
pub mod legal;
pub mod my_data;
pub mod operator;
pub mod pages;
pub mod password;
pub mod registration;
pub mod retention;
pub mod second_factor;
pub mod temporary_password;

pub use client_number::{ClientNumber, ClientNumberError, Hint as NumberHint, Tone};

use serde::{Deserialize, Serialize};

/// One field's error, as the page ties it to its field and lists it in the error summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field's name (see [`registration::fields`]), also its element id in the page.
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

/// Every error answer of the API: a French message, and the faulty fields if any.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorResponse {
    pub message: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
    /// The HTTP status, noted by the client that received the answer (never sent): a page
    /// offers to sign in again only when the session is why it was refused.
    #[serde(skip)]
    pub status: u16,
}
