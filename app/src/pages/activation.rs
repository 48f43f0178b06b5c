//! Right after signing in with the letter's temporary password: the new administrator
//! chooses their own password.

use inscription_shared::account::{fields, ActivationRequest};
use inscription_shared::pages::Page;
use inscription_shared::password::{Password, PersonalWords};
use inscription_shared::FieldError;
use leptos::prelude::*;

use crate::api;
use crate::components::{load, Form, FormState, NewPasswordField, SubmitButton};
use crate::layout::set_title;
use crate::router::use_navigate;

#[component]
pub fn Activation() -> impl IntoView {
    set_title("Choisir votre mot de passe");
    let me = load(api::me);
    view! {
        <h1>"Choisir votre mot de passe"</h1>
        {me.view(|me| if me.must_choose_password {
            view! {
                {failures_notice(me.code_failures)}
                <ActivationForm email=me.email.clone() last_name=me.last_name.clone() first_name=me.first_name.clone()/>
            }.into_any()
        } else {
            view! {
                <p>"Votre compte est déjà activé."</p>
                <p><a class="button button--primary" href=Page::MySpace.path()>"Aller à mon espace"</a></p>
            }.into_any()
        })}
    }
}

/// Wrong tries of the letter's code by anyone since it was sent: the candidate should know,
/// since only someone who knows their address could make them.
fn failures_notice(failures: i64) -> Option<impl IntoView> {
    (failures > 0).then(|| {
        let tries = if failures == 1 {
            "1 essai avec un mot de passe temporaire erroné a eu lieu".to_owned()
        } else {
            format!("{failures}\u{a0}essais avec un mot de passe temporaire erroné ont eu lieu")
        };
        view! {
            <div class="notice notice--warning" role="status">
                <p>{format!("Depuis l’envoi du courrier, {tries} sur votre compte. Si ce n’était pas vous, signalez-le au support (0\u{a0}800\u{a0}887\u{a0}300, service et appel gratuits).")}</p>
            </div>
        }
    })
}

#[component]
fn ActivationForm(email: String, last_name: String, first_name: String) -> impl IntoView {
    let password = RwSignal::new(String::new());
    let navigate = use_navigate();
    // The shared password policy, with the person's own words refused.
    let check = move || {
        let personal = PersonalWords {
            email: Some(&email),
            last_name: Some(&last_name),
            first_name: Some(&first_name),
        };
        password.with(|typed| match Password::parse(typed, personal) {
            Ok(_) => Vec::new(),
            Err(e) => vec![FieldError::new(fields::NEW_PASSWORD, e.to_string())],
        })
    };
    let check = StoredValue::new(check);
    let form = FormState::new().follow(move || check.with_value(|check| check()));
    let submit = move || {
        if !form.begin(untrack(|| check.with_value(|check| check()))) {
            return;
        }
        let request = ActivationRequest {
            password: password.get_untracked(),
        };
        let navigate = navigate.clone();
        // The administrator's role asks a second factor from now on: where to add it.
        let done = move |_| navigate(&format!("{}?bienvenue=1", Page::MySecurity.path()));
        form.send(async move { api::activate(&request).await }, done, |_| {});
    };
    view! {
        <p class="lead">
            "Le mot de passe temporaire du courrier ne sert qu’une fois. Choisissez maintenant "
            "votre mot de passe\u{a0}: vous deviendrez administrateur de votre établissement."
        </p>
        <Form state=form on_submit=submit>
            <NewPasswordField password errors=form.errors/>
            <div class="form__actions">
                <SubmitButton state=form label="Valider" pending_label="Enregistrement…"/>
            </div>
        </Form>
    }
}
