//! The page of the single-use link e-mailed to a case-2 registrant.

use inscription_shared::pages::Page;
use leptos::prelude::*;

use crate::api;
use crate::components::load;
use crate::layout::set_title;

#[component]
pub fn VerifyEmail() -> impl IntoView {
    set_title("Confirmation de votre adresse électronique");
    let token = crate::router::query("jeton").unwrap_or_default();
    // The link's own refusal is shown here, with the way to start again.
    let outcome = load(move || {
        let token = token.clone();
        async move { Ok(api::verify_email(&token).await) }
    });
    view! {
        <h1>"Confirmation de votre adresse électronique"</h1>
        {outcome.view_waiting("Vérification du lien…", |result| match result {
            Ok(()) => view! {
                <div class="notice notice--success" role="status">
                    <p><strong>"Votre adresse électronique est confirmée."</strong></p>
                    <p>"Votre demande a été transmise à l’administrateur de votre établissement. Vous serez prévenu par courrier électronique de sa décision."</p>
                </div>
            }.into_any(),
            Err(error) => view! {
                <div class="notice notice--error" role="alert">
                    <p>{error.message.clone()}</p>
                </div>
                <p><a href=Page::Register.path()>"Recommencer l’inscription"</a></p>
            }.into_any(),
        })}
    }
}
