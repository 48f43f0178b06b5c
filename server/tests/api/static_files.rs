use std::path::PathBuf;

use crate::helpers::{write, TestApp, TestOptions};
use crate::on_both_databases;

const WASM: &str = "/inscription-app-0123456789abcdef_bg.wasm";

/// A stand-in `dist/` holding `files` (path in it, contents).
fn dist(files: &[(&str, &[u8])]) -> PathBuf {
    let dir: PathBuf = std::env::temp_dir().join(format!("dist-{}", uuid::Uuid::new_v4()));
    for (path, contents) in files {
        write(&dir.join(path), contents);
    }
    dir
}

/// A stand-in `dist/` with the six bundles' index, a hashed asset and its brotli twin.
fn fake_dist() -> TestOptions {
    let wasm = format!("{}.br", &WASM[1..]);
    TestOptions {
        static_dir: Some(dist(&[
            ("index.html", b"<!DOCTYPE html><title>app</title>"),
            (
                "etape-2/index.html",
                b"<!DOCTYPE html><title>etape-2</title>",
            ),
            ("acces/index.html", b"<!DOCTYPE html><title>acces</title>"),
            (
                "espaces/index.html",
                b"<!DOCTYPE html><title>espaces</title>",
            ),
            (
                "back-office/index.html",
                b"<!DOCTYPE html><title>back-office</title>",
            ),
            (
                "atelier/index.html",
                b"<!DOCTYPE html><title>atelier</title>",
            ),
            (&WASM[1..], b"\0asm plain"),
            (&wasm, b"brotli bytes"),
        ])),
        ..TestOptions::default()
    }
}

/// Each page gets its bundle's `index.html`: the public one, the wizard's second step's,
/// the access pages', the signed-in spaces', the operators' or the designers'.
async fn client_routes_get_the_app_and_assets_are_cached_for_good(app: TestApp) {
    let public = ["/", "/inscription", "/une/route/inconnue", "/espaces-verts"];
    let step2 = ["/inscription/etape-2", "/inscription/confirmation"];
    let access = ["/connexion", "/mot-de-passe/nouveau", "/contact"];
    let signed_in = ["/espace", "/espace/administration", "/activation"];
    let operators = ["/operateur", "/operateur/etablissements/1"];
    let designers = ["/galerie"];
    for (routes, title) in [
        (&public[..], "<title>app</title>"),
        (&step2[..], "<title>etape-2</title>"),
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

/// A built public page, with the frames of two pages painted ahead: the home page's, and
/// the wizard's, which holds the CAPTCHA (as `e2e/frames.mjs` writes them).
fn painted_dist() -> PathBuf {
    dist(&[
        (
            "index.html",
            b"<!DOCTYPE html><title>app</title><body><div id=coquille><p>cadre nu</p></div>\
              <noscript>JS</noscript>",
        ),
        (
            "frames/accueil.html",
            b"<title>Accueil</title>\n<main><h1>Bienvenue</h1></main>\n",
        ),
        (
            "frames/inscription.html",
            "<title>Étape 1</title>\n<main><h1>Créer mon compte</h1>\
             <div class=\"field captcha\" id=\"captcha-zone\"><input type=\"checkbox\" id=\"captcha\">\
             <p>sans service tiers ni traceur</p></div></main>\n"
                .as_bytes(),
        ),
    ])
}

/// With reCAPTCHA, a page whose first view holds the CAPTCHA is not painted ahead: its
/// frame shows the self-hosted box and says that no third party takes part. The other
/// pages still are.
async fn with_recaptcha_the_captchas_pages_are_drawn_by_the_app(app: TestApp) {
    let wizard = app.get("/inscription").await.text().await.unwrap();
    assert!(wizard.contains("cadre nu"), "{wizard}");
    assert!(!wizard.contains("sans service tiers"), "{wizard}");
    let home = app.get("/").await.text().await.unwrap();
    assert!(home.contains("<h1>Bienvenue</h1>"), "{home}");
}
on_both_databases!(
    with_recaptcha_the_captchas_pages_are_drawn_by_the_app,
    || TestOptions {
        // Never called: no token is checked here.
        recaptcha: Some("http://127.0.0.1:9/recaptcha/api/siteverify".into()),
        static_dir: Some(painted_dist()),
        ..TestOptions::default()
    }
);

/// With the proof of work, the wizard's frame is the page's first view.
async fn with_the_proof_of_work_the_wizard_is_painted(app: TestApp) {
    let wizard = app.get("/inscription").await.text().await.unwrap();
    assert!(wizard.contains("sans service tiers"), "{wizard}");
    assert!(!wizard.contains("cadre nu"), "{wizard}");
}
on_both_databases!(with_the_proof_of_work_the_wizard_is_painted, || {
    TestOptions {
        static_dir: Some(painted_dist()),
        ..TestOptions::default()
    }
});
