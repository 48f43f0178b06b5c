//! The lifecycle's vocabulary and rules, free of HTTP and SQL: the statuses an account, a
//! letter and a session go through, the decisions taken on them, the directory file's
//! records and the retention durations. `db/` loads facts and persists what these decide.

pub mod candidacy;
pub mod console;
pub mod directory;
pub mod registration;
pub mod retention;
pub mod status;

pub use console::Change;
pub use status::{AccountStatus, LetterStatus, Purpose, Role, UnknownValue};
