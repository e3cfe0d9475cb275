//! The subject import's addresses.

pub const SUBJECTS: &str = "/co-so/nhap-doi-tuong";
pub const TEMPLATE: &str = "/co-so/nhap-doi-tuong/mau.xlsx";
pub const DRY_RUN: &str = "/co-so/nhap-doi-tuong/{upload}";
pub const APPLY: &str = "/co-so/nhap-doi-tuong/{upload}/ap-dung";

pub const PAGES: &[&str] = &[SUBJECTS, DRY_RUN];

pub fn dry_run(upload: i64) -> String {
    crate::url::fill(DRY_RUN, &[&upload.to_string()])
}

pub fn apply(upload: i64) -> String {
    crate::url::fill(APPLY, &[&upload.to_string()])
}

#[cfg(feature = "ssr")]
pub fn router() -> axum::Router<crate::platform::AppState> {
    use super::handlers;
    use axum::extract::DefaultBodyLimit;
    use axum::routing::{get, post};
    axum::Router::new()
        .route(
            SUBJECTS,
            get(handlers::subjects_page).post(handlers::upload_submit).layer(DefaultBodyLimit::max(crate::police::MAX_UPLOAD_BODY)),
        )
        .route(TEMPLATE, get(handlers::template))
        .route(DRY_RUN, get(handlers::dry_run_page))
        .route(APPLY, post(handlers::apply_submit))
}
