//! Form building blocks following French public-service form patterns (a hint under each
//! label, the error tied to its field, an error summary) and RGAA chapter 11.

mod captcha;
mod fields;
mod form;
mod fresh_factor;
mod load;
mod outcome;
mod password_checklist;
mod stepper;
mod totp;

pub use captcha::{Captcha, CaptchaState};
pub use fields::{
    Checkbox, ChoiceField, CivilityField, ErrorSummary, SelectField, TextAreaField, TextField,
};
pub use form::{show_summary, Form, FormState, SubmitButton};
pub use fresh_factor::FreshFactor;
pub use load::load;
pub use outcome::{run, Outcome, OutcomeNotice};
pub use password_checklist::{NewPasswordField, PasswordChecklist};
pub use stepper::Stepper;
pub use totp::{Enrolment, RecoveryCodesShown, Shown};

use inscription_shared::pages::Page;
use inscription_shared::{ErrorResponse, FieldError};
use leptos::prelude::*;

/// A page whose content could not be loaded: the server's message, and the way in when
/// the session is the reason (none, ended, or not allowed here).
#[component]
pub fn LoadFailed(error: ErrorResponse) -> impl IntoView {
    view! {
        <div class="notice notice--warning"><p>{error.message}</p></div>
        {matches!(error.status, 401 | 403).then(|| view! {
            <p><a class="button button--primary" href=Page::SignIn.path()>"Se connecter"</a></p>
        })}
    }
}

/// The message of one field among a form's errors.
pub fn error_of(errors: RwSignal<Vec<FieldError>>, field: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || {
        errors.with(|all| {
            all.iter()
                .find(|e| e.field == field)
                .map(|e| e.message.clone())
        })
    })
}

/// Moves the keyboard focus to the element with this id (after the next render).
pub fn focus(id: impl Into<String>) {
    let id = id.into();
    request_animation_frame(move || {
        if let Some(element) = document().get_element_by_id(&id) {
            if let Ok(element) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(element) {
                let _ = element.focus();
            }
        }
    });
}
