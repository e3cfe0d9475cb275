//! Citizen sessions: a random token in an HttpOnly cookie, stored only as a hash, with an
//! idle and an absolute timeout.

use super::{AppError, AppState};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use rand::Rng;
use sha2::{Digest, Sha256};

pub const SESSION_COOKIE: &str = "phien";
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
    let token = random_token();
    let now = state.clock.now().timestamp();
    sqlx::query("INSERT INTO sessions (id_hash, person_id, created_at, last_seen_at) VALUES ($1, $2, $3, $4)")
        .bind(keyed_hash(&state.settings.secret, "session", &token))
        .bind(person_id)
        .bind(now)
        .bind(now)
        .execute(state.db.write())
        .await?;
    Ok(jar.add(cookie(state, SESSION_COOKIE, token, ABSOLUTE_TIMEOUT_SECS)))
}

/// The signed-in citizen, if the cookie names a live session; refreshes its idle timer.
pub async fn current(state: &AppState, jar: &CookieJar) -> Result<Option<CitizenSession>, AppError> {
    let Some(token) = jar.get(SESSION_COOKIE).map(|c| c.value().to_string()) else {
        return Ok(None);
    };
    let id_hash = keyed_hash(&state.settings.secret, "session", &token);
    let now = state.clock.now().timestamp();
    let row: Option<(i64, i64, i64)> =
        sqlx::query_as("SELECT person_id, created_at, last_seen_at FROM sessions WHERE id_hash = $1")
            .bind(&id_hash)
            .fetch_optional(state.db.read())
            .await?;
    let Some((person_id, created_at, last_seen_at)) = row else {
        return Ok(None);
    };
    if now - last_seen_at > IDLE_TIMEOUT_SECS || now - created_at > ABSOLUTE_TIMEOUT_SECS {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(&id_hash).execute(state.db.write()).await?;
        return Ok(None);
    }
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
        .bind(now)
        .bind(&id_hash)
        .execute(state.db.write())
        .await?;
    Ok(Some(CitizenSession { person_id }))
}

pub async fn end(state: &AppState, jar: CookieJar) -> Result<CookieJar, AppError> {
    if let Some(token) = jar.get(SESSION_COOKIE).map(|c| c.value().to_string()) {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(keyed_hash(&state.settings.secret, "session", &token))
            .execute(state.db.write())
            .await?;
    }
    Ok(jar.remove(Cookie::build(SESSION_COOKIE).path("/").build()))
}
