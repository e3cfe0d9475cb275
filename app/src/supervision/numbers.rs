//! The numbers, per site and per area, for a period: complaints received and resolved,
//! resolved on time, median hours to first response and to resolution, reopen rate, overdue
//! now; and for areas the data quality of the records of people living there. Complaint numbers
//! are computed from the complaints on every request (covering indexes, nothing stored);
//! data quality is summed from counts the database itself keeps in the same transaction as
//! every change (triggers, migration 0010), so neither can go stale. No personal data leaves
//! this module: only counts and durations.

use super::{Breakdown, Numbers, NumbersQuery, Quality, StationProgress};
use crate::platform::{AppError, AppState, Backend};
use crate::verification::{Source, Status};
use chrono::{Duration, NaiveDate};
use std::collections::HashMap;

/// What the numbers are about: the country, an area (unit code) or one site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Country,
    Area(String),
    Site(i64),
}

/// The join, condition and site column that restrict `complaints c` to the subject; `$1` is
/// the subject. Grouping by the joined table's site column lets the database read each site's
/// index range in order, without sorting the rows again for GROUP BY.
fn complaint_scope(subject: &Subject) -> (&'static str, &'static str, &'static str) {
    match subject {
        Subject::Country => ("JOIN sites a ON a.id = c.site_id", "$1 = $1", "a.id"),
        Subject::Area(_) => ("JOIN site_areas a ON a.site_id = c.site_id AND a.unit_code = $1", "TRUE", "a.site_id"),
        Subject::Site(_) => ("", "c.site_id = CAST($1 AS BIGINT)", "c.site_id"),
    }
}

/// Every value of `expr` in the group, as one comma-separated text (NULLs left out).
fn list_of(backend: Backend, expr: &str) -> String {
    match backend {
        Backend::Sqlite => format!("group_concat({expr})"),
        Backend::Postgres => format!("string_agg(CAST({expr} AS TEXT), ',')"),
    }
}

/// The numbers of a `list_of` text.
fn durations(list: Option<String>) -> Vec<i64> {
    list.map(|l| l.split(',').filter_map(|n| n.parse().ok()).collect()).unwrap_or_default()
}

fn subject_param(subject: &Subject) -> String {
    match subject {
        Subject::Country => String::new(),
        Subject::Area(code) => code.clone(),
        Subject::Site(id) => id.to_string(),
    }
}

/// The median of durations in seconds, in hours to one decimal; linear time (no full sort).
fn median_hours(mut secs: Vec<i64>) -> Option<f64> {
    let n = secs.len();
    if n == 0 {
        return None;
    }
    let (lower, &mut upper, _) = secs.select_nth_unstable(n / 2);
    let mid = if n % 2 == 1 { upper as f64 } else { (lower.iter().copied().max().unwrap_or(upper) + upper) as f64 / 2.0 };
    Some((mid / 360.0).round() / 10.0)
}

fn percent(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| ((part as f64 * 1000.0 / whole as f64).round()) / 10.0)
}

/// Counts of one site for a period, with the durations the medians are taken over; the
/// subject's are the sums over its sites.
#[derive(Debug, Clone, Default)]
struct Counts {
    received: i64,
    resolved: i64,
    on_time: i64,
    reopened: i64,
    overdue_now: i64,
    /// Seconds from filing to the first response, of complaints filed in the period.
    first_response: Vec<i64>,
    /// Seconds from filing to closing, of complaints closed in the period.
    resolution: Vec<i64>,
}

impl Counts {
    fn add(&mut self, other: &Counts) {
        self.received += other.received;
        self.resolved += other.resolved;
        self.on_time += other.on_time;
        self.reopened += other.reopened;
        self.overdue_now += other.overdue_now;
        self.first_response.extend_from_slice(&other.first_response);
        self.resolution.extend_from_slice(&other.resolution);
    }
}

/// The counts of every site of the subject for `[from, to)`: three grouped queries (filed in
/// the period, closed in the period, overdue now), each read from a covering index in site
/// order, run at the same time on the pool's connections.
async fn per_site(state: &AppState, subject: &Subject, from: i64, to: i64) -> Result<HashMap<i64, Counts>, AppError> {
    let now = state.clock.now().timestamp();
    let (join, cond, site) = complaint_scope(subject);
    let param = subject_param(subject);
    let backend = state.db.backend;
    let filed_sql = format!(
        "SELECT {site}, COUNT(*), {} FROM complaints c {join}
         WHERE {cond} AND c.filed_at >= $2 AND c.filed_at < $3 GROUP BY {site}",
        list_of(backend, "c.first_response_at - c.filed_at")
    );
    let closed_sql = format!(
        "SELECT {site}, COUNT(*), COALESCE(SUM(CASE WHEN c.closed_at <= c.due_at THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN c.reopen_count > 0 THEN 1 ELSE 0 END), 0), {}
         FROM complaints c {join} WHERE {cond} AND c.closed_at >= $2 AND c.closed_at < $3 GROUP BY {site}",
        list_of(backend, "c.closed_at - c.filed_at")
    );
    let overdue_sql =
        format!("SELECT {site}, COUNT(*) FROM complaints c {join} WHERE {cond} AND c.status = 'open' AND c.due_at < $2 GROUP BY {site}");
    let filed = sqlx::query_as::<_, (i64, i64, Option<String>)>(&filed_sql).bind(&param).bind(from).bind(to).fetch_all(state.db.report());
    let closed = sqlx::query_as::<_, (i64, i64, i64, i64, Option<String>)>(&closed_sql)
        .bind(&param)
        .bind(from)
        .bind(to)
        .fetch_all(state.db.report());
    let overdue = sqlx::query_as::<_, (i64, i64)>(&overdue_sql).bind(&param).bind(now).fetch_all(state.db.report());
    let (filed, closed, overdue) = tokio::try_join!(filed, closed, overdue)?;
    let mut sites: HashMap<i64, Counts> = HashMap::new();
    for (site, received, first_response) in filed {
        let e = sites.entry(site).or_default();
        (e.received, e.first_response) = (received, durations(first_response));
    }
    for (site, resolved, on_time, reopened, resolution) in closed {
        let e = sites.entry(site).or_default();
        (e.resolved, e.on_time, e.reopened, e.resolution) = (resolved, on_time, reopened, durations(resolution));
    }
    for (site, n) in overdue {
        sites.entry(site).or_default().overdue_now = n;
    }
    Ok(sites)
}

/// The subject's numbers: the sums of its sites' counts and the medians of all their durations.
fn numbers_of(sites: &HashMap<i64, Counts>) -> Numbers {
    let mut t = Counts::default();
    for counts in sites.values() {
        t.add(counts);
    }
    Numbers {
        received: t.received,
        resolved: t.resolved,
        on_time: t.on_time,
        on_time_pct: percent(t.on_time, t.resolved),
        median_first_response_hours: median_hours(t.first_response),
        median_resolution_hours: median_hours(t.resolution),
        reopen_pct: percent(t.reopened, t.resolved),
        overdue_now: t.overdue_now,
    }
}

/// The headline numbers for the subject and period `[from, to)` (unix seconds).
pub async fn headline(state: &AppState, subject: &Subject, from: i64, to: i64) -> Result<Numbers, AppError> {
    Ok(numbers_of(&per_site(state, subject, from, to).await?))
}

/// Records of people living in the area (or the country) by cleaning group: a sum over the
/// units of the area of `quality_counts`, which the database keeps exact on every change to a
/// record (migrations 0010 and 0014). Each record's status is the verification engine's
/// (app/src/verification), the same verdict the citizen's record page shows.
pub async fn quality(state: &AppState, area: Option<&str>) -> Result<Quality, AppError> {
    let rows: Vec<(String, i64)> = match area {
        Some(code) => {
            sqlx::query_as(
                "SELECT q.quality, CAST(SUM(q.people) AS BIGINT) FROM unit_areas ua JOIN quality_counts q ON q.unit_code = ua.unit_code
             WHERE ua.area_code = $1 GROUP BY q.quality",
            )
            .bind(code)
            .fetch_all(state.db.report())
            .await?
        }
        None => {
            sqlx::query_as("SELECT quality, CAST(SUM(people) AS BIGINT) FROM quality_counts GROUP BY quality")
                .fetch_all(state.db.report())
                .await?
        }
    };
    let count = |status: Status| rows.iter().find(|(g, _)| g == status.code()).map_or(0, |(_, n)| *n);
    let (matches, no_id, malformed, id_contradicts, not_in_registry, differs) = (
        count(Status::Verified),
        count(Status::NoId),
        count(Status::MalformedId),
        count(Status::IdContradictsRecord),
        count(Status::NotInRegistry),
        count(Status::DataDiffers),
    );
    let total = matches + no_id + malformed + id_contradicts + not_in_registry + differs;
    let (stations, verified_per_week) = campaign(state, area).await?;
    Ok(Quality {
        total,
        matches,
        matches_pct: percent(matches, total),
        no_id,
        malformed,
        id_contradicts,
        not_in_registry,
        differs,
        stations,
        verified_per_week,
    })
}

#[derive(sqlx::FromRow)]
struct StationRow {
    name: String,
    unit_code: String,
    verified: i64,
    left_to_clean: i64,
    verified_this_week: i64,
    with_police: i64,
    out_since: Option<i64>,
}

/// How many stations the per-station table shows at most (those with most records left).
const CAMPAIGN_STATIONS: i64 = 40;

/// The campaign's progress: per commune station of the area (none for the whole country: too
/// many), and records verified per week from `verification_history`.
async fn campaign(state: &AppState, area: Option<&str>) -> Result<(Vec<StationProgress>, Vec<(String, i64)>), AppError> {
    let now = state.clock.now();
    let today = crate::vietnam::today(now);
    use chrono::Datelike;
    let monday = today - chrono::Duration::days(today.weekday().num_days_from_monday() as i64);
    let first_week = monday - chrono::Duration::weeks(7);
    let since = crate::vietnam::midnight(first_week);
    let week_ago = now.timestamp() - 7 * 86_400;
    let stations = match area {
        None => Vec::new(),
        Some(code) => {
            let rows: Vec<StationRow> = sqlx::query_as(&format!(
                "SELECT s.name, s.unit_code,
                        COALESCE((SELECT CAST(SUM(q.people) AS BIGINT) FROM quality_counts q WHERE q.unit_code = s.unit_code AND q.quality = 'verified'), 0) AS verified,
                        COALESCE((SELECT CAST(SUM(q.people) AS BIGINT) FROM quality_counts q WHERE q.unit_code = s.unit_code AND q.quality <> 'verified'), 0) AS left_to_clean,
                        (SELECT COUNT(*) FROM verification_history h WHERE h.unit_code = s.unit_code AND h.new_status = 'verified' AND h.at >= $2) AS verified_this_week,
                        (SELECT COUNT(*) FROM police_batch_rows r JOIN police_batches b ON b.id = r.batch_id
                         WHERE b.site_id = s.id AND b.returned_at IS NULL) AS with_police,
                        (SELECT MIN(b.created_at) FROM police_batches b WHERE b.site_id = s.id AND b.returned_at IS NULL) AS out_since
                 FROM sites s JOIN unit_areas ua ON ua.unit_code = s.unit_code
                 WHERE ua.area_code = $1 AND s.site_type = 'commune_station'
                 ORDER BY 4 DESC, s.name LIMIT {CAMPAIGN_STATIONS}"
            ))
            .bind(code)
            .bind(week_ago)
            .fetch_all(state.db.report())
            .await?;
            let changes: Vec<(String, String, i64)> = sqlx::query_as(
                "SELECT h.unit_code, h.source, COUNT(*) FROM verification_history h JOIN unit_areas ua ON ua.unit_code = h.unit_code
                 WHERE ua.area_code = $1 AND h.at >= $2 GROUP BY h.unit_code, h.source",
            )
            .bind(code)
            .bind(week_ago)
            .fetch_all(state.db.report())
            .await?;
            let now = now.timestamp();
            rows.into_iter()
                .map(|r| StationProgress {
                    changes_this_week: Source::ALL
                        .into_iter()
                        .filter_map(|source| {
                            let n = changes.iter().find(|(u, s, _)| *u == r.unit_code && s == source.code()).map(|(_, _, n)| *n)?;
                            Some((source, n))
                        })
                        .collect(),
                    name: r.name,
                    verified: r.verified,
                    left: r.left_to_clean,
                    verified_this_week: r.verified_this_week,
                    with_police: r.with_police,
                    police_days: r.out_since.map(|at| (now - at) / 86_400),
                })
                .collect()
        }
    };
    let times: Vec<i64> = match area {
        Some(code) => {
            sqlx::query_scalar(
                "SELECT h.at FROM verification_history h JOIN unit_areas ua ON ua.unit_code = h.unit_code
                 WHERE ua.area_code = $1 AND h.new_status = 'verified' AND h.at >= $2",
            )
            .bind(code)
            .bind(since)
            .fetch_all(state.db.report())
            .await?
        }
        None => {
            sqlx::query_scalar("SELECT at FROM verification_history WHERE new_status = 'verified' AND at >= $1")
                .bind(since)
                .fetch_all(state.db.report())
                .await?
        }
    };
    let weeks = (0..8)
        .map(|i| {
            let start = first_week + chrono::Duration::weeks(i);
            let (from, to) = (crate::vietnam::midnight(start), crate::vietnam::midnight(start + chrono::Duration::weeks(1)));
            (start.format("%d/%m").to_string(), times.iter().filter(|t| (from..to).contains(*t)).count() as i64)
        })
        .collect();
    Ok((stations, weeks))
}

/// What a subject's numbers are broken into: (key, name, link) per part, and which sites
/// belong to which part (by key).
type Parts = (Vec<(String, String, String)>, Vec<(i64, String)>);

/// The parts of the subject: provinces of the country, the parts `audit::sub_areas` gives an
/// area, or the sites themselves when the area has up to 40.
async fn parts_of(state: &AppState, subject: &Subject) -> Result<Parts, AppError> {
    let area = match subject {
        Subject::Site(_) => return Ok((Vec::new(), Vec::new())),
        Subject::Country => None,
        Subject::Area(code) => {
            let sites: Vec<(i64, String)> = sqlx::query_as(
                "SELECT s.id, s.name FROM site_areas a JOIN sites s ON s.id = a.site_id WHERE a.unit_code = $1 ORDER BY s.name",
            )
            .bind(code)
            .fetch_all(state.db.report())
            .await?;
            if sites.len() <= 40 {
                let members = sites.iter().map(|(id, _)| (*id, id.to_string())).collect();
                return Ok((
                    sites.into_iter().map(|(id, name)| (id.to_string(), name, super::routes::site_numbers(id))).collect(),
                    members,
                ));
            }
            Some(code.clone())
        }
    };
    let parts = super::audit::sub_areas(state, &area).await?;
    let members = if parts.is_empty() {
        Vec::new()
    } else {
        let list = (1..=parts.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
        let sql = format!("SELECT a.site_id, a.unit_code FROM site_areas a WHERE a.unit_code IN ({list})");
        let mut q = sqlx::query_as(&sql);
        for (code, _) in &parts {
            q = q.bind(code);
        }
        q.fetch_all(state.db.report()).await?
    };
    Ok((parts.into_iter().map(|(code, name)| (code.clone(), name, super::routes::numbers_of(Some(&code)))).collect(), members))
}

/// One line per part, summed from the sites' counts.
fn breakdown((parts, members): Parts, per_site: &HashMap<i64, Counts>) -> Vec<Breakdown> {
    let mut totals: HashMap<String, Counts> = HashMap::new();
    for (site, part) in members {
        if let Some(n) = per_site.get(&site) {
            totals.entry(part).or_default().add(n);
        }
    }
    parts
        .into_iter()
        .map(|(key, name, href)| {
            let t = totals.remove(&key).unwrap_or_default();
            Breakdown {
                name,
                href,
                received: t.received,
                resolved: t.resolved,
                on_time_pct: percent(t.on_time, t.resolved),
                overdue_now: t.overdue_now,
            }
        })
        .collect()
}

/// The subject's name; `None` if there is no such area or site.
async fn title_of(state: &AppState, subject: &Subject) -> Result<Option<String>, AppError> {
    Ok(match subject {
        Subject::Country => Some("Toàn quốc".to_string()),
        Subject::Area(code) => {
            sqlx::query_scalar("SELECT name FROM admin_units WHERE code = $1").bind(code).fetch_optional(state.db.report()).await?
        }
        Subject::Site(id) => sqlx::query_scalar("SELECT name FROM sites WHERE id = $1").bind(id).fetch_optional(state.db.report()).await?,
    })
}

/// Everything the numbers page shows. `None` for an unknown area or site. The independent
/// reads run at the same time.
pub async fn page(state: &AppState, subject: Subject, from_day: NaiveDate, to_day: NaiveDate) -> Result<Option<NumbersQuery>, AppError> {
    let (from, to) = (crate::vietnam::midnight(from_day), crate::vietnam::midnight(to_day + Duration::days(1)));
    let quality_of = async {
        match &subject {
            Subject::Country => Ok(Some(quality(state, None).await?)),
            Subject::Area(code) => Ok(Some(quality(state, Some(code)).await?)),
            Subject::Site(_) => Ok::<_, AppError>(None),
        }
    };
    let (title, sites, quality, parts) =
        tokio::try_join!(title_of(state, &subject), per_site(state, &subject, from, to), quality_of, parts_of(state, &subject))?;
    let Some(title) = title else { return Ok(None) };
    Ok(Some(NumbersQuery {
        title,
        area: match &subject {
            Subject::Area(c) => Some(c.clone()),
            _ => None,
        },
        site: match &subject {
            Subject::Site(id) => Some(*id),
            _ => None,
        },
        from: from_day.format("%d/%m/%Y").to_string(),
        to: to_day.format("%d/%m/%Y").to_string(),
        from_iso: from_day.format("%Y-%m-%d").to_string(),
        to_iso: to_day.format("%Y-%m-%d").to_string(),
        numbers: numbers_of(&sites),
        quality,
        parts: breakdown(parts, &sites),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_percentages() {
        assert_eq!(median_hours(vec![]), None);
        assert_eq!(median_hours(vec![3600, 7200, 36_000]), Some(2.0));
        assert_eq!(median_hours(vec![3600, 7200]), Some(1.5));
        assert_eq!(median_hours(vec![36_000, 3600, 18_000, 7200]), Some(3.5), "order does not matter");
        assert_eq!(durations(Some("3600,-5,x,7200".into())), vec![3600, -5, 7200]);
        assert_eq!(durations(None), Vec::<i64>::new());
        assert_eq!(percent(1, 3), Some(33.3));
        assert_eq!(percent(0, 0), None);
    }

    #[test]
    fn days_start_at_midnight_in_vietnam() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        // 00:00 +07:00 is 17:00 UTC the day before.
        assert_eq!(crate::vietnam::midnight(day), 1_795_280_400);
    }
}
