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

fn recorded(row: &RecordRow) -> Result<RecordedPerson, AppError> {
    Ok(RecordedPerson {
        national_id: row.national_id.clone(),
        full_name: row.full_name.clone(),
        birth_date: BirthDate::from_stored(&row.birth_date),
        gender: Gender::from_code(&row.gender).ok_or_else(|| AppError::internal("bad gender code"))?,
    })
}

async fn grade_row(conn: &mut AnyConnection, row: &RecordRow) -> Result<Verdict, AppError> {
    let entry = registry_entry(conn, row.national_id.as_deref()).await?;
    Ok(grade(&recorded(row)?, entry.as_ref()))
}

/// A change of status, kept with what changed it: the campaign's progress over time.
struct Change<'a> {
    row: &'a RecordRow,
    old: &'a str,
    new: &'static str,
}

/// Stores each record's verdict, many records per statement, and keeps the changes of status.
async fn store_verdicts(conn: &mut AnyConnection, graded: &[(&RecordRow, Verdict)], cause: Cause, now: i64) -> Result<(), AppError> {
    if graded.is_empty() {
        return Ok(());
    }
    let values = (0..graded.len()).map(|i| format!("(${}, ${}, ${}, ${}, ${})", 3 + 5 * i, 4 + 5 * i, 5 + 5 * i, 6 + 5 * i, 7 + 5 * i));
    let sql = format!(
        "UPDATE people SET quality = v.column2, verification_fields = v.column3, verified_against = v.column4, name_key = v.column5,
                verified_at = $1, verified_by = $2
         FROM (VALUES {}) AS v WHERE people.id = v.column1",
        values.collect::<Vec<_>>().join(", ")
    );
    let mut query = sqlx::query(&sql).bind(now).bind(cause.source.code());
    for (row, verdict) in graded {
        query = query
            .bind(row.id)
            .bind(verdict.status.code())
            .bind(Some(verdict.fields_code()).filter(|f| !f.is_empty()))
            .bind(verdict.registry_id.clone())
            .bind(crate::domain::name_key(&row.full_name));
    }
    query.execute(&mut *conn).await?;
    let changes: Vec<Change> = graded
        .iter()
        .filter_map(|(row, verdict)| {
            row.quality.as_deref().filter(|old| *old != verdict.status.code()).map(|old| Change { row, old, new: verdict.status.code() })
        })
        .collect();
    keep_changes(conn, &changes, cause, now).await?;
    // A record that changed no longer is the one its certificate attests: revoked with the change.
    let ids: Vec<i64> = graded.iter().map(|(row, _)| row.id).collect();
    let revoked = crate::certificates::service::revoke_outdated(conn, &ids, now).await?;
    crate::certificates::service::tell_revoked(conn, &revoked, now).await
}

/// Keeps changes of status, many rows per statement.
async fn keep_changes(conn: &mut AnyConnection, changes: &[Change<'_>], cause: Cause, now: i64) -> Result<(), AppError> {
    for chunk in changes.chunks(100) {
        let values = (0..chunk.len()).map(|i| format!("($1, $2, $3, ${}, ${}, ${}, ${})", 4 + 4 * i, 5 + 4 * i, 6 + 4 * i, 7 + 4 * i));
        let sql = format!(
            "INSERT INTO verification_history (source, at, staff_id, person_id, unit_code, old_status, new_status) VALUES {}",
            values.collect::<Vec<_>>().join(", ")
        );
        let mut query = sqlx::query(&sql).bind(cause.source.code()).bind(now).bind(cause.staff_id);
        for c in chunk {
            query = query.bind(c.row.id).bind(&c.row.residence_unit).bind(c.old).bind(c.new);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

async fn store(conn: &mut AnyConnection, row: &RecordRow, verdict: &Verdict, cause: Cause, now: i64) -> Result<(), AppError> {
    store_verdicts(conn, &[(row, verdict.clone())], cause, now).await
}

/// Grades many records now and stores the verdicts, in the caller's transaction: the records
/// and their registry entries are read a chunk at a time, not one query each.
pub async fn reverify_many(conn: &mut AnyConnection, person_ids: &[i64], cause: Cause, now: i64) -> Result<(), AppError> {
    for ids in person_ids.chunks(CHUNK) {
        let marks = crate::platform::db::marks(ids.len());
        let sql = format!("SELECT {RECORD_COLUMNS} FROM people WHERE id IN ({marks})");
        let rows = ids.iter().fold(sqlx::query_as::<_, RecordRow>(&sql), |q, id| q.bind(*id)).fetch_all(&mut *conn).await?;
        grade_and_store(conn, &rows, cause, now).await?;
    }
    Ok(())
}

/// Records graded and stored per statement: each record's registry entry is read with the
/// others', and the verdicts written in one statement.
const CHUNK: usize = 400;

/// Grades `rows` (at most `CHUNK`) against their registry entries and stores the verdicts.
async fn grade_and_store(conn: &mut AnyConnection, rows: &[RecordRow], cause: Cause, now: i64) -> Result<(), AppError> {
    let normalised: Vec<String> =
        rows.iter().filter_map(|r| normalised_id(r.national_id.as_deref())?.ok()).map(|id| id.as_str().to_string()).collect();
    let mut entries = std::collections::HashMap::new();
    if !normalised.is_empty() {
        let marks = crate::platform::db::marks(normalised.len());
        let sql = format!("SELECT national_id, full_name, birth_date, gender FROM registry_people WHERE national_id IN ({marks})");
        let query = normalised.iter().fold(sqlx::query_as::<_, (String, String, String, String)>(&sql), |q, id| q.bind(id));
        for (id, name, birth, gender) in query.fetch_all(&mut *conn).await? {
            if let Some(entry) = RegistryEntry::from_stored((name, birth, gender)) {
                entries.insert(id, entry);
            }
        }
    }
    let mut graded = Vec::with_capacity(rows.len());
    for row in rows {
        let entry = match normalised_id(row.national_id.as_deref()) {
            Some(Ok(id)) => entries.get(id.as_str()),
            _ => None,
        };
        graded.push((row, grade(&recorded(row)?, entry)));
    }
    store_verdicts(conn, &graded, cause, now).await
}

/// Grades one record now and stores the verdict, in the caller's transaction.
pub async fn reverify(conn: &mut AnyConnection, person_id: i64, cause: Cause, now: i64) -> Result<Verdict, AppError> {
    let row: RecordRow =
        sqlx::query_as(&format!("SELECT {RECORD_COLUMNS} FROM people WHERE id = $1")).bind(person_id).fetch_one(&mut *conn).await?;
    let verdict = grade_row(conn, &row).await?;
    store(conn, &row, &verdict, cause, now).await?;
    Ok(verdict)
}

/// Grades every record marked pending, a batch per transaction, in order of id; returns how
/// many. Each batch starts after the last one graded: without that, on PostgreSQL each batch
/// walked past the index entries of every record graded before it (they stay until vacuum),
/// and a bulk load of 10M records never finished. A record marked pending behind the cursor
/// meanwhile waits for the next run.
pub async fn verify_pending(db: &Db, now: i64) -> Result<u64, AppError> {
    verify_pending_by(db, now, BATCH).await
}

/// `verify_pending`, `batch` records a transaction.
pub async fn verify_pending_by(db: &Db, now: i64, batch: i64) -> Result<u64, AppError> {
    let mut done = 0;
    let mut after = 0i64;
    loop {
        let mut tx = db.begin().await?;
        let rows: Vec<RecordRow> = sqlx::query_as(&format!(
            "SELECT {RECORD_COLUMNS} FROM people WHERE verified_at IS NULL AND merged_into IS NULL AND id > $1 ORDER BY id LIMIT $2"
        ))
        .bind(after)
        .bind(batch)
        .fetch_all(&mut *tx)
        .await?;
        let Some(last) = rows.last() else {
            return Ok(done);
        };
        after = last.id;
        for chunk in rows.chunks(CHUNK) {
            grade_and_store(&mut tx, chunk, Cause::ENGINE, now).await?;
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
        let mut tx = db.begin().await?;
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
