//! The citizen's side of a complaint: the form, filing, tracking, and the three things a
//! citizen does to a complaint (answer, confirm, reopen), each its own route.

use crate::url::fill;

pub const NEW: &str = "/phan-anh/moi";
pub const FILE: &str = "/phan-anh";
pub const TRACKING: &str = "/phan-anh/{reference}";
pub const ANSWER: &str = "/phan-anh/{reference}/tra-loi";
pub const CONFIRM: &str = "/phan-anh/{reference}/xac-nhan";
pub const REOPEN: &str = "/phan-anh/{reference}/mo-lai";
pub const EVIDENCE: &str = "/phan-anh/{reference}/tep/{token}";

pub const PAGES: &[&str] = &[NEW, TRACKING];

/// The form about `person`.
pub fn new_about(person: i64) -> String {
    format!("{NEW}?nguoi={person}")
}

/// The missing-dose form about `person`.
pub fn missing_dose_about(person: i64) -> String {
    format!("{NEW}?nguoi={person}&loai=missing_dose")
}

pub fn tracking(reference: &str) -> String {
    fill(TRACKING, &[reference])
}

pub fn answer(reference: &str) -> String {
    fill(ANSWER, &[reference])
}

pub fn confirm(reference: &str) -> String {
    fill(CONFIRM, &[reference])
}

pub fn reopen(reference: &str) -> String {
    fill(REOPEN, &[reference])
}

/// One of the complaint's files, for the household.
pub fn evidence(reference: &str, token: &str) -> String {
    fill(EVIDENCE, &[reference, token])
}

#[cfg(feature = "ssr")]
pub fn router() -> axum::Router<crate::platform::AppState> {
    use super::handlers;
    use crate::platform::submission::MAX_UPLOAD_BODY;
    use axum::extract::DefaultBodyLimit;
    use axum::routing::{get, post};
    axum::Router::new()
        .route(NEW, get(handlers::new_page))
        .route(FILE, post(handlers::submit).layer(DefaultBodyLimit::max(MAX_UPLOAD_BODY)))
        .route(TRACKING, get(handlers::tracking_page))
        .route(ANSWER, post(handlers::answer).layer(DefaultBodyLimit::max(MAX_UPLOAD_BODY)))
        .route(CONFIRM, post(handlers::confirm))
        .route(REOPEN, post(handlers::reopen))
        .route(EVIDENCE, get(handlers::evidence_file))
}
