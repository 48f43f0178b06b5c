//! After step 2: what happens next, for each case.

use inscription_shared::pages::Page;
use inscription_shared::registration::{RegistrationCase, Step2Response};
use leptos::prelude::*;

use crate::layout::set_title;
use crate::wizard;

#[component]
pub fn RegisterDone() -> impl IntoView {
    set_title("Demande enregistrée");
    match wizard::done() {
        Some(answer) => view! { <Confirmation answer/> }.into_any(),
        None => view! {
            <h1>"Créer mon compte"</h1>
            <p>"Aucune inscription n’est en cours dans cet onglet."</p>
            <p><a href=Page::Register.path()>"Commencer une inscription"</a></p>
        }
        .into_any(),
    }
}

/// The confirmation of one case (also shown by the gallery).
#[component]
pub fn Confirmation(answer: Step2Response) -> impl IntoView {
    let Step2Response {
        case,
        establishment_name,
        email,
    } = answer;
    let body = match case {
        RegistrationCase::FirstUser => view! {
            <div class="notice notice--success" role="status">
                <h1 class="notice__title">"Votre inscription est enregistrée"</h1>
                <p>"Vous deviendrez l’administrateur de «\u{a0}"{establishment_name.clone()}"\u{a0}» dès que vous aurez saisi le mot de passe temporaire envoyé par courrier."</p>
            </div>
            <h2>"Et maintenant\u{a0}?"</h2>
            <ol class="next-steps">
                <li>"Un courrier contenant votre "<strong>"mot de passe temporaire"</strong>" va être envoyé par voie postale au "<strong>"représentant légal"</strong>" de votre établissement, à l’adresse que nous connaissons. Une fois posté, il met en général de 2 à 4\u{a0}jours ouvrés à arriver."</li>
                <li>"Prévenez votre représentant légal\u{a0}: le courrier n’est pas nominatif, il est adressé «\u{a0}à l’attention du représentant légal\u{a0}». En vous remettant ce mot de passe, il vous désigne administrateur."</li>
                <li>"Connectez-vous ensuite avec votre adresse électronique ("<strong>{email.clone()}</strong>") et ce mot de passe temporaire, puis choisissez votre propre mot de passe. Le mot de passe temporaire est valable pour une durée limitée, indiquée dans le courrier."</li>
            </ol>
        }
        .into_any(),
        RegistrationCase::ExistingAccount => view! {
            <div class="notice notice--success" role="status">
                <h1 class="notice__title">"Votre demande est enregistrée"</h1>
                <p>"Il vous reste à confirmer votre adresse électronique."</p>
            </div>
            <h2>"Et maintenant\u{a0}?"</h2>
            <ol class="next-steps">
                <li>"Un message vient d’être envoyé à "<strong>{email.clone()}</strong>". Ouvrez le lien qu’il contient (valable 48 heures)."</li>
                <li>"Votre demande sera alors transmise à l’administrateur de «\u{a0}"{establishment_name.clone()}"\u{a0}», qui la validera et vous attribuera vos habilitations."</li>
                <li>"Sa décision vous sera annoncée par courrier électronique."</li>
            </ol>
        }
        .into_any(),
    };
    view! {
        {body}
        <p><a class="button button--secondary" href=Page::Home.path()>"Retour à l’accueil"</a></p>
    }
}
