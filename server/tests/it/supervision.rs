//! Reminders at 24 and 36 hours, escalation at the deadline, each exactly once, with paused
//! time excluded, and with two servers racing on one database.

use crate::support::{TestApp, file_birth_date_complaint, form_key, sign_in, spawn_app, staff_sign_in};
use app::supervision::reminders::{self, Sent};
use chrono::Duration;
use server::seed::{DEMO_COUNTRY_SUPERVISOR_EMAIL, DEMO_DISTRICT_SUPERVISOR_EMAIL, DEMO_PROVINCE_SUPERVISOR_EMAIL, DEMO_STATION_EMAIL};

async fn outbox_to(app: &TestApp, recipient: &str, subject_start: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE recipient = $1 AND subject LIKE $2")
        .bind(recipient)
        .bind(format!("{subject_start}%"))
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

fn sent(reminded_24: u64, reminded_36: u64, escalated: u64) -> Sent {
    Sent { reminded_24, reminded_36, escalated }
}

#[tokio::test]
async fn reminders_at_24_and_36_hours_then_escalation_each_once() {
    let app = spawn_app().await;
    // A supervisor of another district must not hear about it.
    let elsewhere: String =
        sqlx::query_scalar("SELECT code FROM admin_units WHERE level = 'district' AND code NOT IN (SELECT unit_code FROM site_areas WHERE site_id = 1) ORDER BY code LIMIT 1")
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    app::staff::service::create_staff(
        &app.state.db,
        "giamsat.khac@example.vn",
        "Người Giám Sát Khác",
        "mat-khau-du-dai-2026",
        app::staff::StaffRole::Supervisor,
        app::staff::service::Placement::Area(Some(elsewhere)),
        0,
    )
    .await
    .unwrap();
    let citizen = sign_in(&app).await;
    let reference = file_birth_date_complaint(&citizen, "20/05/2012").await;

    app.clock.advance(Duration::hours(24) - Duration::seconds(1));
    assert_eq!(reminders::run_once(&app.state).await.unwrap(), sent(0, 0, 0));
    app.clock.advance(Duration::seconds(1));
    assert_eq!(reminders::run_once(&app.state).await.unwrap(), sent(1, 0, 0));
    assert_eq!(reminders::run_once(&app.state).await.unwrap(), sent(0, 0, 0), "once");
    assert_eq!(outbox_to(&app, DEMO_STATION_EMAIL, "Nhắc việc").await, 1);

    app.clock.advance(Duration::hours(12));
    assert_eq!(reminders::run_once(&app.state).await.unwrap(), sent(0, 1, 0));
    assert_eq!(outbox_to(&app, DEMO_STATION_EMAIL, "Nhắc việc").await, 2);

    app.clock.advance(Duration::hours(12));
    assert_eq!(reminders::run_once(&app.state).await.unwrap(), sent(0, 0, 1));
    assert_eq!(reminders::run_once(&app.state).await.unwrap(), sent(0, 0, 0));
    for supervisor in [DEMO_DISTRICT_SUPERVISOR_EMAIL, DEMO_PROVINCE_SUPERVISOR_EMAIL, DEMO_COUNTRY_SUPERVISOR_EMAIL] {
        assert_eq!(outbox_to(&app, supervisor, "Quá hạn").await, 1, "{supervisor}");
    }
    assert_eq!(outbox_to(&app, "giamsat.khac@example.vn", "Quá hạn").await, 0, "not another district's");

    // Escalated shows everywhere: the citizen's timeline and the site's inbox.
    let citizen = sign_in(&app).await;
    assert!(citizen.get(&format!("/phan-anh/{reference}")).await.body.contains("phản ánh được chuyển lên cơ quan giám sát"));
    let staff = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    assert!(staff.get("/co-so").await.body.contains("Quá hạn, đã báo cấp trên"));
}

#[tokio::test]
async fn time_waiting_for_the_citizen_does_not_count() {
    let app = spawn_app().await;
    let citizen = sign_in(&app).await;
    let reference = file_birth_date_complaint(&citizen, "20/05/2012").await;
    app.clock.advance(Duration::hours(10));
    let staff = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    staff.post(&format!("/co-so/phan-anh/{reference}/hoi"), &[("ask_message", "Xin gửi ảnh giấy khai sinh.")]).await;
    // Paused for 30 hours: no reminder although 40 hours have passed since filing.
    app.clock.advance(Duration::hours(30));
    assert_eq!(reminders::run_once(&app.state).await.unwrap(), sent(0, 0, 0));
    let citizen = sign_in(&app).await;
    let key = form_key(&citizen.get(&format!("/phan-anh/{reference}")).await.body);
    let page = citizen.post(&format!("/phan-anh/{reference}/tra-loi"), &[("key", &key), ("answer_message", "Tôi đã gửi ảnh.")]).await;
    assert_eq!(page.status, 303);
    // 10 hours before the pause + 14 after = 24 hours of the site's time.
    app.clock.advance(Duration::hours(14) - Duration::seconds(1));
    assert_eq!(reminders::run_once(&app.state).await.unwrap(), sent(0, 0, 0));
    app.clock.advance(Duration::seconds(1));
    assert_eq!(reminders::run_once(&app.state).await.unwrap(), sent(1, 0, 0));
}

#[tokio::test]
async fn two_servers_on_one_database_send_each_reminder_once() {
    let app = spawn_app().await;
    let citizen = sign_in(&app).await;
    let mut references = Vec::new();
    for day in 10..22 {
        references.push(file_birth_date_complaint(&citizen, &format!("{day}/05/2012")).await);
    }
    let other = crate::support::second_server(&app).await;
    let n = references.len() as u64;
    for (hours, expected) in [(24, sent(n, 0, 0)), (12, sent(0, n, 0)), (12, sent(0, 0, n))] {
        app.clock.advance(Duration::hours(hours));
        let mut runs = Vec::new();
        for _ in 0..4 {
            let (a, b) = (app.state.clone(), other.clone());
            runs.push(tokio::spawn(async move { reminders::run_once(&a).await.unwrap() }));
            runs.push(tokio::spawn(async move { reminders::run_once(&b).await.unwrap() }));
        }
        let mut total = Sent::default();
        for run in runs {
            let s = run.await.unwrap();
            total.reminded_24 += s.reminded_24;
            total.reminded_36 += s.reminded_36;
            total.escalated += s.escalated;
        }
        assert_eq!(total, expected, "each step once per complaint across both servers");
    }
    let n = references.len() as i64;
    assert_eq!(outbox_to(&app, DEMO_STATION_EMAIL, "Nhắc việc").await, 2 * n);
    assert_eq!(outbox_to(&app, DEMO_COUNTRY_SUPERVISOR_EMAIL, "Quá hạn").await, n);
    let events: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM complaint_events WHERE kind = 'escalated'").fetch_one(app.state.db.read()).await.unwrap();
    assert_eq!(events, n);
}

/// A supervisor of a district that is not the demo one: sees nothing of the demo station.
async fn other_district_supervisor(app: &TestApp) -> crate::support::Browser {
    let elsewhere: String = sqlx::query_scalar(
        "SELECT u.code FROM admin_units u WHERE u.level = 'district' AND u.code NOT IN (SELECT unit_code FROM site_areas WHERE site_id IN
           (SELECT site_id FROM staff WHERE email = 'tram.demo@example.vn'))
         AND EXISTS (SELECT 1 FROM site_areas a WHERE a.unit_code = u.code) ORDER BY u.code LIMIT 1",
    )
    .fetch_one(app.state.db.read())
    .await
    .unwrap();
    supervisor_of(app, "giamsat.khac@example.vn", &elsewhere).await
}

/// Creates a supervisor of `area` and signs them in.
async fn supervisor_of(app: &TestApp, email: &str, area: &str) -> crate::support::Browser {
    app::staff::service::create_staff(
        &app.state.db,
        email,
        "Người Giám Sát Khác",
        server::seed::DEMO_STAFF_PASSWORD,
        app::staff::StaffRole::Supervisor,
        app::staff::service::Placement::Area(Some(area.to_string())),
        0,
    )
    .await
    .unwrap();
    staff_sign_in_to(app, email, "/giam-sat").await
}

#[tokio::test]
async fn supervisors_of_2025_units_see_the_sites_of_the_2021_units_merged_into_them() {
    let app = spawn_app().await;
    let citizen = sign_in(&app).await;
    let overdue = file_birth_date_complaint(&citizen, "20/05/2012").await;
    app.clock.advance(Duration::hours(50));
    // The demo station lies on a 2021 commune of a 2021 province; both have 2025 successors.
    let (commune, province): (String, String) = sqlx::query_as(
        "SELECT w.code, d.parent_code FROM staff st JOIN sites s ON s.id = st.site_id
         JOIN admin_units w ON w.code = s.unit_code JOIN admin_units d ON d.code = w.parent_code WHERE st.email = $1",
    )
    .bind(DEMO_STATION_EMAIL)
    .fetch_one(app.state.db.read())
    .await
    .unwrap();
    let successor = |old: String| {
        let db = app.state.db.clone();
        async move {
            sqlx::query_scalar::<_, String>("SELECT new_code FROM unit_successors WHERE old_code = $1")
                .bind(old)
                .fetch_optional(db.read())
                .await
                .unwrap()
        }
    };
    let new_province = successor(province.clone()).await.expect("every 2021 province has a 2025 successor");
    // A 2025 province is broken into the 2021 provinces merged into it; the country into 2025 provinces.
    let parts = app::supervision::audit::sub_areas(&app.state, &Some(new_province.clone())).await.unwrap();
    assert!(parts.iter().any(|(code, _)| code == &province), "{parts:?}");
    assert!(parts.iter().all(|(code, _)| code.starts_with("2021-P-")), "{parts:?}");
    let provinces = app::supervision::audit::sub_areas(&app.state, &None).await.unwrap();
    assert!(provinces.iter().any(|(code, _)| code == &new_province));
    assert!(provinces.iter().all(|(code, _)| code.starts_with("2025-P-")), "{provinces:?}");
    assert!(new_province.starts_with("2025-P-"));
    let supervisor = supervisor_of(&app, "giamsat.2025@example.vn", &new_province).await;
    assert!(supervisor.get("/giam-sat").await.body.contains(&overdue), "the 2025 province sees the 2021 site");
    assert_eq!(supervisor.get(&format!("/giam-sat/phan-anh/{overdue}")).await.status, 200);
    if let Some(new_commune) = successor(commune).await {
        let supervisor = supervisor_of(&app, "giamsat.xa2025@example.vn", &new_commune).await;
        assert!(supervisor.get("/giam-sat").await.body.contains(&overdue), "and so does the 2025 commune that kept its code");
    }
    // Whichever the demo commune: every site on a 2021 commune whose code a 2025 commune kept is
    // listed under that 2025 commune.
    let (with_successor, missing): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM site_areas a WHERE a.site_id = s.id AND a.unit_code = us.new_code) THEN 0 ELSE 1 END), 0)
         FROM sites s JOIN unit_successors us ON us.old_code = s.unit_code",
    )
    .fetch_one(app.state.db.read())
    .await
    .unwrap();
    assert!(with_successor > 0);
    assert_eq!(missing, 0);
    // Another 2025 province does not.
    let other: String = sqlx::query_scalar(
        "SELECT code FROM admin_units WHERE level = 'province' AND code LIKE '2025-%' AND code <> $1 ORDER BY code LIMIT 1",
    )
    .bind(&new_province)
    .fetch_one(app.state.db.read())
    .await
    .unwrap();
    let stranger = supervisor_of(&app, "giamsat.khac2025@example.vn", &other).await;
    assert!(!stranger.get("/giam-sat?muc=dang-mo").await.body.contains(&overdue));
    assert_eq!(stranger.get(&format!("/giam-sat/phan-anh/{overdue}")).await.status, 404);
    // The public numbers of the 2025 province count the complaint.
    let numbers = crate::support::text(&citizen.get(&format!("/so-lieu?khu-vuc={new_province}")).await.body);
    assert!(numbers.contains("Phản ánh nhận được 1") && numbers.contains("Đang quá hạn 1"), "{numbers}");
}

async fn staff_sign_in_to(app: &TestApp, email: &str, home: &str) -> crate::support::Browser {
    let browser = crate::support::Browser::new(app);
    let page = browser.post("/co-so/dang-nhap", &[("email", email), ("password", server::seed::DEMO_STAFF_PASSWORD)]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    if page.location.as_deref() == Some("/co-so/xac-thuc") {
        crate::support::second_step(app, &browser, email).await;
    }
    assert_eq!(browser.get("/co-so").await.location.as_deref(), Some(home));
    browser
}

#[tokio::test]
async fn supervisors_see_overdue_complaints_of_their_area_only_and_export_them() {
    let app = spawn_app().await;
    let citizen = sign_in(&app).await;
    let overdue = file_birth_date_complaint(&citizen, "20/05/2012").await;
    app.clock.advance(Duration::hours(40));
    let citizen = sign_in(&app).await;
    let at_risk = file_birth_date_complaint(&citizen, "21/05/2012").await;
    app.clock.advance(Duration::hours(38));
    // Now: `overdue` is 78 h old (30 h past due), `at_risk` 38 h old (10 h left).

    let district = staff_sign_in_to(&app, DEMO_DISTRICT_SUPERVISOR_EMAIL, "/giam-sat").await;
    let page = district.get("/giam-sat").await.body;
    assert!(page.contains(&overdue) && !page.contains(&at_risk), "overdue only by default");
    let page = district.get("/giam-sat?muc=sap-qua-han").await.body;
    assert!(page.contains(&overdue) && page.contains(&at_risk), "at risk too");
    let page = district.get("/giam-sat?muc=sap-qua-han&tuoi=3-7-ngay").await.body;
    assert!(page.contains(&overdue) && !page.contains(&at_risk), "age filter");
    assert!(page.contains("<svg"), "the chart is drawn on the server");
    let page = district.get("/giam-sat?muc=sap-qua-han&loai=wrong_dose").await.body;
    assert!(!page.contains(&overdue), "kind filter");

    // The province and the country see it too; another district does not, not even by link.
    let province = staff_sign_in_to(&app, DEMO_PROVINCE_SUPERVISOR_EMAIL, "/giam-sat").await;
    assert!(province.get("/giam-sat").await.body.contains(&overdue));
    let country = staff_sign_in_to(&app, DEMO_COUNTRY_SUPERVISOR_EMAIL, "/giam-sat").await;
    assert!(country.get("/giam-sat").await.body.contains(&overdue));
    let other = other_district_supervisor(&app).await;
    assert!(!other.get("/giam-sat?muc=dang-mo").await.body.contains(&overdue));
    assert_eq!(other.get(&format!("/giam-sat/phan-anh/{overdue}")).await.status, 404);
    assert_eq!(other.post(&format!("/giam-sat/phan-anh/{overdue}/ghi-chu"), &[("note", "Ghi chú lạc chỗ.")]).await.status, 404);
    let province_code: String = sqlx::query_scalar("SELECT scope_unit FROM staff WHERE email = $1")
        .bind(DEMO_PROVINCE_SUPERVISOR_EMAIL)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(other.get(&format!("/giam-sat?khu-vuc={province_code}")).await.status, 404, "no widening the scope by URL");
    // Site staff and citizens have no audit.
    let station = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    assert_eq!(station.get("/giam-sat").await.status, 404);
    assert_eq!(citizen.get("/giam-sat").await.location.as_deref(), Some("/co-so/dang-nhap"));

    // Exports carry the current view, Vietnamese intact.
    let (status, content_type, csv) = district.download("/giam-sat/xuat.csv?muc=sap-qua-han&sap-xep=han").await;
    assert_eq!((status, content_type.as_str()), (200, "text/csv; charset=utf-8"));
    let csv = String::from_utf8(csv).unwrap();
    let lines: Vec<&str> = csv.trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[0].starts_with("\u{FEFF}Mã phản ánh,Cơ sở"));
    assert!(lines[1].starts_with(&format!("{overdue},Trạm Y tế")), "earliest deadline first: {}", lines[1]);
    assert!(lines[1].contains(",-30,3-7 ngày,"), "{}", lines[1]);
    assert!(lines[2].starts_with(&at_risk));
    let (status, _, xlsx) = district.download("/giam-sat/xuat.xlsx?muc=sap-qua-han").await;
    assert_eq!(status, 200);
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(xlsx)).unwrap();
    let sheet = book.worksheet_range("Quá hạn").unwrap();
    let rows: Vec<Vec<String>> = sheet.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0][0], "Mã phản ánh");
    assert_eq!(rows[1][0], overdue);
    assert!(rows[1][1].starts_with("Trạm Y tế"));
    assert_eq!(rows[1][6], "-30");
}

#[tokio::test]
async fn a_supervisor_notes_and_reassigns_with_both_recorded() {
    let app = spawn_app().await;
    let citizen = sign_in(&app).await;
    let reference = file_birth_date_complaint(&citizen, "20/05/2012").await;
    let (due_before,): (i64,) =
        sqlx::query_as("SELECT due_at FROM complaints WHERE reference = $1").bind(&reference).fetch_one(app.state.db.read()).await.unwrap();
    let district_site: i64 =
        sqlx::query_scalar("SELECT site_id FROM staff WHERE email = 'ttyt.demo@example.vn'").fetch_one(app.state.db.read()).await.unwrap();
    let supervisor = staff_sign_in_to(&app, DEMO_DISTRICT_SUPERVISOR_EMAIL, "/giam-sat").await;
    let page = supervisor.get(&format!("/giam-sat/phan-anh/{reference}")).await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("/tep/"), "evidence stays with the citizen and the site");
    assert_eq!(
        supervisor.post(&format!("/giam-sat/phan-anh/{reference}/ghi-chu"), &[("note", "Đề nghị trạm xử lý trong ngày.")]).await.status,
        303
    );
    let page = supervisor
        .post(
            &format!("/giam-sat/phan-anh/{reference}/chuyen"),
            &[("reassign_site", &district_site.to_string()), ("reassign_reason", "Trạm đang thiếu người, chuyển trung tâm y tế.")],
        )
        .await;
    assert_eq!(page.status, 303);
    let rows: Vec<(String, String, Option<i64>)> =
        sqlx::query_as("SELECT e.actor, e.kind, e.staff_id FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id WHERE c.reference = $1 ORDER BY e.id")
            .bind(&reference)
            .fetch_all(app.state.db.read())
            .await
            .unwrap();
    let supervisor_id: i64 = sqlx::query_scalar("SELECT id FROM staff WHERE email = $1")
        .bind(DEMO_DISTRICT_SUPERVISOR_EMAIL)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(rows[1], ("supervisor".to_string(), "supervisor_note".to_string(), Some(supervisor_id)));
    assert_eq!(rows[2], ("supervisor".to_string(), "reassigned".to_string(), Some(supervisor_id)));
    let (site, due): (i64, i64) = sqlx::query_as("SELECT site_id, due_at FROM complaints WHERE reference = $1")
        .bind(&reference)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!((site, due), (district_site, due_before), "moved, deadline unchanged");
    assert!(citizen.get(&format!("/phan-anh/{reference}")).await.body.contains("Đề nghị trạm xử lý trong ngày."));
}
