//! The page of the single-use link e-mailed to a case-2 registrant.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api;
use crate::layout::set_title;

#[component]
pub fn VerifyEmail() -> impl IntoView {
    set_title("Confirmation de votre adresse électronique");
    let token = use_query_map().with_untracked(|q| q.get("jeton").unwrap_or_default());
    let outcome = LocalResource::new(move || {
        let token = token.clone();
        async move { api::verify_email(&token).await }
    });
    view! {
        <h1>"Confirmation de votre adresse électronique"</h1>
        <Suspense fallback=|| view! { <p role="status">"Vérification du lien…"</p> }>
            {move || outcome.get().map(|result| match result {
                Ok(()) => view! {
                    <div class="notice notice--success" role="status">
                        <p><strong>"Votre adresse électronique est confirmée."</strong></p>
                        <p>"Votre demande a été transmise à l’administrateur de votre établissement. Vous serez prévenu par courrier électronique de sa décision."</p>
                    </div>
                }.into_any(),
                Err(error) => view! {
                    <div class="notice notice--error" role="alert">
                        <p>{error.message}</p>
                    </div>
                    <p><a href="/inscription">"Recommencer l’inscription"</a></p>
                }.into_any(),
            })}
        </Suspense>
    }
}
