//! The local e-mail outbox: what the product sent, or would send when SMTP is not set.

use leptos::prelude::*;

use super::{when, OperatorFrame};
use crate::api;
use crate::components::load;
use inscription_shared::operator::EmailView;

/// Where an e-mail stands: sent, waiting for its next try, or abandoned.
fn delivery(email: &EmailView) -> String {
    let tries = |n: i64| {
        if n == 1 {
            "1 essai".to_owned()
        } else {
            format!("{n}\u{a0}essais")
        }
    };
    match (email.sent_at, email.failed_at) {
        (Some(_), _) => " — envoyé".into(),
        (None, Some(_)) => format!(
            " — échec définitif après {}\u{a0}: {}",
            tries(email.attempts),
            email.last_error
        ),
        (None, None) if email.attempts > 0 => format!(
            " — non envoyé, nouvel essai prévu ({} en échec)",
            tries(email.attempts)
        ),
        (None, None) => " — non envoyé".into(),
    }
}

#[component]
pub fn OperatorEmails() -> impl IntoView {
    let outbox = load(api::operator::emails);
    view! {
        <OperatorFrame title="Courriels">
            {outbox.view(|outbox| view! {
                {if outbox.smtp {
                    view! { <p>"Les courriels partent par le serveur SMTP configuré\u{a0}; voici les plus récents."</p> }.into_any()
                } else {
                    view! { <div class="notice notice--warning"><p>"Aucun serveur SMTP n’est configuré\u{a0}: les courriels restent ici, dans la boîte d’envoi locale."</p></div> }.into_any()
                }}
                {if outbox.emails.is_empty() {
                    view! { <p>"Aucun courriel."</p> }.into_any()
                } else {
                    outbox.emails.iter().cloned().map(|email| { let delivered = delivery(&email); view! {
                        <details class="email">
                            <summary>
                                <strong>{email.subject}</strong>" — à "{email.recipient}" — "
                                {when(Some(email.created_at))}
                                {delivered}
                            </summary>
                            <pre class="email__body">{email.body}</pre>
                        </details>
                    }}).collect_view().into_any()
                }}
            })}
        </OperatorFrame>
    }
}
