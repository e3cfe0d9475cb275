//! Benchmark (not a test): vaccine certificates. Every ready record signed and stored, as the
//! daily job does (`server sign-certificates --all` runs the same code), then the citizen's
//! record page with its certificate (QR drawn on the server) and the public check, timed as
//! people get them: HTTP requests to the running server, body read in full.
//!
//!     BENCH_DATABASE_URL=sqlite:/tmp/bench.sqlite3 cargo bench -p server --bench certificates

mod support;

use std::time::Instant;

const RUNS: usize = 50;

#[tokio::main]
async fn main() {
    let Some(app) = support::open(".ci/bench-certificates").await else {
        return;
    };
    let state = app.state().clone();
    let db = &state.db;
    let sites: Vec<i64> = sqlx::query_scalar("SELECT DISTINCT site_id FROM doses WHERE removed_at IS NULL ORDER BY site_id")
        .fetch_all(db.read())
        .await
        .unwrap();
    let now = chrono::Utc::now().timestamp();
    let started = Instant::now();
    let mut signed = 0;
    for site in &sites {
        signed += app::certificates::service::sign_site(db, &state.signer, *site, app::certificates::service::Approval::Command, now)
            .await
            .expect("sign")
            .count;
    }
    let took = started.elapsed();
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM certificates").fetch_one(db.read()).await.unwrap();
    assert_eq!(stored as usize, signed);
    println!("| step | certificates | seconds | per second | per 100,000 |\n| --- | --- | --- | --- | --- |");
    println!(
        "| **every ready record signed and stored** ({} sites, {} per transaction) | {signed} | {:.1} | {:.0} | **{:.1} s** |",
        sites.len(),
        2_000,
        took.as_secs_f64(),
        signed as f64 / took.as_secs_f64(),
        took.as_secs_f64() * 100_000.0 / signed as f64
    );

    // A household with a certificate, signed in as a citizen is after the code.
    let (person, hc1): (i64, String) =
        sqlx::query_as("SELECT person_id, hc1 FROM certificates ORDER BY id LIMIT 1").fetch_one(db.read()).await.unwrap();
    let jar = app::platform::session::start(&state, axum_extra::extract::CookieJar::new(), person).await.unwrap();
    let cookie = jar.iter().map(|c| format!("{}={}", c.name(), c.value())).collect::<Vec<_>>().join("; ");
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run());
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    println!("\n| request | body | median ms | p95 ms | max ms |\n| --- | --- | --- | --- | --- |");
    support::time_get(&client, (&base, "/ho-so"), &cookie, RUNS, "**record page with the certificate (QR as SVG, HC1 text)**").await;
    let encoded: String =
        hc1.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect();
    // The public check is limited to 30 a minute per client: 3 + 25 requests stay within it.
    let check = format!("/kiem-tra?hc1={encoded}");
    support::time_get(&client, (&base, &check), "", 25, "public check of that certificate (`/kiem-tra?hc1=`), 25 runs").await;
    support::time_get(&client, (&base, "/api/dcc/trust-list"), "", RUNS, "trust list").await;
}
