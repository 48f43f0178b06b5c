//! The welcome page: create an account, or sign in.

use inscription_shared::pages::Page;
use leptos::prelude::*;

use crate::layout::set_title;

#[component]
pub fn Home() -> impl IntoView {
    set_title("Accueil");
    view! {
        <h1>"Bienvenue sur les services en ligne"</h1>
        <p class="lead">
            "Demandes de prêt, encours et échéanciers, dossiers en cours d’instruction, courriers : "
            "ces services sont réservés aux établissements clients (organismes de logement social, "
            "collectivités locales…)."
        </p>
        <div class="choices">
            <section class="choice" aria-labelledby="choix-inscription">
                <h2 id="choix-inscription">"Première visite ?"</h2>
                <p>"Munissez-vous du numéro client de votre établissement, indiqué sur nos courriers."</p>
                <a class="button button--primary" href=Page::Register.path()>"Créer un compte"</a>
            </section>
            <section class="choice" aria-labelledby="choix-connexion">
                <h2 id="choix-connexion">"Vous avez déjà un compte ?"</h2>
                <p>"Connectez-vous avec votre adresse électronique et votre mot de passe."</p>
                <a class="button button--secondary" href=Page::SignIn.path()>"Se connecter"</a>
            </section>
        </div>
    }
}
