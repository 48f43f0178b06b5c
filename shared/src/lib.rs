//! Types and validation rules shared by the app and the server, so that each rule is
//! written once: the page calls them for live feedback, the server as the authority.
//! Light and wasm-safe on purpose: no regex, no heavy dependency.

pub mod client_number;

pub use client_number::{ClientNumber, ClientNumberError};
