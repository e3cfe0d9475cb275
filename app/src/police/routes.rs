//! The police batches' addresses.

pub const BATCHES: &str = "/co-so/cong-an";
pub const NEW_BATCH: &str = "/co-so/cong-an/lo-moi";
pub const BATCH: &str = "/co-so/cong-an/lo/{id}";
pub const BATCH_FILE: &str = "/co-so/cong-an/lo/{id}/danh-sach.xlsx";
pub const UPLOAD: &str = "/co-so/cong-an/lo/{id}/nhap";
pub const DRY_RUN: &str = "/co-so/cong-an/lo/{id}/nhap/{upload}";
pub const APPLY: &str = "/co-so/cong-an/lo/{id}/nhap/{upload}/ap-dung";

pub const PAGES: &[&str] = &[BATCHES, BATCH, DRY_RUN];

pub fn batch(id: i64) -> String {
    crate::url::fill(BATCH, &[&id.to_string()])
}

pub fn batch_file(id: i64) -> String {
    crate::url::fill(BATCH_FILE, &[&id.to_string()])
}

pub fn upload(id: i64) -> String {
    crate::url::fill(UPLOAD, &[&id.to_string()])
}

pub fn dry_run(id: i64, upload: i64) -> String {
    crate::url::fill(DRY_RUN, &[&id.to_string(), &upload.to_string()])
}

pub fn apply(id: i64, upload: i64) -> String {
    crate::url::fill(APPLY, &[&id.to_string(), &upload.to_string()])
}

#[cfg(feature = "ssr")]
pub fn router() -> axum::Router<crate::platform::AppState> {
    use super::handlers;
    use axum::extract::DefaultBodyLimit;
    use axum::routing::{get, post};
    axum::Router::new()
        .route(BATCHES, get(handlers::batches_page))
        .route(NEW_BATCH, post(handlers::create_submit))
        .route(BATCH, get(handlers::batch_page))
        .route(BATCH_FILE, get(handlers::batch_file))
        .route(UPLOAD, post(handlers::upload_submit).layer(DefaultBodyLimit::max(super::MAX_UPLOAD_BODY)))
        .route(DRY_RUN, get(handlers::dry_run_page))
        .route(APPLY, post(handlers::apply_submit))
}
