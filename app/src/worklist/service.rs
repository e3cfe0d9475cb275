//! The worklist's reads. Whose records: people living in the site's commune, and people
//! vaccinated there; graded and not verified.

use super::{PAGE_ROWS, WorkRow, Worklist};
use crate::domain::{BirthDate, Gender};
use crate::platform::{AppError, AppState};
use crate::staff::StaffMember;
use crate::verification::{Status, Verdict};

/// Which people a site works on: the residents of its commune and the people it vaccinated.
const OF_SITE: &str = "(p.residence_unit = (SELECT s.unit_code FROM sites s WHERE s.id = $1)
    OR EXISTS (SELECT 1 FROM doses d WHERE d.person_id = p.id AND d.site_id = $1 AND d.removed_at IS NULL))";

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    full_name: String,
    birth_date: String,
    gender: String,
    national_id: Option<String>,
    quality: String,
    verification_fields: Option<String>,
    resident: i64,
}

pub async fn worklist(
    state: &AppState,
    staff: StaffMember,
    site_id: i64,
    group: Option<Status>,
    search: &str,
    after: Option<i64>,
) -> Result<Worklist, AppError> {
    let counted: Vec<(String, i64)> = sqlx::query_as(&format!(
        "SELECT p.quality, COUNT(*) FROM people p WHERE {OF_SITE} AND p.quality IS NOT NULL AND p.quality <> 'verified' GROUP BY p.quality"
    ))
    .bind(site_id)
    .fetch_all(state.db.read())
    .await?;
    let counts = super::GROUPS.into_iter().map(|g| (g, counted.iter().find(|(code, _)| code == g.code()).map_or(0, |(_, n)| *n))).collect();
    let mut rows = rows(state, site_id, group, search, after, PAGE_ROWS + 1).await?;
    let more = rows.len() as i64 > PAGE_ROWS;
    rows.truncate(PAGE_ROWS as usize);
    let next_after = more.then(|| rows.last().map(|r| r.id)).flatten();
    Ok(Worklist { staff, group, search: search.to_string(), counts, rows, next_after })
}

/// The list's rows after `after`, at most `limit`: the page, or (for the export) all of them.
pub async fn rows(
    state: &AppState,
    site_id: i64,
    group: Option<Status>,
    search: &str,
    after: Option<i64>,
    limit: i64,
) -> Result<Vec<WorkRow>, AppError> {
    // A search is a name as staff say it (folded, i/y alike) or the start of an ID number.
    let key = crate::domain::name_key(search);
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT p.id, p.full_name, p.birth_date, p.gender, p.national_id, p.quality, p.verification_fields,
                CASE WHEN p.residence_unit = (SELECT s.unit_code FROM sites s WHERE s.id = $1) THEN 1 ELSE 0 END AS resident
         FROM people p
         WHERE {OF_SITE} AND p.quality IS NOT NULL AND p.quality <> 'verified'
           AND ($2 = '' OR p.quality = $2)
           AND ($3 = '' OR p.name_key LIKE '%' || $3 || '%' OR p.national_id LIKE $4 || '%')
           AND p.id > $5
         ORDER BY p.id LIMIT {limit}"
    ))
    .bind(site_id)
    .bind(group.map(Status::code).unwrap_or(""))
    .bind(&key)
    .bind(search)
    .bind(after.unwrap_or(0))
    .fetch_all(state.db.read())
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let verdict = Verdict::from_stored(&r.quality, r.verification_fields.as_deref(), None)?;
            Some(WorkRow {
                id: r.id,
                birth_date: BirthDate::from_stored(&r.birth_date).map(|b| b.display()).unwrap_or(r.birth_date),
                full_name: r.full_name,
                gender: Gender::from_code(&r.gender)?,
                national_id: r.national_id,
                status: verdict.status,
                fields: verdict.fields,
                resident: r.resident == 1,
            })
        })
        .collect())
}
