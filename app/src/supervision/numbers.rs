//! The numbers, per site and per area, for a period: complaints received and resolved,
//! resolved on time, median hours to first response and to resolution, reopen rate, overdue
//! now; and for areas the data quality of the records of people living there. Computed from
//! the complaints and records themselves on every request (indexed queries, no stored totals
//! that could go stale). No personal data leaves this module: only counts and durations.

use super::{Breakdown, Numbers, NumbersQuery, Quality};
use crate::platform::{AppError, AppState};
use chrono::{Duration, NaiveDate, TimeZone};
use std::collections::HashMap;

/// What the numbers are about: the country, an area (unit code) or one site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Country,
    Area(String),
    Site(i64),
}

/// Unix seconds of 00:00 in Vietnam on `day`.
pub fn vietnam_midnight(day: NaiveDate) -> i64 {
    let offset = chrono::FixedOffset::east_opt(7 * 3600).expect("valid offset");
    offset.from_local_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight")).single().map(|t| t.timestamp()).unwrap_or_default()
}

/// The join and condition that restrict `complaints c` to the subject; `$1` is the subject.
fn complaint_scope(subject: &Subject) -> (&'static str, &'static str) {
    match subject {
        Subject::Country => ("", "$1 = $1"),
        Subject::Area(_) => ("JOIN site_areas a ON a.site_id = c.site_id AND a.unit_code = $1", "TRUE"),
        Subject::Site(_) => ("", "c.site_id = CAST($1 AS BIGINT)"),
    }
}

fn subject_param(subject: &Subject) -> String {
    match subject {
        Subject::Country => String::new(),
        Subject::Area(code) => code.clone(),
        Subject::Site(id) => id.to_string(),
    }
}

fn median_hours(mut secs: Vec<i64>) -> Option<f64> {
    if secs.is_empty() {
        return None;
    }
    secs.sort_unstable();
    let n = secs.len();
    let mid = if n % 2 == 1 { secs[n / 2] as f64 } else { (secs[n / 2 - 1] + secs[n / 2]) as f64 / 2.0 };
    Some((mid / 360.0).round() / 10.0)
}

fn percent(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| ((part as f64 * 1000.0 / whole as f64).round()) / 10.0)
}

/// The median of `duration` over the rows `filter` selects, in hours; the database sorts
/// and returns the middle one or two values, not every row. `n` is how many rows match.
async fn median_of(state: &AppState, subject: &Subject, duration: &str, filter: &str, n: i64, from: i64, to: i64) -> Result<Option<f64>, AppError> {
    if n == 0 {
        return Ok(None);
    }
    let (join, cond) = complaint_scope(subject);
    let middle: Vec<i64> = sqlx::query_scalar(&format!(
        "SELECT {duration} FROM complaints c {join} WHERE {cond} AND {filter} ORDER BY 1 LIMIT {} OFFSET {}",
        2 - n % 2,
        (n - 1) / 2
    ))
    .bind(subject_param(subject))
    .bind(from)
    .bind(to)
    .fetch_all(state.db.read())
    .await?;
    Ok(median_hours(middle))
}

/// Counts of one site for a period; the subject's are the sums over its sites.
#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    received: i64,
    responded: i64,
    resolved: i64,
    on_time: i64,
    reopened: i64,
    overdue_now: i64,
}

impl Counts {
    fn add(&mut self, other: &Counts) {
        self.received += other.received;
        self.responded += other.responded;
        self.resolved += other.resolved;
        self.on_time += other.on_time;
        self.reopened += other.reopened;
        self.overdue_now += other.overdue_now;
    }
}

/// The counts of every site of the subject for `[from, to)`: three grouped queries (filed in
/// the period, closed in the period, overdue now), each read from a covering index.
async fn per_site(state: &AppState, subject: &Subject, from: i64, to: i64) -> Result<HashMap<i64, Counts>, AppError> {
    let now = state.clock.now().timestamp();
    let (join, cond) = complaint_scope(subject);
    let param = subject_param(subject);
    let mut sites: HashMap<i64, Counts> = HashMap::new();
    let filed: Vec<(i64, i64, i64)> = sqlx::query_as(&format!(
        "SELECT c.site_id, COUNT(*), COUNT(c.first_response_at) FROM complaints c {join}
         WHERE {cond} AND c.filed_at >= $2 AND c.filed_at < $3 GROUP BY c.site_id"
    ))
    .bind(&param)
    .bind(from)
    .bind(to)
    .fetch_all(state.db.read())
    .await?;
    for (site, received, responded) in filed {
        let e = sites.entry(site).or_default();
        (e.received, e.responded) = (received, responded);
    }
    let closed: Vec<(i64, i64, i64, i64)> = sqlx::query_as(&format!(
        "SELECT c.site_id, COUNT(*), COALESCE(SUM(CASE WHEN c.closed_at <= c.due_at THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN c.reopen_count > 0 THEN 1 ELSE 0 END), 0)
         FROM complaints c {join} WHERE {cond} AND c.closed_at >= $2 AND c.closed_at < $3 GROUP BY c.site_id"
    ))
    .bind(&param)
    .bind(from)
    .bind(to)
    .fetch_all(state.db.read())
    .await?;
    for (site, resolved, on_time, reopened) in closed {
        let e = sites.entry(site).or_default();
        (e.resolved, e.on_time, e.reopened) = (resolved, on_time, reopened);
    }
    let overdue: Vec<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT c.site_id, COUNT(*) FROM complaints c {join} WHERE {cond} AND c.status = 'open' AND c.due_at < $2 GROUP BY c.site_id"
    ))
    .bind(&param)
    .bind(now)
    .fetch_all(state.db.read())
    .await?;
    for (site, n) in overdue {
        sites.entry(site).or_default().overdue_now = n;
    }
    Ok(sites)
}

/// The subject's numbers from its sites' counts, with the two medians.
async fn numbers_of(state: &AppState, subject: &Subject, sites: &HashMap<i64, Counts>, from: i64, to: i64) -> Result<Numbers, AppError> {
    let mut t = Counts::default();
    for counts in sites.values() {
        t.add(counts);
    }
    const FIRST_RESPONSE: &str = "c.filed_at >= $2 AND c.filed_at < $3 AND c.first_response_at IS NOT NULL";
    const CLOSED: &str = "c.closed_at >= $2 AND c.closed_at < $3";
    Ok(Numbers {
        received: t.received,
        resolved: t.resolved,
        on_time: t.on_time,
        on_time_pct: percent(t.on_time, t.resolved),
        median_first_response_hours: median_of(state, subject, "c.first_response_at - c.filed_at", FIRST_RESPONSE, t.responded, from, to).await?,
        median_resolution_hours: median_of(state, subject, "c.closed_at - c.filed_at", CLOSED, t.resolved, from, to).await?,
        reopen_pct: percent(t.reopened, t.resolved),
        overdue_now: t.overdue_now,
    })
}

/// The headline numbers for the subject and period `[from, to)` (unix seconds).
pub async fn headline(state: &AppState, subject: &Subject, from: i64, to: i64) -> Result<Numbers, AppError> {
    let sites = per_site(state, subject, from, to).await?;
    numbers_of(state, subject, &sites, from, to).await
}

/// Records of people living in the area (or the country) by cleaning group: a sum over the
/// units of the area of `quality_counts`, which the database keeps exact on every change to a
/// record or to the registry (migration 0010). Comparisons with the registry are exact, field
/// by field, as stored.
pub async fn quality(state: &AppState, area: Option<&str>) -> Result<Quality, AppError> {
    let rows: Vec<(String, i64)> = match area {
        Some(code) => sqlx::query_as(
            "SELECT q.quality, CAST(SUM(q.people) AS BIGINT) FROM unit_areas ua JOIN quality_counts q ON q.unit_code = ua.unit_code
             WHERE ua.area_code = $1 GROUP BY q.quality",
        )
        .bind(code)
        .fetch_all(state.db.read())
        .await?,
        None => sqlx::query_as("SELECT quality, CAST(SUM(people) AS BIGINT) FROM quality_counts GROUP BY quality").fetch_all(state.db.read()).await?,
    };
    let count = |group: &str| rows.iter().find(|(g, _)| g == group).map_or(0, |(_, n)| *n);
    let (matches, no_id, malformed, not_in_registry, differs) =
        (count("matches"), count("no_id"), count("malformed"), count("not_in_registry"), count("differs"));
    let total = matches + no_id + malformed + not_in_registry + differs;
    Ok(Quality { total, matches, matches_pct: percent(matches, total), no_id, malformed, not_in_registry, differs })
}

/// One line per part of the subject: provinces of the country, units under an area, or the
/// sites of a small area (up to 40 sites).
async fn breakdown(state: &AppState, subject: &Subject, per_site: &HashMap<i64, Counts>) -> Result<Vec<Breakdown>, AppError> {
    // (part key, name, link) and which sites belong to which part.
    let (parts, members): (Vec<(String, String, String)>, Vec<(i64, String)>) = match subject {
        Subject::Site(_) => return Ok(Vec::new()),
        Subject::Country => {
            let parts = super::audit::sub_areas(state, &None).await?;
            let members = sqlx::query_as(
                "SELECT a.site_id, a.unit_code FROM site_areas a JOIN admin_units u ON u.code = a.unit_code WHERE u.level = 'province'",
            )
            .fetch_all(state.db.read())
            .await?;
            (parts.into_iter().map(|(code, name)| (code.clone(), name, format!("/so-lieu?khu-vuc={code}"))).collect(), members)
        }
        Subject::Area(code) => {
            let sites: Vec<(i64, String)> =
                sqlx::query_as("SELECT s.id, s.name FROM site_areas a JOIN sites s ON s.id = a.site_id WHERE a.unit_code = $1 ORDER BY s.name")
                    .bind(code)
                    .fetch_all(state.db.read())
                    .await?;
            if sites.len() <= 40 {
                let members = sites.iter().map(|(id, _)| (*id, id.to_string())).collect();
                (sites.into_iter().map(|(id, name)| (id.to_string(), name, format!("/so-lieu/co-so/{id}"))).collect(), members)
            } else {
                let parts = super::audit::sub_areas(state, &Some(code.clone())).await?;
                let members = sqlx::query_as(
                    "SELECT a.site_id, a.unit_code FROM site_areas a JOIN admin_units u ON u.code = a.unit_code WHERE u.parent_code = $1",
                )
                .bind(code)
                .fetch_all(state.db.read())
                .await?;
                (parts.into_iter().map(|(code, name)| (code.clone(), name, format!("/so-lieu?khu-vuc={code}"))).collect(), members)
            }
        }
    };
    let mut totals: HashMap<String, Counts> = HashMap::new();
    for (site, part) in members {
        if let Some(n) = per_site.get(&site) {
            totals.entry(part).or_default().add(n);
        }
    }
    Ok(parts
        .into_iter()
        .map(|(key, name, href)| {
            let t = totals.get(&key).copied().unwrap_or_default();
            Breakdown { name, href, received: t.received, resolved: t.resolved, on_time_pct: percent(t.on_time, t.resolved), overdue_now: t.overdue_now }
        })
        .collect())
}

/// Everything the numbers page shows. `None` for an unknown area or site.
pub async fn page(state: &AppState, subject: Subject, from_day: NaiveDate, to_day: NaiveDate) -> Result<Option<NumbersQuery>, AppError> {
    let title = match &subject {
        Subject::Country => "Toàn quốc".to_string(),
        Subject::Area(code) => match sqlx::query_scalar::<_, String>("SELECT name FROM admin_units WHERE code = $1").bind(code).fetch_optional(state.db.read()).await? {
            Some(name) => name,
            None => return Ok(None),
        },
        Subject::Site(id) => match sqlx::query_scalar::<_, String>("SELECT name FROM sites WHERE id = $1").bind(id).fetch_optional(state.db.read()).await? {
            Some(name) => name,
            None => return Ok(None),
        },
    };
    let (from, to) = (vietnam_midnight(from_day), vietnam_midnight(to_day + Duration::days(1)));
    let sites = per_site(state, &subject, from, to).await?;
    let numbers = numbers_of(state, &subject, &sites, from, to).await?;
    let quality = match &subject {
        Subject::Country => Some(quality(state, None).await?),
        Subject::Area(code) => Some(quality(state, Some(code)).await?),
        Subject::Site(_) => None,
    };
    let parts = breakdown(state, &subject, &sites).await?;
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
        numbers,
        quality,
        parts,
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
        assert_eq!(percent(1, 3), Some(33.3));
        assert_eq!(percent(0, 0), None);
    }

    #[test]
    fn days_start_at_midnight_in_vietnam() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        // 00:00 +07:00 is 17:00 UTC the day before.
        assert_eq!(vietnam_midnight(day), 1_795_280_400);
    }
}
