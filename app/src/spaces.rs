//! The signed-in bundle: a person's space and their establishment's administration (and
//! an operator's adding of their one-time code app, which shares its parts). The
//! server answers each of these pages without a session too; the page then shows its
//! refusal and the way to sign in.

use inscription_app::pages::{
    activation::Activation,
    administration::Administration,
    my_data::MyDataPage,
    my_rights::MyRightsPage,
    my_security::{MySecurity, OperatorSecurity},
    my_space::MySpace,
    not_found::NotFound,
};
use inscription_shared::bundles::Bundle;
use inscription_shared::pages::Page;
use leptos::prelude::*;

fn main() {
    inscription_app::start(Bundle::SignedIn, page);
}

/// The page at this address (without its query string).
fn page(path: &str) -> AnyView {
    match Page::parse(path) {
        Some(Page::MySpace) => view! { <MySpace/> }.into_any(),
        Some(Page::MyRights) => view! { <MyRightsPage/> }.into_any(),
        Some(Page::MyData) => view! { <MyDataPage/> }.into_any(),
        Some(Page::MySecurity) => view! { <MySecurity/> }.into_any(),
        Some(Page::Administration) => view! { <Administration/> }.into_any(),
        Some(Page::Activation) => view! { <Activation/> }.into_any(),
        Some(Page::OperatorSecurity) => view! { <OperatorSecurity/> }.into_any(),
        _ => view! { <NotFound/> }.into_any(),
    }
}
