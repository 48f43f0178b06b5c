//! Messages sent with the contact form: new ones first, marked handled once answered.

use inscription_shared::french::plural;
use inscription_shared::operator::ContactMessageView;
use leptos::prelude::*;

use super::{when, OperatorFrame};
use crate::api;
use crate::components::{load, run, Outcome, OutcomeNotice};

#[component]
fn Message(
    message: ContactMessageView,
    outcome: RwSignal<Option<Outcome>>,
    reload: Callback<()>,
) -> impl IntoView {
    let (id, handled) = (message.id, message.handled);
    let toggle = move |_| {
        run(
            outcome,
            move || reload.run(()),
            move |()| {
                if handled {
                    "Message remis à traiter.".into()
                } else {
                    "Message marqué comme traité.".into()
                }
            },
            api::operator::set_handled(id, !handled),
        )
    };
    let heading = format!("message-{id}");
    let labelled_by = heading.clone();
    view! {
        <article class="request" class:request--handled=handled aria-labelledby=labelled_by>
            <h2 id=heading>{message.subject}</h2>
            <p class="muted">
                {format!("{} — {} — reçu le {}", message.name, message.email, when(Some(message.created_at)))}
                {(!message.client_number.is_empty()).then(|| format!(" — numéro client {}", message.client_number))}
            </p>
            <p class="message-text">{message.message}</p>
            <p>
                <strong>{if handled { "Traité" } else { "Nouveau" }}</strong>" "
                <button type="button" class="button button--secondary button--small" on:click=toggle>
                    {if handled { "Remettre à traiter" } else { "Marquer comme traité" }}
                </button>
            </p>
        </article>
    }
}

#[component]
pub fn OperatorMessages() -> impl IntoView {
    let messages = load(api::operator::messages);
    let outcome = RwSignal::new(None::<Outcome>);
    let reload = Callback::new(move |()| messages.reload());
    view! {
        <OperatorFrame title="Messages de contact">
            <OutcomeNotice outcome/>
            {messages.view(move |list| {
                if list.is_empty() {
                    return view! { <p>"Aucun message."</p> }.into_any();
                }
                let new = list.iter().filter(|m| !m.handled).count();
                view! {
                    <p>{format!("{} à traiter.", plural(new, "message", "messages"))}</p>
                    {list.iter().cloned().map(|message| view! { <Message message outcome reload/> }).collect_view()}
                }.into_any()
            })}
        </OperatorFrame>
    }
}
