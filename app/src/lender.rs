//! The lender's name, support phone and time zone, and what else the server wrote into the
//! page's `<meta>` tags from its configuration (`index.html` carries the defaults).

use inscription_shared::retention::Durations;
use wasm_bindgen::JsValue;

pub struct Lender {
    pub name: String,
    /// As printed: groups of digits joined by non-breaking spaces.
    pub phone: String,
    /// An IANA name, such as "Europe/Paris".
    pub time_zone: String,
}

impl Lender {
    /// The number as dialled, for `tel:` links.
    pub fn phone_link(&self) -> String {
        let digits: String = self.phone.chars().filter(char::is_ascii_digit).collect();
        format!("tel:{digits}")
    }
}

/// The content of the page's `<meta>` of that selector.
pub(crate) fn meta(selector: &str) -> Option<String> {
    web_sys::window()?
        .document()?
        .query_selector(selector)
        .ok()??
        .get_attribute("content")
        .filter(|c| !c.trim().is_empty())
}

/// Read from the page each time: a few attributes, cheaper in the bundle than a cache.
pub fn lender() -> Lender {
    Lender {
        name: meta("meta[name=inscription-lender]").unwrap_or_else(|| "Prêteur public".into()),
        phone: meta("meta[name=inscription-phone]")
            .unwrap_or_else(|| "0\u{a0}800\u{a0}887\u{a0}300".into()),
        time_zone: meta("meta[name=inscription-time-zone]")
            .unwrap_or_else(|| "Europe/Paris".into()),
    }
}

/// The retention durations the server is configured with.
pub fn retention() -> Durations {
    meta("meta[name=inscription-retention]")
        .and_then(|content| Durations::from_meta(&content))
        .unwrap_or(Durations::DEFAULT)
}

/// Who hosts the service, for the legal notice (`HOSTING`); by default the lender itself.
pub fn hosting() -> String {
    meta("meta[name=inscription-hosting]")
        .unwrap_or_else(|| inscription_shared::legal::self_hosted(&lender().name))
}

/// reCAPTCHA's site key, when the server uses Google's CAPTCHA rather than its own.
pub fn recaptcha_site_key() -> Option<String> {
    meta("meta[name=inscription-recaptcha]")
}

/// An instant as the browser writes it in French on the lender's clocks, with its own
/// time-zone database: `parts` are `Intl.DateTimeFormat` options. The server writes the
/// same formats with `inscription_shared::dates`; here the browser does it, which keeps
/// date arithmetic out of the wasm.
fn local(unix_seconds: i64, parts: &[(&str, &str)]) -> String {
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"timeZone".into(), &lender().time_zone.into());
    for (key, value) in parts {
        let _ = js_sys::Reflect::set(&options, &(*key).into(), &(*value).into());
    }
    let date = js_sys::Date::new(&JsValue::from_f64(unix_seconds as f64 * 1000.0));
    date.to_locale_string("fr-FR", &options).into()
}

/// "27/11/2026 15:05" on the lender's clocks.
pub fn date_time(unix_seconds: i64) -> String {
    local(
        unix_seconds,
        &[
            ("day", "2-digit"),
            ("month", "2-digit"),
            ("year", "numeric"),
            ("hour", "2-digit"),
            ("minute", "2-digit"),
        ],
    )
    .replace(',', "")
}

/// "27 novembre 2026", "1er décembre 2026" on the lender's clocks.
pub fn long_date(unix_seconds: i64) -> String {
    let date = local(
        unix_seconds,
        &[("day", "numeric"), ("month", "long"), ("year", "numeric")],
    );
    match date.strip_prefix("1 ") {
        Some(rest) => format!("1er {rest}"),
        None => date,
    }
}
