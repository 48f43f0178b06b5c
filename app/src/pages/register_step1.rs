//! Registration wizard, step 1 of 2: the establishment's client number, with a live hint
//! from the shared parser on every keystroke, and the CAPTCHA.

use crate::router::use_navigate;
use inscription_shared::pages::Page;
use inscription_shared::registration::{fields, Step1Request};
use inscription_shared::{ClientNumber, FieldError, NumberHint, Tone};
use leptos::prelude::*;

use crate::api;
use crate::components::{
    show_summary, Captcha, CaptchaState, Form, FormState, Stepper, SubmitButton,
};
use crate::layout::{set_title, SupportPhone};
use crate::wizard;

/// The client-number field: label, hint, live message, one-click fix. The contact and
/// "not you?" forms use it too, under their own id, optional in the former. What it says
/// is the shared crate's [`NumberHint`]: guidance while typing, the verdict on leaving.
#[component]
pub fn ClientNumberField(
    value: RwSignal<String>,
    error: Signal<Option<String>>,
    #[prop(default = fields::CLIENT_NUMBER)] id: &'static str,
    #[prop(optional)] optional: bool,
) -> impl IntoView {
    let left = RwSignal::new(false);
    let hint = Memo::new(move |_| {
        value.with(|typed| {
            if left.get() {
                NumberHint::settled(typed)
            } else {
                NumberHint::typing(typed)
            }
        })
    });
    // The form's error (from Valider or the server) until the number changes.
    let shown = Memo::new(move |_| match error.get() {
        Some(message) => (Tone::Error, Some(message)),
        None => hint.with(|h| (h.tone(), h.message())),
    });
    // Screen readers hear each message once: the digit count is left out, and an
    // unchanged text is not written again.
    let announced = Memo::new(move |_| match error.get() {
        Some(message) => Some(format!("Erreur\u{a0}: {message}")),
        None => hint.with(|h| {
            let text = h.announcement()?;
            Some(if h.tone() == Tone::Error {
                format!("Erreur\u{a0}: {text}")
            } else {
                text
            })
        }),
    });
    let invalid = move || shown.with(|(tone, _)| *tone == Tone::Error);
    let (hint_id, message_id) = (format!("{id}-aide"), format!("{id}-message"));
    let described_by = format!("{hint_id} {message_id}");
    view! {
        <div class="field" class:field--error=invalid>
            <label class="field__label" for=id>
                "Numéro client"{optional.then_some(" (facultatif)")}
            </label>
            <p class="field__hint" id=hint_id>
                "5 ou 6\u{a0}chiffres, sans les zéros du début. Exemple\u{a0}: 237517"
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
                on:input=move |ev| {
                    left.set(false);
                    value.set(event_target_value(&ev));
                }
                on:blur=move |_| left.set(true)
            />
            <div class="live-hint">
                <p id=message_id
                    class:field__error=move || shown.with(|(tone, _)| *tone == Tone::Error)
                    class:field__valid=move || shown.with(|(tone, _)| *tone == Tone::Valid)
                    class:field__progress=move || shown.with(|(tone, _)| *tone == Tone::Neutral)>
                    {move || shown.with(|(_, text)| text.clone())}
                </p>
            </div>
            <p class="visually-hidden" id=format!("{id}-annonce") aria-live="polite">{move || announced.get()}</p>
            {move || hint.with(|h| h.fix().map(|corrected| {
                let fixed = corrected.to_string();
                let label = format!("Corriger en {fixed}");
                view! {
                    <button type="button" class="button button--secondary button--small"
                        on:click=move |_| value.set(fixed.clone())>{label}</button>
                }
            }))}
        </div>
    }
}

/// The help beside the form: where to find the number, the tutorial, the support.
#[component]
pub fn Step1Help() -> impl IntoView {
    view! {
        <aside class="help" aria-labelledby="aide-titre">
            <h2 id="aide-titre" class="help__title">"Où trouver votre numéro client\u{a0}?"</h2>
            <p>
                "Il figure sur la plupart des courriers et documents que nous adressons à votre "
                "établissement\u{a0}: contrats de prêt, échéanciers de versement, avis d’échéance…"
            </p>
            <p>
                "Il y est souvent imprimé avec des zéros devant (000237517)\u{a0}: saisissez-le sans ces zéros."
            </p>
            <p>
                <a href="/documents/tutoriel-inscription.pdf" download="tutoriel-inscription.pdf" rel="external">
                    "Télécharger le tutoriel d’inscription (PDF)"
                </a>
            </p>
            <p>
                "Si vous ne trouvez pas votre numéro, "
                <a href=Page::Contact.path()>"contactez-nous"</a>
                " ou appelez le "
                <SupportPhone/>
                " (service et appel gratuits)."
            </p>
        </aside>
    }
}

#[component]
pub fn RegisterStep1() -> impl IntoView {
    set_title("Créer mon compte — Étape 1 sur 2");
    let number = RwSignal::new(wizard::number().unwrap_or_default());
    let captcha = RwSignal::new(CaptchaState::Idle);
    // No `follow`: the number's own live hint speaks while it is typed.
    let form = FormState::new();
    let FormState {
        errors, pending, ..
    } = form;
    let navigate = use_navigate();

    // A changed number or a new CAPTCHA answer clears what the server said of the old one.
    // Not at the effect's first run: "Valider" clicked on the page painted ahead is clicked
    // again as soon as the app is drawn, before its effects first run, and its errors stay.
    Effect::new(move |ran: Option<()>| {
        number.track();
        if ran.is_some() {
            errors.update(|e| e.retain(|f| f.field != fields::CLIENT_NUMBER));
        }
    });
    // Once the person starts (types, or ticks the box), the second step comes ahead.
    Effect::new(move |ran: Option<()>| {
        let started = !number.with(String::is_empty) || !captcha.with(|c| *c == CaptchaState::Idle);
        if ran.is_some() || started {
            wizard::fetch_step2_ahead();
        }
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
        let navigate = navigate.clone();
        let done = move |answer| {
            wizard::save_step1(&answer);
            navigate(&Page::RegisterStep2.path());
        };
        // A CAPTCHA answer serves once: the box must be ticked again.
        let refused = move |_: &_| captcha.set(CaptchaState::Idle);
        form.send(async move { api::step1(&request).await }, done, refused);
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

    let submit = move || {
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
        if !form.begin(found) {
            return;
        }
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
        go_home(&Page::Home.path());
    };

    view! {
        <h1>"Créer mon compte"</h1>
        <Stepper step=1 title="Votre établissement" next="Vos informations"/>
        <div class="with-help">
            <Step1Help/>
            <Form state=form on_submit=submit>
                <p class="form__required">"Tous les champs sont obligatoires."</p>
                <ClientNumberField value=number error=form.error(fields::CLIENT_NUMBER)/>
                <Captcha state=captcha error=form.error(fields::CAPTCHA)/>
                <div class="form__actions">
                    <button type="button" class="button button--secondary" on:click=cancel>"Annuler"</button>
                    <SubmitButton state=form label="Valider" pending_label="Vérification…"/>
                </div>
                <p class="form__status" aria-live="polite">
                    {move || waiting.get().then_some(
                        "Votre demande partira dès la fin de la vérification «\u{a0}Je ne suis pas un robot\u{a0}»…"
                    )}
                </p>
            </Form>
        </div>
    }
}
