//! The access bundle: signing in, the passwords, "Pas vous ?", the terms, the legal pages
//! and the contact form. Out of the public bundle, so that the registration's first load
//! (home and the wizard) carries none of them.

use inscription_app::pages::{
    cgu::Cgu,
    contact::Contact,
    legal::{Accessibility, LegalNotice, PersonalData},
    not_found::NotFound,
    opposition::NotYou,
    password_reset::{ForgottenPassword, NewPassword},
    sign_in::SignIn,
};
use inscription_shared::bundles::Bundle;
use inscription_shared::pages::Page;
use leptos::prelude::*;

fn main() {
    inscription_app::start_painted(Bundle::Access, page);
}

/// The page at this address (without its query string).
fn page(path: &str) -> AnyView {
    match Page::parse(path) {
        Some(Page::SignIn) => view! { <SignIn/> }.into_any(),
        Some(Page::ForgottenPassword) => view! { <ForgottenPassword/> }.into_any(),
        Some(Page::NewPassword) => view! { <NewPassword/> }.into_any(),
        Some(Page::NotYou) => view! { <NotYou/> }.into_any(),
        Some(Page::Terms) => view! { <Cgu/> }.into_any(),
        Some(Page::LegalNotice) => view! { <LegalNotice/> }.into_any(),
        Some(Page::PersonalData) => view! { <PersonalData/> }.into_any(),
        Some(Page::Accessibility) => view! { <Accessibility/> }.into_any(),
        Some(Page::Contact) => view! { <Contact/> }.into_any(),
        // Another bundle's (which the server never sends here).
        _ => view! { <NotFound/> }.into_any(),
    }
}
