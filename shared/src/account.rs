//! Signing in, activating an account with the letter's temporary password, and who is
//! signed in (PRODUCT.md §3). Secrets are never printed.

use serde::{Deserialize, Serialize};

/// Field names, shared by the page (element ids) and the server (error answers).
pub mod fields {
    pub const EMAIL: &str = "courriel";
    pub const PASSWORD: &str = "mot-de-passe";
    pub const NEW_PASSWORD: &str = "nouveau-mot-de-passe";
    pub const CAPTCHA: &str = "captcha";
}

/// E-mail and password, or e-mail and the temporary password from the letter.
#[derive(Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInRequest {
    pub email: String,
    pub password: String,
    /// A "Je ne suis pas un robot" proof, asked once the account has had many failed
    /// sign-ins from anywhere ([`CAPTCHA_NEEDED`]); empty otherwise.
    #[serde(default)]
    pub captcha: String,
}

impl std::fmt::Debug for SignInRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInRequest")
            .field("email", &self.email)
            .field("password", &"***")
            .field("captcha", &(!self.captcha.is_empty()))
            .finish()
    }
}

/// The password an administrator candidate chooses right after signing in with the code.
#[derive(Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivationRequest {
    pub password: String,
}

impl std::fmt::Debug for ActivationRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ActivationRequest { password: *** }")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Administrator,
    User,
    /// The lender's staff: the back office, no establishment.
    Operator,
}

/// The signed-in person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub civility: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub establishment_name: String,
    pub role: Role,
    /// Signed in with the temporary password: must choose a password before anything else.
    pub must_choose_password: bool,
    /// Wrong tries of the letter's temporary password since it was sent (shown to the
    /// candidate at activation: someone else may know their address).
    #[serde(default)]
    pub code_failures: i64,
    /// The password was right; the second factor's code is asked before any session opens.
    #[serde(default)]
    pub second_factor_required: bool,
    /// With `second_factor_required`: whether a passkey may answer, and whether a code may
    /// (the app's or a recovery code).
    #[serde(default)]
    pub second_factor_passkey: bool,
    #[serde(default)]
    pub second_factor_code: bool,
}

/// "Mot de passe oublié": the address to send the link to.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ForgottenPassword {
    pub email: String,
}

/// The same answer whether or not an account has this address.
pub const RESET_LINK_SENT: &str = "Si un compte correspond à cette adresse, un message contenant un lien pour choisir un nouveau mot de passe vient de lui être envoyé. Le lien est valable une heure.";

/// The link's token and the new password.
#[derive(Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordReset {
    pub token: String,
    pub password: String,
}

impl std::fmt::Debug for PasswordReset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordReset { token: ***, password: *** }")
    }
}

/// The one answer to every failed sign-in, whatever the cause.
pub const SIGN_IN_FAILED: &str = "Adresse électronique ou mot de passe incorrect.";

/// Asked instead of refusing the right password when an account has had many failed
/// sign-ins: strangers cannot lock its owner out, but each of their guesses costs a proof.
pub const CAPTCHA_NEEDED: &str = "Plusieurs tentatives de connexion ont échoué pour ce compte. Pour continuer, cochez la case «\u{a0}Je ne suis pas un robot\u{a0}», puis validez de nouveau.";
