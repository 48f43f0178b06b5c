//! An establishment's page: its address, users, administrators, pending candidate and
//! letters; and re-designation when no administrator can be reached (PRODUCT.md §5).

use inscription_shared::french::plural;
use inscription_shared::operator::{AccountSummary, EstablishmentDetail};
use inscription_shared::pages::Page;
use leptos::prelude::*;

use super::{when, LetterHead, LetterRow, OperatorFrame};
use crate::api;
use crate::components::{load, run, FreshFactor, Outcome, OutcomeNotice};

/// The second factor's cell of an account: whether one protects it, and the operators'
/// reset of it (an administrator's lost phone), after a confirmation.
#[component]
fn SecondFactor(
    account: AccountSummary,
    outcome: RwSignal<Option<Outcome>>,
    reload: Callback<()>,
) -> impl IntoView {
    if !account.second_factor {
        return "—".into_any();
    }
    let confirming = RwSignal::new(false);
    let (id, name) = (account.id, account.name.clone());
    let reset = move |_| {
        confirming.set(false);
        let name = name.clone();
        run(
            outcome,
            move || reload.run(()),
            move |()| {
                format!("Second facteur de {name} réinitialisé\u{a0}; la personne en est prévenue par courriel.")
            },
            api::operator::forget_second_factor(id),
        );
    };
    let whose = format!(" de {}", account.name);
    view! {
        "Second facteur"
        <Show when=move || confirming.get() fallback=move || view! {
            <br/>
            <button type="button" class="button button--secondary button--small" on:click=move |_| confirming.set(true)>
                "Réinitialiser…"<span class="visually-hidden">{whose.clone()}</span>
            </button>
        }>
            <p>"Ses clés d’accès, son application et ses codes de secours seront oubliés\u{a0}: sa prochaine connexion ne demandera que son mot de passe."</p>
            <button type="button" class="button button--primary button--small" on:click=reset.clone()>"Confirmer la réinitialisation"</button>
            <button type="button" class="button button--secondary button--small" on:click=move |_| confirming.set(false)>"Annuler"</button>
        </Show>
    }
    .into_any()
}

#[component]
fn Accounts(
    accounts: Vec<AccountSummary>,
    outcome: RwSignal<Option<Outcome>>,
    reload: Callback<()>,
) -> impl IntoView {
    if accounts.is_empty() {
        return view! { <p>"Aucun compte ni aucune demande."</p> }.into_any();
    }
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label="Comptes de l’établissement">
            <table class="users">
                <caption class="visually-hidden">"Comptes de l’établissement"</caption>
                <thead><tr>
                    <th scope="col">"Nom"</th><th scope="col">"Fonction"</th><th scope="col">"Rôle"</th>
                    <th scope="col">"Statut"</th><th scope="col">"Inscrit le"</th>
                    <th scope="col">"Second facteur"</th>
                </tr></thead>
                <tbody>
                    {accounts.into_iter().map(|a| view! {
                        <tr>
                            <th scope="row">{a.name.clone()}<br/><span class="muted">{a.email.clone()}</span></th>
                            <td>{a.job_title.clone()}</td><td>{a.role.clone()}</td><td>{a.status.clone()}</td>
                            <td>{when(Some(a.created_at))}</td>
                            <td><SecondFactor account=a outcome reload/></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// Erasing a person's data on their request (RGPD article 17): anyone of the
/// establishment whose data is still kept.
#[component]
fn Erasure(
    accounts: Vec<AccountSummary>,
    outcome: RwSignal<Option<Outcome>>,
    reload: Callback<()>,
) -> impl IntoView {
    let people: Vec<_> = accounts
        .into_iter()
        .filter(|a| !a.email.is_empty())
        .map(|a| {
            (
                a.id.to_string(),
                format!("{} — {} ({})", a.name, a.email, a.status),
            )
        })
        .collect();
    if people.is_empty() {
        return ().into_any();
    }
    let person = RwSignal::new(people[0].0.clone());
    let reason = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(user_id) = person.get_untracked().parse::<i64>() else {
            return;
        };
        run(
            outcome,
            move || reload.run(()),
            |()| {
                "Les données de la personne sont effacées\u{a0}; elle en est prévenue par courriel."
                    .to_owned()
            },
            api::operator::erase_person(user_id, reason.get_untracked()),
        );
    };
    view! {
        <section aria-labelledby="effacement-titre">
            <h2 id="effacement-titre">"Effacer les données d’une personne"</h2>
            <p>"À la demande de la personne (RGPD, article\u{a0}17)\u{a0}: son compte est fermé, ses données effacées, et le journal n’en garde qu’une trace pseudonymisée."</p>
            <form class="form" on:submit=submit>
                <div class="field">
                    <label class="field__label" for="personne-a-effacer">"Personne"</label>
                    <select class="field__input" id="personne-a-effacer"
                        on:change=move |ev| person.set(event_target_value(&ev))>
                        {people.into_iter().map(|(id, label)| view! { <option value=id>{label}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label class="field__label" for="motif-effacement">"Motif (gardé dans le journal)"</label>
                    <textarea class="field__input" id="motif-effacement" rows="2" maxlength="500"
                        prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                </div>
                <div class="form__actions">
                    <button type="submit" class="button button--primary">"Effacer ses données"</button>
                </div>
            </form>
        </section>
    }
    .into_any()
}

#[component]
fn Redesignation(
    id: i64,
    outcome: RwSignal<Option<Outcome>>,
    reload: Callback<()>,
) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        run(
            outcome,
            move || reload.run(()),
            |done: inscription_shared::operator::Redesignated| {
                format!(
                    "Re-désignation lancée\u{a0}: {}{}. La prochaine personne qui s’inscrit deviendra administrateur une fois le courrier reçu par le représentant légal.",
                    plural(done.former_administrators, "administrateur redevenu utilisateur", "administrateurs redevenus utilisateurs"),
                    if done.cancelled_candidacy { ", candidature en cours annulée" } else { "" }
                )
            },
            api::operator::redesignate(id, reason.get_untracked()),
        );
    };
    view! {
        <section aria-labelledby="redesignation-titre">
            <h2 id="redesignation-titre">"Re-désignation de l’administrateur"</h2>
            <p>
                "Quand aucun administrateur de l’établissement n’est joignable, la re-désignation retire le rôle "
                "d’administrateur aux comptes qui l’ont (ils restent utilisateurs) et annule une candidature en cours\u{a0}: "
                "la prochaine personne qui s’inscrit en deviendra administrateur, une fois le courrier reçu par le représentant légal."
            </p>
            <form class="form" on:submit=submit>
                <div class="field">
                    <label class="field__label" for="motif-redesignation">"Motif (gardé dans le journal)"</label>
                    <textarea class="field__input" id="motif-redesignation" rows="2" maxlength="500"
                        prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                </div>
                <div class="form__actions">
                    <button type="submit" class="button button--primary">"Lancer la re-désignation"</button>
                </div>
            </form>
        </section>
    }
}

#[component]
fn Detail(
    detail: EstablishmentDetail,
    outcome: RwSignal<Option<Outcome>>,
    reload: Callback<()>,
) -> impl IntoView {
    let EstablishmentDetail {
        summary,
        legal_representative_title,
        address_lines,
        active_administrators,
        candidate,
        accounts,
        letters,
    } = detail;
    let id = summary.id;
    view! {
        <dl class="facts">
            <dt>"Numéro client"</dt><dd>{summary.client_number}</dd>
            <dt>"Catégorie"</dt><dd>{summary.kind}</dd>
            <dt>"Représentant légal"</dt><dd>{legal_representative_title}</dd>
            <dt>"Adresse"</dt><dd>{address_lines.join(", ")}</dd>
            <dt>"Statut"</dt><dd>{if summary.closed { "Fermé" } else { "Actif" }}</dd>
            <dt>"Administrateurs actifs"</dt><dd>{active_administrators}</dd>
            <dt>"Candidat administrateur"</dt>
            <dd>{candidate.map_or_else(|| "Aucun".to_owned(), |c| format!("{} ({})", c.name, c.email))}</dd>
        </dl>
        <h2>"Comptes"</h2>
        <Accounts accounts=accounts.clone() outcome reload/>
        <h2>"Courriers"</h2>
        {if letters.is_empty() {
            view! { <p>"Aucun courrier."</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap" tabindex="0" role="region" aria-label="Courriers de l’établissement">
                    <table class="users">
                        <caption class="visually-hidden">"Courriers de l’établissement"</caption>
                        <LetterHead/>
                        <tbody>
                            {letters.into_iter().map(|letter| view! { <LetterRow letter outcome reload/> }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        <Erasure accounts outcome reload/>
        <Redesignation id outcome reload/>
    }
}

#[component]
pub fn OperatorEstablishment(id: i64) -> impl IntoView {
    let detail = load(move || api::operator::establishment(id));
    let outcome = RwSignal::new(None::<Outcome>);
    let reload = Callback::new(move |()| detail.reload());
    // The establishment's name, once known.
    let title = Signal::derive(move || {
        detail.with(|d| match d {
            Some(Ok(d)) => d.summary.name.clone(),
            _ => "Établissement".to_owned(),
        })
    });
    view! {
        <OperatorFrame title>
            <p><a href=Page::OperatorDirectory.path()>"Retour à l’annuaire"</a></p>
            <OutcomeNotice outcome/>
            <FreshFactor outcome operator=true/>
            {detail.view(move |detail| view! { <Detail detail=detail.clone() outcome reload/> })}
        </OperatorFrame>
    }
}
