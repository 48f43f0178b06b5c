//! Serving the built single-page app: hashed assets precompressed and cached for good,
//! `index.html` revalidated, and every client route answered with the `index.html` of its
//! bundle (`inscription_shared::bundles`): the public one, or the signed-in spaces'.

use std::path::{Path, PathBuf};

use axum::extract::Request;
use axum::http::header::{HeaderValue, CACHE_CONTROL};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use inscription_shared::bundles::{Bundle, SIGNED_IN_DIR};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

/// The `index.html` of each bundle, which every page of that bundle is answered with.
pub fn pages(static_dir: &Path) -> [PathBuf; 2] {
    [
        static_dir.join("index.html"),
        static_dir.join(SIGNED_IN_DIR).join("index.html"),
    ]
}

pub fn router(static_dir: &Path) -> Router {
    let [public, signed_in] =
        pages(static_dir).map(|page| ServeFile::new(page).precompressed_br().precompressed_gzip());
    let page = axum::routing::any(move |request: Request| async move {
        let page = match Bundle::of(request.uri().path()) {
            Bundle::Public => public,
            Bundle::SignedIn => signed_in,
        };
        page.oneshot(request).await
    });
    let files = ServeDir::new(static_dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(page);
    Router::new()
        .fallback_service(files)
        .layer(axum::middleware::from_fn(cache_control))
}

/// Trunk names assets `name-<16 hex digits>.ext` (or `…_bg.wasm`): such a file never changes.
fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or_default();
    file.split('-').skip(1).any(|part| {
        let hash = part.split(['.', '_']).next().unwrap_or_default();
        hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()) && part.len() > 16
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
    fn recognises_trunk_hashed_names() {
        assert!(is_hashed_asset("/inscription-app-3f2a9c1b0d4e5f67_bg.wasm"));
        assert!(is_hashed_asset("/inscription-app-3f2a9c1b0d4e5f67.js"));
        assert!(is_hashed_asset("/main-0123456789abcdef.css"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/inscription/etape-1"));
    }
}
