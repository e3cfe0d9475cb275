//! Security events reach the log as structured events (`target: "security"`), with who, what
//! and from where, and no ID number, phone or email in clear. Its own test binary: it installs
//! the process's log subscriber.

use crate::support::{Browser, DEMO_ID, file_birth_date_complaint, sign_in, spawn_app, staff_sign_in};
use server::seed::{DEMO_COUNTRY_SUPERVISOR_EMAIL, DEMO_STATION_EMAIL};
use std::io::Write;
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn sign_ins_lockouts_invites_disables_exports_and_reassignments_are_logged() {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        .with_env_filter("security=info,server::startup=info")
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .init();

    let app = spawn_app().await;
    // A failed and a throttled sign-in.
    let browser = Browser::new(&app);
    for _ in 0..11 {
        browser.post("/co-so/dang-nhap", &[("email", DEMO_STATION_EMAIL), ("password", "sai-mat-khau")]).await;
    }
    // A code locked after five wrong tries.
    let citizen = Browser::new(&app);
    citizen.post("/tra-cuu", &[("identifier", DEMO_ID), ("birth_date", crate::support::DEMO_BIRTH)]).await;
    for _ in 0..6 {
        citizen.post("/tra-cuu/ma", &[("code", "000000")]).await;
    }
    app.clock.advance(chrono::Duration::minutes(16));
    // An invitation and a disable.
    let manager = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    manager.post("/co-so/nhan-vien", &[("full_name", "Đỗ Thị Hạnh"), ("email", "hanh.do@example.vn")]).await;
    let id: i64 =
        sqlx::query_scalar("SELECT id FROM staff WHERE email = 'hanh.do@example.vn'").fetch_one(app.state.db.read()).await.unwrap();
    manager.post(&format!("/co-so/nhan-vien/{id}/khoa"), &[]).await;
    // A supervisor signs in with a second step, exports and passes a complaint on.
    let reference = file_birth_date_complaint(&sign_in(&app).await, "20/05/2012").await;
    let supervisor = staff_sign_in(&app, DEMO_COUNTRY_SUPERVISOR_EMAIL).await;
    supervisor.download("/giam-sat/xuat.csv?muc=dang-mo").await;
    let district: i64 = sqlx::query_scalar("SELECT site_id FROM staff WHERE email = $1")
        .bind(crate::support::DISTRICT_EMAIL)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    supervisor
        .post(
            &format!("/giam-sat/phan-anh/{reference}/chuyen"),
            &[("reassign_site", &district.to_string()), ("reassign_reason", "Chuyển trung tâm.")],
        )
        .await;

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    for event in [
        "event=\"login_failed\"",
        "event=\"login_throttled\"",
        "event=\"code_locked\"",
        "event=\"invite\"",
        "event=\"staff_disabled\"",
        "event=\"second_factor_enabled\"",
        "event=\"login\"",
        "event=\"export\"",
        "event=\"reassigned\"",
    ] {
        assert!(log.contains(event), "{event} missing from:\n{log}");
    }
    // Each line names its request: the server's id and the route, never the path itself.
    assert!(log.contains("request{id=") && log.contains("route=/co-so/dang-nhap"), "{log}");
    for personal in [DEMO_STATION_EMAIL, "hanh.do@example.vn", DEMO_ID, "0912345678"] {
        assert!(!log.contains(personal), "{personal} in the log:\n{log}");
    }
}
