//! Dates as French readers expect them, from the Unix seconds the server stores (UTC),
//! shown on the lender's clocks (`TIME_ZONE`, Europe/Paris by default): the server reads
//! that zone's rules from its time-zone database, the page from the browser's.

/// A time zone: how far its clocks are ahead of UTC at an instant, in seconds.
pub trait Zone {
    fn offset_at(&self, unix_seconds: i64) -> i64;
}

/// A zone that never changes its clocks (UTC is `FixedOffset(0)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedOffset(pub i64);

impl Zone for FixedOffset {
    fn offset_at(&self, _: i64) -> i64 {
        self.0
    }
}

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// (year, month 1–12, day) of a Unix time, by Howard Hinnant's civil-from-days.
fn civil(unix_seconds: i64) -> (i64, i64, i64) {
    let days = unix_seconds.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// "27 novembre 2026", "1er décembre 2026": as letters print dates.
pub fn long_date(unix_seconds: i64, zone: &impl Zone) -> String {
    let (year, month, day) = civil(unix_seconds + zone.offset_at(unix_seconds));
    let name = MONTHS[usize::try_from(month - 1).unwrap_or(0)];
    if day == 1 {
        format!("1er {name} {year}")
    } else {
        format!("{day} {name} {year}")
    }
}

/// "27/11/2026 15:05": as tables and exports show an instant, on the zone's clocks.
pub fn date_time(unix_seconds: i64, zone: &impl Zone) -> String {
    let local = unix_seconds + zone.offset_at(unix_seconds);
    let (year, month, day) = civil(local);
    let seconds = local.rem_euclid(86_400);
    format!(
        "{day:02}/{month:02}/{year} {:02}:{:02}",
        seconds / 3600,
        seconds % 3600 / 60
    )
}

/// The Unix time of a day's start in the zone from "AAAA-MM-JJ" (what a date input gives),
/// if valid.
pub fn parse_day(input: &str, zone: &impl Zone) -> Option<i64> {
    Some(zone_midnight(parse_utc_day(input)?, zone))
}

/// The Unix time the day after "AAAA-MM-JJ" starts in the zone: where that day ends (23
/// or 25 hours later on the days the clocks change).
pub fn parse_day_end(input: &str, zone: &impl Zone) -> Option<i64> {
    Some(zone_midnight(parse_utc_day(input)? + 86_400, zone))
}

/// The instant the zone's clocks read the midnight that UTC's read at `utc_midnight`.
fn zone_midnight(utc_midnight: i64, zone: &impl Zone) -> i64 {
    // The offset at that midnight, read from a guess one offset away.
    utc_midnight - zone.offset_at(utc_midnight - zone.offset_at(utc_midnight))
}

fn parse_utc_day(input: &str) -> Option<i64> {
    let mut parts = input.trim().splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next()?.parse().ok()?;
    let day: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || !(1970..=9999).contains(&year) {
        return None;
    }
    // Days-from-civil, the inverse of `civil`.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let seconds = (era * 146_097 + doe - 719_468) * 86_400;
    // 31 février is not a day: it must come back as itself.
    (civil(seconds) == (year, month, day)).then_some(seconds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const UTC: FixedOffset = FixedOffset(0);

    /// Paris's clocks as the EU has set them since 1996: an hour ahead of UTC, two from the
    /// last Sunday of March to the last Sunday of October, switching at 01:00 UTC.
    struct Paris;

    impl Zone for Paris {
        fn offset_at(&self, t: i64) -> i64 {
            let (year, _, _) = civil(t);
            let last_sunday = |month: i64| {
                let first_of_next =
                    parse_utc_day(&format!("{year:04}-{:02}-01", month + 1)).unwrap();
                let days = first_of_next / 86_400;
                // 1970-01-01 was a Thursday.
                let back = (days + 3).rem_euclid(7) + 1;
                (days - back) * 86_400 + 3600
            };
            if (last_sunday(3)..last_sunday(10)).contains(&t) {
                7200
            } else {
                3600
            }
        }
    }

    #[test]
    fn french_dates() {
        assert_eq!(long_date(0, &UTC), "1er janvier 1970");
        assert_eq!(long_date(1_795_737_600, &UTC), "27 novembre 2026");
        assert_eq!(long_date(1_709_164_800, &UTC), "29 février 2024");
        assert_eq!(date_time(1_795_788_300, &UTC), "27/11/2026 14:05");
    }

    #[test]
    fn dates_are_read_on_the_zones_clocks() {
        // 27/11/2026 23:30 UTC is already the 28th in Paris (winter: UTC+1).
        assert_eq!(date_time(1_795_822_200, &Paris), "28/11/2026 00:30");
        assert_eq!(long_date(1_795_822_200, &Paris), "28 novembre 2026");
        // 1 July 2026 12:00 UTC: summer time, UTC+2.
        assert_eq!(date_time(1_782_907_200, &Paris), "01/07/2026 14:00");
        // Paris's day starts an hour (winter) or two (summer) before UTC's.
        assert_eq!(parse_day("2026-11-27", &Paris), Some(1_795_737_600 - 3600));
        assert_eq!(parse_day("2026-07-01", &Paris), Some(1_782_864_000 - 7200));
        // 25 October 2026, when summer time ends, lasts 25 hours there.
        let start = parse_day("2026-10-25", &Paris).unwrap();
        assert_eq!(parse_day_end("2026-10-25", &Paris), Some(start + 25 * 3600));
    }

    #[test]
    fn days_from_a_date_input() {
        assert_eq!(parse_day("2026-11-27", &UTC), Some(1_795_737_600));
        assert_eq!(parse_day("2026-02-31", &UTC), None);
        assert_eq!(parse_day("27/11/2026", &UTC), None);
        assert_eq!(parse_day("", &UTC), None);
    }

    proptest! {
        #[test]
        fn a_day_parses_back_to_its_start(days in 0i64..2_900_000) {
            let start = days * 86_400;
            let (y, m, d) = civil(start);
            prop_assert_eq!(parse_day(&format!("{y:04}-{m:02}-{d:02}"), &UTC), Some(start));
        }

        /// A day typed in the zone starts at its midnight there, whatever the season.
        #[test]
        fn a_zones_day_starts_at_its_midnight(days in 9_000i64..40_000) {
            let (y, m, d) = civil(days * 86_400);
            let start = parse_day(&format!("{y:04}-{m:02}-{d:02}"), &Paris).unwrap();
            prop_assert_eq!(date_time(start, &Paris), format!("{d:02}/{m:02}/{y} 00:00"));
        }
    }
}
