//! Benchmark (not a test): the station's worklist with 50,000 records to clean in its commune,
//! timed as staff get it: HTTP requests to the running server, signed in as the demo station,
//! the whole body read. `.ci/bench-worklist` seeds the database; this moves 50,000 records
//! that fail the registry (and as many that pass) into the demo station's commune first.
//!
//!     BENCH_DATABASE_URL=sqlite:/tmp/bench.sqlite3 cargo bench -p server --bench worklist

mod support;

const RUNS: usize = 30;
const TO_CLEAN: i64 = 50_000;

/// Times GET `path` `runs` times as the signed-in station.
async fn measure(client: &reqwest::Client, base: &str, name: &str, path: &str, runs: usize) {
    support::time_get(client, (base, path), "", runs, name).await;
}

#[tokio::main]
async fn main() {
    let Some(app) = support::open(".ci/bench-worklist").await else {
        return;
    };
    let state = app.state().clone();
    let db = &state.db;
    let (site, unit): (i64, String) =
        sqlx::query_as("SELECT s.id, s.unit_code FROM staff st JOIN sites s ON s.id = st.site_id WHERE st.email = $1")
            .bind(server::seed::DEMO_STATION_EMAIL)
            .fetch_one(db.read())
            .await
            .expect("the demo station");
    // Residents of the commune: 50,000 records that fail the registry and 50,000 that pass.
    for (test, limit) in [("<>", TO_CLEAN), ("=", TO_CLEAN)] {
        sqlx::query(&format!(
            "UPDATE people SET residence_unit = $1 WHERE id IN
               (SELECT id FROM people WHERE quality {test} 'verified' AND merged_into IS NULL AND residence_unit <> $1 ORDER BY id LIMIT $2)"
        ))
        .bind(&unit)
        .bind(limit)
        .execute(db.write())
        .await
        .expect("move people into the commune");
    }
    if db.backend == app::platform::Backend::Postgres {
        sqlx::query("VACUUM ANALYZE").execute(db.write()).await.expect("vacuum");
    } else {
        sqlx::query("ANALYZE").execute(db.write()).await.expect("analyze");
    }
    let (people,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM people").fetch_one(db.read()).await.unwrap();
    let (listed,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM people p WHERE p.residence_unit = $1 AND p.quality <> 'verified' AND p.merged_into IS NULL")
            .bind(&unit)
            .fetch_one(db.read())
            .await
            .unwrap();
    let (middle,): (i64,) = sqlx::query_as(&format!(
        "SELECT id FROM people WHERE residence_unit = $1 AND quality <> 'verified' ORDER BY id LIMIT 1 OFFSET {}",
        listed / 2
    ))
    .bind(&unit)
    .fetch_one(db.read())
    .await
    .unwrap();
    let (record,): (i64,) =
        sqlx::query_as("SELECT id FROM people WHERE residence_unit = $1 AND quality = 'no_id' ORDER BY id LIMIT 1 OFFSET 100")
            .bind(&unit)
            .fetch_one(db.read())
            .await
            .unwrap();
    let (surname_given,): (String,) =
        sqlx::query_as("SELECT full_name FROM people WHERE residence_unit = $1 AND quality <> 'verified' ORDER BY id LIMIT 1 OFFSET 7")
            .bind(&unit)
            .fetch_one(db.read())
            .await
            .unwrap();
    let (base, client) = support::serve_as_station(app).await;

    println!("Database: {:?}, {people} people; station {site}'s commune lists {listed} records to clean.\n", db.backend);
    println!("| request | body | median ms | p95 ms | max ms |\n| --- | --- | --- | --- | --- |");
    let c = &client;
    let b = base.as_str();
    measure(c, b, "worklist, first page (counts per group + 50 rows)", "/co-so/lam-sach", RUNS).await;
    measure(c, b, "worklist, a page in the middle (keyset)", &format!("/co-so/lam-sach?sau={middle}"), RUNS).await;
    measure(c, b, "worklist, group (a) no ID", "/co-so/lam-sach?nhom=no_id", RUNS).await;
    measure(c, b, "worklist, group possible duplicate", "/co-so/lam-sach?nhom=possible_duplicate", RUNS).await;
    let name = surname_given.split_whitespace().last().unwrap_or("an").to_string();
    measure(c, b, &format!("worklist, search a given name ({name})"), &format!("/co-so/lam-sach?tim={name}"), RUNS).await;
    measure(c, b, "worklist, search an ID prefix (0311)", "/co-so/lam-sach?tim=0311", RUNS).await;
    measure(c, b, "record page (candidates from the registry)", &format!("/co-so/lam-sach/ho-so/{record}"), RUNS).await;
    measure(c, b, &format!("the whole list as XLSX ({listed} rows)"), "/co-so/lam-sach/xuat.xlsx", 5).await;
}
