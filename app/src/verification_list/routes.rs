//! The verification list's addresses.

use super::Filter;

pub const LIST: &str = "/co-so/xac-minh";
pub const EXPORT_XLSX: &str = "/co-so/xac-minh/xuat.xlsx";

pub const PAGES: &[&str] = &[LIST];

/// The list with `filter`, continuing before change `before`.
pub fn list(filter: &Filter, before: Option<i64>) -> String {
    with_query(LIST, filter, before)
}

pub fn export(filter: &Filter) -> String {
    with_query(EXPORT_XLSX, filter, None)
}

fn with_query(path: &str, f: &Filter, before: Option<i64>) -> String {
    let mut query = vec![format!("tu={}", f.from.format("%Y-%m-%d")), format!("den={}", f.to.format("%Y-%m-%d"))];
    if let Some(source) = f.source {
        query.push(format!("nguon={}", source.code()));
    }
    if let Some(group) = f.group {
        query.push(format!("nhom={}", group.code()));
    }
    if let Some(before) = before {
        query.push(format!("truoc={before}"));
    }
    format!("{path}?{}", query.join("&"))
}

#[cfg(feature = "ssr")]
pub fn router() -> axum::Router<crate::platform::AppState> {
    use axum::routing::get;
    axum::Router::new().route(LIST, get(super::handlers::list_page)).route(EXPORT_XLSX, get(super::handlers::export_xlsx))
}
