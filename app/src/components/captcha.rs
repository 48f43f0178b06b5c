//! "Je ne suis pas un robot" (PRODUCT.md §8). With the self-hosted provider, ticking the
//! box fetches a proof-of-work challenge that `/captcha-worker.js` solves off the main
//! thread, so typing never freezes; with reCAPTCHA, Google's widget is shown instead.

use inscription_shared::bundles::CAPTCHA_ZONE_ID;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::api;

/// Where the widget stands; `Solved` holds the token for the server.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum CaptchaState {
    #[default]
    Idle,
    Solving,
    Solved(String),
    Failed(String),
}

impl CaptchaState {
    pub fn token(&self) -> Option<String> {
        match self {
            CaptchaState::Solved(token) => Some(token.clone()),
            _ => None,
        }
    }
}

const FAILED: &str = "La vérification n’a pas abouti. Décochez puis cochez de nouveau la case.";

/// Runs the proof of work in a Web Worker; resolves to the token.
async fn solve() -> Result<String, String> {
    let challenge = api::captcha_challenge().await.map_err(|e| e.message)?;
    let worker = web_sys::Worker::new("/captcha-worker.js").map_err(|_| FAILED.to_owned())?;
    let answer = js_sys::Promise::new(&mut |resolve, reject| {
        worker.set_onmessage(Some(&resolve));
        worker.set_onerror(Some(&reject));
    });
    worker
        .post_message(&challenge)
        .map_err(|_| FAILED.to_owned())?;
    let event = JsFuture::from(answer).await;
    worker.terminate();
    let data = event
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::MessageEvent>().ok())
        .map(|e| e.data())
        .unwrap_or(JsValue::NULL);
    js_sys::Reflect::get(&data, &"token".into())
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| FAILED.to_owned())
}

/// The widget. `preview` shows a fixed state without any network (the gallery).
#[component]
pub fn Captcha(
    state: RwSignal<CaptchaState>,
    error: Signal<Option<String>>,
    #[prop(optional)] preview: bool,
) -> impl IntoView {
    // Google's widget when the server wrote its site key into the page; else the proof of
    // work, which the page painted ahead shows too.
    let site_key = if preview {
        None
    } else {
        crate::lender::recaptcha_site_key()
    };
    let on_change = move |ev: leptos::ev::Event| {
        if !event_target_checked(&ev) {
            state.set(CaptchaState::Idle);
            return;
        }
        state.set(CaptchaState::Solving);
        leptos::task::spawn_local(async move {
            let outcome = solve().await;
            // Unticked meanwhile: forget the result.
            if state.get_untracked() == CaptchaState::Solving {
                state.set(match outcome {
                    Ok(token) => CaptchaState::Solved(token),
                    Err(message) => CaptchaState::Failed(message),
                });
            }
        });
    };
    let status = move || match state.get() {
        CaptchaState::Idle => String::new(),
        CaptchaState::Solving => "Vérification en cours…".into(),
        CaptchaState::Solved(_) => "Vérification réussie.".into(),
        CaptchaState::Failed(message) => message,
    };
    view! {
        <div class="field captcha" class:field--error=move || error.with(Option::is_some) id=CAPTCHA_ZONE_ID>
            {move || error.get().map(|message| view! {
                <p class="field__error" id="captcha-erreur">
                    <span class="visually-hidden">"Erreur\u{a0}: "</span>{message}
                </p>
            })}
            {match site_key.clone() {
                Some(site_key) => view! { <Recaptcha site_key state/> }.into_any(),
                None => view! {
                    <div class="captcha__box" class:captcha__box--done=move || matches!(state.get(), CaptchaState::Solved(_))>
                        <input
                            type="checkbox"
                            id="captcha"
                            aria-describedby="captcha-etat"
                            aria-invalid=move || error.with(Option::is_some).then_some("true")
                            prop:checked=move || !matches!(state.get(), CaptchaState::Idle | CaptchaState::Failed(_))
                            on:change=on_change
                        />
                        <label for="captcha">"Je ne suis pas un robot"</label>
                        <span class="captcha__spinner" aria-hidden="true"
                            class:captcha__spinner--on=move || state.get() == CaptchaState::Solving></span>
                    </div>
                }.into_any(),
            }}
            <p class="captcha__status" id="captcha-etat" aria-live="polite">{status}</p>
            <p class="captcha__privacy">
                {match site_key {
                    Some(_) => view! {
                        "Cette vérification est réalisée par le service reCAPTCHA de Google, qui reçoit "
                        "des informations sur votre navigateur\u{a0}: "
                        <a href="https://policies.google.com/privacy?hl=fr" rel="external noopener" target="_blank">
                            "règles de confidentialité de Google"<span class="visually-hidden">" (nouvelle fenêtre)"</span>
                        </a>
                        ", "
                        <a href="https://policies.google.com/terms?hl=fr" rel="external noopener" target="_blank">
                            "conditions d’utilisation"<span class="visually-hidden">" (nouvelle fenêtre)"</span>
                        </a>
                        "."
                    }.into_any(),
                    None => "Vérification anonyme réalisée par votre navigateur, sans service tiers ni traceur.".into_any(),
                }}
            </p>
        </div>
    }
}

/// Google's widget: its script is loaded on demand and calls back with the token. A
/// token serves once and expires after two minutes: whenever the page forgets it (a
/// refusal, an expiry), the widget is reset so that the box can be ticked again at once.
#[component]
fn Recaptcha(site_key: String, state: RwSignal<CaptchaState>) -> impl IntoView {
    let container = NodeRef::<leptos::html::Div>::new();
    // The id `grecaptcha.render` gave the widget.
    let widget = StoredValue::new_local(None::<JsValue>);
    Effect::new(move |_| {
        let Some(element) = container.get() else {
            return;
        };
        let site_key = site_key.clone();
        let on_token = Closure::<dyn Fn(JsValue)>::new(move |token: JsValue| {
            state.set(
                token
                    .as_string()
                    .map_or(CaptchaState::Idle, CaptchaState::Solved),
            );
        });
        let on_expired = Closure::<dyn Fn()>::new(move || {
            state.set(CaptchaState::Failed(EXPIRED.into()));
        });
        let on_error = Closure::<dyn Fn()>::new(move || {
            state.set(CaptchaState::Failed(FAILED.into()));
        });
        let render = Closure::<dyn Fn()>::new(move || {
            let Some(grecaptcha) = grecaptcha() else {
                return;
            };
            let options = js_sys::Object::new();
            let set = |key: &str, value: &JsValue| {
                let _ = js_sys::Reflect::set(&options, &key.into(), value);
            };
            set("sitekey", &site_key.clone().into());
            set("callback", on_token.as_ref());
            set("expired-callback", on_expired.as_ref());
            set("error-callback", on_error.as_ref());
            let id = call(
                &grecaptcha,
                "render",
                &[element.clone().into(), options.into()],
            );
            widget.set_value(id);
        });
        if let Some(window) = web_sys::window() {
            let _ = js_sys::Reflect::set(
                &window,
                &"inscriptionRecaptchaLoaded".into(),
                render.as_ref(),
            );
        }
        render.forget();
        let script = document().create_element("script");
        if let Ok(script) = script {
            let _ = script.set_attribute(
                "src",
                "https://www.google.com/recaptcha/api.js?onload=inscriptionRecaptchaLoaded&render=explicit&hl=fr",
            );
            let _ = document().head().map(|head| head.append_child(&script));
        }
    });
    // A token the page no longer holds: the widget is reset for a new tick.
    Effect::new(move |held: Option<bool>| {
        let holds = matches!(state.get(), CaptchaState::Solved(_));
        if held == Some(true) && !holds {
            if let (Some(grecaptcha), Some(id)) = (grecaptcha(), widget.get_value()) {
                call(&grecaptcha, "reset", &[id]);
            }
        }
        holds
    });
    view! { <div class="captcha__recaptcha" node_ref=container></div> }
}

const EXPIRED: &str = "La vérification a expiré\u{a0}: cochez de nouveau la case.";

/// Google's `window.grecaptcha`, once its script has run.
fn grecaptcha() -> Option<JsValue> {
    let window = web_sys::window()?;
    js_sys::Reflect::get(&window, &"grecaptcha".into())
        .ok()
        .filter(|g| g.is_object())
}

/// Calls `object.method(...args)`; the result, if it is a value.
fn call(object: &JsValue, method: &str, args: &[JsValue]) -> Option<JsValue> {
    let function = js_sys::Reflect::get(object, &method.into())
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    let args: js_sys::Array = args.iter().collect();
    function
        .apply(object, &args)
        .ok()
        .filter(|v| !v.is_undefined())
}
