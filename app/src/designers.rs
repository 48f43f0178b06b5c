//! The designers' bundle: the gallery of the wizard's states, with sample data and no back
//! end. A bundle of its own, so that no visitor's first load carries it.

use inscription_app::pages::{gallery::Gallery, not_found::NotFound};
use inscription_shared::bundles::Bundle;
use inscription_shared::pages::Page;
use leptos::prelude::*;

fn main() {
    inscription_app::start(Bundle::Designers, page);
}

/// The page at this address (without its query string).
fn page(path: &str) -> AnyView {
    match Page::parse(path) {
        Some(Page::Gallery) => view! { <Gallery/> }.into_any(),
        _ => view! { <NotFound/> }.into_any(),
    }
}
