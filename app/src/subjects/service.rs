//! Subject files: kept when uploaded, each row matched to one of the station's records, planned
//! and applied as a police batch's rows are.

use super::{HEADERS, SubjectsView};
use crate::domain::BirthDate;
use crate::platform::{AppError, AppState};
use crate::police::planning::{Resolved, Seen, Shown, Tally, apply_plans, dry_run_page, outcomes};
use crate::police::rows::{Cell, PoliceValues, birth_date, national_id};
use crate::police::service::{UploadRow, applied_before, keep_file, load_file, uploads_of};
use crate::police::sheet::{Layout, TableRow, TableStream};
use crate::police::{DryRun, FileRefusal, ImportOf, Refusal};
use crate::staff::StaffMember;
use crate::verification::Source;
use crate::verification::matching::subscriber_number;
use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook};
use sqlx::AnyConnection;
use std::collections::{HashMap, HashSet};

const LAYOUT: Layout = Layout { headers: &HEADERS, required: 5 };

pub async fn view(state: &AppState, staff: StaffMember, site_id: i64) -> Result<SubjectsView, AppError> {
    let uploads: Vec<UploadRow> =
        sqlx::query_as(&format!("{} WHERE u.site_id = $1 ORDER BY u.id DESC LIMIT 50", uploads_of("subject_uploads")))
            .bind(site_id)
            .fetch_all(state.db.read())
            .await?;
    Ok(SubjectsView { staff, uploads: uploads.into_iter().map(Into::into).collect(), refused: None })
}

/// The template: the columns, the ID column as text, and a sheet that explains them.
pub fn template() -> Result<Vec<u8>, AppError> {
    let x = AppError::internal;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Danh sách đối tượng").map_err(x)?;
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    for (col, h) in HEADERS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *h, &bold).map_err(x)?;
        sheet.set_column_width(col as u16, 22).map_err(x)?;
    }
    for col in [0u16, 4, 5] {
        sheet.set_column_format(col, &text).map_err(x)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(x)?;
    let help = book.add_worksheet();
    help.set_name("Hướng dẫn").map_err(x)?;
    let lines = [
        "Mỗi dòng là một người cần cập nhật số CCCD/định danh.",
        "Mã hồ sơ: ghi nếu có (cột \"Mã hồ sơ\" của danh sách cần làm sạch). Nếu không có, cổng tìm hồ sơ theo họ và tên, ngày sinh và số điện thoại.",
        "Ngày sinh: dd/mm/yyyy hoặc chỉ năm sinh. Số CCCD: 12 chữ số (CMND: 9 chữ số), nên định dạng ô là văn bản để giữ số 0 đầu.",
        "Dòng khớp nhiều hồ sơ sẽ bị từ chối và liệt kê các hồ sơ đó: hãy ghi mã hồ sơ rồi tải lên lại.",
        "Tải lên chưa thay đổi gì: cổng cho xem trước từng dòng, rồi mới cập nhật.",
    ];
    for (i, line) in lines.iter().enumerate() {
        help.write_string(i as u32, 0, *line).map_err(x)?;
    }
    book.save_to_buffer().map_err(x)
}

/// Keeps a file for site `site_id` if it can be read; a file refused as a whole is not kept.
pub async fn upload(
    state: &AppState,
    staff: &StaffMember,
    site_id: i64,
    file_name: &str,
    bytes: Vec<u8>,
) -> Result<Result<i64, FileRefusal>, AppError> {
    // One file of a site read at a time: a second waits for the first to be done.
    let Some(_turn) = state.heavy.turn(&crate::police::sheet::reading_turn(staff.site_id, staff.id)) else {
        return Ok(Err(FileRefusal::Busy));
    };
    // Read whole once, a chunk at a time: a file that does not read is refused and not kept.
    let mut rows = TableStream::open(bytes.clone(), &LAYOUT);
    let mut count = 0;
    loop {
        match rows.next().await {
            Ok(Some(chunk)) => count += chunk.len(),
            Ok(None) => break,
            Err(refusal) => return Ok(Err(refusal)),
        }
    }
    let id = keep_file(state, ("subject_uploads", "site_id", site_id), staff.id, (file_name, "doi-tuong.xlsx"), bytes).await?;
    tracing::info!(target: "audit", staff = staff.id, site = site_id, upload = id, rows = count, "subject file uploaded");
    Ok(Ok(id))
}

/// The upload's summary, hash and rows (a chunk at a time), if it is the site's.
async fn load(conn: &mut AnyConnection, site_id: i64, upload_id: i64) -> Result<Option<(UploadRow, String, TableStream)>, AppError> {
    let Some((summary, sha, bytes)) = load_file(conn, ("subject_uploads", "site_id", site_id), upload_id).await? else {
        return Ok(None);
    };
    Ok(Some((summary, sha, TableStream::open(bytes, &LAYOUT))))
}

pub async fn dry_run(state: &AppState, staff: StaffMember, site_id: i64, upload_id: i64, shown: Shown) -> Result<Option<DryRun>, AppError> {
    let mut conn = state.db.read().acquire().await?;
    let Some((upload, sha, mut rows)) = load(&mut conn, site_id, upload_id).await? else {
        return Ok(None);
    };
    let applied_before = applied_before(&mut conn, ("subject_uploads", "site_id", site_id), &sha).await?;
    let today = crate::vietnam::today(state.clock.now());
    let listed = Listed::of_site(&mut conn, site_id).await?;
    let (mut tally, mut seen) = (Tally::new(shown), Seen::default());
    while let Some(chunk) = rows.next_kept().await? {
        tally.add(outcomes(&mut conn, listed.resolve(chunk, today), &mut seen).await?);
    }
    Ok(Some(dry_run_page(staff, ImportOf::Subjects, upload.into(), tally, applied_before)))
}

#[derive(sqlx::FromRow)]
struct ListedRow {
    id: i64,
    full_name: String,
    name_key: Option<String>,
    birth_date: String,
    phone: Option<String>,
}

/// The site's list, read once per import: matching 100,000 rows is then lookups in memory.
struct Listed {
    rows: Vec<ListedRow>,
    ids: HashSet<i64>,
    /// The rows of each folded name.
    by_name: HashMap<String, Vec<usize>>,
}

impl Listed {
    async fn of_site(conn: &mut AnyConnection, site_id: i64) -> Result<Self, AppError> {
        let rows: Vec<ListedRow> = sqlx::query_as(&format!(
            "SELECT p.id, p.full_name, p.name_key, p.birth_date, p.phone FROM people p WHERE {}",
            crate::worklist::service::of_site("p")
        ))
        .bind(site_id)
        .fetch_all(&mut *conn)
        .await?;
        let ids = rows.iter().map(|r| r.id).collect();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, r) in rows.iter().enumerate() {
            by_name.entry(r.name_key.clone().unwrap_or_default()).or_default().push(i);
        }
        Ok(Listed { rows, ids, by_name })
    }

    /// Each row matched to a record on the list (by its key, or by name, birth date and phone),
    /// with the ID it brings.
    fn resolve(&self, rows: Vec<TableRow>, today: NaiveDate) -> Vec<Resolved> {
        rows.into_iter()
            .map(|row| {
                let [key, name, birth, _gender, phone, id, note] =
                    <&[Cell; 7]>::try_from(row.cells.as_slice()).expect("the layout's seven columns");
                let (person, candidates) = if !key.is_blank() {
                    match key.text().parse::<i64>() {
                        Ok(k) if self.ids.contains(&k) => (Ok(k), Vec::new()),
                        _ => (Err(Refusal::NotOnList), Vec::new()),
                    }
                } else {
                    let birth = birth_date(birth, today).ok();
                    let phone = subscriber_number(&phone.text());
                    let found: Vec<&ListedRow> = self
                        .by_name
                        .get(crate::domain::name_key(&name.text()).as_str())
                        .map(|at| {
                            at.iter()
                                .map(|i| &self.rows[*i])
                                .filter(|r| birth.is_some_and(|b| same_birth(&b, &r.birth_date)))
                                .filter(|r| phone.is_none() || r.phone.as_deref().and_then(subscriber_number) == phone)
                                .collect()
                        })
                        .unwrap_or_default();
                    match found.as_slice() {
                        [] => (Err(Refusal::NoRecord), Vec::new()),
                        [one] => (Ok(one.id), Vec::new()),
                        many => (Err(Refusal::Ambiguous), many.iter().map(|r| candidate(r)).collect()),
                    }
                };
                let values = match id {
                    c if c.is_blank() => Err(Refusal::NoId),
                    c => national_id(c).map_err(Refusal::Id).map(|id| PoliceValues {
                        national_id: Some(id),
                        note: Some(note.text()).filter(|n| !n.is_empty()),
                        ..PoliceValues::default()
                    }),
                };
                Resolved { sheet_row: row.sheet_row, line: None, full_name: name.text(), person, values, candidates }
            })
            .collect()
    }
}

/// A typed birth date agrees with a stored one: the same, or the same year where one of them
/// is a year only.
fn same_birth(typed: &BirthDate, stored: &str) -> bool {
    match (typed, BirthDate::from_stored(stored)) {
        (_, None) => false,
        (BirthDate::Full(a), Some(BirthDate::Full(b))) => *a == b,
        (a, Some(b)) => a.year() == b.year(),
    }
}

/// A record a row could be, as the clerk reads it: the key to write, the name and birth date.
fn candidate(r: &ListedRow) -> String {
    let birth = BirthDate::from_stored(&r.birth_date).map(|b| b.display()).unwrap_or_else(|| r.birth_date.clone());
    format!("Mã hồ sơ {}: {} · {birth}", r.id, r.full_name)
}

/// What applying did.
pub struct Applied {
    pub changed: usize,
}

/// Applies upload `upload_id` (the site's) in one transaction, planned again inside it; each
/// change audited, each record re-verified with the source "subject import".
pub async fn apply(state: &AppState, staff: &StaffMember, site_id: i64, upload_id: i64) -> Result<Option<Applied>, AppError> {
    let now = state.clock.now().timestamp();
    let today = crate::vietnam::today(state.clock.now());
    let mut tx = state.db.begin().await?;
    // The first statement writes: a second apply for this site waits here until this one ends.
    sqlx::query("UPDATE subject_uploads SET applied_by = applied_by WHERE site_id = $1").bind(site_id).execute(&mut *tx).await?;
    let Some((_, _, mut rows)) = load(&mut tx, site_id, upload_id).await? else {
        return Ok(None);
    };
    let listed = Listed::of_site(&mut tx, site_id).await?;
    let (mut changed, mut seen) = (0, Seen::default());
    while let Some(chunk) = rows.next_kept().await? {
        let plans = outcomes(&mut tx, listed.resolve(chunk, today), &mut seen).await?;
        changed += apply_plans(&mut tx, (staff.id, None, now), Source::SubjectImport, &plans).await?;
    }
    sqlx::query("UPDATE subject_uploads SET applied_at = $1, applied_by = $2, changed = $3 WHERE id = $4")
        .bind(now)
        .bind(staff.id)
        .bind(changed as i64)
        .bind(upload_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    tracing::info!(target: "audit", staff = staff.id, site = site_id, upload = upload_id, changed, "subject file applied");
    Ok(Some(Applied { changed }))
}
