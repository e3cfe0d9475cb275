//! The numbers on a small hand-built data set whose answers are known.

use crate::support::{TestApp, spawn_app, text};

const H: i64 = 3600;
const D: i64 = 86_400;

/// (total, matches, no ID, malformed, not in the registry, differs) of the people living in
/// `area`, once the engine has graded what the database marked pending (as housekeeping does).
async fn groups(app: &TestApp, area: String) -> (i64, i64, i64, i64, i64, i64) {
    app::verification::service::verify_pending(&app.state.db, app.clock.now_for_tests()).await.unwrap();
    let q = app::supervision::numbers::quality(&app.state, Some(&area)).await.unwrap();
    (q.total, q.matches, q.no_id, q.malformed, q.not_in_registry, q.differs)
}

async fn exec(app: &TestApp, sql: &str) {
    sqlx::query(sql).execute(app.state.db.write()).await.unwrap();
}

#[tokio::test]
async fn complaint_numbers_for_a_site_its_area_and_the_country() {
    let app = spawn_app().await;
    let now = app.clock.now_for_tests();
    let site: i64 =
        sqlx::query_scalar("SELECT site_id FROM staff WHERE email = 'tram.demo@example.vn'").fetch_one(app.state.db.read()).await.unwrap();
    // (filed, first response, closed, status, reopened): see the expected numbers below.
    let rows = [
        (now - 10 * D, Some(2 * H), Some(20 * H), "resolved", 0),
        (now - 9 * D, Some(30 * H), Some(60 * H), "confirmed", 1),
        (now - 5 * D, None, None, "open", 0),
        (now - 40 * D, Some(H), Some(24 * H), "resolved", 0),
        (now - D, Some(4 * H), None, "open", 0),
    ];
    for (i, (filed, first, closed, status, reopened)) in rows.iter().enumerate() {
        let opt = |v: Option<i64>| v.map(|d| (filed + d).to_string()).unwrap_or_else(|| "NULL".into());
        exec(
            &app,
            &format!(
                "INSERT INTO complaints (reference, person_id, filed_by, kind, site_id, status, description, filed_at, due_at,
                    first_response_at, closed_at, reopen_count, idempotency_key)
                 VALUES ('PA-TEST-000{i}', 1, 1, 'personal_data', {site}, '{status}', '', {filed}, {}, {}, {}, {reopened}, 'key-{i}')",
                filed + 48 * H,
                opt(*first),
                opt(*closed)
            ),
        )
        .await;
    }
    // Expected over the last 30 days: received 4 (not the one 40 days old); resolved 2, one on
    // time (50 %); first responses 2, 30 and 4 hours: median 4; resolutions 20 and 60 hours:
    // median 40; one of the two resolved was reopened (50 %); one open past its deadline.
    let district: String =
        sqlx::query_scalar("SELECT u.parent_code FROM sites s JOIN admin_units u ON u.code = s.unit_code WHERE s.id = $1")
            .bind(site)
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    let site_name: String =
        sqlx::query_scalar("SELECT name FROM sites WHERE id = $1").bind(site).fetch_one(app.state.db.read()).await.unwrap();
    let browser = crate::support::Browser::new(&app);
    for path in [format!("/so-lieu/co-so/{site}"), format!("/so-lieu?khu-vuc={district}"), "/so-lieu".to_string()] {
        let page = browser.get(&path).await;
        assert_eq!(page.status, 200, "{path}");
        let t = text(&page.body);
        for expected in [
            "Phản ánh nhận được 4",
            "Đã giải quyết (sửa hoặc trả lời từ chối) 2",
            "Giải quyết đúng hạn 48 giờ 1 (50.0 %)",
            "Thời gian phản hồi đầu tiên (trung vị) 4.0 giờ",
            "Thời gian giải quyết (trung vị) 40.0 giờ",
            "Tỷ lệ bị mở lại 50.0 %",
            "Đang quá hạn 1",
        ] {
            assert!(t.contains(expected), "{path}: {expected:?} in {t}");
        }
        assert!(page.body.contains("<svg"), "{path}: a chart");
        if path.contains("khu-vuc") {
            // The district lists its sites; the station's line carries the same numbers.
            assert!(t.contains(&format!("{site_name} 4 2 50.0 % 1")), "{path}: the station's line in {t}");
        }
        assert!(!t.contains("Nguyễn Thị Lan"), "no personal data");
    }
    // A period that holds only the old complaint.
    let from = chrono::DateTime::from_timestamp(now - 41 * D, 0).unwrap().format("%Y-%m-%d").to_string();
    let to = chrono::DateTime::from_timestamp(now - 35 * D, 0).unwrap().format("%Y-%m-%d").to_string();
    let t = text(&browser.get(&format!("/so-lieu/co-so/{site}?tu={from}&den={to}")).await.body);
    assert!(t.contains("Phản ánh nhận được 1") && t.contains("Giải quyết đúng hạn 48 giờ 1 (100.0 %)"), "{t}");
    // Bad dates are refused with a message, and the default period is shown.
    let page = browser.get(&format!("/so-lieu/co-so/{site}?tu=2026-13-40")).await;
    assert_eq!(page.status, 422);
    assert!(text(&page.body).contains("Nhập ngày dạng ngày/tháng/năm"));
    assert_eq!(browser.get("/so-lieu/co-so/999999").await.status, 404);
}

#[tokio::test]
async fn data_quality_counts_each_cleaning_group() {
    let app = spawn_app().await;
    // A commune nobody generated lives in, with four hand-made records.
    let commune: String =
        sqlx::query_scalar("SELECT code FROM admin_units WHERE level = 'commune' AND code LIKE '2021-%' AND code NOT IN (SELECT residence_unit FROM people) ORDER BY code LIMIT 1")
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    for sql in [
        "INSERT INTO registry_people (national_id, full_name, birth_date, gender) VALUES ('001090000001', 'Lê Văn Khớp', '1990-01-01', 'M')",
        "INSERT INTO registry_people (national_id, full_name, birth_date, gender) VALUES ('001190000002', 'Lê Thị Lệch', '1990-02-02', 'F')",
    ] {
        exec(&app, sql).await;
    }
    for (id, nid, name, birth, gender) in [
        (900_001, "'001090000001'", "Lê Văn Khớp", "1990-01-01", "M"),
        (900_002, "'001190000002'", "Lê Thị Lệch", "1990-02-20", "F"),
        (900_003, "NULL", "Lê Văn Không Số", "1980", "M"),
        (900_004, "'0011900'", "Lê Văn Sai Số", "1985-05-05", "M"),
    ] {
        exec(
            &app,
            &format!("INSERT INTO people (id, national_id, full_name, birth_date, gender, residence_unit) VALUES ({id}, {nid}, '{name}', '{birth}', '{gender}', '{commune}')"),
        )
        .await;
    }
    // Written outside the portal's writers: pending until the engine grades them.
    app::verification::service::verify_pending(&app.state.db, app.clock.now_for_tests()).await.unwrap();
    let t = text(&crate::support::Browser::new(&app).get(&format!("/so-lieu?khu-vuc={commune}")).await.body);
    assert!(t.contains("4 hồ sơ · 25.0 % khớp Cơ sở dữ liệu quốc gia về dân cư"), "{t}");
    let quality = app::supervision::numbers::quality(&app.state, Some(&commune)).await.unwrap();
    assert_eq!(
        (quality.total, quality.matches, quality.no_id, quality.malformed, quality.not_in_registry, quality.differs),
        (4, 1, 1, 1, 0, 1)
    );

    // The counts follow every change, whoever makes it: a corrected birth date, an ID number
    // given to someone without one, a registry entry appearing, a record moving and one removed.
    exec(&app, "UPDATE people SET birth_date = '1990-02-02' WHERE id = 900002").await;
    assert_eq!(groups(&app, commune.clone()).await, (4, 2, 1, 1, 0, 0));
    exec(&app, "UPDATE people SET national_id = '001080000003' WHERE id = 900003").await;
    assert_eq!(groups(&app, commune.clone()).await, (4, 2, 0, 1, 1, 0));
    exec(
        &app,
        "INSERT INTO registry_people (national_id, full_name, birth_date, gender) VALUES ('001080000003', 'Lê Văn Có Số', '1980', 'M')",
    )
    .await;
    assert_eq!(groups(&app, commune.clone()).await, (4, 2, 0, 1, 0, 1));
    exec(&app, "UPDATE registry_people SET full_name = 'Lê Văn Không Số' WHERE national_id = '001080000003'").await;
    assert_eq!(groups(&app, commune.clone()).await, (4, 3, 0, 1, 0, 0));
    exec(&app, "DELETE FROM registry_people WHERE national_id = '001080000003'").await;
    assert_eq!(groups(&app, commune.clone()).await, (4, 2, 0, 1, 1, 0));
    let elsewhere: String = sqlx::query_scalar(
        "SELECT code FROM admin_units WHERE level = 'commune' AND code LIKE '2021-%' AND code > $1 ORDER BY code LIMIT 1",
    )
    .bind(&commune)
    .fetch_one(app.state.db.read())
    .await
    .unwrap();
    let before_elsewhere = groups(&app, elsewhere.clone()).await;
    exec(&app, &format!("UPDATE people SET residence_unit = '{elsewhere}' WHERE id = 900004")).await;
    assert_eq!(groups(&app, commune.clone()).await, (3, 2, 0, 0, 1, 0));
    let after_elsewhere = groups(&app, elsewhere.clone()).await;
    assert_eq!((after_elsewhere.0 - before_elsewhere.0, after_elsewhere.3 - before_elsewhere.3), (1, 1));
    exec(&app, "DELETE FROM people WHERE id = 900001").await;
    assert_eq!(groups(&app, commune.clone()).await, (2, 1, 0, 0, 1, 0));

    // And over the whole country the kept counts equal a count from scratch: every record
    // graded again by the engine, ignoring what is stored, and tallied here. The record page
    // reads the same stored verdict (`records::service`), so all readers agree.
    let country = app::supervision::numbers::quality(&app.state, None).await.unwrap();
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM people").fetch_all(app.state.db.read()).await.unwrap();
    let mut recount = std::collections::HashMap::new();
    for id in ids {
        let fresh = app::verification::service::grade_now(&app.state.db, id).await.unwrap();
        let stored = app::verification::service::verdict_of(&app.state.db, id).await.unwrap();
        assert_eq!(stored, fresh, "person {id}: the stored verdict is the engine's");
        *recount.entry(fresh.status).or_insert(0i64) += 1;
    }
    let n = |s: app::verification::Status| recount.get(&s).copied().unwrap_or(0);
    use app::verification::Status::*;
    assert_eq!(
        (
            country.total,
            country.matches,
            country.no_id,
            country.malformed,
            country.id_contradicts,
            country.not_in_registry,
            country.differs
        ),
        (recount.values().sum(), n(Verified), n(NoId), n(MalformedId), n(IdContradictsRecord), n(NotInRegistry), n(DataDiffers))
    );
    assert!(country.total > 100 && country.differs > 0 && country.no_id > 0, "the seeded people are counted: {recount:?}");
}

#[tokio::test]
async fn the_public_numbers_are_rate_limited_per_client() {
    let app = spawn_app().await;
    let browser = crate::support::Browser::new(&app);
    let mut statuses = Vec::new();
    for _ in 0..40 {
        statuses.push(browser.get("/so-lieu").await.status);
    }
    assert!(statuses[..30].iter().all(|s| *s == 200), "{statuses:?}");
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
    // A minute later the reader gets their page again.
    app.clock.advance(chrono::Duration::minutes(1));
    assert_eq!(browser.get("/so-lieu").await.status, 200);
}
