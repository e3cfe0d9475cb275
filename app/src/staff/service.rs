use super::{Inbox, InboxFilter, InboxItem, StaffComplaint, StaffDose, StaffMember, StaffRole};
use crate::complaints::service::load;
use crate::complaints::workflow::{Actor, EventNotice, notify_event, record_event};
use crate::complaints::{ChangeField, ComplaintKind, ComplaintStatus, DoseSnapshot, EditedField, EventKind};
use crate::domain::{BirthDate, Gender};
use crate::platform::{AppError, AppState, Db};
use crate::verification::{Cause, Source};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use sqlx::AnyConnection;

/// Argon2 is slow on purpose: it runs on a blocking thread, never on the async workers.
pub async fn hash_password(password: &str) -> Result<String, AppError> {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || {
        // 16 random bytes from the same generator as every other secret of the portal.
        let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>()).map_err(AppError::internal)?;
        Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(AppError::internal)
    })
    .await
    .map_err(AppError::internal)?
}

async fn verify_password(password: &str, hash: String) -> Result<bool, AppError> {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&hash).map_err(AppError::internal)?;
        Ok(Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .map_err(AppError::internal)?
}

/// Where a new account works: a site (site staff and managers) or an area (supervisors;
/// `None` is the whole country).
#[derive(Debug, Clone)]
pub enum Placement {
    Site(i64),
    Area(Option<String>),
    Nowhere,
}

pub async fn create_staff(
    db: &Db,
    email: &str,
    full_name: &str,
    password: &str,
    role: StaffRole,
    placement: Placement,
    now: i64,
) -> Result<i64, AppError> {
    let hash = hash_password(password).await?;
    let (site_id, scope) = match placement {
        Placement::Site(id) => (Some(id), None),
        Placement::Area(unit) => (None, unit),
        Placement::Nowhere => (None, None),
    };
    Ok(sqlx::query_scalar("INSERT INTO staff (email, full_name, password_hash, role, site_id, scope_unit, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
        .bind(email.trim().to_lowercase())
        .bind(full_name)
        .bind(hash)
        .bind(role.code())
        .bind(site_id)
        .bind(scope)
        .bind(now)
        .fetch_one(db.write())
        .await?)
}

/// The staff id for these credentials. An unknown email costs the same hashing work as a
/// wrong password, so timing does not tell which accounts exist.
pub async fn authenticate(state: &AppState, email: &str, password: &str) -> Result<Option<i64>, AppError> {
    let row: Option<(i64, String)> = sqlx::query_as("SELECT id, password_hash FROM staff WHERE email = $1 AND disabled_at IS NULL")
        .bind(email.trim().to_lowercase())
        .fetch_optional(state.db.read())
        .await?;
    let (id, hash) = match row {
        Some((id, hash)) => (Some(id), hash),
        None => (None, dummy_hash().await?.to_string()),
    };
    let ok = verify_password(password, hash).await?;
    // Behind HTTPS the published demo password opens nothing, whatever account holds it.
    if ok && state.settings.production && super::DEMO_PASSWORDS.contains(&password) {
        tracing::warn!(target: "security", event = "demo_password_refused", staff = id, "a demo password was used in production");
        return Ok(None);
    }
    Ok(id.filter(|_| ok))
}

/// Disables the account with this email, whatever its role, and ends its sessions and
/// pending sign-ins. False when no active account has it.
pub async fn disable_account(db: &Db, email: &str, now: i64) -> Result<bool, AppError> {
    let mut tx = db.begin().await?;
    let id: Option<i64> = sqlx::query_scalar("UPDATE staff SET disabled_at = $2 WHERE email = $1 AND disabled_at IS NULL RETURNING id")
        .bind(email.trim().to_lowercase())
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(id) = id else { return Ok(false) };
    sqlx::query("DELETE FROM staff_sessions WHERE staff_id = $1").bind(id).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM staff_pending_logins WHERE staff_id = $1").bind(id).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(true)
}

/// Whether `password` is the account's current one.
pub async fn password_is(state: &AppState, staff_id: i64, password: &str) -> Result<bool, AppError> {
    let hash: Option<String> = sqlx::query_scalar("SELECT password_hash FROM staff WHERE id = $1 AND disabled_at IS NULL")
        .bind(staff_id)
        .fetch_optional(state.db.read())
        .await?;
    match hash {
        Some(hash) => verify_password(password, hash).await,
        None => Ok(false),
    }
}

/// Sets a new password and ends every session of the account (the caller starts a new one).
pub async fn change_password(state: &AppState, staff_id: i64, password: &str) -> Result<(), AppError> {
    let hash = hash_password(password).await?;
    let mut tx = state.db.begin().await?;
    // The time of the change is kept: approvals given under the old password lapse with it.
    sqlx::query("UPDATE staff SET password_hash = $2, password_changed_at = $3 WHERE id = $1")
        .bind(staff_id)
        .bind(hash)
        .bind(state.clock.now().timestamp())
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM staff_sessions WHERE staff_id = $1").bind(staff_id).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

/// A hash of a random password nobody knows, verified against when the email is unknown.
async fn dummy_hash() -> Result<&'static str, AppError> {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    if let Some(h) = DUMMY.get() {
        return Ok(h);
    }
    let hash = hash_password(&crate::platform::session::random_token()).await?;
    Ok(DUMMY.get_or_init(|| hash))
}

pub async fn member(state: &AppState, staff_id: i64) -> Result<Option<StaffMember>, AppError> {
    type Row = (i64, String, String, Option<i64>, Option<String>, Option<String>, Option<String>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT st.id, st.full_name, st.role, st.site_id, s.name, st.scope_unit, u.name
         FROM staff st LEFT JOIN sites s ON s.id = st.site_id LEFT JOIN admin_units u ON u.code = st.scope_unit
         WHERE st.id = $1 AND st.disabled_at IS NULL",
    )
    .bind(staff_id)
    .fetch_optional(state.db.read())
    .await?;
    Ok(row.and_then(|(id, full_name, role, site_id, site_name, scope_unit, scope_name)| {
        Some(StaffMember { id, full_name, role: StaffRole::from_code(&role)?, site_id, site_name, scope_unit, scope_name })
    }))
}

/// Most rows one inbox page lists; the counts always cover everything.
const INBOX_ROWS: i64 = 200;

/// The site's complaints under the filter: by default those still with the site, the one
/// with least time left first (paused ones after, since their clock is stopped); closed ones
/// most recently closed first. Counts per status and per kind come with it.
pub async fn inbox(state: &AppState, staff: StaffMember, filter: InboxFilter) -> Result<Inbox, AppError> {
    let Some(site_id) = staff.site_id else {
        return Ok(Inbox { staff, items: Vec::new(), filter, status_counts: Vec::new(), kind_counts: Vec::new() });
    };
    let counts: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT status, kind, COUNT(*) FROM complaints WHERE site_id = $1 GROUP BY status, kind")
            .bind(site_id)
            .fetch_all(state.db.read())
            .await?;
    let counts: Vec<(ComplaintStatus, ComplaintKind, i64)> =
        counts.into_iter().filter_map(|(s, k, n)| Some((ComplaintStatus::from_code(&s)?, ComplaintKind::from_code(&k)?, n))).collect();
    let status_counts = ComplaintStatus::ALL
        .into_iter()
        .map(|st| (st, counts.iter().filter(|(s, k, _)| *s == st && filter.kind.is_none_or(|f| f == *k)).map(|c| c.2).sum()))
        .collect();
    let kind_counts = ComplaintKind::ALL
        .into_iter()
        .map(|kd| (kd, counts.iter().filter(|(s, k, _)| *k == kd && filter.matches_status(*s)).map(|c| c.2).sum()))
        .collect();

    let statuses: Vec<&str> = ComplaintStatus::ALL.into_iter().filter(|s| filter.matches_status(*s)).map(ComplaintStatus::code).collect();
    let placeholders: Vec<String> = (0..statuses.len()).map(|i| format!("${}", i + 3)).collect();
    let order = if filter.status.is_none_or(ComplaintStatus::is_active) {
        "CASE WHEN c.status = 'waiting_citizen' THEN 1 ELSE 0 END, c.due_at, c.id"
    } else {
        "c.closed_at DESC, c.id DESC"
    };
    let sql = format!(
        "SELECT c.reference, c.kind, c.status, p.full_name AS person_name, c.due_at, c.paused_at, c.escalated_at FROM complaints c JOIN people p ON p.id = c.person_id
         WHERE c.site_id = $1 AND ($2 = '' OR c.kind = $2) AND c.status IN ({}) ORDER BY {order} LIMIT {INBOX_ROWS}",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as::<_, InboxRow>(&sql).bind(site_id).bind(filter.kind.map(ComplaintKind::code).unwrap_or(""));
    for status in &statuses {
        query = query.bind(*status);
    }
    let rows = query.fetch_all(state.db.read()).await?;
    let now = state.clock.now().timestamp();
    let items = rows
        .into_iter()
        .filter_map(|InboxRow { reference, kind, status, person_name, due_at, paused_at, escalated_at }| {
            Some(InboxItem {
                reference,
                kind: ComplaintKind::from_code(&kind)?,
                status: ComplaintStatus::from_code(&status)?,
                person_name,
                due_at: crate::vietnam::time_text(due_at),
                hours_left: (due_at - paused_at.unwrap_or(now)).div_euclid(3600),
                paused: paused_at.is_some(),
                escalated: escalated_at.is_some(),
            })
        })
        .collect();
    Ok(Inbox { staff, items, filter, status_counts, kind_counts })
}

#[derive(sqlx::FromRow)]
struct InboxRow {
    reference: String,
    kind: String,
    status: String,
    person_name: String,
    due_at: i64,
    paused_at: Option<i64>,
    escalated_at: Option<i64>,
}

/// The personal fields of a record as stored.
#[derive(sqlx::FromRow)]
struct RecordRow {
    full_name: String,
    birth_date: String,
    gender: String,
    national_id: Option<String>,
}

/// The complaint, if it is held by this staff member's site. `None` otherwise, whether or
/// not it exists.
pub async fn complaint_for(
    state: &AppState,
    staff: &StaffMember,
    reference: &str,
    search: (&str, &str),
) -> Result<Option<StaffComplaint>, AppError> {
    let Some(loaded) = held_by(state, staff, reference).await? else {
        return Ok(None);
    };
    let person: RecordRow = sqlx::query_as("SELECT full_name, birth_date, gender, national_id FROM people WHERE id = $1")
        .bind(loaded.person_id)
        .fetch_one(state.db.read())
        .await?;
    let dose_id: Option<i64> =
        sqlx::query_scalar("SELECT dose_id FROM complaints WHERE id = $1").bind(loaded.id).fetch_one(state.db.read()).await?;
    let doses = crate::records::service::doses_of(state, loaded.person_id).await?;
    let mut reassign = crate::vaccination_sites::service::site_search(state, search.0, search.1, None).await?;
    reassign.results.retain(|s| Some(s.id) != staff.site_id);
    let scope = edit_scope(state, &loaded).await?;
    Ok(Some(StaffComplaint {
        staff: staff.clone(),
        person_id: loaded.person_id,
        complaint: loaded.view,
        record_name: person.full_name,
        record_birth_date: BirthDate::from_stored(&person.birth_date).map(|b| b.display()).unwrap_or(person.birth_date),
        record_gender: Gender::from_code(&person.gender).ok_or_else(|| AppError::internal("bad gender code"))?,
        record_national_id: person.national_id.unwrap_or_default(),
        doses: doses
            .into_iter()
            .map(|d| StaffDose {
                editable: scope.doses.contains(&d.id),
                id: d.id,
                kind: d.kind,
                given_on: d.given_on,
                product_code: d.product_code,
                product: d.product,
                lot: d.lot,
                site: d.site,
            })
            .collect(),
        dose_id,
        editable_fields: scope.fields,
        products: crate::vaccination_sites::service::products(state).await?,
        reassign,
    }))
}

/// The complaint, if this staff member's site holds it. `None` otherwise, whether or not it
/// exists, so references cannot be probed.
pub async fn held_by(
    state: &AppState,
    staff: &StaffMember,
    reference: &str,
) -> Result<Option<crate::complaints::service::Loaded>, AppError> {
    let Some(loaded) = load(state, reference).await? else {
        return Ok(None);
    };
    if staff.site_id.is_none() || staff.site_id != Some(loaded.site_id) {
        return Ok(None);
    }
    Ok(Some(loaded))
}

/// A parsed correction of a person's field: the field and its new stored value.
pub type Correction = (ChangeField, String);

/// A parsed edit of a dose. Values are stored forms (yyyy-mm-dd, product codes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DoseEdit {
    Change { dose_id: i64, field: ChangeField, value: String },
    Remove { dose_id: i64 },
    Add { dose_kind: String, given_on: String, product: String, lot: String },
}

impl DoseEdit {
    fn dose_id(&self) -> Option<i64> {
        match self {
            DoseEdit::Change { dose_id, .. } | DoseEdit::Remove { dose_id } => Some(*dose_id),
            DoseEdit::Add { .. } => None,
        }
    }
}

/// What a site may change through a complaint: the personal fields the complaint is about
/// (by its kind, and those it names), and the doses it concerns or that the site itself gave.
/// A dose the site adds is recorded as given there.
pub struct EditScope {
    pub fields: Vec<ChangeField>,
    pub doses: Vec<i64>,
}

pub async fn edit_scope(state: &AppState, loaded: &crate::complaints::service::Loaded) -> Result<EditScope, AppError> {
    let mut fields = loaded.view.kind.personal_fields().to_vec();
    for change in &loaded.view.changes {
        if ChangeField::PERSONAL.contains(&change.field) && !fields.contains(&change.field) {
            fields.push(change.field);
        }
    }
    let doses = sqlx::query_scalar(
        "SELECT d.id FROM doses d WHERE d.person_id = $1 AND d.removed_at IS NULL
           AND (d.site_id = $2 OR d.id = (SELECT c.dose_id FROM complaints c WHERE c.id = $3))",
    )
    .bind(loaded.person_id)
    .bind(loaded.site_id)
    .bind(loaded.id)
    .fetch_all(state.db.read())
    .await?;
    Ok(EditScope { fields, doses })
}

/// The ids of the person's doses on record (not removed).
pub async fn doses_on_record(state: &AppState, person_id: i64) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT id FROM doses WHERE person_id = $1 AND removed_at IS NULL ORDER BY id")
        .bind(person_id)
        .fetch_all(state.db.read())
        .await?)
}

/// Corrects the record and resolves the complaint in one transaction, writing an audit row
/// per changed field or dose. Returns false when the complaint is not this site's, no longer
/// open, or a dose edit names a dose that is not this person's.
pub async fn correct(
    state: &AppState,
    staff: &StaffMember,
    reference: &str,
    corrections: &[Correction],
    dose_edits: &[DoseEdit],
    note: &str,
) -> Result<bool, AppError> {
    let Some(loaded) = load(state, reference).await? else {
        return Ok(false);
    };
    if staff.site_id != Some(loaded.site_id) {
        return Ok(false);
    }
    let scope = edit_scope(state, &loaded).await?;
    let outside = corrections.iter().any(|(field, _)| !scope.fields.contains(field))
        || dose_edits.iter().filter_map(DoseEdit::dose_id).any(|dose| !scope.doses.contains(&dose));
    if outside {
        tracing::warn!(target: "security", event = "edit_outside_complaint", staff = staff.id, complaint = loaded.id, "an edit beyond the complaint was refused");
        return Err(AppError::NotFound);
    }
    let now = state.clock.now().timestamp();
    let mut tx = state.db.begin().await?;
    let claimed = sqlx::query(
        "UPDATE complaints SET status = 'resolved', closed_at = $3, first_response_at = COALESCE(first_response_at, $3),
                due_at = due_at + COALESCE($3 - paused_at, 0), paused_at = NULL
         WHERE id = $1 AND site_id = $2 AND status IN ('open', 'waiting_citizen')",
    )
    .bind(loaded.id)
    .bind(loaded.site_id)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if claimed != 1 {
        return Ok(false);
    }
    let audit = Audit { person_id: loaded.person_id, complaint_id: Some(loaded.id), batch_id: None, staff_id: staff.id, at: now };
    correct_person(&mut tx, &audit, corrections).await?;
    for edit in dose_edits {
        if !apply_dose_edit(&mut tx, &audit, loaded.site_id, edit).await? {
            return Ok(false);
        }
    }
    // The record is graded again by the one engine before the complaint is closed.
    crate::verification::service::reverify(&mut tx, loaded.person_id, Cause::staff(Source::ComplaintCorrection, staff.id), now).await?;
    record_event(&mut tx, loaded.id, now, Actor::staff(staff), EventKind::Corrected, None, Some(note)).await?;
    let notice =
        EventNotice { event: EventKind::Corrected, site_name: &loaded.view.site_name, message: Some(note).filter(|n| !n.is_empty()) };
    notify_event(&mut tx, state, (loaded.id, reference), notice, now).await?;
    tx.commit().await?;
    Ok(true)
}

fn person_column(field: ChangeField) -> Option<&'static str> {
    Some(match field {
        ChangeField::FullName => "full_name",
        ChangeField::BirthDate => "birth_date",
        ChangeField::Gender => "gender",
        ChangeField::NationalId => "national_id",
        _ => return None,
    })
}

fn dose_column(field: ChangeField) -> Option<&'static str> {
    Some(match field {
        ChangeField::DoseKind => "dose_kind",
        ChangeField::GivenOn => "given_on",
        ChangeField::Product => "product_code",
        ChangeField::Lot => "lot",
        _ => return None,
    })
}

/// Sets the person's fields to the corrected values, one audit row per field that changes. The
/// caller grades the record again in the same transaction.
pub async fn correct_person(conn: &mut AnyConnection, audit: &Audit, corrections: &[Correction]) -> Result<(), AppError> {
    for (field, after) in corrections {
        let column = person_column(*field).ok_or(AppError::BadRequest)?;
        let before: Option<String> =
            sqlx::query_scalar(&format!("SELECT {column} FROM people WHERE id = $1")).bind(audit.person_id).fetch_one(&mut *conn).await?;
        if before.as_deref() == Some(after.as_str()) {
            continue;
        }
        sqlx::query(&format!("UPDATE people SET {column} = $1 WHERE id = $2"))
            .bind(after)
            .bind(audit.person_id)
            .execute(&mut *conn)
            .await?;
        audit.write(conn, EditedField::Person(*field), None, before, Some(after.clone())).await?;
    }
    Ok(())
}

/// One record's corrections whose values before are known (read in the same transaction).
pub struct KnownCorrection {
    pub person_id: i64,
    /// (field, stored before, stored after) for each field that changes.
    pub fields: Vec<(ChangeField, Option<String>, String)>,
}

/// Applies many records' corrections from an imported file (police batch `batch_id`, or none
/// for a subject import): one UPDATE per record and the audit rows many per statement, each
/// naming the staff member, the batch and the time.
pub async fn correct_many(
    conn: &mut AnyConnection,
    (staff_id, batch_id, at): (i64, Option<i64>, i64),
    corrections: &[KnownCorrection],
) -> Result<(), AppError> {
    for c in corrections {
        let columns: Vec<&str> =
            c.fields.iter().map(|(f, _, _)| person_column(*f).ok_or(AppError::BadRequest)).collect::<Result<_, _>>()?;
        let set = columns.iter().enumerate().map(|(i, col)| format!("{col} = ${}", i + 2)).collect::<Vec<_>>().join(", ");
        let sql = format!("UPDATE people SET {set} WHERE id = $1");
        let mut query = sqlx::query(&sql).bind(c.person_id);
        for (_, _, after) in &c.fields {
            query = query.bind(after);
        }
        query.execute(&mut *conn).await?;
    }
    let rows: Vec<(i64, &ChangeField, &Option<String>, &String)> =
        corrections.iter().flat_map(|c| c.fields.iter().map(move |(f, before, after)| (c.person_id, f, before, after))).collect();
    for chunk in rows.chunks(100) {
        let values = (0..chunk.len()).map(|i| format!("($1, $2, $3, ${}, ${}, ${}, ${})", 4 + 4 * i, 5 + 4 * i, 6 + 4 * i, 7 + 4 * i));
        let sql = format!(
            "INSERT INTO record_audit (batch_id, staff_id, at, person_id, field, before_value, after_value) VALUES {}",
            values.collect::<Vec<_>>().join(", ")
        );
        let mut query = sqlx::query(&sql).bind(batch_id).bind(staff_id).bind(at);
        for (person, field, before, after) in chunk {
            query = query.bind(*person).bind(EditedField::Person(**field).code()).bind(*before).bind(*after);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Who is writing audit rows, for which person, because of which complaint or police batch
/// (neither for a station's own edit), when.
pub struct Audit {
    pub person_id: i64,
    pub complaint_id: Option<i64>,
    pub batch_id: Option<i64>,
    pub staff_id: i64,
    pub at: i64,
}

impl Audit {
    pub(crate) async fn write(
        &self,
        conn: &mut AnyConnection,
        field: EditedField,
        dose_id: Option<i64>,
        before: Option<String>,
        after: Option<String>,
    ) -> Result<(), AppError> {
        sqlx::query(
            "INSERT INTO record_audit (person_id, complaint_id, staff_id, at, field, dose_id, before_value, after_value, batch_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(self.person_id)
        .bind(self.complaint_id)
        .bind(self.staff_id)
        .bind(self.at)
        .bind(field.code())
        .bind(dose_id)
        .bind(before)
        .bind(after)
        .bind(self.batch_id)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }
}

/// A dose as the audit trail keeps it when it is added or removed (JSON of its stored values).
async fn dose_snapshot(conn: &mut AnyConnection, dose_id: i64) -> Result<String, AppError> {
    let (dose_kind, given_on, product_code, lot, site_id): (String, String, String, String, i64) =
        sqlx::query_as("SELECT dose_kind, given_on, product_code, lot, site_id FROM doses WHERE id = $1")
            .bind(dose_id)
            .fetch_one(&mut *conn)
            .await?;
    let snapshot = DoseSnapshot { dose_kind, given_on, product_code, lot, site_id };
    serde_json::to_string(&snapshot).map_err(|e| AppError::internal(e.to_string()))
}

/// Applies one dose edit with its audit row. False if the dose is not this person's (or is
/// already removed), or the product is unknown.
async fn apply_dose_edit(conn: &mut AnyConnection, audit: &Audit, site_id: i64, edit: &DoseEdit) -> Result<bool, AppError> {
    let owned = |dose_id: i64| {
        sqlx::query_scalar::<_, i64>("SELECT id FROM doses WHERE id = $1 AND person_id = $2 AND removed_at IS NULL")
            .bind(dose_id)
            .bind(audit.person_id)
    };
    match edit {
        DoseEdit::Change { dose_id, field, value } => {
            let Some(column) = dose_column(*field) else {
                return Ok(false);
            };
            if owned(*dose_id).fetch_optional(&mut *conn).await?.is_none() {
                return Ok(false);
            }
            if *field == ChangeField::Product && !product_exists(conn, value).await? {
                return Ok(false);
            }
            let before: String =
                sqlx::query_scalar(&format!("SELECT {column} FROM doses WHERE id = $1")).bind(dose_id).fetch_one(&mut *conn).await?;
            if before == *value {
                return Ok(true);
            }
            sqlx::query(&format!("UPDATE doses SET {column} = $1 WHERE id = $2")).bind(value).bind(dose_id).execute(&mut *conn).await?;
            audit.write(conn, EditedField::Dose(*field), Some(*dose_id), Some(before), Some(value.clone())).await?;
        }
        DoseEdit::Remove { dose_id } => {
            if owned(*dose_id).fetch_optional(&mut *conn).await?.is_none() {
                return Ok(false);
            }
            let before = dose_snapshot(conn, *dose_id).await?;
            sqlx::query("UPDATE doses SET removed_at = $1 WHERE id = $2").bind(audit.at).bind(dose_id).execute(&mut *conn).await?;
            audit.write(conn, EditedField::DoseRemoved, Some(*dose_id), Some(before), None).await?;
        }
        DoseEdit::Add { dose_kind, given_on, product, lot } => {
            if !product_exists(conn, product).await? {
                return Ok(false);
            }
            let dose_id: i64 = sqlx::query_scalar("INSERT INTO doses (person_id, dose_kind, given_on, product_code, lot, site_id) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
                .bind(audit.person_id)
                .bind(dose_kind)
                .bind(given_on)
                .bind(product)
                .bind(lot)
                .bind(site_id)
                .fetch_one(&mut *conn)
                .await?;
            let after = dose_snapshot(conn, dose_id).await?;
            audit.write(conn, EditedField::DoseAdded, Some(dose_id), None, Some(after)).await?;
        }
    }
    Ok(true)
}

async fn product_exists(conn: &mut AnyConnection, code: &str) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar::<_, String>("SELECT code FROM vaccine_products WHERE code = $1")
        .bind(code)
        .fetch_optional(&mut *conn)
        .await?
        .is_some())
}
