//! Any text typed as a letter's code: no panic, and an accepted code's printed form parses
//! back to the same code.
#![no_main]
use inscription_shared::temporary_password::TemporaryPassword;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|typed: &str| {
    if let Ok(code) = TemporaryPassword::parse(typed) {
        assert_eq!(TemporaryPassword::parse(&code.printed()), Ok(code));
    }
});
