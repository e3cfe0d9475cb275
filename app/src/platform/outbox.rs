//! The outbox: messages written in the transaction of the event that causes them, delivered
//! by `run_once` (the server drains it every second) with retries and backoff. Rows are
//! claimed a batch at a time before sending, with SKIP LOCKED on PostgreSQL, so two servers
//! never send one message twice at the same time; a batch is sent several messages at once,
//! and those sent are marked together as soon as they are (one statement for all that finished
//! meanwhile, not one each), so a crash repeats only the messages on the wire or being marked
//! (each carries its row's stable id, for the receiver to drop the repeat).

use super::notify::Outgoing;
use super::together::Step;
use super::{AppError, AppState, Backend};
use futures::{StreamExt, stream};
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

/// How long a claimed message is left to its sender before another worker may try it: longer
/// than a batch takes at worst (BATCH / AT_ONCE waves of sends that each time out after
/// `notify::SEND_TIMEOUT_SECS`), short enough that the messages a killed server had claimed
/// go out soon after.
const CLAIM_SECS: i64 = 45;
/// Messages claimed at a time, and how many of them are on the wire at once (the SMTP
/// transport keeps a pool of connections).
const BATCH: i64 = 64;
const AT_ONCE: usize = 16;
const _: () = assert!((BATCH / AT_ONCE as i64) * super::notify::SEND_TIMEOUT_SECS < CLAIM_SECS);

/// Delivered messages are kept this long (for "was it sent?"), then removed with their text.
pub const RETENTION_SECS: i64 = 3 * 24 * 3600;

/// Where a message about a person goes: their email and phone on file, either or both.
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct Contacts {
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// Where a set-password email's link goes; the worker replaces it with a fresh link.
pub const LINK_PLACEHOLDER: &str = "{link}";

pub async fn enqueue(
    conn: &mut AnyConnection,
    channel: Channel,
    recipient: &str,
    subject: &str,
    body: &str,
    now: i64,
) -> Result<(), AppError> {
    insert(conn, channel, recipient, subject, body, None, now).await
}

/// The same message by email and by text to `to` (whichever it has), in one statement on the
/// caller's transaction.
pub async fn enqueue_to(conn: &mut AnyConnection, to: &Contacts, subject: &str, body: &str, now: i64) -> Result<(), AppError> {
    if let Some(step) = message_to(to, subject, body, now) {
        step.execute(conn, None).await?;
    }
    Ok(())
}

/// `enqueue_to` as a step of a change made together; none if `to` has neither contact.
pub fn message_to(to: &Contacts, subject: &str, body: &str, now: i64) -> Option<Step> {
    let channels: Vec<(Channel, &str)> = [(Channel::Email, to.email.as_deref()), (Channel::Sms, to.phone.as_deref())]
        .into_iter()
        .filter_map(|(c, r)| Some((c, r?)))
        .collect();
    if channels.is_empty() {
        return None;
    }
    // Numbered placeholders, which both backends read: the message's values, then each row's.
    let rows: Vec<String> = (0..channels.len()).map(|i| format!("(${}, ${}, $1, $2, $3, $3)", 4 + 2 * i, 5 + 2 * i)).collect();
    let sql = format!("INSERT INTO outbox (channel, recipient, subject, body, created_at, next_attempt_at) VALUES {}", rows.join(", "));
    let message = Step::new(sql).bind(subject).bind(body).bind(now);
    Some(channels.iter().fold(message, |step, (channel, recipient)| step.bind(channel.code()).bind(*recipient)))
}

/// The same message by email and by text to the addresses a query chooses: `email` and `phone`
/// are expressions over `from` (a FROM ... WHERE clause whose placeholders start at `$4`, bound
/// by the caller after this), so the addresses are read by the insert itself; a channel
/// without an address is skipped.
pub fn message_to_chosen(email: &str, phone: &str, from: &str, subject: &str, body: &str, now: i64) -> Step {
    let sql = format!(
        "INSERT INTO outbox (channel, recipient, subject, body, created_at, next_attempt_at)
         SELECT m.channel, m.recipient, $1, $2, $3, $3 FROM (
             SELECT '{email_code}' AS channel, {email} AS recipient {from}
             UNION ALL SELECT '{sms_code}', {phone} {from}) m
         WHERE m.recipient IS NOT NULL",
        email_code = Channel::Email.code(),
        sms_code = Channel::Sms.code(),
    );
    Step::new(sql).bind(subject).bind(body).bind(now)
}

/// A set-password email for `staff_id`: `body` holds `LINK_PLACEHOLDER`, and the link's token
/// is made when the message is delivered, stored only as a hash.
pub async fn enqueue_set_password(
    conn: &mut AnyConnection,
    staff_id: i64,
    recipient: &str,
    subject: &str,
    body: &str,
    now: i64,
) -> Result<(), AppError> {
    insert(conn, Channel::Email, recipient, subject, body, Some(staff_id), now).await
}

async fn insert(
    conn: &mut AnyConnection,
    channel: Channel,
    recipient: &str,
    subject: &str,
    body: &str,
    set_password_for: Option<i64>,
    now: i64,
) -> Result<(), AppError> {
    sqlx::query("INSERT INTO outbox (channel, recipient, subject, body, set_password_for, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $6)")
        .bind(channel.code())
        .bind(recipient)
        .bind(subject)
        .bind(body)
        .bind(set_password_for)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// Removes delivered messages past the retention: their text (names, references) is not
/// kept longer than it is useful.
pub async fn purge_delivered(state: &AppState) -> Result<u64, AppError> {
    let before = state.clock.now().timestamp() - RETENTION_SECS;
    Ok(sqlx::query("DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < $1")
        .bind(before)
        .execute(state.db.write())
        .await?
        .rows_affected())
}

/// Wait before the next try: 1, 2, 4 ... minutes, at most an hour.
fn backoff_secs(attempts: i64) -> i64 {
    (60 * (1i64 << attempts.clamp(0, 6))).min(3600)
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Delivery {
    pub sent: usize,
    pub failed: usize,
    /// A full batch was claimed: more may be waiting now.
    pub more: bool,
}

#[derive(sqlx::FromRow)]
struct Claimed {
    id: i64,
    channel: String,
    recipient: String,
    subject: String,
    body: String,
    attempts: i64,
    set_password_for: Option<i64>,
    created_at: i64,
}

impl Claimed {
    /// The message's identity on every try: its row and when it was written.
    fn stable_id(&self) -> String {
        format!("outbox-{}-{}", self.id, self.created_at)
    }
}

/// Claims a batch of due messages and sends them, several at once.
pub async fn run_once(state: &AppState) -> Result<Delivery, AppError> {
    let now = state.clock.now().timestamp();
    let lock = if state.db.backend == Backend::Postgres { "FOR UPDATE SKIP LOCKED" } else { "" };
    let claimed: Vec<Claimed> = sqlx::query_as(&format!(
        "UPDATE outbox SET claimed_until = $1
         WHERE id IN (SELECT id FROM outbox
                      WHERE sent_at IS NULL AND next_attempt_at <= $2 AND (claimed_until IS NULL OR claimed_until < $2)
                      ORDER BY id LIMIT $3 {lock})
         RETURNING id, channel, recipient, subject, body, attempts, set_password_for, created_at"
    ))
    .bind(now + CLAIM_SECS)
    .bind(now)
    .bind(BATCH)
    .fetch_all(state.db.write())
    .await?;
    let more = claimed.len() as i64 == BATCH;
    let mut delivery = Delivery { more, ..Delivery::default() };
    // AT_ONCE on the wire; those that finished meanwhile recorded in one statement each time.
    let mut done = stream::iter(claimed).map(|message| send(state, message)).buffer_unordered(AT_ONCE).ready_chunks(AT_ONCE);
    while let Some(tried) = done.next().await {
        let mut sent = Vec::with_capacity(tried.len());
        let mut broken = None;
        for attempt in tried {
            let (id, attempts, result) = match attempt {
                Ok(attempt) => attempt,
                // (Those sent beside it are still marked, before the error is returned.)
                Err(e) => {
                    broken = broken.or(Some(e));
                    continue;
                }
            };
            match result {
                Ok(()) => sent.push(id),
                Err(e) => {
                    tracing::warn!(outbox_id = id, attempts = attempts + 1, error = %e, "delivery failed, will retry");
                    sqlx::query(
                        "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $1, claimed_until = NULL, last_error = $2 WHERE id = $3",
                    )
                    .bind(now + backoff_secs(attempts))
                    .bind(e)
                    .bind(id)
                    .execute(state.db.write())
                    .await?;
                    delivery.failed += 1;
                }
            }
        }
        mark_sent(state, &sent).await?;
        delivery.sent += sent.len();
        if let Some(e) = broken {
            return Err(e);
        }
    }
    Ok(delivery)
}

/// Sends one claimed message: its row's id and tries so far, and whether the transport took it.
async fn send(state: &AppState, message: Claimed) -> Result<(i64, i64, Result<(), String>), AppError> {
    let stable_id = message.stable_id();
    let body = match message.set_password_for {
        Some(staff_id) => message.body.replace(LINK_PLACEHOLDER, &crate::staff::team::new_password_link(state, staff_id).await?),
        None => message.body,
    };
    let outgoing = Outgoing { to: message.recipient, subject: message.subject, body, id: Some(stable_id) };
    let result = if message.channel == Channel::Sms.code() { state.sms.send(outgoing).await } else { state.mailer.send(outgoing).await };
    Ok((message.id, message.attempts, result.map_err(|e| e.to_string())))
}

/// Marks messages sent, in one statement.
async fn mark_sent(state: &AppState, ids: &[i64]) -> Result<(), AppError> {
    if ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "UPDATE outbox SET sent_at = ${}, attempts = attempts + 1, claimed_until = NULL, last_error = NULL WHERE id IN ({})",
        ids.len() + 1,
        super::db::marks(ids.len())
    );
    let query = ids.iter().fold(sqlx::query(&sql), |q, id| q.bind(*id));
    query.bind(state.clock.now().timestamp()).execute(state.db.write()).await?;
    Ok(())
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
