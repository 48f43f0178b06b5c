//! Labelled fields with their hint and error, and the error summary.

use inscription_shared::identity::Civility;
use inscription_shared::FieldError;
use leptos::prelude::*;

use super::focus;

/// Ids of the hint and error of a field, as `aria-describedby` lists them.
fn described_by(id: &str, hint: bool, error: bool) -> Option<String> {
    let mut ids = Vec::new();
    if hint {
        ids.push(format!("{id}-aide"));
    }
    if error {
        ids.push(format!("{id}-erreur"));
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// A text input with its label, optional hint, and its error once there is one.
#[component]
pub fn TextField(
    /// Element id, also the field's name in the API's errors.
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    error: Signal<Option<String>>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    /// Content shown right under the input (a live hint, a checklist…).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class="field" class:field--error=move || error.with(Option::is_some)>
            <label class="field__label" for=id>{label}</label>
            {hint.map(|hint| view! { <p class="field__hint" id=format!("{id}-aide")>{hint}</p> })}
            {move || error.get().map(|message| view! {
                <p class="field__error" id=format!("{id}-erreur")>
                    <span class="visually-hidden">"Erreur\u{a0}: "</span>{message}
                </p>
            })}
            <input
                class="field__input"
                id=id
                name=id
                type=input_type
                autocomplete=autocomplete
                inputmode=inputmode
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=move || described_by(id, hint.is_some(), error.with(Option::is_some))
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            {children.map(|c| c())}
        </div>
    }
}

/// A field's error paragraph, once there is one.
fn error_line(id: &'static str, error: Signal<Option<String>>) -> impl IntoView {
    move || {
        error.get().map(|message| {
            view! {
                <p class="field__error" id=format!("{id}-erreur")>
                    <span class="visually-hidden">"Erreur\u{a0}: "</span>{message}
                </p>
            }
        })
    }
}

/// A multi-line text with its label, hint and error.
#[component]
pub fn TextAreaField(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    error: Signal<Option<String>>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = 6)] rows: u32,
    #[prop(optional)] maxlength: Option<usize>,
) -> impl IntoView {
    view! {
        <div class="field" class:field--error=move || error.with(Option::is_some)>
            <label class="field__label" for=id>{label}</label>
            {hint.map(|hint| view! { <p class="field__hint" id=format!("{id}-aide")>{hint}</p> })}
            {error_line(id, error)}
            <textarea
                class="field__input"
                id=id
                name=id
                rows=rows
                maxlength=maxlength
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=move || described_by(id, hint.is_some(), error.with(Option::is_some))
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            ></textarea>
        </div>
    }
}

/// A choice among fixed options, with a first empty "choose" option.
#[component]
pub fn SelectField(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    error: Signal<Option<String>>,
    options: &'static [&'static str],
) -> impl IntoView {
    let options: Vec<(String, String)> = options
        .iter()
        .map(|option| ((*option).to_owned(), (*option).to_owned()))
        .collect();
    view! { <ChoiceField id label value error options=Signal::stored(options)/> }
}

/// A choice among options known at run time (value, label), with a first empty one.
#[component]
pub fn ChoiceField(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    error: Signal<Option<String>>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
) -> impl IntoView {
    view! {
        <div class="field" class:field--error=move || error.with(Option::is_some)>
            <label class="field__label" for=id>{label}</label>
            {error_line(id, error)}
            <select
                class="field__input"
                id=id
                name=id
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=move || described_by(id, false, error.with(Option::is_some))
                on:change=move |ev| value.set(event_target_value(&ev))
            >
                <option value="" selected=move || value.with(String::is_empty)>"Choisissez…"</option>
                {move || options.get().into_iter().map(|(code, text)| {
                    let selected = code.clone();
                    view! { <option value=code selected=move || value.get() == selected>{text}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// A required checkbox with its label and error.
#[component]
pub fn Checkbox(
    id: &'static str,
    checked: RwSignal<bool>,
    error: Signal<Option<String>>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="field field--checkbox" class:field--error=move || error.with(Option::is_some)>
            {move || error.get().map(|message| view! {
                <p class="field__error" id=format!("{id}-erreur")>
                    <span class="visually-hidden">"Erreur\u{a0}: "</span>{message}
                </p>
            })}
            <div class="checkbox">
                <input
                    type="checkbox"
                    id=id
                    name=id
                    aria-invalid=move || error.with(Option::is_some).then_some("true")
                    aria-describedby=move || described_by(id, false, error.with(Option::is_some))
                    prop:checked=move || checked.get()
                    on:change=move |ev| checked.set(event_target_checked(&ev))
                />
                <label for=id>{children()}</label>
            </div>
        </div>
    }
}

/// Madame / Monsieur, as a group of radio buttons.
#[component]
pub fn CivilityField(value: RwSignal<String>, error: Signal<Option<String>>) -> impl IntoView {
    let id = "civilite";
    view! {
        <fieldset
            class="field field--radios"
            class:field--error=move || error.with(Option::is_some)
            id=id
            tabindex="-1"
            aria-describedby=move || described_by(id, false, error.with(Option::is_some))
        >
            <legend class="field__label">"Civilité"</legend>
            {move || error.get().map(|message| view! {
                <p class="field__error" id=format!("{id}-erreur")>
                    <span class="visually-hidden">"Erreur\u{a0}: "</span>{message}
                </p>
            })}
            <div class="radios">
                {Civility::ALL.into_iter().map(|civility| {
                    let label = civility.label();
                    let radio_id = format!("{id}-{}", label.to_ascii_lowercase());
                    view! {
                        <div class="radio">
                            <input
                                type="radio"
                                name=id
                                id=radio_id.clone()
                                value=label
                                prop:checked=move || value.get() == label
                                on:change=move |_| value.set(label.to_owned())
                            />
                            <label for=radio_id>{label}</label>
                        </div>
                    }
                }).collect_view()}
            </div>
        </fieldset>
    }
}

pub const SUMMARY_ID: &str = "resume-erreurs";

/// The list of a form's errors, each a link to its field (shown after a failed submit).
#[component]
pub fn ErrorSummary(
    errors: RwSignal<Vec<FieldError>>,
    /// A message that belongs to no field (service unavailable, ticket expired…).
    general: RwSignal<Option<String>>,
) -> impl IntoView {
    view! {
        <div id=SUMMARY_ID tabindex="-1" class="error-summary-anchor">
            <Show when=move || errors.with(|e| !e.is_empty()) || general.with(Option::is_some)>
                <div class="error-summary" role="alert" aria-labelledby="resume-erreurs-titre">
                    <h2 id="resume-erreurs-titre" class="error-summary__title">
                        {move || match errors.with(Vec::len) {
                            0 => "Votre demande n’a pas abouti".to_owned(),
                            1 => "Le formulaire contient 1 erreur".to_owned(),
                            n => format!("Le formulaire contient {n} erreurs"),
                        }}
                    </h2>
                    {move || general.get().map(|m| view! { <p>{m}</p> })}
                    <ul>
                        {move || errors.get().into_iter().map(|e| {
                            let target = e.field.clone();
                            let href = format!("#{}", e.field);
                            view! {
                                <li>
                                    <a href=href on:click=move |ev| {
                                        ev.prevent_default();
                                        focus(target.clone());
                                    }>{e.message}</a>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </div>
            </Show>
        </div>
    }
}
