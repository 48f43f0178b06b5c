//! The signed-in bundle: a person's space, their establishment's administration and the
//! operators' back office. The server answers each of these pages without a session too;
//! the page then shows its refusal and the way to sign in.

use inscription_app::pages::{
    activation::Activation,
    administration::Administration,
    my_rights::MyRightsPage,
    my_space::MySpace,
    not_found::NotFound,
    operator::{
        audit::OperatorAudit, directory::OperatorDirectory, emails::OperatorEmails,
        establishment::OperatorEstablishment, letters::OperatorLetters, messages::OperatorMessages,
    },
};
use inscription_shared::bundles::Bundle;
use leptos::prelude::*;

fn main() {
    inscription_app::start(Bundle::SignedIn, page);
}

/// The page at this address (without its query string).
fn page(path: &str) -> AnyView {
    match path {
        "/espace" => view! { <MySpace/> }.into_any(),
        "/espace/habilitations" => view! { <MyRightsPage/> }.into_any(),
        "/espace/administration" => view! { <Administration/> }.into_any(),
        "/activation" => view! { <Activation/> }.into_any(),
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
