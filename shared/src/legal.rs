//! What the legal pages say that depends on the configuration: written once for the app,
//! which draws the pages, and for the server, which paints them ahead with its own
//! configuration (`server/src/static_files.rs`).

use crate::french::plural;
use crate::retention::Durations;

/// The legal notice's host when none is configured: the lender itself.
pub fn self_hosted(lender: &str) -> String {
    format!("{lender}, sur ses propres serveurs.")
}

/// The personal data page's table: each kind of data, and how long it is kept.
pub fn kept(d: &Durations) -> [(&'static str, String); 7] {
    let days = |n: u32| plural(n, "jour", "jours");
    [
        ("Compte ouvert", "tant que le compte est ouvert".to_owned()),
        (
            "Demande d’accès dont l’adresse électronique n’a pas été confirmée",
            format!("{} après la demande", days(d.unverified_requests)),
        ),
        (
            "Demande refusée, compte ou candidature annulés",
            format!("{} après la clôture", days(d.closed_accounts)),
        ),
        (
            "Courriels envoyés",
            format!("{} après l’envoi", days(d.emails)),
        ),
        (
            "Messages du formulaire de contact",
            format!("{} après leur traitement", days(d.contact_messages)),
        ),
        (
            "Sessions, liens de confirmation et de réinitialisation",
            "jusqu’à leur expiration".to_owned(),
        ),
        (
            "Journal des événements de sécurité",
            format!(
                "{}, puis pseudonymisé (adresse IP et détails effacés)",
                days(d.audit_events)
            ),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_duration_is_said_once_in_days() {
        let d = Durations {
            unverified_requests: 1,
            closed_accounts: 2,
            emails: 3,
            contact_messages: 4,
            audit_events: 5,
        };
        let said: Vec<String> = kept(&d).into_iter().map(|(_, how_long)| how_long).collect();
        assert_eq!(said[1], "1\u{a0}jour après la demande");
        for (row, n) in [(2, 2), (3, 3), (4, 4), (6, 5)] {
            assert!(
                said[row].starts_with(&format!("{n}\u{a0}jours")),
                "{}",
                said[row]
            );
        }
        // The server finds each row's text in the painted page: no two alike.
        let defaults = kept(&Durations::DEFAULT);
        for (i, (_, a)) in defaults.iter().enumerate() {
            assert!(defaults[i + 1..].iter().all(|(_, b)| a != b));
        }
    }
}
