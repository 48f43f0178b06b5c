//! The identity fields both step-2 forms ask for.

use inscription_shared::registration::{fields, IdentityForm};
use inscription_shared::FieldError;
use leptos::prelude::*;

use crate::components::{error_of, CivilityField, TextField};

/// The identity fields' values as the person types them.
#[derive(Clone, Copy)]
pub struct IdentitySignals {
    pub civility: RwSignal<String>,
    pub last_name: RwSignal<String>,
    pub first_name: RwSignal<String>,
    pub job_title: RwSignal<String>,
    pub email: RwSignal<String>,
    pub phone: RwSignal<String>,
}

impl IdentitySignals {
    pub fn new() -> Self {
        Self {
            civility: RwSignal::new(String::new()),
            last_name: RwSignal::new(String::new()),
            first_name: RwSignal::new(String::new()),
            job_title: RwSignal::new(String::new()),
            email: RwSignal::new(String::new()),
            phone: RwSignal::new(String::new()),
        }
    }

    /// The current values (tracked, so that live checks follow every keystroke).
    pub fn form(&self) -> IdentityForm {
        IdentityForm {
            civility: self.civility.get(),
            last_name: self.last_name.get(),
            first_name: self.first_name.get(),
            job_title: self.job_title.get(),
            email: self.email.get(),
            phone: self.phone.get(),
        }
    }
}

#[component]
pub fn IdentityFields(
    identity: IdentitySignals,
    errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    view! {
        <CivilityField value=identity.civility error=error_of(errors, fields::CIVILITY)/>
        <TextField id=fields::LAST_NAME label="Nom" value=identity.last_name
            error=error_of(errors, fields::LAST_NAME) autocomplete="family-name"/>
        <TextField id=fields::FIRST_NAME label="Prénom" value=identity.first_name
            error=error_of(errors, fields::FIRST_NAME) autocomplete="given-name"/>
        <TextField id=fields::JOB_TITLE label="Fonction" value=identity.job_title
            hint="Par exemple\u{a0}: directrice financière, gestionnaire de prêts."
            error=error_of(errors, fields::JOB_TITLE) autocomplete="organization-title"/>
        <TextField id=fields::EMAIL label="Adresse électronique professionnelle" value=identity.email
            hint="Format attendu\u{a0}: prenom.nom@organisme.fr. Elle vous servira d’identifiant."
            error=error_of(errors, fields::EMAIL) input_type="email" autocomplete="email"/>
        <TextField id=fields::PHONE label="Téléphone professionnel" value=identity.phone
            hint="Par exemple\u{a0}: 01 23 45 67 89."
            error=error_of(errors, fields::PHONE) input_type="tel" autocomplete="tel"/>
    }
}
