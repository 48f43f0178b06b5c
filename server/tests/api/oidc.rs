//! The product as the services' OpenID Connect provider, spoken to as a service speaks to
//! it: a browser's authorization request with the portal's session cookie, the service's
//! token request with its secret, userinfo with the access token. Every error of the
//! protocol is tried, and every ID token is checked against the published keys.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use inscription_server::oidc::clients::{self, ClientError, NewClient, Registrar};
use inscription_server::oidc::{keys, ID_TOKEN_SECONDS};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use reqwest::Response;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::administration::{pending_request, PASSWORD};
use crate::clients::Signed;
use crate::helpers::{demo, TestApp};
use crate::on_both_databases;

pub const NUMBER: &str = "237517";
pub const ADMIN: &str = "admin@habitat-loire.fr";
const PAUL: &str = "paul.martin@habitat-loire.fr";
pub const CALLBACK: &str = "http://127.0.0.1:9/retour";
const AFTER_LOGOUT: &str = "http://127.0.0.1:9/au-revoir";
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-un-verifieur";

fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// Registers a service standing for the right `service`; returns its secret (`None`: public).
pub async fn service(
    app: &TestApp,
    client_id: &str,
    service: &str,
    public: bool,
) -> Option<String> {
    let client = NewClient {
        client_id: client_id.into(),
        name: format!("Service {client_id}"),
        service_code: service.into(),
        redirect_uris: vec![CALLBACK.into()],
        post_logout_redirect_uris: vec![AFTER_LOGOUT.into()],
        public,
    };
    clients::register(
        &app.db,
        &client,
        app.clock.now(),
        &Registrar::command_line(),
    )
    .await
    .unwrap()
}

/// The authorization request's query, PKCE S256 from `VERIFIER`, with these changes.
pub fn authorization(client_id: &str, changes: &[(&str, Option<&str>)]) -> String {
    let challenge = challenge(VERIFIER);
    let mut parameters: Vec<(&str, Option<&str>)> = vec![
        ("client_id", Some(client_id)),
        ("redirect_uri", Some(CALLBACK)),
        ("response_type", Some("code")),
        ("scope", Some("openid email profile")),
        ("state", Some("etat-1")),
        ("nonce", Some("nonce-1")),
        ("code_challenge", Some(&challenge)),
        ("code_challenge_method", Some("S256")),
    ];
    for (name, value) in changes {
        match parameters.iter_mut().find(|(n, _)| n == name) {
            Some(parameter) => parameter.1 = *value,
            None => parameters.push((name, *value)),
        }
    }
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in parameters {
        if let Some(value) = value {
            query.append_pair(name, value);
        }
    }
    format!("/oidc/authorize?{}", query.finish())
}

/// GET with this session cookie, if any.
async fn get_as(app: &TestApp, path: &str, cookie: Option<&str>) -> Response {
    let mut request = app.client.get(app.url(path));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.unwrap()
}

fn location(response: &Response) -> url::Url {
    let location = response.headers()["location"].to_str().unwrap();
    url::Url::parse(location)
        .or_else(|_| url::Url::parse("http://portail").unwrap().join(location))
        .unwrap()
}

pub fn parameter(url: &url::Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.into_owned())
}

/// The code an authorization request of this person gives back (asserting that it does).
async fn code(app: &TestApp, person: &Signed<'_>, client_id: &str) -> String {
    let response = get_as(app, &authorization(client_id, &[]), Some(&person.cookie)).await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    let back = location(&response);
    assert!(back.as_str().starts_with(CALLBACK), "{back}");
    assert_eq!(parameter(&back, "state").as_deref(), Some("etat-1"));
    assert_eq!(
        parameter(&back, "iss").as_deref(),
        Some(app.address.as_str())
    );
    parameter(&back, "code").unwrap()
}

/// The tokens a service gets for this person's sign-in (asserting that it does).
async fn tokens_for(app: &TestApp, person: &Signed<'_>, client_id: &str, secret: &str) -> Value {
    let code = code(app, person, client_id).await;
    let form = code_form(&code, VERIFIER);
    let (status, tokens) = exchange(app, client_id, Some(secret), &form).await;
    assert_eq!(status, 200, "{tokens}");
    tokens
}

/// The token request, authenticated with this secret (Basic) or as a public client.
async fn exchange(
    app: &TestApp,
    client_id: &str,
    secret: Option<&str>,
    form: &[(&str, &str)],
) -> (u16, Value) {
    let mut request = app.client.post(app.url("/oidc/token")).form(form);
    if let Some(secret) = secret {
        request = request.basic_auth(client_id, Some(secret));
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    assert_eq!(response.headers()["cache-control"], "no-store");
    (status, response.json().await.unwrap())
}

pub fn code_form<'a>(code: &'a str, verifier: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", CALLBACK),
        ("code_verifier", verifier),
    ]
}

async fn userinfo(app: &TestApp, access_token: &str) -> Response {
    app.client
        .get(app.url("/oidc/userinfo"))
        .bearer_auth(access_token)
        .send()
        .await
        .unwrap()
}

/// The ID token's claims, once its signature is checked against the published keys.
async fn verified(app: &TestApp, id_token: &str, audience: &str) -> Value {
    let keys: JwkSet = app.get("/oidc/jwks").await.json().await.unwrap();
    let header = jsonwebtoken::decode_header(id_token).unwrap();
    assert_eq!(header.alg, Algorithm::ES256);
    let jwk = keys
        .find(header.kid.as_deref().unwrap())
        .expect("the signing key is published");
    let mut validation = Validation::new(Algorithm::ES256);
    validation.set_audience(&[audience]);
    validation.set_issuer(&[&app.address]);
    // The app's clock may run ahead of the system's in these tests.
    validation.validate_exp = false;
    jsonwebtoken::decode::<Value>(id_token, &DecodingKey::from_jwk(jwk).unwrap(), &validation)
        .unwrap()
        .claims
}

/// Paul, a user of the establishment whose administrator validated him with these rights.
async fn paul<'a>(app: &'a TestApp, admin: &Signed<'_>, rights: &[&str]) -> Signed<'a> {
    let id = pending_request(app, NUMBER, PAUL).await;
    assert_eq!(admin.validate(id, rights).await.status(), 204);
    app.signed_in(PAUL, PASSWORD).await
}

async fn paul_id(app: &TestApp) -> i64 {
    app.count(&format!("SELECT id FROM users WHERE email = '{PAUL}'"))
        .await
}

async fn discovery_points_to_the_endpoints_and_keys(app: TestApp) {
    let response = app.get("/.well-known/openid-configuration").await;
    assert_eq!(response.status(), 200);
    let discovery: Value = response.json().await.unwrap();
    let issuer = app.address.as_str();
    assert_eq!(discovery["issuer"], issuer);
    assert_eq!(
        discovery["authorization_endpoint"],
        format!("{issuer}/oidc/authorize")
    );
    assert_eq!(discovery["token_endpoint"], format!("{issuer}/oidc/token"));
    assert_eq!(
        discovery["code_challenge_methods_supported"],
        serde_json::json!(["S256"])
    );
    assert_eq!(
        discovery["id_token_signing_alg_values_supported"],
        serde_json::json!(["ES256"])
    );
    let keys: Value = app.get("/oidc/jwks").await.json().await.unwrap();
    let keys = keys["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0]["kty"], "EC");
    assert_eq!(keys[0]["crv"], "P-256");
    assert!(
        keys[0].get("d").is_none(),
        "the private half is never published"
    );
}
on_both_databases!(discovery_points_to_the_endpoints_and_keys, demo);

async fn a_service_signs_a_person_in_and_learns_their_rights(app: TestApp) {
    let secret = service(&app, "consultation-prets", "consultation", false)
        .await
        .unwrap();
    let admin = app.administrator(NUMBER, ADMIN).await;
    let tokens = tokens_for(&app, &admin, "consultation-prets", &secret).await;
    assert_eq!(tokens["token_type"], "Bearer");
    let claims = verified(
        &app,
        tokens["id_token"].as_str().unwrap(),
        "consultation-prets",
    )
    .await;
    assert_eq!(claims["nonce"], "nonce-1");
    assert_eq!(claims["email"], ADMIN);
    assert_eq!(claims["name"], "Anne-Sophie Le Bihan");
    assert_eq!(claims["etablissement"]["numero_client"], NUMBER);
    assert!(claims["etablissement"]["nom"].as_str().unwrap().len() > 3);
    // An administrator holds every right from activation on.
    let rights = claims["habilitations"].as_array().unwrap();
    assert!(
        rights.contains(&"consultation".into()) && rights.len() == 6,
        "{rights:?}"
    );
    let sub = claims["sub"].as_str().unwrap().to_owned();
    // Opaque: random, not the account's number.
    assert!(sub.len() >= 32, "{sub}");

    let info = userinfo(&app, tokens["access_token"].as_str().unwrap()).await;
    assert_eq!(info.status(), 200);
    let info: Value = info.json().await.unwrap();
    assert_eq!(info["sub"], sub.as_str());
    assert_eq!(info["habilitations"], claims["habilitations"]);

    // The same person is the same subject at the next sign-in.
    let tokens = tokens_for(&app, &admin, "consultation-prets", &secret).await;
    let claims = verified(
        &app,
        tokens["id_token"].as_str().unwrap(),
        "consultation-prets",
    )
    .await;
    assert_eq!(claims["sub"], sub.as_str());
    // "Mes données" lists what the services' sign-in keeps: the subject, each sign-in.
    let kept = admin.my_data().await.services;
    assert_eq!(kept.subject.as_deref(), Some(sub.as_str()));
    assert_eq!(kept.sign_ins.len(), 2);
    assert!(kept
        .sign_ins
        .iter()
        .all(|s| s.service == "Service consultation-prets"));
    let granted = app
        .count("SELECT COUNT(*) FROM audit_events WHERE action = 'oidc.authorization_granted'")
        .await;
    assert_eq!(granted, 2);
}
on_both_databases!(a_service_signs_a_person_in_and_learns_their_rights, demo);

async fn requests_that_cannot_go_back_stop_on_a_french_page(app: TestApp) {
    service(&app, "consultation-prets", "consultation", false).await;
    let admin = app.administrator(NUMBER, ADMIN).await;
    for (path, why) in [
        (authorization("inconnu", &[]), "n’est pas connu"),
        (
            authorization(
                "consultation-prets",
                &[("redirect_uri", Some("https://evil.example/retour"))],
            ),
            "adresse de retour",
        ),
        (
            authorization(
                "consultation-prets",
                &[("redirect_uri", Some("http://127.0.0.1:9/retour/"))],
            ),
            "adresse de retour",
        ),
        (
            authorization("consultation-prets", &[("redirect_uri", None)]),
            "adresse de retour",
        ),
        (
            format!(
                "{}&client_id=autre",
                authorization("consultation-prets", &[])
            ),
            "mal formée",
        ),
    ] {
        let response = get_as(&app, &path, Some(&admin.cookie)).await;
        assert_eq!(response.status(), 400, "{path}");
        assert!(response.headers().get("location").is_none(), "{path}");
        let page = response.text().await.unwrap();
        assert!(page.contains(why), "{path}: {page}");
        assert!(page.contains("lang=\"fr\""));
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM oidc_grants").await, 0);
}
on_both_databases!(requests_that_cannot_go_back_stop_on_a_french_page, demo);

async fn malformed_requests_go_back_to_the_service_with_an_error(app: TestApp) {
    service(&app, "consultation-prets", "consultation", false).await;
    let admin = app.administrator(NUMBER, ADMIN).await;
    let plain = challenge(VERIFIER);
    for (changes, error) in [
        (vec![("code_challenge", None)], "invalid_request"),
        (
            vec![
                ("code_challenge_method", Some("plain")),
                ("code_challenge", Some(plain.as_str())),
            ],
            "invalid_request",
        ),
        (vec![("code_challenge_method", None)], "invalid_request"),
        (
            vec![("response_type", Some("token"))],
            "unsupported_response_type",
        ),
        (vec![("scope", Some("email"))], "invalid_scope"),
        (
            vec![("request", Some("eyJ9.e30."))],
            "request_not_supported",
        ),
    ] {
        let response = get_as(
            &app,
            &authorization("consultation-prets", &changes),
            Some(&admin.cookie),
        )
        .await;
        assert_eq!(response.status(), 303, "{changes:?}");
        let back = location(&response);
        assert!(back.as_str().starts_with(CALLBACK));
        assert_eq!(
            parameter(&back, "error").as_deref(),
            Some(error),
            "{changes:?}"
        );
        assert_eq!(parameter(&back, "state").as_deref(), Some("etat-1"));
        assert!(parameter(&back, "code").is_none());
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM oidc_grants").await, 0);
}
on_both_databases!(
    malformed_requests_go_back_to_the_service_with_an_error,
    demo
);

async fn without_a_session_the_person_signs_in_first_unless_prompt_none(app: TestApp) {
    service(&app, "consultation-prets", "consultation", false).await;
    let path = authorization("consultation-prets", &[]);
    let response = get_as(&app, &path, None).await;
    assert_eq!(response.status(), 303);
    let sign_in = location(&response);
    assert_eq!(sign_in.path(), "/connexion");
    assert_eq!(parameter(&sign_in, "suite").as_deref(), Some(path.as_str()));

    let none = get_as(
        &app,
        &authorization("consultation-prets", &[("prompt", Some("none"))]),
        None,
    )
    .await;
    assert_eq!(none.status(), 303);
    assert_eq!(
        parameter(&location(&none), "error").as_deref(),
        Some("login_required")
    );

    // prompt=login: a session of a while ago is not enough, a fresh one is.
    let admin = app.administrator(NUMBER, ADMIN).await;
    let login = authorization("consultation-prets", &[("prompt", Some("login"))]);
    let fresh = get_as(&app, &login, Some(&admin.cookie)).await;
    assert!(parameter(&location(&fresh), "code").is_some());
    app.clock.advance(600);
    let old = get_as(&app, &login, Some(&admin.cookie)).await;
    assert_eq!(location(&old).path(), "/connexion");
}
on_both_databases!(
    without_a_session_the_person_signs_in_first_unless_prompt_none,
    demo
);

async fn a_person_without_the_right_is_told_whom_to_ask(app: TestApp) {
    service(&app, "saisie-prets", "saisie", false).await;
    let admin = app.administrator(NUMBER, ADMIN).await;
    let paul = paul(&app, &admin, &["consultation"]).await;
    let response = get_as(
        &app,
        &authorization("saisie-prets", &[]),
        Some(&paul.cookie),
    )
    .await;
    assert_eq!(response.status(), 403);
    assert!(response.headers().get("location").is_none());
    let page = response.text().await.unwrap();
    assert!(page.contains("Vous n’avez pas accès au service"), "{page}");
    assert!(page.contains("Saisie des demandes de prêt"), "{page}");
    assert!(
        page.contains("Madame Anne-Sophie Le Bihan"),
        "the administrator is named: {page}"
    );
    assert!(!page.contains("<script"), "nothing takes the page over");
    let refused = app
        .count("SELECT COUNT(*) FROM audit_events WHERE action = 'oidc.authorization_refused'")
        .await;
    assert_eq!(refused, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM oidc_grants").await, 0);

    // prompt=none shows nothing: the service is told.
    let none = get_as(
        &app,
        &authorization("saisie-prets", &[("prompt", Some("none"))]),
        Some(&paul.cookie),
    )
    .await;
    assert_eq!(
        parameter(&location(&none), "error").as_deref(),
        Some("access_denied")
    );
}
on_both_databases!(a_person_without_the_right_is_told_whom_to_ask, demo);

async fn codes_serve_once_briefly_and_only_their_service(app: TestApp) {
    let secret = service(&app, "consultation-prets", "consultation", false)
        .await
        .unwrap();
    let other_secret = service(&app, "courriers", "courriers", false)
        .await
        .unwrap();
    let admin = app.administrator(NUMBER, ADMIN).await;
    let id = "consultation-prets";

    let code = code(&app, &admin, id).await;
    let refused = |(status, body): (u16, Value)| {
        (
            status,
            body["error"].as_str().unwrap_or_default().to_owned(),
        )
    };
    // The client's authentication.
    assert_eq!(
        refused(exchange(&app, id, Some("pas-le-secret"), &code_form(&code, VERIFIER)).await),
        (401, "invalid_client".into())
    );
    let mut anonymous = code_form(&code, VERIFIER);
    anonymous.push(("client_id", id));
    assert_eq!(
        refused(exchange(&app, id, None, &anonymous).await),
        (401, "invalid_client".into())
    );
    assert_eq!(
        refused(
            exchange(
                &app,
                "courriers",
                Some(&other_secret),
                &code_form(&code, VERIFIER)
            )
            .await
        ),
        (400, "invalid_grant".into())
    );
    // The request's parts.
    assert_eq!(
        refused(
            exchange(
                &app,
                id,
                Some(&secret),
                &code_form(
                    &code,
                    "un-autre-verifieur-de-quarante-trois-caracteres-au-moins"
                )
            )
            .await
        ),
        (400, "invalid_grant".into())
    );
    let mut no_verifier = code_form(&code, VERIFIER);
    no_verifier.retain(|(n, _)| *n != "code_verifier");
    assert_eq!(
        refused(exchange(&app, id, Some(&secret), &no_verifier).await),
        (400, "invalid_request".into())
    );
    let mut elsewhere = code_form(&code, VERIFIER);
    elsewhere[2].1 = AFTER_LOGOUT;
    assert_eq!(
        refused(exchange(&app, id, Some(&secret), &elsewhere).await),
        (400, "invalid_grant".into())
    );
    let mut refresh = code_form(&code, VERIFIER);
    refresh[0].1 = "refresh_token";
    assert_eq!(
        refused(exchange(&app, id, Some(&secret), &refresh).await),
        (400, "unsupported_grant_type".into())
    );
    assert_eq!(
        refused(exchange(&app, id, Some(&secret), &code_form("inconnu", VERIFIER)).await),
        (400, "invalid_grant".into())
    );

    // None of those spent it; the right request does, once.
    let (status, tokens) = exchange(&app, id, Some(&secret), &code_form(&code, VERIFIER)).await;
    assert_eq!(status, 200);
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(userinfo(&app, access).await.status(), 200);
    assert_eq!(
        refused(exchange(&app, id, Some(&secret), &code_form(&code, VERIFIER)).await),
        (400, "invalid_grant".into())
    );
    // A replayed code may have been stolen: the token it gave dies.
    let dead = userinfo(&app, access).await;
    assert_eq!(dead.status(), 401);
    assert!(dead.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .contains("invalid_token"));

    // A code waits a minute at most.
    let late = self::code(&app, &admin, id).await;
    app.clock.advance(61);
    assert_eq!(
        refused(exchange(&app, id, Some(&secret), &code_form(&late, VERIFIER)).await),
        (400, "invalid_grant".into())
    );
}
on_both_databases!(codes_serve_once_briefly_and_only_their_service, demo);

async fn a_public_client_proves_itself_with_pkce_alone(app: TestApp) {
    assert_eq!(
        service(&app, "appli-mobile", "consultation", true).await,
        None
    );
    let admin = app.administrator(NUMBER, ADMIN).await;
    let code = code(&app, &admin, "appli-mobile").await;
    let mut form = code_form(&code, VERIFIER);
    form.push(("client_id", "appli-mobile"));
    let (status, tokens) = exchange(&app, "appli-mobile", None, &form).await;
    assert_eq!(status, 200, "{tokens}");
    verified(&app, tokens["id_token"].as_str().unwrap(), "appli-mobile").await;
}
on_both_databases!(a_public_client_proves_itself_with_pkce_alone, demo);

async fn access_ends_with_the_right_the_account_or_the_session(app: TestApp) {
    let secret = service(&app, "consultation-prets", "consultation", false)
        .await
        .unwrap();
    let admin = app.administrator(NUMBER, ADMIN).await;
    let paul = paul(&app, &admin, &["consultation", "saisie"]).await;
    let id = paul_id(&app).await;
    let access_of = |person| {
        let (app, secret) = (&app, secret.clone());
        async move {
            let tokens = tokens_for(app, person, "consultation-prets", &secret).await;
            tokens["access_token"].as_str().unwrap().to_owned()
        }
    };

    // The right removed: userinfo refuses, and a code given before cannot be exchanged.
    let access = access_of(&paul).await;
    let pending = code(&app, &paul, "consultation-prets").await;
    assert_eq!(admin.set_rights(id, &["saisie"]).await.status(), 204);
    assert_eq!(userinfo(&app, &access).await.status(), 401);
    let (status, body) = exchange(
        &app,
        "consultation-prets",
        Some(&secret),
        &code_form(&pending, VERIFIER),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str().unwrap()),
        (400, "invalid_grant")
    );
    assert_eq!(admin.set_rights(id, &["consultation"]).await.status(), 204);

    // The account disabled (its sessions end with it).
    let paul = app.signed_in(PAUL, PASSWORD).await;
    let access = access_of(&paul).await;
    assert_eq!(userinfo(&app, &access).await.status(), 200);
    assert_eq!(admin.set_enabled(id, false).await.status(), 204);
    assert_eq!(userinfo(&app, &access).await.status(), 401);
    assert_eq!(admin.set_enabled(id, true).await.status(), 204);

    // The portal session signed out, or past its idle timeout.
    let paul = app.signed_in(PAUL, PASSWORD).await;
    let access = access_of(&paul).await;
    assert_eq!(paul.sign_out().await.status(), 204);
    assert_eq!(userinfo(&app, &access).await.status(), 401);
    let paul = app.signed_in(PAUL, PASSWORD).await;
    let access = access_of(&paul).await;
    app.clock
        .advance(app.state.settings.session_idle_seconds + 1);
    assert_eq!(userinfo(&app, &access).await.status(), 401);
}
on_both_databases!(access_ends_with_the_right_the_account_or_the_session, demo);

async fn the_service_signs_the_person_out_of_the_portal(app: TestApp) {
    let secret = service(&app, "consultation-prets", "consultation", false)
        .await
        .unwrap();
    // Signed in again below with the password alone: no second factor here.
    let admin = app.administrator_without_factor(NUMBER, ADMIN).await;
    let tokens = tokens_for(&app, &admin, "consultation-prets", &secret).await;
    let id_token = tokens["id_token"].as_str().unwrap();

    // An address the service did not register: the portal's own page, but signed out.
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("id_token_hint", id_token)
        .append_pair("post_logout_redirect_uri", "https://evil.example/")
        .finish();
    let page = get_as(&app, &format!("/oidc/logout?{query}"), None).await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Vous êtes déconnecté"));
    assert_eq!(
        admin.get("/me").await.status(),
        401,
        "the hint named the session to end"
    );

    let admin = app.signed_in(ADMIN, crate::administration::PASSWORD).await;
    let tokens = tokens_for(&app, &admin, "consultation-prets", &secret).await;
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("id_token_hint", tokens["id_token"].as_str().unwrap())
        .append_pair("post_logout_redirect_uri", AFTER_LOGOUT)
        .append_pair("state", "fin")
        .finish();
    let back = get_as(&app, &format!("/oidc/logout?{query}"), Some(&admin.cookie)).await;
    assert_eq!(back.status(), 303);
    assert_eq!(
        location(&back).as_str(),
        format!("{AFTER_LOGOUT}?state=fin")
    );
    assert_eq!(admin.get("/me").await.status(), 401);
    assert_eq!(
        userinfo(&app, tokens["access_token"].as_str().unwrap())
            .await
            .status(),
        401
    );
}
on_both_databases!(the_service_signs_the_person_out_of_the_portal, demo);

async fn a_rotated_key_stays_published_until_its_tokens_expire(app: TestApp) {
    let secret = service(&app, "consultation-prets", "consultation", false)
        .await
        .unwrap();
    let admin = app.administrator(NUMBER, ADMIN).await;
    let before = tokens_for(&app, &admin, "consultation-prets", &secret).await;
    let old_kid = jsonwebtoken::decode_header(before["id_token"].as_str().unwrap())
        .unwrap()
        .kid
        .unwrap();

    let new_kid = keys::rotate(&app.db, app.clock.now()).await.unwrap();
    let after = tokens_for(&app, &admin, "consultation-prets", &secret).await;
    let kid = jsonwebtoken::decode_header(after["id_token"].as_str().unwrap())
        .unwrap()
        .kid
        .unwrap();
    assert_eq!(kid, new_kid);
    assert_ne!(kid, old_kid);
    // Both verify while the old key's tokens may live.
    verified(
        &app,
        before["id_token"].as_str().unwrap(),
        "consultation-prets",
    )
    .await;
    verified(
        &app,
        after["id_token"].as_str().unwrap(),
        "consultation-prets",
    )
    .await;
    app.clock.advance(ID_TOKEN_SECONDS + 1);
    let published: JwkSet = app.get("/oidc/jwks").await.json().await.unwrap();
    let kids: Vec<_> = published
        .keys
        .iter()
        .filter_map(|k| k.common.key_id.clone())
        .collect();
    assert_eq!(kids, vec![new_kid]);
    let rotated = app
        .count("SELECT COUNT(*) FROM audit_events WHERE action = 'oidc.key_rotated'")
        .await;
    assert_eq!(rotated, 1);
}
on_both_databases!(a_rotated_key_stays_published_until_its_tokens_expire, demo);

async fn services_are_registered_with_exact_safe_addresses(app: TestApp) {
    let by = Registrar::command_line();
    let at = app.clock.now();
    let client = |id: &str, service: &str, uri: &str| NewClient {
        client_id: id.into(),
        name: "Consultation".into(),
        service_code: service.into(),
        redirect_uris: vec![uri.into()],
        post_logout_redirect_uris: Vec::new(),
        public: false,
    };
    let register = |c: NewClient| {
        let (db, by) = (&app.db, &by);
        async move { clients::register(db, &c, at, by).await }
    };
    assert!(matches!(
        register(client("c", "inconnu", CALLBACK)).await,
        Err(ClientError::UnknownService(_))
    ));
    assert!(matches!(
        register(client("c", "consultation", "http://service.example/cb")).await,
        Err(ClientError::BadRedirectUri(..))
    ));
    assert!(matches!(
        register(client("C d", "consultation", CALLBACK)).await,
        Err(ClientError::BadClientId)
    ));
    let secret = register(client("c", "consultation", CALLBACK))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        register(client("c", "consultation", CALLBACK)).await,
        Err(ClientError::Exists("c".into()))
    );

    // A new secret: the old one stops at once.
    let admin = app.administrator(NUMBER, ADMIN).await;
    let new_secret = clients::rotate_secret(&app.db, "c", at, &by).await.unwrap();
    let code = code(&app, &admin, "c").await;
    let (status, _) = exchange(&app, "c", Some(&secret), &code_form(&code, VERIFIER)).await;
    assert_eq!(status, 401);
    let (status, _) = exchange(&app, "c", Some(&new_secret), &code_form(&code, VERIFIER)).await;
    assert_eq!(status, 200);
    for action in ["oidc.client_registered", "oidc.secret_rotated"] {
        let count = app
            .count(&format!(
                "SELECT COUNT(*) FROM audit_events WHERE action = '{action}'"
            ))
            .await;
        assert_eq!(count, 1, "{action}");
    }
    let stored = app
        .count("SELECT COUNT(*) FROM oidc_clients WHERE secret_hash = '' OR secret_hash IS NULL")
        .await;
    assert_eq!(stored, 0);
}
on_both_databases!(services_are_registered_with_exact_safe_addresses, demo);

async fn a_code_raced_by_many_requests_serves_once(app: TestApp) {
    let secret = service(&app, "consultation-prets", "consultation", false)
        .await
        .unwrap();
    let admin = app.administrator(NUMBER, ADMIN).await;
    let code = code(&app, &admin, "consultation-prets").await;
    let form = code_form(&code, VERIFIER);
    let attempts = (0..8).map(|_| exchange(&app, "consultation-prets", Some(&secret), &form));
    let statuses: Vec<u16> = futures_util::future::join_all(attempts)
        .await
        .into_iter()
        .map(|(status, _)| status)
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
}
on_both_databases!(a_code_raced_by_many_requests_serves_once, demo);

async fn authorizations_go_with_their_session_and_the_person(app: TestApp) {
    let secret = service(&app, "consultation-prets", "consultation", false)
        .await
        .unwrap();
    let admin = app.administrator(NUMBER, ADMIN).await;
    tokens_for(&app, &admin, "consultation-prets", &secret).await;
    let paul = paul(&app, &admin, &["consultation"]).await;
    tokens_for(&app, &paul, "consultation-prets", &secret).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM oidc_grants").await, 2);

    // The retention pass leaves the live session's, and takes the signed-out one's.
    assert_eq!(admin.sign_out().await.status(), 204);
    app.clock.advance(120);
    inscription_server::startup::apply_retention(&app.state)
        .await
        .unwrap();
    let left = app.count("SELECT COUNT(*) FROM oidc_grants").await;
    assert_eq!(left, 1);
    let details: String = crate::helpers::scalar(
        &app.db,
        "SELECT details FROM audit_events WHERE action = 'retention.applied' ORDER BY id DESC LIMIT 1",
    )
    .await;
    assert!(
        details.contains("1\u{a0}autorisation de service en ligne supprimée"),
        "{details}"
    );

    // The person's data erased on request: their authorizations and subject go too.
    let id = paul_id(&app).await;
    let op = app.operator().await;
    assert_eq!(op.erase(id, "Demande de la personne").await.status(), 204);
    assert_eq!(app.count("SELECT COUNT(*) FROM oidc_grants").await, 0);
    let subjects = app
        .count(&format!(
            "SELECT COUNT(*) FROM oidc_subjects WHERE user_id = {id}"
        ))
        .await;
    assert_eq!(subjects, 0);
}
on_both_databases!(authorizations_go_with_their_session_and_the_person, demo);

async fn a_service_in_the_browser_may_call_the_token_endpoint_but_not_the_api(app: TestApp) {
    let preflight = |path: &str| {
        app.client
            .request(reqwest::Method::OPTIONS, app.url(path))
            .header("origin", "https://appli.preteur.example")
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization, content-type",
            )
            .send()
    };
    for path in ["/oidc/token", "/oidc/userinfo"] {
        let answer = preflight(path).await.unwrap();
        assert!(answer.status().is_success(), "{path}");
        assert_eq!(
            answer.headers()["access-control-allow-origin"],
            "*",
            "{path}"
        );
        assert!(answer
            .headers()
            .get("access-control-allow-credentials")
            .is_none());
    }
    let keys = app
        .client
        .get(app.url("/oidc/jwks"))
        .header("origin", "https://appli.preteur.example")
        .send()
        .await
        .unwrap();
    assert_eq!(keys.headers()["access-control-allow-origin"], "*");
    // Neither the portal's API nor the authorization step is opened to other origins.
    for path in ["/api/session", "/oidc/authorize"] {
        let answer = preflight(path).await.unwrap();
        assert!(
            answer
                .headers()
                .get("access-control-allow-origin")
                .is_none(),
            "{path}"
        );
    }
}
on_both_databases!(
    a_service_in_the_browser_may_call_the_token_endpoint_but_not_the_api,
    demo
);
