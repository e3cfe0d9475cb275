//! Reminders and escalation. A site is reminded when 24 and when 36 of its 48 hours have
//! passed (paused time does not count: `due_at` already moved by it), and at the deadline the
//! complaint is escalated to the supervisors of the site's area.
//!
//! Exactly once: each step is recorded on the complaint by an UPDATE that only succeeds while
//! the step is still unrecorded, in the same transaction that queues the emails. Two servers
//! running this at once both try; the database lets one UPDATE through and the other finds
//! the step done. A crash before commit leaves nothing half done; the next run does it.

use crate::complaints::EventKind;
use crate::complaints::workflow::{Actor, record_event};
use crate::platform::outbox::{Channel, enqueue};
use crate::platform::{AppError, AppState};
use sqlx::AnyConnection;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Sent {
    pub reminded_24: u64,
    pub reminded_36: u64,
    pub escalated: u64,
}

/// How many complaints one run handles per step; the next run takes the rest.
const BATCH: i64 = 200;

#[derive(Clone, Copy)]
enum Step {
    Remind24,
    Remind36,
    Escalate,
}

impl Step {
    fn column(self) -> &'static str {
        match self {
            Step::Remind24 => "reminded_24_at",
            Step::Remind36 => "reminded_36_at",
            Step::Escalate => "escalated_at",
        }
    }

    /// Seconds before the deadline at which the step is due.
    fn before_due(self) -> i64 {
        match self {
            Step::Remind24 => 24 * 3600,
            Step::Remind36 => 12 * 3600,
            Step::Escalate => 0,
        }
    }
}

impl Sent {
    /// A step took a whole batch: more may be due now.
    pub fn more(&self) -> bool {
        [self.reminded_24, self.reminded_36, self.escalated].iter().any(|n| *n >= BATCH as u64)
    }
}

pub async fn run_once(state: &AppState) -> Result<Sent, AppError> {
    // Latest step first: a server that was down past the deadline escalates and does not
    // also send the reminders that are now pointless.
    let escalated = run_step(state, Step::Escalate).await?;
    let reminded_36 = run_step(state, Step::Remind36).await?;
    let reminded_24 = run_step(state, Step::Remind24).await?;
    Ok(Sent { reminded_24, reminded_36, escalated })
}

async fn run_step(state: &AppState, step: Step) -> Result<u64, AppError> {
    let now = state.clock.now().timestamp();
    let column = step.column();
    // Only complaints still with the site and with the clock running; a later step done
    // first (a server that was down for a day) makes an earlier reminder pointless.
    let later_done = match step {
        Step::Remind24 => "AND reminded_36_at IS NULL AND escalated_at IS NULL",
        Step::Remind36 => "AND escalated_at IS NULL",
        Step::Escalate => "",
    };
    let candidates: Vec<i64> =
        sqlx::query_scalar(&format!("SELECT id FROM complaints WHERE status = 'open' AND {column} IS NULL AND due_at - $2 <= $1 {later_done} ORDER BY due_at LIMIT {BATCH}"))
            .bind(now)
            .bind(step.before_due())
            .fetch_all(state.db.read())
            .await?;
    let mut done = 0;
    for id in candidates {
        let mut tx = state.db.begin().await?;
        let claimed = sqlx::query(&format!(
            "UPDATE complaints SET {column} = $2 WHERE id = $1 AND {column} IS NULL AND status = 'open' AND due_at - $3 <= $2"
        ))
        .bind(id)
        .bind(now)
        .bind(step.before_due())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed != 1 {
            continue;
        }
        match step {
            Step::Remind24 | Step::Remind36 => remind(&mut tx, state, id, step, now).await?,
            Step::Escalate => escalate(&mut tx, state, id, now).await?,
        }
        tx.commit().await?;
        done += 1;
    }
    Ok(done)
}

async fn complaint_facts(conn: &mut AnyConnection, id: i64) -> Result<(String, i64, String, i64), AppError> {
    Ok(sqlx::query_as("SELECT c.reference, c.site_id, s.name, c.due_at FROM complaints c JOIN sites s ON s.id = c.site_id WHERE c.id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?)
}

/// Emails every active account of the site holding the complaint.
async fn remind(conn: &mut AnyConnection, state: &AppState, id: i64, step: Step, now: i64) -> Result<(), AppError> {
    let (reference, site_id, site_name, due_at) = complaint_facts(conn, id).await?;
    let hours_left = (due_at - now).max(0) / 3600;
    let link = format!("{}{}", state.settings.public_origin, crate::staff::routes::complaint(&reference));
    let staff: Vec<String> = sqlx::query_scalar("SELECT email FROM staff WHERE site_id = $1 AND disabled_at IS NULL ORDER BY id")
        .bind(site_id)
        .fetch_all(&mut *conn)
        .await?;
    let passed = if matches!(step, Step::Remind24) { 24 } else { 36 };
    for email in staff {
        enqueue(
            conn,
            Channel::Email,
            &email,
            &format!("Nhắc việc: phản ánh {reference} còn {hours_left} giờ"),
            &format!(
                "Phản ánh {reference} gửi {site_name} đã qua {passed} trong 48 giờ mà chưa được giải quyết. Hạn: {}.\n{link}",
                crate::vietnam::time_text(due_at)
            ),
            now,
        )
        .await?;
    }
    Ok(())
}

/// Marks the complaint escalated on its timeline and emails the supervisors whose area
/// covers the site (and those who answer for the whole country).
async fn escalate(conn: &mut AnyConnection, state: &AppState, id: i64, now: i64) -> Result<(), AppError> {
    let (reference, site_id, site_name, due_at) = complaint_facts(conn, id).await?;
    record_event(conn, id, now, Actor::System, EventKind::Escalated, Some(site_id), None).await?;
    let supervisors: Vec<String> = sqlx::query_scalar(
        "SELECT st.email FROM staff st
         WHERE st.role = 'supervisor' AND st.disabled_at IS NULL
           AND (st.scope_unit IS NULL OR EXISTS (SELECT 1 FROM site_areas a WHERE a.unit_code = st.scope_unit AND a.site_id = $1))
         ORDER BY st.id",
    )
    .bind(site_id)
    .fetch_all(&mut *conn)
    .await?;
    let link = format!("{}{}", state.settings.public_origin, super::routes::complaint(&reference));
    for email in supervisors {
        enqueue(
            conn,
            Channel::Email,
            &email,
            &format!("Quá hạn: phản ánh {reference} tại {site_name}"),
            &format!(
                "Phản ánh {reference} gửi {site_name} đã quá hạn trả lời ({}) và được chuyển lên cấp giám sát.\n{link}",
                crate::vietnam::time_text(due_at)
            ),
            now,
        )
        .await?;
    }
    Ok(())
}
