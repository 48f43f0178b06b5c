//! Any address the app does not know.

use inscription_shared::pages::Page;
use leptos::prelude::*;

use crate::layout::set_title;

#[component]
pub fn NotFound() -> impl IntoView {
    set_title("Page introuvable");
    view! {
        <h1>"Page introuvable"</h1>
        <p>"La page que vous cherchez n’existe pas ou a été déplacée."</p>
        <p>"Si vous avez saisi l’adresse, vérifiez son orthographe."</p>
        <p><a class="button button--secondary" href=Page::Home.path()>"Retour à l’accueil"</a></p>
    }
}
