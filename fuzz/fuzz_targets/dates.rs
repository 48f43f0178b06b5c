//! Any date typed in the audit filter: no panic, and an accepted day formats as its
//! midnight on the zone's clocks, whatever the zone's offset.
#![no_main]
use inscription_shared::dates::{date_time, long_date, parse_day, parse_day_end, FixedOffset};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, i8)| {
    let (typed, quarter_hours) = input;
    let zone = FixedOffset(i64::from(quarter_hours) * 900);
    if let Some(day) = parse_day(typed, &zone) {
        assert!(!long_date(day, &zone).is_empty());
        assert!(date_time(day, &zone).ends_with("00:00"));
        assert_eq!(parse_day_end(typed, &zone), Some(day + 86_400));
    }
});
