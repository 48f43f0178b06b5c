//! Sign-in with e-mail and password — or, for a new administrator, the temporary
//! password from the letter, which leads to choosing one's own password.

use crate::router::use_navigate;
use inscription_shared::account::{fields, Role, SignInRequest};
use inscription_shared::pages::Page;
use inscription_shared::FieldError;
use leptos::prelude::*;

use crate::api;
use crate::components::{error_of, show_summary, Captcha, CaptchaState, ErrorSummary, TextField};
use crate::layout::set_title;

#[component]
pub fn SignIn() -> impl IntoView {
    set_title("Se connecter");
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let general = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    // Asked by the server once the account has had many failed sign-ins from anywhere.
    let captcha_needed = RwSignal::new(false);
    let captcha = RwSignal::new(CaptchaState::Idle);
    let navigate = use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        general.set(None);
        let mut found = Vec::new();
        if email.get_untracked().trim().is_empty() {
            found.push(FieldError::new(
                fields::EMAIL,
                "Saisissez votre adresse électronique.",
            ));
        }
        if password.get_untracked().is_empty() {
            found.push(FieldError::new(
                fields::PASSWORD,
                "Saisissez votre mot de passe.",
            ));
        }
        errors.set(found);
        if !errors.with_untracked(Vec::is_empty) {
            show_summary();
            return;
        }
        let request = SignInRequest {
            email: email.get_untracked(),
            password: password.get_untracked(),
            captcha: captcha
                .with_untracked(CaptchaState::token)
                .unwrap_or_default(),
        };
        pending.set(true);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match api::sign_in(&request).await {
                Ok(me) if me.must_choose_password => navigate(&Page::Activation.path()),
                Ok(me) if me.role == Role::Operator => navigate(&Page::OperatorLetters.path()),
                Ok(_) => navigate(&Page::MySpace.path()),
                Err(error) => {
                    password.set(String::new());
                    // A proof serves once: the next try needs the box ticked again.
                    if error.fields.iter().any(|f| f.field == fields::CAPTCHA) {
                        captcha_needed.set(true);
                    }
                    captcha.set(CaptchaState::Idle);
                    // A message already said by its field is not said twice.
                    let said = error.fields.iter().any(|f| f.message == error.message);
                    general.set((!said).then_some(error.message));
                    errors.set(error.fields);
                    show_summary();
                }
            }
            pending.set(false);
        });
    };
    let changed = crate::router::query("mot-de-passe").is_some();
    view! {
        <h1>"Se connecter"</h1>
        {changed.then(|| view! {
            <div class="notice notice--success" role="status">
                <p>"Votre mot de passe a été changé. Connectez-vous avec le nouveau."</p>
            </div>
        })}
        <form class="form" novalidate on:submit=submit>
            <ErrorSummary errors general/>
            <TextField id=fields::EMAIL label="Adresse électronique professionnelle" value=email
                input_type="email" autocomplete="username" error=error_of(errors, fields::EMAIL)/>
            <TextField id=fields::PASSWORD label="Mot de passe" value=password input_type="password"
                autocomplete="current-password"
                hint="Nouvel administrateur\u{a0}: saisissez le mot de passe temporaire reçu par courrier (par exemple K7QX-3MPD-9HTW)."
                error=error_of(errors, fields::PASSWORD)/>
            {move || captcha_needed.get().then(|| view! {
                <Captcha state=captcha error=error_of(errors, fields::CAPTCHA)/>
            })}
            <div class="form__actions">
                <button type="submit" class="button button--primary" aria-disabled=move || pending.get().then_some("true")>
                    {move || if pending.get() { "Connexion…" } else { "Se connecter" }}
                </button>
            </div>
        </form>
        <p><a href=Page::ForgottenPassword.path()>"Mot de passe oublié\u{a0}?"</a></p>
        <p>"Pas encore de compte\u{a0}? "<a href=Page::Register.path()>"Créer un compte"</a></p>
    }
}
