//! Any text typed as a client number: no panic, and an accepted number parses back to itself.
#![no_main]
use inscription_shared::ClientNumber;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|typed: &str| {
    if let Ok(number) = ClientNumber::parse(typed) {
        assert_eq!(ClientNumber::parse(number.as_str()), Ok(number));
    }
    if let Ok(number) = ClientNumber::parse_padded(typed) {
        assert_eq!(ClientNumber::parse(number.as_str()), Ok(number));
    }
});
