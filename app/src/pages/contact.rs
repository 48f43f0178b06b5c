//! How to reach the lender's support: the free phone number, and the online contact form
//! (PRODUCT.md §2), whose messages land in the operators' console.

use inscription_shared::contact::{fields, ContactRequest, CONTACT_SENT, SUBJECTS};
use inscription_shared::FieldError;
use leptos::prelude::*;

use crate::api;
use crate::components::{
    Captcha, CaptchaState, Form, FormState, SelectField, SubmitButton, TextAreaField, TextField,
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
    let sent = RwSignal::new(false);
    let request = move || ContactRequest {
        name: name.get(),
        email: email.get(),
        client_number: client_number.get(),
        subject: subject.get(),
        message: message.get(),
        captcha: captcha.with(CaptchaState::token).unwrap_or_default(),
    };
    // The same checks as the server's, before anything is sent.
    let check = move || {
        let request = request();
        let mut found = request.validate().err().unwrap_or_default();
        if request.captcha.is_empty() {
            found.push(FieldError::new(
                fields::CAPTCHA,
                "Cochez la case «\u{a0}Je ne suis pas un robot\u{a0}».",
            ));
        }
        found
    };
    let form = FormState::new().follow(check);
    let submit = move || {
        if !form.begin(untrack(check)) {
            return;
        }
        let request = untrack(request);
        // A CAPTCHA answer serves once, whatever the answer.
        let done = move |()| {
            captcha.set(CaptchaState::Idle);
            for field in [name, email, client_number, subject, message] {
                field.set(String::new());
            }
            sent.set(true);
            crate::components::focus("contact-envoye");
        };
        let refused = move |_: &_| captcha.set(CaptchaState::Idle);
        form.send(async move { api::contact(&request).await }, done, refused);
    };
    view! {
        <section aria-labelledby="formulaire-titre">
            <h2 id="formulaire-titre">"Formulaire de contact en ligne"</h2>
            <Show when=move || sent.get()>
                <div class="notice notice--success" role="status" id="contact-envoye" tabindex="-1">
                    <p>{CONTACT_SENT}</p>
                </div>
            </Show>
            <Form state=form on_submit=submit>
                <p class="form__required">"Tous les champs sont obligatoires, sauf le numéro client."</p>
                <TextField id=fields::NAME label="Vos prénom et nom" value=name autocomplete="name"
                    error=form.error(fields::NAME)/>
                <TextField id=fields::EMAIL label="Votre adresse électronique" value=email input_type="email"
                    autocomplete="email" hint="Nous vous répondrons à cette adresse. Exemple\u{a0}: prenom.nom@organisme.fr"
                    error=form.error(fields::EMAIL)/>
                <ClientNumberField id=fields::CLIENT_NUMBER optional=true value=client_number
                    error=form.error(fields::CLIENT_NUMBER)/>
                <SelectField id=fields::SUBJECT label="Objet" value=subject options=&SUBJECTS
                    error=form.error(fields::SUBJECT)/>
                <TextAreaField id=fields::MESSAGE label="Votre message" value=message maxlength=3000
                    hint="3 000 caractères au plus." error=form.error(fields::MESSAGE)/>
                <Captcha state=captcha error=form.error(fields::CAPTCHA)/>
                <div class="form__actions">
                    <SubmitButton state=form label="Envoyer le message" pending_label="Envoi…"/>
                </div>
            </Form>
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
