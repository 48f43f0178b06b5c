//! Any password against any personal words: no panic.
#![no_main]
use inscription_shared::password::{Password, PersonalWords};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, &str, &str)| {
    let (password, email, name) = input;
    let personal = PersonalWords {
        email: Some(email),
        last_name: Some(name),
        first_name: Some(name),
    };
    let _ = Password::parse(password, personal);
});
