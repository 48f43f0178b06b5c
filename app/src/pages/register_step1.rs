//! Registration wizard, step 1 of 2: the establishment's client number and the CAPTCHA.

use leptos::prelude::*;

use crate::layout::set_title;

#[component]
pub fn RegisterStep1() -> impl IntoView {
    set_title("Créer mon compte — Étape 1 sur 2");
    view! {
        <h1>"Créer mon compte"</h1>
        <div class="stepper">
            <p class="stepper__state">"Étape 1 sur 2"</p>
            <p class="stepper__next"><span>"Étape suivante : "</span>"Vos informations"</p>
        </div>
    }
}
