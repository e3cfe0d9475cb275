//! The outbox: messages written in the transaction of the event that causes them, delivered
//! by `run_once` (the server calls it every few seconds) with retries and backoff. Rows are
//! claimed before sending, with SKIP LOCKED on PostgreSQL, so two servers never send one
//! message twice at the same time.

use super::notify::Outgoing;
use super::{AppError, AppState, Backend};
use sqlx::AnyConnection;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Email,
    Sms,
}

impl Channel {
    fn code(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }
}

/// How long a claimed message is left to its sender before another worker may try it.
const CLAIM_SECS: i64 = 120;
const BATCH: i64 = 20;

pub async fn enqueue(
    conn: &mut AnyConnection,
    channel: Channel,
    recipient: &str,
    subject: &str,
    body: &str,
    now: i64,
) -> Result<(), AppError> {
    sqlx::query("INSERT INTO outbox (channel, recipient, subject, body, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $5)")
        .bind(channel.code())
        .bind(recipient)
        .bind(subject)
        .bind(body)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// Wait before the next try: 1, 2, 4 ... minutes, at most an hour.
fn backoff_secs(attempts: i64) -> i64 {
    (60 * (1i64 << attempts.clamp(0, 6))).min(3600)
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Delivery {
    pub sent: usize,
    pub failed: usize,
}

pub async fn run_once(state: &AppState) -> Result<Delivery, AppError> {
    let now = state.clock.now().timestamp();
    let lock = if state.db.backend == Backend::Postgres { "FOR UPDATE SKIP LOCKED" } else { "" };
    let claimed: Vec<(i64, String, String, String, String, i64)> = sqlx::query_as(&format!(
        "UPDATE outbox SET claimed_until = $1
         WHERE id IN (SELECT id FROM outbox
                      WHERE sent_at IS NULL AND next_attempt_at <= $2 AND (claimed_until IS NULL OR claimed_until < $2)
                      ORDER BY id LIMIT $3 {lock})
         RETURNING id, channel, recipient, subject, body, attempts"
    ))
    .bind(now + CLAIM_SECS)
    .bind(now)
    .bind(BATCH)
    .fetch_all(state.db.write())
    .await?;
    let mut delivery = Delivery::default();
    for (id, channel, recipient, subject, body, attempts) in claimed {
        let message = Outgoing { to: recipient, subject, body };
        let result = if channel == "sms" { state.sms.send(message).await } else { state.mailer.send(message).await };
        match result {
            Ok(()) => {
                sqlx::query("UPDATE outbox SET sent_at = $1, attempts = attempts + 1, claimed_until = NULL, last_error = NULL WHERE id = $2")
                    .bind(state.clock.now().timestamp())
                    .bind(id)
                    .execute(state.db.write())
                    .await?;
                delivery.sent += 1;
            }
            Err(e) => {
                tracing::warn!(outbox_id = id, attempts = attempts + 1, error = %e, "delivery failed, will retry");
                sqlx::query("UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $1, claimed_until = NULL, last_error = $2 WHERE id = $3")
                    .bind(now + backoff_secs(attempts))
                    .bind(e.to_string())
                    .bind(id)
                    .execute(state.db.write())
                    .await?;
                delivery.failed += 1;
            }
        }
    }
    Ok(delivery)
}

#[cfg(test)]
mod tests {
    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(super::backoff_secs(0), 60);
        assert_eq!(super::backoff_secs(1), 120);
        assert_eq!(super::backoff_secs(10), 3600);
    }
}
