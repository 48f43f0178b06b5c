//! Step 2: the first user becomes the administrator candidate with a queued letter; a
//! later user asks for access, proves the e-mail address, and the administrators are told.

use inscription_server::db::emails;
use inscription_server::password_hash::{Hasher, Lane};
use inscription_shared::registration::{
    ExistingAccountRequest, FirstUserRequest, IdentityForm, RegistrationCase, Step2Response,
};
use inscription_shared::ErrorResponse;

use crate::helpers::{demo, exactly_one_accepted, TestApp};
use crate::on_both_databases;

pub fn identity(email: &str) -> IdentityForm {
    IdentityForm {
        civility: "Madame".into(),
        last_name: "Le Bihan".into(),
        first_name: "Anne-Sophie".into(),
        job_title: "Directrice financière".into(),
        email: email.into(),
        phone: "02 40 12 34 56".into(),
    }
}

pub fn first_user(ticket: &str, email: &str) -> FirstUserRequest {
    FirstUserRequest {
        ticket: ticket.into(),
        identity: identity(email),
        accept_admin_role: true,
        accept_cgu: true,
    }
}

pub fn access_request(ticket: &str, email: &str) -> ExistingAccountRequest {
    ExistingAccountRequest {
        ticket: ticket.into(),
        identity: IdentityForm {
            civility: "Monsieur".into(),
            last_name: "Martin".into(),
            first_name: "Paul".into(),
            ..identity(email)
        },
        password: "Tournesol!2026-Loire".into(),
        accept_cgu: true,
    }
}

async fn count_for(app: &TestApp, table: &str, condition: &str) -> i64 {
    app.count(&format!("SELECT COUNT(*) FROM {table} WHERE {condition}"))
        .await
}

/// Registers the first user of 237517; returns the temporary password from the letter.
async fn register_first_user(app: &TestApp, email: &str) -> String {
    let ticket = app.step1("237517").await.ticket;
    let response = app.register_first_user(&first_user(&ticket, email)).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let letters = inscription_server::db::letters::queued(&app.db)
        .await
        .unwrap();
    letters.last().unwrap().temporary_password.clone().unwrap()
}

async fn the_first_user_becomes_candidate_with_a_queued_letter(app: TestApp) {
    let ticket = app.step1("237517").await.ticket;
    let response = app
        .register_first_user(&first_user(&ticket, "anne-sophie.lebihan@habitat-loire.fr"))
        .await;
    assert_eq!(response.status(), 200);
    let answer: Step2Response = response.json().await.unwrap();
    assert_eq!(answer.case, RegistrationCase::FirstUser);
    assert_eq!(answer.establishment_name, "Habitat Loire Océan SA d’HLM");

    assert_eq!(
        count_for(
            &app,
            "users",
            "status = 'candidate' AND role = 'administrator'"
        )
        .await,
        1
    );
    let letters = inscription_server::db::letters::queued(&app.db)
        .await
        .unwrap();
    assert_eq!(letters.len(), 1);
    let code = letters[0].temporary_password.clone().unwrap();
    assert_eq!(code.len(), 14, "printed in three groups of four: {code}");
    assert_eq!(letters[0].email, "anne-sophie.lebihan@habitat-loire.fr");

    // Only the hash is kept with the account, and it matches the letter's code.
    let hash: String =
        crate::helpers::scalar(&app.db, "SELECT password_hash FROM temporary_passwords").await;
    assert!(hash.starts_with("$argon2id$"));
    let canonical = code.replace('-', "");
    assert!(Hasher::new(1)
        .verify(Lane::Other, &canonical, &hash)
        .await
        .unwrap());

    let events = inscription_server::db::audit::all(&app.db).await.unwrap();
    assert!(events
        .iter()
        .any(|(action, ..)| action == "registration.first_user"));

    // The next registrant of the establishment is told an account exists.
    assert_eq!(
        app.step1("237517").await.case,
        RegistrationCase::ExistingAccount
    );
}
on_both_databases!(the_first_user_becomes_candidate_with_a_queued_letter, demo);

async fn submitting_twice_creates_nothing_more(app: TestApp) {
    let ticket = app.step1("237517").await.ticket;
    let request = first_user(&ticket, "anne@habitat-loire.fr");
    let first: Step2Response = app
        .register_first_user(&request)
        .await
        .json()
        .await
        .unwrap();
    let again = app.register_first_user(&request).await;
    assert_eq!(
        again.status(),
        200,
        "a repeated submission gets the same confirmation"
    );
    assert_eq!(again.json::<Step2Response>().await.unwrap(), first);
    assert_eq!(count_for(&app, "users", "1 = 1").await, 1);
    assert_eq!(count_for(&app, "letters", "1 = 1").await, 1);
}
on_both_databases!(submitting_twice_creates_nothing_more, demo);

async fn a_first_user_form_with_errors_lists_them_all_and_stores_nothing(app: TestApp) {
    let ticket = app.step1("237517").await.ticket;
    let request = FirstUserRequest {
        ticket,
        identity: IdentityForm {
            civility: "Docteur".into(),
            email: "pas-une-adresse".into(),
            phone: "12".into(),
            ..identity("x")
        },
        accept_admin_role: false,
        accept_cgu: true,
    };
    let response = app.register_first_user(&request).await;
    assert_eq!(response.status(), 422);
    let body: ErrorResponse = response.json().await.unwrap();
    let fields: Vec<&str> = body.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(
        fields,
        ["civilite", "courriel", "telephone", "role-administrateur"]
    );
    assert_eq!(
        body.fields[3].message,
        "Cochez la case pour accepter le rôle d’administrateur."
    );
    assert_eq!(count_for(&app, "users", "1 = 1").await, 0);
    assert_eq!(count_for(&app, "letters", "1 = 1").await, 0);
}
on_both_databases!(
    a_first_user_form_with_errors_lists_them_all_and_stores_nothing,
    demo
);

async fn forged_or_stale_tickets_are_refused(app: TestApp) {
    let ticket = app.step1("237517").await.ticket;
    let forged = ticket.replacen(|c: char| c.is_ascii_digit(), "9", 1);
    for bad in ["", "n'importe quoi", forged.as_str()] {
        let response = app.register_first_user(&first_user(bad, "a@b.fr")).await;
        assert_eq!(response.status(), 410, "{bad}");
        let body: ErrorResponse = response.json().await.unwrap();
        assert!(
            body.message.contains("Recommencez l’inscription"),
            "{}",
            body.message
        );
    }
    // A ticket for case 1, used after someone else became the candidate.
    let late = app.step1("237517").await.ticket;
    let _ = register_first_user(&app, "premier@habitat-loire.fr").await;
    let response = app
        .register_first_user(&first_user(&late, "second@habitat-loire.fr"))
        .await;
    assert_eq!(response.status(), 409);
    assert_eq!(count_for(&app, "users", "1 = 1").await, 1);
}
on_both_databases!(forged_or_stale_tickets_are_refused, demo);

/// A confirmation link lasts 48 hours, on the application's clock: later, the request
/// stays unconfirmed and no administrator is told.
async fn a_confirmation_link_expires_after_two_days(app: TestApp) {
    let _ = register_first_user(&app, "admin@habitat-loire.fr").await;
    app.execute("UPDATE users SET status = 'active' WHERE status = 'candidate'")
        .await;
    let step1 = app.step1("237517").await;
    let response = app
        .request_access(&access_request(
            &step1.ticket,
            "paul.martin@habitat-loire.fr",
        ))
        .await;
    assert_eq!(response.status(), 200);
    let token = crate::helpers::link_token(&app, "paul.martin@habitat-loire.fr").await;
    app.clock.advance(48 * 3600 + 1);
    let late = app
        .verify_email(&serde_json::json!({ "token": &token }))
        .await;
    assert_eq!(late.status(), 410);
    assert_eq!(
        count_for(&app, "users", "status = 'email_unverified'").await,
        1
    );
    assert!(emails::to_recipient(&app.db, "admin@habitat-loire.fr")
        .await
        .unwrap()
        .is_empty());
}
on_both_databases!(a_confirmation_link_expires_after_two_days, demo);

/// A ticket we signed, used past its 30 minutes: refused, for both cases, and nothing made.
async fn a_signed_but_expired_ticket_is_refused(app: TestApp) {
    let ticket = app.step1("237517").await.ticket;
    app.clock.advance(30 * 60 - 5);
    let ticket_elsewhere = app.step1("12345").await.ticket;
    app.clock.advance(10);
    let response = app
        .register_first_user(&first_user(&ticket, "a@habitat-loire.fr"))
        .await;
    assert_eq!(response.status(), 410);
    let body: ErrorResponse = response.json().await.unwrap();
    assert!(
        body.message.contains("Recommencez l’inscription"),
        "{}",
        body.message
    );
    let response = app
        .request_access(&access_request(&ticket, "b@habitat-loire.fr"))
        .await;
    assert_eq!(response.status(), 410);
    assert_eq!(count_for(&app, "users", "1 = 1").await, 0);
    // The one signed later is still good: the expiry is the ticket's own.
    let response = app
        .register_first_user(&first_user(&ticket_elsewhere, "c@saint-aubin.fr"))
        .await;
    assert_eq!(response.status(), 200);
}
on_both_databases!(a_signed_but_expired_ticket_is_refused, demo);

async fn fifty_simultaneous_first_users_make_one_candidate(app: TestApp) {
    let mut tickets = Vec::new();
    for _ in 0..50 {
        tickets.push(app.step1("12345").await.ticket);
        // Stay under the per-number limit of step 1: it is not what this test is about.
        app.execute("DELETE FROM rate_limits").await;
    }
    let app = std::sync::Arc::new(app);
    let mut tasks = Vec::new();
    for (i, ticket) in tickets.into_iter().enumerate() {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            let mut request = first_user(&ticket, &format!("agent{i}@saint-aubin.fr"));
            request.identity.last_name = format!("Agent {}", "x".repeat(i % 5 + 1));
            // Fifty people, each on their own connection (behind the load balancer).
            app.client
                .post(app.url("/api/registration/first-user"))
                .header("x-forwarded-for", format!("198.51.100.{i}"))
                .json(&request)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    exactly_one_accepted(tasks).await;
    assert_eq!(count_for(&app, "users", "status = 'candidate'").await, 1);
    assert_eq!(count_for(&app, "letters", "status = 'queued'").await, 1);
}
fn behind_proxy() -> crate::helpers::TestOptions {
    crate::helpers::TestOptions {
        trusted_proxies: Some("1"),
        ..demo()
    }
}
on_both_databases!(
    fifty_simultaneous_first_users_make_one_candidate,
    behind_proxy
);

async fn an_access_request_is_verified_by_link_then_sent_to_the_administrators(app: TestApp) {
    let _ = register_first_user(&app, "admin@habitat-loire.fr").await;
    // Activation is the next issue's; here the candidate is made an active administrator.
    app.execute("UPDATE users SET status = 'active' WHERE status = 'candidate'")
        .await;

    let step1 = app.step1("237517").await;
    assert_eq!(step1.case, RegistrationCase::ExistingAccount);
    let response = app
        .request_access(&access_request(
            &step1.ticket,
            "paul.martin@habitat-loire.fr",
        ))
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    assert_eq!(
        count_for(
            &app,
            "users",
            "status = 'email_unverified' AND role = 'user'"
        )
        .await,
        1
    );

    let mail = emails::to_recipient(&app.db, "paul.martin@habitat-loire.fr")
        .await
        .unwrap();
    assert_eq!(mail.len(), 1);
    let token = crate::helpers::link_token(&app, "paul.martin@habitat-loire.fr").await;
    // The page does not disclose who the administrators are, nor does the e-mail.
    assert!(!mail[0].body.contains("admin@habitat-loire.fr"));

    let verify = app
        .verify_email(&serde_json::json!({ "token": &token }))
        .await;
    assert_eq!(verify.status(), 200);
    assert_eq!(count_for(&app, "users", "status = 'pending'").await, 1);
    let notified = emails::to_recipient(&app.db, "admin@habitat-loire.fr")
        .await
        .unwrap();
    assert_eq!(notified.len(), 1);
    assert_eq!(notified[0].subject, "Nouvelle demande d’accès à valider");

    let again = app
        .verify_email(&serde_json::json!({ "token": &token }))
        .await;
    assert_eq!(again.status(), 410, "the link is single-use");
    assert_eq!(
        emails::to_recipient(&app.db, "admin@habitat-loire.fr")
            .await
            .unwrap()
            .len(),
        1
    );

    // One pending request per person and establishment.
    let step1 = app.step1("237517").await;
    let twice = app
        .request_access(&access_request(
            &step1.ticket,
            "Paul.Martin@habitat-loire.fr",
        ))
        .await;
    assert_eq!(twice.status(), 422);
    let body: ErrorResponse = twice.json().await.unwrap();
    assert_eq!(body.fields[0].field, "courriel");
}
on_both_databases!(
    an_access_request_is_verified_by_link_then_sent_to_the_administrators,
    demo
);

async fn a_weak_password_is_refused_with_the_policy(app: TestApp) {
    let _ = register_first_user(&app, "admin@habitat-loire.fr").await;
    let step1 = app.step1("237517").await;
    let mut request = access_request(&step1.ticket, "paul.martin@habitat-loire.fr");
    request.password = "motdepasse".into();
    let response = app.request_access(&request).await;
    assert_eq!(response.status(), 422);
    let body: ErrorResponse = response.json().await.unwrap();
    assert_eq!(body.fields[0].field, "mot-de-passe");
    assert!(body.fields[0]
        .message
        .starts_with("Le mot de passe doit compter au moins 12 caractères"));
    assert_eq!(count_for(&app, "users", "role = 'user'").await, 0);
}
on_both_databases!(a_weak_password_is_refused_with_the_policy, demo);

async fn unanswered_requests_are_capped_per_hour(app: TestApp) {
    let _ = register_first_user(&app, "admin@habitat-loire.fr").await;
    for i in 0..10 {
        let ticket = app.step1("237517").await.ticket;
        app.execute("DELETE FROM rate_limits").await;
        let response = app
            .request_access(&access_request(
                &ticket,
                &format!("agent{i}@habitat-loire.fr"),
            ))
            .await;
        assert_eq!(response.status(), 200);
    }
    let ticket = app.step1("237517").await.ticket;
    let response = app
        .request_access(&access_request(&ticket, "agent10@habitat-loire.fr"))
        .await;
    assert_eq!(response.status(), 429);
}
on_both_databases!(unanswered_requests_are_capped_per_hour, demo);

async fn the_queued_letter_is_a_readable_pdf(app: TestApp) {
    let code = register_first_user(&app, "anne@habitat-loire.fr").await;
    let rows = inscription_server::db::letters::queued(&app.db)
        .await
        .unwrap();
    let letters: Vec<_> = rows
        .iter()
        .map(|r| {
            inscription_server::letter::LetterContent::of(
                r,
                &app.state.settings.lender,
                "https://services.example.org",
            )
        })
        .collect();
    let pdf = inscription_server::letter::render(&letters).unwrap();
    // To look at it: LETTER_PDF=/tmp/lettre.pdf cargo test … the_queued_letter
    if let Ok(path) = std::env::var("LETTER_PDF") {
        std::fs::write(path, &pdf).unwrap();
    }
    let text = crate::helpers::pdf_text(&pdf);
    for expected in [
        "Habitat Loire Océan SA d’HLM",
        "À l’attention du représentant légal (Directeur général)",
        "Madame Anne-Sophie Le Bihan — anne@habitat-loire.fr",
        code.as_str(),
        "vous la désignez administrateur",
        "engagent celui-ci",
        "0 800 887 300",
    ] {
        assert!(
            text.contains(expected),
            "«\u{a0}{expected}\u{a0}» missing from:\n{text}"
        );
    }
}
on_both_databases!(the_queued_letter_is_a_readable_pdf, demo);
