//! The administrators' console: requests validated with rights or refused, rights and
//! roles changed, accounts disabled — within one's own establishment only, and never
//! leaving it without an active administrator.

use inscription_shared::administration::UserStatus;
use serde_json::json;

use crate::account::{session_cookie, sign_in};
use crate::helpers::{demo, link_token, post_with, TestApp};
use crate::on_both_databases;
use crate::registration_step2::first_user;

pub const PASSWORD: &str = "Tournesol!2026-Loire";

/// Makes `email` the active administrator of `number`, with the one-time code app their
/// role requires (added in this session, which so proved it); returns the session cookie.
pub async fn active_admin(app: &TestApp, number: &str, email: &str) -> String {
    let cookie = activated_admin(app, number, email).await;
    crate::second_factor::enrol(app, &app.as_holder_of(cookie.clone())).await;
    cookie
}

/// Makes `email` the active administrator of `number`, without the second factor their
/// console will ask for; returns their session cookie.
pub async fn activated_admin(app: &TestApp, number: &str, email: &str) -> String {
    let ticket = app.step1(number).await.ticket;
    assert_eq!(
        app.register_first_user(&first_user(&ticket, email))
            .await
            .status(),
        200
    );
    let letters = inscription_server::db::letters::queued(&app.db)
        .await
        .unwrap();
    let code = letters
        .iter()
        .find(|l| l.email == email)
        .unwrap()
        .temporary_password
        .clone()
        .unwrap();
    let (_, cookie, _) = sign_in(app, email, &code).await;
    let done = post_with(
        app,
        "/api/activation",
        &cookie.unwrap(),
        json!({ "password": PASSWORD }),
    )
    .await;
    assert_eq!(done.status(), 200);
    session_cookie(&done).unwrap()
}

/// A case-2 request of `email` at `number`, e-mail verified; returns the user's id.
pub async fn pending_request(app: &TestApp, number: &str, email: &str) -> i64 {
    let ticket = app.step1(number).await.ticket;
    let request = json!({
        "ticket": ticket,
        "identity": { "civility": "Monsieur", "last_name": "Martin", "first_name": "Paul",
            "job_title": "Gestionnaire", "email": email, "phone": "0240123456" },
        "password": PASSWORD, "accept_cgu": true
    });
    assert_eq!(app.request_access(&request).await.status(), 200);
    let token = link_token(app, email).await;
    assert_eq!(
        app.verify_email(&json!({ "token": token })).await.status(),
        200
    );
    app.count(&format!("SELECT id FROM users WHERE email = '{email}'"))
        .await
}

async fn a_request_is_validated_with_chosen_rights(app: TestApp) {
    let admin = app.administrator("237517", "admin@habitat-loire.fr").await;
    let id = pending_request(&app, "237517", "paul.martin@habitat-loire.fr").await;
    let before = admin.console().await;
    assert_eq!(before.requests.len(), 1);
    assert_eq!(before.services.len(), 6);
    assert_eq!(before.active_administrators, 1);

    let validated = admin.validate(id, &["consultation", "saisie"]).await;
    assert_eq!(validated.status(), 204);
    let after = admin.console().await;
    assert!(after.requests.is_empty());
    let paul = after.users.iter().find(|u| u.id == id).unwrap();
    assert_eq!(paul.status, UserStatus::Active);
    assert_eq!(paul.services, ["consultation", "saisie"]);
    let mail =
        inscription_server::db::emails::to_recipient(&app.db, "paul.martin@habitat-loire.fr")
            .await
            .unwrap();
    assert_eq!(
        mail[0].subject,
        "Votre accès aux services en ligne est validé"
    );

    // Paul signs in and reads "Mes habilitations".
    let paul = app
        .signed_in("paul.martin@habitat-loire.fr", PASSWORD)
        .await;
    let mine = paul.my_rights().await;
    let labels: Vec<&str> = mine.services.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Consultation des encours et des échéanciers",
            "Saisie des demandes de prêt"
        ]
    );
    assert_eq!(mine.administrators, ["Madame Anne-Sophie Le Bihan"]);

    // Rights change later.
    let changed = admin.set_rights(id, &["courriers"]).await;
    assert_eq!(changed.status(), 204);
    assert_eq!(
        admin
            .console()
            .await
            .users
            .iter()
            .find(|u| u.id == id)
            .unwrap()
            .services,
        ["courriers"]
    );
}
on_both_databases!(a_request_is_validated_with_chosen_rights, demo);

async fn a_request_is_refused_with_a_reason(app: TestApp) {
    let admin = app.administrator("237517", "admin@habitat-loire.fr").await;
    let id = pending_request(&app, "237517", "paul.martin@habitat-loire.fr").await;
    let too_long = admin.refuse(id, &"x".repeat(501)).await;
    assert_eq!(too_long.status(), 422);
    let unknown = admin.validate(id, &["tout"]).await;
    assert_eq!(unknown.status(), 422);
    assert_eq!(admin.console().await.requests.len(), 1, "nothing changed");

    let refused = admin.refuse(id, "Personne inconnue du service").await;
    assert_eq!(refused.status(), 204);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM users WHERE id = {id} AND status = 'refused'"
        ))
        .await,
        1
    );
    let mail =
        inscription_server::db::emails::to_recipient(&app.db, "paul.martin@habitat-loire.fr")
            .await
            .unwrap();
    assert!(mail[0]
        .body
        .contains("Motif\u{a0}: Personne inconnue du service"));
    assert_eq!(
        sign_in(&app, "paul.martin@habitat-loire.fr", PASSWORD)
            .await
            .0,
        401
    );
}
on_both_databases!(a_request_is_refused_with_a_reason, demo);

async fn an_administrator_reaches_nothing_of_another_establishment(app: TestApp) {
    let _ = app.administrator("237517", "admin@habitat-loire.fr").await;
    let id = pending_request(&app, "237517", "paul.martin@habitat-loire.fr").await;
    let other = app.administrator("12345", "maire@saint-aubin.fr").await;
    let theirs = other.console().await;
    assert!(theirs.requests.is_empty());
    assert!(theirs
        .users
        .iter()
        .all(|u| u.email == "maire@saint-aubin.fr"));
    let admin_id = app
        .count("SELECT id FROM users WHERE email = 'admin@habitat-loire.fr'")
        .await;
    for refused in [
        other.validate(id, &["consultation"]).await,
        other.refuse(id, "").await,
        other.set_rights(admin_id, &[]).await,
        other.set_administrator(admin_id, false).await,
        other.set_enabled(admin_id, false).await,
    ] {
        assert_eq!(refused.status(), 410, "{}", refused.url());
    }
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM users WHERE id = {id} AND status = 'pending'"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE role = 'administrator' AND status = 'active'")
            .await,
        2
    );
    assert_eq!(
        app.get("/api/admin/console").await.status(),
        401,
        "anonymous"
    );
    let wrong_method = other.get("/admin/users/abc/validate").await;
    assert_eq!(wrong_method.status(), 405);
    let body: inscription_shared::ErrorResponse = wrong_method.json().await.unwrap();
    assert_eq!(
        body.message,
        "Cette action n’est pas possible à cette adresse."
    );
    let not_a_number = other
        .post("/admin/users/abc/validate", &json!({ "services": [] }))
        .await;
    assert_eq!(not_a_number.status(), 404);
}
on_both_databases!(
    an_administrator_reaches_nothing_of_another_establishment,
    demo
);

async fn users_and_candidates_cannot_administer(app: TestApp) {
    let admin = app.administrator("237517", "admin@habitat-loire.fr").await;
    let id = pending_request(&app, "237517", "paul.martin@habitat-loire.fr").await;
    assert_eq!(
        sign_in(&app, "paul.martin@habitat-loire.fr", PASSWORD)
            .await
            .0,
        401,
        "a pending request cannot sign in"
    );
    admin.validate(id, &[]).await;
    let paul = app
        .signed_in("paul.martin@habitat-loire.fr", PASSWORD)
        .await;
    assert_eq!(paul.get("/admin/console").await.status(), 403);

    // Disabled: the session ends at once and sign-in is refused.
    assert_eq!(admin.set_enabled(id, false).await.status(), 204);
    assert_eq!(paul.get("/me").await.status(), 401);
    assert_eq!(
        sign_in(&app, "paul.martin@habitat-loire.fr", PASSWORD)
            .await
            .0,
        401
    );
    assert_eq!(admin.set_enabled(id, true).await.status(), 204);
    assert_eq!(
        sign_in(&app, "paul.martin@habitat-loire.fr", PASSWORD)
            .await
            .0,
        200
    );

    // A candidate signed in with the code may only choose a password.
    let ticket = app.step1("12345").await.ticket;
    app.register_first_user(&first_user(&ticket, "maire@saint-aubin.fr"))
        .await;
    let letters = inscription_server::db::letters::queued(&app.db)
        .await
        .unwrap();
    let code = letters
        .iter()
        .find(|l| l.email == "maire@saint-aubin.fr")
        .unwrap()
        .temporary_password
        .clone()
        .unwrap();
    let candidate = app.signed_in("maire@saint-aubin.fr", &code).await;
    assert_eq!(candidate.get("/admin/console").await.status(), 403);
    assert_eq!(candidate.get("/me/rights").await.status(), 403);
}
on_both_databases!(users_and_candidates_cannot_administer, demo);

async fn the_last_administrator_cannot_be_removed(app: TestApp) {
    let admin = app.administrator("237517", "admin@habitat-loire.fr").await;
    let admin_id = app
        .count("SELECT id FROM users WHERE email = 'admin@habitat-loire.fr'")
        .await;
    for response in [
        admin.set_administrator(admin_id, false).await,
        admin.set_enabled(admin_id, false).await,
    ] {
        assert_eq!(response.status(), 409, "{}", response.url());
        let body: inscription_shared::ErrorResponse = response.json().await.unwrap();
        assert!(body.message.contains("au moins un administrateur actif"));
    }

    // Two administrators removing each other at the same time: one of them stays.
    let id = pending_request(&app, "237517", "paul.martin@habitat-loire.fr").await;
    admin.validate(id, &[]).await;
    assert_eq!(admin.set_administrator(id, true).await.status(), 204);
    assert_eq!(admin.console().await.active_administrators, 2);
    let paul = app
        .signed_in("paul.martin@habitat-loire.fr", PASSWORD)
        .await;
    let (a, b) = tokio::join!(
        admin.set_administrator(id, false),
        paul.set_enabled(admin_id, false),
    );
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort_unstable();
    assert!(
        statuses == [204, 409] || statuses == [204, 401] || statuses == [204, 403],
        "{statuses:?}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE role = 'administrator' AND status = 'active'")
            .await,
        1
    );
}
on_both_databases!(the_last_administrator_cannot_be_removed, demo);

/// `inscription-server services …` on the test's database; (success, what it printed).
fn services_command(app: &TestApp, args: &[&str]) -> (bool, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_inscription-server"))
        .arg("services")
        .args(args)
        .env("DATABASE_URL", app.database_url())
        .env("DATA_DIR", &app.config.data_dir)
        .env("RUST_LOG", "error")
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&output.stdout).to_string()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), printed)
}

async fn the_rights_catalogue_is_changed_from_the_command_line(app: TestApp) {
    let admin = app.administrator("237517", "admin@habitat-loire.fr").await;
    let id = pending_request(&app, "237517", "paul.martin@habitat-loire.fr").await;

    let (ok, printed) = services_command(
        &app,
        &["add", "prets-bonifies", "--label", " Prêts bonifiés "],
    );
    assert!(ok, "{printed}");
    assert!(printed.contains("Service ajouté\u{a0}: prets-bonifies «\u{a0}Prêts bonifiés\u{a0}»"));
    let catalogue = admin.console().await.services;
    assert_eq!(catalogue.len(), 7);
    assert_eq!(catalogue[6].code, "prets-bonifies");
    assert_eq!(catalogue[6].label, "Prêts bonifiés");
    let validated = admin
        .validate(id, &["consultation", "prets-bonifies"])
        .await;
    assert_eq!(validated.status(), 204);

    let (ok, printed) = services_command(
        &app,
        &["label", "prets-bonifies", "--label", "Prêts à taux bonifié"],
    );
    assert!(ok, "{printed}");
    let (ok, printed) = services_command(&app, &[]);
    assert!(ok, "{printed}");
    assert!(
        printed.contains("prets-bonifies\tPrêts à taux bonifié\t1\u{a0}habilitation"),
        "{printed}"
    );

    let (ok, printed) = services_command(&app, &["remove", "prets-bonifies"]);
    assert!(ok, "{printed}");
    assert!(printed.contains("1\u{a0}habilitation retirée"), "{printed}");
    let after = admin.console().await;
    assert_eq!(after.services.len(), 6);
    let paul = after.users.iter().find(|u| u.id == id).unwrap();
    assert_eq!(paul.services, ["consultation"]);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action LIKE 'service.%'")
            .await,
        3
    );

    // Bad input changes nothing and says why, in French.
    for (args, message) in [
        (
            &["add", "Prêts", "--label", "x"][..],
            "minuscules sans accent",
        ),
        (
            &["add", "consultation", "--label", "Encore"][..],
            "existe déjà",
        ),
        (&["add", "vide", "--label", "  "][..], "libellé"),
        (
            &["remove", "inconnu"][..],
            "pas de service «\u{a0}inconnu\u{a0}»",
        ),
    ] {
        let (ok, printed) = services_command(&app, args);
        assert!(!ok, "{args:?}");
        assert!(printed.contains(message), "{args:?}: {printed}");
    }
    assert_eq!(admin.console().await.services.len(), 6);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action LIKE 'service.%'")
            .await,
        3
    );
}
on_both_databases!(the_rights_catalogue_is_changed_from_the_command_line, demo);
