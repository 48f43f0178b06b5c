//! The audit trail: filter by establishment, person, kind and dates; export as CSV.

use inscription_shared::operator::{AuditEntry, AuditFilter, AUDIT_PAGE};
use leptos::prelude::*;

use super::{when, OperatorFrame};
use crate::api;
use crate::components::{load, FreshFactor, Outcome, OutcomeNotice};

/// The kinds an operator filters by most, as the trail names them.
const KINDS: [(&str, &str); 10] = [
    ("", "Tous"),
    ("registration", "Inscriptions"),
    ("account", "Connexions et comptes"),
    ("letter", "Courriers"),
    ("candidacy", "Candidatures annulées"),
    ("administration", "Administration des établissements"),
    ("establishment", "Re-désignations"),
    ("operator", "Opérateurs"),
    ("service", "Catalogue des services"),
    ("contact", "Messages de contact"),
];

#[component]
fn Entries(entries: Vec<AuditEntry>) -> impl IntoView {
    if entries.is_empty() {
        return view! { <p>"Aucun événement ne correspond."</p> }.into_any();
    }
    let capped = entries.len() as i64 >= AUDIT_PAGE;
    view! {
        {capped.then(|| view! {
            <p class="muted">{format!("Les {AUDIT_PAGE} événements les plus récents\u{a0}; l’export CSV les contient tous.")}</p>
        })}
        <div class="table-wrap" tabindex="0" role="region" aria-label="Événements du journal d’audit">
            <table class="users">
                <caption class="visually-hidden">"Événements du journal d’audit"</caption>
                <thead><tr>
                    <th scope="col">"Date"</th><th scope="col">"Action"</th><th scope="col">"Acteur"</th>
                    <th scope="col">"Adresse IP"</th><th scope="col">"Établissement"</th>
                    <th scope="col">"Personne"</th><th scope="col">"Détails"</th>
                </tr></thead>
                <tbody>
                    {entries.into_iter().map(|e| view! {
                        <tr>
                            <td class="nowrap">{when(Some(e.at))}</td>
                            <th scope="row">{e.action}</th>
                            <td>{e.actor}</td>
                            <td>{e.ip}</td>
                            <td>{e.establishment.unwrap_or_default()}</td>
                            <td>{e.person.unwrap_or_default()}</td>
                            <td>{e.details}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// One filter's text input.
#[component]
fn FilterInput(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(default = "text")] input_type: &'static str,
) -> impl IntoView {
    view! {
        <div class="field">
            <label class="field__label" for=id>{label}</label>
            <input class="field__input" id=id type=input_type
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
        </div>
    }
}

#[component]
pub fn OperatorAudit() -> impl IntoView {
    let establishment = RwSignal::new(String::new());
    let person = RwSignal::new(String::new());
    let kind = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let applied = RwSignal::new(AuditFilter::default());
    let entries = load(move || {
        let filter = applied.get();
        async move { api::operator::audit(&filter).await }
    });
    // The export asks a recent proof of the second factor: asked here first, so that a
    // refusal is said on the page rather than downloaded as the file.
    let outcome = RwSignal::new(None::<Outcome>);
    let export = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        let url = api::operator::audit_csv_url(&applied.get_untracked());
        leptos::task::spawn_local(async move {
            match api::operator::security().await {
                Ok(security) if security.proof_fresh => {
                    outcome.set(None);
                    let _ = web_sys::window().map(|w| w.location().set_href(&url));
                }
                Ok(_) => {
                    let asked = inscription_shared::second_factor::REAUTHENTICATE.to_owned();
                    outcome.set(Some(Outcome::Failed(asked)));
                }
                Err(error) => outcome.set(Some(Outcome::Failed(error.message))),
            }
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        applied.set(AuditFilter {
            establishment: establishment.get_untracked(),
            person: person.get_untracked(),
            kind: kind.get_untracked(),
            from: from.get_untracked(),
            to: to.get_untracked(),
        });
    };
    view! {
        <OperatorFrame title="Journal d’audit">
            <p>"Chaque événement de sécurité\u{a0}: qui, quoi, quand, depuis quelle adresse. Le journal ne peut être ni modifié ni effacé."</p>
            <form class="filters" on:submit=submit>
                <FilterInput id="filtre-etablissement" label="Numéro client" value=establishment/>
                <FilterInput id="filtre-personne" label="Adresse électronique" value=person input_type="email"/>
                <div class="field">
                    <label class="field__label" for="filtre-type">"Type d’événement"</label>
                    <select class="field__input" id="filtre-type" on:change=move |ev| kind.set(event_target_value(&ev))>
                        {KINDS.map(|(value, label)| view! { <option value=value>{label}</option> }).into_iter().collect_view()}
                    </select>
                </div>
                <FilterInput id="filtre-du" label="Du" value=from input_type="date"/>
                <FilterInput id="filtre-au" label="Au (inclus)" value=to input_type="date"/>
                <div class="form__actions">
                    <button type="submit" class="button button--primary">"Filtrer"</button>
                    <a class="button button--secondary" href=move || api::operator::audit_csv_url(&applied.get())
                        download="journal-audit.csv" on:click=export>"Exporter en CSV"</a>
                </div>
            </form>
            <OutcomeNotice outcome/>
            <FreshFactor outcome operator=true/>
            {entries.view(|entries| view! { <Entries entries=entries.clone()/> })}
        </OperatorFrame>
    }
}
