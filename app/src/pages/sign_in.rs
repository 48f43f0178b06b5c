//! Sign-in: opens with account activation (issue 4); until then, say so plainly.

use leptos::prelude::*;

use crate::layout::set_title;

#[component]
pub fn SignIn() -> impl IntoView {
    set_title("Se connecter");
    view! {
        <h1>"Se connecter"</h1>
        <p>"La connexion aux services en ligne n’est pas encore ouverte sur ce site."</p>
        <p><a href="/">"Retour à l’accueil"</a></p>
    }
}
