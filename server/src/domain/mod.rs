//! The lifecycle's vocabulary, free of HTTP and SQL: the statuses an account, a letter and a
//! session go through.

pub mod console;
pub mod registration;
pub mod status;

pub use console::Change;
pub use status::{AccountStatus, LetterStatus, Purpose, Role, UnknownValue};
