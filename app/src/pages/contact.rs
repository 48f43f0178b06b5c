//! How to reach the lender's support.

use leptos::prelude::*;

use crate::layout::{set_title, SUPPORT_PHONE};

#[component]
pub fn Contact() -> impl IntoView {
    set_title("Contactez-nous");
    view! {
        <h1>"Contactez-nous"</h1>
        <p class="lead">"Une question sur votre inscription, un numéro client introuvable ?"</p>
        <div class="choices">
            <section class="choice" aria-labelledby="contact-telephone">
                <h2 id="contact-telephone">"Par téléphone"</h2>
                <p>
                    "Numéro vert "
                    <a class="nowrap" href="tel:0800887300"><strong>{SUPPORT_PHONE}</strong></a>
                    <br/>"Service et appel gratuits."
                </p>
            </section>
            <section class="choice" aria-labelledby="contact-courrier">
                <h2 id="contact-courrier">"Votre numéro client"</h2>
                <p>"Il figure sur les courriers du prêteur : contrats de prêt, échéanciers, avis d’échéance. Munissez-vous en si possible avant d’appeler."</p>
            </section>
        </div>
    }
}
