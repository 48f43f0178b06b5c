//! One module per screen.

pub mod home;
pub mod not_found;
pub mod register_step1;
pub mod sign_in;
