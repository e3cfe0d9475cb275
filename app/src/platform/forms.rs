use super::AppError;
use axum::http::HeaderMap;

/// State-changing requests must come from our own pages: the browser's Origin (or, failing
/// that, Referer) must name this portal. Blocks cross-site form posts.
pub fn check_origin(headers: &HeaderMap, public_origin: &str) -> Result<(), AppError> {
    let host = headers.get(axum::http::header::HOST).and_then(|h| h.to_str().ok());
    let origin = headers
        .get(axum::http::header::ORIGIN)
        .and_then(|h| h.to_str().ok())
        .filter(|o| *o != "null")
        .map(str::to_string)
        .or_else(|| {
            headers
                .get(axum::http::header::REFERER)
                .and_then(|h| h.to_str().ok())
                .and_then(origin_of)
        });
    let Some(origin) = origin else {
        return Err(AppError::Forbidden);
    };
    let same_host = host.is_some_and(|h| origin_of(&origin).is_some_and(|o| o.ends_with(&format!("://{h}"))));
    if origin == public_origin || same_host {
        Ok(())
    } else {
        tracing::warn!(%origin, "refused a cross-origin form post");
        Err(AppError::Forbidden)
    }
}

fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split('/').next()?;
    Some(format!("{scheme}://{host}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn same_host_origin_passes() {
        let h = headers(&[("host", "127.0.0.1:3000"), ("origin", "http://127.0.0.1:3000")]);
        assert!(check_origin(&h, "https://portal.example").is_ok());
    }

    #[test]
    fn foreign_origin_and_missing_origin_fail() {
        let h = headers(&[("host", "127.0.0.1:3000"), ("origin", "http://evil.example")]);
        assert!(check_origin(&h, "https://portal.example").is_err());
        let h = headers(&[("host", "127.0.0.1:3000")]);
        assert!(check_origin(&h, "https://portal.example").is_err());
    }

    #[test]
    fn referer_is_used_when_origin_is_absent() {
        let h = headers(&[("host", "127.0.0.1:3000"), ("referer", "http://127.0.0.1:3000/tra-cuu")]);
        assert!(check_origin(&h, "https://portal.example").is_ok());
    }
}
