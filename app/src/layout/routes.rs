//! The portal's own addresses: home, language switch, sign-out, and the health checks a
//! reverse proxy or an orchestrator asks.

pub const HOME: &str = "/";
pub const LANGUAGE: &str = "/ngon-ngu";
pub const SIGN_OUT: &str = "/dang-xuat";
/// The process answers (liveness): no database involved.
pub const HEALTH: &str = "/healthz";
/// The process can serve (readiness): its database answers.
pub const READY: &str = "/readyz";

/// Pages a reader can be sent back to after switching language.
pub const PAGES: &[&str] = &[HOME];

#[cfg(feature = "ssr")]
pub fn router() -> axum::Router<crate::platform::AppState> {
    use super::handlers;
    use axum::routing::{get, post};
    axum::Router::new()
        .route(HOME, get(handlers::home_page))
        .route(LANGUAGE, post(handlers::set_language))
        .route(SIGN_OUT, post(handlers::logout))
        .route(HEALTH, get(handlers::health))
        .route(READY, get(handlers::ready))
}
