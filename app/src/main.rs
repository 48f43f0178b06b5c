//! The public bundle: what a visitor loads first.

use inscription_app::pages::{
    cgu::Cgu,
    contact::Contact,
    gallery::Gallery,
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
use leptos::prelude::*;

fn main() {
    inscription_app::start(Bundle::Public, page);
}

/// The page at this address (without its query string). URLs are French: they are what
/// people read and bookmark.
fn page(path: &str) -> AnyView {
    match path {
        "/" => view! { <Home/> }.into_any(),
        "/inscription" => view! { <RegisterStep1/> }.into_any(),
        "/inscription/etape-2" => view! { <RegisterStep2/> }.into_any(),
        "/inscription/confirmation" => view! { <RegisterDone/> }.into_any(),
        "/inscription/confirmer-courriel" => view! { <VerifyEmail/> }.into_any(),
        "/connexion" => view! { <SignIn/> }.into_any(),
        "/mot-de-passe-oublie" => view! { <ForgottenPassword/> }.into_any(),
        "/mot-de-passe/nouveau" => view! { <NewPassword/> }.into_any(),
        "/pas-vous" => view! { <NotYou/> }.into_any(),
        "/cgu" => view! { <Cgu/> }.into_any(),
        "/mentions-legales" => view! { <LegalNotice/> }.into_any(),
        "/donnees-personnelles" => view! { <PersonalData/> }.into_any(),
        "/accessibilite" => view! { <Accessibility/> }.into_any(),
        "/contact" => view! { <Contact/> }.into_any(),
        "/galerie" => view! { <Gallery/> }.into_any(),
        _ => view! { <NotFound/> }.into_any(),
    }
}
