//! The operators' back office, as an operator uses it: the outbox and its PDFs, dispatch
//! that erases the code, re-send, cancel, "not you?", the directory, re-designation, the
//! audit trail, contact messages — and nothing of it for establishment users.

use inscription_shared::operator::{
    AuditEntry, ContactMessageView, EmailOutbox, EstablishmentSummary, ImportReport, LetterStatus,
    LetterSummary, Redesignated,
};
use inscription_shared::registration::{RegistrationCase, Step2Response};
use inscription_shared::ErrorResponse;
use serde_json::json;

use crate::account::{session_cookie, sign_in};
use crate::clients::Signed;
use crate::helpers::{demo, pdf_text, TestApp, SUPPORT_EMAIL};
use crate::on_both_databases;
use crate::registration_step2::first_user;

pub const OPERATOR: &str = "claire.operatrice@preteur.example";
pub const OPERATOR_PASSWORD: &str = "Guichet!Courrier-2026";
pub const CANDIDATE: &str = "anne.lebihan@habitat-loire.fr";

/// An operator account made with the command line, signed in, who has added the one-time
/// code app operators must hold; returns their session cookie.
pub async fn operator(app: &TestApp) -> String {
    let cookie = operator_without_factor(app, OPERATOR).await;
    crate::second_factor::enrol_operator(app, &cookie).await;
    cookie
}

/// An operator account made with the command line of the server binary, password on
/// standard input, signed in for the first time: their session may only add the second
/// factor. Returns the session cookie.
pub async fn operator_without_factor(app: &TestApp, email: &str) -> String {
    let printed = operator_command(app, email, OPERATOR_PASSWORD);
    assert!(printed.contains("Opérateur créé"), "{printed}");
    let (status, cookie, response) = sign_in(app, email, OPERATOR_PASSWORD).await;
    assert_eq!(status, 200, "{}", response.text().await.unwrap_or_default());
    cookie.unwrap()
}

/// Runs `inscription-server operator <email>` on the app's database while the app runs, the
/// password on standard input; returns what it printed.
fn operator_command(app: &TestApp, email: &str, password: &str) -> String {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_inscription-server"))
        .args(["operator", email, "--name", "Claire Opératrice"])
        .env("DATABASE_URL", app.database_url())
        .env("DATA_DIR", &app.config.data_dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let printed = String::from_utf8(output.stdout).unwrap();
    assert!(!printed.contains(password));
    printed
}

/// The command line run again for an operator gives them a new password and ends their
/// sessions (an operator who lost theirs, or one who must be locked out at once).
async fn the_command_line_resets_an_operators_password(app: TestApp) {
    let cookie = operator_without_factor(&app, OPERATOR).await;
    let older = app.as_holder_of(cookie);
    assert_eq!(older.get("/me").await.status(), 200);
    let printed = operator_command(&app, OPERATOR, "Nouveau!Guichet-2027");
    assert!(
        printed.contains("Mot de passe de l’opérateur changé"),
        "{printed}"
    );
    let (status, _, _) = sign_in(&app, OPERATOR, OPERATOR_PASSWORD).await;
    assert_eq!(status, 401);
    let (status, _, _) = sign_in(&app, OPERATOR, "Nouveau!Guichet-2027").await;
    assert_eq!(status, 200);
    assert_eq!(older.get("/me").await.status(), 401);
}
on_both_databases!(the_command_line_resets_an_operators_password);

/// Registers the first user of 237517; returns the queued letter's id and its two codes.
pub async fn registered(app: &TestApp) -> (i64, String, String) {
    let ticket = app.step1("237517").await.ticket;
    let done = app
        .register_first_user(&first_user(&ticket, CANDIDATE))
        .await;
    assert_eq!(done.status(), 200);
    let letter = inscription_server::db::letters::queued(&app.db)
        .await
        .unwrap()
        .remove(0);
    (
        letter.id,
        letter.temporary_password.unwrap(),
        letter.opposition_code.unwrap(),
    )
}

async fn letters(op: &Signed<'_>, status: &str) -> Vec<LetterSummary> {
    op.json(&format!("/operator/letters?status={status}")).await
}

async fn pdf(op: &Signed<'_>, path: &str) -> String {
    let response = op.get(path).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    assert_eq!(response.headers()["cache-control"], "no-store");
    pdf_text(&response.bytes().await.unwrap())
}

async fn print_dispatch_and_resend(app: TestApp) {
    let op = app.operator().await;
    let (id, code, opposition) = registered(&app).await;
    let queued = letters(&op, "queued").await;
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].candidate_email, CANDIDATE);
    assert!(queued[0].open);

    // The batch: one letter per page set, the address block in the window, both codes.
    let text = pdf(&op, &format!("/operator/letters/batch.pdf?ids={id}")).await;
    for expected in [
        "Habitat Loire Océan SA d’HLM",
        "À l’attention du représentant légal (Directeur général)",
        "36 quai des Chartrons",
        "21000 DIJON",
        code.as_str(),
        opposition.as_str(),
        "/pas-vous",
    ] {
        assert!(
            text.contains(expected),
            "«\u{a0}{expected}\u{a0}» missing from:\n{text}"
        );
    }

    // Dispatched: the plain codes are gone from the database and from the PDF.
    let done = op.dispatch(&[id]).await;
    assert_eq!(done.json::<serde_json::Value>().await.unwrap()["count"], 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM letters WHERE temporary_password IS NOT NULL OR opposition_code IS NOT NULL")
            .await,
        0
    );
    let text = pdf(&op, &format!("/operator/letters/{id}/pdf")).await;
    assert!(
        !text.contains(&code) && !text.contains(&opposition),
        "{text}"
    );
    assert!(text.contains("effacé après l’envoi"));
    assert_eq!(
        letters(&op, "dispatched").await[0].status,
        LetterStatus::Dispatched
    );
    // Dispatching again changes nothing.
    let again = op.dispatch(&[id]).await;
    assert_eq!(again.json::<serde_json::Value>().await.unwrap()["count"], 0);

    // Re-sent: a new code in a new queued letter, the old code refused.
    let resent = op.resend(id).await;
    assert_eq!(resent.status(), 200);
    let new_letter = inscription_server::db::letters::queued(&app.db)
        .await
        .unwrap()
        .remove(0);
    let new_code = new_letter.temporary_password.unwrap();
    assert_ne!(new_code, code);
    assert_eq!(sign_in(&app, CANDIDATE, &code).await.0, 401);
    assert_eq!(sign_in(&app, CANDIDATE, &new_code).await.0, 200);

    let actions: Vec<String> = inscription_server::db::audit::all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|(action, _, _)| action)
        .collect();
    for expected in [
        "operator.created",
        "operator.signed_in",
        "letter.dispatched",
        "letter.resent",
    ] {
        assert!(
            actions.iter().any(|a| a == expected),
            "{expected} not in {actions:?}"
        );
    }
}
on_both_databases!(print_dispatch_and_resend, demo);

async fn an_operator_cancels_a_candidacy(app: TestApp) {
    let op = app.operator().await;
    let (id, code, _) = registered(&app).await;
    let no_reason = op.cancel_candidacy(id, " ").await;
    assert_eq!(no_reason.status(), 422);
    assert!(no_reason
        .json::<ErrorResponse>()
        .await
        .unwrap()
        .message
        .contains("motif"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE status = 'candidate'")
            .await,
        1
    );

    let done = op.cancel_candidacy(id, "Appel du directeur général").await;
    assert_eq!(done.status(), 204);
    assert_eq!(sign_in(&app, CANDIDATE, &code).await.0, 401);
    let mail = inscription_server::db::emails::to_recipient(&app.db, CANDIDATE)
        .await
        .unwrap();
    assert!(mail[0].subject.contains("annulée"), "{}", mail[0].subject);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM letters WHERE status = 'cancelled' AND temporary_password IS NULL")
            .await,
        1
    );
    // The establishment is free: the next registrant is a first user again.
    assert_eq!(app.step1("237517").await.case, RegistrationCase::FirstUser);
    let twice = op.cancel_candidacy(id, "encore").await;
    assert_eq!(twice.status(), 409);
}
on_both_databases!(an_operator_cancels_a_candidacy, demo);

async fn the_legal_representative_says_not_me(app: TestApp) {
    let (_, code, opposition) = registered(&app).await;
    let wrong = app
        .oppose(&json!({ "client_number": "237517", "code": "K7QX-3MPD-9HTW" }))
        .await;
    assert_eq!(wrong.status(), 422);
    let body: ErrorResponse = wrong.json().await.unwrap();
    assert_eq!(body.fields[0].field, "code-opposition");
    let other_number = app
        .oppose(&json!({ "client_number": "12345", "code": opposition }))
        .await;
    assert_eq!(other_number.status(), 422);
    let malformed = app
        .oppose(&json!({ "client_number": "0237517", "code": "abc" }))
        .await;
    let body: ErrorResponse = malformed.json().await.unwrap();
    assert_eq!(body.fields.len(), 2, "{body:?}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE status = 'candidate'")
            .await,
        1
    );

    // Typed loosely, as from paper.
    let typed = opposition.to_lowercase().replace('-', " ");
    let done = app
        .oppose(&json!({ "client_number": "237517", "code": typed }))
        .await;
    assert_eq!(done.status(), 204);
    assert_eq!(sign_in(&app, CANDIDATE, &code).await.0, 401);
    let mail = inscription_server::db::emails::to_recipient(&app.db, CANDIDATE)
        .await
        .unwrap();
    assert!(mail[0].body.contains("représentant légal"));
    let actions = inscription_server::db::audit::all(&app.db).await.unwrap();
    assert!(actions.iter().any(|(a, _, _)| a == "candidacy.opposed"));
    let replay = app
        .oppose(&json!({ "client_number": "237517", "code": opposition }))
        .await;
    assert_eq!(replay.status(), 422);
}
on_both_databases!(the_legal_representative_says_not_me, demo);

async fn directory_upload_search_and_page(app: TestApp) {
    let op = app.operator().await;
    let csv = "numero_client;raison_sociale;categorie;titre_representant_legal;adresse_1;adresse_2;code_postal;commune;statut\n\
        555001;Office Public de l’Habitat du Val;OPH;Directeur général;1 rue Neuve;;44000;Nantes;actif\n\
        55A002;Mauvais numéro;OPH;Directeur;1 rue;;44000;Nantes;actif\n\
        555003;Statut inconnu;OPH;Directeur;1 rue;;44000;Nantes;peut-être\n";
    let response = op
        .post("/operator/directory", &json!({ "content": csv }))
        .await;
    assert_eq!(response.status(), 200);
    let report: ImportReport = response.json().await.unwrap();
    assert_eq!(report.imported, 1);
    assert_eq!(report.rejected.len(), 2);
    assert!(
        report.rejected[0].starts_with("ligne 3"),
        "{:?}",
        report.rejected
    );
    let no_header = op
        .post("/operator/directory", &json!({ "content": "a;b\n1;2" }))
        .await;
    assert_eq!(no_header.status(), 422);
    assert!(no_header
        .json::<ErrorResponse>()
        .await
        .unwrap()
        .message
        .contains("Colonne manquante"));

    let by_number: Vec<EstablishmentSummary> = op.json("/operator/establishments?q=555001").await;
    assert_eq!(by_number.len(), 1);
    let by_name: Vec<EstablishmentSummary> = op
        .json("/operator/establishments?q=habitat%20du%20VAL")
        .await;
    assert_eq!(by_name[0].client_number, "555001");
    let wildcard: Vec<EstablishmentSummary> = op.json("/operator/establishments?q=%25").await;
    assert!(wildcard.is_empty());

    let (_, _, _) = registered(&app).await;
    let id = app
        .count("SELECT id FROM establishments WHERE client_number = '237517'")
        .await;
    let page = op.establishment(id).await;
    assert_eq!(page.candidate.unwrap().email, CANDIDATE);
    assert_eq!(page.letters.len(), 1);
    assert_eq!(page.address_lines, ["36 quai des Chartrons", "21000 Dijon"]);
    let unknown = op.get("/operator/establishments/999999").await;
    assert_eq!(unknown.status(), 410);
}
on_both_databases!(directory_upload_search_and_page, demo);

async fn redesignation_makes_the_next_registrant_first_user(app: TestApp) {
    let op = app.operator().await;
    let admin = app
        .administrator("237517", "ancien.admin@habitat-loire.fr")
        .await;
    assert_eq!(
        app.step1("237517").await.case,
        RegistrationCase::ExistingAccount
    );
    let id = app
        .count("SELECT id FROM establishments WHERE client_number = '237517'")
        .await;
    let done = op
        .redesignate(id, "Administrateur parti, courrier du maire")
        .await;
    assert_eq!(done.status(), 200);
    let done: Redesignated = done.json().await.unwrap();
    assert_eq!(done.former_administrators, 1);
    // The former administrator keeps an account, not the role nor the session.
    assert_eq!(admin.get("/admin/console").await.status(), 401);
    assert_eq!(app.step1("237517").await.case, RegistrationCase::FirstUser);
    let ticket = app.step1("237517").await.ticket;
    let next = app
        .register_first_user(&first_user(&ticket, "nouvelle@habitat-loire.fr"))
        .await
        .text()
        .await
        .unwrap();
    let next: Step2Response = serde_json::from_str(&next).expect(&next);
    assert_eq!(next.case, RegistrationCase::FirstUser);
}
on_both_databases!(redesignation_makes_the_next_registrant_first_user, demo);

async fn the_audit_trail_filters_exports_and_cannot_be_rewritten(app: TestApp) {
    let op = app.operator().await;
    registered(&app).await;
    let entries: Vec<AuditEntry> = op
        .json(&format!(
            "/operator/audit?establishment=237517&person={}",
            CANDIDATE.replace('@', "%40")
        ))
        .await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].action, "registration.first_user");
    let by_kind: Vec<AuditEntry> = op.json("/operator/audit?kind=operator").await;
    assert!(by_kind.iter().all(|e| e.action.starts_with("operator.")) && by_kind.len() == 2);
    let by_operator: Vec<AuditEntry> = op
        .json(&format!(
            "/operator/audit?person={}",
            OPERATOR.replace('@', "%40")
        ))
        .await;
    // Their sign-in, and the one-time code app they added then.
    let actions: Vec<&str> = by_operator.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "account.totp_enrolled",
            "account.totp_started",
            "operator.signed_in"
        ],
        "{by_operator:?}"
    );
    let future: Vec<AuditEntry> = op.json("/operator/audit?from=2999-01-01").await;
    assert!(future.is_empty());
    let bad_date = op.get("/operator/audit?from=31/12/2026").await;
    assert_eq!(bad_date.status(), 422);

    let csv = op.get("/operator/audit.csv?establishment=237517").await;
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("journal-audit.csv"));
    let text = csv.text().await.unwrap();
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    assert_eq!(
        lines.next().unwrap(),
        "date;action;acteur;adresse IP;établissement;personne;détails"
    );
    let row = lines.next().unwrap();
    assert!(
        row.contains("registration.first_user") && row.contains(CANDIDATE),
        "{row}"
    );
    assert_eq!(lines.next(), None);
    let actions = inscription_server::db::audit::all(&app.db).await.unwrap();
    assert_eq!(actions.last().unwrap().0, "audit.exported");

    // Append-only, whoever asks: the database refuses to rewrite or erase it.
    let count = app.count("SELECT COUNT(*) FROM audit_events").await;
    for sql in [
        "UPDATE audit_events SET details = 'effacé'",
        "DELETE FROM audit_events",
    ] {
        let refused = crate::helpers::try_execute(&app.db, sql).await.is_err();
        assert!(refused, "{sql} was allowed");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events").await, count);
}
on_both_databases!(
    the_audit_trail_filters_exports_and_cannot_be_rewritten,
    demo
);

async fn a_contact_message_reaches_the_console(app: TestApp) {
    let op = app.operator().await;
    let bad = app
        .contact(
            &json!({ "name": "", "email": "pas-une-adresse", "client_number": "0012345",
            "subject": "?", "message": "", "captcha": "" }),
        )
        .await;
    assert_eq!(bad.status(), 422);
    let body: ErrorResponse = bad.json().await.unwrap();
    assert_eq!(body.fields.len(), 5, "{body:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM contact_messages").await, 0);

    let message = json!({ "name": "Marie Dupont", "email": "marie.dupont@exemple.fr",
        "client_number": "", "subject": "Numéro client introuvable",
        "message": "Bonjour, je ne trouve pas notre numéro client.", "captcha": "" });
    let no_captcha = app.contact(&message).await;
    assert_eq!(no_captcha.status(), 422);
    let mut message = message;
    message["captcha"] = json!(app.captcha_token().await);
    assert_eq!(app.contact(&message).await.status(), 204);

    let list: Vec<ContactMessageView> = op.json("/operator/messages").await;
    assert_eq!(list.len(), 1);
    assert!(!list[0].handled);
    let support = inscription_server::db::emails::to_recipient(&app.db, SUPPORT_EMAIL)
        .await
        .unwrap();
    assert!(support[0]
        .body
        .contains("je ne trouve pas notre numéro client"));
    let ack = inscription_server::db::emails::to_recipient(&app.db, "marie.dupont@exemple.fr")
        .await
        .unwrap();
    assert!(ack[0].body.contains("bien reçu"));

    let path = format!("/operator/messages/{}", list[0].id);
    assert_eq!(
        op.put(&path, &json!({ "handled": true })).await.status(),
        204
    );
    let list: Vec<ContactMessageView> = op.json("/operator/messages").await;
    assert!(list[0].handled);
    let outbox: EmailOutbox = op.json("/operator/emails").await;
    assert!(!outbox.smtp);
    // The acknowledgement, the support's copy, and the operator's own notice of their app.
    assert_eq!(outbox.emails.len(), 3);
}
on_both_databases!(a_contact_message_reaches_the_console, demo);

/// What the authorization matrix (`authorization.rs`) does not hold: a candidate's
/// activation session and a forged cookie, against every operator endpoint.
async fn no_candidate_nor_forged_cookie_reaches_the_back_office(app: TestApp) {
    use inscription_server::routes::table::{api, Access};
    let ticket = app.step1("12345").await.ticket;
    app.register_first_user(&first_user(&ticket, "candidat@saint-aubin.fr"))
        .await;
    let code = inscription_server::db::letters::queued(&app.db)
        .await
        .unwrap()
        .remove(0)
        .temporary_password
        .unwrap();
    let (_, candidate, _) = sign_in(&app, "candidat@saint-aubin.fr", &code).await;
    let callers = [
        (candidate.unwrap(), 403),
        ("inscription_session=jeton-invente".to_owned(), 401),
    ];
    for e in api()
        .endpoints
        .iter()
        .filter(|e| e.access == Access::Operator)
    {
        let path = format!("/api{}", e.path.replace("{id}", "1"));
        for (cookie, expected) in &callers {
            let status = app
                .client
                .request(e.method.clone(), app.url(&path))
                .header("cookie", cookie)
                .json(&json!({ "ids": [1], "reason": "essai", "content": "", "handled": true }))
                .send()
                .await
                .unwrap()
                .status();
            assert_eq!(status, *expected, "{} {path}", e.method);
        }
    }
    let op = app.operator().await;
    // And the operator's session opens nothing of an establishment's console.
    assert_eq!(op.get("/admin/console").await.status(), 401);
    let me: serde_json::Value = op.json("/me").await;
    assert_eq!(me["role"], "operator");
    let signed_out = op.sign_out().await;
    assert!(session_cookie(&signed_out).is_none());
    assert_eq!(op.get("/operator/letters").await.status(), 401);
}
on_both_databases!(no_candidate_nor_forged_cookie_reaches_the_back_office, demo);
