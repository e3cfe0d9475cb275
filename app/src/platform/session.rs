//! Sessions for citizens and for staff: a random token in an HttpOnly cookie, stored only as
//! a hash, with an idle and an absolute timeout. Each kind has its own cookie and table.

use super::{AppError, AppState};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::Sha256;
use std::borrow::Cow;

pub const SESSION_COOKIE: &str = "phien";

/// Which sessions: the cookie that carries them, the table that holds them, and the column
/// naming who is signed in.
pub struct SessionKind {
    pub cookie: &'static str,
    table: &'static str,
    subject: &'static str,
}

pub const CITIZEN: SessionKind = SessionKind { cookie: SESSION_COOKIE, table: "sessions", subject: "person_id" };
pub const STAFF: SessionKind = SessionKind { cookie: "phien_co_so", table: "staff_sessions", subject: "staff_id" };

pub const IDLE_TIMEOUT_SECS: i64 = 20 * 60;
pub const ABSOLUTE_TIMEOUT_SECS: i64 = 2 * 60 * 60;
/// How stale a session's `last_seen_at` may be before a request writes it again.
const SEEN_EVERY_SECS: i64 = 60;

#[derive(Debug, Clone, Copy)]
pub struct CitizenSession {
    pub person_id: i64,
}

pub fn random_token() -> String {
    hex::encode(rand::rng().random::<[u8; 32]>())
}

/// A keyed hash for values kept only to be compared: tokens, one-time codes, identifiers.
/// HMAC-SHA256 keyed by the portal's secret over the purpose and the value.
pub fn keyed_hash(secret: &str, purpose: &str, value: &str) -> String {
    hmac_hex(secret.as_bytes(), &[purpose.as_bytes(), &[0], value.as_bytes()])
}

fn hmac_hex(key: &[u8], parts: &[&[u8]]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    for part in parts {
        mac.update(part);
    }
    hex::encode(mac.finalize().into_bytes())
}

/// A preference cookie (the language): readable by the server only, sent same-site.
pub fn cookie(state: &AppState, name: &'static str, value: String, max_age_secs: i64) -> Cookie<'static> {
    Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.settings.production)
        .max_age(time_duration(max_age_secs))
        .build()
}

/// A cookie that carries a secret (session, lookup): behind HTTPS its name takes the
/// `__Host-` prefix, so the browser keeps it only if Secure, for this host, on every path.
pub fn secret_cookie(state: &AppState, name: &'static str, value: String, max_age_secs: i64) -> Cookie<'static> {
    let mut c = cookie(state, name, value, max_age_secs);
    c.set_name(secret_cookie_name(state, name));
    c
}

pub fn secret_cookie_name(state: &AppState, name: &'static str) -> Cow<'static, str> {
    if state.settings.production { Cow::Owned(format!("__Host-{name}")) } else { Cow::Borrowed(name) }
}

pub fn read_secret_cookie(state: &AppState, jar: &CookieJar, name: &'static str) -> Option<String> {
    jar.get(&secret_cookie_name(state, name)).map(|c| c.value().to_string())
}

/// Removes a secret cookie (the attributes must match the ones it was set with).
pub fn forget_secret_cookie(state: &AppState, jar: CookieJar, name: &'static str) -> CookieJar {
    jar.remove(Cookie::build(secret_cookie_name(state, name)).path("/").secure(state.settings.production).build())
}

fn time_duration(secs: i64) -> time::Duration {
    time::Duration::seconds(secs)
}

pub async fn start(state: &AppState, jar: CookieJar, person_id: i64) -> Result<CookieJar, AppError> {
    start_for(state, &CITIZEN, jar, person_id).await
}

pub async fn start_for(state: &AppState, kind: &SessionKind, jar: CookieJar, subject: i64) -> Result<CookieJar, AppError> {
    let token = random_token();
    let now = state.clock.now().timestamp();
    sqlx::query(&format!("INSERT INTO {} (id_hash, {}, created_at, last_seen_at) VALUES ($1, $2, $3, $4)", kind.table, kind.subject))
        .bind(keyed_hash(&state.settings.secret, kind.table, &token))
        .bind(subject)
        .bind(now)
        .bind(now)
        .execute(state.db.write())
        .await?;
    Ok(jar.add(secret_cookie(state, kind.cookie, token, ABSOLUTE_TIMEOUT_SECS)))
}

/// The signed-in citizen, if the cookie names a live session; refreshes its idle timer.
pub async fn current(state: &AppState, jar: &CookieJar) -> Result<Option<CitizenSession>, AppError> {
    Ok(current_for(state, &CITIZEN, jar).await?.map(|person_id| CitizenSession { person_id }))
}

/// The signed-in citizen, as a handler argument: without a live session the request is sent
/// to look up again, before any body is read (a form with files is 26 MB at most).
pub struct Citizen(pub CitizenSession);

impl axum::extract::FromRequestParts<AppState> for Citizen {
    type Rejection = axum::response::Response;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        use axum::response::IntoResponse;
        match current(state, &CookieJar::from_headers(&parts.headers)).await {
            Ok(Some(session)) => Ok(Citizen(session)),
            Ok(None) => Err(axum::response::Redirect::to(crate::lookup::routes::LOOKUP).into_response()),
            Err(e) => Err(e.into_response()),
        }
    }
}

/// Who is signed in with a session of this kind, if anyone; refreshes the idle timer.
pub async fn current_for(state: &AppState, kind: &SessionKind, jar: &CookieJar) -> Result<Option<i64>, AppError> {
    let Some(token) = read_secret_cookie(state, jar, kind.cookie) else {
        return Ok(None);
    };
    let id_hash = keyed_hash(&state.settings.secret, kind.table, &token);
    let now = state.clock.now().timestamp();
    let row: Option<(i64, i64, i64)> =
        sqlx::query_as(&format!("SELECT {}, created_at, last_seen_at FROM {} WHERE id_hash = $1", kind.subject, kind.table))
            .bind(&id_hash)
            .fetch_optional(state.db.read())
            .await?;
    let Some((subject, created_at, last_seen_at)) = row else {
        return Ok(None);
    };
    if now - last_seen_at > IDLE_TIMEOUT_SECS || now - created_at > ABSOLUTE_TIMEOUT_SECS {
        sqlx::query(&format!("DELETE FROM {} WHERE id_hash = $1", kind.table)).bind(&id_hash).execute(state.db.write()).await?;
        return Ok(None);
    }
    // The idle timer moves at most once a minute: a page view is a read, not a write through
    // SQLite's one writer (20 minutes idle stays 20 minutes, to the minute).
    if now - last_seen_at >= SEEN_EVERY_SECS {
        sqlx::query(&format!("UPDATE {} SET last_seen_at = $1 WHERE id_hash = $2", kind.table))
            .bind(now)
            .bind(&id_hash)
            .execute(state.db.write())
            .await?;
    }
    Ok(Some(subject))
}

pub async fn end(state: &AppState, jar: CookieJar) -> Result<CookieJar, AppError> {
    end_for(state, &CITIZEN, jar).await
}

pub async fn end_for(state: &AppState, kind: &SessionKind, jar: CookieJar) -> Result<CookieJar, AppError> {
    if let Some(token) = read_secret_cookie(state, &jar, kind.cookie) {
        sqlx::query(&format!("DELETE FROM {} WHERE id_hash = $1", kind.table))
            .bind(keyed_hash(&state.settings.secret, kind.table, &token))
            .execute(state.db.write())
            .await?;
    }
    Ok(forget_secret_cookie(state, jar, kind.cookie))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyed_hash_is_hmac_sha256() {
        // RFC 4231, test case 2.
        assert_eq!(
            hmac_hex(b"Jefe", &[b"what do ya ", b"want for nothing?"]),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(keyed_hash("Jefe", "what do ya want", " for nothing?"), hmac_hex(b"Jefe", &[b"what do ya want\0 for nothing?"]));
    }
}
