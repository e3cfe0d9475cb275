//! Site staff: sign-in, the inbox sorted by time left, correcting a record with an audit
//! trail, and the correction flowing back to the citizen.

use crate::support::{Browser, DISTRICT_EMAIL, file_birth_date_complaint, sign_in, spawn_app, staff_sign_in};
use server::seed::DEMO_STATION_EMAIL;

#[tokio::test]
async fn the_right_site_sees_it_first_corrects_the_record_and_the_citizen_sees_before_and_after() {
    let app = spawn_app().await;
    let citizen = sign_in(&app).await;
    let older = file_birth_date_complaint(&citizen, "20/05/2012").await;
    app.clock.advance(chrono::Duration::minutes(15));
    let newer = file_birth_date_complaint(&citizen, "21/05/2012").await;

    let staff = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    let inbox = staff.get("/co-so").await.body;
    let (first, second) = (inbox.find(&older).expect("older listed"), inbox.find(&newer).expect("newer listed"));
    assert!(first < second, "least time left first");

    let page = staff.get(&format!("/co-so/phan-anh/{older}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("value=\"20/05/2012\""), "the request prefills the correction");
    let page = staff
        .post(&format!("/co-so/phan-anh/{older}/sua"), &[("birth_date", "20/05/2012"), ("note", "Đã đối chiếu giấy khai sinh.")])
        .await;
    assert_eq!(page.status, 303, "{}", page.body);

    let stored: String = sqlx::query_scalar("SELECT birth_date FROM people WHERE id = 2").fetch_one(app.state.db.read()).await.unwrap();
    assert_eq!(stored, "2012-05-20");
    let audit: (String, String, String, i64) =
        sqlx::query_as("SELECT a.field, a.before_value, a.after_value, a.staff_id FROM record_audit a JOIN complaints c ON c.id = a.complaint_id WHERE c.reference = $1")
            .bind(&older)
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    assert_eq!(
        (audit.0.as_str(), audit.1.as_str(), audit.2.as_str()),
        ("birth_date", "2012-05-02", "2012-05-20"),
        "audit rows keep stored values"
    );

    let tracking = citizen.get(&format!("/phan-anh/{older}")).await.body;
    assert!(tracking.contains("Hồ sơ đã được sửa"));
    assert!(tracking.contains("Đã đối chiếu giấy khai sinh."));
    assert!(tracking.contains("<td>02/05/2012</td><td>20/05/2012</td>"));
    let record = citizen.get("/ho-so").await.body;
    assert!(record.contains("20/05/2012"), "the record page shows the corrected value");
    assert!(!record.contains("Ngày sinh khác với"), "the registry check ran again and now matches");

    // Resolved complaints leave the inbox; the other one stays.
    let inbox = staff.get("/co-so").await.body;
    assert!(!inbox.contains(&older));
    assert!(inbox.contains(&newer));
}

#[tokio::test]
async fn another_sites_staff_can_neither_read_nor_correct() {
    let app = spawn_app().await;
    let citizen = sign_in(&app).await;
    let reference = file_birth_date_complaint(&citizen, "20/05/2012").await;
    let other = staff_sign_in(&app, DISTRICT_EMAIL).await;
    assert!(!other.get("/co-so").await.body.contains(&reference));
    assert_eq!(other.get(&format!("/co-so/phan-anh/{reference}")).await.status, 404);
    let page = other.post(&format!("/co-so/phan-anh/{reference}/sua"), &[("birth_date", "20/05/2012")]).await;
    assert_eq!(page.status, 404);
    let stored: String = sqlx::query_scalar("SELECT birth_date FROM people WHERE id = 2").fetch_one(app.state.db.read()).await.unwrap();
    assert_eq!(stored, "2012-05-02");
    // Same answer for a reference that does not exist.
    assert_eq!(other.get("/co-so/phan-anh/PA-XXXX-XXXX").await.status, 404);
}

#[tokio::test]
async fn a_bad_correction_keeps_what_was_typed() {
    let app = spawn_app().await;
    let citizen = sign_in(&app).await;
    let reference = file_birth_date_complaint(&citizen, "20/05/2012").await;
    let staff = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    let page = staff.post(&format!("/co-so/phan-anh/{reference}/sua"), &[("birth_date", "20/13/2012"), ("note", "ghi chú")]).await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("value=\"20/13/2012\""));
    assert!(page.body.contains("ghi chú</textarea>"));
    let audits: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM record_audit").fetch_one(app.state.db.read()).await.unwrap();
    assert_eq!(audits, 0);
}

#[tokio::test]
async fn wrong_passwords_are_refused_and_guessing_is_rate_limited() {
    let app = spawn_app().await;
    let browser = Browser::new(&app);
    let page = browser.post("/co-so/dang-nhap", &[("email", DEMO_STATION_EMAIL), ("password", "sai-mat-khau")]).await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("Email hoặc mật khẩu không đúng"));
    assert!(page.body.contains(&format!("value=\"{DEMO_STATION_EMAIL}\"")));
    let unknown = browser.post("/co-so/dang-nhap", &[("email", "nobody@example.vn"), ("password", "x")]).await;
    assert_eq!(unknown.status, 422, "unknown accounts answer like wrong passwords");
    let mut last = 0;
    for _ in 0..12 {
        last = browser.post("/co-so/dang-nhap", &[("email", DEMO_STATION_EMAIL), ("password", "sai-mat-khau")]).await.status;
    }
    assert_eq!(last, 429);
}

#[tokio::test]
async fn citizens_and_strangers_cannot_open_staff_pages() {
    let app = spawn_app().await;
    let citizen = sign_in(&app).await;
    assert_eq!(citizen.get("/co-so").await.location.as_deref(), Some("/co-so/dang-nhap"));
    let reference = file_birth_date_complaint(&citizen, "20/05/2012").await;
    let page = citizen.post(&format!("/co-so/phan-anh/{reference}/sua"), &[("birth_date", "20/05/2012")]).await;
    assert_eq!(page.location.as_deref(), Some("/co-so/dang-nhap"));
    let stranger = Browser::new(&app);
    assert_eq!(stranger.get(&format!("/co-so/phan-anh/{reference}")).await.location.as_deref(), Some("/co-so/dang-nhap"));
}
