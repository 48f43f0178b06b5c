//! The directory: search establishments by number or name, and load a CSV file with the
//! same import as the command line, its per-line report shown.

use inscription_shared::operator::{EstablishmentSummary, ImportReport};
use inscription_shared::pages::Page;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::OperatorFrame;
use crate::api;
use crate::components::{load, Outcome, OutcomeNotice};

#[component]
fn Results(found: Vec<EstablishmentSummary>) -> impl IntoView {
    if found.is_empty() {
        return view! { <p>"Aucun établissement ne correspond."</p> }.into_any();
    }
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label="Établissements trouvés">
            <table class="users">
                <caption class="visually-hidden">"Établissements trouvés"</caption>
                <thead><tr>
                    <th scope="col">"Numéro client"</th><th scope="col">"Raison sociale"</th>
                    <th scope="col">"Catégorie"</th><th scope="col">"Commune"</th><th scope="col">"Statut"</th>
                </tr></thead>
                <tbody>
                    {found.into_iter().map(|e| view! {
                        <tr>
                            <td>{e.client_number}</td>
                            <th scope="row"><a href=Page::OperatorEstablishment(e.id).path()>{e.name}</a></th>
                            <td>{e.kind}</td>
                            <td>{e.city}</td>
                            <td>{if e.closed { "Fermé" } else { "Actif" }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The text of the file chosen in the input, if any.
async fn chosen_file(input: &web_sys::HtmlInputElement) -> Option<String> {
    let file = input.files()?.get(0)?;
    let text = JsFuture::from(file.text()).await.ok()?;
    text.as_string()
}

#[component]
fn Import() -> impl IntoView {
    let input = NodeRef::<leptos::html::Input>::new();
    let report = RwSignal::new(None::<ImportReport>);
    let outcome = RwSignal::new(None::<Outcome>);
    let pending = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(element) = input.get() else { return };
        let element: web_sys::HtmlInputElement = element.unchecked_into();
        pending.set(true);
        leptos::task::spawn_local(async move {
            let Some(content) = chosen_file(&element).await else {
                outcome.set(Some(Outcome::Failed(
                    "Choisissez d’abord le fichier CSV de l’annuaire.".into(),
                )));
                pending.set(false);
                return;
            };
            match api::operator::import(content).await {
                Ok(done) => {
                    outcome.set(Some(Outcome::Done(
                        inscription_shared::operator::import_summary(
                            done.imported,
                            done.rejected.len(),
                            done.total,
                        ),
                    )));
                    report.set(Some(done));
                }
                Err(error) => {
                    report.set(None);
                    outcome.set(Some(Outcome::Failed(error.message)));
                }
            }
            pending.set(false);
        });
    };
    view! {
        <section aria-labelledby="import-titre">
            <h2 id="import-titre">"Charger l’annuaire"</h2>
            <form class="form" on:submit=submit>
                <div class="field">
                    <label class="field__label" for="fichier-annuaire">"Fichier CSV de l’annuaire"</label>
                    <p class="field__hint" id="fichier-annuaire-aide">
                        "Colonnes\u{a0}: numero_client\u{a0}; raison_sociale\u{a0}; categorie\u{a0}; titre_representant_legal\u{a0}; "
                        "adresse_1\u{a0}; adresse_2\u{a0}; code_postal\u{a0}; commune\u{a0}; statut. Un établissement déjà connu est mis à jour."
                    </p>
                    <input class="field__input" type="file" id="fichier-annuaire" accept=".csv,text/csv"
                        aria-describedby="fichier-annuaire-aide" node_ref=input/>
                </div>
                <div class="form__actions">
                    <button type="submit" class="button button--primary" aria-disabled=move || pending.get().then_some("true")>
                        {move || if pending.get() { "Import en cours…" } else { "Importer" }}
                    </button>
                </div>
            </form>
            <OutcomeNotice outcome/>
            {move || report.get().filter(|r| !r.rejected.is_empty()).map(|r| view! {
                <h3>"Lignes rejetées"</h3>
                <ul class="rejected">
                    {r.rejected.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                </ul>
            })}
        </section>
    }
}

#[component]
pub fn OperatorDirectory() -> impl IntoView {
    let query = RwSignal::new(String::new());
    let searched = RwSignal::new(None::<String>);
    let results = load(move || {
        let searched = searched.get();
        async move {
            match searched {
                Some(q) => api::operator::search(&q).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        searched.set(Some(query.get_untracked()));
    };
    view! {
        <OperatorFrame title="Annuaire des établissements">
            <section aria-labelledby="recherche-titre">
                <h2 id="recherche-titre">"Rechercher un établissement"</h2>
                <form class="search" role="search" on:submit=submit>
                    <label class="field__label" for="recherche">"Numéro client ou raison sociale"</label>
                    <div class="search__row">
                        <input class="field__input" type="search" id="recherche"
                            prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev))/>
                        <button type="submit" class="button button--primary">"Rechercher"</button>
                    </div>
                </form>
                <div aria-live="polite">
                    {results.view_waiting("Recherche…", |found| match found {
                        Some(found) => view! { <Results found=found.clone()/> }.into_any(),
                        None => ().into_any(),
                    })}
                </div>
            </section>
            <Import/>
        </OperatorFrame>
    }
}
