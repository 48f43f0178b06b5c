//! "Mot de passe oublié": ask for a link by e-mail, then choose a new password from it.

use crate::router::{query, use_navigate};
use inscription_shared::account::fields;
use inscription_shared::identity::Email;
use inscription_shared::pages::Page;
use inscription_shared::FieldError;
use leptos::prelude::*;

use crate::api;
use crate::components::{error_of, show_summary, ErrorSummary, NewPasswordField, TextField};
use crate::layout::set_title;

#[component]
pub fn ForgottenPassword() -> impl IntoView {
    set_title("Mot de passe oublié");
    let email = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let general = RwSignal::new(None::<String>);
    let sent = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        general.set(None);
        if let Err(error) = Email::parse(&email.get_untracked()) {
            errors.set(vec![FieldError::new(fields::EMAIL, error.to_string())]);
            show_summary();
            return;
        }
        errors.set(Vec::new());
        leptos::task::spawn_local(async move {
            match api::forgotten_password(email.get_untracked()).await {
                Ok(message) => sent.set(Some(message)),
                Err(error) => {
                    general.set(Some(error.message));
                    show_summary();
                }
            }
        });
    };
    view! {
        <h1>"Mot de passe oublié"</h1>
        <Show when=move || sent.with(Option::is_some) fallback=move || view! {
            <p>"Saisissez l’adresse électronique de votre compte\u{a0}: nous vous enverrons un lien pour choisir un nouveau mot de passe."</p>
            <form class="form" novalidate on:submit=submit>
                <ErrorSummary errors general/>
                <TextField id=fields::EMAIL label="Adresse électronique professionnelle" value=email
                    input_type="email" autocomplete="username" error=error_of(errors, fields::EMAIL)/>
                <div class="form__actions">
                    <button type="submit" class="button button--primary">"Recevoir le lien"</button>
                </div>
            </form>
        }>
            <div class="notice notice--success" role="status"><p>{move || sent.get()}</p></div>
        </Show>
        <p><a href=Page::SignIn.path()>"Retour à la connexion"</a></p>
    }
}

#[component]
pub fn NewPassword() -> impl IntoView {
    set_title("Choisir un nouveau mot de passe");
    let token = query("jeton").unwrap_or_default();
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let general = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    Effect::new(move |_| {
        password.track();
        errors.set(Vec::new());
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        general.set(None);
        let (token, navigate) = (token.clone(), navigate.clone());
        leptos::task::spawn_local(async move {
            match api::reset_password(token, password.get_untracked()).await {
                Ok(()) => navigate(&format!("{}?mot-de-passe=change", Page::SignIn)),
                Err(error) => {
                    if error.fields.is_empty() {
                        general.set(Some(error.message));
                    }
                    errors.set(error.fields);
                    show_summary();
                }
            }
        });
    };
    view! {
        <h1>"Choisir un nouveau mot de passe"</h1>
        <form class="form" novalidate on:submit=submit>
            <ErrorSummary errors general/>
            <NewPasswordField password errors/>
            <div class="form__actions">
                <button type="submit" class="button button--primary">"Enregistrer"</button>
            </div>
        </form>
    }
}
