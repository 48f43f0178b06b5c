//! "Mes données" (PRODUCT.md §12): what is kept about the signed-in person, its download
//! as JSON, the correction of their identity, and the closing of their account.

use inscription_shared::french::plural;
use inscription_shared::identity::Phone;
use inscription_shared::my_data::{Correction, MyData};
use inscription_shared::pages::Page;
use inscription_shared::registration::fields;
use leptos::prelude::*;

use crate::api;
use crate::components::{
    load, CivilityField, Form, FormState, Outcome, OutcomeNotice, SubmitButton, TextField,
};
use crate::layout::set_title;
use crate::lender::date_time;

#[component]
pub fn MyDataPage() -> impl IntoView {
    set_title("Mes données");
    let data = load(api::my_data);
    let closed = RwSignal::new(false);
    // Here, not in the form: the form is drawn anew when the data comes back.
    let outcome = RwSignal::new(None::<Outcome>);
    view! {
        <h1>"Mes données"</h1>
        {move || if closed.get() {
            view! {
                <div class="notice notice--success" role="status">
                    <p>"Votre compte est fermé et vos données sont effacées. Un courriel vous le confirme."</p>
                </div>
                <p><a href=Page::Home.path()>"Retour à l’accueil"</a></p>
            }.into_any()
        } else {
            data.view(move |d| view! {
                <Kept data=d.clone()/>
                <CorrectionForm data=d.clone() outcome reload=move || data.reload()/>
                <CloseAccount closed/>
            }).into_any()
        }}
    }
}

/// What is kept, in words, and the download of all of it.
#[component]
fn Kept(data: MyData) -> impl IntoView {
    let a = &data.account;
    let phone = Phone::parse(&a.phone).map_or_else(|_| a.phone.clone(), |p| p.display());
    let rights = if data.rights.is_empty() {
        "aucun service".to_owned()
    } else {
        data.rights.join(", ")
    };
    view! {
        <p class="lead">"Voici ce que nous conservons sur vous. Le fichier téléchargé contient tout, détail par détail."</p>
        <dl class="facts">
            <dt>"Identité"</dt><dd>{format!("{} {} {}", a.civility, a.first_name, a.last_name)}</dd>
            <dt>"Fonction"</dt><dd>{a.job_title.clone()}</dd>
            <dt>"Adresse électronique"</dt><dd>{a.email.clone()}</dd>
            <dt>"Téléphone"</dt><dd>{phone}</dd>
            <dt>"Établissement"</dt>
            <dd>{format!("{} (numéro client {})", data.establishment.name, data.establishment.client_number)}</dd>
            <dt>"Rôle"</dt><dd>{a.role.clone()}</dd>
            <dt>"Compte créé le"</dt><dd>{date_time(a.created_at)}</dd>
            <dt>"Habilitations"</dt><dd>{rights}</dd>
            <dt>"Sessions ouvertes"</dt><dd>{data.sessions.len()}</dd>
            <dt>"Journal de sécurité"</dt>
            <dd>{plural(data.events.len(), "événement vous concernant", "événements vous concernant")}</dd>
            <dt>"Courriels conservés"</dt><dd>{data.emails.len()}</dd>
            <dt>"Second facteur"</dt>
            <dd>{match data.second_factor.app_added_at {
                Some(at) => format!(
                    "application de codes à usage unique ajoutée le {}, {}",
                    date_time(at),
                    plural(data.second_factor.recovery_codes_left, "code de secours restant", "codes de secours restants")
                ),
                None => "aucune application de codes à usage unique".to_owned(),
            }}</dd>
            <dt>"Clés d’accès"</dt>
            <dd>{if data.second_factor.passkeys.is_empty() {
                "aucune".to_owned()
            } else {
                data.second_factor.passkeys.iter().map(|p| format!(
                    "«\u{a0}{}\u{a0}», ajoutée le {}{}",
                    p.name,
                    date_time(p.created_at),
                    p.last_used_at.map(|at| format!(", utilisée le {}", date_time(at))).unwrap_or_default()
                )).collect::<Vec<_>>().join("\u{a0}; ")
            }}</dd>
            <dt>"Services en ligne"</dt>
            <dd>{if data.services.sign_ins.is_empty() {
                "aucune connexion conservée".to_owned()
            } else {
                plural(data.services.sign_ins.len(), "connexion conservée", "connexions conservées")
            }}</dd>
        </dl>
        <p>
            <a class="button button--secondary" href="/api/me/data?telechargement" download="mes-donnees.json">
                "Télécharger mes données (JSON)"
            </a>
        </p>
        <p>"La durée de conservation de chaque donnée est indiquée dans "<a href=Page::PersonalData.path()>"Données personnelles"</a>"."</p>
    }
}

/// Correcting one's civility, names, job title and phone (the e-mail address is the
/// identifier: it does not change here).
#[component]
fn CorrectionForm(
    data: MyData,
    outcome: RwSignal<Option<Outcome>>,
    reload: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let a = data.account;
    let phone = Phone::parse(&a.phone).map_or(a.phone, |p| p.display());
    let civility = RwSignal::new(a.civility);
    let last_name = RwSignal::new(a.last_name);
    let first_name = RwSignal::new(a.first_name);
    let job_title = RwSignal::new(a.job_title);
    let phone = RwSignal::new(phone);
    let correction = move || Correction {
        civility: civility.get(),
        last_name: last_name.get(),
        first_name: first_name.get(),
        job_title: job_title.get(),
        phone: phone.get(),
    };
    let check = move || correction().validate().err().unwrap_or_default();
    let form = FormState::new().follow(check);
    let submit = move || {
        outcome.set(None);
        if !form.begin(untrack(check)) {
            return;
        }
        let correction = untrack(correction);
        let done = move |()| {
            outcome.set(Some(Outcome::Done(
                "Vos corrections sont enregistrées.".into(),
            )));
            reload();
        };
        form.send(async move { api::correct(&correction).await }, done, |_| {});
    };
    view! {
        <h2>"Corriger mes informations"</h2>
        <OutcomeNotice outcome/>
        <Form state=form on_submit=submit>
            <CivilityField value=civility error=form.error(fields::CIVILITY)/>
            <TextField id=fields::LAST_NAME label="Nom" value=last_name
                error=form.error(fields::LAST_NAME) autocomplete="family-name"/>
            <TextField id=fields::FIRST_NAME label="Prénom" value=first_name
                error=form.error(fields::FIRST_NAME) autocomplete="given-name"/>
            <TextField id=fields::JOB_TITLE label="Fonction" value=job_title
                error=form.error(fields::JOB_TITLE) autocomplete="organization-title"/>
            <TextField id=fields::PHONE label="Téléphone professionnel" value=phone input_type="tel"
                error=form.error(fields::PHONE) autocomplete="tel"/>
            <div class="form__actions">
                <SubmitButton state=form label="Enregistrer mes corrections" pending_label="Enregistrement…"/>
            </div>
        </Form>
    }
}

/// Closing one's account, after a confirmation; refused (with the reason) to the last
/// active administrator.
#[component]
fn CloseAccount(closed: RwSignal<bool>) -> impl IntoView {
    let asked = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Outcome>);
    let close = move |_| {
        outcome.set(None);
        leptos::task::spawn_local(async move {
            match api::close_account().await {
                Ok(()) => closed.set(true),
                Err(error) => outcome.set(Some(Outcome::Failed(error.message))),
            }
        });
    };
    view! {
        <h2>"Fermer mon compte"</h2>
        <p>"Votre compte et vos données sont alors effacés\u{a0}; le journal de sécurité n’en garde qu’une trace sans votre nom ni votre adresse. Pour utiliser de nouveau les services, il faudra vous réinscrire."</p>
        <OutcomeNotice outcome/>
        {move || if asked.get() {
            view! {
                <div class="notice notice--warning">
                    <p>"Confirmez-vous la fermeture définitive de votre compte\u{a0}?"</p>
                    <p class="form__actions">
                        <button type="button" class="button button--primary" on:click=close>"Oui, fermer mon compte"</button>
                        <button type="button" class="button button--secondary" on:click=move |_| asked.set(false)>"Non, le garder"</button>
                    </p>
                </div>
            }.into_any()
        } else {
            view! {
                <p><button type="button" class="button button--secondary" on:click=move |_| asked.set(true)>"Fermer mon compte…"</button></p>
            }.into_any()
        }}
    }
}
