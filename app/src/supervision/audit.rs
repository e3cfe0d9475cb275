//! The overdue audit: complaints still with a site, in the supervisor's area, that are past
//! their deadline or close to it, with filters, sorting and counts. The same query feeds the
//! page and the CSV/XLSX exports, so what is exported is what was on screen.

use super::{AgeBucket, AuditFilter, AuditRow, AuditView, Level, SortBy};
use crate::complaints::{ComplaintKind, ComplaintStatus};
use crate::platform::{AppError, AppState};
use crate::staff::{StaffMember, StaffRole};

/// Most rows the page lists; exports take up to `EXPORT_ROWS`.
pub const PAGE_ROWS: i64 = 200;
pub const EXPORT_ROWS: i64 = 100_000;
/// "At risk": less than this much of the deadline left.
pub const AT_RISK_HOURS: i64 = 12;

/// Where parameters go: `$1, $2, ...` in the order they are pushed.
#[derive(Default)]
struct Params {
    values: Vec<Param>,
}

enum Param {
    Int(i64),
    Text(String),
}

impl Params {
    fn int(&mut self, v: i64) -> String {
        self.values.push(Param::Int(v));
        format!("${}", self.values.len())
    }

    fn text(&mut self, v: &str) -> String {
        self.values.push(Param::Text(v.to_string()));
        format!("${}", self.values.len())
    }

    /// Binds the values to a statement that is planned for them each time, not kept prepared:
    /// after five runs PostgreSQL would plan a kept statement for any `due_at` bound, and that
    /// generic plan reads and sorts every overdue complaint of the country (43 ms at 300,000
    /// complaints) where the plan for the actual bound walks the deadline index (3 ms).
    fn bind<'q, O>(
        self,
        q: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
        let mut q = q.persistent(false);
        for v in self.values {
            q = match v {
                Param::Int(i) => q.bind(i),
                Param::Text(t) => q.bind(t),
            };
        }
        q
    }
}

/// The unit the supervisor answers for (`None`: the whole country), if they supervise at all.
pub fn scope_of(staff: &StaffMember) -> Option<Option<String>> {
    match staff.role {
        StaffRole::Supervisor => Some(staff.scope_unit.clone()),
        StaffRole::Admin => Some(None),
        _ => None,
    }
}

/// Sub-areas a supervisor may narrow to, and the parts the numbers of an area are broken
/// into: for the country, today's (2025) provinces; for a 2025 province, the 2021 provinces
/// merged into it (every site lies in one of them, while its 2025 communes are only partly
/// known, see `unit_successors`); otherwise the units directly under it. Only units with sites.
pub async fn sub_areas(state: &AppState, scope: &Option<String>) -> Result<Vec<(String, String)>, AppError> {
    const WITH_SITES: &str = "EXISTS (SELECT 1 FROM site_areas a WHERE a.unit_code = u.code)";
    Ok(match scope {
        None => sqlx::query_as(&format!(
            "SELECT u.code, u.name FROM admin_units u WHERE u.level = 'province' AND u.valid_to IS NULL AND {WITH_SITES} ORDER BY u.name"
        ))
        .fetch_all(state.db.read())
        .await?,
        Some(unit) => {
            let merged: Vec<(String, String)> = sqlx::query_as(&format!(
                "SELECT u.code, u.name FROM unit_successors s JOIN admin_units u ON u.code = s.old_code
                 WHERE s.new_code = $1 AND u.level = 'province' AND {WITH_SITES} ORDER BY u.name"
            ))
            .bind(unit)
            .fetch_all(state.db.read())
            .await?;
            if !merged.is_empty() {
                return Ok(merged);
            }
            sqlx::query_as(&format!("SELECT u.code, u.name FROM admin_units u WHERE u.parent_code = $1 AND {WITH_SITES} ORDER BY u.name"))
                .bind(unit)
                .fetch_all(state.db.read())
                .await?
        }
    })
}

/// The WHERE clause (and joins) for a filter inside a scope; `area` must already be checked.
fn conditions(filter: &AuditFilter, area: &Option<String>, now: i64, p: &mut Params) -> (String, String) {
    let mut join = String::new();
    if let Some(unit) = area {
        join = format!("JOIN site_areas a ON a.site_id = c.site_id AND a.unit_code = {}", p.text(unit));
    }
    let mut wheres = vec![match filter.status {
        Some(status) => format!("c.status = {}", p.text(status.code())),
        None => "c.status IN ('open', 'waiting_citizen')".to_string(),
    }];
    match filter.level {
        Level::Overdue => wheres.push(format!("c.status = 'open' AND c.due_at < {}", p.int(now))),
        Level::AtRisk => wheres.push(format!("c.status = 'open' AND c.due_at < {}", p.int(now + AT_RISK_HOURS * 3600))),
        Level::AllOpen => {}
    }
    if let Some(site) = filter.site {
        wheres.push(format!("c.site_id = {}", p.int(site)));
    }
    if let Some(kind) = filter.kind {
        wheres.push(format!("c.kind = {}", p.text(kind.code())));
    }
    if let Some(age) = filter.age {
        let (from, to) = age.hours();
        wheres.push(format!("c.filed_at <= {}", p.int(now - from * 3600)));
        if let Some(to) = to {
            wheres.push(format!("c.filed_at > {}", p.int(now - to * 3600)));
        }
    }
    (join, wheres.join(" AND "))
}

/// The audit for this supervisor and filter. `None` when they are not a supervisor or ask
/// for an area outside their scope.
pub async fn audit(state: &AppState, me: &StaffMember, filter: AuditFilter, limit: i64) -> Result<Option<AuditView>, AppError> {
    let Some(scope) = scope_of(me) else {
        return Ok(None);
    };
    let areas = sub_areas(state, &scope).await?;
    let area = match &filter.area {
        Some(code) if areas.iter().any(|(c, _)| c == code) => Some(code.clone()),
        Some(code) if Some(code) == scope.as_ref() => Some(code.clone()),
        Some(_) => return Ok(None),
        None => scope.clone(),
    };
    let now = state.clock.now().timestamp();

    let mut p = Params::default();
    let (join, wheres) = conditions(&filter, &area, now, &mut p);
    let order = match filter.sort {
        SortBy::Due => "c.due_at, c.id",
        SortBy::Age => "c.filed_at, c.id",
        SortBy::Site => "s.name, c.due_at, c.id",
    };
    let sql = format!(
        "SELECT c.reference, s.name, c.kind, c.status, c.filed_at, c.due_at, c.paused_at, c.escalated_at
         FROM complaints c {join} JOIN sites s ON s.id = c.site_id
         WHERE {wheres} ORDER BY {order} LIMIT {limit}"
    );
    type Row = (String, String, String, String, i64, i64, Option<i64>, Option<i64>);
    let rows: Vec<Row> = p.bind(sqlx::query_as::<_, Row>(&sql)).fetch_all(state.db.read()).await?;
    let rows = rows
        .into_iter()
        .filter_map(|(reference, site, kind, status, filed_at, due_at, paused_at, escalated_at)| {
            let left = due_at - paused_at.unwrap_or(now);
            Some(AuditRow {
                reference,
                site,
                kind: ComplaintKind::from_code(&kind)?,
                status: ComplaintStatus::from_code(&status)?,
                filed_at: crate::vietnam::time_text(filed_at),
                due_at: crate::vietnam::time_text(due_at),
                hours_left: left.div_euclid(3600),
                age: AgeBucket::of_hours((now - filed_at) / 3600),
                escalated: escalated_at.is_some(),
            })
        })
        .collect();

    // Counts per age bucket for the same filter, ignoring the age filter itself.
    let mut p = Params::default();
    let all_ages = AuditFilter { age: None, ..filter.clone() };
    let (join, wheres) = conditions(&all_ages, &area, now, &mut p);
    let bounds: Vec<String> = AgeBucket::ALL[1..].iter().map(|b| p.int(now - b.hours().0 * 3600)).collect();
    let sql = format!(
        "SELECT COUNT(*),
                COALESCE(SUM(CASE WHEN c.filed_at > {b1} THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN c.filed_at <= {b1} AND c.filed_at > {b2} THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN c.filed_at <= {b2} AND c.filed_at > {b3} THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN c.filed_at <= {b3} THEN 1 ELSE 0 END), 0)
         FROM complaints c {join} WHERE {wheres}",
        b1 = bounds[0],
        b2 = bounds[1],
        b3 = bounds[2],
    );
    let (total, a, b, c, d): (i64, i64, i64, i64, i64) = p.bind(sqlx::query_as(&sql)).fetch_one(state.db.read()).await?;
    let sites: Vec<(i64, String)> = match &area {
        Some(unit) => {
            sqlx::query_as("SELECT s.id, s.name FROM site_areas a JOIN sites s ON s.id = a.site_id WHERE a.unit_code = $1 ORDER BY s.name")
                .bind(unit)
                .fetch_all(state.db.read())
                .await?
        }
        None => Vec::new(),
    };
    Ok(Some(AuditView {
        me: me.clone(),
        filter,
        rows,
        total,
        by_age: [(AgeBucket::Under48, a), (AgeBucket::Days2To3, b), (AgeBucket::Days3To7, c), (AgeBucket::Over7Days, d)],
        areas,
        sites,
        scope_name: me.scope_name.clone(),
    }))
}

/// When the complaint was escalated past its deadline, if it was.
pub async fn escalated_at(state: &AppState, complaint_id: i64) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT escalated_at FROM complaints WHERE id = $1").bind(complaint_id).fetch_one(state.db.read()).await?)
}
