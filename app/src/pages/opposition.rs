//! "Pas vous ?" (PRODUCT.md §4): the legal representative who received a letter for
//! someone they do not know cancels that registration with the letter's code.

use inscription_shared::operator::{fields, Opposition, OPPOSITION_DONE};
use inscription_shared::pages::Page;
use inscription_shared::FieldError;
use leptos::prelude::*;

use crate::api;
use crate::components::{error_of, show_summary, ErrorSummary, TextField};
use crate::layout::set_title;
use crate::pages::register_step1::ClientNumberField;

#[component]
pub fn NotYou() -> impl IntoView {
    set_title("Annuler une inscription reçue par courrier");
    let number = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let general = RwSignal::new(None::<String>);
    let done = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        general.set(None);
        let request = Opposition {
            client_number: number.get_untracked(),
            code: code.get_untracked(),
        };
        if let Err(found) = request.validate() {
            errors.set(found);
            show_summary();
            return;
        }
        pending.set(true);
        leptos::task::spawn_local(async move {
            match api::oppose(&request).await {
                Ok(()) => {
                    errors.set(Vec::new());
                    done.set(true);
                }
                Err(error) => {
                    if error.fields.is_empty() {
                        general.set(Some(error.message));
                    }
                    errors.set(error.fields);
                    show_summary();
                }
            }
            pending.set(false);
        });
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
                <form class="form" novalidate on:submit=submit>
                    <ErrorSummary errors general/>
                    <p class="form__required">"Tous les champs sont obligatoires."</p>
                    <ClientNumberField id=fields::CLIENT_NUMBER value=number error=error_of(errors, fields::CLIENT_NUMBER)/>
                    <TextField id=fields::CODE label="Code d’opposition" value=code autocomplete="off"
                        hint="12 caractères, imprimés sur le courrier sous «\u{a0}Vous ne connaissez pas cette personne\u{a0}». Exemple\u{a0}: K7QX-3MPD-9HTW"
                        error=error_of(errors, fields::CODE)/>
                    <div class="form__actions">
                        <button type="submit" class="button button--primary" aria-disabled=move || pending.get().then_some("true")>
                            {move || if pending.get() { "Annulation…" } else { "Annuler cette inscription" }}
                        </button>
                    </div>
                </form>
                <p>"Une question\u{a0}? "<a href=Page::Contact.path()>"Contactez-nous"</a>"."</p>
            }
        >
            <div class="notice notice--success" role="status"><p>{OPPOSITION_DONE}</p></div>
            <p><a href=Page::Home.path()>"Retour à l’accueil"</a></p>
        </Show>
    }
}
