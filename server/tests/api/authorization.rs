//! The authorization matrix: every endpoint of the route table × every kind of caller,
//! with the answer each must get, said from the endpoint's address and the product's rules
//! (not from the table): refused, or done (each endpoint is given something to act on and a
//! valid body), or a named refusal of the product. The endpoints come from the table the
//! router is built from, so a new endpoint is in this test the day it is added.

use inscription_server::routes::table::{api, Access, Endpoint};
use serde_json::json;

use crate::account::sign_in;
use crate::administration::{active_admin, pending_request, PASSWORD};
use crate::back_office::operator;
use crate::helpers::{demo, post_with, put_with, TestApp, TestOptions};
use crate::on_both_databases;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    Anonymous,
    /// A request not yet validated (its session forced into the database).
    Pending,
    /// A disabled account (its session forced into the database).
    Disabled,
    /// An establishment's first user, signed in with the letter's temporary password.
    Candidate,
    User,
    AdministratorElsewhere,
    Administrator,
    /// The same administrator, in a session opened with the password alone before their
    /// app was added (forced into the database): it has never proved the second factor.
    AdministratorUnproved,
    Operator,
    /// An operator signed in with their password alone, who has yet to add the second
    /// factor operators must hold: they may add it, and nothing else.
    OperatorWithoutFactor,
}

/// What an operator without a second factor may call: where it stands, adding it, and
/// proving it (which they cannot yet).
const ADDING_A_FACTOR: [&str; 4] = [
    "/operator/second-factor",
    "/operator/totp",
    "/operator/totp/confirmation",
    "/operator/reauthentication",
];

/// What a caller must get from an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// 401 or 403.
    Refused,
    /// A 2xx answer: the call did what it is for.
    Success,
    /// Allowed, but refused by a rule of the product this test's data meets.
    Status(u16),
    /// A public endpoint: never refused for who calls; whether it succeeds depends on a
    /// CAPTCHA, a ticket or a mailed token, which each one's own tests provide.
    Open,
}

/// The answer `caller` must get, from the address and the product's rules alone.
fn expected(method: &axum::http::Method, path: &str, caller: Caller) -> Expect {
    use axum::http::Method;
    use Caller::*;
    if !allowed(method, path, caller) {
        return Expect::Refused;
    }
    if access_by_address(method, path) == Access::Public {
        return Expect::Open;
    }
    match (caller, method, path) {
        // Another establishment's user is not found from this console.
        (AdministratorElsewhere, _, p) if p.starts_with("/admin/users/") => Expect::Status(410),
        // A full session's account is activated already.
        (
            User | AdministratorElsewhere | Administrator | AdministratorUnproved,
            &Method::POST,
            "/activation",
        ) => Expect::Status(409),
        // Each administrator here is their establishment's last: they may not leave it.
        (
            AdministratorElsewhere | Administrator | AdministratorUnproved,
            &Method::DELETE,
            "/me",
        ) => Expect::Status(409),
        // Handing out access, or lowering a user's protection, in a session that never
        // proved the administrator's second factor: refused, whatever it targets.
        (AdministratorUnproved, &Method::POST, "/admin/users/{id}/validate")
        | (
            AdministratorUnproved,
            &Method::PUT,
            "/admin/users/{id}/rights" | "/admin/users/{id}/role",
        )
        | (AdministratorUnproved, &Method::DELETE, "/admin/users/{id}/second-factor") => {
            Expect::Status(403)
        }
        // Refusing hands out nothing and asks no proof: found refused already (by the
        // same administrator's proved session, just before).
        (AdministratorUnproved, &Method::POST, "/admin/users/{id}/refuse") => Expect::Status(410),
        // The code of the app the server has just drawn a secret for: no caller has it
        // (second_factor.rs confirms with one).
        (_, &Method::POST, "/me/totp/confirmation" | "/operator/totp/confirmation") => {
            Expect::Status(422)
        }
        // The operator holds the app operators must: no second one, and the body's code is
        // none of theirs.
        (Operator, &Method::POST, "/operator/totp") => Expect::Status(409),
        (Operator, &Method::POST, "/operator/reauthentication") => Expect::Status(422),
        (OperatorWithoutFactor, &Method::POST, "/operator/reauthentication") => Expect::Status(409),
        // The administrators hold the app their role requires: none adds another, and the
        // body's code is no code of theirs. The others have no factor to prove again.
        (
            AdministratorElsewhere | Administrator | AdministratorUnproved,
            &Method::POST,
            "/me/totp",
        ) => Expect::Status(409),
        (
            AdministratorElsewhere | Administrator | AdministratorUnproved,
            &Method::POST,
            "/me/reauthentication",
        ) => Expect::Status(422),
        (_, &Method::POST, "/me/reauthentication") => Expect::Status(409),
        // Nor a passkey: none to prove again, none to remove.
        (_, &Method::POST, "/me/reauthentication/passkey/options") => Expect::Status(409),
        (_, &Method::DELETE, "/me/passkeys/{id}") => Expect::Status(410),
        // No passkey ceremony began for the token of this test's body (passkeys.rs runs
        // the ceremonies whole, with a software authenticator).
        (_, &Method::POST, "/me/passkeys" | "/me/reauthentication/passkey") => Expect::Status(410),
        _ => Expect::Success,
    }
}

/// Whether `caller` may use this endpoint.
fn allowed(method: &axum::http::Method, path: &str, caller: Caller) -> bool {
    use Caller::*;
    let access = access_by_address(method, path);
    if caller == Candidate {
        // A candidate signed in with the letter's code may only see who they are and choose
        // their password (PRODUCT.md §3), whatever the route table says of the rest.
        let choosing = (method == axum::http::Method::GET && path == "/me")
            || (method == axum::http::Method::POST && path == "/activation");
        return access == Access::Public || choosing;
    }
    match access {
        Access::Public => true,
        Access::Session => matches!(
            caller,
            User | AdministratorElsewhere
                | Administrator
                | AdministratorUnproved
                | Operator
                | OperatorWithoutFactor
        ),
        Access::Account => matches!(
            caller,
            User | AdministratorElsewhere | Administrator | AdministratorUnproved
        ),
        Access::Administrator => matches!(
            caller,
            AdministratorElsewhere | Administrator | AdministratorUnproved
        ),
        Access::Operator => {
            caller == Operator
                || (caller == OperatorWithoutFactor && ADDING_A_FACTOR.contains(&path))
        }
    }
}

/// Who may call an endpoint, said here from its address alone, not from the route table:
/// the table must agree, so that an endpoint declared more open than its place (an
/// operator's route declared public) fails this test.
fn access_by_address(method: &axum::http::Method, path: &str) -> Access {
    let under = |prefix: &str| path == prefix || path.starts_with(&format!("{prefix}/"));
    if under("/operator") {
        Access::Operator
    } else if under("/admin") {
        Access::Administrator
    } else if path == "/me" && method == axum::http::Method::GET {
        // Who is signed in: an operator too.
        Access::Session
    } else if under("/me") || path == "/activation" {
        Access::Account
    } else {
        Access::Public
    }
}

#[test]
fn the_route_table_declares_each_endpoint_as_its_address_says() {
    for e in api().endpoints {
        assert_eq!(
            e.access,
            access_by_address(&e.method, e.path),
            "{} {}",
            e.method,
            e.path
        );
    }
}

/// A session row for an account that could not sign in any more, as if its status had
/// changed after it did: the server must still refuse it.
async fn forced_session(app: &TestApp, user_id: i64, token: &str) -> String {
    let hash = inscription_server::account::token_hash(token);
    app.execute(&format!(
        "INSERT INTO sessions (token_hash, user_id, purpose, created_at, last_seen_at) \
         VALUES ('{hash}', {user_id}, 'full', {now}, {now})",
        now = inscription_server::db::now()
    ))
    .await;
    format!("inscription_session={token}")
}

/// One body that every endpoint can read (each takes the fields it knows), valid for each
/// endpoint that needs no CAPTCHA, ticket or mailed token.
fn body() -> serde_json::Value {
    let directory = "numero_client;raison_sociale;categorie;titre_representant_legal;adresse_1;\
        adresse_2;code_postal;commune;statut\n\
        555001;Office Public de l’Habitat du Val;OPH;Directeur général;1 rue Neuve;;44000;Nantes;actif\n";
    json!({
        "email": "admin@habitat-loire.fr", "password": PASSWORD, "ids": [1], "reason": "essai",
        "content": directory, "handled": true, "services": [], "administrator": false, "enabled": true,
        "civility": "Monsieur", "last_name": "Martin", "first_name": "Paul",
        "job_title": "Gestionnaire", "phone": "02 51 00 00 00",
        "token": "jeton", "ticket": "ticket", "client_number": "237517", "captcha": "",
        "code": "K7QX-3MPD-9HTW", "name": "Marie Dupont", "subject": "Autre question",
        "message": "Bonjour", "identity": {}, "accept_cgu": true, "accept_admin_role": true,
        "client_id": "service-matrice", "service_code": "consultation",
        "redirect_uris": ["https://service.example/retour"], "post_logout_redirect_uris": [],
        "ceremony": "jeton", "credential": "{}"
    })
}

/// The answer's status and body.
async fn call(app: &TestApp, e: &Endpoint, path: &str, cookie: Option<&str>) -> (u16, String) {
    let mut request = app
        .client
        .request(e.method.clone(), app.url(&format!("/api{path}")))
        .json(&body());
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.unwrap();
    (
        response.status().as_u16(),
        response.text().await.unwrap_or_default(),
    )
}

/// Whether a call that succeeded changed nothing, so that there is nothing to audit:
/// signing out without a live session (the caller's was refused, replaced by the
/// activation, or ended with the account), a dispatch of no queued letter.
fn changed_nothing(caller: Caller, e: &Endpoint, answer: &str) -> bool {
    use Caller::*;
    match (&e.method, e.path) {
        (&axum::http::Method::DELETE, "/session") => {
            matches!(caller, Anonymous | Pending | Disabled | Candidate | User)
        }
        (_, "/operator/letters/dispatch") => answer.contains("\"count\":0"),
        // The same administrator, a second time: their correction is made already.
        (&axum::http::Method::PUT, "/me") => caller == AdministratorUnproved,
        // A passkey ceremony's first half keeps its challenge a few minutes, nothing else.
        (_, p) if p.ends_with("/passkey/options") || p == "/me/passkeys/options" => true,
        _ => false,
    }
}

async fn every_endpoint_answers_each_caller_as_the_table_says(app: TestApp) {
    let admin = active_admin(&app, "237517", "admin@habitat-loire.fr").await;
    let elsewhere = active_admin(&app, "12345", "admin@saint-aubin.fr").await;
    let user_id = pending_request(&app, "237517", "paul.martin@habitat-loire.fr").await;
    let validate = format!("/api/admin/users/{user_id}/validate");
    assert_eq!(
        post_with(&app, &validate, &admin, json!({ "services": [] }))
            .await
            .status(),
        204
    );
    let (_, user, _) = sign_in(&app, "paul.martin@habitat-loire.fr", PASSWORD).await;
    let disabled_id = pending_request(&app, "237517", "zoe.durand@habitat-loire.fr").await;
    let validate = format!("/api/admin/users/{disabled_id}/validate");
    assert_eq!(
        post_with(&app, &validate, &admin, json!({ "services": [] }))
            .await
            .status(),
        204
    );
    let status = format!("/api/admin/users/{disabled_id}/status");
    assert_eq!(
        put_with(&app, &status, &admin, json!({ "enabled": false }))
            .await
            .status(),
        204
    );
    let pending_id = pending_request(&app, "237517", "lea.petit@habitat-loire.fr").await;
    let pending = forced_session(&app, pending_id, "jeton-de-la-demande").await;
    let disabled = forced_session(&app, disabled_id, "jeton-du-compte-desactive").await;
    let admin_id = app
        .count("SELECT id FROM users WHERE email = 'admin@habitat-loire.fr'")
        .await;
    let unproved = forced_session(&app, admin_id, "jeton-sans-second-facteur").await;
    let (code, _) = crate::account::candidate_of(&app, "480213", "premier@ville-exemple.fr").await;
    let (signed_in, candidate, _) = sign_in(&app, "premier@ville-exemple.fr", &code).await;
    assert_eq!(signed_in, 200);
    let op = operator(&app).await;
    let op_without_factor =
        crate::back_office::operator_without_factor(&app, "bruno.martel@preteur.example").await;
    let establishment_elsewhere = app
        .count("SELECT id FROM establishments WHERE client_number = '12345'")
        .await;
    // What each endpoint acts on, so that an allowed call can succeed: two requests to
    // decide, a user to change, another to erase, two open candidacies' letters, a
    // contact message.
    let to_refuse = pending_request(&app, "237517", "marc.leroy@habitat-loire.fr").await;
    let to_erase = pending_request(&app, "237517", "ines.roux@habitat-loire.fr").await;
    let validate = format!("/api/admin/users/{to_erase}/validate");
    assert_eq!(
        post_with(&app, &validate, &admin, json!({ "services": [] }))
            .await
            .status(),
        204
    );
    let (_, to_resend) =
        crate::account::candidate_of(&app, "326997", "a@maisons-auvergne.fr").await;
    let (_, to_cancel) = crate::account::candidate_of(&app, "577345", "b@logis-fdf.fr").await;
    let letter_of = |user_id: i64| {
        let app = &app;
        async move {
            app.count(&format!("SELECT id FROM letters WHERE user_id = {user_id}"))
                .await
        }
    };
    let (to_resend, to_cancel) = (letter_of(to_resend).await, letter_of(to_cancel).await);
    let mut message = json!({ "name": "Marie Dupont", "email": "marie.dupont@exemple.fr",
        "client_number": "", "subject": "Numéro client introuvable",
        "message": "Bonjour, je ne trouve pas notre numéro client.", "captcha": "" });
    message["captcha"] = json!(app.captcha_token().await);
    assert_eq!(app.contact(&message).await.status(), 204);
    let contact_message = app.count("SELECT MAX(id) FROM contact_messages").await;

    // What ends the caller's session comes last for each caller: the activation (a
    // candidate's session gives way to a full one), closing one's account, and signing out
    // the very last (it answers everyone).
    let mut endpoints = api().endpoints;
    endpoints.sort_by_key(|e| match (&e.method, e.path) {
        (&axum::http::Method::DELETE, "/session") => 4,
        (&axum::http::Method::DELETE, "/me") => 3,
        (&axum::http::Method::DELETE, _) => 2,
        (&axum::http::Method::POST, "/activation") => 1,
        _ => 0,
    });
    let callers = [
        (Caller::Anonymous, None),
        (Caller::Pending, Some(pending)),
        (Caller::Disabled, Some(disabled)),
        (Caller::Candidate, candidate),
        (Caller::User, user),
        (Caller::AdministratorElsewhere, Some(elsewhere)),
        (Caller::Administrator, Some(admin)),
        (Caller::AdministratorUnproved, Some(unproved)),
        (Caller::Operator, Some(op)),
        (Caller::OperatorWithoutFactor, Some(op_without_factor)),
    ];
    for (caller, cookie) in &callers {
        for e in &endpoints {
            let id = match e.path {
                "/admin/users/{id}/validate" => pending_id,
                "/admin/users/{id}/refuse" => to_refuse,
                // The disabled account (its caller came earlier; the user's closed theirs).
                p if p.starts_with("/admin/users/") => disabled_id,
                "/operator/letters/{id}/cancel" => to_cancel,
                p if p.starts_with("/operator/letters/") => to_resend,
                "/operator/users/{id}/erase" => to_erase,
                "/operator/users/{id}/second-factor" => disabled_id,
                "/operator/messages/{id}" => contact_message,
                // The other establishment's page and re-designation.
                _ => establishment_elsewhere,
            };
            let path = e.path.replace("{id}", &id.to_string());
            let audited_before = app
                .count("SELECT COALESCE(MAX(id), 0) FROM audit_events")
                .await;
            let (status, answer) = call(&app, e, &path, cookie.as_deref()).await;
            let what = format!("{caller:?} {} {path} → {status}", e.method);
            // Every change a caller makes leaves its row in the audit trail: who, from where.
            let succeeded = (200..300).contains(&status);
            if e.method != axum::http::Method::GET
                && succeeded
                && !changed_nothing(*caller, e, &answer)
            {
                let rows = app
                    .count(&format!(
                        "SELECT COUNT(*) FROM audit_events WHERE id > {audited_before} \
                         AND actor <> '' AND ip = '127.0.0.1'"
                    ))
                    .await;
                assert!(rows >= 1, "{what}: no audit row with its actor and address");
            }
            assert!(status < 500, "{what}");
            assert!(
                ![404, 405].contains(&status) || e.path.contains("{id}"),
                "{what}"
            );
            match expected(&e.method, e.path, *caller) {
                Expect::Refused => assert!([401, 403].contains(&status), "{what}"),
                Expect::Success => assert!(succeeded, "{what}: {answer}"),
                Expect::Status(expected) => assert_eq!(status, expected, "{what}: {answer}"),
                Expect::Open => assert!(![401, 403].contains(&status), "{what}"),
            }
        }
    }
}
/// The demo directory, with room for this test's five first users from one address, at a
/// public address with a domain (passkeys need one).
fn matrix() -> TestOptions {
    TestOptions {
        first_users_per_address_per_day: Some(5),
        public_url: Some(crate::helpers::PUBLIC_URL_OF_INSTANCES.into()),
        ..demo()
    }
}
on_both_databases!(every_endpoint_answers_each_caller_as_the_table_says, matrix);
