//! The single-page app's entry point: trunk builds this crate to WebAssembly.

mod app;
mod layout;
mod pages;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
