//! What every form keeps while it is filled in and sent, and the pattern they all follow:
//! the shared rules checked before anything is sent, the errors tied to their fields and
//! listed in the summary (which takes the focus), one sending at a time, the server's
//! refusal shown the same way, and, once a first submit was tried, errors that follow
//! every change (a fixed field stops being reported as the person types).

use std::future::Future;

use inscription_shared::{ErrorResponse, FieldError};
use leptos::prelude::*;

use super::{error_of, focus, ErrorSummary};

#[derive(Clone, Copy)]
pub struct FormState {
    pub errors: RwSignal<Vec<FieldError>>,
    /// A message that belongs to no field (service unavailable, ticket expired…).
    pub general: RwSignal<Option<String>>,
    /// A sending is under way: the button says so, and a second submit is ignored.
    pub pending: RwSignal<bool>,
    /// A submit was tried: errors now follow every change.
    submitted: RwSignal<bool>,
    /// What the local checks say of the fields now, once [`follow`](Self::follow) gave them.
    verdict: Option<Memo<Vec<FieldError>>>,
    /// The verdict when errors were last shown: only a change of it (the person fixed or
    /// broke a field) replaces them, not the form's own changes after an answer (a
    /// password cleared, a CAPTCHA to tick again), which keep the server's errors shown.
    shown: StoredValue<Vec<FieldError>>,
}

impl Default for FormState {
    fn default() -> Self {
        Self::new()
    }
}

impl FormState {
    pub fn new() -> Self {
        Self {
            errors: RwSignal::new(Vec::new()),
            general: RwSignal::new(None),
            pending: RwSignal::new(false),
            submitted: RwSignal::new(false),
            verdict: None,
            shown: StoredValue::new(Vec::new()),
        }
    }

    /// Checked with `check` (the shared rules, reading the fields' signals) at every change
    /// once a submit was tried; the server's own errors stay until then.
    pub fn follow(self, check: impl Fn() -> Vec<FieldError> + Send + Sync + 'static) -> Self {
        let verdict = Memo::new(move |_| check());
        Effect::new(move |_| {
            let found = verdict.get();
            let changed = self.shown.with_value(|shown| *shown != found);
            if changed && self.submitted.get_untracked() && !self.pending.get_untracked() {
                self.shown.set_value(found.clone());
                self.errors.set(found);
            }
        });
        Self {
            verdict: Some(verdict),
            ..self
        }
    }

    /// Takes the verdict as it is now as the one the errors shown stand for.
    fn mark_shown(self) {
        if let Some(verdict) = self.verdict {
            self.shown.set_value(verdict.get_untracked());
        }
    }

    /// The message of one field, once there is one.
    pub fn error(self, field: &'static str) -> Signal<Option<String>> {
        error_of(self.errors, field)
    }

    /// Starts a submit with what the local checks `found`: `false` (nothing is sent) while
    /// a sending is under way or when something was found, which the summary then lists.
    pub fn begin(self, found: Vec<FieldError>) -> bool {
        if self.pending.get_untracked() {
            return false;
        }
        self.submitted.set(true);
        self.general.set(None);
        let clean = found.is_empty();
        self.errors.set(found);
        self.mark_shown();
        if !clean {
            show_summary();
        }
        clean
    }

    /// Sends what passed [`begin`](Self::begin). On success `done` gets the answer; on a
    /// refusal the server's field errors are shown (its message alone when it names no
    /// field), then `refused` does what the form does more (clear a password…).
    pub fn send<T: 'static>(
        self,
        request: impl Future<Output = Result<T, ErrorResponse>> + 'static,
        done: impl FnOnce(T) + 'static,
        refused: impl FnOnce(&ErrorResponse) + 'static,
    ) {
        self.pending.set(true);
        leptos::task::spawn_local(async move {
            match request.await {
                Ok(answer) => {
                    // A new form starts: its errors wait for its own first submit.
                    self.submitted.set(false);
                    done(answer);
                }
                Err(error) => {
                    self.general
                        .set(error.fields.is_empty().then(|| error.message.clone()));
                    self.errors.set(error.fields.clone());
                    refused(&error);
                    self.mark_shown();
                    show_summary();
                }
            }
            self.pending.set(false);
        });
    }
}

/// The summary's anchor: after a failed submit, the focus goes there.
pub fn show_summary() {
    focus(super::fields::SUMMARY_ID);
}

/// The form around its fields: the error summary first, then the fields, submits handled
/// by `on_submit` (the browser's own submit is prevented, and its own validation off: the
/// shared rules say it in French).
#[component]
pub fn Form(
    state: FormState,
    on_submit: impl Fn() + 'static,
    #[prop(optional)] id: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <form class="form" id=id novalidate on:submit=move |ev| {
            ev.prevent_default();
            on_submit();
        }>
            <ErrorSummary errors=state.errors general=state.general/>
            {children()}
        </form>
    }
}

/// The form's main button: it says when the sending is under way.
#[component]
pub fn SubmitButton(
    state: FormState,
    label: &'static str,
    /// What it says while sending ("Envoi…").
    pending_label: &'static str,
) -> impl IntoView {
    view! {
        <button type="submit" class="button button--primary" aria-disabled=move || state.pending.get().then_some("true")>
            {move || if state.pending.get() { pending_label } else { label }}
        </button>
    }
}
