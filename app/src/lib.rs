//! The single-page app, built by trunk to WebAssembly as two bundles that share this
//! library: the public pages (`main.rs`: home, wizard, sign-in…) and the signed-in spaces
//! (`spaces.rs`), which a visitor's first load does not carry (see
//! `inscription_shared::bundles`).

pub mod api;
pub mod components;
mod json;
pub mod layout;
pub mod lender;
pub mod pages;
pub mod router;
pub mod wizard;

use inscription_shared::bundles::Bundle;
use leptos::prelude::*;

/// Starts the app of this bundle: the frame of every page, with `page` of the tab's
/// address in it.
pub fn start(bundle: Bundle, page: fn(&str) -> AnyView) {
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
