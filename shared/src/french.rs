//! Numbers and counts as French is written: thousands grouped by a narrow non-breaking
//! space, the count held to its word, and the plural written out ("1 courrier",
//! "2 courriers", never "courrier(s)").

/// "1 234 567": groups of three digits joined by U+202F.
pub fn number(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(digit);
    }
    out
}

/// "0 courrier", "1 courrier", "2 courriers": French takes the singular below two.
/// Counts of every integer type come in (one copy of the code in the wasm, not one a type).
pub fn plural(n: impl Count, one: &str, many: &str) -> String {
    plural_of(n.count(), one, many)
}

fn plural_of(n: i64, one: &str, many: &str) -> String {
    let word = if n.unsigned_abs() < 2 { one } else { many };
    format!("{}\u{a0}{word}", number(n))
}

/// An integer that counts something.
pub trait Count {
    fn count(self) -> i64;
}

macro_rules! count {
    ($($t:ty),*) => {$(
        impl Count for $t {
            fn count(self) -> i64 {
                i64::try_from(self).unwrap_or(i64::MAX)
            }
        }
    )*};
}
count!(i32, i64, u32, u64, usize);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn counts_read_as_french() {
        assert_eq!(plural(0i32, "courrier", "courriers"), "0\u{a0}courrier");
        assert_eq!(plural(1u32, "courrier", "courriers"), "1\u{a0}courrier");
        assert_eq!(plural(2i64, "courrier", "courriers"), "2\u{a0}courriers");
        assert_eq!(number(100_000), "100\u{202f}000");
        assert_eq!(number(-1234), "-1\u{202f}234");
        assert_eq!(number(999), "999");
    }

    proptest! {
        #[test]
        fn grouping_keeps_the_digits(n in (i64::MIN + 1)..i64::MAX) {
            let written = number(n);
            prop_assert_eq!(written.replace('\u{202f}', "").parse::<i64>().ok(), Some(n));
            // No group is longer than three digits, and only the first may be shorter.
            let groups: Vec<&str> = written.trim_start_matches('-').split('\u{202f}').collect();
            prop_assert!(groups.iter().skip(1).all(|g| g.len() == 3));
            prop_assert!((1..=3).contains(&groups[0].len()));
        }
    }
}
