//! The administrators' console (PRODUCT.md §5): pending requests validated with rights
//! per service or refused, the establishment's users, their rights, roles and accounts.

use inscription_shared::pages::Page;
use std::future::Future;

use inscription_shared::account::Role;
use inscription_shared::administration::{Console, Service, UserStatus, UserSummary};
use inscription_shared::identity::Phone;
use inscription_shared::ErrorResponse;
use leptos::prelude::*;

use crate::api;
use crate::components::{load, run, FreshFactor, Outcome, OutcomeNotice};
use crate::layout::set_title;
use inscription_shared::second_factor::FACTOR_OWED;

/// The national written form of a stored phone number.
fn phone(stored: &str) -> String {
    Phone::parse(stored).map_or_else(|_| stored.to_owned(), |p| p.display())
}

fn full_name(user: &UserSummary) -> String {
    format!("{} {} {}", user.civility, user.first_name, user.last_name)
}

/// One checkbox per service of the catalogue.
#[component]
fn RightsChoice(
    prefix: String,
    services: Vec<Service>,
    chosen: RwSignal<Vec<String>>,
) -> impl IntoView {
    view! {
        <fieldset class="rights">
            <legend>"Habilitations"</legend>
            {services.into_iter().map(|service| {
                let id = format!("{prefix}-{}", service.code);
                let code = service.code.clone();
                let toggled = code.clone();
                view! {
                    <div class="checkbox">
                        <input type="checkbox" id=id.clone()
                            prop:checked=move || chosen.with(|c| c.contains(&code))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                chosen.update(|c| {
                                    c.retain(|s| *s != toggled);
                                    if on { c.push(toggled.clone()); }
                                });
                            }/>
                        <label for=id>{service.label}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

#[component]
fn RequestCard(
    user: UserSummary,
    services: Vec<Service>,
    outcome: RwSignal<Option<Outcome>>,
    reload: Callback<()>,
) -> impl IntoView {
    let chosen = RwSignal::new(Vec::<String>::new());
    let reason = RwSignal::new(String::new());
    let (id, name) = (user.id, full_name(&user));
    let reason_id = format!("motif-{id}");
    let validate = {
        let name = name.clone();
        move |_| {
            let done = format!("Demande de {name} validée.");
            run(
                outcome,
                move || reload.run(()),
                move |()| done,
                api::validate(id, chosen.get_untracked()),
            )
        }
    };
    let refuse = move |_| {
        let done = format!("Demande de {name} refusée.");
        run(
            outcome,
            move || reload.run(()),
            move |()| done,
            api::refuse(id, reason.get_untracked()),
        )
    };
    view! {
        <article class="request" aria-labelledby=format!("demande-{id}")>
            <h3 id=format!("demande-{id}")>{full_name(&user)}</h3>
            <p>{user.job_title}" · "{user.email}" · "{phone(&user.phone)}</p>
            <RightsChoice prefix=format!("demande-{id}") services chosen/>
            <div class="field">
                <label class="field__label" for=reason_id.clone()>"Motif du refus (facultatif)"</label>
                <textarea class="field__input" id=reason_id rows="2" maxlength="500"
                    prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
            </div>
            <div class="form__actions">
                <button type="button" class="button button--primary" on:click=validate>"Valider la demande"</button>
                <button type="button" class="button button--secondary" on:click=refuse>"Refuser la demande"</button>
            </div>
        </article>
    }
}

#[component]
fn UserRow(
    user: UserSummary,
    services: Vec<Service>,
    outcome: RwSignal<Option<Outcome>>,
    reload: Callback<()>,
) -> impl IntoView {
    let (id, name) = (user.id, full_name(&user));
    // Each button's hidden context, so that a screen reader's list of buttons is clear.
    let who = format!("{} {}", user.first_name, user.last_name);
    let chosen = RwSignal::new(user.services.clone());
    let editing = RwSignal::new(false);
    let is_admin = user.role == Role::Administrator;
    let is_active = user.status == UserStatus::Active;
    let labels: Vec<String> = services
        .iter()
        .filter(|s| user.services.contains(&s.code))
        .map(|s| s.label.clone())
        .collect();
    let act =
        move |done: String,
              action: std::pin::Pin<Box<dyn Future<Output = Result<(), ErrorResponse>>>>| {
            run(outcome, move || reload.run(()), move |()| done, action)
        };
    let save = {
        let name = name.clone();
        move |_| {
            act(
                format!("Habilitations de {name} enregistrées."),
                Box::pin(api::set_rights(id, chosen.get_untracked())),
            )
        }
    };
    let role = {
        let name = name.clone();
        move |_| {
            let done = if is_admin {
                format!("{name} n’est plus administrateur.")
            } else {
                format!("{name} est maintenant administrateur.")
            };
            act(done, Box::pin(api::set_administrator(id, !is_admin)))
        }
    };
    let status = {
        let name = name.clone();
        move |_| {
            let done = if is_active {
                format!("Compte de {name} désactivé.")
            } else {
                format!("Compte de {name} réactivé.")
            };
            act(done, Box::pin(api::set_enabled(id, !is_active)))
        }
    };
    // A user's lost phone: their factor forgotten, after a confirmation (an administrator's
    // is the lender's to reset).
    let confirming = RwSignal::new(false);
    let reset = {
        let name = name.clone();
        move |_| {
            confirming.set(false);
            let done = format!("Second facteur de {name} réinitialisé\u{a0}; la personne en est prévenue par courriel.");
            act(done, Box::pin(api::reset_second_factor(id)))
        }
    };
    let resettable = user.second_factor && !is_admin;
    let whose = format!(" de {who}");
    view! {
        <tr>
            <th scope="row">{name.clone()}<br/><span class="muted">{user.email}</span></th>
            <td>{if is_admin { "Administrateur" } else { "Utilisateur" }}</td>
            <td>{if is_active { "Actif" } else { "Désactivé" }}
                {user.second_factor.then(|| view! { <br/><span class="muted">"Second facteur"</span> })}</td>
            <td>
                <Show when=move || editing.get() fallback={
                    let labels = labels.clone();
                    move || if labels.is_empty() { "Aucune".into_any() } else {
                        view! { <ul class="plain">{labels.iter().map(|l| view! { <li>{l.clone()}</li> }).collect_view()}</ul> }.into_any()
                    }
                }>
                    <RightsChoice prefix=format!("utilisateur-{id}") services=services.clone() chosen/>
                    <button type="button" class="button button--primary button--small" on:click=save.clone()>"Enregistrer"</button>
                </Show>
            </td>
            <td><div class="actions">
                <button type="button" class="button button--secondary button--small"
                    on:click=move |_| editing.update(|e| *e = !*e)>
                    {move || if editing.get() { "Fermer" } else { "Modifier les habilitations" }}
                    <span class="visually-hidden">{format!(" de {who}")}</span>
                </button>
                <button type="button" class="button button--secondary button--small" on:click=role>
                    {if is_admin { "Retirer le rôle d’administrateur" } else { "Nommer administrateur" }}
                    <span class="visually-hidden">{format!("\u{a0}: {who}")}</span>
                </button>
                <button type="button" class="button button--secondary button--small" on:click=status>
                    {if is_active { "Désactiver" } else { "Réactiver" }}
                    <span class="visually-hidden">{format!(" le compte de {who}")}</span>
                </button>
                {resettable.then(|| view! {
                    <Show when=move || confirming.get() fallback=move || view! {
                        <button type="button" class="button button--secondary button--small" on:click=move |_| confirming.set(true)>
                            "Réinitialiser le second facteur…"
                            <span class="visually-hidden">{whose.clone()}</span>
                        </button>
                    }>
                        <p>"Ses clés d’accès, son application et ses codes de secours seront oubliés\u{a0}: sa prochaine connexion ne demandera que son mot de passe."</p>
                        <button type="button" class="button button--primary button--small" on:click=reset.clone()>"Confirmer la réinitialisation"</button>
                        <button type="button" class="button button--secondary button--small" on:click=move |_| confirming.set(false)>"Annuler"</button>
                    </Show>
                })}
            </div></td>
        </tr>
    }
}

#[component]
fn ConsoleView(
    console: Console,
    outcome: RwSignal<Option<Outcome>>,
    reload: Callback<()>,
) -> impl IntoView {
    let Console {
        services,
        requests,
        users,
        active_administrators,
        second_factor_owed_by,
    } = console;
    // The second factor the administrator's role requires: a deadline still ahead (the
    // grace of those named before the rule), or the console waits for it.
    let now = (js_sys::Date::now() / 1000.0) as i64;
    let owed = second_factor_owed_by.map(|due| {
        let (class, said) = if due > now {
            (
                "notice notice--warning",
                format!(
                    "Votre rôle d’administrateur demandera un second facteur à partir du {}. Ajoutez dès maintenant une clé d’accès ou une application de codes à usage unique.",
                    crate::lender::long_date(due)
                ),
            )
        } else {
            ("notice notice--error", FACTOR_OWED.to_owned())
        };
        // Once an action was refused for it, the refusal (an alert) says it instead.
        let refused = move || matches!(outcome.get(), Some(Outcome::Failed(m)) if m == FACTOR_OWED);
        view! {
            <div class=class role="status" hidden=refused>
                <p>{said}" "<a href=Page::MySecurity.path()>"Sécurité de mon compte"</a></p>
            </div>
        }
    });
    view! {
        {owed}
        {(active_administrators == 1).then(|| view! {
            <div class="notice notice--warning">
                <p>
                    <strong>"Vous êtes le seul administrateur de votre établissement. "</strong>
                    "Nous vous recommandons de nommer un second administrateur, pour que votre "
                    "établissement garde l’accès aux services en ligne en votre absence."
                </p>
            </div>
        })}
        <h2>{format!("Demandes en attente ({})", requests.len())}</h2>
        {if requests.is_empty() {
            view! { <p>"Aucune demande en attente."</p> }.into_any()
        } else {
            requests.into_iter().map(|user| view! {
                <RequestCard user services=services.clone() outcome reload/>
            }).collect_view().into_any()
        }}
        <h2>{format!("Utilisateurs ({})", users.len())}</h2>
        <div class="table-wrap" tabindex="0" role="region" aria-label="Utilisateurs de votre établissement">
            <table class="users">
                <caption class="visually-hidden">"Utilisateurs de votre établissement"</caption>
                <thead><tr>
                    <th scope="col">"Nom"</th><th scope="col">"Rôle"</th><th scope="col">"Statut"</th>
                    <th scope="col">"Habilitations"</th><th scope="col">"Actions"</th>
                </tr></thead>
                <tbody>
                    {users.into_iter().map(|user| view! {
                        <UserRow user services=services.clone() outcome reload/>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn Administration() -> impl IntoView {
    set_title("Administration de votre établissement");
    let console = load(api::console);
    let outcome = RwSignal::new(None::<Outcome>);
    let reload = Callback::new(move |()| console.reload());
    // The fresh proof by passkey: a refusal is said in the proof's form.
    let proved_by_passkey = Callback::new(move |form: crate::components::FormState| {
        leptos::task::spawn_local(async move {
            let purpose = crate::passkey::Use::Reauthenticate;
            match crate::passkey::ceremony(purpose, String::new()).await {
                Ok(_) => outcome.set(Some(Outcome::Done(
                    "Identité confirmée. Recommencez votre action.".to_owned(),
                ))),
                Err(error) => form.general.set(Some(error.message)),
            }
        });
    });
    view! {
        <h1>"Administration de votre établissement"</h1>
        <p><a href=Page::MySpace.path()>"Retour à mon espace"</a></p>
        <OutcomeNotice outcome/>
        <FreshFactor outcome operator=false passkey=proved_by_passkey/>
        {console.view(move |console| view! { <ConsoleView console=console.clone() outcome reload/> })}
    }
}
