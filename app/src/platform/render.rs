use super::AppState;
use crate::i18n::Lang;
use crate::shell::shell;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, Uri};
use axum::response::Response;
use axum_extra::extract::cookie::CookieJar;
use leptos::prelude::provide_context;

/// Renders the Leptos app for this request, completely (no streaming placeholders, so the page
/// is whole without JavaScript), with `context` provided to the components.
pub async fn render_page(
    state: &AppState,
    uri: &Uri,
    headers: &HeaderMap,
    status: StatusCode,
    context: impl Fn() + Clone + Send + Sync + 'static,
) -> Response {
    let lang = lang_of(&CookieJar::from_headers(headers));
    let options = state.leptos_options.clone();
    let handler = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(lang);
            context();
        },
        move || shell(options.clone()),
    );
    let mut request = Request::builder().method("GET").uri(uri.clone());
    for (name, value) in headers.iter() {
        request = request.header(name, value);
    }
    let request = request.body(Body::empty()).expect("request from valid parts");
    let mut response = handler(request).await;
    if response.status() == StatusCode::OK {
        *response.status_mut() = status;
    }
    response
}

pub fn lang_of(jar: &CookieJar) -> Lang {
    match jar.get(crate::i18n::LANG_COOKIE).map(|c| c.value()) {
        Some("en") => Lang::En,
        _ => Lang::Vi,
    }
}

/// Marks a page that shows personal data: never stored by the browser or a proxy.
pub fn no_store(mut response: Response) -> Response {
    response.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    response
}
