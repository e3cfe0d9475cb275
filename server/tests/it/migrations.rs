//! Upgrading a database that already holds complaints keeps every row and every link. The
//! workflow migration rebuilds the complaint tables on SQLite (a CHECK constraint cannot be
//! altered there), so this runs the schema as it was before it, writes data, then upgrades.

use app::platform::{Backend, Db};
use server::startup::migrator;

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.read()).await.unwrap()
}

/// A fresh database migrated up to `version` only, with its units, one site and one person:
/// the state a portal of that version left behind.
async fn database_at(version: i64) -> (Db, Option<crate::support::TempDir>) {
    let (url, dir) = crate::support::fresh_database().await;
    let db = Db::connect(&url).await.unwrap();
    let mut before = migrator(db.backend);
    before.migrations = before.migrations.iter().filter(|m| m.version <= version).cloned().collect::<Vec<_>>().into();
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
    (db, dir)
}

#[tokio::test]
async fn the_workflow_migration_keeps_complaints_events_and_audit_rows() {
    let (db, _dir) = database_at(5).await;
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
    // Records already there get their verification status, from the engine, and are counted
    // (migrations 0010 and 0014; the server grades pending records at start).
    assert_eq!(count(&db, "SELECT COUNT(*) FROM people WHERE verified_at IS NULL").await, 1, "pending after the upgrade");
    app::verification::service::verify_pending(&db, 1_000).await.unwrap();
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

/// Requested changes and audit rows written as display text before migration 0013 come out
/// as stored codes, and the pages read them back as they read new rows.
#[tokio::test]
async fn the_stored_codes_migration_turns_display_text_into_codes() {
    let (db, _dir) = database_at(12).await;
    let product: String = sqlx::query_scalar("SELECT name FROM vaccine_products WHERE code = 'AZ'").fetch_one(db.read()).await.unwrap();
    for sql in [
        "INSERT INTO doses (id, person_id, dose_kind, given_on, product_code, lot, site_id) VALUES (1, 1, '2', '2021-08-12', 'AZ', 'AB123', 1)",
        "INSERT INTO staff (id, email, full_name, password_hash, role, site_id, created_at) VALUES (1, 'a@b.vn', 'Cán bộ', 'x', 'site_staff', 1, 0)",
        "INSERT INTO complaints (id, reference, person_id, filed_by, kind, site_id, status, description, filed_at, due_at, idempotency_key)
         VALUES (1, 'PA-AAAA-AAAA', 1, 1, 'personal_data', 1, 'resolved', '', 100, 172900, 'k1')",
        "INSERT INTO complaint_changes (complaint_id, field, recorded, requested) VALUES (1, 'birth_date', '01/01/1990', '02/01/1990')",
        "INSERT INTO complaint_changes (complaint_id, field, recorded, requested) VALUES (1, 'gender', 'Nam', 'Nữ')",
        "INSERT INTO complaint_changes (complaint_id, field, recorded, requested) VALUES (1, 'dose_kind', 'Mũi 1', 'Mũi nhắc lại lần 1')",
        "INSERT INTO complaint_changes (complaint_id, field, recorded, requested) VALUES (1, 'full_name', 'Nguyễn Văn A', 'Nguyễn Văn Á')",
        "INSERT INTO record_audit (person_id, complaint_id, staff_id, at, field, before_value, after_value) VALUES (1, 1, 1, 150, 'birth_date', '01/01/1990', '1990')",
        "INSERT INTO record_audit (person_id, complaint_id, staff_id, at, field, dose_id, before_value, after_value) VALUES (1, 1, 1, 151, 'dose.given_on', 1, '11/08/2021', '12/08/2021')",
        "INSERT INTO record_audit (person_id, complaint_id, staff_id, at, field, dose_id, before_value, after_value) VALUES (1, 1, 1, 152, 'dose_removed', 1, 'Mũi 2 · 12/08/2021 · x · lô AB123 · Trạm Y tế thử', NULL)",
    ] {
        sqlx::query(sql).execute(db.write()).await.unwrap();
    }
    sqlx::query("INSERT INTO complaint_changes (complaint_id, field, recorded, requested) VALUES (1, 'product_code', $1, 'PFZ')")
        .bind(&product)
        .execute(db.write())
        .await
        .unwrap();

    migrator(db.backend).run(db.write()).await.unwrap();

    let changes: Vec<(String, Option<String>, String)> =
        sqlx::query_as("SELECT field, recorded, requested FROM complaint_changes ORDER BY field").fetch_all(db.read()).await.unwrap();
    let expected = [
        ("birth_date", Some("1990-01-01"), "1990-01-02"),
        ("dose_kind", Some("1"), "n1"),
        ("full_name", Some("Nguyễn Văn A"), "Nguyễn Văn Á"),
        ("gender", Some("M"), "F"),
        ("product_code", Some("AZ"), "PFZ"),
    ];
    let got: Vec<(&str, Option<&str>, &str)> = changes.iter().map(|(f, r, q)| (f.as_str(), r.as_deref(), q.as_str())).collect();
    assert_eq!(got, expected);
    let audit: Vec<(String, Option<String>, Option<String>)> =
        sqlx::query_as("SELECT field, before_value, after_value FROM record_audit ORDER BY at").fetch_all(db.read()).await.unwrap();
    assert_eq!(audit[0], ("birth_date".into(), Some("1990-01-01".into()), Some("1990".into())));
    assert_eq!(audit[1], ("dose.given_on".into(), Some("2021-08-11".into()), Some("2021-08-12".into())));
    let removed: app::complaints::DoseSnapshot = serde_json::from_str(audit[2].1.as_deref().unwrap()).unwrap();
    assert_eq!(
        removed,
        app::complaints::DoseSnapshot {
            dose_kind: "2".into(),
            given_on: "2021-08-12".into(),
            product_code: "AZ".into(),
            lot: "AB123".into(),
            site_id: 1
        }
    );
}

/// Tables with their columns (name, nullable), views and named indexes, as the database
/// reports them, the migration bookkeeping aside.
#[derive(Debug, PartialEq, Eq)]
struct Schema {
    columns: std::collections::BTreeSet<(String, String, bool)>,
    views: std::collections::BTreeSet<String>,
    indexes: std::collections::BTreeSet<String>,
}

async fn sqlite_schema(db: &Db) -> Schema {
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'",
    )
    .fetch_all(db.read())
    .await
    .unwrap();
    let mut schema = Schema { columns: Default::default(), views: Default::default(), indexes: Default::default() };
    for (table, kind) in tables {
        if kind == "view" {
            schema.views.insert(table);
            continue;
        }
        let columns: Vec<(String, i64, i64)> =
            sqlx::query_as(&format!("SELECT name, \"notnull\", pk FROM pragma_table_info('{table}')")).fetch_all(db.read()).await.unwrap();
        for (column, not_null, pk) in columns {
            schema.columns.insert((table.clone(), column, not_null == 0 && pk == 0));
        }
    }
    let indexes: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex_%'")
            .fetch_all(db.read())
            .await
            .unwrap();
    schema.indexes.extend(indexes);
    schema
}

async fn postgres_schema(db: &Db) -> Schema {
    let columns: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT c.table_name::text, c.column_name::text, c.is_nullable::text FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
         WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.table_name <> '_sqlx_migrations'",
    )
    .fetch_all(db.read())
    .await
    .unwrap();
    let views: Vec<String> = sqlx::query_scalar("SELECT table_name::text FROM information_schema.views WHERE table_schema = 'public'")
        .fetch_all(db.read())
        .await
        .unwrap();
    // Indexes made for PRIMARY KEY and UNIQUE constraints are SQLite's autoindexes: left out.
    let indexes: Vec<String> = sqlx::query_scalar(
        "SELECT indexname::text FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT IN (SELECT conname FROM pg_constraint)",
    )
    .fetch_all(db.read())
    .await
    .unwrap();
    Schema {
        columns: columns.into_iter().map(|(t, c, nullable)| (t, c, nullable == "YES")).collect(),
        views: views.into_iter().collect(),
        indexes: indexes.into_iter().collect(),
    }
}

/// The two migration trees hold one schema: the same tables, columns, nullability, views and
/// indexes. Needs both databases, so the PostgreSQL pass of `make test` runs it.
#[tokio::test]
#[ignore = "needs PostgreSQL: `make test-postgres` runs it with --include-ignored"]
async fn sqlite_and_postgresql_migrations_make_the_same_schema() {
    let admin = std::env::var("TEST_POSTGRES_URL").expect("TEST_POSTGRES_URL: run through `make test-postgres`");
    let dir = std::env::temp_dir().join(format!("schema-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sqlite = Db::connect(&format!("sqlite:{}", dir.join("schema.sqlite3").display())).await.unwrap();
    migrator(Backend::Sqlite).run(sqlite.write()).await.unwrap();
    let name = format!("schema_{}", std::process::id());
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.unwrap();
    let postgres = Db::connect(&format!("{}/{name}", admin.rsplit_once('/').unwrap().0)).await.unwrap();
    migrator(Backend::Postgres).run(postgres.write()).await.unwrap();

    let (lite, pg) = (sqlite_schema(&sqlite).await, postgres_schema(&postgres).await);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(lite.columns.len() > 50, "the schema was read: {lite:?}");
    let only = |a: &std::collections::BTreeSet<(String, String, bool)>, b: &std::collections::BTreeSet<(String, String, bool)>| {
        a.difference(b).cloned().collect::<Vec<_>>()
    };
    assert!(
        lite.columns == pg.columns,
        "only SQLite: {:?}\nonly PostgreSQL: {:?}",
        only(&lite.columns, &pg.columns),
        only(&pg.columns, &lite.columns)
    );
    assert_eq!(lite.views, pg.views);
    assert_eq!(lite.indexes, pg.indexes);
}
