//! "Étape 1 sur 2", with the next step named (French public-service forms pattern).

use leptos::prelude::*;

#[component]
pub fn Stepper(
    /// The current step, from 1.
    step: u8,
    /// The current step's title.
    title: &'static str,
    /// The next step's title, if any.
    #[prop(optional)]
    next: Option<&'static str>,
) -> impl IntoView {
    let total = 2;
    view! {
        <div class="stepper">
            <h2 class="stepper__title">
                <span class="stepper__state">{format!("Étape {step} sur {total}")}</span>
                {title}
            </h2>
            <div class="stepper__bar" aria-hidden="true">
                {(1..=total).map(|i| view! { <span class:done=move || i <= step></span> }).collect_view()}
            </div>
            {next.map(|next| view! {
                <p class="stepper__next"><span>"Étape suivante\u{a0}: "</span>{next}</p>
            })}
        </div>
    }
}
