//! The signed-in person's home: who they are, for which establishment, and sign-out.

use inscription_shared::account::Role;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api;
use crate::components::LoadFailed;
use crate::layout::set_title;

#[component]
pub fn MySpace() -> impl IntoView {
    set_title("Mon espace");
    let me = LocalResource::new(api::me);
    let navigate = use_navigate();
    let sign_out = move |_| {
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let _ = api::sign_out().await;
            navigate("/", Default::default());
        });
    };
    view! {
        <h1>"Mon espace"</h1>
        <Suspense fallback=|| view! { <p role="status">"Chargement…"</p> }>
            {move || me.get().map(|me| match me {
                Ok(me) => view! {
                    <p class="lead">{format!("Bonjour {} {} {}.", me.civility, me.first_name, me.last_name)}</p>
                    <dl class="facts">
                        <dt>"Établissement"</dt><dd>{me.establishment_name}</dd>
                        <dt>"Rôle"</dt>
                        <dd>{match me.role {
                            Role::Administrator => "Administrateur",
                            Role::User => "Utilisateur",
                            Role::Operator => "Opérateur",
                        }}</dd>
                        <dt>"Identifiant"</dt><dd>{me.email}</dd>
                    </dl>
                    <ul class="links">
                        <li><a href="/espace/habilitations">"Mes habilitations"</a></li>
                        {(me.role == Role::Administrator).then(|| view! {
                            <li><a href="/espace/administration">"Administration de mon établissement"</a></li>
                        })}
                        {(me.role == Role::Operator).then(|| view! {
                            <li><a href="/operateur">"Espace opérateur"</a></li>
                        })}
                    </ul>
                }.into_any(),
                Err(error) => view! { <LoadFailed error/> }.into_any(),
            })}
        </Suspense>
        <p><button type="button" class="button button--secondary" on:click=sign_out>"Se déconnecter"</button></p>
    }
}
