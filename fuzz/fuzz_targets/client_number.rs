//! Any text typed as a client number: no panic, an accepted number parses back to itself,
//! the live hint never panics, agrees with the parser once the field is left, and offers
//! only a fix that is itself a valid number.
#![no_main]
use inscription_shared::{ClientNumber, NumberHint};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|typed: &str| {
    if let Ok(number) = ClientNumber::parse(typed) {
        assert_eq!(ClientNumber::parse(number.as_str()), Ok(number));
    }
    if let Ok(number) = ClientNumber::parse_padded(typed) {
        assert_eq!(ClientNumber::parse(number.as_str()), Ok(number));
    }
    let left = NumberHint::settled(typed);
    assert_eq!(left == NumberHint::Valid, ClientNumber::parse(typed).is_ok());
    for hint in [NumberHint::typing(typed), left] {
        if let Some(fix) = hint.fix() {
            assert_eq!(ClientNumber::parse(fix.as_str()).as_ref(), Ok(fix));
        }
    }
});
