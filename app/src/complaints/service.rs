//! Filing and reading complaints. Routing rules:
//! - a complaint about a recorded dose goes to the site that gave the dose;
//! - a missing dose goes to the site the citizen names;
//! - personal data, ID number, split records and anything else go to the health station of
//!   the person's residence commune (or, where the commune has none, its district centre).

use super::{
    ChangeField, ChangeView, ComplaintKind, ComplaintStatus, ComplaintSummary, ComplaintView, DEADLINE_HOURS, DoseShown, DoseSnapshot,
    EditValue, EditView, EditedField, EventKind, EventView, FieldValue, HolderView, REOPEN_DAYS,
};
use crate::platform::outbox::message_to_chosen;
use crate::platform::shared_limits::{self, Bucket};
use crate::platform::together::Step;
use crate::platform::{AppError, AppState};
use crate::records::service::in_household;
use rand::Rng;
use std::collections::HashMap;

/// A complaint whose fields have all been parsed.
#[derive(Debug, Clone)]
pub struct NewComplaint {
    pub person_id: i64,
    pub kind: ComplaintKind,
    pub dose_id: Option<i64>,
    /// The site the citizen named, for a missing dose.
    pub site_id: Option<i64>,
    /// What is asked for, each field with the value recorded now (if any), both as stored.
    pub changes: Vec<RequestedChange>,
    pub description: String,
    pub idempotency_key: String,
}

/// One field a complaint asks to change: the value recorded now and the value asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestedChange {
    pub recorded: Option<String>,
    pub requested: FieldValue,
}

/// Files the complaint, or returns the one already filed with the same idempotency key (a
/// double click, a resubmitted form): one submission, one complaint.
pub async fn file(state: &AppState, filed_by: i64, complaint: NewComplaint) -> Result<String, AppError> {
    // (A form filed before fails the insert below on its key, and gets its complaint.)
    let (site_id, site_name) = route(state, &complaint).await?;
    let now = state.clock.now().timestamp();
    let due = now + DEADLINE_HOURS * 3600;
    let reference = new_reference();
    let insert = Step::new(
        "INSERT INTO complaints (reference, person_id, filed_by, kind, dose_id, site_id, status, description, filed_at, due_at, idempotency_key)
         VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $9, $10) RETURNING id",
    )
    .bind(reference.as_str())
    .bind(complaint.person_id)
    .bind(filed_by)
    .bind(complaint.kind.code())
    .bind(complaint.dose_id)
    .bind(site_id)
    .bind(complaint.description.as_str())
    .bind(now)
    .bind(due)
    .bind(complaint.idempotency_key.as_str());
    let mut with_it: Vec<Step> = complaint
        .changes
        .iter()
        .map(|change| {
            Step::new("INSERT INTO complaint_changes (complaint_id, field, recorded, requested) VALUES ({id}, $1, $2, $3)")
                .bind(change.requested.field.code())
                .bind(change.recorded.as_deref())
                .bind(change.requested.stored.as_str())
        })
        .collect();
    with_it.push(super::workflow::event_step(now, super::workflow::Actor::Citizen, EventKind::Filed, Some(site_id), None));
    with_it.push(super::evidence::attach_step(&complaint.idempotency_key, filed_by));
    // Counted against the filer's allowance with the complaint itself (README, "Security").
    let counted = [(Bucket::ComplaintsPerHour, 1), (Bucket::ComplaintsPerDay, 1)];
    with_it.extend(shared_limits::counting(state, &filed_by.to_string(), &counted));
    let link = format!("{}{}", state.settings.public_origin, super::routes::tracking(&reference));
    let due = crate::vietnam::time_text(due);
    with_it.push(notice(
        Concerning::Filing { person_id: complaint.person_id, filed_by },
        &format!("Đã nhận phản ánh {reference}"),
        &format!(
            "Phản ánh {reference} đã được chuyển tới {site_name}. Cơ sở phải trả lời trước {due}.\nTheo dõi tại: {link}\n\n\
             Report {reference} was sent to {site_name}, which must answer by {due}.\nFollow it at: {link}"
        ),
        now,
    ));
    match state.db.together(&insert, &with_it).await {
        Ok(_) => Ok(reference),
        // A parallel submission of the same form won the race.
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            by_key(state, filed_by, &complaint.idempotency_key).await?.ok_or(AppError::Forbidden)
        }
        Err(e) => Err(e.into()),
    }
}

/// Queues an email and an SMS about complaint `complaint_id` to the contacts on file of the
/// person it concerns (or, if they have none, of whoever filed it), inside the caller's transaction.
pub async fn notify_citizen(
    conn: &mut sqlx::AnyConnection,
    complaint_id: i64,
    subject: &str,
    body: &str,
    now: i64,
) -> Result<(), AppError> {
    notice(Concerning::Complaint(complaint_id), subject, body, now).execute(conn, None).await?;
    Ok(())
}

/// Whom a complaint's notice is about: a complaint on file, or one being filed.
enum Concerning {
    Complaint(i64),
    Filing { person_id: i64, filed_by: i64 },
}

/// A notice about a complaint, queued by email and by text to the contacts on file of the
/// person it concerns, else to those of whoever filed it (a guardian, for a child's record);
/// by the channels it has an address for, none without either.
fn notice(to: Concerning, subject: &str, body: &str, now: i64) -> Step {
    let (people, ids) = match to {
        Concerning::Complaint(id) => {
            ("FROM complaints c JOIN people p ON p.id = c.person_id JOIN people f ON f.id = c.filed_by WHERE c.id = $4", (id, None))
        }
        Concerning::Filing { person_id, filed_by } => {
            ("FROM people p JOIN people f ON f.id = $5 WHERE p.id = $4", (person_id, Some(filed_by)))
        }
    };
    let step = message_to_chosen("COALESCE(p.email, f.email)", "COALESCE(p.phone, f.phone)", people, subject, body, now).bind(ids.0);
    match ids.1 {
        Some(filed_by) => step.bind(filed_by),
        None => step,
    }
}

async fn by_key(state: &AppState, filed_by: i64, key: &str) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar("SELECT reference FROM complaints WHERE idempotency_key = $1 AND filed_by = $2")
        .bind(key)
        .bind(filed_by)
        .fetch_optional(state.db.write())
        .await?)
}

async fn route(state: &AppState, complaint: &NewComplaint) -> Result<(i64, String), AppError> {
    if complaint.kind == ComplaintKind::MissingDose {
        let site_id = complaint.site_id.ok_or(AppError::BadRequest)?;
        return sqlx::query_as("SELECT id, name FROM sites WHERE id = $1")
            .bind(site_id)
            .fetch_optional(state.db.read())
            .await?
            .ok_or(AppError::BadRequest);
    }
    if complaint.kind == ComplaintKind::WrongDose {
        let dose_id = complaint.dose_id.ok_or(AppError::BadRequest)?;
        return sqlx::query_as("SELECT s.id, s.name FROM doses d JOIN sites s ON s.id = d.site_id WHERE d.id = $1 AND d.person_id = $2")
            .bind(dose_id)
            .bind(complaint.person_id)
            .fetch_optional(state.db.read())
            .await?
            .ok_or(AppError::NotFound);
    }
    let station: Option<(i64, String)> = sqlx::query_as(
        "SELECT s.id, s.name FROM sites s JOIN people p ON s.unit_code = p.residence_unit
         WHERE p.id = $1 AND s.site_type = 'commune_station' ORDER BY s.id LIMIT 1",
    )
    .bind(complaint.person_id)
    .fetch_optional(state.db.read())
    .await?;
    if let Some(site) = station {
        return Ok(site);
    }
    let centre: Option<(i64, String)> = sqlx::query_as(
        "SELECT s.id, s.name FROM sites s
         JOIN admin_units w ON w.parent_code = s.unit_code
         JOIN people p ON p.residence_unit = w.code
         WHERE p.id = $1 AND s.site_type = 'district_centre' ORDER BY s.id LIMIT 1",
    )
    .bind(complaint.person_id)
    .fetch_optional(state.db.read())
    .await?;
    centre.ok_or_else(|| AppError::internal("no site serves this person's commune"))
}

/// Reference codes citizens read out on the phone: no 0/O or 1/I/L to confuse.
fn new_reference() -> String {
    reference_from(&mut rand::rng())
}

/// A reference drawn from `rng` (the demo data draws from a seeded one).
pub fn reference_from(rng: &mut impl Rng) -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let code: String = (0..8).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect();
    format!("PA-{}-{}", &code[..4], &code[4..])
}

/// The complaints about each of `ids` (a household), newest first, in one query.
pub async fn summaries_of(state: &AppState, ids: &[i64]) -> Result<HashMap<i64, Vec<ComplaintSummary>>, AppError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT person_id, reference, kind, status, due_at FROM complaints WHERE person_id IN ({}) ORDER BY filed_at DESC, id DESC",
        crate::platform::db::marks(ids.len())
    );
    let rows: Vec<(i64, String, String, String, i64)> =
        ids.iter().fold(sqlx::query_as(&sql), |q, id| q.bind(*id)).fetch_all(state.db.read()).await?;
    let mut summaries: HashMap<i64, Vec<ComplaintSummary>> = HashMap::new();
    for (person_id, reference, kind, status, due_at) in rows {
        if let (Some(kind), Some(status)) = (ComplaintKind::from_code(&kind), ComplaintStatus::from_code(&status)) {
            summaries.entry(person_id).or_default().push(ComplaintSummary {
                reference,
                kind,
                status,
                due_at: crate::vietnam::time_text(due_at),
            });
        }
    }
    Ok(summaries)
}

#[derive(sqlx::FromRow)]
struct ComplaintRow {
    id: i64,
    person_id: i64,
    site_id: i64,
    person_name: String,
    kind: String,
    status: String,
    site_name: String,
    filed_at: i64,
    due_at: i64,
    description: String,
    paused_at: Option<i64>,
    closed_at: Option<i64>,
}

/// The complaint with this reference, if it concerns someone in `me_id`'s household. `None`
/// otherwise, whether or not it exists, so references cannot be probed.
pub async fn for_citizen(state: &AppState, me_id: i64, reference: &str) -> Result<Option<ComplaintView>, AppError> {
    let Some(loaded) = load(state, reference).await? else {
        return Ok(None);
    };
    if !in_household(state, me_id, loaded.person_id).await? {
        return Ok(None);
    }
    Ok(Some(loaded.view))
}

/// A complaint with who it concerns and which site holds it, for the callers' access checks.
pub struct Loaded {
    pub id: i64,
    pub person_id: i64,
    pub site_id: i64,
    pub view: ComplaintView,
}

#[derive(sqlx::FromRow)]
struct ChangeRow {
    field: String,
    recorded: Option<String>,
    requested: String,
}

#[derive(sqlx::FromRow)]
struct EditRow {
    at: i64,
    field: String,
    before_value: Option<String>,
    after_value: Option<String>,
}

/// Turns stored values back into readable ones: the names of vaccine products and sites.
pub struct Values {
    products: std::collections::HashMap<String, String>,
}

impl Values {
    pub async fn read(state: &AppState) -> Result<Self, AppError> {
        Ok(Values { products: crate::vaccination_sites::service::products(state).await?.into_iter().collect() })
    }

    pub fn field(&self, field: ChangeField, stored: String) -> FieldValue {
        let product_name = (field == ChangeField::Product).then(|| self.products.get(&stored).cloned()).flatten();
        FieldValue { field, stored, product_name }
    }

    /// One side of an audit row: a dose added or removed is a JSON snapshot of the dose.
    pub async fn edit(&self, state: &AppState, field: EditedField, stored: Option<String>) -> Result<Option<EditValue>, AppError> {
        let Some(stored) = stored else {
            return Ok(None);
        };
        Ok(Some(match field {
            EditedField::Person(f) | EditedField::Dose(f) => EditValue::Field(self.field(f, stored)),
            EditedField::DoseMoved => EditValue::Record(stored.parse().map_err(|_| AppError::internal("audit row holds no record id"))?),
            EditedField::DoseAdded | EditedField::DoseRemoved => {
                let dose: DoseSnapshot =
                    serde_json::from_str(&stored).map_err(|e| AppError::internal(format!("audit row holds no dose: {e}")))?;
                let site_name: Option<String> =
                    sqlx::query_scalar("SELECT name FROM sites WHERE id = $1").bind(dose.site_id).fetch_optional(state.db.read()).await?;
                EditValue::Dose(DoseShown {
                    product_name: self.products.get(&dose.product_code).cloned().unwrap_or_else(|| dose.product_code.clone()),
                    site_name: site_name.unwrap_or_default(),
                    dose,
                })
            }
        }))
    }
}

/// One line of a complaint's timeline, with the name of the site it names.
#[derive(sqlx::FromRow)]
struct EventRow {
    at: i64,
    kind: String,
    actor: String,
    site: Option<String>,
    message: Option<String>,
}

pub async fn load(state: &AppState, reference: &str) -> Result<Option<Loaded>, AppError> {
    let row: Option<ComplaintRow> = sqlx::query_as(
        "SELECT c.id, c.person_id, c.site_id, p.full_name AS person_name, c.kind, c.status, s.name AS site_name, c.filed_at, c.due_at,
                c.description, c.paused_at, c.closed_at
         FROM complaints c JOIN people p ON p.id = c.person_id JOIN sites s ON s.id = c.site_id
         WHERE c.reference = $1",
    )
    .bind(reference)
    .fetch_optional(state.db.read())
    .await?;
    let Some(ComplaintRow {
        id,
        person_id,
        site_id,
        person_name,
        kind,
        status,
        site_name,
        filed_at,
        due_at,
        description,
        paused_at,
        closed_at,
    }) = row
    else {
        return Ok(None);
    };
    let changes: Vec<ChangeRow> =
        sqlx::query_as("SELECT field, recorded, requested FROM complaint_changes WHERE complaint_id = $1 ORDER BY field")
            .bind(id)
            .fetch_all(state.db.read())
            .await?;
    let events: Vec<EventRow> = sqlx::query_as(
        "SELECT e.at, e.kind, e.actor, s.name AS site, e.message FROM complaint_events e LEFT JOIN sites s ON s.id = e.site_id
         WHERE e.complaint_id = $1 ORDER BY e.at, e.id",
    )
    .bind(id)
    .fetch_all(state.db.read())
    .await?;
    let edits: Vec<EditRow> =
        sqlx::query_as("SELECT at, field, before_value, after_value FROM record_audit WHERE complaint_id = $1 ORDER BY at, id")
            .bind(id)
            .fetch_all(state.db.read())
            .await?;
    let values = Values::read(state).await?;
    let status = ComplaintStatus::from_code(&status).ok_or_else(|| AppError::internal("bad complaint status"))?;
    let open = matches!(status, ComplaintStatus::Open);
    let now = state.clock.now().timestamp();
    // Who held it: the site it was filed to, then each site it was passed to.
    let handovers: Vec<(i64, String)> = events
        .iter()
        .filter(|e| matches!(EventKind::from_code(&e.kind), Some(EventKind::Filed | EventKind::Reassigned)) && e.site.is_some())
        .map(|e| (e.at, e.site.clone().unwrap_or_default()))
        .collect();
    let end = closed_at.unwrap_or(now);
    let holders = handovers
        .iter()
        .enumerate()
        .map(|(i, (from, site))| {
            let until = handovers.get(i + 1).map(|(at, _)| *at).unwrap_or(end);
            HolderView { site: site.clone(), from: crate::vietnam::time_text(*from), hours: (until - from).max(0) / 3600 }
        })
        .collect();
    let reopen_until = matches!(status, ComplaintStatus::Resolved | ComplaintStatus::Rejected)
        .then_some(closed_at)
        .flatten()
        .map(|closed| closed + REOPEN_DAYS * 86_400)
        .filter(|until| *until >= now)
        .map(crate::vietnam::time_text);
    let view = ComplaintView {
        reference: reference.to_string(),
        person_name,
        kind: ComplaintKind::from_code(&kind).ok_or_else(|| AppError::internal("bad complaint kind"))?,
        status,
        site_name,
        filed_at: crate::vietnam::time_text(filed_at),
        due_at: crate::vietnam::time_text(due_at),
        overdue: open && now > due_at,
        description,
        changes: changes
            .into_iter()
            .map(|ChangeRow { field, recorded, requested }| {
                let field = ChangeField::from_code(&field).ok_or_else(|| AppError::internal(format!("unknown change field {field}")))?;
                let value = |stored: String| values.field(field, stored);
                Ok(ChangeView { field, recorded: recorded.map(value), requested: value(requested) })
            })
            .collect::<Result<_, AppError>>()?,
        events: events
            .into_iter()
            .map(|EventRow { at, kind, actor, site, message }| {
                let kind = EventKind::from_code(&kind).ok_or_else(|| AppError::internal(format!("unknown event kind {kind}")))?;
                Ok(EventView { at: crate::vietnam::time_text(at), kind, actor, site, message })
            })
            .collect::<Result<_, AppError>>()?,
        edits: {
            let mut views = Vec::with_capacity(edits.len());
            for EditRow { at, field, before_value, after_value } in edits {
                let field = EditedField::from_code(&field).ok_or_else(|| AppError::internal(format!("unknown audit field {field}")))?;
                views.push(EditView {
                    at: crate::vietnam::time_text(at),
                    field,
                    before: values.edit(state, field, before_value).await?,
                    after: values.edit(state, field, after_value).await?,
                });
            }
            views
        },
        paused_minutes_left: paused_at.map(|paused| (due_at - paused) / 60),
        reopen_until,
        evidence: super::evidence::of_complaint(state, id).await?,
        holders,
        person_id,
        certificate: {
            let quality: Option<String> =
                sqlx::query_scalar("SELECT quality FROM people WHERE id = $1").bind(person_id).fetch_one(state.db.read()).await?;
            crate::certificates::service::state_of(
                &mut *state.db.read().acquire().await?,
                person_id,
                quality.as_deref(),
                state.clock.now().timestamp(),
            )
            .await?
        },
    };
    Ok(Some(Loaded { id, person_id, site_id, view }))
}
