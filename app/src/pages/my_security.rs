//! "Sécurité de mon compte" (PRODUCT.md §3bis): adding a one-time code app — its QR code
//! drawn here, its secret shown for typing in, a first code to confirm — and the recovery
//! codes, shown once.

use inscription_shared::pages::Page;
use inscription_shared::second_factor::{CodeRequest, TotpEnrolment, CODE_FIELD};
use inscription_shared::ErrorResponse;
use leptos::prelude::*;

use crate::api;
use crate::components::{load, Form, FormState, SubmitButton, TextField};
use crate::layout::set_title;

/// The QR code of `text` as one SVG path, a dark square per dark module, with the quiet
/// zone the readers need around it.
#[component]
fn QrCode(text: String) -> impl IntoView {
    let Ok(code) = qrcode::QrCode::new(text.as_bytes()) else {
        return ().into_any();
    };
    let width = code.width();
    let mut path = String::new();
    for (i, color) in code.to_colors().into_iter().enumerate() {
        if color == qrcode::Color::Dark {
            path.push_str(&format!("M{} {}h1v1h-1z", i % width + 4, i / width + 4));
        }
    }
    let size = width + 8;
    view! {
        <svg class="qr-code" viewBox=format!("0 0 {size} {size}") role="img"
            aria-label="Code QR à lire avec votre application de codes à usage unique">
            <rect width=size.to_string() height=size.to_string() fill="#fff"/>
            <path d=path fill="#000"/>
        </svg>
    }
    .into_any()
}

/// The secret in groups of four, easier to type in an app.
fn grouped(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[component]
fn Enrolment(enrolment: TotpEnrolment, codes: RwSignal<Option<Vec<String>>>) -> impl IntoView {
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
            codes.set(Some(answer.codes));
            crate::components::focus("codes-de-secours");
        };
        form.send(
            async move { api::confirm_totp(&request).await },
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
        <QrCode text=enrolment.uri.clone()/>
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

#[component]
fn RecoveryCodesShown(codes: Vec<String>, done: Callback<()>) -> impl IntoView {
    view! {
        <div class="notice notice--success" role="status" id="codes-de-secours" tabindex="-1">
            <h2 class="notice__title">"Les codes à usage unique protègent désormais votre compte"</h2>
            <p>"Voici vos codes de secours. Chacun vous connecte une fois si vous n’avez plus votre téléphone. \
                Conservez-les en lieu sûr\u{a0}: ils ne seront plus affichés."</p>
            <ul class="recovery-codes">
                {codes.into_iter().map(|code| view! { <li><code>{code}</code></li> }).collect_view()}
            </ul>
        </div>
        <p><button type="button" class="button button--primary" on:click=move |_| done.run(())>"J’ai conservé mes codes de secours"</button></p>
    }
}

#[component]
pub fn MySecurity() -> impl IntoView {
    set_title("Sécurité de mon compte");
    let security = load(api::security);
    let enrolment = RwSignal::new(None::<TotpEnrolment>);
    let codes = RwSignal::new(None::<Vec<String>>);
    let failed = RwSignal::new(None::<String>);
    let start = move |_| {
        leptos::task::spawn_local(async move {
            match api::start_totp().await {
                Ok(started) => {
                    failed.set(None);
                    enrolment.set(Some(started));
                }
                Err(error) => failed.set(Some(error.message)),
            }
        });
    };
    let finished = Callback::new(move |()| {
        codes.set(None);
        enrolment.set(None);
        security.reload();
    });
    view! {
        <h1>"Sécurité de mon compte"</h1>
        <p><a href=Page::MySpace.path()>"Retour à mon espace"</a></p>
        {move || failed.get().map(|message| view! {
            <div class="notice notice--error" role="alert"><p>{message}</p></div>
        })}
        {move || match (codes.get(), enrolment.get()) {
            (Some(codes), _) => view! { <RecoveryCodesShown codes done=finished/> }.into_any(),
            (None, Some(enrolment)) => view! { <Enrolment enrolment codes/> }.into_any(),
            (None, None) => security.view(move |security| {
                if security.totp {
                    view! {
                        <h2>"Code à usage unique"</h2>
                        <p>"Votre compte est protégé\u{a0}: chaque connexion vous demande, après votre mot de passe, le code de votre application."</p>
                        <p>{format!("Codes de secours restants\u{a0}: {}", security.recovery_codes_left)}</p>
                    }.into_any()
                } else {
                    view! {
                        <h2>"Code à usage unique"</h2>
                        <p>"Protégez votre compte par un second facteur\u{a0}: une application de votre téléphone affiche un code à six chiffres, \
                            que chaque connexion vous demandera après votre mot de passe."</p>
                        <p><button type="button" class="button button--primary" on:click=start>"Ajouter une application de codes à usage unique"</button></p>
                    }.into_any()
                }
            }),
        }}
    }
}
