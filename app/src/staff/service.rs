use super::{Inbox, InboxItem, StaffComplaint, StaffMember, StaffRole};
use crate::complaints::service::{load, notify_citizen};
use crate::complaints::{ChangeField, ComplaintKind, ComplaintStatus, vietnam_time};
use crate::domain::{BirthDate, Gender};
use crate::platform::{AppError, AppState, Db};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use argon2::Argon2;

pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(AppError::internal)
}

pub async fn create_staff(
    db: &Db,
    email: &str,
    full_name: &str,
    password: &str,
    role: StaffRole,
    site_id: Option<i64>,
    now: i64,
) -> Result<i64, AppError> {
    let hash = hash_password(password)?;
    Ok(sqlx::query_scalar(
        "INSERT INTO staff (email, full_name, password_hash, role, site_id, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(email.trim().to_lowercase())
    .bind(full_name)
    .bind(hash)
    .bind(role.code())
    .bind(site_id)
    .bind(now)
    .fetch_one(db.write())
    .await?)
}

/// The staff id for these credentials. An unknown email costs the same hashing work as a
/// wrong password, so timing does not tell which accounts exist.
pub async fn authenticate(state: &AppState, email: &str, password: &str) -> Result<Option<i64>, AppError> {
    let row: Option<(i64, String)> = sqlx::query_as("SELECT id, password_hash FROM staff WHERE email = $1")
        .bind(email.trim().to_lowercase())
        .fetch_optional(state.db.read())
        .await?;
    let (id, hash) = match row {
        Some((id, hash)) => (Some(id), hash),
        None => (None, dummy_hash()?.to_string()),
    };
    let parsed = PasswordHash::new(&hash).map_err(AppError::internal)?;
    let ok = Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok();
    Ok(id.filter(|_| ok))
}

/// A hash of a random password nobody knows, verified against when the email is unknown.
fn dummy_hash() -> Result<&'static str, AppError> {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    if let Some(h) = DUMMY.get() {
        return Ok(h);
    }
    let hash = hash_password(&crate::platform::session::random_token())?;
    Ok(DUMMY.get_or_init(|| hash))
}

pub async fn member(state: &AppState, staff_id: i64) -> Result<Option<StaffMember>, AppError> {
    let row: Option<(i64, String, String, Option<i64>, Option<String>)> = sqlx::query_as(
        "SELECT st.id, st.full_name, st.role, st.site_id, s.name FROM staff st LEFT JOIN sites s ON s.id = st.site_id WHERE st.id = $1",
    )
    .bind(staff_id)
    .fetch_optional(state.db.read())
    .await?;
    Ok(row.and_then(|(id, full_name, role, site_id, site_name)| {
        Some(StaffMember { id, full_name, role: StaffRole::from_code(&role)?, site_id, site_name })
    }))
}

/// The site's open complaints, the one with least time left first.
pub async fn inbox(state: &AppState, staff: StaffMember) -> Result<Inbox, AppError> {
    let Some(site_id) = staff.site_id else {
        return Ok(Inbox { staff, items: Vec::new() });
    };
    let rows: Vec<(String, String, String, String, i64)> = sqlx::query_as(
        "SELECT c.reference, c.kind, c.status, p.full_name, c.due_at FROM complaints c JOIN people p ON p.id = c.person_id
         WHERE c.site_id = $1 AND c.status IN ('open', 'waiting_citizen') ORDER BY c.due_at, c.id",
    )
    .bind(site_id)
    .fetch_all(state.db.read())
    .await?;
    let now = state.clock.now().timestamp();
    let items = rows
        .into_iter()
        .filter_map(|(reference, kind, status, person_name, due_at)| {
            Some(InboxItem {
                reference,
                kind: ComplaintKind::from_code(&kind)?,
                status: ComplaintStatus::from_code(&status)?,
                person_name,
                due_at: vietnam_time(due_at),
                hours_left: (due_at - now).div_euclid(3600),
            })
        })
        .collect();
    Ok(Inbox { staff, items })
}

/// The complaint, if it is held by this staff member's site. `None` otherwise, whether or
/// not it exists.
pub async fn complaint_for(state: &AppState, staff: &StaffMember, reference: &str) -> Result<Option<StaffComplaint>, AppError> {
    let Some(loaded) = load(state, reference).await? else {
        return Ok(None);
    };
    if staff.site_id != Some(loaded.site_id) {
        return Ok(None);
    }
    let (name, birth, gender, id): (String, String, String, Option<String>) =
        sqlx::query_as("SELECT full_name, birth_date, gender, national_id FROM people WHERE id = $1")
            .bind(loaded.person_id)
            .fetch_one(state.db.read())
            .await?;
    Ok(Some(StaffComplaint {
        staff: staff.clone(),
        complaint: loaded.view,
        record_name: name,
        record_birth_date: BirthDate::from_stored(&birth).map(|b| b.display()).unwrap_or(birth),
        record_gender: if gender == "M" { "Nam".into() } else { "Nữ".into() },
        record_national_id: id.unwrap_or_default(),
    }))
}

/// A parsed correction: the field and its new stored value.
pub type Correction = (ChangeField, String);

/// Corrects the record and resolves the complaint in one transaction, writing an audit row
/// per changed field. Returns false when the complaint is not this site's or no longer open.
pub async fn correct(
    state: &AppState,
    staff: &StaffMember,
    reference: &str,
    corrections: &[Correction],
    note: &str,
) -> Result<bool, AppError> {
    let Some(loaded) = load(state, reference).await? else {
        return Ok(false);
    };
    if staff.site_id != Some(loaded.site_id) {
        return Ok(false);
    }
    let now = state.clock.now().timestamp();
    let mut tx = state.db.write().begin().await?;
    let claimed = sqlx::query("UPDATE complaints SET status = 'resolved' WHERE id = $1 AND site_id = $2 AND status IN ('open', 'waiting_citizen')")
        .bind(loaded.id)
        .bind(loaded.site_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if claimed != 1 {
        return Ok(false);
    }
    for (field, after) in corrections {
        let column = match field {
            ChangeField::FullName => "full_name",
            ChangeField::BirthDate => "birth_date",
            ChangeField::Gender => "gender",
            ChangeField::NationalId => "national_id",
        };
        let before: Option<String> = sqlx::query_scalar(&format!("SELECT {column} FROM people WHERE id = $1"))
            .bind(loaded.person_id)
            .fetch_one(&mut *tx)
            .await?;
        if before.as_deref() == Some(after.as_str()) {
            continue;
        }
        sqlx::query(&format!("UPDATE people SET {column} = $1 WHERE id = $2"))
            .bind(after)
            .bind(loaded.person_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO record_audit (person_id, complaint_id, staff_id, at, field, before_value, after_value) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(loaded.person_id)
        .bind(loaded.id)
        .bind(staff.id)
        .bind(now)
        .bind(field.code())
        .bind(before.map(|b| display(*field, &b)))
        .bind(display(*field, after))
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("INSERT INTO complaint_events (complaint_id, at, actor, kind, site_id, message) VALUES ($1, $2, 'site', 'corrected', $3, $4)")
        .bind(loaded.id)
        .bind(now)
        .bind(loaded.site_id)
        .bind(Some(note.to_string()).filter(|n| !n.is_empty()))
        .execute(&mut *tx)
        .await?;
    let link = format!("{}/phan-anh/{reference}", state.settings.public_origin);
    notify_citizen(
        &mut tx,
        loaded.id,
        &format!("Hồ sơ đã được sửa theo phản ánh {reference}"),
        &format!(
            "{} đã sửa hồ sơ theo phản ánh {reference}. Xem thông tin trước và sau khi sửa tại: {link}\n\n\
             {} corrected the record as asked in report {reference}. See what changed at: {link}",
            loaded.view.site_name, loaded.view.site_name
        ),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Audit values are kept as a person reads them (dates dd/mm/yyyy, Nam/Nữ).
fn display(field: ChangeField, stored: &str) -> String {
    match field {
        ChangeField::BirthDate => BirthDate::from_stored(stored).map(|b| b.display()).unwrap_or_else(|| stored.to_string()),
        ChangeField::Gender => match Gender::from_code(stored) {
            Some(Gender::Male) => "Nam".into(),
            Some(Gender::Female) => "Nữ".into(),
            None => stored.to_string(),
        },
        _ => stored.to_string(),
    }
}
