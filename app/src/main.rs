//! The public bundle: what a visitor loads first, home and the registration wizard's first
//! step. Its second step is a bundle of its own (`step2.rs`), fetched ahead while the
//! person types; the other pages open to all are the access bundle's (`access.rs`).

use inscription_app::pages::{
    home::Home, not_found::NotFound, register_step1::RegisterStep1, verify_email::VerifyEmail,
};
use inscription_shared::bundles::Bundle;
use inscription_shared::pages::Page;
use leptos::prelude::*;

fn main() {
    inscription_app::start_painted(Bundle::Public, page);
}

/// The page at this address (without its query string).
fn page(path: &str) -> AnyView {
    match Page::parse(path) {
        Some(Page::Home) => view! { <Home/> }.into_any(),
        Some(Page::Register) => view! { <RegisterStep1/> }.into_any(),
        Some(Page::VerifyEmail) => view! { <VerifyEmail/> }.into_any(),
        // Unknown, or another bundle's (which the server never sends here).
        _ => view! { <NotFound/> }.into_any(),
    }
}
