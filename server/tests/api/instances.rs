//! Several instances on one PostgreSQL (PRODUCT.md §6, §10): two server processes that
//! share nothing but the database hold every rule together.

use inscription_server::ticket::{Ticket, TicketSigner};
use inscription_shared::registration::Step1Request;
use serde_json::json;

use crate::helpers::{
    demo, exactly_one_accepted, free_port, spawn_app_with, start_process, wait_ready, Backend,
    PUBLIC_URL_OF_INSTANCES,
};
use crate::registration_step2::first_user;

/// Two server processes on the app's database, ready: their base addresses and processes.
async fn two_instances(app: &crate::helpers::TestApp) -> ([String; 2], [std::process::Child; 2]) {
    let ports = [free_port(), free_port()];
    let servers = ports.map(|port| start_process(app, port));
    let bases = ports.map(|port| format!("http://127.0.0.1:{port}"));
    for base in &bases {
        wait_ready(base).await;
    }
    (bases, servers)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_postgresql_share_every_rule() {
    let Some(app) = spawn_app_with(Backend::Postgres, demo()).await else {
        return;
    };
    let (bases, mut servers) = two_instances(&app).await;

    // 100 simultaneous first users of one establishment, half on each instance.
    let secret: String = crate::helpers::scalar(
        &app.db,
        "SELECT value FROM settings WHERE name = 'secret_key'",
    )
    .await;
    let establishment = app
        .count("SELECT id FROM establishments WHERE client_number = '237517'")
        .await;
    let signer = TicketSigner::new(&secret);
    let mut tasks = Vec::new();
    for i in 0..100 {
        let ticket = signer.sign(&Ticket {
            establishment_id: establishment,
            expires_at: inscription_server::db::now() + 600,
            nonce: format!("concurrent-{i:03}-{}", uuid::Uuid::new_v4().simple()),
        });
        let (client, base) = (app.client.clone(), bases[i % 2].clone());
        tasks.push(tokio::spawn(async move {
            client
                .post(format!("{base}/api/registration/first-user"))
                .header("x-forwarded-for", format!("198.51.100.{i}"))
                .json(&first_user(&ticket, &format!("agent{i}@habitat-loire.fr")))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    exactly_one_accepted(tasks).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE status = 'candidate'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM letters WHERE status = 'queued'")
            .await,
        1
    );

    // A CAPTCHA answer used on one instance is refused on the other.
    let token = app.captcha_token().await;
    let step1 = |base: &str| {
        app.client
            .post(format!("{base}/api/registration/step1"))
            .json(&Step1Request {
                client_number: "12345".into(),
                captcha: token.clone(),
            })
            .send()
    };
    assert_eq!(step1(&bases[0]).await.unwrap().status(), 200);
    assert_eq!(step1(&bases[1]).await.unwrap().status(), 422);

    // A session opened on one instance works on the other.
    let letter = inscription_server::db::letters::queued(&app.db)
        .await
        .unwrap()
        .remove(0);
    let signed_in = app
        .client
        .post(format!("{}/api/session", bases[0]))
        .json(&json!({ "email": letter.email, "password": letter.temporary_password.unwrap() }))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 200);
    let cookie = crate::account::session_cookie(&signed_in).unwrap();
    let me = app
        .client
        .get(format!("{}/api/me", bases[1]))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);

    // Rate limits are counted once for both: 5 failures per account and address, whichever
    // instance.
    for i in 0..5 {
        let wrong = app
            .client
            .post(format!("{}/api/session", bases[i % 2]))
            .json(&json!({ "email": "inconnu@exemple.fr", "password": "mauvais" }))
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), 401);
    }
    for base in &bases {
        let throttled = app
            .client
            .post(format!("{base}/api/session"))
            .json(&json!({ "email": "inconnu@exemple.fr", "password": "mauvais" }))
            .send()
            .await
            .unwrap();
        assert_eq!(throttled.status(), 429, "{base}");
    }
    for server in &mut servers {
        server.kill().unwrap();
        server.wait().unwrap();
    }
}

/// Step 1's attempts, written in batches by each instance, meet on shared rows (an address,
/// a number, a token sent to both): every attempt is answered, none fails on the database,
/// and each token serves once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_write_step_1_bursts_side_by_side() {
    let Some(app) = spawn_app_with(Backend::Postgres, demo()).await else {
        return;
    };
    let (bases, mut servers) = two_instances(&app).await;
    let numbers = ["237517", "12345", "480213", "326997", "577345"];
    let mut tokens = Vec::new();
    for _ in 0..48 {
        tokens.push(app.captcha_token().await);
    }
    for round in 0..3 {
        let mut tasks = Vec::new();
        // Each token goes to both instances; the addresses and numbers overlap.
        for i in 0..32 {
            let (client, base) = (app.client.clone(), bases[i % 2].clone());
            let token = tokens[round * 16 + i / 2].clone();
            let body = json!({ "client_number": numbers[i % 5], "captcha": token });
            tasks.push(tokio::spawn(async move {
                let status = client
                    .post(format!("{base}/api/registration/step1"))
                    .header("x-forwarded-for", format!("203.0.113.{}", i % 7))
                    .json(&body)
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16();
                (token, status)
            }));
        }
        let mut served = std::collections::HashMap::new();
        for task in tasks {
            let (token, status) = task.await.unwrap();
            assert!(status < 500, "attempt answered {status}");
            if status == 200 {
                *served.entry(token).or_insert(0) += 1;
            }
        }
        let twice = served.values().filter(|n| **n > 1).count();
        assert_eq!(twice, 0, "tokens served more than once");
        if round == 0 {
            // Within every limit yet: each of the sixteen tokens served, on one instance.
            assert_eq!(served.len(), 16);
        }
    }
    for server in &mut servers {
        server.kill().unwrap();
        server.wait().unwrap();
    }
}

/// The services' sign-in across two instances: a code from one is exchanged on the other,
/// once only however the requests are spread, and both publish and sign with one key set.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_sign_people_in_to_the_services_as_one() {
    use crate::oidc::{authorization, code_form, parameter, service, ADMIN, NUMBER, VERIFIER};
    let Some(app) = spawn_app_with(Backend::Postgres, demo()).await else {
        return;
    };
    let secret = service(&app, "consultation-prets", "consultation", false)
        .await
        .unwrap();
    let admin = app.administrator(NUMBER, ADMIN).await;
    let (bases, mut servers) = two_instances(&app).await;
    let code_from = |base: String| {
        let (client, cookie) = (app.client.clone(), admin.cookie.clone());
        async move {
            let response = client
                .get(format!(
                    "{base}{}",
                    authorization("consultation-prets", &[])
                ))
                .header("cookie", cookie)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 303);
            let location =
                url::Url::parse(response.headers()["location"].to_str().unwrap()).unwrap();
            assert_eq!(
                parameter(&location, "iss").as_deref(),
                Some(PUBLIC_URL_OF_INSTANCES)
            );
            parameter(&location, "code").unwrap()
        }
    };
    let exchange_on = |base: String, code: String| {
        let (client, secret) = (app.client.clone(), secret.clone());
        async move {
            client
                .post(format!("{base}/oidc/token"))
                .basic_auth("consultation-prets", Some(secret))
                .form(&code_form(&code, VERIFIER))
                .send()
                .await
                .unwrap()
        }
    };

    // Twenty simultaneous exchanges of one code, half on each instance: one succeeds.
    let code = code_from(bases[0].clone()).await;
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let exchange = exchange_on(bases[i % 2].clone(), code.clone());
            tokio::spawn(async move { exchange.await.status().as_u16() })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| [200, 400].contains(s)),
        "{statuses:?}"
    );

    // A code from B exchanged on A; its token read on B; one key set on both.
    let code = code_from(bases[1].clone()).await;
    let tokens: serde_json::Value = exchange_on(bases[0].clone(), code)
        .await
        .json()
        .await
        .unwrap();
    let userinfo = app
        .client
        .get(format!("{}/oidc/userinfo", bases[1]))
        .bearer_auth(tokens["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(userinfo.status(), 200);
    let jwks = |base: String| {
        let client = app.client.clone();
        async move {
            client
                .get(format!("{base}/oidc/jwks"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    assert_eq!(jwks(bases[0].clone()).await, jwks(bases[1].clone()).await);
    for server in &mut servers {
        server.kill().unwrap();
        server.wait().unwrap();
    }
}
