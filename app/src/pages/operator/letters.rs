//! The letter outbox: print the batch, mark it dispatched (the codes are then erased),
//! and the history of dispatched and cancelled letters.

use inscription_shared::operator::LetterSummary;
use leptos::prelude::*;

use super::{LetterHead, LetterRow, OperatorFrame};
use crate::api;
use crate::components::{load, run, Outcome, OutcomeNotice};

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
                        "{} courrier(s) marqué(s) comme envoyé(s) : leurs codes sont effacés.",
                        changed.count
                    )
                },
                api::operator::dispatch(ids.clone()),
            )
        }
    };
    view! {
        <div class="batch">
            <a class="button button--primary" href=api::operator::batch_url(&ids) download="courriers.pdf">
                {format!("Imprimer le lot ({count} courrier(s), PDF)")}
            </a>
            <button type="button" class="button button--secondary" on:click=move |_| confirming.set(true)>
                {format!("Marquer les {count} courrier(s) comme envoyés")}
            </button>
            <Show when=move || confirming.get()>
                <div class="notice notice--warning" role="alert">
                    <p>
                        "Les mots de passe temporaires et les codes d’opposition de ces courriers seront effacés "
                        "définitivement : ne le faites qu’une fois les courriers imprimés et mis sous pli."
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
            {letters.view(move |list| {
                if list.is_empty() {
                    return view! { <p>"Aucun courrier."</p> }.into_any();
                }
                let queued: Vec<LetterSummary> = list.iter()
                    .filter(|l| l.status == inscription_shared::operator::LetterStatus::Queued)
                    .cloned()
                    .collect();
                view! {
                    {(!queued.is_empty()).then(|| view! { <Batch letters=queued outcome reload/> })}
                    <div class="table-wrap">
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
                }.into_any()
            })}
        </OperatorFrame>
    }
}
