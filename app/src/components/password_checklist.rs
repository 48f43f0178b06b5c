//! The password policy's criteria, ticked live as the person types (the shared rule).

use inscription_shared::account::fields;
use inscription_shared::password::PasswordCheck;
use inscription_shared::FieldError;
use leptos::prelude::*;

use super::{error_of, TextField};

/// "Nouveau mot de passe" with its checklist, for activation and reset alike.
#[component]
pub fn NewPasswordField(
    password: RwSignal<String>,
    errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    view! {
        <TextField id=fields::NEW_PASSWORD label="Nouveau mot de passe" value=password
            input_type="password" autocomplete="new-password"
            hint="Sans votre nom ni votre adresse électronique."
            error=error_of(errors, fields::NEW_PASSWORD)>
            <PasswordChecklist password/>
        </TextField>
    }
}

/// The live checklist of the password policy, from the shared rule.
#[component]
pub fn PasswordChecklist(password: RwSignal<String>) -> impl IntoView {
    let check = Memo::new(move |_| PasswordCheck::of(&password.get()));
    let item = move |met: Signal<bool>, text: &'static str| {
        view! {
            <li class:met=move || met.get()>
                <span class="visually-hidden">{move || if met.get() { "Critère rempli\u{a0}: " } else { "Critère non rempli\u{a0}: " }}</span>
                {text}
            </li>
        }
    };
    view! {
        <ul class="checklist" id="mot-de-passe-criteres">
            {item(Signal::derive(move || check.get().length >= 12), "12 caractères au moins")}
            {item(Signal::derive(move || check.get().has_upper), "une majuscule")}
            {item(Signal::derive(move || check.get().has_lower), "une minuscule")}
            {item(Signal::derive(move || check.get().has_digit), "un chiffre")}
            {item(Signal::derive(move || check.get().has_special), "un caractère spécial (!\u{a0}? - _ …)")}
        </ul>
        <p class="checklist__note">"Ou une phrase de passe plus longue, d’au moins 17 lettres."</p>
        <p class="live-hint" aria-live="polite">
            {move || (check.get().strong_enough).then_some("Mot de passe suffisamment robuste.")}
        </p>
    }
}
