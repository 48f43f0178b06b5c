//! The single-page app, built by trunk to WebAssembly as three bundles that share this
//! library: the public pages (`main.rs`: home, wizard, sign-in…), the signed-in spaces
//! (`spaces.rs`) and the operators' back office (`operators.rs`); a visitor's first load
//! carries neither of the last two (see `inscription_shared::bundles`).

pub mod api;
pub mod components;
mod json;
pub mod layout;
pub mod lender;
pub mod pages;
pub mod passkey;
pub mod router;
pub mod wizard;

use inscription_shared::bundles::Bundle;
use leptos::prelude::*;

/// Starts the app of this bundle: the frame of every page, with `page` of the tab's
/// address in it.
pub fn start(bundle: Bundle, page: fn(&str) -> AnyView) {
    // Panic messages in the console while developing; release builds spare the bytes.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    // The frame the page painted before the app came (index.html): gone in the same task
    // as the app draws its own, so that no frame shows neither.
    if let Some(shell) = document().get_element_by_id("coquille") {
        shell.remove();
    }
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
