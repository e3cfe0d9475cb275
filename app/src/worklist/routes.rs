//! The worklist's address.

pub const WORKLIST: &str = "/co-so/lam-sach";

pub const PAGES: &[&str] = &[WORKLIST];

/// The worklist filtered to a group, a search, and the page after `after`.
pub fn worklist(group: Option<&str>, search: &str, after: Option<i64>) -> String {
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
    if query.is_empty() { WORKLIST.to_string() } else { format!("{WORKLIST}?{}", query.join("&")) }
}

#[cfg(feature = "ssr")]
pub fn router() -> axum::Router<crate::platform::AppState> {
    axum::Router::new().route(WORKLIST, axum::routing::get(super::handlers::worklist_page))
}
