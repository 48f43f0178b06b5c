//! The operators' bundle: the back office. A bundle of its own, so that the people of the
//! establishments never load it. The server answers each of these pages without a session
//! too; the page then shows its refusal and the way to sign in.

use inscription_app::pages::{
    not_found::NotFound,
    operator::{
        audit::OperatorAudit, directory::OperatorDirectory, emails::OperatorEmails,
        establishment::OperatorEstablishment, letters::OperatorLetters, messages::OperatorMessages,
    },
};
use inscription_shared::bundles::Bundle;
use leptos::prelude::*;

fn main() {
    inscription_app::start(Bundle::Operators, page);
}

/// The page at this address (without its query string).
fn page(path: &str) -> AnyView {
    match path {
        "/operateur" => view! { <OperatorLetters/> }.into_any(),
        "/operateur/annuaire" => view! { <OperatorDirectory/> }.into_any(),
        "/operateur/journal" => view! { <OperatorAudit/> }.into_any(),
        "/operateur/messages" => view! { <OperatorMessages/> }.into_any(),
        "/operateur/courriels" => view! { <OperatorEmails/> }.into_any(),
        _ => match path
            .strip_prefix("/operateur/etablissements/")
            .and_then(|id| id.parse::<i64>().ok())
        {
            Some(id) => view! { <OperatorEstablishment id/> }.into_any(),
            None => view! { <NotFound/> }.into_any(),
        },
    }
}
