//! `server load-registry`: an extract of the population registry loaded by upsert, the records
//! whose entry changed graded again, the same file twice changing nothing, a malformed file
//! refused with its line number and nothing changed.

use crate::support::{TempDir, fresh_database, spawn_app};

/// A seeded database with no server running on it: no housekeeping grades records meanwhile,
/// so what the test counts is what the call under test did.
async fn idle_app() -> (server::Application, Option<TempDir>) {
    let (url, dir) = fresh_database().await;
    let settings = server::Settings::from_lookup(|k| match k {
        "DATABASE_URL" => Some(url.clone()),
        // Any free port: tests run side by side.
        "LISTEN_ADDR" => Some("127.0.0.1:0".into()),
        _ => None,
    })
    .unwrap();
    let built = server::Application::build(&settings).await.expect("build");
    server::seed::generate(&built.state().db, 200, 1).await.expect("seed");
    (built, dir)
}

const HEADER: &str = "id,national_id,full_name,birth_date,gender,commune,phone\n";

#[tokio::test]
async fn an_extract_is_loaded_once_and_the_records_it_changes_are_graded_again() {
    let (app, _dir) = idle_app().await;
    let db = &app.state().db;
    let now = 1_800_000_000;
    // Khôi's record says 02/05/2012; the registry learns the same (the extract is newer), and a
    // new person appears; one line is blank.
    let extract =
        format!("{HEADER}1,031212004821,Trần Minh Khôi,2012-05-02,M,2021-W-00001,\n\n2,001090000777,Lê Văn Mới,1990,M,,0912000777\n");
    let report = server::registry_load::load(db, extract.as_bytes(), now, |_| {}).await.unwrap();
    assert_eq!((report.lines, report.changed, report.unchanged), (2, 2, 0));
    assert_eq!(report.regraded, 1, "Khôi's record, whose registry entry changed: {report:?}");
    let status: String = sqlx::query_scalar("SELECT quality FROM people WHERE id = 2").fetch_one(db.read()).await.unwrap();
    assert_eq!(status, "verified", "the record was graded again against the new entry");
    let phone: Option<String> =
        sqlx::query_scalar("SELECT phone FROM registry_people WHERE national_id = '001090000777'").fetch_one(db.read()).await.unwrap();
    assert_eq!(phone.as_deref(), Some("0912000777"));

    let again = server::registry_load::load(db, extract.as_bytes(), now, |_| {}).await.unwrap();
    assert_eq!((again.lines, again.changed, again.unchanged, again.regraded), (2, 0, 2, 0), "the same file twice changes nothing");
}

#[tokio::test]
async fn a_malformed_extract_is_refused_with_its_line_and_nothing_changes() {
    let app = spawn_app().await;
    let count =
        || async { sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM registry_people").fetch_one(app.state.db.read()).await.unwrap() };
    let before = count().await;
    let dir = std::env::temp_dir().join(format!("registry-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("extract.csv");
    std::fs::write(&file, format!("{HEADER}1,001090000778,Lê Văn Một,1990,M,,\n2,001090000779,Lê Văn Hai,31/02/1990,M,,\n")).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["load-registry", "--file", file.to_str().unwrap()])
        .env("DATABASE_URL", &app.database_url)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("line 3") && said.contains("birth_date"), "{said}");
    assert_eq!(count().await, before, "the good line before it was not kept either");
    let missing = server::registry_load::load(&app.state.db, "id,full_name\n1,x\n".as_bytes(), 0, |_| {}).await.unwrap_err();
    assert!(missing.contains("line 1") && missing.contains("national_id"), "{missing}");
}

#[tokio::test]
async fn every_pending_record_is_graded_once_batch_after_batch() {
    let (app, _dir) = idle_app().await;
    let db = &app.state().db;
    let count = |sql: &'static str| async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(db.read()).await.unwrap() };
    sqlx::query("UPDATE people SET verified_at = NULL").execute(db.write()).await.unwrap();
    let pending = count("SELECT COUNT(*) FROM people WHERE verified_at IS NULL AND merged_into IS NULL").await;
    assert!(pending > 150, "{pending}");
    let graded = app::verification::service::verify_pending_by(db, 1_000, 7).await.unwrap();
    assert_eq!(graded as i64, pending, "each pending record once, over {} batches", pending / 7 + 1);
    assert_eq!(count("SELECT COUNT(*) FROM people WHERE verified_at IS NULL AND merged_into IS NULL").await, 0);
}
