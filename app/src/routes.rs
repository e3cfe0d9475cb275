//! The composition of the slices' routers, and the pages a redirect may go to. Each slice keeps
//! its routes, the patterns they answer and the functions that build its links in its own
//! `routes.rs`; a new slice adds its router and its pages here.

use crate::platform::AppState;
use crate::{certificates, complaints, layout, lookup, police, records, staff, subjects, supervision, verification_list, worklist};
use axum::Router;
use std::sync::LazyLock;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(layout::routes::router())
        .merge(lookup::routes::router())
        .merge(records::routes::router())
        .merge(complaints::routes::router())
        .merge(staff::routes::router())
        .merge(supervision::routes::router())
        .merge(worklist::routes::router())
        .merge(police::routes::router())
        .merge(verification_list::routes::router())
        .merge(subjects::routes::router())
        .merge(certificates::routes::router())
}

/// The pages a citizen or staff member can be sent back to (after switching language): every
/// GET route that renders a page. Nothing else is a redirect target.
fn pages() -> impl Iterator<Item = &'static str> {
    [
        layout::routes::PAGES,
        lookup::routes::PAGES,
        records::routes::PAGES,
        complaints::routes::PAGES,
        staff::routes::PAGES,
        supervision::routes::PAGES,
        worklist::routes::PAGES,
        police::routes::PAGES,
        verification_list::routes::PAGES,
        subjects::routes::PAGES,
        certificates::routes::PAGES,
    ]
    .into_iter()
    .flatten()
    .copied()
}

static PAGE_ROUTER: LazyLock<matchit::Router<()>> = LazyLock::new(|| {
    let mut router = matchit::Router::new();
    for page in pages() {
        router.insert(page, ()).expect("distinct page routes");
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

#[cfg(test)]
mod tests {
    use super::is_page;

    /// Links built by the slices' functions are pages a reader can be sent back to.
    #[test]
    fn built_links_are_pages() {
        use crate::{complaints, staff, supervision};
        for link in [
            complaints::routes::tracking("PA-AAAA-BBBB"),
            complaints::routes::new_about(2),
            staff::routes::complaint("PA-AAAA-BBBB"),
            staff::routes::team_of(4),
            supervision::routes::complaint("PA-AAAA-BBBB"),
            supervision::routes::site_numbers(7),
            supervision::routes::numbers_of(Some("2021-P-031")),
        ] {
            assert!(is_page(&link), "{link}");
        }
    }

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
