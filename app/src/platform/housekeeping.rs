//! Removes what has served its purpose: spent or expired lookups (they name a person),
//! timed-out sessions, files of forms never filed, delivered messages past their retention,
//! old limit windows and idle in-memory limit keys; and closes corrections nobody reopened
//! in time. The server runs `run_once` every few minutes; tests call it directly.

use super::session::{ABSOLUTE_TIMEOUT_SECS, IDLE_TIMEOUT_SECS};
use super::{AppError, AppState};

#[derive(Debug, PartialEq, Eq)]
pub struct Removed {
    pub lookups: u64,
    pub sessions: u64,
    /// Files of forms never filed, after a day.
    pub abandoned_files: u64,
    /// Corrections nobody reopened within the window, now counted as confirmed.
    pub auto_confirmed: u64,
    /// Delivered messages older than the outbox retention.
    pub delivered_messages: u64,
}

pub async fn run_once(state: &AppState) -> Result<Removed, AppError> {
    let now = state.clock.now().timestamp();
    let lookups = sqlx::query("DELETE FROM lookups WHERE expires_at < $1").bind(now).execute(state.db.write()).await?.rows_affected();
    let sessions = sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
        .bind(now - IDLE_TIMEOUT_SECS)
        .bind(now - ABSOLUTE_TIMEOUT_SECS)
        .execute(state.db.write())
        .await?
        .rows_affected();
    let staff_sessions = sqlx::query("DELETE FROM staff_sessions WHERE last_seen_at < $1 OR created_at < $2")
        .bind(now - IDLE_TIMEOUT_SECS)
        .bind(now - ABSOLUTE_TIMEOUT_SECS)
        .execute(state.db.write())
        .await?
        .rows_affected();
    sqlx::query("DELETE FROM staff_pending_logins WHERE expires_at < $1").bind(now).execute(state.db.write()).await?;
    // Records whose fields or registry entry changed outside the portal's writers.
    crate::verification::service::verify_pending(&state.db, now).await?;
    let abandoned_files = crate::complaints::evidence::remove_abandoned(state).await?;
    let auto_confirmed = crate::complaints::workflow::confirm_unanswered(state).await?;
    let delivered_messages = super::outbox::purge_delivered(state).await?;
    super::shared_limits::remove_old(state).await?;
    state.limits.evict_idle();
    Ok(Removed { lookups, sessions: sessions + staff_sessions, abandoned_files, auto_confirmed, delivered_messages })
}
