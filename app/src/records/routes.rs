//! The household's record page.

pub const RECORD: &str = "/ho-so";

pub const PAGES: &[&str] = &[RECORD];

#[cfg(feature = "ssr")]
pub fn router() -> axum::Router<crate::platform::AppState> {
    axum::Router::new().route(RECORD, axum::routing::get(super::handlers::record_page))
}
