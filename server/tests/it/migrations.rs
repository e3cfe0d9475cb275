//! Upgrading a database that already holds complaints keeps every row and every link. The
//! workflow migration rebuilds the complaint tables on SQLite (a CHECK constraint cannot be
//! altered there), so this runs the schema as it was before it, writes data, then upgrades.

use app::platform::{Backend, Db};
use server::startup::migrator;

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.read()).await.unwrap()
}

#[tokio::test]
async fn the_workflow_migration_keeps_complaints_events_and_audit_rows() {
    let (url, _dir) = crate::support::fresh_database().await;
    let db = Db::connect(&url).await.unwrap();
    let mut before = migrator(db.backend);
    before.migrations = before.migrations.iter().filter(|m| m.version <= 5).cloned().collect::<Vec<_>>().into();
    before.run(db.write()).await.unwrap();
    server::reference_data::load_units_if_empty(&db).await.unwrap();

    let unit: String = sqlx::query_scalar("SELECT code FROM admin_units WHERE level = 'commune' ORDER BY code LIMIT 1")
        .fetch_one(db.read())
        .await
        .unwrap();
    for sql in [
        "INSERT INTO sites (id, code, name, site_type, unit_code) VALUES (1, 'TYT-1', 'Trạm Y tế thử', 'commune_station', $1)",
        "INSERT INTO people (id, full_name, birth_date, gender, residence_unit) VALUES (1, 'Nguyễn Văn A', '1990-01-01', 'M', $1)",
    ] {
        sqlx::query(sql).bind(&unit).execute(db.write()).await.unwrap();
    }
    for sql in [
        "INSERT INTO doses (id, person_id, dose_kind, given_on, product_code, lot, site_id) VALUES (1, 1, '1', '2021-08-01', 'AZ', 'A1', 1)",
        "INSERT INTO staff (id, email, full_name, password_hash, role, site_id, created_at) VALUES (1, 'a@b.vn', 'Cán bộ', 'x', 'site_staff', 1, 0)",
        "INSERT INTO complaints (id, reference, person_id, filed_by, kind, site_id, status, description, filed_at, due_at, idempotency_key)
         VALUES (1, 'PA-AAAA-AAAA', 1, 1, 'personal_data', 1, 'resolved', '', 100, 172900, 'k1')",
        "INSERT INTO complaints (id, reference, person_id, filed_by, kind, dose_id, site_id, status, description, filed_at, due_at, idempotency_key)
         VALUES (2, 'PA-BBBB-BBBB', 1, 1, 'wrong_dose', 1, 1, 'open', 'Sai số lô.', 200, 173000, 'k2')",
        "INSERT INTO complaint_changes (complaint_id, field, recorded, requested) VALUES (1, 'birth_date', '01/01/1990', '02/01/1990')",
        "INSERT INTO complaint_events (complaint_id, at, actor, kind, site_id) VALUES (1, 100, 'citizen', 'filed', 1)",
        "INSERT INTO complaint_events (complaint_id, at, actor, kind, site_id, message) VALUES (1, 150, 'site', 'corrected', 1, 'Đã sửa.')",
        "INSERT INTO record_audit (person_id, complaint_id, staff_id, at, field, before_value, after_value) VALUES (1, 1, 1, 150, 'birth_date', '01/01/1990', '02/01/1990')",
    ] {
        sqlx::query(sql).execute(db.write()).await.unwrap();
    }

    migrator(db.backend).run(db.write()).await.unwrap();

    assert_eq!(count(&db, "SELECT COUNT(*) FROM complaints").await, 2);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM complaint_changes WHERE complaint_id = 1").await, 1);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM complaint_events WHERE complaint_id = 1").await, 2);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM record_audit WHERE complaint_id = 1").await, 1);
    assert_eq!(count(&db, "SELECT closed_at FROM complaints WHERE id = 1").await, 100, "closed complaints get a closing time");
    assert_eq!(count(&db, "SELECT COUNT(*) FROM complaints WHERE id = 2 AND closed_at IS NULL AND paused_at IS NULL").await, 1);
    // Records already there get their data-quality group and are counted (migration 0010).
    assert_eq!(count(&db, "SELECT COUNT(*) FROM people WHERE quality = 'no_id'").await, 1);
    assert_eq!(count(&db, "SELECT CAST(SUM(people) AS BIGINT) FROM quality_counts WHERE quality = 'no_id'").await, 1);
    // The new kinds and columns work, and the links still hold.
    sqlx::query(
        "INSERT INTO complaints (id, reference, person_id, filed_by, kind, site_id, status, description, filed_at, due_at, idempotency_key)
         VALUES (3, 'PA-CCCC-CCCC', 1, 1, 'missing_dose', 1, 'open', '', 300, 173100, 'k3')",
    )
    .execute(db.write())
    .await
    .unwrap();
    let orphan = sqlx::query("INSERT INTO complaint_events (complaint_id, at, actor, kind) VALUES (999, 1, 'system', 'x')")
        .execute(db.write())
        .await;
    assert!(orphan.is_err(), "complaint_events still references complaints");
    if db.backend == Backend::Sqlite {
        let problems: Vec<(String,)> = sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check").fetch_all(db.read()).await.unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        let sql: String =
            sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE name = 'record_audit'").fetch_one(db.read()).await.unwrap();
        assert!(sql.contains("REFERENCES complaints (id)") || sql.contains("REFERENCES \"complaints\""), "{sql}");
    }
}
