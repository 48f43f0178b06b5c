//! "Sécurité de mon compte" (PRODUCT.md §3bis): the passkeys, added under a name and
//! removed; adding a one-time code app — its QR code drawn here, its secret shown for
//! typing in, a first code to confirm — and the recovery codes, shown once. And the
//! operator's own page for adding the app they must hold, which reuses these parts.

use inscription_shared::pages::Page;
use inscription_shared::second_factor::{
    passkey_name, PasskeyLine, RecoveryCodes, TotpEnrolment, PASSKEY_NAME_FIELD,
};
use inscription_shared::{ErrorResponse, FieldError};
use leptos::prelude::*;

use crate::api;
use crate::components::{
    load, Enrolment, Form, FormState, RecoveryCodesShown, Shown, SubmitButton, TextField,
};
use crate::layout::set_title;
use crate::lender::date_time;

/// The person's passkeys ("clés d'accès"): listed, added under a name, removed after a
/// confirmation.
#[component]
fn Passkeys(
    passkeys: Vec<PasskeyLine>,
    changed: Callback<()>,
    codes: RwSignal<Option<Shown>>,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let form = FormState::new();
    let confirming = RwSignal::new(None::<String>);
    let removal = RwSignal::new(None::<String>);
    let submit = move || {
        let typed = name.get_untracked();
        let invalid = passkey_name(&typed)
            .err()
            .map(|m| FieldError::new(PASSKEY_NAME_FIELD, m));
        if !form.begin(invalid.into_iter().collect()) {
            return;
        }
        let added = crate::passkey::ceremony(crate::passkey::Use::Add, typed);
        // The first passkey of a person without recovery codes comes with ten.
        let done = move |answer| match api::read::<RecoveryCodes>(answer) {
            Ok(given) if !given.codes.is_empty() => {
                let title = "Votre clé d’accès protège désormais votre compte";
                codes.set(Some((title, given.codes)));
                crate::components::focus("codes-de-secours");
            }
            _ => changed.run(()),
        };
        form.send(added, done, |_: &ErrorResponse| {});
    };
    let remove = move |id: String| {
        leptos::task::spawn_local(async move {
            let path = format!("/api/me/passkeys/{id}");
            match api::fetch_json("DELETE", &path, None).await {
                Ok(_) => changed.run(()),
                Err(error) => removal.set(Some(error.message)),
            }
        });
    };
    let none = passkeys.is_empty().then(|| {
        view! { <p>"Aucune clé d’accès n’est enregistrée sur votre compte."</p> }
    });
    let lines = passkeys
        .into_iter()
        .map(|p| {
            let (id, shown) = (p.id.clone(), p.name.clone());
            let used = p.last_used_at.map_or("jamais utilisée".to_owned(), |at| {
                format!("utilisée le {}", date_time(at))
            });
            view! {
                <li>
                    <strong>{p.name.clone()}</strong>
                    {format!(" — ajoutée le {}, {used}. ", date_time(p.created_at))}
                    {move || if confirming.get().as_deref() == Some(id.as_str()) {
                        let (id, shown) = (id.clone(), shown.clone());
                        view! {
                            <span role="group" aria-label="Confirmer le retrait">
                                {format!("Retirer la clé «\u{a0}{shown}\u{a0}»\u{a0}? Elle ne confirmera plus vos connexions. ")}
                                <button type="button" class="button button--primary button--small"
                                    on:click=move |_| remove(id.clone())>"Oui, retirer"</button>" "
                                <button type="button" class="button button--secondary button--small"
                                    on:click=move |_| confirming.set(None)>"Annuler"</button>
                            </span>
                        }.into_any()
                    } else {
                        let id = id.clone();
                        view! {
                            <button type="button" class="button button--secondary button--small"
                                aria-label=format!("Retirer la clé d’accès «\u{a0}{shown}\u{a0}»")
                                on:click=move |_| confirming.set(Some(id.clone()))>"Retirer"</button>
                        }.into_any()
                    }}
                </li>
            }
        })
        .collect_view();
    view! {
        <h2>"Clés d’accès"</h2>
        <p>"Une clé d’accès (celle de votre ordinateur, de votre téléphone ou une clé USB de sécurité) confirme vos connexions \
            par votre empreinte, votre visage ou votre code de déverrouillage. Elle peut aussi vous connecter seule, sans mot de passe."</p>
        {move || removal.get().map(|message| view! {
            <div class="notice notice--error" role="alert"><p>{message}</p></div>
        })}
        {none}
        <ul>{lines}</ul>
        <Form state=form on_submit=submit>
            <TextField id=PASSKEY_NAME_FIELD label="Nom de la nouvelle clé d’accès" value=name
                hint="Pour la reconnaître dans la liste, par exemple «\u{a0}Ordinateur du bureau\u{a0}»."
                error=form.error(PASSKEY_NAME_FIELD)/>
            <div class="form__actions">
                <SubmitButton state=form label="Ajouter une clé d’accès" pending_label="En attente de la clé…"/>
            </div>
        </Form>
    }
}

#[component]
pub fn MySecurity() -> impl IntoView {
    set_title("Sécurité de mon compte");
    let security = load(api::security);
    let enrolment = RwSignal::new(None::<TotpEnrolment>);
    let codes = RwSignal::new(None::<Shown>);
    let failed = RwSignal::new(None::<String>);
    let start = move |_| {
        leptos::task::spawn_local(async move {
            match api::start_totp(false).await {
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
    // Just activated: the last step of an administrator's arrival.
    let welcome = crate::router::query("bienvenue").is_some().then(|| view! {
        <div class="notice notice--success" role="status">
            <p><strong>"Votre compte est activé. "</strong>"Dernière étape\u{a0}: votre rôle d’administrateur demande un second facteur. \
                Ajoutez une clé d’accès ou une application de codes à usage unique\u{a0}; l’administration de votre établissement l’attend."</p>
        </div>
    });
    view! {
        <h1>"Sécurité de mon compte"</h1>
        {welcome}
        <p><a href=Page::MySpace.path()>"Retour à mon espace"</a></p>
        {move || failed.get().map(|message| view! {
            <div class="notice notice--error" role="alert"><p>{message}</p></div>
        })}
        {move || match (codes.get(), enrolment.get()) {
            (Some(shown), _) => view! { <RecoveryCodesShown shown done=finished/> }.into_any(),
            (None, Some(enrolment)) => view! { <Enrolment enrolment codes operator=false/> }.into_any(),
            (None, None) => security.view(move |held| {
                let passkeys = held.passkeys.clone();
                let app = if held.totp {
                    view! {
                        <h2>"Code à usage unique"</h2>
                        <p>"Votre compte est protégé\u{a0}: chaque connexion vous demande, après votre mot de passe, le code de votre application."</p>
                        <p>{format!("Codes de secours restants\u{a0}: {}", held.recovery_codes_left)}</p>
                    }.into_any()
                } else {
                    view! {
                        <h2>"Code à usage unique"</h2>
                        <p>"Protégez votre compte par un second facteur\u{a0}: une application de votre téléphone affiche un code à six chiffres, \
                            que chaque connexion vous demandera après votre mot de passe."</p>
                        <p><button type="button" class="button button--primary" on:click=start>"Ajouter une application de codes à usage unique"</button></p>
                    }.into_any()
                };
                let changed = Callback::new(move |()| security.reload());
                // Without an app, the recovery codes came with the first passkey.
                let left = (!held.totp && held.recovery_codes_left > 0).then(|| view! {
                    <p>{format!("Codes de secours restants\u{a0}: {}", held.recovery_codes_left)}</p>
                });
                view! { <Passkeys passkeys changed codes/> {left} {app} }
            }),
        }}
    }
}

/// An operator's first sign-in since operators must hold a second factor: adding the app,
/// which the back office sends them to until a first code confirms it (PRODUCT.md §3bis).
#[component]
pub fn OperatorSecurity() -> impl IntoView {
    set_title("Second facteur obligatoire — Espace opérateur");
    let enrolment = RwSignal::new(None::<TotpEnrolment>);
    let codes = RwSignal::new(None::<Shown>);
    let failed = RwSignal::new(None::<String>);
    let start = move |_| {
        leptos::task::spawn_local(async move {
            match api::start_totp(true).await {
                Ok(started) => enrolment.set(Some(started)),
                Err(error) => failed.set(Some(error.message)),
            }
        });
    };
    // The codes kept: the back office, now open.
    let done = Callback::new(|()| {
        let to = Page::OperatorLetters.path();
        let _ = web_sys::window().map(|w| w.location().replace(&to));
    });
    view! {
        <h1>"Second facteur obligatoire"</h1>
        <p>"Votre compte d’opérateur donne accès aux codes des courriers et au journal d’audit\u{a0}: il doit être protégé par un second facteur. \
            Ajoutez une application de codes à usage unique (celle de votre téléphone)\u{a0}; chaque connexion vous demandera ensuite, après votre mot de passe, le code qu’elle affiche."</p>
        {move || failed.get().map(|message| view! {
            <div class="notice notice--error" role="alert"><p>{message}</p></div>
        })}
        {move || match (codes.get(), enrolment.get()) {
            (Some(shown), _) => view! { <RecoveryCodesShown shown done/> }.into_any(),
            (None, Some(enrolment)) => view! { <Enrolment enrolment codes operator=true/> }.into_any(),
            (None, None) => view! {
                <p><button type="button" class="button button--primary" on:click=start>"Ajouter une application de codes à usage unique"</button></p>
            }.into_any(),
        }}
    }
}
