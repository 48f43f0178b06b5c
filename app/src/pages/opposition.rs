//! "Pas vous ?" (PRODUCT.md §4): the legal representative who received a letter for
//! someone they do not know cancels that registration with the letter's code.

use inscription_shared::operator::{fields, Opposition, OPPOSITION_DONE};
use inscription_shared::pages::Page;
use leptos::prelude::*;

use crate::api;
use crate::components::{Form, FormState, SubmitButton, TextField};
use crate::layout::set_title;
use crate::pages::register_step1::ClientNumberField;

#[component]
pub fn NotYou() -> impl IntoView {
    set_title("Annuler une inscription reçue par courrier");
    let number = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let done = RwSignal::new(false);
    let request = move || Opposition {
        client_number: number.get(),
        code: code.get(),
    };
    // The server's own rule (`Opposition::validate`), before anything is sent.
    let check = move || request().validate().err().unwrap_or_default();
    let form = FormState::new().follow(check);
    let submit = move || {
        if form.begin(untrack(check)) {
            let request = untrack(request);
            let sent = async move { api::oppose(&request).await };
            form.send(sent, move |()| done.set(true), |_| {});
        }
    };
    view! {
        <h1>"Vous ne connaissez pas la personne inscrite\u{a0}?"</h1>
        <Show
            when=move || done.get()
            fallback=move || view! {
                <p class="lead">
                    "Vous avez reçu, en tant que représentant légal, un courrier désignant un administrateur des "
                    "services en ligne que vous ne connaissez pas ou ne souhaitez pas désigner\u{a0}? Annulez son inscription "
                    "ici, avec le numéro client et le code d’opposition imprimés sur le courrier."
                </p>
                <Form state=form on_submit=submit>
                    <p class="form__required">"Tous les champs sont obligatoires."</p>
                    <ClientNumberField id=fields::CLIENT_NUMBER value=number error=form.error(fields::CLIENT_NUMBER)/>
                    <TextField id=fields::CODE label="Code d’opposition" value=code autocomplete="off"
                        hint="12 caractères, imprimés sur le courrier sous «\u{a0}Vous ne connaissez pas cette personne\u{a0}». Exemple\u{a0}: K7QX-3MPD-9HTW"
                        error=form.error(fields::CODE)/>
                    <div class="form__actions">
                        <SubmitButton state=form label="Annuler cette inscription" pending_label="Annulation…"/>
                    </div>
                </Form>
                <p>"Une question\u{a0}? "<a href=Page::Contact.path()>"Contactez-nous"</a>"."</p>
            }
        >
            <div class="notice notice--success" role="status"><p>{OPPOSITION_DONE}</p></div>
            <p><a href=Page::Home.path()>"Retour à l’accueil"</a></p>
        </Show>
    }
}
