//! Sessions for citizens and for staff: a random token in an HttpOnly cookie, stored only as
//! a hash, with an idle and an absolute timeout. Each kind has its own cookie and table.

use super::{AppError, AppState};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use rand::Rng;
use sha2::{Digest, Sha256};

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

#[derive(Debug, Clone, Copy)]
pub struct CitizenSession {
    pub person_id: i64,
}

pub fn random_token() -> String {
    hex::encode(rand::rng().random::<[u8; 32]>())
}

/// A keyed hash for values kept only to be compared: tokens, one-time codes, identifiers.
pub fn keyed_hash(secret: &str, purpose: &str, value: &str) -> String {
    let mut h = Sha256::new();
    h.update(secret.as_bytes());
    h.update([0]);
    h.update(purpose.as_bytes());
    h.update([0]);
    h.update(value.as_bytes());
    hex::encode(h.finalize())
}

pub fn cookie(state: &AppState, name: &'static str, value: String, max_age_secs: i64) -> Cookie<'static> {
    Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.settings.secure_cookies)
        .max_age(time_duration(max_age_secs))
        .build()
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
    Ok(jar.add(cookie(state, kind.cookie, token, ABSOLUTE_TIMEOUT_SECS)))
}

/// The signed-in citizen, if the cookie names a live session; refreshes its idle timer.
pub async fn current(state: &AppState, jar: &CookieJar) -> Result<Option<CitizenSession>, AppError> {
    Ok(current_for(state, &CITIZEN, jar).await?.map(|person_id| CitizenSession { person_id }))
}

/// Who is signed in with a session of this kind, if anyone; refreshes the idle timer.
pub async fn current_for(state: &AppState, kind: &SessionKind, jar: &CookieJar) -> Result<Option<i64>, AppError> {
    let Some(token) = jar.get(kind.cookie).map(|c| c.value().to_string()) else {
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
    sqlx::query(&format!("UPDATE {} SET last_seen_at = $1 WHERE id_hash = $2", kind.table))
        .bind(now)
        .bind(&id_hash)
        .execute(state.db.write())
        .await?;
    Ok(Some(subject))
}

pub async fn end(state: &AppState, jar: CookieJar) -> Result<CookieJar, AppError> {
    end_for(state, &CITIZEN, jar).await
}

pub async fn end_for(state: &AppState, kind: &SessionKind, jar: CookieJar) -> Result<CookieJar, AppError> {
    if let Some(token) = jar.get(kind.cookie).map(|c| c.value().to_string()) {
        sqlx::query(&format!("DELETE FROM {} WHERE id_hash = $1", kind.table))
            .bind(keyed_hash(&state.settings.secret, kind.table, &token))
            .execute(state.db.write())
            .await?;
    }
    Ok(jar.remove(Cookie::build(kind.cookie).path("/").build()))
}
