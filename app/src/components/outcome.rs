//! What the last action of a console said: a confirmation or an error, announced politely.

use std::future::Future;

use inscription_shared::ErrorResponse;
use leptos::prelude::*;

#[derive(Clone, PartialEq)]
pub enum Outcome {
    Done(String),
    Failed(String),
}

/// Runs an action, then says how it went and reloads the page's data, except after a
/// refusal of what was typed (422): nothing changed, and the input stays for a new try.
pub fn run<T: 'static>(
    outcome: RwSignal<Option<Outcome>>,
    reload: impl Fn() + 'static,
    done: impl FnOnce(T) -> String + 'static,
    action: impl Future<Output = Result<T, ErrorResponse>> + 'static,
) {
    leptos::task::spawn_local(async move {
        match action.await {
            Ok(value) => {
                outcome.set(Some(Outcome::Done(done(value))));
                reload();
            }
            Err(error) => {
                let input_refused = error.status == 422;
                outcome.set(Some(Outcome::Failed(error.message)));
                if !input_refused {
                    reload();
                }
            }
        }
    });
}

/// The live region where the outcome is announced.
#[component]
pub fn OutcomeNotice(outcome: RwSignal<Option<Outcome>>) -> impl IntoView {
    view! {
        <div aria-live="polite" class="live-hint">
            {move || outcome.get().map(|o| match o {
                Outcome::Done(message) => view! { <div class="notice notice--success"><p>{message}</p></div> }.into_any(),
                Outcome::Failed(message) => view! { <div class="notice notice--error" role="alert"><p>{message}</p></div> }.into_any(),
            })}
        </div>
    }
}
