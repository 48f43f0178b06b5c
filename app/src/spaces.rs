//! The signed-in bundle: a person's space and their establishment's administration. The
//! server answers each of these pages without a session too; the page then shows its
//! refusal and the way to sign in.

use inscription_app::pages::{
    activation::Activation, administration::Administration, my_data::MyDataPage,
    my_rights::MyRightsPage, my_space::MySpace, not_found::NotFound,
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
        "/espace/donnees" => view! { <MyDataPage/> }.into_any(),
        "/espace/administration" => view! { <Administration/> }.into_any(),
        "/activation" => view! { <Activation/> }.into_any(),
        _ => view! { <NotFound/> }.into_any(),
    }
}
