//! The period's changes of status on a site's list.

use super::{Filter, StatusChange, VerificationList};
use crate::platform::{AppError, AppState};
use crate::staff::StaffMember;
use crate::verification::{Source, Status};
use crate::worklist::service::of_site;

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    at: i64,
    person_id: i64,
    full_name: String,
    old_status: Option<String>,
    new_status: String,
    status_now: Option<String>,
    source: String,
    staff_name: Option<String>,
}

/// The period as Unix times: from the start of `from` to the end of `to`, Vietnam time.
fn bounds(filter: &Filter) -> (i64, i64) {
    (crate::vietnam::midnight(filter.from), crate::vietnam::midnight(filter.to + chrono::Duration::days(1)))
}

/// The changes matching `filter` before change `before`, newest first, at most `limit`.
pub async fn changes(
    state: &AppState,
    site_id: i64,
    filter: &Filter,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<StatusChange>, AppError> {
    let (from, to) = bounds(filter);
    let mine = of_site("p");
    let source = if filter.source.is_some() { "AND h.source = $4" } else { "AND $4 = ''" };
    let group = if filter.group.is_some() { "AND p.quality = $5" } else { "AND $5 = ''" };
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT h.id, h.at, h.person_id, p.full_name, h.old_status, h.new_status, p.quality AS status_now, h.source, s.full_name AS staff_name
         FROM verification_history h JOIN people p ON p.id = h.person_id LEFT JOIN staff s ON s.id = h.staff_id
         WHERE h.at >= $2 AND h.at < $3 AND {mine} {source} {group} AND h.id < $6
         ORDER BY h.id DESC LIMIT {limit}"
    ))
    .bind(site_id)
    .bind(from)
    .bind(to)
    .bind(filter.source.map_or("", Source::code))
    .bind(filter.group.map_or("", Status::code))
    .bind(before.unwrap_or(i64::MAX))
    .fetch_all(state.db.read())
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(StatusChange {
                id: r.id,
                at: crate::vietnam::time_text(r.at),
                person_id: r.person_id,
                full_name: r.full_name,
                old_status: r.old_status.as_deref().and_then(Status::from_code),
                new_status: Status::from_code(&r.new_status)?,
                status_now: r.status_now.as_deref().and_then(Status::from_code),
                source: Source::from_code(&r.source)?,
                staff_name: r.staff_name,
            })
        })
        .collect())
}

pub async fn list(
    state: &AppState,
    staff: StaffMember,
    site_id: i64,
    filter: Filter,
    before: Option<i64>,
) -> Result<VerificationList, AppError> {
    let (from, to) = bounds(&filter);
    let mine = of_site("p");
    let counted: Vec<(String, i64)> = sqlx::query_as(&format!(
        "SELECT h.source, COUNT(*) FROM verification_history h JOIN people p ON p.id = h.person_id
         WHERE h.at >= $2 AND h.at < $3 AND {mine} GROUP BY h.source"
    ))
    .bind(site_id)
    .bind(from)
    .bind(to)
    .fetch_all(state.db.read())
    .await?;
    let by_source = Source::ALL.into_iter().map(|s| (s, counted.iter().find(|(c, _)| c == s.code()).map_or(0, |(_, n)| *n))).collect();
    let mut rows = changes(state, site_id, &filter, before, super::PAGE_ROWS + 1).await?;
    let more = rows.len() as i64 > super::PAGE_ROWS;
    rows.truncate(super::PAGE_ROWS as usize);
    let next_before = more.then(|| rows.last().map(|r| r.id)).flatten();
    Ok(VerificationList { staff, filter, by_source, rows, next_before })
}
