//! Adding a one-time code app (PRODUCT.md §3bis), for the people of the establishments
//! ("Sécurité de mon compte") and the operators (at their first sign-in): the QR code the
//! server drew, the secret shown for typing in, a first code to confirm, and the recovery
//! codes shown once.

use inscription_shared::second_factor::{CodeRequest, TotpEnrolment, CODE_FIELD};
use inscription_shared::ErrorResponse;
use leptos::prelude::*;

use super::{Form, FormState, SubmitButton, TextField};
use crate::api;

/// The QR code the server drew (an SVG path in a square of `size` units), on white.
#[component]
fn QrCode(path: String, size: u32) -> impl IntoView {
    view! {
        <svg class="qr-code" viewBox=format!("0 0 {size} {size}") role="img"
            aria-label="Code QR à lire avec votre application de codes à usage unique">
            <rect width=size.to_string() height=size.to_string() fill="#fff"/>
            <path d=path fill="#000"/>
        </svg>
    }
}

/// Recovery codes to show once, under a title saying what now protects the account.
pub type Shown = (&'static str, Vec<String>);

/// The secret in groups of four, easier to type in an app.
fn grouped(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Adding the app: its QR code and secret, and the first code that confirms it (the
/// person's app, or the operator's: `operator`).
#[component]
pub fn Enrolment(
    enrolment: TotpEnrolment,
    codes: RwSignal<Option<Shown>>,
    operator: bool,
) -> impl IntoView {
    let code = RwSignal::new(String::new());
    let form = FormState::new();
    let submit = move || {
        if !form.begin(Vec::new()) {
            return;
        }
        let request = CodeRequest {
            code: code.get_untracked(),
        };
        let done = move |answer: inscription_shared::second_factor::RecoveryCodes| {
            codes.set(Some((
                "Les codes à usage unique protègent désormais votre compte",
                answer.codes,
            )));
            crate::components::focus("codes-de-secours");
        };
        form.send(
            async move { api::confirm_totp(operator, &request).await },
            done,
            |_: &ErrorResponse| {},
        );
    };
    view! {
        <h2>"Ajouter votre application"</h2>
        <ol>
            <li>"Ouvrez votre application de codes à usage unique (par exemple celle de votre téléphone) et choisissez d’ajouter un compte."</li>
            <li>"Lisez ce code QR avec elle, ou saisissez la clé ci-dessous."</li>
            <li>"Saisissez ici le code à six chiffres qu’elle affiche."</li>
        </ol>
        <QrCode path=enrolment.qr_path.clone() size=enrolment.qr_size/>
        <p>"Clé à saisir dans l’application\u{a0}: "<code class="secret" id="cle-secrete">{grouped(&enrolment.secret)}</code></p>
        <Form state=form on_submit=submit>
            <TextField id=CODE_FIELD label="Code affiché par l’application" value=code
                autocomplete="one-time-code" inputmode="numeric" error=form.error(CODE_FIELD)/>
            <div class="form__actions">
                <SubmitButton state=form label="Confirmer" pending_label="Vérification…"/>
            </div>
        </Form>
    }
}

/// The recovery codes, shown once, and the button that says they are kept.
#[component]
pub fn RecoveryCodesShown(shown: Shown, done: Callback<()>) -> impl IntoView {
    let (title, codes) = shown;
    view! {
        <div class="notice notice--success" role="status" id="codes-de-secours" tabindex="-1">
            <h2 class="notice__title">{title}</h2>
            <p>"Voici vos codes de secours. Chacun vous connecte une fois si vous n’avez plus votre téléphone ou votre clé. \
                Conservez-les en lieu sûr\u{a0}: ils ne seront plus affichés."</p>
            <ul class="recovery-codes">
                {codes.into_iter().map(|code| view! { <li><code>{code}</code></li> }).collect_view()}
            </ul>
        </div>
        <p><button type="button" class="button button--primary" on:click=move |_| done.run(())>"J’ai conservé mes codes de secours"</button></p>
    }
}
