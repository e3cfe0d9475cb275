//! The worklist's address.

pub const WORKLIST: &str = "/co-so/lam-sach";
pub const EXPORT_XLSX: &str = "/co-so/lam-sach/xuat.xlsx";
pub const RECORD: &str = "/co-so/lam-sach/ho-so/{id}";
pub const EDIT: &str = "/co-so/lam-sach/ho-so/{id}/sua";
pub const CONFIRM: &str = "/co-so/lam-sach/ho-so/{id}/xac-nhan";
pub const CHECK: &str = "/co-so/lam-sach/ho-so/{id}/kiem-tra";
pub const MERGE: &str = "/co-so/lam-sach/gop/{id}/{other}";
pub const NOT_SAME: &str = "/co-so/lam-sach/gop/{id}/{other}/khac-nguoi";

pub const PAGES: &[&str] = &[WORKLIST, RECORD, MERGE];

pub fn confirm(id: i64) -> String {
    crate::url::fill(CONFIRM, &[&id.to_string()])
}

pub fn check(id: i64) -> String {
    crate::url::fill(CHECK, &[&id.to_string()])
}

pub fn merge(id: i64, other: i64) -> String {
    crate::url::fill(MERGE, &[&id.to_string(), &other.to_string()])
}

pub fn not_same(id: i64, other: i64) -> String {
    crate::url::fill(NOT_SAME, &[&id.to_string(), &other.to_string()])
}

pub fn record(id: i64) -> String {
    crate::url::fill(RECORD, &[&id.to_string()])
}

pub fn edit(id: i64) -> String {
    crate::url::fill(EDIT, &[&id.to_string()])
}

/// The worklist filtered to a group, a search, and the page after `after`.
pub fn worklist(group: Option<&str>, search: &str, after: Option<i64>) -> String {
    with_query(WORKLIST, group, search, after)
}

/// The same view as an Excel file (every row, not one page).
pub fn export(group: Option<&str>, search: &str) -> String {
    with_query(EXPORT_XLSX, group, search, None)
}

fn with_query(path: &str, group: Option<&str>, search: &str, after: Option<i64>) -> String {
    let mut query = Vec::new();
    if let Some(group) = group {
        query.push(format!("nhom={group}"));
    }
    if !search.is_empty() {
        query.push(format!("tim={}", search.replace('%', "%25").replace('&', "%26").replace(' ', "+")));
    }
    if let Some(after) = after {
        query.push(format!("sau={after}"));
    }
    if query.is_empty() { path.to_string() } else { format!("{path}?{}", query.join("&")) }
}

#[cfg(feature = "ssr")]
pub fn router() -> axum::Router<crate::platform::AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route(WORKLIST, get(super::handlers::worklist_page))
        .route(EXPORT_XLSX, get(super::handlers::export_xlsx))
        .route(RECORD, get(super::handlers::record_page))
        .route(EDIT, axum::routing::post(super::handlers::edit_submit))
        .route(CONFIRM, axum::routing::post(super::handlers::confirm_submit))
        .route(CHECK, axum::routing::post(super::handlers::check_submit))
        .route(MERGE, get(super::handlers::merge_page).post(super::handlers::merge_submit))
        .route(NOT_SAME, axum::routing::post(super::handlers::not_same_submit))
}
