//! The bundle of the registration wizard's second step and its confirmation: out of the
//! public bundle, whose first load is then a fifth lighter; step 1 fetches this one ahead
//! (`wizard::fetch_step2_ahead`), so that the person going on does not wait for it.

use inscription_app::pages::{
    not_found::NotFound, register_done::RegisterDone, register_step2::RegisterStep2,
};
use inscription_shared::bundles::Bundle;
use inscription_shared::pages::Page;
use leptos::prelude::*;

fn main() {
    inscription_app::start(Bundle::Step2, page);
}

/// The page at this address (without its query string).
fn page(path: &str) -> AnyView {
    match Page::parse(path) {
        Some(Page::RegisterStep2) => view! { <RegisterStep2/> }.into_any(),
        Some(Page::RegisterDone) => view! { <RegisterDone/> }.into_any(),
        // Another bundle's (which the server never sends here).
        _ => view! { <NotFound/> }.into_any(),
    }
}
