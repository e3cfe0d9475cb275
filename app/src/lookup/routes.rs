//! The self-lookup's addresses.

pub const LOOKUP: &str = "/tra-cuu";
pub const CODE: &str = "/tra-cuu/ma";

pub const PAGES: &[&str] = &[LOOKUP, CODE];

#[cfg(feature = "ssr")]
pub fn router() -> axum::Router<crate::platform::AppState> {
    use super::handlers;
    use axum::routing::get;
    axum::Router::new()
        .route(LOOKUP, get(handlers::lookup_page).post(handlers::lookup_submit))
        .route(CODE, get(handlers::code_page).post(handlers::code_submit))
}
