use std::path::PathBuf;

use crate::helpers::{write, TestApp, TestOptions};
use crate::on_both_databases;

const WASM: &str = "/inscription-app-0123456789abcdef_bg.wasm";

/// A stand-in `dist/` with the five bundles' index, a hashed asset and its brotli twin.
fn fake_dist() -> TestOptions {
    let dir: PathBuf = std::env::temp_dir().join(format!("dist-{}", uuid::Uuid::new_v4()));
    write(&dir.join("index.html"), "<!DOCTYPE html><title>app</title>");
    write(
        &dir.join("acces/index.html"),
        "<!DOCTYPE html><title>acces</title>",
    );
    write(
        &dir.join("espaces/index.html"),
        "<!DOCTYPE html><title>espaces</title>",
    );
    write(
        &dir.join("back-office/index.html"),
        "<!DOCTYPE html><title>back-office</title>",
    );
    write(
        &dir.join("atelier/index.html"),
        "<!DOCTYPE html><title>atelier</title>",
    );
    write(&dir.join(&WASM[1..]), b"\0asm plain");
    write(&dir.join(format!("{}.br", &WASM[1..])), b"brotli bytes");
    TestOptions {
        static_dir: Some(dir),
        ..TestOptions::default()
    }
}

/// Each page gets its bundle's `index.html`: the public one, the access pages', the
/// signed-in spaces', the operators' or the designers'.
async fn client_routes_get_the_app_and_assets_are_cached_for_good(app: TestApp) {
    let public = ["/", "/inscription", "/une/route/inconnue", "/espaces-verts"];
    let access = ["/connexion", "/mot-de-passe/nouveau", "/contact"];
    let signed_in = ["/espace", "/espace/administration", "/activation"];
    let operators = ["/operateur", "/operateur/etablissements/1"];
    let designers = ["/galerie"];
    for (routes, title) in [
        (&public[..], "<title>app</title>"),
        (&access[..], "<title>acces</title>"),
        (&signed_in[..], "<title>espaces</title>"),
        (&operators[..], "<title>back-office</title>"),
        (&designers[..], "<title>atelier</title>"),
    ] {
        for route in routes {
            let response = app.get(route).await;
            assert_eq!(response.status(), 200, "{route}");
            assert_eq!(response.headers()["cache-control"], "no-cache", "{route}");
            assert!(response.text().await.unwrap().contains(title), "{route}");
        }
    }
    let asset = app
        .client
        .get(app.url(WASM))
        .header("accept-encoding", "gzip, br")
        .send()
        .await
        .unwrap();
    assert_eq!(asset.status(), 200);
    assert_eq!(asset.headers()["content-encoding"], "br");
    assert_eq!(
        asset.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(asset.bytes().await.unwrap().as_ref(), b"brotli bytes");
}
on_both_databases!(
    client_routes_get_the_app_and_assets_are_cached_for_good,
    fake_dist
);
