//! The terms of use (Conditions Générales d’Utilisation) the registrant accepts.

use inscription_shared::pages::Page;
use leptos::prelude::*;

use crate::layout::{set_title, SupportPhone};
use crate::lender::lender;

#[component]
pub fn Cgu() -> impl IntoView {
    set_title("Conditions Générales d’Utilisation");
    view! {
        <article class="prose">
            <h1>"Conditions Générales d’Utilisation des services en ligne"</h1>
            <h2>"1. Objet"</h2>
            <p>"Les présentes conditions régissent l’accès aux services en ligne des prêts sur fonds d’épargne (demandes de prêt, encours et échéanciers, dossiers en cours d’instruction, courriers et documents), que "{lender().name}" réserve à ses établissements clients."</p>
            <h2>"2. Accès et inscription"</h2>
            <p>"L’inscription suppose le numéro client de l’établissement. Le premier utilisateur d’un établissement en devient l’administrateur dès que le représentant légal lui remet le mot de passe temporaire qui lui est adressé par courrier postal\u{a0}; les autres utilisateurs sont validés par un administrateur, qui leur attribue des habilitations service par service."</p>
            <h2>"3. Engagement de l’établissement"</h2>
            <p>"Les actes accomplis au moyen des services en ligne par les utilisateurs de l’établissement, dans la limite de leurs habilitations, engagent celui-ci. L’établissement veille à ce que les habilitations de ses utilisateurs restent à jour et retire sans délai l’accès des personnes qui le quittent."</p>
            <h2>"4. Identifiants"</h2>
            <p>"Chaque utilisateur est seul responsable de la confidentialité de son mot de passe. Il nous signale sans délai toute utilisation frauduleuse."</p>
            <h2>"5. Données personnelles"</h2>
            <p>"Les données saisies (civilité, nom, prénom, fonction, adresse électronique et téléphone professionnels) servent à la gestion des accès aux services en ligne et à la sécurité de ceux-ci. Les évènements de sécurité sont journalisés. Vous disposez d’un droit d’accès, de rectification et d’effacement de vos données, que vous pouvez exercer en nous contactant\u{a0}: voir "<a href=Page::PersonalData.path()>"Données personnelles"</a>"."</p>
            <h2>"6. Contact"</h2>
            <p>"Pour toute question\u{a0}: "<a href=Page::Contact.path()>"formulaire de contact"</a>" ou "<SupportPhone/>" (service et appel gratuits)."</p>
        </article>
    }
}
