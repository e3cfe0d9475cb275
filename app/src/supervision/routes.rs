//! Supervisors' addresses (the audit, its exports, a complaint and the two things a
//! supervisor does to it) and the public numbers.

use crate::url::fill;

pub const AUDIT: &str = "/giam-sat";
pub const EXPORT_CSV: &str = "/giam-sat/xuat.csv";
pub const EXPORT_XLSX: &str = "/giam-sat/xuat.xlsx";
pub const COMPLAINT: &str = "/giam-sat/phan-anh/{reference}";
pub const NOTE: &str = "/giam-sat/phan-anh/{reference}/ghi-chu";
pub const PASS_ON: &str = "/giam-sat/phan-anh/{reference}/chuyen";
pub const NUMBERS: &str = "/so-lieu";
pub const SITE_NUMBERS: &str = "/so-lieu/co-so/{site}";

pub const PAGES: &[&str] = &[AUDIT, COMPLAINT, NUMBERS, SITE_NUMBERS];

pub fn complaint(reference: &str) -> String {
    fill(COMPLAINT, &[reference])
}

pub fn note(reference: &str) -> String {
    fill(NOTE, &[reference])
}

pub fn pass_on(reference: &str) -> String {
    fill(PASS_ON, &[reference])
}

/// The numbers of an area (a unit code), or of the whole country.
pub fn numbers_of(area: Option<&str>) -> String {
    match area {
        Some(code) => format!("{NUMBERS}?khu-vuc={code}"),
        None => NUMBERS.to_string(),
    }
}

pub fn site_numbers(site: i64) -> String {
    fill(SITE_NUMBERS, &[&site.to_string()])
}

#[cfg(feature = "ssr")]
pub fn router() -> axum::Router<crate::platform::AppState> {
    use super::handlers;
    use axum::routing::{get, post};
    axum::Router::new()
        .route(AUDIT, get(handlers::audit_page))
        .route(EXPORT_CSV, get(handlers::export_csv))
        .route(EXPORT_XLSX, get(handlers::export_xlsx))
        .route(COMPLAINT, get(handlers::complaint_page))
        .route(NOTE, post(handlers::note))
        .route(PASS_ON, post(handlers::pass_on))
        .route(NUMBERS, get(handlers::numbers_page))
        .route(SITE_NUMBERS, get(handlers::site_numbers_page))
}
