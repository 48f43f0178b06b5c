//! Typed clients of the API, as crates.io's test app has: a signed-in person or operator
//! whose methods say what they do ("validate this request with these rights", "resend
//! this letter"), so that a test reads like the product and an address or a body is
//! written once, here, with the shared crate's request types.

use inscription_shared::account::ActivationRequest;
use inscription_shared::administration::{
    Console, MyRights, Refusal, RightsUpdate, RoleUpdate, StatusUpdate,
};
use inscription_shared::my_data::{Correction, MyData};
use inscription_shared::operator::{Dispatch, EstablishmentDetail, Reason};
use reqwest::{Method, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::account::sign_in;
use crate::helpers::TestApp;

/// Someone signed in: an establishment's user or administrator, or an operator.
pub struct Signed<'a> {
    pub app: &'a TestApp,
    /// `inscription_session=…`, for the calls the typed methods do not cover.
    pub cookie: String,
}

impl TestApp {
    /// Signs in with this password; panics unless it succeeds.
    pub async fn signed_in(&self, email: &str, password: &str) -> Signed<'_> {
        let (status, cookie, response) = sign_in(self, email, password).await;
        assert_eq!(status, 200, "{}", response.text().await.unwrap_or_default());
        self.as_holder_of(cookie.unwrap())
    }

    /// The holder of this session cookie.
    pub fn as_holder_of(&self, cookie: String) -> Signed<'_> {
        Signed { app: self, cookie }
    }

    /// The active administrator `email` of `number` (first user, letter, activation),
    /// with the one-time code app their role requires.
    pub async fn administrator(&self, number: &str, email: &str) -> Signed<'_> {
        let cookie = crate::administration::active_admin(self, number, email).await;
        self.as_holder_of(cookie)
    }

    /// The same, just activated: no second factor yet.
    pub async fn administrator_without_factor(&self, number: &str, email: &str) -> Signed<'_> {
        let cookie = crate::administration::activated_admin(self, number, email).await;
        self.as_holder_of(cookie)
    }

    // What anyone may send, as the public pages send it.

    pub async fn register_first_user(&self, request: &impl Serialize) -> Response {
        self.post("/api/registration/first-user", request).await
    }

    pub async fn request_access(&self, request: &impl Serialize) -> Response {
        self.post("/api/registration/existing-account", request)
            .await
    }

    pub async fn verify_email(&self, request: &impl Serialize) -> Response {
        self.post("/api/registration/verify-email", request).await
    }

    pub async fn forgotten_password(&self, request: &impl Serialize) -> Response {
        self.post("/api/password/forgotten", request).await
    }

    pub async fn reset_password(&self, request: &impl Serialize) -> Response {
        self.post("/api/password/reset", request).await
    }

    pub async fn oppose(&self, request: &impl Serialize) -> Response {
        self.post("/api/opposition", request).await
    }

    pub async fn contact(&self, request: &impl Serialize) -> Response {
        self.post("/api/contact", request).await
    }

    /// An operator made with the command line, signed in.
    pub async fn operator(&self) -> Signed<'_> {
        let cookie = crate::back_office::operator(self).await;
        self.as_holder_of(cookie)
    }
}

impl Signed<'_> {
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&impl Serialize>,
    ) -> Response {
        let mut request = self
            .app
            .client
            .request(method, self.app.url(&format!("/api{path}")))
            .header("cookie", &self.cookie);
        if let Some(body) = body {
            request = request.json(body);
        }
        request.send().await.unwrap()
    }

    pub async fn get(&self, path: &str) -> Response {
        self.send(Method::GET, path, None::<&()>).await
    }

    pub async fn post(&self, path: &str, body: &impl Serialize) -> Response {
        self.send(Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: &impl Serialize) -> Response {
        self.send(Method::PUT, path, Some(body)).await
    }

    /// A page's data; panics unless it is served.
    pub async fn json<T: DeserializeOwned>(&self, path: &str) -> T {
        let response = self.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        response.json().await.unwrap()
    }

    // A person's own space.

    /// A candidate signed in with the letter's code chooses their password.
    pub async fn activate(&self, password: &str) -> Response {
        let request = ActivationRequest {
            password: password.into(),
        };
        self.post("/activation", &request).await
    }

    pub async fn my_rights(&self) -> MyRights {
        self.json("/me/rights").await
    }

    pub async fn my_data(&self) -> MyData {
        self.json("/me/data").await
    }

    pub async fn correct(&self, correction: &Correction) -> Response {
        self.put("/me", correction).await
    }

    /// Forgets a user's second factor (their administrator, from the console).
    pub async fn reset_second_factor(&self, user: i64) -> Response {
        let path = format!("/admin/users/{user}/second-factor");
        self.send(Method::DELETE, &path, None::<&()>).await
    }

    /// Forgets anyone's second factor (an operator, for an administrator's lost phone).
    pub async fn forget_second_factor(&self, user: i64) -> Response {
        let path = format!("/operator/users/{user}/second-factor");
        self.send(Method::DELETE, &path, None::<&()>).await
    }

    pub async fn close_account(&self) -> Response {
        self.send(Method::DELETE, "/me", None::<&()>).await
    }

    pub async fn sign_out(&self) -> Response {
        self.send(Method::DELETE, "/session", None::<&()>).await
    }

    // An administrator's console.

    pub async fn console(&self) -> Console {
        self.json("/admin/console").await
    }

    pub async fn validate(&self, user: i64, services: &[&str]) -> Response {
        let rights = RightsUpdate {
            services: services.iter().map(|s| s.to_string()).collect(),
        };
        self.post(&format!("/admin/users/{user}/validate"), &rights)
            .await
    }

    pub async fn refuse(&self, user: i64, reason: &str) -> Response {
        let refusal = Refusal {
            reason: reason.into(),
        };
        self.post(&format!("/admin/users/{user}/refuse"), &refusal)
            .await
    }

    pub async fn set_rights(&self, user: i64, services: &[&str]) -> Response {
        let rights = RightsUpdate {
            services: services.iter().map(|s| s.to_string()).collect(),
        };
        self.put(&format!("/admin/users/{user}/rights"), &rights)
            .await
    }

    pub async fn set_administrator(&self, user: i64, administrator: bool) -> Response {
        let role = RoleUpdate { administrator };
        self.put(&format!("/admin/users/{user}/role"), &role).await
    }

    pub async fn set_enabled(&self, user: i64, enabled: bool) -> Response {
        let status = StatusUpdate { enabled };
        self.put(&format!("/admin/users/{user}/status"), &status)
            .await
    }

    // The operators' back office.

    pub async fn dispatch(&self, letters: &[i64]) -> Response {
        let dispatch = Dispatch {
            ids: letters.to_vec(),
        };
        self.post("/operator/letters/dispatch", &dispatch).await
    }

    pub async fn resend(&self, letter: i64) -> Response {
        let nothing = serde_json::json!({});
        self.post(&format!("/operator/letters/{letter}/resend"), &nothing)
            .await
    }

    pub async fn cancel_candidacy(&self, letter: i64, reason: &str) -> Response {
        let reason = Reason {
            reason: reason.into(),
        };
        self.post(&format!("/operator/letters/{letter}/cancel"), &reason)
            .await
    }

    pub async fn establishment(&self, id: i64) -> EstablishmentDetail {
        self.json(&format!("/operator/establishments/{id}")).await
    }

    pub async fn redesignate(&self, establishment: i64, reason: &str) -> Response {
        let reason = Reason {
            reason: reason.into(),
        };
        let path = format!("/operator/establishments/{establishment}/redesignation");
        self.post(&path, &reason).await
    }

    pub async fn erase(&self, user: i64, reason: &str) -> Response {
        let reason = Reason {
            reason: reason.into(),
        };
        self.post(&format!("/operator/users/{user}/erase"), &reason)
            .await
    }
}
