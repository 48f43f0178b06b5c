//! The single-page app's entry point: trunk builds this crate to WebAssembly.

mod api;
mod app;
mod components;
mod layout;
mod pages;
mod wizard;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
