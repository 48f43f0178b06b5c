//! Passkeys in the browser (WebAuthn). The whole ceremony — the server's options,
//! `navigator.credentials`, the answer back to the server — is `/passkey.js`, imported the
//! first time a passkey is used: no page's first load carries it, and this bundle carries
//! one call.

use inscription_shared::ErrorResponse;
use wasm_bindgen::prelude::*;

use crate::api;

#[wasm_bindgen(
    inline_js = "export function passkey(path, name, adding) { return import('/passkey.js').then((m) => m.run(path, name, adding)); }"
)]
extern "C" {
    #[wasm_bindgen(catch)]
    async fn passkey(path: &str, name: &str, adding: bool) -> Result<JsValue, JsValue>;
}

/// What a ceremony is for: the address of its answer, and of its options (`…/options`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// Adding a passkey to one's account.
    Add,
    /// The sign-in's second step, after the password.
    SecondStep,
    /// Signing in with a passkey alone.
    SignIn,
    /// Proving the factor again before a sensitive action.
    Reauthenticate,
}

impl Use {
    fn path(self) -> &'static str {
        match self {
            Self::Add => "/api/me/passkeys",
            Self::SecondStep => "/api/session/second-factor/passkey",
            Self::SignIn => "/api/session/passkey",
            Self::Reauthenticate => "/api/me/reauthentication/passkey",
        }
    }
}

/// A whole ceremony (a new passkey named `name` when adding one): the server's final
/// answer, or its error (or the browser's, said in French).
pub async fn ceremony(purpose: Use, name: String) -> Result<JsValue, ErrorResponse> {
    match passkey(purpose.path(), &name, purpose == Use::Add).await {
        Ok(answer) => Ok(answer),
        Err(error) => {
            let status = js_sys::Reflect::get(&error, &"status".into())
                .ok()
                .and_then(|s| s.as_f64())
                .unwrap_or_default();
            let mut error: ErrorResponse = api::read(error)?;
            error.status = status as u16;
            Err(error)
        }
    }
}
