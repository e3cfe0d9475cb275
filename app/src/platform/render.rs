use super::AppState;
use crate::i18n::Lang;
use crate::shell::Here;
use crate::shell::shell;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Request, StatusCode, Uri, header};
use axum::response::Response;
use axum_extra::extract::cookie::CookieJar;
use leptos::nonce::Nonce;
use leptos::prelude::{IntoView, provide_context};

/// Renders one page, completely (no streaming placeholders, so the page is whole without
/// JavaScript). The handler passes the page with its data as props: `page` builds it, and may
/// first provide the form's typed values (`FormState`) for the form fields below it.
pub async fn render_page<V: IntoView + 'static>(
    state: &AppState,
    uri: &Uri,
    headers: &HeaderMap,
    status: StatusCode,
    page: impl Fn() -> V + Clone + Send + Sync + 'static,
) -> Response {
    let lang = lang_of(&CookieJar::from_headers(headers));
    let options = state.leptos_options.clone();
    // A fresh nonce per page: the hydration script carries it, and the policy allows no other
    // inline script.
    let nonce = super::session::random_token();
    let policy = content_security_policy(&format!("'self' 'nonce-{nonce}' 'wasm-unsafe-eval'"));
    let here = Here(uri.path().to_string());
    let handler = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(lang);
            provide_context(Nonce::from_value(nonce.clone()));
            provide_context(here.clone());
        },
        move || shell(options.clone(), page.clone()),
    );
    // leptos_axum renders for a request; the page is already chosen, so only the headers matter.
    let mut request = Request::builder().method("GET").uri("/");
    for (name, value) in headers.iter() {
        request = request.header(name, value);
    }
    let request = request.body(Body::empty()).expect("request from valid parts");
    let mut response = handler(request).await;
    if response.status() == StatusCode::OK {
        *response.status_mut() = status;
    }
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response
}

/// A file to keep (an export): its type, the name it is saved under, never cached.
pub fn attachment(content_type: &str, name: &str, body: Vec<u8>) -> Response {
    use axum::response::IntoResponse;
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

pub const PERMISSIONS_POLICY: axum::http::HeaderName = axum::http::HeaderName::from_static("permissions-policy");

/// What every answer may use of the device: nothing (a layer sets it where a page has not).
pub fn no_device_access() -> axum::http::HeaderValue {
    axum::http::HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=(), usb=()")
}

/// The certificate check's page: the camera, for its scanner, from this origin only.
pub fn camera_allowed() -> axum::http::HeaderValue {
    axum::http::HeaderValue::from_static("camera=(self), microphone=(), geolocation=(), payment=(), usb=()")
}

/// The portal's one Content-Security-Policy, differing only in what may run: a page allows
/// this origin's scripts carrying its nonce and the wasm bundle; every other answer (errors,
/// redirects) `'none'`. No plugins, no framing, forms post only here.
pub fn content_security_policy(script_src: &str) -> String {
    format!(
        "default-src 'self'; script-src {script_src}; style-src 'self'; img-src 'self' data:; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

pub fn lang_of(jar: &CookieJar) -> Lang {
    match jar.get(crate::i18n::LANG_COOKIE).map(|c| c.value()) {
        Some("en") => Lang::En,
        _ => Lang::Vi,
    }
}
