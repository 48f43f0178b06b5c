//! For designers: every state of the wizard on one page, with sample data and no back end.

use inscription_shared::registration::{fields, RegistrationCase, Step1Response, Step2Response};
use inscription_shared::{ClientNumber, FieldError};
use leptos::prelude::*;

use super::register_done::Confirmation;
use super::register_step1::{ClientNumberField, Step1Help};
use super::register_step2::{ExistingAccountForm, FirstUserForm};
use crate::components::{Captcha, CaptchaState, ErrorSummary, Stepper};
use crate::layout::set_title;

const ESTABLISHMENT: &str = "Habitat Loire Océan SA d’HLM";

fn sample_step1(case: RegistrationCase) -> Step1Response {
    Step1Response {
        ticket: "exemple".into(),
        client_number: ClientNumber::example(),
        establishment_name: ESTABLISHMENT.into(),
        case,
        expires_at: i64::MAX,
    }
}

/// One state, titled, in its own frame.
#[component]
fn State(title: &'static str, children: Children) -> impl IntoView {
    view! {
        <section class="gallery__state">
            <h2 class="gallery__title">{title}</h2>
            <div class="gallery__frame">{children()}</div>
        </section>
    }
}

#[component]
fn NumberState(
    title: &'static str,
    typed: &'static str,
    #[prop(optional)] server: Option<&'static str>,
) -> impl IntoView {
    let value = RwSignal::new(typed.to_owned());
    let error = Signal::derive(move || server.map(str::to_owned));
    view! { <State title><ClientNumberField value error/></State> }
}

#[component]
fn CaptchaPreview(
    title: &'static str,
    state: CaptchaState,
    #[prop(optional)] error: Option<&'static str>,
) -> impl IntoView {
    let state = RwSignal::new(state);
    view! { <State title><Captcha state error=Signal::derive(move || error.map(str::to_owned)) preview=true/></State> }
}

#[component]
pub fn Gallery() -> impl IntoView {
    set_title("Galerie des états de l’inscription");
    let summary_errors = RwSignal::new(vec![
        FieldError::new(fields::CLIENT_NUMBER, "Saisissez votre numéro client."),
        FieldError::new(
            fields::CAPTCHA,
            "Cochez la case «\u{a0}Je ne suis pas un robot\u{a0}».",
        ),
    ]);
    view! {
        <h1>"Galerie des états de l’inscription"</h1>
        <p class="lead">"Chaque état de l’assistant, avec des données d’exemple, sans serveur. Page de travail pour la conception."</p>

        <h2 class="gallery__section">"Étape 1 — numéro client"</h2>
        <State title="Parcours"><Stepper step=1 title="Votre établissement" next="Vos informations"/></State>
        <NumberState title="Champ vide" typed=""/>
        <NumberState title="Numéro valide" typed="237517"/>
        <NumberState title="En cours de saisie" typed="2375"/>
        <NumberState title="Zéros du début, en cours de saisie" typed="00023"/>
        <NumberState title="Zéros du début, avec correction en un clic" typed="000237517"/>
        <NumberState title="Lettres" typed="23A517"/>
        <NumberState title="Imprimé avec des espaces, avec correction en un clic" typed="237 517"/>
        <NumberState title="Caractère refusé" typed="237/517"/>
        <NumberState title="Trop long" typed="1234567"/>
        <NumberState title="Établissement inconnu ou fermé (réponse du serveur)" typed="11111"
            server="Ce numéro client ne correspond à aucun établissement pouvant s’inscrire. Vérifiez-le sur l’un de nos courriers, ou contactez-nous\u{a0}: formulaire de contact en ligne ou 0\u{a0}800\u{a0}887\u{a0}300 (service et appel gratuits)."/>
        <State title="Aide"><Step1Help/></State>

        <h2 class="gallery__section">"Étape 1 — «\u{a0}Je ne suis pas un robot\u{a0}»"</h2>
        <CaptchaPreview title="À cocher" state=CaptchaState::Idle/>
        <CaptchaPreview title="Vérification en cours" state=CaptchaState::Solving/>
        <CaptchaPreview title="Vérification réussie" state=CaptchaState::Solved("exemple".into())/>
        <CaptchaPreview title="Échec" state=CaptchaState::Failed("La vérification n’a pas abouti. Décochez puis cochez de nouveau la case.".into())/>
        <CaptchaPreview title="Non cochée à l’envoi" state=CaptchaState::Idle error="Cochez la case «\u{a0}Je ne suis pas un robot\u{a0}»."/>

        <h2 class="gallery__section">"Résumé des erreurs"</h2>
        <State title="Après un envoi incomplet">
            <ErrorSummary errors=summary_errors general=RwSignal::new(None)/>
        </State>

        <h2 class="gallery__section">"Étape 2"</h2>
        <State title="Cas 1 — premier utilisateur">
            <Stepper step=2 title="Vos informations"/>
            <FirstUserForm step1=sample_step1(RegistrationCase::FirstUser)/>
        </State>
        <State title="Cas 2 — un compte existe déjà">
            <Stepper step=2 title="Vos informations"/>
            <ExistingAccountForm step1=sample_step1(RegistrationCase::ExistingAccount)/>
        </State>

        <h2 class="gallery__section">"Confirmations"</h2>
        <State title="Cas 1">
            <Confirmation answer=Step2Response { case: RegistrationCase::FirstUser, establishment_name: ESTABLISHMENT.into(), email: "anne.lebihan@habitat-loire.fr".into() }/>
        </State>
        <State title="Cas 2">
            <Confirmation answer=Step2Response { case: RegistrationCase::ExistingAccount, establishment_name: ESTABLISHMENT.into(), email: "paul.martin@habitat-loire.fr".into() }/>
        </State>
    }
}
