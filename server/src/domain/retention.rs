//! How long personal data is kept (PRODUCT.md §12), and what a pass erases once it has
//! outlived its duration: the rules, free of SQL (`db::retention` carries them out, in the
//! periodic sweep). The durations are configuration; the README's "Retention" table gives
//! each one's legal basis. A pass is recorded as counts, never as names.

use inscription_shared::french::plural;
use inscription_shared::retention::Durations;

const DEFAULT: Durations = Durations::DEFAULT;

/// The durations, in days, as configured.
#[derive(Debug, Clone, clap::Args)]
pub struct RetentionDays {
    /// Access requests whose e-mail address was never confirmed are erased this many days
    /// after they were made (the confirmation link lasts 48 hours).
    #[arg(long, env = "UNVERIFIED_REQUEST_RETENTION_DAYS", default_value_t = DEFAULT.unverified_requests)]
    pub unverified_requests: u32,
    /// Refused requests and cancelled accounts or candidacies are erased this many days
    /// after they were closed.
    #[arg(long, env = "CLOSED_ACCOUNT_RETENTION_DAYS", default_value_t = DEFAULT.closed_accounts)]
    pub closed_accounts: u32,
    /// Sent (or abandoned) e-mails are deleted this many days after they were queued.
    #[arg(long, env = "EMAIL_RETENTION_DAYS", default_value_t = DEFAULT.emails)]
    pub emails: u32,
    /// Handled contact messages are deleted this many days after they were handled.
    #[arg(long, env = "CONTACT_MESSAGE_RETENTION_DAYS", default_value_t = DEFAULT.contact_messages)]
    pub contact_messages: u32,
    /// Audit events lose their address and details (they stay, pseudonymised) this many
    /// days after they happened.
    #[arg(long, env = "AUDIT_RETENTION_DAYS", default_value_t = DEFAULT.audit_events)]
    pub audit_events: u32,
}

impl Default for RetentionDays {
    fn default() -> Self {
        Self::from(DEFAULT)
    }
}

impl From<Durations> for RetentionDays {
    fn from(d: Durations) -> Self {
        Self {
            unverified_requests: d.unverified_requests,
            closed_accounts: d.closed_accounts,
            emails: d.emails,
            contact_messages: d.contact_messages,
            audit_events: d.audit_events,
        }
    }
}

const DAY: i64 = 86_400;

impl RetentionDays {
    /// Refuses a duration that would erase what a rule still reads: a request before its
    /// confirmation link ends, anything at once.
    pub fn check(&self) -> anyhow::Result<()> {
        let durations = [
            (
                "UNVERIFIED_REQUEST_RETENTION_DAYS",
                self.unverified_requests,
                2,
            ),
            ("CLOSED_ACCOUNT_RETENTION_DAYS", self.closed_accounts, 1),
            ("EMAIL_RETENTION_DAYS", self.emails, 1),
            ("CONTACT_MESSAGE_RETENTION_DAYS", self.contact_messages, 1),
            ("AUDIT_RETENTION_DAYS", self.audit_events, 1),
        ];
        for (name, days, least) in durations {
            anyhow::ensure!(
                days >= least,
                "{name} must be at least {least} (it is {days})"
            );
        }
        Ok(())
    }

    /// The durations as the "Données personnelles" page shows them.
    pub fn durations(&self) -> Durations {
        Durations {
            unverified_requests: self.unverified_requests,
            closed_accounts: self.closed_accounts,
            emails: self.emails,
            contact_messages: self.contact_messages,
            audit_events: self.audit_events,
        }
    }

    /// The moments before which each kind of data goes, seen at `now`.
    pub fn cutoffs(&self, now: i64, sessions: SessionLimits) -> Cutoffs {
        Cutoffs {
            now,
            unverified_requests: now - i64::from(self.unverified_requests) * DAY,
            closed_accounts: now - i64::from(self.closed_accounts) * DAY,
            emails: now - i64::from(self.emails) * DAY,
            contact_messages: now - i64::from(self.contact_messages) * DAY,
            audit_events: now - i64::from(self.audit_events) * DAY,
            sessions_seen: now - sessions.idle_seconds,
            sessions_begun: now - sessions.absolute_seconds,
        }
    }
}

/// The session timeouts: a session past either has ended, and its row can go.
#[derive(Debug, Clone, Copy)]
pub struct SessionLimits {
    pub idle_seconds: i64,
    pub absolute_seconds: i64,
}

/// Unix times: rows older than these are past their retention.
#[derive(Debug, Clone, Copy)]
pub struct Cutoffs {
    pub now: i64,
    /// Unverified requests made before this.
    pub unverified_requests: i64,
    /// Refused or cancelled accounts closed before this.
    pub closed_accounts: i64,
    /// Sent or abandoned e-mails queued before this.
    pub emails: i64,
    /// Contact messages handled before this.
    pub contact_messages: i64,
    /// Audit events that happened before this.
    pub audit_events: i64,
    /// Sessions last used before this, or begun before `sessions_begun`.
    pub sessions_seen: i64,
    pub sessions_begun: i64,
}

/// What one pass erased, counted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Erased {
    pub unverified_requests: u64,
    pub closed_accounts: u64,
    pub emails: u64,
    pub contact_messages: u64,
    pub sessions: u64,
    /// The online services' authorizations of ended portal sessions.
    pub authorizations: u64,
    pub links: u64,
    pub audit_events: u64,
}

impl Erased {
    pub fn total(&self) -> u64 {
        self.unverified_requests
            + self.closed_accounts
            + self.emails
            + self.contact_messages
            + self.sessions
            + self.authorizations
            + self.links
            + self.audit_events
    }

    /// The audit event's details: each count that is not zero, in words.
    pub fn summary(&self) -> String {
        let parts = [
            (
                self.unverified_requests,
                "demande non vérifiée effacée",
                "demandes non vérifiées effacées",
            ),
            (
                self.closed_accounts,
                "compte refusé ou annulé effacé",
                "comptes refusés ou annulés effacés",
            ),
            (self.emails, "courriel supprimé", "courriels supprimés"),
            (
                self.contact_messages,
                "message de contact supprimé",
                "messages de contact supprimés",
            ),
            (
                self.sessions,
                "session expirée supprimée",
                "sessions expirées supprimées",
            ),
            (
                self.authorizations,
                "autorisation de service en ligne supprimée",
                "autorisations de services en ligne supprimées",
            ),
            (
                self.links,
                "lien expiré supprimé",
                "liens expirés supprimés",
            ),
            (
                self.audit_events,
                "événement du journal pseudonymisé",
                "événements du journal pseudonymisés",
            ),
        ];
        parts
            .into_iter()
            .filter(|(n, _, _)| *n > 0)
            .map(|(n, one, many)| plural(n, one, many))
            .collect::<Vec<_>>()
            .join("\u{a0}; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_names_only_what_went_with_its_plural() {
        let erased = Erased {
            unverified_requests: 1,
            emails: 3,
            audit_events: 1_200,
            ..Erased::default()
        };
        assert_eq!(
            erased.summary(),
            "1\u{a0}demande non vérifiée effacée\u{a0}; 3\u{a0}courriels supprimés\u{a0}; \
             1\u{202f}200\u{a0}événements du journal pseudonymisés"
        );
        assert_eq!(erased.total(), 1_204);
        assert_eq!(Erased::default().summary(), "");
    }

    #[test]
    fn durations_shorter_than_what_rules_read_are_refused() {
        assert!(RetentionDays::default().check().is_ok());
        let early = RetentionDays {
            unverified_requests: 1,
            ..RetentionDays::default()
        };
        assert!(
            early.check().is_err(),
            "the confirmation link lasts 48 hours"
        );
        let never = RetentionDays {
            audit_events: 0,
            ..RetentionDays::default()
        };
        assert!(never.check().is_err());
    }

    #[test]
    fn cutoffs_count_back_from_now() {
        let limits = SessionLimits {
            idle_seconds: 1_800,
            absolute_seconds: 43_200,
        };
        let c = RetentionDays::default().cutoffs(1_000_000_000, limits);
        assert_eq!(c.unverified_requests, 1_000_000_000 - 7 * DAY);
        assert_eq!(c.audit_events, 1_000_000_000 - 365 * DAY);
        assert_eq!(c.sessions_seen, 1_000_000_000 - 1_800);
        assert_eq!(c.sessions_begun, 1_000_000_000 - 43_200);
    }
}
