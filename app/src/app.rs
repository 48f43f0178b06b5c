//! The routes of the app. URLs are French: they are what people read and bookmark.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::layout::Layout;
use crate::pages::{
    home::Home, not_found::NotFound, register_step1::RegisterStep1, sign_in::SignIn,
};

#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <Layout>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/inscription") view=RegisterStep1/>
                    <Route path=path!("/connexion") view=SignIn/>
                </Routes>
            </Layout>
        </Router>
    }
}
