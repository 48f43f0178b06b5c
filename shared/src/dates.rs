//! Dates as French readers expect them, from the Unix seconds the server stores (UTC).

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
pub fn long_date(unix_seconds: i64) -> String {
    let (year, month, day) = civil(unix_seconds);
    let name = MONTHS[usize::try_from(month - 1).unwrap_or(0)];
    if day == 1 {
        format!("1er {name} {year}")
    } else {
        format!("{day} {name} {year}")
    }
}

/// "27/11/2026 14:05 UTC": as tables and exports show an instant.
pub fn date_time(unix_seconds: i64) -> String {
    let (year, month, day) = civil(unix_seconds);
    let seconds = unix_seconds.rem_euclid(86_400);
    format!(
        "{day:02}/{month:02}/{year} {:02}:{:02} UTC",
        seconds / 3600,
        seconds % 3600 / 60
    )
}

/// The Unix time of a day's start from "AAAA-MM-JJ" (what a date input gives), if valid.
pub fn parse_day(input: &str) -> Option<i64> {
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

    #[test]
    fn french_dates() {
        assert_eq!(long_date(0), "1er janvier 1970");
        assert_eq!(long_date(1_795_737_600), "27 novembre 2026");
        assert_eq!(long_date(1_709_164_800), "29 février 2024");
        assert_eq!(date_time(1_795_788_300), "27/11/2026 14:05 UTC");
    }

    #[test]
    fn days_from_a_date_input() {
        assert_eq!(parse_day("2026-11-27"), Some(1_795_737_600));
        assert_eq!(parse_day("2026-02-31"), None);
        assert_eq!(parse_day("27/11/2026"), None);
        assert_eq!(parse_day(""), None);
    }

    proptest! {
        #[test]
        fn a_day_parses_back_to_its_start(days in 0i64..2_900_000) {
            let start = days * 86_400;
            let (y, m, d) = civil(start);
            prop_assert_eq!(parse_day(&format!("{y:04}-{m:02}-{d:02}")), Some(start));
        }
    }
}
