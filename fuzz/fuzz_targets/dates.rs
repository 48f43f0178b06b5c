//! Any date typed in the audit filter: no panic, and an accepted day formats.
#![no_main]
use inscription_shared::dates::{date_time, long_date, parse_day};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|typed: &str| {
    if let Some(day) = parse_day(typed) {
        assert!(!long_date(day).is_empty());
        assert!(date_time(day).ends_with("00:00 UTC"));
    }
});
