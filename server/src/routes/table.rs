//! The API's route table: every endpoint with who may call it. The router is built from
//! this table and the authorization-matrix test walks it, so a new endpoint cannot escape
//! that test. Paths are relative to `/api`.

use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::Router;

use super::{account, administration, back_office as bo, captcha, contact, registration};
use crate::startup::AppState;

/// Who may call an endpoint (the server checks it in each handler's extractors).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any session: an establishment's account or an operator.
    Session,
    /// A session of an establishment's account (a candidate's included).
    Account,
    /// An active administrator, for their own establishment only.
    Administrator,
    /// An operator of the lender.
    Operator,
}

#[derive(Debug, Clone)]
pub struct Endpoint {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
}

/// The router under construction and the table of what it serves.
pub struct Api {
    pub router: Router<AppState>,
    pub endpoints: Vec<Endpoint>,
}

impl Api {
    fn add(
        mut self,
        method: Method,
        path: &'static str,
        access: Access,
        route: MethodRouter<AppState>,
    ) -> Self {
        self.router = self.router.route(path, route);
        self.endpoints.push(Endpoint {
            method,
            path,
            access,
        });
        self
    }

    fn at<H, T>(self, method: Method, path: &'static str, access: Access, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let filter = match method {
            Method::POST => MethodFilter::POST,
            Method::PUT => MethodFilter::PUT,
            Method::DELETE => MethodFilter::DELETE,
            _ => MethodFilter::GET,
        };
        self.add(method, path, access, on(filter, handler))
    }
}

/// Every endpoint of the API.
pub fn api() -> Api {
    use Access::*;
    let (get, post, put, delete) = (Method::GET, Method::POST, Method::PUT, Method::DELETE);
    let api = Api {
        router: Router::new(),
        endpoints: Vec::new(),
    };
    api.at(get.clone(), "/captcha", Public, captcha::config)
        .at(
            get.clone(),
            "/captcha/challenge",
            Public,
            captcha::challenge,
        )
        .at(
            post.clone(),
            "/registration/step1",
            Public,
            registration::step1,
        )
        .at(
            post.clone(),
            "/registration/first-user",
            Public,
            registration::first_user,
        )
        .at(
            post.clone(),
            "/registration/existing-account",
            Public,
            registration::existing_account,
        )
        .at(
            post.clone(),
            "/registration/verify-email",
            Public,
            registration::verify_email,
        )
        .at(post.clone(), "/session", Public, account::sign_in)
        .at(delete, "/session", Public, account::sign_out)
        .at(get.clone(), "/me", Session, account::me)
        .at(post.clone(), "/activation", Account, account::activate)
        .at(
            get.clone(),
            "/me/rights",
            Account,
            administration::my_rights,
        )
        .at(
            post.clone(),
            "/password/forgotten",
            Public,
            account::forgotten_password,
        )
        .at(
            post.clone(),
            "/password/reset",
            Public,
            account::reset_password,
        )
        .at(post.clone(), "/contact", Public, contact::send)
        .at(post.clone(), "/opposition", Public, contact::oppose)
        .at(
            get.clone(),
            "/admin/console",
            Administrator,
            administration::console,
        )
        .at(
            post.clone(),
            "/admin/users/{id}/validate",
            Administrator,
            administration::validate,
        )
        .at(
            post.clone(),
            "/admin/users/{id}/refuse",
            Administrator,
            administration::refuse,
        )
        .at(
            put.clone(),
            "/admin/users/{id}/rights",
            Administrator,
            administration::rights,
        )
        .at(
            put.clone(),
            "/admin/users/{id}/role",
            Administrator,
            administration::role,
        )
        .at(
            put.clone(),
            "/admin/users/{id}/status",
            Administrator,
            administration::status,
        )
        .at(get.clone(), "/operator/letters", Operator, bo::letters)
        .at(
            get.clone(),
            "/operator/letters/batch.pdf",
            Operator,
            bo::batch_pdf,
        )
        .at(
            post.clone(),
            "/operator/letters/dispatch",
            Operator,
            bo::dispatch,
        )
        .at(
            get.clone(),
            "/operator/letters/{id}/pdf",
            Operator,
            bo::letter_pdf,
        )
        .at(
            post.clone(),
            "/operator/letters/{id}/resend",
            Operator,
            bo::resend,
        )
        .at(
            post.clone(),
            "/operator/letters/{id}/cancel",
            Operator,
            bo::cancel,
        )
        .at(
            get.clone(),
            "/operator/establishments",
            Operator,
            bo::search,
        )
        .at(
            get.clone(),
            "/operator/establishments/{id}",
            Operator,
            bo::establishment,
        )
        .at(
            post.clone(),
            "/operator/establishments/{id}/redesignation",
            Operator,
            bo::redesignate,
        )
        // A directory of 100,000 establishments is about 15 MB of CSV.
        .add(
            post.clone(),
            "/operator/directory",
            Operator,
            on(MethodFilter::POST, bo::import).layer(DefaultBodyLimit::max(32 * 1024 * 1024)),
        )
        .at(get.clone(), "/operator/audit", Operator, bo::audit)
        .at(get.clone(), "/operator/audit.csv", Operator, bo::audit_csv)
        .at(get.clone(), "/operator/messages", Operator, bo::messages)
        .at(
            put,
            "/operator/messages/{id}",
            Operator,
            bo::message_handled,
        )
        .at(get, "/operator/emails", Operator, bo::emails)
}
