//! "Mot de passe oublié": ask for a link by e-mail, then choose a new password from it.

use inscription_shared::account::fields;
use inscription_shared::identity::Email;
use inscription_shared::pages::Page;
use inscription_shared::password::{Password, PersonalWords};
use inscription_shared::FieldError;
use leptos::prelude::*;

use crate::api;
use crate::components::{Form, FormState, NewPasswordField, SubmitButton, TextField};
use crate::layout::set_title;
use crate::router::{query, use_navigate};

#[component]
pub fn ForgottenPassword() -> impl IntoView {
    set_title("Mot de passe oublié");
    let email = RwSignal::new(String::new());
    let sent = RwSignal::new(None::<String>);
    let check = move || match email.with(|typed| Email::parse(typed)) {
        Ok(_) => Vec::new(),
        Err(error) => vec![FieldError::new(fields::EMAIL, error.to_string())],
    };
    let form = FormState::new().follow(check);
    let submit = move || {
        if form.begin(untrack(check)) {
            let request = api::forgotten_password(email.get_untracked());
            form.send(request, move |message| sent.set(Some(message)), |_| {});
        }
    };
    view! {
        <h1>"Mot de passe oublié"</h1>
        <Show when=move || sent.with(Option::is_some) fallback=move || view! {
            <p>"Saisissez l’adresse électronique de votre compte\u{a0}: nous vous enverrons un lien pour choisir un nouveau mot de passe."</p>
            <Form state=form on_submit=submit>
                <TextField id=fields::EMAIL label="Adresse électronique professionnelle" value=email
                    input_type="email" autocomplete="username" error=form.error(fields::EMAIL)/>
                <div class="form__actions">
                    <SubmitButton state=form label="Recevoir le lien" pending_label="Envoi…"/>
                </div>
            </Form>
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
    let navigate = use_navigate();
    // The shared policy; the server also refuses the account's own words, which it knows.
    let check = move || {
        password.with(
            |typed| match Password::parse(typed, PersonalWords::default()) {
                Ok(_) => Vec::new(),
                Err(e) => vec![FieldError::new(fields::NEW_PASSWORD, e.to_string())],
            },
        )
    };
    let form = FormState::new().follow(check);
    let submit = move || {
        if !form.begin(untrack(check)) {
            return;
        }
        let request = api::reset_password(token.clone(), password.get_untracked());
        let navigate = navigate.clone();
        let done = move |()| navigate(&format!("{}?mot-de-passe=change", Page::SignIn));
        form.send(request, done, |_| {});
    };
    view! {
        <h1>"Choisir un nouveau mot de passe"</h1>
        <Form state=form on_submit=submit>
            <NewPasswordField password errors=form.errors/>
            <div class="form__actions">
                <SubmitButton state=form label="Enregistrer" pending_label="Enregistrement…"/>
            </div>
        </Form>
    }
}
