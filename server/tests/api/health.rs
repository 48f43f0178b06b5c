use crate::helpers::TestApp;
use crate::on_both_databases;

async fn healthz_and_readyz_answer(app: TestApp) {
    let health = app.get("/healthz").await;
    assert_eq!(health.status(), 200);
    assert_eq!(health.text().await.unwrap(), "ok");
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), 200);
}
on_both_databases!(healthz_and_readyz_answer);

async fn readyz_fails_when_the_database_is_gone(app: TestApp) {
    app.db.close().await;
    assert_eq!(app.get("/readyz").await.status(), 503);
    assert_eq!(app.get("/healthz").await.status(), 200);
}
on_both_databases!(readyz_fails_when_the_database_is_gone);

async fn unknown_api_paths_answer_json_in_french(app: TestApp) {
    let response = app.get("/api/nimporte-quoi").await;
    assert_eq!(response.status(), 404);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["message"], "Cette adresse n’existe pas.");
}
on_both_databases!(unknown_api_paths_answer_json_in_french);
