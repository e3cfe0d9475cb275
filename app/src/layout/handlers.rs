use super::{HomePage, NotFoundPage};
use crate::i18n::LANG_COOKIE;
use crate::platform::render::render_page;
use crate::platform::session::{self, cookie};
use crate::platform::{AppError, AppState};
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use leptos::prelude::*;
use serde::Deserialize;

pub async fn home_page(State(state): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    render_page(&state, &uri, &headers, StatusCode::OK, || view! { <HomePage /> }).await
}

pub async fn not_found(State(state): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    render_page(&state, &uri, &headers, StatusCode::NOT_FOUND, || view! { <NotFoundPage /> }).await
}

#[derive(Deserialize)]
pub struct LangForm {
    #[serde(default)]
    lang: String,
    #[serde(default)]
    next: String,
}

/// Switches the language with a plain form post, so it works without JavaScript.
pub async fn set_language(State(state): State<AppState>, jar: CookieJar, Form(form): Form<LangForm>) -> Result<Response, AppError> {
    let lang = if form.lang == "en" { "en" } else { "vi" };
    // Only one of our own pages: never an open redirect.
    let next = if crate::routes::is_page(&form.next) { form.next } else { super::routes::HOME.to_string() };
    let jar = jar.add(cookie(&state, LANG_COOKIE, lang.to_string(), 365 * 24 * 3600));
    Ok((jar, Redirect::to(&next)).into_response())
}

pub async fn logout(State(state): State<AppState>, jar: CookieJar) -> Result<Response, AppError> {
    let jar = session::end(&state, jar).await?;
    Ok((jar, Redirect::to(super::routes::HOME)).into_response())
}

/// Liveness: the process answers.
pub async fn health() -> &'static str {
    "ok"
}

/// Readiness: the database answers within two seconds (503 otherwise), so a proxy sends no
/// traffic to a server that cannot serve it.
pub async fn ready(State(state): State<AppState>) -> Response {
    let ping = sqlx::query_scalar::<_, i32>("SELECT 1").fetch_one(state.db.write());
    match tokio::time::timeout(std::time::Duration::from_secs(2), ping).await {
        Ok(Ok(_)) => "ready".into_response(),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "not ready: the database refused");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database too slow").into_response(),
    }
}
