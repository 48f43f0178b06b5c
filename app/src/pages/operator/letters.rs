//! The letter outbox: print the batch, mark it dispatched (the codes are then erased),
//! and the history of dispatched and cancelled letters.

use inscription_shared::french::plural;
use inscription_shared::operator::{LetterSummary, CANDIDACY_DAYS};
use leptos::prelude::*;

use super::{LetterHead, LetterRow, OperatorFrame};
use crate::api;
use crate::components::{load, run, FreshFactor, Outcome, OutcomeNotice};

const FILTERS: [(&str, &str); 4] = [
    ("queued", "À envoyer"),
    ("dispatched", "Envoyés"),
    ("cancelled", "Annulés"),
    ("", "Tous"),
];

#[component]
fn Batch(
    letters: Vec<LetterSummary>,
    outcome: RwSignal<Option<Outcome>>,
    reload: Callback<()>,
) -> impl IntoView {
    let ids: Vec<i64> = letters.iter().map(|l| l.id).collect();
    let count = ids.len();
    let confirming = RwSignal::new(false);
    let dispatch = {
        let ids = ids.clone();
        move |_| {
            confirming.set(false);
            run(
                outcome,
                move || reload.run(()),
                |changed: inscription_shared::operator::Changed| {
                    format!(
                        "{}\u{a0}: {}.",
                        plural(
                            changed.count,
                            "courrier marqué comme envoyé",
                            "courriers marqués comme envoyés"
                        ),
                        if changed.count < 2 {
                            "son code est effacé"
                        } else {
                            "leurs codes sont effacés"
                        }
                    )
                },
                api::operator::dispatch(ids.clone()),
            )
        }
    };
    view! {
        <div class="batch">
            <a class="button button--primary" href=api::operator::batch_url(&ids) download="courriers.pdf">
                {format!("Imprimer le lot ({}, PDF)", plural(count, "courrier", "courriers"))}
            </a>
            <button type="button" class="button button--secondary" on:click=move |_| confirming.set(true)>
                {if count < 2 { "Marquer le courrier comme envoyé".to_owned() } else { format!("Marquer les {} comme envoyés", plural(count, "courrier", "courriers")) }}
            </button>
            <Show when=move || confirming.get()>
                <div class="notice notice--warning" role="alert">
                    <p>
                        "Les mots de passe temporaires et les codes d’opposition de ces courriers seront effacés "
                        "définitivement\u{a0}: ne le faites qu’une fois les courriers imprimés et mis sous pli."
                    </p>
                    <div class="actions">
                        <button type="button" class="button button--primary button--small" on:click=dispatch.clone()>"Confirmer l’envoi"</button>
                        <button type="button" class="button button--secondary button--small" on:click=move |_| confirming.set(false)>"Ne rien changer"</button>
                    </div>
                </div>
            </Show>
        </div>
    }
}

/// The last days' first users grouped by the address they came from: many establishments
/// from one address is someone squatting them (each costs a letter).
#[component]
fn CandidaciesByAddress() -> impl IntoView {
    let groups = load(api::operator::candidacies_by_address);
    view! {
        <h2>{format!("Nouveaux premiers utilisateurs par adresse d’origine ({CANDIDACY_DAYS}\u{a0}derniers jours)")}</h2>
        {groups.view(|groups| if groups.is_empty() {
            view! { <p>"Aucun premier utilisateur ces derniers jours."</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap" tabindex="0" role="region" aria-label="Premiers utilisateurs par adresse">
                    <table class="users">
                        <thead><tr>
                            <th scope="col">"Adresse IP"</th>
                            <th scope="col">"Inscriptions"</th>
                            <th scope="col">"Établissements"</th>
                            <th scope="col">"Dernière"</th>
                        </tr></thead>
                        <tbody>
                            {groups.iter().cloned().map(|group| { let many = group.establishments.len() > 2; view! {
                                <tr class:row--alert=many>
                                    <th scope="row">{group.address}</th>
                                    <td>{group.establishments.len()}</td>
                                    <td>{group.establishments.join("\u{a0}; ")}</td>
                                    <td>{super::when(Some(group.last_at))}</td>
                                </tr>
                            }}).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        })}
    }
}

#[component]
pub fn OperatorLetters() -> impl IntoView {
    let status = RwSignal::new("queued".to_owned());
    let letters = load(move || {
        let status = status.get();
        async move { api::operator::letters(&status).await }
    });
    let outcome = RwSignal::new(None::<Outcome>);
    let reload = Callback::new(move |()| letters.reload());
    view! {
        <OperatorFrame title="Courriers">
            <p>"Les courriers aux représentants légaux attendent ici d’être imprimés et envoyés."</p>
            <div class="field field--inline">
                <label class="field__label" for="statut-courriers">"Afficher"</label>
                <select class="field__input" id="statut-courriers" on:change=move |ev| status.set(event_target_value(&ev))>
                    {FILTERS.map(|(value, label)| view! {
                        <option value=value selected=move || status.get() == value>{label}</option>
                    }).into_iter().collect_view()}
                </select>
            </div>
            <OutcomeNotice outcome/>
            <FreshFactor outcome operator=true/>
            {letters.view(move |list| {
                // Loaded with the letters, so that a page without a session says it once.
                if list.is_empty() {
                    return view! { <p>"Aucun courrier."</p><CandidaciesByAddress/> }.into_any();
                }
                let queued: Vec<LetterSummary> = list.iter()
                    .filter(|l| l.status == inscription_shared::operator::LetterStatus::Queued)
                    .cloned()
                    .collect();
                view! {
                    {(!queued.is_empty()).then(|| view! { <Batch letters=queued outcome reload/> })}
                    <div class="table-wrap" tabindex="0" role="region" aria-label="Courriers">
                        <table class="users">
                            <caption class="visually-hidden">"Courriers"</caption>
                            <LetterHead with_establishment=true/>
                            <tbody>
                                {list.iter().cloned().map(|letter| view! {
                                    <LetterRow letter outcome reload with_establishment=true/>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <CandidaciesByAddress/>
                }.into_any()
            })}
        </OperatorFrame>
    }
}
