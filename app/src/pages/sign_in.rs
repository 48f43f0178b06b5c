//! Sign-in with e-mail and password — or, for a new administrator, the temporary
//! password from the letter, which leads to choosing one's own password. A person who
//! added a second factor gives it in a second step: their passkey, or their app's code (or
//! a recovery code). A passkey the authenticator keeps also signs in alone.

use inscription_shared::account::{fields, Me, Role, SignInRequest};
use inscription_shared::pages::{asks_fresh_sign_in, sign_in_continuation, Page};
use inscription_shared::second_factor::{CodeRequest, CODE_FIELD};
use inscription_shared::{ErrorResponse, FieldError};
use leptos::prelude::*;

use crate::api;
use crate::components::{Captcha, CaptchaState, Form, FormState, SubmitButton, TextField};
use crate::layout::set_title;
use crate::passkey::Use;
use crate::router::use_navigate;

#[component]
pub fn SignIn() -> impl IntoView {
    set_title("Se connecter");
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    // Asked by the server once the account has had many failed sign-ins from anywhere.
    let captcha_needed = RwSignal::new(false);
    let captcha = RwSignal::new(CaptchaState::Idle);
    let navigate = use_navigate();
    // Sent here by an online service (single sign-on): once signed in, the person goes back
    // to its authorization, on the server.
    let suite =
        crate::router::query("suite").and_then(|s| sign_in_continuation(&s).map(str::to_owned));
    let from_service = suite.is_some();
    let continue_to = |suite: &str| {
        let _ = web_sys::window().map(|w| w.location().replace(suite));
    };
    if let Some(suite) = suite.clone().filter(|s| !asks_fresh_sign_in(s)) {
        // Already signed in to the portal: no second sign-in.
        leptos::task::spawn_local(async move {
            if let Ok(me) = api::me().await {
                if me.role != Role::Operator && !me.must_choose_password {
                    continue_to(&suite);
                }
            }
        });
    }
    let check = move || {
        let mut found = Vec::new();
        if email.with(|e| e.trim().is_empty()) {
            found.push(FieldError::new(
                fields::EMAIL,
                "Saisissez votre adresse électronique.",
            ));
        }
        if password.with(String::is_empty) {
            found.push(FieldError::new(
                fields::PASSWORD,
                "Saisissez votre mot de passe.",
            ));
        }
        found
    };
    let form = FormState::new().follow(check);
    // Where a signed-in person goes (one callback for the three ways in: a bundle's bytes).
    let finish = {
        let (navigate, suite) = (navigate.clone(), suite.clone());
        Callback::new(move |me: Me| match me {
            me if me.must_choose_password => navigate(&Page::Activation.path()),
            me if me.role != Role::Operator && suite.is_some() => {
                continue_to(suite.as_deref().unwrap_or_default())
            }
            me if me.role == Role::Operator => navigate(&Page::OperatorLetters.path()),
            _ => navigate(&Page::MySpace.path()),
        })
    };
    // The password was right; the second factor is asked: (a passkey may answer, a code may).
    let awaiting = RwSignal::new(None::<(bool, bool)>);
    // A passkey's ceremony, from its options to the session; a refusal is said in `said`,
    // the second step's form (`Some`) or the password's.
    let with_passkey = move |said: Option<FormState>| {
        leptos::task::spawn_local(async move {
            let purpose = if said.is_some() {
                Use::SecondStep
            } else {
                Use::SignIn
            };
            let signed_in = crate::passkey::ceremony(purpose, String::new())
                .await
                .and_then(api::read::<Me>);
            match signed_in {
                Ok(me) => finish.run(me),
                // That sign-in is over: the password again.
                Err(error) if error.status == 410 => {
                    awaiting.set(None);
                    password.set(String::new());
                    form.general.set(Some(error.message));
                }
                Err(error) => said.unwrap_or(form).general.set(Some(error.message)),
            }
        });
    };
    let second_step = move || {
        awaiting.get().map(move |(passkey, by_code)| {
            let code = RwSignal::new(String::new());
            let step = FormState::new();
            let submit = move || {
                if !step.begin(Vec::new()) {
                    return;
                }
                let request = CodeRequest {
                    code: code.get_untracked(),
                };
                let refused = move |error: &ErrorResponse| {
                    code.set(String::new());
                    if error.status == 410 {
                        awaiting.set(None);
                        password.set(String::new());
                        form.general.set(Some(error.message.clone()));
                    }
                };
                let request = async move { api::second_factor(&request).await };
                step.send(request, move |me| finish.run(me), refused);
            };
            view! {
                <Form state=step on_submit=submit>
                    {passkey.then(|| view! {
                        <p>"Votre mot de passe est juste. Pour terminer, utilisez votre clé d’accès."</p>
                        <p><button type="button" class="button button--primary"
                            on:click=move |_| with_passkey(Some(step))>"Utiliser ma clé d’accès"</button></p>
                    })}
                    {by_code.then(|| view! {
                        <p>{if passkey {
                            "Sans elle, saisissez le code de votre application de codes à usage unique ou l’un de vos codes de secours."
                        } else {
                            "Votre mot de passe est juste. Pour terminer, saisissez le code à six chiffres que montre votre application de codes à usage unique."
                        }}</p>
                        <TextField id=CODE_FIELD label="Code à usage unique" value=code
                            autocomplete="one-time-code"
                            hint="Sans votre téléphone\u{a0}: l’un de vos codes de secours (par exemple K7QXM-3PD9H)."
                            error=step.error(CODE_FIELD)/>
                        <div class="form__actions">
                            <SubmitButton state=step label="Valider" pending_label="Vérification…"/>
                        </div>
                    })}
                </Form>
            }
        })
    };
    let submit = move || {
        if !form.begin(untrack(check)) {
            return;
        }
        let request = SignInRequest {
            email: email.get_untracked(),
            password: password.get_untracked(),
            captcha: captcha
                .with_untracked(CaptchaState::token)
                .unwrap_or_default(),
        };
        let done = move |me: Me| {
            if me.second_factor_required {
                form.general.set(None);
                awaiting.set(Some((me.second_factor_passkey, me.second_factor_code)));
                crate::components::focus(CODE_FIELD);
            } else {
                finish.run(me);
            }
        };
        let refused = move |error: &ErrorResponse| {
            password.set(String::new());
            // A proof serves once: the next try needs the box ticked again.
            if error.fields.iter().any(|f| f.field == fields::CAPTCHA) {
                captcha_needed.set(true);
            }
            captcha.set(CaptchaState::Idle);
            // A message already said by its field is not said twice.
            let said = error.fields.iter().any(|f| f.message == error.message);
            form.general.set((!said).then(|| error.message.clone()));
        };
        form.send(async move { api::sign_in(&request).await }, done, refused);
    };
    let changed = crate::router::query("mot-de-passe").is_some();
    view! {
        <h1>"Se connecter"</h1>
        {changed.then(|| view! {
            <div class="notice notice--success" role="status">
                <p>"Votre mot de passe a été changé. Connectez-vous avec le nouveau."</p>
            </div>
        })}
        {from_service.then(|| view! {
            <div class="notice" role="status">
                <p>"Un service en ligne du prêteur vous demande de vous connecter\u{a0}: vous y serez ramené aussitôt après."</p>
            </div>
        })}
        {second_step}
        <div hidden=move || awaiting.get().is_some()>
        <Form state=form on_submit=submit>
            <TextField id=fields::EMAIL label="Adresse électronique professionnelle" value=email
                input_type="email" autocomplete="username" error=form.error(fields::EMAIL)/>
            <TextField id=fields::PASSWORD label="Mot de passe" value=password input_type="password"
                autocomplete="current-password"
                hint="Nouvel administrateur\u{a0}: saisissez le mot de passe temporaire reçu par courrier (par exemple K7QX-3MPD-9HTW)."
                error=form.error(fields::PASSWORD)/>
            {move || captcha_needed.get().then(|| view! {
                <Captcha state=captcha error=form.error(fields::CAPTCHA)/>
            })}
            <div class="form__actions">
                <SubmitButton state=form label="Se connecter" pending_label="Connexion…"/>
            </div>
        </Form>
        <p><button type="button" class="button button--secondary"
            on:click=move |_| with_passkey(None)>"Se connecter avec une clé d’accès"</button></p>
        <p><a href=Page::ForgottenPassword.path()>"Mot de passe oublié\u{a0}?"</a></p>
        <p>"Pas encore de compte\u{a0}? "<a href=Page::Register.path()>"Créer un compte"</a></p>
        </div>
    }
}
