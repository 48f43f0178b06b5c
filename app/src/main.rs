//! The public bundle: what a visitor loads first.

use inscription_app::pages::{
    cgu::Cgu,
    contact::Contact,
    home::Home,
    legal::{Accessibility, LegalNotice, PersonalData},
    not_found::NotFound,
    opposition::NotYou,
    password_reset::{ForgottenPassword, NewPassword},
    register_done::RegisterDone,
    register_step1::RegisterStep1,
    register_step2::RegisterStep2,
    sign_in::SignIn,
    verify_email::VerifyEmail,
};
use inscription_shared::bundles::Bundle;
use inscription_shared::pages::Page;
use leptos::prelude::*;

fn main() {
    inscription_app::start(Bundle::Public, page);
}

/// The page at this address (without its query string).
fn page(path: &str) -> AnyView {
    match Page::parse(path) {
        Some(Page::Home) => view! { <Home/> }.into_any(),
        Some(Page::Register) => view! { <RegisterStep1/> }.into_any(),
        Some(Page::RegisterStep2) => view! { <RegisterStep2/> }.into_any(),
        Some(Page::RegisterDone) => view! { <RegisterDone/> }.into_any(),
        Some(Page::VerifyEmail) => view! { <VerifyEmail/> }.into_any(),
        Some(Page::SignIn) => view! { <SignIn/> }.into_any(),
        Some(Page::ForgottenPassword) => view! { <ForgottenPassword/> }.into_any(),
        Some(Page::NewPassword) => view! { <NewPassword/> }.into_any(),
        Some(Page::NotYou) => view! { <NotYou/> }.into_any(),
        Some(Page::Terms) => view! { <Cgu/> }.into_any(),
        Some(Page::LegalNotice) => view! { <LegalNotice/> }.into_any(),
        Some(Page::PersonalData) => view! { <PersonalData/> }.into_any(),
        Some(Page::Accessibility) => view! { <Accessibility/> }.into_any(),
        Some(Page::Contact) => view! { <Contact/> }.into_any(),
        // Unknown, or another bundle's (which the server never sends here).
        _ => view! { <NotFound/> }.into_any(),
    }
}
