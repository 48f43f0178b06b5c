//! How to reach the lender's support: the free phone number, and the online contact form
//! (PRODUCT.md §2), whose messages land in the operators' console.

use inscription_shared::contact::{fields, ContactRequest, CONTACT_SENT, SUBJECTS};
use inscription_shared::FieldError;
use leptos::prelude::*;

use crate::api;
use crate::components::{
    error_of, show_summary, Captcha, CaptchaState, ErrorSummary, SelectField, TextAreaField,
    TextField,
};
use crate::layout::{set_title, SupportPhone};
use crate::pages::register_step1::ClientNumberField;

#[component]
fn ContactForm() -> impl IntoView {
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let client_number = RwSignal::new(String::new());
    let subject = RwSignal::new(String::new());
    let message = RwSignal::new(String::new());
    let captcha = RwSignal::new(CaptchaState::Idle);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let general = RwSignal::new(None::<String>);
    let sent = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let form = move || ContactRequest {
        name: name.get_untracked(),
        email: email.get_untracked(),
        client_number: client_number.get_untracked(),
        subject: subject.get_untracked(),
        message: message.get_untracked(),
        captcha: captcha
            .with_untracked(CaptchaState::token)
            .unwrap_or_default(),
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        general.set(None);
        let request = form();
        // The same checks as the server's, before anything is sent.
        let mut found = request.validate().err().unwrap_or_default();
        if request.captcha.is_empty() {
            found.push(FieldError::new(
                fields::CAPTCHA,
                "Cochez la case «\u{a0}Je ne suis pas un robot\u{a0}».",
            ));
        }
        if !found.is_empty() {
            errors.set(found);
            show_summary();
            return;
        }
        errors.set(Vec::new());
        pending.set(true);
        leptos::task::spawn_local(async move {
            match api::contact(&request).await {
                Ok(()) => {
                    for field in [name, email, client_number, subject, message] {
                        field.set(String::new());
                    }
                    sent.set(true);
                    crate::components::focus("contact-envoye");
                }
                Err(error) => {
                    if error.fields.is_empty() {
                        general.set(Some(error.message));
                    }
                    errors.set(error.fields);
                    show_summary();
                }
            }
            // A CAPTCHA answer serves once.
            captcha.set(CaptchaState::Idle);
            pending.set(false);
        });
    };
    view! {
        <section aria-labelledby="formulaire-titre">
            <h2 id="formulaire-titre">"Formulaire de contact en ligne"</h2>
            <Show when=move || sent.get()>
                <div class="notice notice--success" role="status" id="contact-envoye" tabindex="-1">
                    <p>{CONTACT_SENT}</p>
                </div>
            </Show>
            <form class="form" novalidate on:submit=submit>
                <ErrorSummary errors general/>
                <p class="form__required">"Tous les champs sont obligatoires, sauf le numéro client."</p>
                <TextField id=fields::NAME label="Vos prénom et nom" value=name autocomplete="name"
                    error=error_of(errors, fields::NAME)/>
                <TextField id=fields::EMAIL label="Votre adresse électronique" value=email input_type="email"
                    autocomplete="email" hint="Nous vous répondrons à cette adresse. Exemple\u{a0}: prenom.nom@organisme.fr"
                    error=error_of(errors, fields::EMAIL)/>
                <ClientNumberField id=fields::CLIENT_NUMBER optional=true value=client_number
                    error=error_of(errors, fields::CLIENT_NUMBER)/>
                <SelectField id=fields::SUBJECT label="Objet" value=subject options=&SUBJECTS
                    error=error_of(errors, fields::SUBJECT)/>
                <TextAreaField id=fields::MESSAGE label="Votre message" value=message maxlength=3000
                    hint="3 000 caractères au plus." error=error_of(errors, fields::MESSAGE)/>
                <Captcha state=captcha error=error_of(errors, fields::CAPTCHA)/>
                <div class="form__actions">
                    <button type="submit" class="button button--primary" aria-disabled=move || pending.get().then_some("true")>
                        {move || if pending.get() { "Envoi…" } else { "Envoyer le message" }}
                    </button>
                </div>
            </form>
        </section>
    }
}

#[component]
pub fn Contact() -> impl IntoView {
    set_title("Contactez-nous");
    view! {
        <h1>"Contactez-nous"</h1>
        <p class="lead">"Une question sur votre inscription, un numéro client introuvable\u{a0}?"</p>
        <div class="choices">
            <section class="choice" aria-labelledby="contact-telephone">
                <h2 id="contact-telephone">"Par téléphone"</h2>
                <p>
                    "Numéro vert "
                    <strong><SupportPhone/></strong>
                    <br/>"Service et appel gratuits."
                </p>
            </section>
            <section class="choice" aria-labelledby="contact-courrier">
                <h2 id="contact-courrier">"Votre numéro client"</h2>
                <p>"Il figure sur nos courriers\u{a0}: contrats de prêt, échéanciers, avis d’échéance. Munissez-vous-en si possible avant d’appeler."</p>
            </section>
        </div>
        <ContactForm/>
    }
}
