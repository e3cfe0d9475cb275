//! Batches for the commune police: recorded when they go out, planned row by row when a file
//! comes back, applied in one transaction.

use super::planning::{Resolved, Seen, Shown, Tally, apply_plans, dry_run_page, outcomes};
use super::rows::{self, PoliceCells};
use super::sheet::{self, BatchHeading, BatchLine, ReturnedRow, TableRow};
use super::{BatchSummary, BatchView, BatchesView, DryRun, FileRefusal, ImportOf, Refusal, RowPlan, UploadSummary};
use crate::domain::{BirthDate, Gender};
use crate::i18n::Lang;
use crate::platform::{AppError, AppState};
use crate::staff::StaffMember;
use crate::verification::Source;
use crate::worklist::Group;
use chrono::NaiveDate;
use rand::Rng;
use sqlx::AnyConnection;
use std::collections::{HashMap, HashSet};

const SUMMARY: &str = "SELECT b.id, b.number, s.full_name AS created_by, b.created_at, b.row_count, b.returned_at
     FROM police_batches b JOIN staff s ON s.id = b.created_by";

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    number: i64,
    created_by: String,
    created_at: i64,
    row_count: i64,
    returned_at: Option<i64>,
}

impl SummaryRow {
    fn summary(self, now: i64) -> BatchSummary {
        BatchSummary {
            id: self.id,
            number: self.number,
            created_by: self.created_by,
            created_at: crate::vietnam::time_text(self.created_at),
            rows: self.row_count,
            returned_at: self.returned_at.map(crate::vietnam::time_text),
            days_out: (self.returned_at.unwrap_or(now) - self.created_at) / 86_400,
        }
    }
}

/// The site's batches, newest first.
pub async fn batches(state: &AppState, staff: StaffMember, site_id: i64) -> Result<BatchesView, AppError> {
    let now = state.clock.now().timestamp();
    let rows: Vec<SummaryRow> =
        sqlx::query_as(&format!("{SUMMARY} WHERE b.site_id = $1 ORDER BY b.number DESC")).bind(site_id).fetch_all(state.db.read()).await?;
    Ok(BatchesView { staff, batches: rows.into_iter().map(|r| r.summary(now)).collect() })
}

/// Batch `id` if it is the site's.
pub async fn batch(state: &AppState, site_id: i64, id: i64) -> Result<Option<BatchSummary>, AppError> {
    let now = state.clock.now().timestamp();
    let row: Option<SummaryRow> = sqlx::query_as(&format!("{SUMMARY} WHERE b.id = $1 AND b.site_id = $2"))
        .bind(id)
        .bind(site_id)
        .fetch_optional(state.db.read())
        .await?;
    Ok(row.map(|r| r.summary(now)))
}

#[derive(sqlx::FromRow)]
pub(crate) struct UploadRow {
    id: i64,
    file_name: String,
    uploaded_at: i64,
    uploaded_by: String,
    applied_at: Option<i64>,
    changed: Option<i64>,
}

impl From<UploadRow> for UploadSummary {
    fn from(u: UploadRow) -> Self {
        UploadSummary {
            id: u.id,
            file_name: u.file_name,
            uploaded_at: crate::vietnam::time_text(u.uploaded_at),
            uploaded_by: u.uploaded_by,
            applied_at: u.applied_at.map(crate::vietnam::time_text),
            changed: u.changed,
        }
    }
}

/// An upload's summary, from the police's or the subjects' uploads table.
pub(crate) fn uploads_of(table: &str) -> String {
    format!(
        "SELECT u.id, u.file_name, u.uploaded_at, s.full_name AS uploaded_by, u.applied_at, u.changed FROM {table} u JOIN staff s ON s.id = u.staff_id"
    )
}

pub async fn batch_view(state: &AppState, staff: StaffMember, site_id: i64, id: i64) -> Result<Option<BatchView>, AppError> {
    let Some(batch) = batch(state, site_id, id).await? else {
        return Ok(None);
    };
    let uploads: Vec<UploadRow> = sqlx::query_as(&format!("{} WHERE u.batch_id = $1 ORDER BY u.id DESC", uploads_of("police_uploads")))
        .bind(id)
        .fetch_all(state.db.read())
        .await?;
    Ok(Some(BatchView { staff, batch, uploads: uploads.into_iter().map(Into::into).collect(), refused: None }))
}

/// A new batch of the worklist's current view (group and search), leaving out the records
/// already with the police in a batch that has not come back. `None` when nothing is left.
pub async fn create(
    state: &AppState,
    staff: &StaffMember,
    site_id: i64,
    group: Option<Group>,
    search: &str,
) -> Result<Option<i64>, AppError> {
    let rows = crate::worklist::service::rows(state, site_id, group, search, None, super::MAX_BATCH_ROWS).await?;
    let now = state.clock.now().timestamp();
    let mut tx = state.db.begin().await?;
    let out: HashSet<i64> = sqlx::query_scalar::<_, i64>(
        "SELECT r.person_id FROM police_batch_rows r JOIN police_batches b ON b.id = r.batch_id WHERE b.site_id = $1 AND b.returned_at IS NULL",
    )
    .bind(site_id)
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .collect();
    let people: Vec<i64> = rows.iter().map(|r| r.id).filter(|id| !out.contains(id)).collect();
    if people.is_empty() {
        return Ok(None);
    }
    let number: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(number), 0) + 1 FROM police_batches WHERE site_id = $1")
        .bind(site_id)
        .fetch_one(&mut *tx)
        .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO police_batches (site_id, number, created_by, created_at, row_count) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(site_id)
    .bind(number)
    .bind(staff.id)
    .bind(now)
    .bind(people.len() as i64)
    .fetch_one(&mut *tx)
    .await?;
    // Many rows per statement: a batch of 50,000 is a few hundred round trips, not 50,000.
    for (chunk_no, chunk) in people.chunks(200).enumerate() {
        let values =
            (0..chunk.len()).map(|i| format!("($1, ${}, ${}, ${})", 2 + 3 * i, 3 + 3 * i, 4 + 3 * i)).collect::<Vec<_>>().join(", ");
        let sql = format!("INSERT INTO police_batch_rows (batch_id, line, person_id, row_key) VALUES {values}");
        let mut query = sqlx::query(&sql).bind(id);
        for (i, person) in chunk.iter().enumerate() {
            let line = (chunk_no * 200 + i + 1) as i64;
            query = query.bind(line).bind(*person).bind(row_key(id, line));
        }
        query.execute(&mut *tx).await?;
    }
    tx.commit().await?;
    tracing::info!(target: "audit", staff = staff.id, batch = id, rows = people.len(), "police batch created");
    Ok(Some(id))
}

/// A row's key: the batch and line (to read it back) and 48 random bits (so that a key cannot
/// be guessed or altered into another row's).
fn row_key(batch: i64, line: i64) -> String {
    format!("L{batch}-{line}-{}", hex::encode(rand::rng().random::<[u8; 6]>()))
}

#[derive(sqlx::FromRow)]
struct LineRow {
    line: i64,
    row_key: String,
    full_name: String,
    birth_date: String,
    gender: String,
    national_id: Option<String>,
    residence: Option<String>,
    quality: Option<String>,
    verification_fields: Option<String>,
}

/// The batch's file, if the batch is the site's.
pub async fn file(state: &AppState, site_id: i64, id: i64) -> Result<Option<(i64, Vec<u8>)>, AppError> {
    let Some(batch) = batch(state, site_id, id).await? else {
        return Ok(None);
    };
    let (site_name, commune): (String, String) =
        sqlx::query_as("SELECT s.name, COALESCE(u.name, '') FROM sites s LEFT JOIN admin_units u ON u.code = s.unit_code WHERE s.id = $1")
            .bind(site_id)
            .fetch_one(state.db.read())
            .await?;
    let rows: Vec<LineRow> = sqlx::query_as(
        "SELECT r.line, r.row_key, p.full_name, p.birth_date, p.gender, p.national_id, u.name AS residence, p.quality, p.verification_fields
         FROM police_batch_rows r JOIN people p ON p.id = r.person_id LEFT JOIN admin_units u ON u.code = p.residence_unit
         WHERE r.batch_id = $1 ORDER BY r.line",
    )
    .bind(id)
    .fetch_all(state.db.read())
    .await?;
    let lines: Vec<BatchLine> = rows
        .into_iter()
        .map(|r| {
            let verdict =
                r.quality.as_deref().and_then(|q| crate::verification::Verdict::from_stored(q, r.verification_fields.as_deref(), None));
            BatchLine {
                line: r.line,
                key: r.row_key,
                birth_date: BirthDate::from_stored(&r.birth_date).map(|b| b.display()).unwrap_or(r.birth_date),
                full_name: r.full_name,
                gender: Gender::from_code(&r.gender).map(|g| g.label(Lang::Vi)).unwrap_or_default().to_string(),
                national_id: r.national_id.unwrap_or_default(),
                residence: r.residence.unwrap_or_default(),
                problem: verdict.map(|v| v.problem(Lang::Vi)).unwrap_or_default(),
            }
        })
        .collect();
    let heading = BatchHeading {
        site_name,
        commune,
        number: batch.number,
        date: crate::vietnam::today(state.clock.now()).format("%d/%m/%Y").to_string(),
    };
    Ok(Some((batch.number, sheet::write(&heading, &lines)?)))
}

/// Keeps a returned file for batch `batch_id` (the site's) if it can be read: the dry run and
/// the apply read it from here. A file refused as a whole is not kept.
pub async fn upload(
    state: &AppState,
    staff: &StaffMember,
    batch_id: i64,
    file_name: &str,
    bytes: Vec<u8>,
) -> Result<Result<i64, FileRefusal>, AppError> {
    // One file of a site read at a time: a second waits for the first to be done.
    let Some(_turn) = state.heavy.turn(&crate::police::sheet::reading_turn(staff.site_id, staff.id)) else {
        return Ok(Err(FileRefusal::Busy));
    };
    // Read whole once, a chunk at a time: a file that does not read is refused and not kept.
    let mut conn = state.db.read().acquire().await?;
    let mut rows = sheet::police_rows(bytes.clone());
    let (mut count, mut ours, mut foreign) = (0, 0, false);
    loop {
        let chunk = match rows.next().await {
            Ok(Some(chunk)) => chunk.into_iter().filter_map(sheet::returned).collect::<Vec<_>>(),
            Ok(None) => break,
            Err(refusal) => return Ok(Err(refusal)),
        };
        let keys = batch_keys(&mut conn, batch_id, &chunk).await?;
        count += chunk.len();
        ours += chunk.iter().filter(|r| keys.contains_key(&r.key)).count();
        foreign |= chunk.iter().any(|r| r.key.starts_with('L'));
    }
    drop(conn);
    // A file whose keys are all another batch's is that batch's list, not a damaged one.
    if ours == 0 && foreign {
        return Ok(Err(FileRefusal::OtherBatch));
    }
    let id = keep_file(state, ("police_uploads", "batch_id", batch_id), staff.id, (file_name, "danh-sach.xlsx"), bytes).await?;
    tracing::info!(target: "audit", staff = staff.id, batch = batch_id, upload = id, rows = count, "police file uploaded");
    Ok(Ok(id))
}

/// Keeps an uploaded file in `table` under its owner (`column` = `owner`: the batch or the
/// site), with who, when, its hash and its name as sent (`fallback` when it came without one).
pub(crate) async fn keep_file(
    state: &AppState,
    (table, column, owner): (&str, &str, i64),
    staff_id: i64,
    (file_name, fallback): (&str, &str),
    bytes: Vec<u8>,
) -> Result<i64, AppError> {
    use sha2::Digest;
    let sha = hex::encode(sha2::Sha256::digest(&bytes));
    let name = crate::domain::shown_file_name(file_name, 120);
    let id: i64 = sqlx::query_scalar(&format!(
        "INSERT INTO {table} ({column}, staff_id, file_name, sha256, content, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"
    ))
    .bind(owner)
    .bind(staff_id)
    .bind(if name.is_empty() { fallback.to_string() } else { name })
    .bind(sha)
    .bind(bytes)
    .bind(state.clock.now().timestamp())
    .fetch_one(state.db.write())
    .await?;
    Ok(id)
}

/// When a file with hash `sha` of `table` was first applied for `owner` (`column` = `owner`).
pub(crate) async fn applied_before(
    conn: &mut AnyConnection,
    (table, column, owner): (&str, &str, i64),
    sha: &str,
) -> Result<Option<i64>, AppError> {
    let sql = format!("SELECT MIN(applied_at) FROM {table} WHERE {column} = $1 AND sha256 = $2 AND applied_at IS NOT NULL");
    Ok(sqlx::query_scalar(&sql).bind(owner).bind(sha).fetch_one(&mut *conn).await?)
}

/// Which of the rows' keys are batch `batch_id`'s: line and person of each.
async fn batch_keys(conn: &mut AnyConnection, batch_id: i64, rows: &[ReturnedRow]) -> Result<HashMap<String, (i64, i64)>, AppError> {
    let mut found = HashMap::new();
    for chunk in rows.chunks(500) {
        // Looked up by key alone (its unique index), the batch checked here: with the batch in
        // the query SQLite may walk the whole batch for every chunk.
        let marks = crate::platform::db::marks(chunk.len());
        let sql = format!("SELECT row_key, batch_id, line, person_id FROM police_batch_rows WHERE row_key IN ({marks})");
        let mut query = sqlx::query_as::<_, (String, i64, i64, i64)>(&sql);
        for row in chunk {
            query = query.bind(&row.key);
        }
        let keys = query.fetch_all(&mut *conn).await?.into_iter();
        found.extend(keys.filter(|(_, batch, ..)| *batch == batch_id).map(|(k, _, line, person)| (k, (line, person))));
    }
    Ok(found)
}

/// The upload's summary, hash and rows (a chunk at a time), if it is batch `batch_id`'s.
async fn load_upload(
    conn: &mut AnyConnection,
    batch_id: i64,
    upload_id: i64,
) -> Result<Option<(UploadSummary, String, sheet::TableStream)>, AppError> {
    let Some((summary, sha, bytes)) = load_file(conn, ("police_uploads", "batch_id", batch_id), upload_id).await? else {
        return Ok(None);
    };
    Ok(Some((summary.into(), sha, sheet::police_rows(bytes))))
}

/// A kept file of `table` if it is `owner`'s (`column` = `owner`): its summary, hash and bytes.
pub(crate) async fn load_file(
    conn: &mut AnyConnection,
    (table, column, owner): (&str, &str, i64),
    upload_id: i64,
) -> Result<Option<(UploadRow, String, Vec<u8>)>, AppError> {
    let row: Option<(Vec<u8>, String)> = sqlx::query_as(&format!("SELECT content, sha256 FROM {table} WHERE id = $1 AND {column} = $2"))
        .bind(upload_id)
        .bind(owner)
        .fetch_optional(&mut *conn)
        .await?;
    let Some((bytes, sha)) = row else {
        return Ok(None);
    };
    let summary: UploadRow =
        sqlx::query_as(&format!("{} WHERE u.id = $1", uploads_of(table))).bind(upload_id).fetch_one(&mut *conn).await?;
    Ok(Some((summary, sha, bytes)))
}

/// The dry run of upload `upload_id` of batch `batch_id` (the site's).
pub async fn dry_run(
    state: &AppState,
    staff: StaffMember,
    site_id: i64,
    (batch_id, upload_id): (i64, i64),
    shown: Shown,
) -> Result<Option<DryRun>, AppError> {
    let Some(batch) = batch(state, site_id, batch_id).await? else {
        return Ok(None);
    };
    let mut conn = state.db.read().acquire().await?;
    let Some((upload, sha, mut rows)) = load_upload(&mut conn, batch_id, upload_id).await? else {
        return Ok(None);
    };
    let applied_before = applied_before(&mut conn, ("police_uploads", "batch_id", batch_id), &sha).await?;
    let today = crate::vietnam::today(state.clock.now());
    let (mut tally, mut seen) = (Tally::new(shown), Seen::default());
    while let Some(chunk) = rows.next_kept().await? {
        tally.add(plan(&mut conn, batch_id, chunk, today, &mut seen).await?.0);
    }
    let of = ImportOf::Batch { id: batch.id, number: batch.number };
    Ok(Some(dry_run_page(staff, of, upload, tally, applied_before)))
}

/// A chunk of rows' outcomes against the records as they are now: each key resolved to its
/// record in the batch (a key not in it, or seen before, is refused), the police's cells parsed.
async fn plan(
    conn: &mut AnyConnection,
    batch_id: i64,
    rows: Vec<TableRow>,
    today: NaiveDate,
    seen: &mut Seen,
) -> Result<(Vec<RowPlan>, Vec<String>), AppError> {
    let rows: Vec<ReturnedRow> = rows.into_iter().filter_map(sheet::returned).collect();
    let keys = batch_keys(conn, batch_id, &rows).await?;
    let resolved = rows
        .iter()
        .map(|row| {
            let known = keys.get(&row.key).copied();
            let [national_id, full_name, birth_date, gender, note] = &row.police;
            Resolved {
                sheet_row: row.sheet_row,
                line: known.map(|(line, _)| line),
                full_name: row.full_name.clone(),
                person: match known {
                    None => Err(Refusal::UnknownKey),
                    Some(_) if !seen.keys.insert(row.key.clone()) => Err(Refusal::RepeatedKey),
                    Some((_, person)) => Ok(person),
                },
                values: rows::parse(PoliceCells { national_id, full_name, birth_date, gender, note }, today),
                candidates: Vec::new(),
            }
        })
        .collect();
    let keys = rows.into_iter().map(|r| r.key).collect();
    Ok((outcomes(conn, resolved, seen).await?, keys))
}

/// What applying did.
pub struct Applied {
    pub changed: usize,
    pub refused: usize,
}

/// Applies upload `upload_id` of batch `batch_id` (the site's) in one transaction: the rows are
/// planned again against the records as they are inside it (another clerk may have applied a
/// file since the dry run), each change audited with the batch and the record re-verified.
pub async fn apply(
    state: &AppState,
    staff: &StaffMember,
    site_id: i64,
    batch_id: i64,
    upload_id: i64,
) -> Result<Option<Applied>, AppError> {
    if batch(state, site_id, batch_id).await?.is_none() {
        return Ok(None);
    }
    let now = state.clock.now().timestamp();
    let today = crate::vietnam::today(state.clock.now());
    let mut tx = state.db.begin().await?;
    // The first statement writes: a second apply of this batch waits here until this one ends.
    sqlx::query("UPDATE police_batches SET applying_at = $1 WHERE id = $2").bind(now).bind(batch_id).execute(&mut *tx).await?;
    let Some((_, _, mut rows)) = load_upload(&mut tx, batch_id, upload_id).await? else {
        return Ok(None);
    };
    let (mut changed, mut refused, mut seen) = (0, 0, Seen::default());
    while let Some(chunk) = rows.next_kept().await? {
        let (plans, keys) = plan(&mut tx, batch_id, chunk, today, &mut seen).await?;
        keep_notes(&mut tx, &plans, &keys).await?;
        changed += apply_plans(&mut tx, (staff.id, Some(batch_id), now), Source::PoliceBatch, &plans).await?;
        refused += plans.iter().filter(|p| p.outcome.is_refused()).count();
    }
    sqlx::query("UPDATE police_uploads SET applied_at = $1, applied_by = $2, changed = $3 WHERE id = $4")
        .bind(now)
        .bind(staff.id)
        .bind(changed as i64)
        .bind(upload_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE police_batches SET returned_at = COALESCE(returned_at, $1) WHERE id = $2")
        .bind(now)
        .bind(batch_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    tracing::info!(target: "audit", staff = staff.id, batch = batch_id, upload = upload_id, changed, refused, "police file applied");
    Ok(Some(Applied { changed, refused }))
}

/// The police's notes on the rows that are not refused (`keys`: each plan's row key), a chunk
/// of rows per statement, by the key's unique index.
async fn keep_notes(tx: &mut AnyConnection, plans: &[RowPlan], keys: &[String]) -> Result<(), AppError> {
    let notes: Vec<(&str, &str)> = plans
        .iter()
        .zip(keys)
        .filter(|(plan, _)| !plan.outcome.is_refused())
        .filter_map(|(plan, key)| Some((key.as_str(), plan.police_note.as_deref()?)))
        .collect();
    for chunk in notes.chunks(500) {
        let values = (0..chunk.len()).map(|i| format!("(${}, ${})", 2 * i + 1, 2 * i + 2)).collect::<Vec<_>>().join(", ");
        let sql = format!(
            "UPDATE police_batch_rows SET police_note = v.column2 FROM (VALUES {values}) AS v WHERE police_batch_rows.row_key = v.column1"
        );
        let mut query = sqlx::query(&sql);
        for (key, note) in chunk {
            query = query.bind(*key).bind(*note);
        }
        query.execute(&mut *tx).await?;
    }
    Ok(())
}
