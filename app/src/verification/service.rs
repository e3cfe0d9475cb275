//! Reading a record and its registry entry, grading them with the engine, storing the verdict.
//! Writers call `reverify` inside their own transaction; `verify_pending` grades whatever the
//! database marked pending (a record or registry entry changed outside the portal's writers,
//! an upgrade, a bulk load).

use super::{Cause, Verdict, grade, normalised_id};
use crate::domain::{BirthDate, Gender};
use crate::platform::{AppError, Db};
use crate::records::RecordedPerson;
use crate::registry::RegistryEntry;
use sqlx::AnyConnection;

/// How many pending records one transaction grades.
const BATCH: i64 = 2_000;

#[derive(sqlx::FromRow)]
struct RecordRow {
    id: i64,
    national_id: Option<String>,
    full_name: String,
    birth_date: String,
    gender: String,
    /// The stored status before this grading.
    quality: Option<String>,
    residence_unit: String,
}

const RECORD_COLUMNS: &str = "id, national_id, full_name, birth_date, gender, quality, residence_unit";

/// The registry entry under the record's normalised ID, if it has one.
async fn registry_entry(conn: &mut AnyConnection, national_id: Option<&str>) -> Result<Option<RegistryEntry>, AppError> {
    let Some(Ok(id)) = normalised_id(national_id) else {
        return Ok(None);
    };
    let row: Option<(String, String, String)> =
        sqlx::query_as("SELECT full_name, birth_date, gender FROM registry_people WHERE national_id = $1")
            .bind(id.as_str())
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.and_then(RegistryEntry::from_stored))
}

async fn grade_row(conn: &mut AnyConnection, row: &RecordRow) -> Result<Verdict, AppError> {
    let record = RecordedPerson {
        national_id: row.national_id.clone(),
        full_name: row.full_name.clone(),
        birth_date: BirthDate::from_stored(&row.birth_date),
        gender: Gender::from_code(&row.gender).ok_or_else(|| AppError::internal("bad gender code"))?,
    };
    let entry = registry_entry(conn, row.national_id.as_deref()).await?;
    Ok(grade(&record, entry.as_ref()))
}

async fn store(conn: &mut AnyConnection, row: &RecordRow, verdict: &Verdict, cause: Cause, now: i64) -> Result<(), AppError> {
    let (person_id, name_key) = (row.id, crate::domain::name_key(&row.full_name));
    sqlx::query(
        "UPDATE people SET quality = $2, verification_fields = $3, verified_against = $4, verified_at = $5, verified_by = $6,
                name_key = $7 WHERE id = $1",
    )
    .bind(person_id)
    .bind(verdict.status.code())
    .bind(Some(verdict.fields_code()).filter(|f| !f.is_empty()))
    .bind(&verdict.registry_id)
    .bind(now)
    .bind(cause.source.code())
    .bind(&name_key)
    .execute(&mut *conn)
    .await?;
    // A change of status is kept, with what changed it: the campaign's progress over time.
    if let Some(old) = row.quality.as_deref().filter(|old| *old != verdict.status.code()) {
        sqlx::query(
            "INSERT INTO verification_history (person_id, unit_code, old_status, new_status, source, at, staff_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(person_id)
        .bind(&row.residence_unit)
        .bind(old)
        .bind(verdict.status.code())
        .bind(cause.source.code())
        .bind(now)
        .bind(cause.staff_id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Grades one record now and stores the verdict, in the caller's transaction.
pub async fn reverify(conn: &mut AnyConnection, person_id: i64, cause: Cause, now: i64) -> Result<Verdict, AppError> {
    let row: RecordRow =
        sqlx::query_as(&format!("SELECT {RECORD_COLUMNS} FROM people WHERE id = $1")).bind(person_id).fetch_one(&mut *conn).await?;
    let verdict = grade_row(conn, &row).await?;
    store(conn, &row, &verdict, cause, now).await?;
    Ok(verdict)
}

/// Grades every record marked pending, a batch per transaction; returns how many.
pub async fn verify_pending(db: &Db, now: i64) -> Result<u64, AppError> {
    let mut done = 0;
    loop {
        let mut tx = db.write().begin().await?;
        let rows: Vec<RecordRow> = sqlx::query_as(&format!(
            "SELECT {RECORD_COLUMNS} FROM people WHERE verified_at IS NULL AND merged_into IS NULL ORDER BY id LIMIT {BATCH}"
        ))
        .fetch_all(&mut *tx)
        .await?;
        if rows.is_empty() {
            return Ok(done);
        }
        for row in &rows {
            let verdict = grade_row(&mut tx, row).await?;
            store(&mut tx, row, &verdict, Cause::ENGINE, now).await?;
        }
        tx.commit().await?;
        done += rows.len() as u64;
    }
}

/// The stored verdict of a record, or (while it is pending) the engine's verdict now: the same
/// engine either way, so a reader never sees a second opinion.
pub async fn verdict_of(db: &Db, person_id: i64) -> Result<Verdict, AppError> {
    let stored: (Option<String>, Option<String>, Option<String>, Option<i64>) =
        sqlx::query_as("SELECT quality, verification_fields, verified_against, verified_at FROM people WHERE id = $1")
            .bind(person_id)
            .fetch_one(db.read())
            .await?;
    if let (Some(status), fields, against, Some(_)) = stored
        && let Some(verdict) = Verdict::from_stored(&status, fields.as_deref(), against)
    {
        return Ok(verdict);
    }
    grade_now(db, person_id).await
}

/// The engine's verdict on the record as it is now, whatever is stored.
pub async fn grade_now(db: &Db, person_id: i64) -> Result<Verdict, AppError> {
    let mut conn = db.read().acquire().await?;
    let row: RecordRow =
        sqlx::query_as(&format!("SELECT {RECORD_COLUMNS} FROM people WHERE id = $1")).bind(person_id).fetch_one(&mut *conn).await?;
    grade_row(&mut conn, &row).await
}

/// Fills the folded name of registry entries written without one (older rows, other writers),
/// a batch per transaction; returns how many.
pub async fn fill_registry_keys(db: &Db) -> Result<u64, AppError> {
    let mut done = 0;
    loop {
        let mut tx = db.write().begin().await?;
        let rows: Vec<(String, String)> = sqlx::query_as(&format!(
            "SELECT national_id, full_name FROM registry_people WHERE name_key IS NULL ORDER BY national_id LIMIT {BATCH}"
        ))
        .fetch_all(&mut *tx)
        .await?;
        if rows.is_empty() {
            return Ok(done);
        }
        for (id, name) in &rows {
            sqlx::query("UPDATE registry_people SET name_key = $2 WHERE national_id = $1")
                .bind(id)
                .bind(crate::domain::name_key(name))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        done += rows.len() as u64;
    }
}
