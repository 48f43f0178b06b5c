//! The single-page app, built by trunk to WebAssembly as six bundles that share this
//! library (see `inscription_shared::bundles`): home and the wizard's first step
//! (`main.rs`), its second step (`step2.rs`), sign-in and the other pages open to all
//! (`access.rs`), the signed-in spaces (`spaces.rs`), the operators' back office
//! (`operators.rs`) and the designers' gallery (`designers.rs`); a visitor's first load
//! carries only the first.

pub mod api;
pub mod components;
mod json;
pub mod layout;
pub mod lender;
pub mod pages;
pub mod passkey;
pub mod router;
mod shell;
pub mod wizard;

use inscription_shared::bundles::Bundle;
use leptos::prelude::*;

/// Starts the app of this bundle: the frame of every page, with `page` of the tab's
/// address in it, in place of the bare frame its HTML painted first.
pub fn start(bundle: Bundle, page: fn(&str) -> AnyView) {
    // Gone in the same task as the app draws its own, so that no frame shows neither.
    if let Some(shell) = document().get_element_by_id("coquille") {
        shell.remove();
    }
    mount(bundle, page);
}

/// Starts the app of a bundle whose pages the server may paint ahead with their first
/// view (home, the wizard and the access bundle's): the app takes what was typed and
/// clicked there. The other bundles do without this code.
pub fn start_painted(bundle: Bundle, page: fn(&str) -> AnyView) {
    let earlier = shell::take_over();
    mount(bundle, page);
    if let Some(earlier) = earlier {
        earlier.give_back();
    }
}

fn mount(bundle: Bundle, page: fn(&str) -> AnyView) {
    // Panic messages in the console while developing; release builds spare the bytes.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(move || {
        let location = router::start(bundle);
        view! {
            <layout::Layout>
                {move || {
                    let path = location.path.get();
                    untrack(|| page(&path))
                }}
            </layout::Layout>
        }
    });
}
