//! The frame of every page: skip link, header with the service's name, footer with the
//! support contacts, and the page title.

use inscription_shared::pages::Page;
use leptos::prelude::*;

use crate::lender::lender;

/// The free support number (PRODUCT.md §2), as a link.
#[component]
pub fn SupportPhone() -> impl IntoView {
    let lender = lender();
    let link = lender.phone_link();
    view! { <a class="nowrap" href=link>{lender.phone}</a> }
}

/// The RGAA compliance status, as the footer and the accessibility statement say it: no
/// audit of the 106 criteria has been made, and the RGAA then asks for "non conforme".
pub const ACCESSIBILITY_STATUS: &str = "non conforme";

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let main = NodeRef::<leptos::html::Main>::new();
    // Move the focus ourselves: the browser would only scroll to "#contenu".
    let skip = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        if let Some(main) = main.get() {
            let _ = main.focus();
        }
    };
    // After a change of page, start reading and tabbing from the new content (RGAA 12.x).
    let location = crate::router::use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.path.get();
        if previous.is_some_and(|p| p != path) {
            crate::components::focus("contenu");
        }
        path
    });
    view! {
        <a class="skip-link" href="#contenu" on:click=skip>"Aller au contenu"</a>
        <header class="site-header">
            <div class="container site-header__inner">
                <a class="brand" href=Page::Home.path()>
                    <span class="brand__mark" aria-hidden="true">"PFE"</span>
                    <span class="brand__text">
                        <span class="brand__name">{lender().name}</span>
                        <span class="brand__tagline">"Services en ligne des prêts sur fonds d’épargne"</span>
                    </span>
                </a>
            </div>
        </header>
        <main id="contenu" class="container site-main" tabindex="-1" node_ref=main>
            {children()}
        </main>
        <footer class="site-footer">
            <div class="container site-footer__inner">
                <p>
                    <a href=Page::Contact.path()>"Contactez-nous"</a>
                    " · Numéro vert "
                    <SupportPhone/>
                    " (service et appel gratuits)"
                </p>
                <ul class="site-footer__links">
                    <li><a href=Page::LegalNotice.path()>"Mentions légales"</a></li>
                    <li><a href=Page::PersonalData.path()>"Données personnelles"</a></li>
                    <li><a href=Page::Accessibility.path()>{format!("Accessibilité\u{a0}: {ACCESSIBILITY_STATUS}")}</a></li>
                    <li><a href=Page::Terms.path()>"Conditions d’utilisation"</a></li>
                </ul>
                <p class="site-footer__legal">
                    {format!("{} — services en ligne réservés à nos établissements clients.", lender().name)}
                </p>
            </div>
        </footer>
    }
}

/// Sets the browser tab's title: "<page> — <service>" (RGAA: each page has its own title).
pub fn set_title(page: &str) {
    document().set_title(&format!("{page} — {} — Services en ligne", lender().name));
}
