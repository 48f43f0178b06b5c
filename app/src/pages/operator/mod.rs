//! The operators' back office (PRODUCT.md §4, §9): the letter outbox, the directory and
//! establishments' pages, the audit trail, contact messages and the e-mail outbox. The
//! server answers only to an operator's session; the pages show its refusal otherwise.

pub mod audit;
pub mod directory;
pub mod emails;
pub mod establishment;
pub mod letters;
pub mod messages;
pub mod services;

use crate::lender::{date_time, long_date};
use crate::router::{use_location, use_navigate};
use inscription_shared::operator::{LetterStatus, LetterSummary};
use inscription_shared::pages::Page;
use leptos::prelude::*;

use crate::api;
use crate::components::{run, FreshFactor, Outcome};
use inscription_shared::second_factor::REAUTHENTICATE;

/// The back office's sections, as its navigation lists them.
const SECTIONS: [(Page, &str); 6] = [
    (Page::OperatorLetters, "Courriers"),
    (Page::OperatorDirectory, "Annuaire"),
    (Page::OperatorAudit, "Journal d’audit"),
    (Page::OperatorMessages, "Messages de contact"),
    (Page::OperatorEmails, "Courriels"),
    (Page::OperatorServices, "Services connectés"),
];

/// A session opened with the password alone before the app was added (in another browser)
/// proves it before the back office opens.
#[component]
fn ProveFirst() -> impl IntoView {
    let outcome = RwSignal::new(Some(Outcome::Failed(REAUTHENTICATE.to_owned())));
    Effect::new(move |_| {
        if matches!(outcome.get(), Some(Outcome::Done(_))) {
            let _ = web_sys::window().map(|w| w.location().reload());
        }
    });
    view! {
        <p>"Cette session a été ouverte avec votre seul mot de passe, avant l’ajout de votre application de codes à usage unique."</p>
        <FreshFactor outcome operator=true/>
    }
}

/// What the back office asks of the session before its pages: nothing, or proving the
/// second factor. (Adding it is a page of the signed-in bundle, which has the form.)
#[derive(Clone, Copy, PartialEq, Eq)]
enum Gate {
    Open,
    ProveFirst,
}

/// The frame of every back-office page: its title (which may follow what the page loads)
/// and the sections' navigation. An operator who has yet to add their second factor goes to
/// that page; one who has yet to prove it in this session sees that step instead.
#[component]
pub fn OperatorFrame(#[prop(into)] title: Signal<String>, children: Children) -> impl IntoView {
    Effect::new(move |_| crate::layout::set_title(&format!("{} — Espace opérateur", title.get())));
    let path = use_location().path;
    let navigate = use_navigate();
    let sign_out = move |_| {
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let _ = api::sign_out().await;
            navigate(&Page::SignIn.path());
        });
    };
    let gate = RwSignal::new(Gate::Open);
    leptos::task::spawn_local(async move {
        if let Ok(security) = api::operator::security().await {
            if !security.totp {
                let to = Page::OperatorSecurity.path();
                let _ = web_sys::window().map(|w| w.location().replace(&to));
            } else if !security.session_proved {
                gate.set(Gate::ProveFirst);
            }
        }
    });
    view! {
        <nav class="operator-nav" aria-label="Espace opérateur">
            <ul>
                {SECTIONS.map(|(page, label)| view! {
                    <li><a href=page.path() aria-current=move || (Page::parse(&path.get()) == Some(page)).then_some("page")>{label}</a></li>
                }).into_iter().collect_view()}
            </ul>
            <button type="button" class="button button--secondary button--small" on:click=sign_out>"Se déconnecter"</button>
        </nav>
        <h1>{title}</h1>
        <Show when=move || gate.get() == Gate::ProveFirst><ProveFirst/></Show>
        <div hidden=move || gate.get() != Gate::Open>{children()}</div>
    }
}

/// "27/11/2026 15:05" on the lender's clocks, or a dash.
pub fn when(at: Option<i64>) -> String {
    at.map_or_else(|| "—".into(), date_time)
}

/// One letter's row in a table, with its actions: the PDF, re-send, cancel (with a reason).
/// "3 essais de code erronés": someone may be guessing this candidate's code.
fn code_failures(failures: i64) -> String {
    if failures == 1 {
        "1 essai de code erroné".into()
    } else {
        format!("{failures}\u{a0}essais de code erronés")
    }
}

#[component]
pub fn LetterRow(
    letter: LetterSummary,
    outcome: RwSignal<Option<Outcome>>,
    reload: Callback<()>,
    #[prop(optional)] with_establishment: bool,
) -> impl IntoView {
    let id = letter.id;
    let reference = letter.reference.clone();
    let cancelling = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let reason_id = format!("motif-annulation-{id}");
    let resend = {
        let reference = reference.clone();
        move |_| {
            let reference = reference.clone();
            run(
                outcome,
                move || reload.run(()),
                move |_| {
                    format!("Courrier {reference} renvoyé\u{a0}: un nouveau code est dans la file, l’ancien ne fonctionne plus.")
                },
                api::operator::resend(id),
            )
        }
    };
    let cancel = {
        let reference = reference.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let reference = reference.clone();
            run(
                outcome,
                move || reload.run(()),
                move |()| {
                    format!("Inscription du courrier {reference} annulée\u{a0}; la personne en est informée par courrier électronique.")
                },
                api::operator::cancel(id, reason.get_untracked()),
            )
        }
    };
    let status = match letter.status {
        LetterStatus::Dispatched => format!(
            "{} le {}",
            letter.status.label(),
            when(letter.dispatched_at)
        ),
        LetterStatus::Cancelled => {
            format!("{} le {}", letter.status.label(), when(letter.cancelled_at))
        }
        LetterStatus::Queued => letter.status.label().to_owned(),
    };
    view! {
        <tr>
            <th scope="row">
                <a href=api::operator::letter_url(id) target="_blank" rel="noopener">
                    {reference.clone()}<span class="visually-hidden">" (PDF, nouvel onglet)"</span>
                </a>
            </th>
            {with_establishment.then(|| view! {
                <td>
                    <a href=Page::OperatorEstablishment(letter.establishment_id).path()>{letter.establishment_name.clone()}</a>
                    <br/><span class="muted">{letter.client_number.clone()}</span>
                </td>
            })}
            <td>{letter.candidate_name.clone()}<br/><span class="muted">{letter.candidate_email.clone()}</span></td>
            <td>{when(Some(letter.created_at))}</td>
            <td>{long_date(letter.code_expires_at)}</td>
            <td>
                {status}
                {(letter.code_failures > 0).then(|| view! {
                    <br/><strong class="warning-text">{code_failures(letter.code_failures)}</strong>
                })}
            </td>
            <td>
                {letter.open.then(|| view! {
                    <div class="actions">
                        <button type="button" class="button button--secondary button--small" on:click=resend>
                            "Renvoyer"<span class="visually-hidden">{format!(" le courrier {reference}")}</span>
                        </button>
                        <button type="button" class="button button--secondary button--small"
                            aria-expanded=move || cancelling.get().to_string()
                            on:click=move |_| cancelling.update(|c| *c = !*c)>
                            "Annuler l’inscription"<span class="visually-hidden">{format!(" du courrier {}", letter.reference)}</span>
                        </button>
                    </div>
                    <Show when=move || cancelling.get()>
                        <form class="inline-form" on:submit=cancel.clone()>
                            <label class="field__label" for=reason_id.clone()>"Motif (gardé dans le journal)"</label>
                            <textarea class="field__input" id=reason_id.clone() rows="2" maxlength="500"
                                prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                            <button type="submit" class="button button--primary button--small">"Confirmer l’annulation"</button>
                        </form>
                    </Show>
                })}
            </td>
        </tr>
    }
}

/// The head of a letters table.
#[component]
pub fn LetterHead(#[prop(optional)] with_establishment: bool) -> impl IntoView {
    view! {
        <thead><tr>
            <th scope="col">"Référence"</th>
            {with_establishment.then(|| view! { <th scope="col">"Établissement"</th> })}
            <th scope="col">"Candidat"</th>
            <th scope="col">"Créé le"</th>
            <th scope="col">"Code valable jusqu’au"</th>
            <th scope="col">"Statut"</th>
            <th scope="col">"Actions"</th>
        </tr></thead>
    }
}
