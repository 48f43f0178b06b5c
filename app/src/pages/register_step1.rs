//! Registration wizard, step 1 of 2: the establishment's client number, with a live hint
//! from the shared parser on every keystroke, and the CAPTCHA.

use crate::router::use_navigate;
use inscription_shared::registration::{fields, Step1Request};
use inscription_shared::{ClientNumber, ClientNumberError, FieldError};
use leptos::prelude::*;

use crate::api;
use crate::components::{error_of, show_summary, Captcha, CaptchaState, ErrorSummary, Stepper};
use crate::layout::{set_title, SUPPORT_PHONE};
use crate::wizard;

/// What the live hint under the field says for what is typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumberHint {
    /// Nothing typed yet.
    None,
    Valid,
    Invalid(ClientNumberError),
}

impl NumberHint {
    pub fn of(typed: &str) -> Self {
        if typed.trim().is_empty() {
            return Self::None;
        }
        match ClientNumber::parse(typed) {
            Ok(_) => Self::Valid,
            Err(e) => Self::Invalid(e),
        }
    }
}

/// The client-number field: label, hint, live message (aria-live), one-click fix. The
/// contact and "not you?" forms use it too, under their own id, optional in the former.
#[component]
pub fn ClientNumberField(
    value: RwSignal<String>,
    error: Signal<Option<String>>,
    #[prop(default = fields::CLIENT_NUMBER)] id: &'static str,
    #[prop(optional)] optional: bool,
) -> impl IntoView {
    let hint = Memo::new(move |_| NumberHint::of(&value.get()));
    // The server's error, cleared by the page as soon as the number changes.
    let server_error = move || error.get();
    let invalid = move || matches!(hint.get(), NumberHint::Invalid(_)) || server_error().is_some();
    let (hint_id, message_id) = (format!("{id}-aide"), format!("{id}-message"));
    let described_by = format!("{hint_id} {message_id}");
    view! {
        <div class="field" class:field--error=invalid>
            <label class="field__label" for=id>
                "Numéro client"{optional.then_some(" (facultatif)")}
            </label>
            <p class="field__hint" id=hint_id>
                "5 ou 6 chiffres, sans les zéros du début. Exemple : 237517"
            </p>
            <input
                class="field__input field__input--number"
                id=id
                name=id
                type="text"
                inputmode="numeric"
                autocomplete="off"
                spellcheck="false"
                aria-invalid=move || invalid().then_some("true")
                aria-describedby=described_by
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            <div id=message_id class="live-hint" aria-live="polite">
                {move || match (hint.get(), server_error()) {
                    (NumberHint::Invalid(e), _) => view! {
                        <p class="field__error"><span class="visually-hidden">"Erreur : "</span>{e.to_string()}</p>
                    }.into_any(),
                    (_, Some(message)) => view! {
                        <p class="field__error"><span class="visually-hidden">"Erreur : "</span>{message}</p>
                    }.into_any(),
                    (NumberHint::Valid, None) => view! {
                        <p class="field__valid">"Format du numéro correct."</p>
                    }.into_any(),
                    (NumberHint::None, None) => ().into_any(),
                }}
            </div>
            {move || match hint.get() {
                NumberHint::Invalid(ClientNumberError::LeadingZeros { corrected }) => {
                    let fixed = corrected.to_string();
                    let label = format!("Corriger en {fixed}");
                    Some(view! {
                        <button type="button" class="button button--secondary button--small"
                            on:click=move |_| value.set(fixed.clone())>{label}</button>
                    })
                }
                _ => None,
            }}
        </div>
    }
}

/// The help beside the form: where to find the number, the tutorial, the support.
#[component]
pub fn Step1Help() -> impl IntoView {
    view! {
        <aside class="help" aria-labelledby="aide-titre">
            <h2 id="aide-titre" class="help__title">"Où trouver votre numéro client ?"</h2>
            <p>
                "Il figure sur la plupart des courriers et documents que le prêteur adresse à votre "
                "établissement : contrats de prêt, échéanciers de versement, avis d’échéance…"
            </p>
            <p>
                "Il y est souvent imprimé avec des zéros devant (000237517) : saisissez-le sans ces zéros."
            </p>
            <p>
                <a href="/documents/tutoriel-numero-client.pdf" download="tutoriel-numero-client.pdf" rel="external">
                    "Télécharger le tutoriel (PDF)"
                </a>
            </p>
            <p>
                "Si vous ne trouvez pas votre numéro, "
                <a href="/contact">"contactez-nous"</a>
                " ou appelez le "
                <a class="nowrap" href="tel:0800887300">{SUPPORT_PHONE}</a>
                " (service et appel gratuits)."
            </p>
        </aside>
    }
}

#[component]
pub fn RegisterStep1() -> impl IntoView {
    set_title("Créer mon compte — Étape 1 sur 2");
    let number = RwSignal::new(String::new());
    let captcha = RwSignal::new(CaptchaState::Idle);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let general = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let navigate = use_navigate();

    // A changed number or a new CAPTCHA answer clears what the server said of the old one.
    Effect::new(move |_| {
        number.track();
        errors.update(|e| e.retain(|f| f.field != fields::CLIENT_NUMBER));
    });
    Effect::new(move |_| {
        if captcha.with(|c| matches!(c, CaptchaState::Solved(_))) {
            errors.update(|e| e.retain(|f| f.field != fields::CAPTCHA));
        }
    });

    // Sends the number with a solved CAPTCHA's token.
    let send = move |token: String| {
        let request = Step1Request {
            client_number: number.get_untracked(),
            captcha: token,
        };
        pending.set(true);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match api::step1(&request).await {
                Ok(answer) => {
                    wizard::save_step1(&answer);
                    navigate("/inscription/etape-2");
                }
                Err(error) => {
                    // A CAPTCHA answer serves once: the box must be ticked again.
                    captcha.set(CaptchaState::Idle);
                    if error.fields.is_empty() {
                        general.set(Some(error.message));
                    }
                    errors.set(error.fields);
                    show_summary();
                }
            }
            pending.set(false);
        });
    };
    // Valider pressed while the CAPTCHA check still runs: the page says it waits, then
    // goes on by itself once the check ends (or says why not).
    let waiting = RwSignal::new(false);
    Effect::new({
        let send = send.clone();
        move |_| {
            if !waiting.get() {
                return;
            }
            match captcha.get() {
                CaptchaState::Solving => {}
                CaptchaState::Solved(token) => {
                    waiting.set(false);
                    send(token);
                }
                CaptchaState::Idle | CaptchaState::Failed(_) => {
                    waiting.set(false);
                    pending.set(false);
                    errors.set(vec![FieldError::new(
                        fields::CAPTCHA,
                        "La vérification «\u{a0}Je ne suis pas un robot\u{a0}» n’a pas abouti\u{a0}: cochez de nouveau la case.",
                    )]);
                    show_summary();
                }
            }
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        general.set(None);
        let mut found = Vec::new();
        if let Err(e) = ClientNumber::parse(&number.get_untracked()) {
            found.push(FieldError::new(fields::CLIENT_NUMBER, e.to_string()));
        }
        let state = captcha.get_untracked();
        if matches!(state, CaptchaState::Idle | CaptchaState::Failed(_)) {
            found.push(FieldError::new(
                fields::CAPTCHA,
                "Cochez la case «\u{a0}Je ne suis pas un robot\u{a0}».",
            ));
        }
        if !found.is_empty() {
            errors.set(found);
            show_summary();
            return;
        }
        errors.set(Vec::new());
        match state {
            CaptchaState::Solved(token) => send(token),
            _ => {
                pending.set(true);
                waiting.set(true);
            }
        }
    };
    let go_home = use_navigate();
    let cancel = move |_| {
        wizard::clear();
        go_home("/");
    };

    view! {
        <h1>"Créer mon compte"</h1>
        <Stepper step=1 title="Votre établissement" next="Vos informations"/>
        <div class="with-help">
            <form class="form" novalidate on:submit=submit>
                <ErrorSummary errors general/>
                <p class="form__required">"Tous les champs sont obligatoires."</p>
                <ClientNumberField value=number error=error_of(errors, fields::CLIENT_NUMBER)/>
                <Captcha state=captcha error=error_of(errors, fields::CAPTCHA)/>
                <div class="form__actions">
                    <button type="button" class="button button--secondary" on:click=cancel>"Annuler"</button>
                    <button type="submit" class="button button--primary" aria-disabled=move || pending.get().then_some("true")>
                        {move || if pending.get() { "Vérification…" } else { "Valider" }}
                    </button>
                </div>
                <p class="form__status" aria-live="polite">
                    {move || waiting.get().then_some(
                        "Votre demande partira dès la fin de la vérification «\u{a0}Je ne suis pas un robot\u{a0}»…"
                    )}
                </p>
            </form>
            <Step1Help/>
        </div>
    }
}
