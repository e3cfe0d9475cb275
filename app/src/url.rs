//! Links are built from the same patterns the router declares, so a page's link cannot drift
//! from the route that answers it. Each slice's `routes.rs` holds its patterns, the functions
//! that fill them, and (on the server) its router.

/// `pattern` with each `{name}` segment replaced, in order, by `values`.
pub fn fill(pattern: &str, values: &[&str]) -> String {
    let mut values = values.iter();
    pattern
        .split('/')
        .map(|segment| match segment.starts_with('{') && segment.ends_with('}') {
            true => values.next().copied().unwrap_or_default(),
            false => segment,
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn fills_each_parameter_in_order() {
        assert_eq!(fill("/phan-anh/{reference}/tep/{token}", &["PA-AAAA-BBBB", "t1"]), "/phan-anh/PA-AAAA-BBBB/tep/t1");
        assert_eq!(fill("/so-lieu", &[]), "/so-lieu");
    }
}
