//! The local e-mail outbox: what the product sent, or would send when SMTP is not set.

use leptos::prelude::*;

use super::{when, OperatorFrame};
use crate::api;
use crate::components::load;

#[component]
pub fn OperatorEmails() -> impl IntoView {
    let outbox = load(api::operator::emails);
    view! {
        <OperatorFrame title="Courriels">
            {outbox.view(|outbox| view! {
                {if outbox.smtp {
                    view! { <p>"Les courriels partent par le serveur SMTP configuré ; voici les plus récents."</p> }.into_any()
                } else {
                    view! { <div class="notice notice--warning"><p>"Aucun serveur SMTP n’est configuré : les courriels restent ici, dans la boîte d’envoi locale."</p></div> }.into_any()
                }}
                {if outbox.emails.is_empty() {
                    view! { <p>"Aucun courriel."</p> }.into_any()
                } else {
                    outbox.emails.iter().cloned().map(|email| view! {
                        <details class="email">
                            <summary>
                                <strong>{email.subject}</strong>" — à "{email.recipient}" — "
                                {when(Some(email.created_at))}
                                {if email.sent_at.is_some() { " — envoyé" } else { " — non envoyé" }}
                            </summary>
                            <pre class="email__body">{email.body}</pre>
                        </details>
                    }).collect_view().into_any()
                }}
            })}
        </OperatorFrame>
    }
}
