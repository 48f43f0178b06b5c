//! The operators' bundle: the back office. A bundle of its own, so that the people of the
//! establishments never load it. The server answers each of these pages without a session
//! too; the page then shows its refusal and the way to sign in.

use inscription_app::pages::{
    not_found::NotFound,
    operator::{
        audit::OperatorAudit, directory::OperatorDirectory, emails::OperatorEmails,
        establishment::OperatorEstablishment, letters::OperatorLetters, messages::OperatorMessages,
        services::OperatorServices,
    },
};
use inscription_shared::bundles::Bundle;
use inscription_shared::pages::Page;
use leptos::prelude::*;

fn main() {
    inscription_app::start(Bundle::Operators, page);
}

/// The page at this address (without its query string).
fn page(path: &str) -> AnyView {
    match Page::parse(path) {
        Some(Page::OperatorLetters) => view! { <OperatorLetters/> }.into_any(),
        Some(Page::OperatorDirectory) => view! { <OperatorDirectory/> }.into_any(),
        Some(Page::OperatorAudit) => view! { <OperatorAudit/> }.into_any(),
        Some(Page::OperatorMessages) => view! { <OperatorMessages/> }.into_any(),
        Some(Page::OperatorEmails) => view! { <OperatorEmails/> }.into_any(),
        Some(Page::OperatorServices) => view! { <OperatorServices/> }.into_any(),
        Some(Page::OperatorEstablishment(id)) => view! { <OperatorEstablishment id/> }.into_any(),
        _ => view! { <NotFound/> }.into_any(),
    }
}
