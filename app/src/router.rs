//! Moving between pages without reloading: the tab's path as a signal, links and the
//! back button followed. The app's addresses are a fixed list that one `match` per bundle
//! serves (`main.rs`, `spaces.rs`); leptos_router's generic route tree was compiled anew for every route and
//! weighed about 90 KB of the wasm (twiggy, issue 6), for nothing this app uses.

use inscription_shared::bundles::Bundle;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{HtmlAnchorElement, MouseEvent, Url, UrlSearchParams};

/// Marks a change of page that loads the other bundle: the new page then takes the focus
/// as it does after a change within a bundle (see `Layout`).
const CROSSED: &str = "inscription.changement-de-page";

/// Where the tab is. Copy, like the signals it holds.
#[derive(Clone, Copy)]
pub struct Location {
    /// The path, without a trailing slash: "/inscription/etape-2".
    pub path: RwSignal<String>,
    /// This app's bundle: the browser loads the other's pages.
    bundle: Bundle,
}

/// Starts following the tab's address and gives it to every page.
pub fn start(bundle: Bundle) -> Location {
    let location = Location {
        path: RwSignal::new(current_path()),
        bundle,
    };
    provide_context(location);
    let on_pop = Closure::<dyn Fn()>::new(move || location.show(current_path()));
    let on_click = Closure::<dyn Fn(MouseEvent)>::new(move |ev: MouseEvent| {
        if let Some(to) = followed_link(&ev) {
            ev.prevent_default();
            location.go(&to, false);
        }
    });
    if take_crossing_mark() {
        crate::components::focus("contenu");
    }
    let _ = window().add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
    let _ = document().add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    // For the life of the tab.
    on_pop.forget();
    on_click.forget();
    location
}

/// The tab's address, as [`start`] gave it.
pub fn use_location() -> Location {
    expect_context()
}

impl Location {
    /// Shows the page at `to` (a path with an optional query), as a new entry of the tab's
    /// history or, with `replace`, instead of the current one (a form that must not be
    /// sent twice by the back button).
    pub fn go(&self, to: &str, replace: bool) {
        if !self.serves(to) {
            if let Some(storage) = session_storage() {
                let _ = storage.set_item(CROSSED, "1");
            }
            let _ = if replace {
                window().location().replace(to)
            } else {
                window().location().assign(to)
            };
            return;
        }
        let Ok(history) = window().history() else {
            let _ = window().location().assign(to);
            return;
        };
        let _ = if replace {
            history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(to))
        } else {
            history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(to))
        };
        window().scroll_to_with_x_and_y(0.0, 0.0);
        self.show(current_path());
    }

    /// Whether this bundle has the page at `to` (a path with an optional query).
    fn serves(&self, to: &str) -> bool {
        let path = to.split(['?', '#']).next().unwrap_or_default();
        Bundle::of(path) == self.bundle
    }

    fn show(&self, path: String) {
        if !self.serves(&path) {
            // Back to a page of the other bundle: the browser loads it.
            let _ = window().location().reload();
        } else if self.path.get_untracked() != path {
            self.path.set(path);
        }
    }
}

/// A parameter of the address's query string, as the page opens.
pub fn query(name: &str) -> Option<String> {
    let search = window().location().search().ok()?;
    UrlSearchParams::new_with_str(&search).ok()?.get(name)
}

/// Shows the page at `to` (see [`Location::go`]); for event handlers, which run outside
/// of the pages' context.
pub fn use_navigate() -> impl Fn(&str) + Clone + 'static {
    let location = use_location();
    move |to| location.go(to, false)
}

fn current_path() -> String {
    let path = window().location().pathname().unwrap_or_default();
    match path.trim_end_matches('/') {
        "" => "/".to_owned(),
        trimmed => trimmed.to_owned(),
    }
}

/// The address within the app that this click on a link leads to, when the app should
/// show it itself: a plain click on a link to one of its pages. Downloads, other tabs,
/// other sites, other schemes (tel:) and anchors within the page stay the browser's.
fn followed_link(ev: &MouseEvent) -> Option<String> {
    if ev.default_prevented()
        || ev.button() != 0
        || ev.meta_key()
        || ev.alt_key()
        || ev.ctrl_key()
        || ev.shift_key()
    {
        return None;
    }
    let target: web_sys::Element = ev.target()?.dyn_into().ok()?;
    let anchor: HtmlAnchorElement = target.closest("a[href]").ok()??.dyn_into().ok()?;
    if anchor.has_attribute("download")
        || anchor.rel().split_whitespace().any(|rel| rel == "external")
        || !matches!(anchor.target().as_str(), "" | "_self")
    {
        return None;
    }
    let url = Url::new(&anchor.href()).ok()?;
    let here = window().location();
    // The API and files (a PDF, the CSV export) are the server's, not pages.
    let path = url.pathname();
    let file = path
        .rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'));
    if url.origin() != here.origin().ok()? || path.starts_with("/api/") || file {
        return None;
    }
    let same_page = path == here.pathname().ok()? && url.search() == here.search().ok()?;
    if same_page && !url.hash().is_empty() {
        return None;
    }
    Some(format!("{path}{}{}", url.search(), url.hash()))
}

fn session_storage() -> Option<web_sys::Storage> {
    window().session_storage().ok()?
}

/// Whether the previous page left the [`CROSSED`] mark; removes it.
fn take_crossing_mark() -> bool {
    let Some(storage) = session_storage() else {
        return false;
    };
    let crossed = storage.get_item(CROSSED).ok().flatten().is_some();
    let _ = storage.remove_item(CROSSED);
    crossed
}
