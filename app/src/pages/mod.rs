//! One module per screen; the registration wizard is split step by step.

pub mod activation;
pub mod administration;
pub mod cgu;
pub mod contact;
pub mod gallery;
pub mod home;
mod identity_fields;
pub mod legal;
pub mod my_data;
pub mod my_rights;
pub mod my_security;
pub mod my_space;
pub mod not_found;
pub mod operator;
pub mod opposition;
pub mod password_reset;
pub mod register_done;
pub mod register_step1;
pub mod register_step2;
pub mod sign_in;
pub mod verify_email;
