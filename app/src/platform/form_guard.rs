use super::session::keyed_hash;
use super::{AppError, AppState};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// A layer's function: every request that could change something (anything but GET and
/// HEAD) must come from this portal's own pages, checked before its body is read.
pub async fn same_origin_posts(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD)
        && let Err(refused) = check_origin(request.headers(), &state.settings.public_origin)
    {
        return refused.into_response();
    }
    next.run(request).await
}

/// State-changing requests must come from our own pages: the browser's Origin (or, failing
/// that, the origin of its Referer) must be exactly the public origin, scheme and port
/// included. The Host header is the client's to write, so it is not consulted.
fn check_origin(headers: &HeaderMap, public_origin: &str) -> Result<(), AppError> {
    let origin = headers
        .get(axum::http::header::ORIGIN)
        .and_then(|h| h.to_str().ok())
        .filter(|o| *o != "null")
        .map(str::to_string)
        .or_else(|| headers.get(axum::http::header::REFERER).and_then(|h| h.to_str().ok()).and_then(origin_of));
    match origin {
        Some(origin) if origin == public_origin => Ok(()),
        Some(origin) => {
            tracing::warn!(target: "security", event = "cross_origin_refused", origin = %origin.chars().take(100).collect::<String>(), "refused a cross-origin post");
            Err(AppError::Forbidden)
        }
        None => Err(AppError::Forbidden),
    }
}

/// A form key the server issued to `subject` (a person): a random half and its keyed hash.
/// It makes a resubmitted form one complaint, and files sent with a refused form wait under
/// it; a key the server did not issue, or issued to someone else, is refused.
pub fn issue_form_key(secret: &str, subject: i64) -> String {
    let random = &super::session::random_token()[..32];
    format!("{random}{}", &keyed_hash(secret, &format!("form-key:{subject}"), random)[..32])
}

pub fn is_issued_form_key(secret: &str, subject: i64, key: &str) -> bool {
    key.len() == 64
        && key.chars().all(|c| c.is_ascii_hexdigit())
        && keyed_hash(secret, &format!("form-key:{subject}"), &key[..32])[..32] == key[32..]
}

fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
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
    fn only_the_public_origin_passes() {
        let h = headers(&[("host", "portal.example"), ("origin", "https://portal.example")]);
        assert!(check_origin(&h, "https://portal.example").is_ok());
    }

    #[test]
    fn another_scheme_or_a_forged_host_fails() {
        // Plain http to the same host, and a Host header written to match the attacker's origin.
        let h = headers(&[("host", "portal.example"), ("origin", "http://portal.example")]);
        assert!(check_origin(&h, "https://portal.example").is_err());
        let h = headers(&[("host", "evil.example"), ("origin", "https://evil.example")]);
        assert!(check_origin(&h, "https://portal.example").is_err());
        let h = headers(&[("origin", "https://portal.example.evil.example")]);
        assert!(check_origin(&h, "https://portal.example").is_err());
    }

    #[test]
    fn foreign_origin_and_missing_origin_fail() {
        let h = headers(&[("host", "127.0.0.1:3000"), ("origin", "http://evil.example")]);
        assert!(check_origin(&h, "https://portal.example").is_err());
        let h = headers(&[("host", "127.0.0.1:3000")]);
        assert!(check_origin(&h, "https://portal.example").is_err());
    }

    #[test]
    fn only_keys_the_server_issued_to_that_person_pass() {
        let key = issue_form_key("secret", 7);
        assert!(is_issued_form_key("secret", 7, &key));
        assert!(!is_issued_form_key("secret", 8, &key));
        assert!(!is_issued_form_key("other", 7, &key));
        assert!(!is_issued_form_key("secret", 7, &"a".repeat(64)));
        assert!(!is_issued_form_key("secret", 7, &key[..63]));
    }

    #[test]
    fn referer_is_used_when_origin_is_absent() {
        let h = headers(&[("host", "127.0.0.1:3000"), ("referer", "https://portal.example/tra-cuu")]);
        assert!(check_origin(&h, "https://portal.example").is_ok());
    }
}
