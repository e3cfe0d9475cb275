//! Reminders at 24 and 36 hours, escalation at the deadline, each exactly once, with paused
//! time excluded, and with two servers racing on one database.

mod support;

use app::supervision::reminders::{self, Sent};
use chrono::Duration;
use server::seed::{DEMO_COUNTRY_SUPERVISOR_EMAIL, DEMO_DISTRICT_SUPERVISOR_EMAIL, DEMO_PROVINCE_SUPERVISOR_EMAIL, DEMO_STATION_EMAIL};
use support::{TestApp, file_birth_date_complaint, form_key, sign_in, spawn_app, staff_sign_in};

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
    let elsewhere: String = sqlx::query_scalar(
        "SELECT code FROM admin_units WHERE level = 'district' AND code NOT IN (SELECT unit_code FROM site_areas WHERE site_id = 1) ORDER BY code LIMIT 1",
    )
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
    let other = support::second_server(&app).await;
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
    let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM complaint_events WHERE kind = 'escalated'").fetch_one(app.state.db.read()).await.unwrap();
    assert_eq!(events, n);
}
