//! Every URL the portal answers, in one place. Paths are Vietnamese: citizens read them.

use crate::platform::AppState;
use crate::{complaints, lookup, records, site, staff, supervision};
use crate::platform::submission::MAX_UPLOAD_BODY;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(site::handlers::home_page))
        .route("/ngon-ngu", post(site::handlers::set_language))
        .route("/dang-xuat", post(site::handlers::logout))
        .route("/tra-cuu", get(lookup::handlers::lookup_page).post(lookup::handlers::lookup_submit))
        .route("/tra-cuu/ma", get(lookup::handlers::code_page).post(lookup::handlers::code_submit))
        .route("/ho-so", get(records::handlers::record_page))
        .route("/phan-anh/moi", get(complaints::handlers::new_page))
        .route("/phan-anh", post(complaints::handlers::submit).layer(DefaultBodyLimit::max(MAX_UPLOAD_BODY)))
        .route("/phan-anh/{reference}", get(complaints::handlers::tracking_page))
        .route(
            "/phan-anh/{reference}/{action}",
            post(complaints::handlers::act).layer(DefaultBodyLimit::max(MAX_UPLOAD_BODY)),
        )
        .route("/phan-anh/{reference}/tep/{token}", get(complaints::handlers::evidence_file))
        .route("/co-so", get(staff::handlers::inbox_page))
        .route("/co-so/dang-nhap", get(staff::handlers::login_page).post(staff::handlers::login_submit))
        .route("/co-so/dang-xuat", post(staff::handlers::logout))
        .route("/co-so/phan-anh/{reference}", get(staff::handlers::complaint_page))
        .route("/co-so/phan-anh/{reference}/{action}", post(staff::handlers::act))
        .route("/co-so/phan-anh/{reference}/tep/{token}", get(staff::handlers::evidence_file))
        .route("/co-so/nhan-vien", get(staff::handlers::team_page).post(staff::handlers::invite_submit))
        .route("/co-so/nhan-vien/{id}/khoa", post(staff::handlers::disable_submit))
        .route("/so-lieu", get(supervision::handlers::numbers_page))
        .route("/so-lieu/co-so/{site}", get(supervision::handlers::site_numbers_page))
        .route("/giam-sat", get(supervision::handlers::audit_page))
        .route("/giam-sat/{file}", get(supervision::handlers::export))
        .route("/giam-sat/phan-anh/{reference}", get(supervision::handlers::complaint_page))
        .route("/giam-sat/phan-anh/{reference}/{action}", post(supervision::handlers::act))
        .route("/co-so/mat-khau/{token}", get(staff::handlers::password_page).post(staff::handlers::password_submit))
}
