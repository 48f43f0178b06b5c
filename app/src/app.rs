//! The routes of the app. URLs are French: they are what people read and bookmark.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::layout::Layout;
use crate::pages::{
    activation::Activation,
    administration::Administration,
    cgu::Cgu,
    contact::Contact,
    gallery::Gallery,
    home::Home,
    my_rights::MyRightsPage,
    my_space::MySpace,
    not_found::NotFound,
    operator::{
        audit::OperatorAudit, directory::OperatorDirectory, emails::OperatorEmails,
        establishment::OperatorEstablishment, letters::OperatorLetters, messages::OperatorMessages,
    },
    opposition::NotYou,
    password_reset::{ForgottenPassword, NewPassword},
    register_done::RegisterDone,
    register_step1::RegisterStep1,
    register_step2::RegisterStep2,
    sign_in::SignIn,
    verify_email::VerifyEmail,
};

#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <Layout>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/inscription") view=RegisterStep1/>
                    <Route path=path!("/inscription/etape-2") view=RegisterStep2/>
                    <Route path=path!("/inscription/confirmation") view=RegisterDone/>
                    <Route path=path!("/inscription/confirmer-courriel") view=VerifyEmail/>
                    <Route path=path!("/connexion") view=SignIn/>
                    <Route path=path!("/activation") view=Activation/>
                    <Route path=path!("/mot-de-passe-oublie") view=ForgottenPassword/>
                    <Route path=path!("/mot-de-passe/nouveau") view=NewPassword/>
                    <Route path=path!("/espace") view=MySpace/>
                    <Route path=path!("/espace/habilitations") view=MyRightsPage/>
                    <Route path=path!("/espace/administration") view=Administration/>
                    <Route path=path!("/pas-vous") view=NotYou/>
                    <Route path=path!("/operateur") view=OperatorLetters/>
                    <Route path=path!("/operateur/annuaire") view=OperatorDirectory/>
                    <Route path=path!("/operateur/etablissements/:id") view=OperatorEstablishment/>
                    <Route path=path!("/operateur/journal") view=OperatorAudit/>
                    <Route path=path!("/operateur/messages") view=OperatorMessages/>
                    <Route path=path!("/operateur/courriels") view=OperatorEmails/>
                    <Route path=path!("/cgu") view=Cgu/>
                    <Route path=path!("/contact") view=Contact/>
                    <Route path=path!("/galerie") view=Gallery/>
                </Routes>
            </Layout>
        </Router>
    }
}
