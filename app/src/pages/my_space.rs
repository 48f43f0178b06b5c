//! The signed-in person's home: who they are, for which establishment, and sign-out.

use crate::router::use_navigate;
use inscription_shared::account::Role;
use inscription_shared::pages::Page;
use leptos::prelude::*;

use crate::api;
use crate::components::load;
use crate::layout::set_title;

#[component]
pub fn MySpace() -> impl IntoView {
    set_title("Mon espace");
    let me = load(api::me);
    let navigate = use_navigate();
    let sign_out = move |_| {
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let _ = api::sign_out().await;
            navigate(&Page::Home.path());
        });
    };
    view! {
        <h1>"Mon espace"</h1>
        // Signing out is offered to the signed in only.
        {me.view(move |me| view! {
            <p class="lead">{format!("Bonjour {} {} {}.", me.civility, me.first_name, me.last_name)}</p>
            <dl class="facts">
                <dt>"Établissement"</dt><dd>{me.establishment_name.clone()}</dd>
                <dt>"Rôle"</dt>
                <dd>{match me.role {
                    Role::Administrator => "Administrateur",
                    Role::User => "Utilisateur",
                    Role::Operator => "Opérateur",
                }}</dd>
                <dt>"Identifiant"</dt><dd>{me.email.clone()}</dd>
            </dl>
            <ul class="links">
                <li><a href=Page::MyRights.path()>"Mes habilitations"</a></li>
                {(me.role != Role::Operator).then(|| view! {
                    <li><a href=Page::MyData.path()>"Mes données"</a></li>
                    <li><a href=Page::MySecurity.path()>"Sécurité de mon compte"</a></li>
                })}
                {(me.role == Role::Administrator).then(|| view! {
                    <li><a href=Page::Administration.path()>"Administration de mon établissement"</a></li>
                })}
                {(me.role == Role::Operator).then(|| view! {
                    <li><a href=Page::OperatorLetters.path()>"Espace opérateur"</a></li>
                })}
            </ul>
            <p><button type="button" class="button button--secondary" on:click=sign_out.clone()>"Se déconnecter"</button></p>
        })}
    }
}
