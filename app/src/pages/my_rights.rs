//! "Mes habilitations": the services I have rights on, and who my administrators are.

use inscription_shared::pages::Page;
use leptos::prelude::*;

use crate::api;
use crate::components::load;
use crate::layout::set_title;

#[component]
pub fn MyRightsPage() -> impl IntoView {
    set_title("Mes habilitations");
    let rights = load(api::my_rights);
    view! {
        <h1>"Mes habilitations"</h1>
        <p><a href=Page::MySpace.path()>"Retour à mon espace"</a></p>
        {rights.view(|mine| view! {
            <h2>"Services auxquels vous avez accès"</h2>
            {if mine.services.is_empty() {
                view! { <p>"Aucun pour le moment. Demandez à votre administrateur de vous attribuer des habilitations."</p> }.into_any()
            } else {
                view! { <ul>{mine.services.iter().map(|s| view! { <li>{s.label.clone()}</li> }).collect_view()}</ul> }.into_any()
            }}
            <h2>"Vos administrateurs"</h2>
            <ul>{mine.administrators.iter().map(|a| view! { <li>{a.clone()}</li> }).collect_view()}</ul>
        })}
    }
}
