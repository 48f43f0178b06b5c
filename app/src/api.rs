//! Every HTTP call of the app, in one place. JSON goes through the browser's own parser,
//! which keeps serde_json out of the wasm: answers are read by `json.rs`, requests
//! written by serde-wasm-bindgen.

use inscription_shared::account::{
    ActivationRequest, ForgottenPassword, Me, PasswordReset, SignInRequest,
};
use inscription_shared::administration::{
    Console, MyRights, Refusal, RightsUpdate, RoleUpdate, StatusUpdate,
};
use inscription_shared::contact::ContactRequest;
use inscription_shared::my_data::{Correction, MyData};
use inscription_shared::operator::Opposition;
use inscription_shared::registration::{
    ExistingAccountRequest, FirstUserRequest, Step1Request, Step1Response, Step2Response,
};
use inscription_shared::second_factor::{CodeRequest, RecoveryCodes, Security, TotpEnrolment};
use inscription_shared::ErrorResponse;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response};

/// What the page shows when the server cannot be reached.
pub const NETWORK_ERROR: &str =
    "Le service ne répond pas. Vérifiez votre connexion à Internet, puis réessayez.";

fn network() -> ErrorResponse {
    ErrorResponse {
        message: NETWORK_ERROR.into(),
        fields: Vec::new(),
        status: 0,
    }
}

/// The raw JSON answer (null when there is no body), or the server's error.
pub(crate) async fn fetch_json(
    method: &str,
    path: &str,
    body: Option<JsValue>,
) -> Result<JsValue, ErrorResponse> {
    let init = RequestInit::new();
    init.set_method(method);
    if let Some(body) = body {
        let text = js_sys::JSON::stringify(&body).map_err(|_| network())?;
        init.set_body(&text);
    }
    let request = Request::new_with_str_and_init(path, &init).map_err(|_| network())?;
    let _ = request.headers().set("content-type", "application/json");
    // The server refuses a state-changing request without it (CSRF defence).
    let _ = request.headers().set("x-inscription", "1");
    let window = web_sys::window().ok_or_else(network)?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|_| network())?
        .dyn_into()
        .map_err(|_| network())?;
    let ok = response.ok();
    let json = match response.json() {
        Ok(promise) => JsFuture::from(promise).await.unwrap_or(JsValue::NULL),
        Err(_) => JsValue::NULL,
    };
    if ok {
        Ok(json)
    } else {
        let mut error: ErrorResponse = crate::json::from_value(json).unwrap_or_else(|_| network());
        error.status = response.status();
        Err(error)
    }
}

async fn call<T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<JsValue>,
) -> Result<T, ErrorResponse> {
    read(fetch_json(method, path, body).await?)
}

/// An answer read as `T`.
pub(crate) fn read<T: DeserializeOwned>(json: JsValue) -> Result<T, ErrorResponse> {
    crate::json::from_value(json).map_err(|_| network())
}

pub(crate) fn to_json<B: Serialize>(body: &B) -> Result<JsValue, ErrorResponse> {
    body.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|_| network())
}

async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ErrorResponse> {
    call("POST", path, Some(to_json(body)?)).await
}

/// A proof-of-work challenge, kept as the browser's object: the worker solves it and the
/// token sends it back untouched.
pub async fn captcha_challenge() -> Result<JsValue, ErrorResponse> {
    fetch_json("GET", "/api/captcha/challenge", None).await
}

pub async fn step1(request: &Step1Request) -> Result<Step1Response, ErrorResponse> {
    post("/api/registration/step1", request).await
}

pub async fn first_user(request: &FirstUserRequest) -> Result<Step2Response, ErrorResponse> {
    post("/api/registration/first-user", request).await
}

pub async fn existing_account(
    request: &ExistingAccountRequest,
) -> Result<Step2Response, ErrorResponse> {
    post("/api/registration/existing-account", request).await
}

#[derive(Serialize)]
struct VerifyEmail<'a> {
    token: &'a str,
}

pub async fn verify_email(token: &str) -> Result<(), ErrorResponse> {
    let body = to_json(&VerifyEmail { token })?;
    fetch_json("POST", "/api/registration/verify-email", Some(body))
        .await
        .map(drop)
}

pub async fn sign_in(request: &SignInRequest) -> Result<Me, ErrorResponse> {
    post("/api/session", request).await
}

pub async fn sign_out() -> Result<(), ErrorResponse> {
    fetch_json("DELETE", "/api/session", None).await.map(drop)
}

/// Who is signed in; an error when nobody is.
/// The sign-in's second step.
pub async fn second_factor(request: &CodeRequest) -> Result<Me, ErrorResponse> {
    post("/api/session/second-factor", request).await
}

/// Proves the second factor again, before handing out access.
/// Proves the second factor again: the person's, or the operator's (`operator`).
pub async fn reauthenticate(operator: bool, request: &CodeRequest) -> Result<(), ErrorResponse> {
    let path = if operator {
        "/api/operator/reauthentication"
    } else {
        "/api/me/reauthentication"
    };
    act("POST", path, request).await
}

pub async fn security() -> Result<Security, ErrorResponse> {
    call("GET", "/api/me/security", None).await
}

/// Starts adding a one-time code app: the person's, or the operator's (`operator`).
pub async fn start_totp(operator: bool) -> Result<TotpEnrolment, ErrorResponse> {
    let path = if operator {
        "/api/operator/totp"
    } else {
        "/api/me/totp"
    };
    call("POST", path, None).await
}

pub async fn confirm_totp(
    operator: bool,
    request: &CodeRequest,
) -> Result<RecoveryCodes, ErrorResponse> {
    let path = if operator {
        "/api/operator/totp/confirmation"
    } else {
        "/api/me/totp/confirmation"
    };
    post(path, request).await
}

pub async fn me() -> Result<Me, ErrorResponse> {
    call("GET", "/api/me", None).await
}

pub async fn activate(request: &ActivationRequest) -> Result<Me, ErrorResponse> {
    post("/api/activation", request).await
}

pub async fn my_rights() -> Result<MyRights, ErrorResponse> {
    call("GET", "/api/me/rights", None).await
}

/// Everything kept about the signed-in person ("Mes données").
pub async fn my_data() -> Result<MyData, ErrorResponse> {
    call("GET", "/api/me/data", None).await
}

/// Corrects the signed-in person's identity.
pub async fn correct(correction: &Correction) -> Result<(), ErrorResponse> {
    act("PUT", "/api/me", correction).await
}

/// Closes the signed-in person's account; the session ends with it.
pub async fn close_account() -> Result<(), ErrorResponse> {
    fetch_json("DELETE", "/api/me", None).await.map(drop)
}

pub async fn console() -> Result<Console, ErrorResponse> {
    call("GET", "/api/admin/console", None).await
}

/// A console action: the body is sent, the answer has none.
async fn act<B: Serialize>(method: &str, path: &str, body: &B) -> Result<(), ErrorResponse> {
    fetch_json(method, path, Some(to_json(body)?))
        .await
        .map(drop)
}

pub async fn validate(id: i64, services: Vec<String>) -> Result<(), ErrorResponse> {
    act(
        "POST",
        &format!("/api/admin/users/{id}/validate"),
        &RightsUpdate { services },
    )
    .await
}

pub async fn refuse(id: i64, reason: String) -> Result<(), ErrorResponse> {
    act(
        "POST",
        &format!("/api/admin/users/{id}/refuse"),
        &Refusal { reason },
    )
    .await
}

pub async fn set_rights(id: i64, services: Vec<String>) -> Result<(), ErrorResponse> {
    act(
        "PUT",
        &format!("/api/admin/users/{id}/rights"),
        &RightsUpdate { services },
    )
    .await
}

pub async fn set_administrator(id: i64, administrator: bool) -> Result<(), ErrorResponse> {
    act(
        "PUT",
        &format!("/api/admin/users/{id}/role"),
        &RoleUpdate { administrator },
    )
    .await
}

/// Forgets a user's second factor (their lost phone).
pub async fn reset_second_factor(id: i64) -> Result<(), ErrorResponse> {
    let path = format!("/api/admin/users/{id}/second-factor");
    fetch_json("DELETE", &path, None).await.map(drop)
}

pub async fn set_enabled(id: i64, enabled: bool) -> Result<(), ErrorResponse> {
    act(
        "PUT",
        &format!("/api/admin/users/{id}/status"),
        &StatusUpdate { enabled },
    )
    .await
}

#[derive(Deserialize)]
struct Message {
    message: String,
}

/// Asks for a reset link; the answer is the same whether or not an account exists.
pub async fn forgotten_password(email: String) -> Result<String, ErrorResponse> {
    post::<_, Message>("/api/password/forgotten", &ForgottenPassword { email })
        .await
        .map(|m| m.message)
}

pub async fn reset_password(token: String, password: String) -> Result<(), ErrorResponse> {
    act(
        "POST",
        "/api/password/reset",
        &PasswordReset { token, password },
    )
    .await
}

/// Sends the contact form.
pub async fn contact(request: &ContactRequest) -> Result<(), ErrorResponse> {
    act("POST", "/api/contact", request).await
}

/// "Pas vous ?": cancels a candidacy with the letter's code.
pub async fn oppose(request: &Opposition) -> Result<(), ErrorResponse> {
    act("POST", "/api/opposition", request).await
}

/// The back office's API: every path below answers only to an operator.
pub mod operator {
    use inscription_shared::operator::{
        AuditEntry, AuditFilter, CandidaciesFromAddress, Changed, ClientSecret, ContactMessageView,
        DirectoryUpload, Dispatch, EmailOutbox, EstablishmentDetail, EstablishmentSummary, Handled,
        ImportReport, LetterSummary, NewServiceClient, Reason, Redesignated, SecretRotation,
        ServiceClients,
    };
    use inscription_shared::ErrorResponse;

    use super::{act, call, post};

    /// Percent-encodes a query value.
    fn encode(value: &str) -> String {
        js_sys::encode_uri_component(value).into()
    }

    /// The operator's second factor: added yet, and proved recently enough to act.
    pub async fn security(
    ) -> Result<inscription_shared::second_factor::OperatorSecurity, ErrorResponse> {
        call("GET", "/api/operator/second-factor", None).await
    }

    pub async fn service_clients() -> Result<ServiceClients, ErrorResponse> {
        call("GET", "/api/operator/services", None).await
    }

    pub async fn register_service_client(
        client: &NewServiceClient,
    ) -> Result<ClientSecret, ErrorResponse> {
        post("/api/operator/services", client).await
    }

    pub async fn rotate_client_secret(client_id: String) -> Result<ClientSecret, ErrorResponse> {
        post(
            "/api/operator/services/secret",
            &SecretRotation { client_id },
        )
        .await
    }

    pub async fn candidacies_by_address() -> Result<Vec<CandidaciesFromAddress>, ErrorResponse> {
        call("GET", "/api/operator/candidacies-by-address", None).await
    }

    pub async fn letters(status: &str) -> Result<Vec<LetterSummary>, ErrorResponse> {
        call(
            "GET",
            &format!("/api/operator/letters?status={status}"),
            None,
        )
        .await
    }

    /// The address of the printable batch of these letters.
    pub fn batch_url(ids: &[i64]) -> String {
        let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
        format!("/api/operator/letters/batch.pdf?ids={}", ids.join(","))
    }

    pub fn letter_url(id: i64) -> String {
        format!("/api/operator/letters/{id}/pdf")
    }

    pub async fn dispatch(ids: Vec<i64>) -> Result<Changed, ErrorResponse> {
        post("/api/operator/letters/dispatch", &Dispatch { ids }).await
    }

    pub async fn resend(id: i64) -> Result<Changed, ErrorResponse> {
        post(
            &format!("/api/operator/letters/{id}/resend"),
            &Reason::default(),
        )
        .await
    }

    pub async fn cancel(id: i64, reason: String) -> Result<(), ErrorResponse> {
        act(
            "POST",
            &format!("/api/operator/letters/{id}/cancel"),
            &Reason { reason },
        )
        .await
    }

    /// Forgets anyone's second factor (an administrator's lost phone).
    pub async fn forget_second_factor(user_id: i64) -> Result<(), ErrorResponse> {
        let path = format!("/api/operator/users/{user_id}/second-factor");
        super::fetch_json("DELETE", &path, None).await.map(drop)
    }

    /// Erases a person's data on their request.
    pub async fn erase_person(user_id: i64, reason: String) -> Result<(), ErrorResponse> {
        act(
            "POST",
            &format!("/api/operator/users/{user_id}/erase"),
            &Reason { reason },
        )
        .await
    }

    pub async fn search(query: &str) -> Result<Vec<EstablishmentSummary>, ErrorResponse> {
        call(
            "GET",
            &format!("/api/operator/establishments?q={}", encode(query)),
            None,
        )
        .await
    }

    pub async fn establishment(id: i64) -> Result<EstablishmentDetail, ErrorResponse> {
        call("GET", &format!("/api/operator/establishments/{id}"), None).await
    }

    pub async fn redesignate(id: i64, reason: String) -> Result<Redesignated, ErrorResponse> {
        post(
            &format!("/api/operator/establishments/{id}/redesignation"),
            &Reason { reason },
        )
        .await
    }

    pub async fn import(content: String) -> Result<ImportReport, ErrorResponse> {
        post("/api/operator/directory", &DirectoryUpload { content }).await
    }

    pub async fn audit(filter: &AuditFilter) -> Result<Vec<AuditEntry>, ErrorResponse> {
        call(
            "GET",
            &format!("/api/operator/audit?{}", filter.query()),
            None,
        )
        .await
    }

    pub fn audit_csv_url(filter: &AuditFilter) -> String {
        format!("/api/operator/audit.csv?{}", filter.query())
    }

    pub async fn messages() -> Result<Vec<ContactMessageView>, ErrorResponse> {
        call("GET", "/api/operator/messages", None).await
    }

    pub async fn set_handled(id: i64, handled: bool) -> Result<(), ErrorResponse> {
        act(
            "PUT",
            &format!("/api/operator/messages/{id}"),
            &Handled { handled },
        )
        .await
    }

    pub async fn emails() -> Result<EmailOutbox, ErrorResponse> {
        call("GET", "/api/operator/emails", None).await
    }
}
