//! The retention durations (PRODUCT.md §12) as a person reads them on "Données
//! personnelles": the server writes the configured ones into the pages'
//! `<meta name="inscription-retention">`, in days, in this order, and the page reads them.

/// The name of the `<meta>` tag.
pub const META: &str = "inscription-retention";

/// How many days each kind of personal data is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Durations {
    /// Access requests whose e-mail address was never confirmed, from the request.
    pub unverified_requests: u32,
    /// Refused requests, cancelled accounts and candidacies, from their closing.
    pub closed_accounts: u32,
    /// Sent or abandoned e-mails, from their queueing.
    pub emails: u32,
    /// Handled contact messages, from their handling.
    pub contact_messages: u32,
    /// Audit events, before they are pseudonymised.
    pub audit_events: u32,
}

impl Durations {
    /// The defaults of the configuration.
    pub const DEFAULT: Self = Self {
        unverified_requests: 7,
        closed_accounts: 90,
        emails: 30,
        contact_messages: 365,
        audit_events: 365,
    };

    /// The `<meta>` tag's content: the five numbers, space-separated.
    pub fn to_meta(&self) -> String {
        format!(
            "{} {} {} {} {}",
            self.unverified_requests,
            self.closed_accounts,
            self.emails,
            self.contact_messages,
            self.audit_events
        )
    }

    /// Reads what [`Self::to_meta`] wrote; `None` for anything else.
    pub fn from_meta(content: &str) -> Option<Self> {
        let mut days = content.split(' ').map(|n| n.parse::<u32>().ok());
        let mut next = || days.next().flatten();
        let durations = Self {
            unverified_requests: next()?,
            closed_accounts: next()?,
            emails: next()?,
            contact_messages: next()?,
            audit_events: next()?,
        };
        next().is_none().then_some(durations)
    }
}

#[cfg(test)]
mod tests {
    use super::Durations;
    use proptest::prelude::*;

    #[test]
    fn the_defaults_read_back() {
        assert_eq!(Durations::DEFAULT.to_meta(), "7 90 30 365 365");
        assert_eq!(
            Durations::from_meta("7 90 30 365 365"),
            Some(Durations::DEFAULT)
        );
    }

    #[test]
    fn anything_else_is_refused() {
        for content in [
            "",
            "7 90 30 365",
            "7 90 30 365 365 1",
            "7 90 trente 365 365",
            "7  90 30 365 365",
            "-7 90 30 365 365",
        ] {
            assert_eq!(Durations::from_meta(content), None, "{content:?}");
        }
    }

    proptest! {
        #[test]
        fn every_durations_round_trip(a: u32, b: u32, c: u32, d: u32, e: u32) {
            let durations = Durations { unverified_requests: a, closed_accounts: b, emails: c, contact_messages: d, audit_events: e };
            prop_assert_eq!(Durations::from_meta(&durations.to_meta()), Some(durations));
        }
    }
}
