//! Serving the built single-page app: hashed assets precompressed and cached for good,
//! `index.html` revalidated, and every client route answered with the `index.html` of its
//! bundle (`inscription_shared::bundles`), with the page's first view painted in it when
//! the app has one (`app/frames/`).

use std::path::{Path, PathBuf};

use std::sync::Arc;

use axum::extract::Request;
use axum::http::header::{HeaderValue, CACHE_CONTROL};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::Router;
use inscription_shared::bundles::{Bundle, CAPTCHA_ZONE_ID};
use inscription_shared::legal;
use inscription_shared::pages::Page;
use inscription_shared::retention::{self, Durations};
use tower_http::services::ServeDir;

use crate::lender::{Lender, DEFAULT_NAME, DEFAULT_PHONE};

/// The `index.html` of each bundle (in `Bundle::ALL` order), which every page of that
/// bundle is answered with.
pub fn pages(static_dir: &Path) -> [PathBuf; Bundle::ALL.len()] {
    Bundle::ALL.map(|bundle| index_of(static_dir, bundle))
}

fn index_of(static_dir: &Path, bundle: Bundle) -> PathBuf {
    match bundle.dir() {
        Some(dir) => static_dir.join(dir).join("index.html"),
        None => static_dir.join("index.html"),
    }
}

/// The folder of the built app that holds the pages painted ahead (`app/frames/`, written
/// by `e2e/frames.mjs`): each one's first view, as the app draws it.
const FRAMES_DIR: &str = "frames";

/// The file of the page at `path` in [`FRAMES_DIR`], if it is a page of the app that may
/// be painted ahead: a name made from the page's own address, never from what the request
/// says. (The signed-in and operators' pages have none: no file is looked for.)
fn frame_file(path: &str) -> Option<String> {
    let page = Page::FIXED
        .iter()
        .map(|page| page.path())
        .find(|page| page == path)
        .filter(|page| Bundle::of(page).painted_ahead())?;
    Some(match page.strip_prefix('/') {
        Some("") | None => "accueil.html".to_owned(),
        Some(name) => format!("{}.html", name.replace('/', "-")),
    })
}

/// The built page with `frame` (its title on the first line, then what the app draws in
/// the body) in place of the bare frame (`<div id="coquille">`): the page shows its
/// headings and its form before the app comes, which removes it and draws the same.
fn painted(html: &str, frame: &str) -> String {
    let Some((title, body)) = frame.split_once('\n') else {
        return html.to_owned();
    };
    let shell = ["<div id=coquille>", "<div id=\"coquille\">"]
        .iter()
        .find_map(|open| Some(html.find(open)? + open.len()));
    let Some(start) = shell else {
        return html.to_owned();
    };
    // The shell is the last element before the <noscript> message.
    let Some(end) = html[start..]
        .find("<noscript")
        .and_then(|noscript| html[start..start + noscript].rfind("</div>"))
    else {
        return html.to_owned();
    };
    let html = format!(
        "{}{}{}",
        &html[..start],
        body.trim_end(),
        &html[start + end..]
    );
    let title = title
        .strip_prefix("<title>")
        .and_then(|t| t.strip_suffix("</title>"))
        .unwrap_or_default();
    replace_between(&html, "<title>", "</title>", title)
}

/// What to write in place of what in a frame drawn with the defaults (`e2e/frames.mjs`),
/// so that it says the configured host and retention durations: the legal notice and the
/// personal data page show them. (The lender's name and phone are written into the whole
/// page by [`configured`].) Made once, when the server starts.
fn legal_swaps(settings: &PageSettings) -> Vec<(String, String)> {
    let mut swaps = Vec::new();
    if !settings.hosting.is_empty() {
        swaps.push((legal::self_hosted(DEFAULT_NAME), escape(&settings.hosting)));
    }
    let drawn = legal::kept(&Durations::DEFAULT);
    let configured = legal::kept(&settings.retention);
    for ((_, default), (_, wanted)) in drawn.iter().zip(&configured) {
        if default != wanted {
            swaps.push((
                format!("<td>{default}</td>"),
                format!("<td>{}</td>", escape(wanted)),
            ));
        }
    }
    swaps
}

/// `frame` with each of `swaps` made.
fn swapped(frame: &str, swaps: &[(String, String)]) -> String {
    swaps.iter().fold(frame.to_owned(), |frame, (from, to)| {
        frame.replace(from, to)
    })
}

/// What the server writes into the pages from its configuration.
#[derive(Debug, Clone)]
pub struct PageSettings {
    pub lender: Lender,
    /// Who hosts the service, for the legal notice (empty: the lender itself).
    pub hosting: String,
    pub retention: Durations,
    /// reCAPTCHA's site key, when it is the CAPTCHA: the app shows Google's widget from
    /// its first drawing, without asking the server which CAPTCHA it uses.
    pub recaptcha_site_key: Option<String>,
}

pub fn router(static_dir: &Path, settings: PageSettings) -> Router {
    let static_dir = Arc::new(static_dir.to_path_buf());
    let swaps = Arc::new(legal_swaps(&settings));
    let settings = Arc::new(settings);
    let files_dir = static_dir.as_ref().clone();
    let page = axum::routing::any(move |request: Request| async move {
        let uri = request.uri();
        let page = index_of(&static_dir, Bundle::of(uri.path()));
        // Read at each request, as a rebuilt app replaces them: a few kilobytes.
        let Ok(html) = tokio::fs::read_to_string(page).await else {
            return StatusCode::NOT_FOUND.into_response();
        };
        // A query may change what the page first shows (a token, a return address): the
        // app draws those itself.
        let frame = match frame_file(uri.path()).filter(|_| uri.query().is_none()) {
            Some(file) => tokio::fs::read_to_string(static_dir.join(FRAMES_DIR).join(file))
                .await
                .ok(),
            None => None,
        };
        // The frames are drawn with the self-hosted CAPTCHA: with reCAPTCHA, a page whose
        // first view holds it is drawn by the app (the frame would say no third party
        // takes part, and its box is not Google's).
        let recaptcha = settings.recaptcha_site_key.is_some();
        let holds_captcha = |frame: &String| frame.contains(&format!("id=\"{CAPTCHA_ZONE_ID}\""));
        let html = match frame.filter(|frame| !(recaptcha && holds_captcha(frame))) {
            Some(frame) => painted(&html, &swapped(&frame, &swaps)),
            None => html,
        };
        Html(configured(&html, &settings)).into_response()
    });
    // `/` and `…/index.html` are pages too: never the file as built.
    let files = ServeDir::new(files_dir)
        .append_index_html_on_directories(false)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(page.clone());
    let mut router = Router::new().route("/index.html", page.clone());
    for dir in Bundle::ALL.iter().filter_map(|b| b.dir()) {
        router = router.route(&format!("/{dir}/index.html"), page.clone());
    }
    router
        .fallback_service(files)
        .layer(axum::middleware::from_fn(cache_control))
}

/// The page as built, with the lender's name and phone instead of the defaults it was
/// built with, and its time zone, the host, the retention durations and reCAPTCHA's site
/// key in the `<meta>` tags the app reads.
pub fn configured(html: &str, settings: &PageSettings) -> String {
    let lender = &settings.lender;
    let default_phone = DEFAULT_PHONE.replace(' ', "\u{a0}");
    // The pages painted ahead carry the number as a link too.
    let dialled = |phone: &str| -> String {
        let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
        format!("tel:{digits}")
    };
    let html = html
        .replace(DEFAULT_NAME, &escape(&lender.name))
        .replace(&default_phone, &escape(&lender.phone))
        .replace(&dialled(DEFAULT_PHONE), &dialled(&lender.phone));
    let html = set_meta(&html, "inscription-lender", &lender.name);
    let html = set_meta(&html, "inscription-phone", &lender.phone);
    let html = set_meta(&html, "inscription-time-zone", &lender.zone_name);
    let html = set_meta(&html, "inscription-hosting", &settings.hosting);
    let html = set_meta(
        &html,
        "inscription-recaptcha",
        settings.recaptcha_site_key.as_deref().unwrap_or_default(),
    );
    set_meta(&html, retention::META, &settings.retention.to_meta())
}

/// Rewrites the `<meta>` tag named `name`, however the build wrote it (trunk's minifier
/// reorders attributes and drops the quotes it can).
fn set_meta(html: &str, name: &str, content: &str) -> String {
    for marker in [format!("name={name}"), format!("name=\"{name}\"")] {
        let Some(at) = html.find(&marker) else {
            continue;
        };
        if let (Some(start), Some(length)) = (html[..at].rfind("<meta"), html[at..].find('>')) {
            return format!(
                "{}<meta name=\"{name}\" content=\"{}\">{}",
                &html[..start],
                escape(content),
                &html[at + length + 1..]
            );
        }
    }
    html.to_owned()
}

/// A page the server writes itself (the sign-in of the services: its stops and refusals),
/// in the public bundle's frame and stylesheet, without its script: nothing takes it over,
/// and the stylesheet is the one the Content-Security-Policy already allows.
#[derive(Debug, Clone)]
pub struct ServerPages {
    static_dir: PathBuf,
    settings: PageSettings,
}

/// The frame when no app is built (an API-only server).
const BARE_PAGE: &str = "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">\
    <title>Prêteur public</title></head><body>\
    <main class=\"container site-main site-main--coquille\"></main></body></html>";

impl ServerPages {
    pub fn new(static_dir: &Path, settings: PageSettings) -> Self {
        Self {
            static_dir: static_dir.to_path_buf(),
            settings,
        }
    }

    /// What the server writes into the pages.
    pub fn settings(&self) -> &PageSettings {
        &self.settings
    }

    /// The page with this title and main content (HTML the caller has escaped).
    pub async fn render(&self, title: &str, main: &str) -> String {
        let built = tokio::fs::read_to_string(index_of(&self.static_dir, Bundle::Public)).await;
        let html = configured(built.as_deref().unwrap_or(BARE_PAGE), &self.settings);
        let html = without(&html, "<script", "</script>");
        let html = without(&html, "<noscript", "</noscript>");
        let html = without_preloads(&html);
        let html = replace_between(
            &html,
            "<title>",
            "</title>",
            &format!("{} — {}", escape(title), escape(&self.settings.lender.name)),
        );
        html.replacen(
            "<main class=\"container site-main site-main--coquille\"></main>",
            &format!("<main class=\"container site-main\" id=\"contenu\">{main}</main>"),
            1,
        )
    }
}

/// `html` without any element from `open` to the first `close` after it.
fn without(html: &str, open: &str, close: &str) -> String {
    without_those(html, open, close, |_| true)
}

/// `html` without its `<link>`s that preload the app (the wasm), which a page without its
/// scripts would fetch for nothing: quoted or not, as trunk's minifier writes them.
fn without_preloads(html: &str) -> String {
    let rels = [
        "rel=preload",
        "rel=\"preload\"",
        "rel=modulepreload",
        "rel=\"modulepreload\"",
    ];
    without_those(html, "<link", ">", |link| {
        link.split([' ', '>'])
            .any(|attribute| rels.contains(&attribute))
    })
}

/// `html` without the elements from `open` to the first `close` after it that `drop` says
/// (given the element's whole text); an element left unclosed ends the page.
fn without_those(html: &str, open: &str, close: &str, drop: impl Fn(&str) -> bool) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(open) {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find(close) else {
            return out;
        };
        let element = &rest[start..start + end + close.len()];
        if !drop(element) {
            out.push_str(element);
        }
        rest = &rest[start + end + close.len()..];
    }
    out.push_str(rest);
    out
}

/// `html` with the text between `open` and `close` replaced.
fn replace_between(html: &str, open: &str, close: &str, text: &str) -> String {
    match (html.find(open), html.find(close)) {
        (Some(start), Some(end)) if start + open.len() <= end => {
            format!("{}{open}{text}{}", &html[..start], &html[end..])
        }
        _ => html.to_owned(),
    }
}

pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Trunk names assets `name-<hash>.ext` (or `…_bg.wasm`), the hash a u64 in hex without
/// its leading zeros (16 digits, or fewer one time in sixteen): such a file never changes.
fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or_default();
    file.split('-').skip(1).any(|part| {
        let hash = part.split(['.', '_']).next().unwrap_or_default();
        (10..=16).contains(&hash.len())
            && hash.bytes().all(|b| b.is_ascii_hexdigit())
            && part.len() > hash.len()
    })
}

async fn cache_control(request: Request, next: Next) -> Response {
    let immutable = is_hashed_asset(request.uri().path());
    let mut response = next.run(request).await;
    let value = if immutable && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

#[cfg(test)]
mod tests {
    use super::is_hashed_asset;

    #[test]
    fn a_page_without_scripts_keeps_no_preload() {
        // As trunk's minifier writes them, and as written by hand.
        let built =
            "<head><link as=fetch crossorigin href=/a_bg.wasm rel=preload type=application/wasm>\
            <link rel=\"modulepreload\" href=\"/a.js\"><link rel=icon href=/i.svg>\
            <link href=/a.js rel=modulepreload></head>";
        assert_eq!(
            super::without_preloads(built),
            "<head><link rel=icon href=/i.svg></head>"
        );
    }

    #[test]
    fn the_page_carries_the_lenders_name_phone_zone_retention_and_captcha() {
        let lender =
            crate::lender::Lender::new("Caisse <Test> & Cie", "01 23 45 67 89", "America/Cayenne")
                .unwrap();
        // As trunk's minifier writes them: attributes reordered, quotes dropped.
        let built = "<title>Services en ligne — Prêteur public</title>\
            <meta content=\"Prêteur public\" name=inscription-lender>\
            <meta content=0\u{a0}800\u{a0}887\u{a0}300 name=inscription-phone>\
            <meta content=Europe/Paris name=inscription-time-zone>\
            <meta content=\"7 90 30 365 365\" name=inscription-retention>\
            <meta content=\"\" name=inscription-hosting>\
            <meta content=\"\" name=inscription-recaptcha><body>\
            <p>appelez le <a href=\"tel:0800887300\">0\u{a0}800\u{a0}887\u{a0}300</a>.</p>";
        let retention = inscription_shared::retention::Durations {
            emails: 10,
            ..inscription_shared::retention::Durations::DEFAULT
        };
        let page = super::configured(
            built,
            &super::PageSettings {
                lender,
                hosting: "Hébergeur & Cie".into(),
                retention,
                recaptcha_site_key: Some("clé-du-site".into()),
            },
        );
        assert!(page.contains("Services en ligne — Caisse &lt;Test&gt; &amp; Cie</title>"));
        assert!(page.contains(
            "<meta name=\"inscription-lender\" content=\"Caisse &lt;Test&gt; &amp; Cie\">"
        ));
        assert!(page.contains(
            "<meta name=\"inscription-phone\" content=\"01\u{a0}23\u{a0}45\u{a0}67\u{a0}89\">"
        ));
        assert!(page.contains("<meta name=\"inscription-time-zone\" content=\"America/Cayenne\">"));
        assert!(page.contains("<meta name=\"inscription-retention\" content=\"7 90 10 365 365\">"));
        assert!(
            page.contains("<meta name=\"inscription-hosting\" content=\"Hébergeur &amp; Cie\">")
        );
        assert!(
            page.contains("<meta name=\"inscription-recaptcha\" content=\"clé-du-site\"><body>")
        );
        assert!(page.contains(
            "appelez le <a href=\"tel:0123456789\">01\u{a0}23\u{a0}45\u{a0}67\u{a0}89</a>."
        ));
    }

    /// The legal pages' frames, drawn with the defaults, say the configured host and
    /// durations; with the defaults configured, they are sent as drawn.
    #[test]
    fn the_legal_pages_painted_ahead_say_the_configured_host_and_durations() {
        use inscription_shared::legal::{kept, self_hosted};
        use inscription_shared::retention::Durations;
        let drawn = format!(
            "<p>{}</p><table>{}</table>",
            self_hosted(crate::lender::DEFAULT_NAME),
            kept(&Durations::DEFAULT)
                .map(|(what, how_long)| format!("<tr><td>{what}</td><td>{how_long}</td></tr>"))
                .concat()
        );
        let settings = |hosting: &str, retention| super::PageSettings {
            lender: crate::lender::Lender::new("Caisse", "01 23 45 67 89", "Europe/Paris").unwrap(),
            hosting: hosting.into(),
            retention,
            recaptcha_site_key: None,
        };
        let configured = Durations {
            emails: 10,
            audit_events: 1,
            ..Durations::DEFAULT
        };
        let swaps = super::legal_swaps(&settings("Hébergeur <&> Cie", configured));
        let frame = super::swapped(&drawn, &swaps);
        assert!(
            frame.contains("<p>Hébergeur &lt;&amp;&gt; Cie</p>"),
            "{frame}"
        );
        assert!(!frame.contains("sur ses propres serveurs"), "{frame}");
        assert!(
            frame.contains("<td>10\u{a0}jours après l’envoi</td>"),
            "{frame}"
        );
        assert!(
            frame.contains("<td>1\u{a0}jour, puis pseudonymisé"),
            "{frame}"
        );
        assert!(
            frame.contains("<td>7\u{a0}jours après la demande</td>"),
            "{frame}"
        );
        assert!(!frame.contains("30\u{a0}jours"), "{frame}");
        assert_eq!(
            super::swapped(
                &drawn,
                &super::legal_swaps(&settings("", Durations::DEFAULT))
            ),
            drawn
        );
    }

    #[test]
    fn a_page_painted_ahead_is_named_after_the_pages_own_address() {
        assert_eq!(super::frame_file("/").as_deref(), Some("accueil.html"));
        assert_eq!(
            super::frame_file("/inscription").as_deref(),
            Some("inscription.html")
        );
        assert_eq!(
            super::frame_file("/mot-de-passe/nouveau").as_deref(),
            Some("mot-de-passe-nouveau.html")
        );
        // Never a name from the request: unknown pages, other spellings, climbing out; and
        // none for the pages of bundles that start from the bare frame.
        for path in [
            "/inscription/etape-2",
            "/espace",
            "/operateur",
            "/inconnue",
            "/operateur/etablissements/12",
            "/inscription/",
            "/../secrets",
            "/cgu/../../x",
            "//cgu",
        ] {
            assert_eq!(super::frame_file(path), None, "{path}");
        }
    }

    #[test]
    fn the_frame_replaces_the_bare_shell_and_the_title() {
        // As trunk's minifier writes the shell.
        let built = "<head><title>Prêteur public — Services en ligne</title></head><body>\
            <div id=coquille><header><div>x</div></header><main class=\"m\"></main></div>\
            <noscript>JavaScript</noscript></body>";
        let frame = "<title>Créer mon compte — Prêteur public</title>\n\
            <header>h</header><main><h1>Créer mon compte</h1><input id=numero-client></main>\n";
        assert_eq!(
            super::painted(built, frame),
            "<head><title>Créer mon compte — Prêteur public</title></head><body>\
            <div id=coquille><header>h</header><main><h1>Créer mon compte</h1>\
            <input id=numero-client></main></div><noscript>JavaScript</noscript></body>"
        );
        // A page built without the shell is sent as built.
        let bare = "<body><main></main><noscript>JavaScript</noscript></body>";
        assert_eq!(super::painted(bare, frame), bare);
    }

    #[test]
    fn recognises_trunk_hashed_names() {
        assert!(is_hashed_asset("/inscription-app-3f2a9c1b0d4e5f67_bg.wasm"));
        assert!(is_hashed_asset("/inscription-app-3f2a9c1b0d4e5f67.js"));
        assert!(is_hashed_asset("/main-0123456789abcdef.css"));
        assert!(is_hashed_asset(
            "/espaces/inscription-spaces-ba3eeac8b6687b5_bg.wasm"
        ));
        assert!(!is_hashed_asset("/documents/tutoriel-inscription.pdf"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/inscription/etape-1"));
    }
}
