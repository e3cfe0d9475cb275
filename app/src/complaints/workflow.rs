//! What happens to a complaint after it is filed. Each step is one transaction: the status
//! change (guarded by the status it expects and the site that holds it, so two clicks or two
//! staff members cannot both act), a timeline event, and the citizen's notice in the outbox.
//!
//! The deadline: `due_at` is 48 hours after filing. Asking the citizen for information stops
//! the clock (`paused_at`); their answer moves `due_at` later by exactly the time waited.
//! Reassignment never moves it. Reopening gives the same site a fresh 48 hours.

use super::service::notify_citizen;
use super::{DEADLINE_HOURS, EventKind, REOPEN_DAYS};
use crate::platform::together::Step;
use crate::platform::{AppError, AppState};
use crate::staff::StaffMember;
use sqlx::AnyConnection;

/// Who did something to a complaint, for its timeline.
#[derive(Debug, Clone, Copy)]
pub enum Actor {
    Citizen,
    Site { site_id: i64, staff_id: i64 },
    Supervisor { staff_id: i64 },
    System,
}

impl Actor {
    pub fn staff(staff: &StaffMember) -> Self {
        Actor::Site { site_id: staff.site_id.unwrap_or_default(), staff_id: staff.id }
    }
}

/// Appends one line to the complaint's timeline.
pub async fn record_event(
    conn: &mut AnyConnection,
    complaint_id: i64,
    at: i64,
    actor: Actor,
    kind: EventKind,
    site_id: Option<i64>,
    message: Option<&str>,
) -> Result<(), AppError> {
    event_step(at, actor, kind, site_id, message).execute(conn, Some(complaint_id)).await?;
    Ok(())
}

/// `record_event` as a step of a change made together (the complaint's id is the change's).
pub fn event_step(at: i64, actor: Actor, kind: EventKind, site_id: Option<i64>, message: Option<&str>) -> Step {
    let (actor_code, staff_id, actor_site) = match actor {
        Actor::Citizen => ("citizen", None, None),
        Actor::Site { site_id, staff_id } => ("site", Some(staff_id), Some(site_id)),
        Actor::Supervisor { staff_id } => ("supervisor", Some(staff_id), None),
        Actor::System => ("system", None, None),
    };
    Step::new(
        "INSERT INTO complaint_events (complaint_id, at, actor, kind, site_id, staff_id, message) VALUES ({id}, $1, $2, $3, $4, $5, $6)",
    )
    .bind(at)
    .bind(actor_code)
    .bind(kind.code())
    .bind(site_id.or(actor_site))
    .bind(staff_id)
    .bind(message.filter(|m| !m.is_empty()))
}

/// What happened, for the citizen's notice: the event, the site that acted, its words.
pub struct EventNotice<'a> {
    pub event: EventKind,
    pub site_name: &'a str,
    pub message: Option<&'a str>,
}

/// The notice a citizen gets for an event, in Vietnamese then English, with the link to the
/// tracking page.
pub async fn notify_event(
    conn: &mut AnyConnection,
    state: &AppState,
    (complaint_id, reference): (i64, &str),
    notice: EventNotice<'_>,
    now: i64,
) -> Result<(), AppError> {
    let EventNotice { event, site_name, message } = notice;
    let link = format!("{}{}", state.settings.public_origin, super::routes::tracking(reference));
    let (subject, vi, en) = match event {
        EventKind::InfoRequested => (
            format!("Cần bổ sung thông tin cho phản ánh {reference}"),
            format!("{site_name} cần bạn bổ sung thông tin. Thời hạn xử lý tạm dừng cho tới khi bạn trả lời."),
            format!("{site_name} needs more information from you. The deadline is paused until you answer."),
        ),
        EventKind::SiteReplied => (
            format!("Cơ sở đã trả lời phản ánh {reference}"),
            format!("{site_name} đã gửi trả lời cho phản ánh của bạn."),
            format!("{site_name} replied to your report."),
        ),
        EventKind::Corrected => (
            format!("Hồ sơ đã được sửa theo phản ánh {reference}"),
            format!(
                "{site_name} đã sửa hồ sơ theo phản ánh {reference}. Xem thông tin trước và sau khi sửa, rồi xác nhận hoặc mở lại trong {REOPEN_DAYS} ngày."
            ),
            format!(
                "{site_name} corrected the record as asked in report {reference}. See what changed, then confirm or reopen within {REOPEN_DAYS} days."
            ),
        ),
        EventKind::Rejected => (
            format!("Phản ánh {reference} bị từ chối"),
            format!("{site_name} từ chối phản ánh và nêu lý do. Bạn có thể mở lại trong {REOPEN_DAYS} ngày nếu không đồng ý."),
            format!("{site_name} rejected the report and gave its reason. You can reopen it within {REOPEN_DAYS} days if you disagree."),
        ),
        EventKind::Reassigned => (
            format!("Phản ánh {reference} được chuyển tới {site_name}"),
            format!("Phản ánh được chuyển tới {site_name}. Hạn trả lời không thay đổi."),
            format!("The report was passed to {site_name}. The deadline does not change."),
        ),
        // Moves of the citizen's own, the system's and supervisors' notes: no notice.
        EventKind::Filed
        | EventKind::CitizenAnswered
        | EventKind::Confirmed
        | EventKind::AutoConfirmed
        | EventKind::Reopened
        | EventKind::Escalated
        | EventKind::SupervisorNote => return Ok(()),
    };
    let quoted = message.map(|m| format!("\n\n«{m}»")).unwrap_or_default();
    let body = format!("{vi}{quoted}\nTheo dõi tại: {link}\n\n{en}\nFollow it at: {link}");
    notify_citizen(conn, complaint_id, &subject, &body, now).await
}

/// Staff ask the citizen for information: the clock stops until they answer.
pub async fn ask_for_information(state: &AppState, staff: &StaffMember, id: i64, reference: &str, message: &str) -> Result<bool, AppError> {
    site_step(
        state,
        staff,
        id,
        reference,
        "UPDATE complaints SET status = 'waiting_citizen', paused_at = $3, first_response_at = COALESCE(first_response_at, $3)
         WHERE id = $1 AND site_id = $2 AND status = 'open'",
        EventKind::InfoRequested,
        message,
    )
    .await
}

/// Staff write to the citizen without changing the complaint's state.
pub async fn reply(state: &AppState, staff: &StaffMember, id: i64, reference: &str, message: &str) -> Result<bool, AppError> {
    site_step(
        state,
        staff,
        id,
        reference,
        "UPDATE complaints SET first_response_at = COALESCE(first_response_at, $3)
         WHERE id = $1 AND site_id = $2 AND status IN ('open', 'waiting_citizen')",
        EventKind::SiteReplied,
        message,
    )
    .await
}

/// Staff refuse the complaint with a reason. A paused clock is settled first, so "answered on
/// time" compares against the deadline the site really had.
pub async fn reject(state: &AppState, staff: &StaffMember, id: i64, reference: &str, reason: &str) -> Result<bool, AppError> {
    site_step(
        state,
        staff,
        id,
        reference,
        "UPDATE complaints SET status = 'rejected', closed_at = $3, first_response_at = COALESCE(first_response_at, $3),
                due_at = due_at + COALESCE($3 - paused_at, 0), paused_at = NULL
         WHERE id = $1 AND site_id = $2 AND status IN ('open', 'waiting_citizen')",
        EventKind::Rejected,
        reason,
    )
    .await
}

async fn site_step(
    state: &AppState,
    staff: &StaffMember,
    id: i64,
    reference: &str,
    update: &str,
    event: EventKind,
    message: &str,
) -> Result<bool, AppError> {
    let Some(site_id) = staff.site_id else {
        return Ok(false);
    };
    let now = state.clock.now().timestamp();
    let mut tx = state.db.begin().await?;
    let changed = sqlx::query(update).bind(id).bind(site_id).bind(now).execute(&mut *tx).await?.rows_affected();
    if changed != 1 {
        return Ok(false);
    }
    record_event(&mut tx, id, now, Actor::staff(staff), event, None, Some(message)).await?;
    let site_name = staff.site_name.clone().unwrap_or_default();
    notify_event(&mut tx, state, (id, reference), EventNotice { event, site_name: &site_name, message: Some(message) }, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// Passes the complaint to another site, with the reason. The deadline stays as it is: a
/// complaint does not get younger by moving.
pub async fn reassign(
    state: &AppState,
    staff: &StaffMember,
    id: i64,
    reference: &str,
    to_site: i64,
    reason: &str,
) -> Result<bool, AppError> {
    let Some(site_id) = staff.site_id else {
        return Ok(false);
    };
    if !crate::vaccination_sites::service::same_province(state, site_id, to_site).await? {
        return Ok(false);
    }
    tracing::info!(target: "security", event = "reassigned", staff = staff.id, complaint = id, to_site, "a site passed a complaint on");
    move_to(state, Actor::staff(staff), site_id, id, reference, to_site, reason).await
}

/// A supervisor passes a complaint held by `from_site` (in their area) to another site.
pub async fn supervisor_reassign(
    state: &AppState,
    staff: &StaffMember,
    id: i64,
    from_site: i64,
    reference: &str,
    to_site: i64,
    reason: &str,
) -> Result<bool, AppError> {
    tracing::info!(target: "security", event = "reassigned", supervisor = staff.id, complaint = id, to_site, "a supervisor passed a complaint on");
    move_to(state, Actor::Supervisor { staff_id: staff.id }, from_site, id, reference, to_site, reason).await
}

/// A supervisor's note on the complaint's timeline (seen by the site and the citizen).
pub async fn supervisor_note(state: &AppState, staff: &StaffMember, id: i64, note: &str) -> Result<bool, AppError> {
    let now = state.clock.now().timestamp();
    let mut tx = state.db.begin().await?;
    record_event(&mut tx, id, now, Actor::Supervisor { staff_id: staff.id }, EventKind::SupervisorNote, None, Some(note)).await?;
    tx.commit().await?;
    Ok(true)
}

async fn move_to(
    state: &AppState,
    actor: Actor,
    site_id: i64,
    id: i64,
    reference: &str,
    to_site: i64,
    reason: &str,
) -> Result<bool, AppError> {
    if to_site == site_id {
        return Ok(false);
    }
    let now = state.clock.now().timestamp();
    let mut tx = state.db.begin().await?;
    let Some(to_name): Option<String> =
        sqlx::query_scalar("SELECT name FROM sites WHERE id = $1").bind(to_site).fetch_optional(&mut *tx).await?
    else {
        return Ok(false);
    };
    let changed =
        sqlx::query("UPDATE complaints SET site_id = $3 WHERE id = $1 AND site_id = $2 AND status IN ('open', 'waiting_citizen')")
            .bind(id)
            .bind(site_id)
            .bind(to_site)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if changed != 1 {
        return Ok(false);
    }
    record_event(&mut tx, id, now, actor, EventKind::Reassigned, Some(to_site), Some(reason)).await?;
    notify_event(
        &mut tx,
        state,
        (id, reference),
        EventNotice { event: EventKind::Reassigned, site_name: &to_name, message: Some(reason) },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// The citizen answers a request for information: the clock runs again, and the deadline
/// moves later by the time the site waited.
pub async fn answer(state: &AppState, id: i64, message: &str, evidence_key: Option<&str>, uploaded_by: i64) -> Result<bool, AppError> {
    let now = state.clock.now().timestamp();
    let mut tx = state.db.begin().await?;
    let changed = sqlx::query(
        "UPDATE complaints SET status = 'open', due_at = due_at + ($2 - paused_at), paused_at = NULL
         WHERE id = $1 AND status = 'waiting_citizen' AND paused_at IS NOT NULL",
    )
    .bind(id)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed != 1 {
        return Ok(false);
    }
    if let Some(key) = evidence_key {
        super::evidence::attach(&mut tx, key, uploaded_by, id).await?;
    }
    record_event(&mut tx, id, now, Actor::Citizen, EventKind::CitizenAnswered, None, Some(message)).await?;
    tx.commit().await?;
    Ok(true)
}

/// The citizen confirms the correction: the complaint is done.
pub async fn confirm(state: &AppState, id: i64) -> Result<bool, AppError> {
    let now = state.clock.now().timestamp();
    let mut tx = state.db.begin().await?;
    let changed = sqlx::query("UPDATE complaints SET status = 'confirmed' WHERE id = $1 AND status = 'resolved'")
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if changed != 1 {
        return Ok(false);
    }
    record_event(&mut tx, id, now, Actor::Citizen, EventKind::Confirmed, None, None).await?;
    tx.commit().await?;
    Ok(true)
}

/// The citizen reopens a corrected or rejected complaint within the window, with a reason:
/// back to the same site with a fresh 48 hours.
pub async fn reopen(state: &AppState, id: i64, reason: &str) -> Result<bool, AppError> {
    let now = state.clock.now().timestamp();
    let mut tx = state.db.begin().await?;
    let changed = sqlx::query(
        "UPDATE complaints SET status = 'open', due_at = $2 + $3, closed_at = NULL, paused_at = NULL, reopen_count = reopen_count + 1,
                reminded_24_at = NULL, reminded_36_at = NULL, escalated_at = NULL
         WHERE id = $1 AND status IN ('resolved', 'rejected') AND closed_at >= $2 - $4",
    )
    .bind(id)
    .bind(now)
    .bind(DEADLINE_HOURS * 3600)
    .bind(REOPEN_DAYS * 86_400)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed != 1 {
        return Ok(false);
    }
    record_event(&mut tx, id, now, Actor::Citizen, EventKind::Reopened, None, Some(reason)).await?;
    tx.commit().await?;
    Ok(true)
}

/// Corrections nobody reopened within the window count as confirmed. Run by housekeeping.
pub async fn confirm_unanswered(state: &AppState) -> Result<u64, AppError> {
    let now = state.clock.now().timestamp();
    let mut tx = state.db.begin().await?;
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM complaints WHERE status = 'resolved' AND closed_at < $1")
        .bind(now - REOPEN_DAYS * 86_400)
        .fetch_all(&mut *tx)
        .await?;
    for id in &ids {
        sqlx::query("UPDATE complaints SET status = 'confirmed' WHERE id = $1 AND status = 'resolved'").bind(id).execute(&mut *tx).await?;
        record_event(&mut tx, *id, now, Actor::System, EventKind::AutoConfirmed, None, None).await?;
    }
    tx.commit().await?;
    Ok(ids.len() as u64)
}
