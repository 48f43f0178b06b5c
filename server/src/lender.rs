//! The lender as people read it everywhere the product writes: its name, its support's
//! phone number and the time zone of its clocks (configuration, PRODUCT.md §12).

use inscription_shared::dates::Zone;

/// A neutral name until the lender's own is configured (README, "Configuration").
pub const DEFAULT_NAME: &str = "Prêteur public";
pub const DEFAULT_PHONE: &str = "0 800 887 300";

#[derive(Debug, Clone)]
pub struct Lender {
    pub name: String,
    /// As printed: groups of digits joined by non-breaking spaces.
    pub phone: String,
    pub zone: LenderZone,
    /// The zone's IANA name, for the pages.
    pub zone_name: String,
}

#[derive(Debug, thiserror::Error)]
pub enum LenderError {
    #[error(
        "TIME_ZONE\u{a0}: fuseau horaire inconnu «\u{a0}{0}\u{a0}» (exemple\u{a0}: Europe/Paris)"
    )]
    UnknownZone(String),
    #[error("LENDER_NAME ne peut pas être vide")]
    NoName,
}

impl Lender {
    pub fn new(name: &str, phone: &str, zone_name: &str) -> Result<Self, LenderError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(LenderError::NoName);
        }
        let zone = jiff::tz::TimeZone::get(zone_name)
            .map_err(|_| LenderError::UnknownZone(zone_name.to_owned()))?;
        Ok(Self {
            name: name.to_owned(),
            phone: phone.split_whitespace().collect::<Vec<_>>().join("\u{a0}"),
            zone: LenderZone(zone),
            zone_name: zone_name.to_owned(),
        })
    }

    /// "0 800 887 300 (service et appel gratuits)": how the support is reached by phone.
    pub fn free_phone(&self) -> String {
        format!("{} (service et appel gratuits)", self.phone)
    }

    /// The last lines of every e-mail.
    pub fn signature(&self) -> String {
        format!(
            "Services en ligne — {}\nContact\u{a0}: {}\n",
            self.name,
            self.free_phone()
        )
    }
}

/// The lender's time zone, as the shared date formats read it.
#[derive(Debug, Clone)]
pub struct LenderZone(jiff::tz::TimeZone);

impl Zone for LenderZone {
    fn offset_at(&self, unix_seconds: i64) -> i64 {
        jiff::Timestamp::from_second(unix_seconds)
            .map_or(0, |t| i64::from(self.0.to_offset(t).seconds()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use inscription_shared::dates::date_time;

    #[test]
    fn paris_clocks_change_with_the_seasons() {
        let lender = Lender::new("Prêteur", "0 800 887 300", "Europe/Paris").unwrap();
        assert_eq!(date_time(1_795_822_200, &lender.zone), "28/11/2026 00:30");
        assert_eq!(date_time(1_782_907_200, &lender.zone), "01/07/2026 14:00");
        assert_eq!(lender.phone, "0\u{a0}800\u{a0}887\u{a0}300");
    }

    #[test]
    fn an_unknown_zone_or_no_name_is_refused() {
        assert!(Lender::new("Prêteur", "1", "Europe/Pariss").is_err());
        assert!(Lender::new(" ", "1", "Europe/Paris").is_err());
    }
}
