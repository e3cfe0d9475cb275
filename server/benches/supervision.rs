//! Benchmark (not a test): the overdue audit and the numbers of a province on a database
//! that already holds people and complaints (`.ci/bench-supervision` builds one). Prints a
//! Markdown table of timings: median, 95th percentile and maximum over repeated runs.
//!
//!     BENCH_DATABASE_URL=sqlite:/tmp/bench.sqlite3 cargo bench -p server --bench supervision

mod support;

use app::staff::{StaffMember, StaffRole};
use app::supervision::numbers::{self, Subject};
use app::supervision::{AuditFilter, Level, audit};
use std::time::{Duration, Instant};

const WARMUP: usize = 5;
const RUNS: usize = 50;

fn summary(mut times: Vec<Duration>) -> (f64, f64, f64) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (ms(times[times.len() / 2]), ms(times[times.len() * 95 / 100]), ms(*times.last().unwrap()))
}

async fn measure<F, Fut>(name: &str, mut f: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = usize>,
{
    for _ in 0..WARMUP {
        f().await;
    }
    let mut times = Vec::with_capacity(RUNS);
    let mut rows = 0;
    for _ in 0..RUNS {
        let started = Instant::now();
        rows = f().await;
        times.push(started.elapsed());
    }
    let (p50, p95, max) = summary(times);
    println!("| {name} | {rows} | {p50:.1} | {p95:.1} | {max:.1} |");
}

#[tokio::main]
async fn main() {
    let Some(app) = support::open(".ci/bench-supervision").await else {
        return;
    };
    let state = app.state().clone();
    if state.db.backend == app::platform::Backend::Postgres {
        // The steady state autovacuum keeps a production database in: statistics and the
        // visibility map (index-only scans). Right after a bulk load, an autovacuum still
        // running elsewhere can keep the load's own VACUUM from marking the pages.
        sqlx::query("VACUUM ANALYZE").execute(state.db.write()).await.expect("vacuum");
    }
    let (complaints,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM complaints").fetch_one(state.db.read()).await.unwrap();
    let (people,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM people").fetch_one(state.db.read()).await.unwrap();
    // The province with the most sites: the heaviest province query.
    let (province, name, sites): (String, String, i64) = sqlx::query_as(
        "SELECT u.code, u.name, COUNT(*) FROM site_areas a JOIN admin_units u ON u.code = a.unit_code
         WHERE u.level = 'province' GROUP BY u.code, u.name ORDER BY COUNT(*) DESC, u.code LIMIT 1",
    )
    .fetch_one(state.db.read())
    .await
    .unwrap();
    println!("Database: {:?}, {people} people, {complaints} complaints. Province: {name} ({province}), {sites} sites.\n", state.db.backend);
    println!("| query | rows | median ms | p95 ms | max ms |\n| --- | --- | --- | --- | --- |");
    let supervisor = StaffMember {
        id: 0,
        full_name: "Benchmark".into(),
        role: StaffRole::Supervisor,
        site_id: None,
        site_name: None,
        scope_unit: Some(province.clone()),
        scope_name: Some(name.clone()),
    };
    let s = &state;
    let me = &supervisor;
    measure("overdue audit, province supervisor (page: 200 rows + counts)", || async move {
        audit::audit(s, me, AuditFilter::default(), audit::PAGE_ROWS).await.unwrap().unwrap().rows.len()
    })
    .await;
    measure("at-risk audit, province, sorted by site", || async move {
        let f = AuditFilter { level: Level::AtRisk, sort: app::supervision::SortBy::Site, ..AuditFilter::default() };
        audit::audit(s, me, f, audit::PAGE_ROWS).await.unwrap().unwrap().rows.len()
    })
    .await;
    let now = state.clock.now().timestamp();
    let subject = Subject::Area(province.clone());
    let subj = &subject;
    measure("numbers of the province, last 30 days (headline)", || async move {
        numbers::headline(s, subj, now - 30 * 86_400, now).await.unwrap().received as usize
    })
    .await;
    measure("numbers of the province, last 365 days (headline)", || async move {
        numbers::headline(s, subj, now - 365 * 86_400, now).await.unwrap().received as usize
    })
    .await;
    let today = chrono::Utc::now().date_naive();
    measure("numbers page of the province (headline + per-district + data quality)", || async move {
        numbers::page(s, subj.clone(), today - chrono::Duration::days(29), today).await.unwrap().unwrap().parts.len()
    })
    .await;
    measure("numbers page of the province, last 365 days", || async move {
        numbers::page(s, subj.clone(), today - chrono::Duration::days(364), today).await.unwrap().unwrap().parts.len()
    })
    .await;
    let country = Subject::Country;
    let country = &country;
    measure("numbers of the country, last 30 days (headline)", || async move {
        numbers::headline(s, country, now - 30 * 86_400, now).await.unwrap().received as usize
    })
    .await;
    measure("numbers page of the country, last 30 days (63 provinces)", || async move {
        numbers::page(s, country.clone(), today - chrono::Duration::days(29), today).await.unwrap().unwrap().parts.len()
    })
    .await;
    let p = &province;
    measure("data quality of the province's residents", || async move { numbers::quality(s, Some(p)).await.unwrap().total as usize }).await;
}
