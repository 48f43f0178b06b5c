//! Registration wizard, step 2 of 2: the case the server chose at step 1 — first user of
//! the establishment (case 1) or a request to its administrator (case 2).

use inscription_shared::pages::Page;
use std::future::Future;

use inscription_shared::registration::{
    fields, ExistingAccountRequest, FirstUserRequest, RegistrationCase, Step1Response,
    Step2Response,
};
use inscription_shared::ErrorResponse;
use leptos::prelude::*;

use super::identity_fields::{IdentityFields, IdentitySignals};
use crate::components::{
    Checkbox, Form, FormState, PasswordChecklist, Stepper, SubmitButton, TextField,
};
use crate::layout::set_title;
use crate::router::{use_location, use_navigate, Location};
use crate::wizard;

/// The wording the lender uses for each case (PRODUCT.md §2).
pub const FIRST_USER_TITLE: &str =
    "Vous êtes le premier utilisateur de votre établissement à vous inscrire";
pub const EXISTING_ACCOUNT_TITLE: &str =
    "Un compte a déjà été créé par un autre utilisateur de votre établissement";

#[component]
pub fn RegisterStep2() -> impl IntoView {
    set_title("Créer mon compte — Étape 2 sur 2");
    match wizard::step1() {
        Some(step1) => view! {
            <h1>"Créer mon compte"</h1>
            <Stepper step=2 title="Vos informations"/>
            {match step1.case {
                RegistrationCase::FirstUser => view! { <FirstUserForm step1/> }.into_any(),
                RegistrationCase::ExistingAccount => view! { <ExistingAccountForm step1/> }.into_any(),
            }}
        }
        .into_any(),
        None => view! {
            <h1>"Créer mon compte"</h1>
            <div class="notice notice--warning">
                <p>"Votre demande d’inscription a expiré ou n’a pas été commencée dans cet onglet."</p>
                <p><a class="button button--primary" href=Page::Register.path()>"Recommencer à l’étape 1"</a></p>
            </div>
        }
        .into_any(),
    }
}

/// Sends a step-2 form that passed its checks: success leads to the confirmation; after a
/// refusal that names no field (ticket expired, case changed) only a restart helps.
fn send<Fut>(form: FormState, restart: RwSignal<bool>, location: Location, request: Fut)
where
    Fut: Future<Output = Result<Step2Response, ErrorResponse>> + 'static,
{
    let done = move |answer: Step2Response| {
        wizard::save_done(&answer);
        location.go(&Page::RegisterDone.path(), true);
    };
    let refused = move |error: &ErrorResponse| {
        if error.fields.is_empty() {
            restart.set(true);
        }
    };
    form.send(request, done, refused);
}

/// Annuler and Valider, and the way back to step 1 when only a restart helps.
#[component]
fn Actions(state: FormState, restart: RwSignal<bool>) -> impl IntoView {
    let navigate = use_navigate();
    // Back to step 1, where the number is kept.
    let cancel = move |_| {
        wizard::back_to_step1();
        navigate(&Page::Register.path());
    };
    view! {
        <Show when=move || restart.get()>
            <p><a class="button button--secondary" href=Page::Register.path()>"Recommencer l’inscription"</a></p>
        </Show>
        <div class="form__actions">
            <button type="button" class="button button--secondary" on:click=cancel>"Annuler"</button>
            <SubmitButton state label="Valider" pending_label="Envoi…"/>
        </div>
    }
}

/// The establishment that step 1 found, recalled with its number.
#[component]
fn Establishment(step1: Step1Response) -> impl IntoView {
    view! {
        <dl class="recall">
            <div><dt>"Établissement"</dt><dd><strong>{step1.establishment_name}</strong></dd></div>
            <div><dt>"Numéro client"</dt><dd>{step1.client_number.to_string()}</dd></div>
        </dl>
    }
}

fn cgu_label() -> impl IntoView {
    view! {
        "J’ai lu et j’accepte les "
        <a href=Page::Terms.path() target="_blank" rel="noopener">
            "Conditions Générales d’Utilisation"
            <span class="visually-hidden">" (nouvelle fenêtre)"</span>
        </a>
    }
}

/// Case 1: the establishment's first user, who becomes its administrator once the legal
/// representative hands over the code sent by post.
#[component]
pub fn FirstUserForm(step1: Step1Response) -> impl IntoView {
    let identity = IdentitySignals::new();
    let accept_admin = RwSignal::new(false);
    let accept_cgu = RwSignal::new(false);
    let restart = RwSignal::new(false);
    let ticket = step1.ticket.clone();
    let request = move || FirstUserRequest {
        ticket: ticket.clone(),
        identity: identity.form(),
        accept_admin_role: accept_admin.get(),
        accept_cgu: accept_cgu.get(),
    };
    let live = request.clone();
    let state = FormState::new().follow(move || live().validate().err().unwrap_or_default());
    let location = use_location();
    let submit = move || {
        let request = untrack(&request);
        if !state.begin(request.validate().err().unwrap_or_default()) {
            return;
        }
        let sent = async move { crate::api::first_user(&request).await };
        send(state, restart, location, sent);
    };
    view! {
        <section class="case" aria-labelledby="cas-1-titre">
            <h2 id="cas-1-titre" class="case__title">{FIRST_USER_TITLE}</h2>
            <Establishment step1=step1.clone()/>
            <ul class="case__points">
                <li>
                    "Vous en deviendrez "<strong>"l’administrateur"</strong>", avec des droits particuliers\u{a0}: "
                    "valider les demandes des autres utilisateurs, gérer leurs habilitations… Vérifiez "
                    "auprès de votre représentant légal que vous pouvez prendre ce rôle."
                </li>
                <li>
                    "Votre mot de passe temporaire sera envoyé "<strong>"par courrier postal au représentant légal"</strong>
                    " de l’établissement, c’est-à-dire la personne qui le dirige et l’engage\u{a0}: le maire ou le "
                    "président pour une collectivité, le directeur général ou le président pour un organisme ou une "
                    "société… Une fois posté, un courrier met en général de 2 à 4\u{a0}jours ouvrés à arriver."
                </li>
            </ul>
            <div class="notice notice--warning">
                <p>
                    <strong>"Le courrier n’est pas nominatif\u{a0}: "</strong>
                    "il est adressé «\u{a0}à l’attention du représentant légal\u{a0}». Prévenez votre représentant "
                    "légal de son arrivée pour qu’il ne se perde pas."
                </p>
            </div>
        </section>
        <Form state on_submit=submit>
            <p class="form__required">"Tous les champs sont obligatoires."</p>
            <IdentityFields identity errors=state.errors/>
            <Checkbox id=fields::ACCEPT_ADMIN_ROLE checked=accept_admin error=state.error(fields::ACCEPT_ADMIN_ROLE)>
                "J’accepte le rôle d’administrateur"
            </Checkbox>
            <Checkbox id=fields::ACCEPT_CGU checked=accept_cgu error=state.error(fields::ACCEPT_CGU)>
                {cgu_label()}
            </Checkbox>
            <Actions state restart/>
        </Form>
    }
}

/// Case 2: an account exists; the administrator will validate the request.
#[component]
pub fn ExistingAccountForm(step1: Step1Response) -> impl IntoView {
    let identity = IdentitySignals::new();
    let password = RwSignal::new(String::new());
    let accept_cgu = RwSignal::new(false);
    let restart = RwSignal::new(false);
    let ticket = step1.ticket.clone();
    let request = move || ExistingAccountRequest {
        ticket: ticket.clone(),
        identity: identity.form(),
        password: password.get(),
        accept_cgu: accept_cgu.get(),
    };
    let live = request.clone();
    let state = FormState::new().follow(move || live().validate().err().unwrap_or_default());
    let location = use_location();
    let submit = move || {
        let request = untrack(&request);
        if !state.begin(request.validate().err().unwrap_or_default()) {
            return;
        }
        let sent = async move { crate::api::existing_account(&request).await };
        send(state, restart, location, sent);
    };
    view! {
        <section class="case" aria-labelledby="cas-2-titre">
            <h2 id="cas-2-titre" class="case__title">{EXISTING_ACCOUNT_TITLE}</h2>
            <Establishment step1=step1.clone()/>
            <p>
                "L’administrateur de votre établissement validera votre demande et vous attribuera "
                "vos habilitations."
            </p>
        </section>
        <Form state on_submit=submit>
            <p class="form__required">"Tous les champs sont obligatoires."</p>
            <IdentityFields identity errors=state.errors/>
            <TextField id=fields::PASSWORD label="Mot de passe" value=password input_type="password"
                autocomplete="new-password"
                hint="Choisissez un mot de passe que vous n’utilisez nulle part ailleurs, sans votre nom ni votre adresse électronique."
                error=state.error(fields::PASSWORD)>
                <PasswordChecklist password/>
            </TextField>
            <Checkbox id=fields::ACCEPT_CGU checked=accept_cgu error=state.error(fields::ACCEPT_CGU)>
                {cgu_label()}
            </Checkbox>
            <Actions state restart/>
        </Form>
    }
}
