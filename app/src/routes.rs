//! Every URL the portal answers, in one place. Paths are Vietnamese: citizens read them.

use crate::platform::AppState;
use crate::platform::submission::MAX_UPLOAD_BODY;
use crate::{complaints, layout, lookup, records, staff, supervision};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use std::sync::LazyLock;

/// The pages a citizen or staff member can be sent back to (after switching language): every
/// GET route that renders a page. Nothing else is a redirect target.
const PAGES: &[&str] = &[
    "/",
    "/tra-cuu",
    "/tra-cuu/ma",
    "/ho-so",
    "/phan-anh/moi",
    "/phan-anh/{reference}",
    "/co-so",
    "/co-so/dang-nhap",
    "/co-so/phan-anh/{reference}",
    "/co-so/nhan-vien",
    "/co-so/xac-thuc",
    "/co-so/bao-mat",
    "/so-lieu",
    "/so-lieu/co-so/{site}",
    "/giam-sat",
    "/giam-sat/phan-anh/{reference}",
];

static PAGE_ROUTER: LazyLock<matchit::Router<()>> = LazyLock::new(|| {
    let mut router = matchit::Router::new();
    for page in PAGES {
        router.insert(*page, ()).expect("distinct page routes");
    }
    router
});

/// Whether `target` (path and optional query) is one of this portal's pages, written only
/// with characters a URL needs: never another host, a scheme, a control or bidi character.
pub fn is_page(target: &str) -> bool {
    let safe = |c: char| c.is_ascii_alphanumeric() || "/-_.~?=&%+".contains(c);
    if target.len() > 512 || !target.chars().all(safe) {
        return false;
    }
    let path = target.split('?').next().unwrap_or_default();
    PAGE_ROUTER.at(path).is_ok()
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(layout::handlers::home_page))
        .route("/ngon-ngu", post(layout::handlers::set_language))
        .route("/dang-xuat", post(layout::handlers::logout))
        .route("/tra-cuu", get(lookup::handlers::lookup_page).post(lookup::handlers::lookup_submit))
        .route("/tra-cuu/ma", get(lookup::handlers::code_page).post(lookup::handlers::code_submit))
        .route("/ho-so", get(records::handlers::record_page))
        .route("/phan-anh/moi", get(complaints::handlers::new_page))
        .route("/phan-anh", post(complaints::handlers::submit).layer(DefaultBodyLimit::max(MAX_UPLOAD_BODY)))
        .route("/phan-anh/{reference}", get(complaints::handlers::tracking_page))
        .route("/phan-anh/{reference}/{action}", post(complaints::handlers::act).layer(DefaultBodyLimit::max(MAX_UPLOAD_BODY)))
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
        .route("/co-so/xac-thuc", get(staff::account::second_step_page).post(staff::account::second_step_submit))
        .route("/co-so/bao-mat", get(staff::account::account_page))
        .route("/co-so/bao-mat/xac-thuc", post(staff::account::enrol_submit))
        .route("/co-so/bao-mat/mat-khau", post(staff::account::password_submit))
}

#[cfg(test)]
mod tests {
    use super::is_page;

    #[test]
    fn only_the_portals_own_pages_are_redirect_targets() {
        for ok in ["/", "/tra-cuu", "/phan-anh/PA-2026-000001", "/so-lieu?tu=2026-01-01&den=2026-02-01", "/phan-anh/moi?nguoi=2"] {
            assert!(is_page(ok), "{ok}");
        }
        for bad in [
            "/\t/evil.example",
            "/\u{9}/evil.example",
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "/khong-co",
            "/phan-anh/x/y/z",
            "",
            "/tra-cuu\r\nSet-Cookie:x",
        ] {
            assert!(!is_page(bad), "{bad:?}");
        }
    }
}
