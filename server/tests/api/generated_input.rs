//! Generated input: thousands of requests built at random from the route table — every
//! endpoint, odd ids, bodies of every JSON shape (and none, and not JSON), with and
//! without sessions — and not one may make the server fail (5xx).

use inscription_server::routes::table::api;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

use crate::administration::active_admin;
use crate::back_office::operator;
use crate::helpers::{demo, TestApp};
use crate::on_both_databases;

/// Requests per database (the two runs make more than 2,000).
const REQUESTS: usize = 1_100;

/// Field names the endpoints read, so that generated bodies reach the checks past parsing.
const KEYS: [&str; 24] = [
    "email",
    "password",
    "ids",
    "reason",
    "content",
    "handled",
    "services",
    "administrator",
    "enabled",
    "token",
    "ticket",
    "client_number",
    "captcha",
    "code",
    "name",
    "subject",
    "message",
    "identity",
    "accept_cgu",
    "accept_admin_role",
    "civility",
    "last_name",
    "first_name",
    "phone",
];

fn text(rng: &mut StdRng) -> String {
    const PIECES: [&str; 14] = [
        "",
        " ",
        "237517",
        "0012345",
        "K7QX-3MPD-9HTW",
        "a@b.fr",
        "Tournesol!2026-Loire",
        "é’«»",
        "\u{0}",
        "%",
        "'; DROP TABLE users; --",
        "<script>",
        "😀",
        "Consultation des encours et des échéanciers",
    ];
    let mut out = String::new();
    for _ in 0..rng.gen_range(0..4) {
        out.push_str(PIECES[rng.gen_range(0..PIECES.len())]);
    }
    if rng.gen_bool(0.05) {
        out.push_str(&"x".repeat(rng.gen_range(1..5000)));
    }
    out
}

fn value(rng: &mut StdRng, depth: u32) -> Value {
    match rng.gen_range(0..if depth > 2 { 5 } else { 7 }) {
        0 => Value::Null,
        1 => json!(rng.gen_bool(0.5)),
        2 => json!(rng.gen_range(-3i64..5)),
        3 => [json!(i64::MAX), json!(i64::MIN), json!(1.5e308)][rng.gen_range(0..3)].clone(),
        4 => json!(text(rng)),
        5 => Value::Array(
            (0..rng.gen_range(0..4))
                .map(|_| value(rng, depth + 1))
                .collect(),
        ),
        _ => object(rng, depth + 1),
    }
}

fn object(rng: &mut StdRng, depth: u32) -> Value {
    let mut map = serde_json::Map::new();
    for _ in 0..rng.gen_range(0..10) {
        map.insert(KEYS[rng.gen_range(0..KEYS.len())].into(), value(rng, depth));
    }
    Value::Object(map)
}

async fn no_generated_request_makes_the_server_fail(app: TestApp) {
    let admin = active_admin(&app, "237517", "admin@habitat-loire.fr").await;
    let op = operator(&app).await;
    let sessions = [
        None,
        Some(admin),
        Some(op),
        Some("inscription_session=x".to_owned()),
    ];
    let endpoints = api().endpoints;
    let mut rng = StdRng::seed_from_u64(20_261_127);
    let mut failures = Vec::new();
    let mut seen = std::collections::BTreeMap::<u16, usize>::new();
    for n in 0..REQUESTS {
        let e = &endpoints[rng.gen_range(0..endpoints.len())];
        let id = ["1", "2", "0", "-1", "9223372036854775807", "abc", "%C3%A9"][rng.gen_range(0..7)];
        let mut path = format!("/api{}", e.path.replace("{id}", id));
        if rng.gen_bool(0.3) {
            path.push_str(&format!(
                "?q={}&status=queued&from={}&ids=1,x",
                id,
                text(&mut rng).len()
            ));
        }
        let mut request = app.client.request(e.method.clone(), app.url(&path));
        request = match rng.gen_range(0..10) {
            0 => request,
            1 => request
                .header("content-type", "application/json")
                .body("{\"oups\":"),
            2 => request.body(text(&mut rng)),
            3 => request.json(&value(&mut rng, 0)),
            _ => request.json(&object(&mut rng, 0)),
        };
        // Signing out would end the sessions the rest of the run needs.
        let session = &sessions[rng.gen_range(0..sessions.len())];
        if let (Some(cookie), false) = (session, e.method == axum::http::Method::DELETE) {
            request = request.header("cookie", cookie);
        }
        let status = request.send().await.unwrap().status();
        *seen.entry(status.as_u16()).or_default() += 1;
        if status.is_server_error() {
            failures.push(format!("#{n} {} {path} → {status}", e.method));
        }
    }
    assert!(
        failures.is_empty(),
        "{} server errors:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // The inputs reach past parsing: some succeed, some are refused field by field.
    eprintln!("statuses of {REQUESTS} generated requests: {seen:?}");
    assert!(
        seen.keys().any(|s| (200..300).contains(s)) && seen.contains_key(&422),
        "{seen:?}"
    );
}
on_both_databases!(no_generated_request_makes_the_server_fail, demo);
