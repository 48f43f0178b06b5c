//! The administrators' console and "Mes habilitations" (PRODUCT.md §5).

use serde::{Deserialize, Serialize};

use crate::account::Role;

/// One online service of the rights catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Service {
    pub code: String,
    pub label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UserStatus {
    /// A request waiting for an administrator's decision.
    Pending,
    Active,
    Disabled,
}

/// A user of the establishment as the console lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserSummary {
    pub id: i64,
    pub civility: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub job_title: String,
    pub phone: String,
    pub role: Role,
    pub status: UserStatus,
    /// Codes of the services the user has rights on.
    pub services: Vec<String>,
    /// A one-time code app protects the account.
    #[serde(default)]
    pub second_factor: bool,
}

/// Everything the console shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Console {
    pub services: Vec<Service>,
    pub requests: Vec<UserSummary>,
    pub users: Vec<UserSummary>,
    pub active_administrators: i64,
    /// When the administrator, who holds no second factor, must have added one to manage
    /// accesses (Unix seconds); `None` when they hold one.
    #[serde(default)]
    pub second_factor_owed_by: Option<i64>,
}

/// Rights chosen for a user (at validation, or later).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RightsUpdate {
    pub services: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Refusal {
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleUpdate {
    pub administrator: bool,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusUpdate {
    pub enabled: bool,
}

/// "Mes habilitations": my rights, and who my administrators are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyRights {
    pub services: Vec<Service>,
    pub administrators: Vec<String>,
}

/// Longest refusal reason kept.
pub const REASON_MAX_CHARS: usize = 500;
