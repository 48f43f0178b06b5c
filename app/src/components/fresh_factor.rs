//! Proving the second factor again before a sensitive action (PRODUCT.md §3bis): shown
//! when the server answered that the session's proof is too old.

use inscription_shared::second_factor::{CodeRequest, CODE_FIELD, REAUTHENTICATE};
use inscription_shared::ErrorResponse;
use leptos::prelude::*;

use super::{Form, FormState, Outcome, SubmitButton, TextField};
use crate::api;

/// When an action asks the second factor again: the app's code or a recovery code (the
/// operator's with `operator`), or a passkey where the page offers one (`passkey` runs its
/// ceremony, saying a refusal in the form it is given); then the person starts the action
/// again. The passkey's part is the caller's, so that the back office, whose operators hold
/// none, does not carry it.
#[component]
pub fn FreshFactor(
    outcome: RwSignal<Option<Outcome>>,
    operator: bool,
    #[prop(optional)] passkey: Option<Callback<FormState>>,
) -> impl IntoView {
    let asked = move || matches!(outcome.get(), Some(Outcome::Failed(m)) if m == REAUTHENTICATE);
    move || {
        asked().then(|| {
            let code = RwSignal::new(String::new());
            let form = FormState::new();
            let submit = move || {
                if !form.begin(Vec::new()) {
                    return;
                }
                let request = CodeRequest {
                    code: code.get_untracked(),
                };
                let proved = move |()| {
                    let done = "Code accepté. Recommencez votre action.".to_owned();
                    outcome.set(Some(Outcome::Done(done)));
                };
                let request = async move { api::reauthenticate(operator, &request).await };
                form.send(request, proved, |_: &ErrorResponse| {});
            };
            let (button, code_said) = match passkey {
                Some(ceremony) => (
                    Some(view! {
                        <button type="button" class="button button--secondary" on:click=move |_| ceremony.run(form)>
                            "Utiliser ma clé d’accès"</button>
                    }),
                    " ou saisissez le code de votre application, ou un code de secours\u{a0}:",
                ),
                None => (
                    None,
                    "Saisissez le code de votre application, ou un code de secours\u{a0}:",
                ),
            };
            view! {
                <p>{button}{code_said}</p>
                <Form state=form on_submit=submit id="confirmation-identite">
                    <TextField id=CODE_FIELD label="Code à usage unique" value=code
                        autocomplete="one-time-code" error=form.error(CODE_FIELD)/>
                    <div class="form__actions">
                        <SubmitButton state=form label="Confirmer mon identité" pending_label="Vérification…"/>
                    </div>
                </Form>
            }
        })
    }
}
