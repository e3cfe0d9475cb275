//! What happens after filing: the site asks and the clock pauses, replies, rejects, passes
//! the complaint on; the citizen answers, confirms or reopens; evidence files; missing doses
//! and dose corrections. Time moves with the injected clock, never with sleeps.

use crate::support::{
    DEMO_EMAIL, DISTRICT_EMAIL, TestApp, decode_body, file_birth_date_complaint, form_key, sign_in, spawn_app, staff_sign_in,
};
use app::platform::outbox;
use chrono::Duration;
use server::seed::DEMO_STATION_EMAIL;

async fn due_at(app: &TestApp, reference: &str) -> (i64, Option<i64>, String) {
    sqlx::query_as("SELECT due_at, paused_at, status FROM complaints WHERE reference = $1")
        .bind(reference)
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

async fn site_of(app: &TestApp, email: &str) -> i64 {
    sqlx::query_scalar("SELECT site_id FROM staff WHERE email = $1").bind(email).fetch_one(app.state.db.read()).await.unwrap()
}

/// Delivers the outbox and returns the newest email to the demo citizen containing `text`.
async fn email_with(app: &TestApp, text: &str) -> String {
    outbox::run_once(&app.state).await.unwrap();
    decode_body(&app.smtp.wait_for_text(DEMO_EMAIL, text).await.data)
}

/// A whole (tiny) JPEG: JFIF header, then the scan; no metadata, so it is kept byte for byte.
const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xFF\xDAphoto of a vaccination card\xFF\xD9";

#[tokio::test]
async fn asking_for_information_pauses_the_clock_until_the_citizen_answers() {
    let app = spawn_app().await;
    let citizen = sign_in(&app).await;
    let reference = file_birth_date_complaint(&citizen, "20/05/2012").await;
    let (due, _, _) = due_at(&app, &reference).await;
    app.clock.advance(Duration::hours(2));
    let staff = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    let page = staff.post(&format!("/co-so/phan-anh/{reference}/hoi"), &[("ask_message", "Xin gửi ảnh giấy khai sinh của cháu.")]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    let (_, paused, status) = due_at(&app, &reference).await;
    assert_eq!(status, "waiting_citizen");
    assert!(paused.is_some());
    assert!(email_with(&app, "cần bạn bổ sung thông tin").await.contains("Xin gửi ảnh giấy khai sinh"));

    // Both sides see the pause and how much time the site will have left (46 h).
    let citizen = sign_in(&app).await;
    let tracking = citizen.get(&format!("/phan-anh/{reference}")).await.body;
    assert!(tracking.contains("Tạm dừng, chờ bổ sung thông tin. Cơ sở còn 46 giờ 0 phút"), "{}", crate::support::text(&tracking));
    assert!(tracking.contains("Xin gửi ảnh giấy khai sinh của cháu."));
    let inbox = staff.get("/co-so").await.body;
    assert!(inbox.contains("Tạm dừng hạn"));

    // The citizen answers 10 hours later, with a photo: the deadline moves exactly 10 hours.
    app.clock.advance(Duration::hours(10));
    let citizen = sign_in(&app).await;
    let key = form_key(&citizen.get(&format!("/phan-anh/{reference}")).await.body);
    let page = citizen
        .post_multipart(
            &format!("/phan-anh/{reference}/tra-loi"),
            &[("key", &key), ("answer_message", "Đã gửi ảnh giấy khai sinh.")],
            &[("giay-khai-sinh.jpg", JPEG.to_vec())],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let (new_due, paused, status) = due_at(&app, &reference).await;
    assert_eq!((status.as_str(), paused), ("open", None));
    assert_eq!(new_due - due, 10 * 3600, "paused time is not counted against the site");

    // The staff see the answer and the file.
    let staff = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    let page = staff.get(&format!("/co-so/phan-anh/{reference}")).await.body;
    assert!(page.contains("Đã gửi ảnh giấy khai sinh."));
    let token: String = sqlx::query_scalar("SELECT token FROM evidence").fetch_one(app.state.db.read()).await.unwrap();
    assert!(page.contains(&token));
    let (status, content_type, bytes) = staff.download(&format!("/co-so/phan-anh/{reference}/tep/{token}")).await;
    assert_eq!((status, content_type.as_str(), bytes.as_slice()), (200, "image/jpeg", JPEG));
}

#[tokio::test]
async fn an_answer_needs_words_and_keeps_its_file_when_refused() {
    let app = spawn_app().await;
    let citizen = sign_in(&app).await;
    let reference = file_birth_date_complaint(&citizen, "20/05/2012").await;
    let staff = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    staff.post(&format!("/co-so/phan-anh/{reference}/hoi"), &[("ask_message", "Xin gửi ảnh giấy khai sinh.")]).await;
    let key = form_key(&citizen.get(&format!("/phan-anh/{reference}")).await.body);
    let page = citizen
        .post_multipart(&format!("/phan-anh/{reference}/tra-loi"), &[("key", &key), ("answer_message", "")], &[("the.jpg", JPEG.to_vec())])
        .await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("Vui lòng nhập thông tin này."), "{}", crate::support::text(&page.body));
    assert!(page.body.contains("Đã nhận (không cần chọn lại): the.jpg"), "{}", page.body);
    // The second try sends only the text; the kept file goes with it.
    let page = citizen.post(&format!("/phan-anh/{reference}/tra-loi"), &[("key", &key), ("answer_message", "Ảnh ở trên.")]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    let attached: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM evidence e JOIN complaints c ON c.id = e.complaint_id WHERE c.reference = $1")
            .bind(&reference)
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    assert_eq!(attached, 1);
}

#[tokio::test]
async fn files_are_checked_by_content_and_shown_only_to_the_household_and_the_site() {
    let app = spawn_app().await;
    let citizen = sign_in(&app).await;
    let key = form_key(&citizen.get("/phan-anh/moi?nguoi=2").await.body);
    let fields = [("person", "2"), ("key", key.as_str()), ("kind", "personal_data"), ("birth_date", "20/05/2012")];
    // A script named like a photo is refused, with a message; nothing is filed yet.
    let page = citizen.post_multipart("/phan-anh", &fields, &[("the.jpg", b"<script>alert(1)</script>".to_vec())]).await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("Chỉ nhận ảnh JPG, PNG, WebP hoặc tệp PDF"));
    assert!(page.body.contains("value=\"20/05/2012\""), "what was typed stays");
    // Too large: refused with its own message.
    let big = [JPEG, &vec![0u8; 5 * 1024 * 1024]].concat();
    let page = citizen.post_multipart("/phan-anh", &fields, &[("big.jpg", big)]).await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("Mỗi tệp tối đa 5 MB"));
    // A real PDF goes through.
    let page = citizen.post_multipart("/phan-anh", &fields, &[("the.pdf", b"%PDF-1.4 card".to_vec())]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    let reference = page.location.unwrap().trim_start_matches("/phan-anh/").to_string();
    let token: String =
        sqlx::query_scalar("SELECT token FROM evidence WHERE complaint_id IS NOT NULL").fetch_one(app.state.db.read()).await.unwrap();
    let path = format!("/phan-anh/{reference}/tep/{token}");
    let (status, content_type, _) = citizen.download(&path).await;
    assert_eq!((status, content_type.as_str()), (200, "application/pdf"));

    // Another household, another site, a stranger: the same 404 as a file that does not exist.
    let other = crate::support::sign_in_other_household(&app).await;
    assert_eq!(other.download(&path).await.0, 404);
    let district = staff_sign_in(&app, DISTRICT_EMAIL).await;
    assert_eq!(district.download(&format!("/co-so/phan-anh/{reference}/tep/{token}")).await.0, 404);
    assert_eq!(crate::support::Browser::new(&app).download(&path).await.0, 404);
    assert_eq!(citizen.download(&format!("/phan-anh/{reference}/tep/nope")).await.0, 404);
}

#[tokio::test]
async fn a_rejection_can_be_reopened_within_seven_days_with_a_fresh_48_hours() {
    let app = spawn_app().await;
    let citizen = sign_in(&app).await;
    let reference = file_birth_date_complaint(&citizen, "20/05/2012").await;
    let station = site_of(&app, DEMO_STATION_EMAIL).await;
    let staff = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    let page = staff.post(&format!("/co-so/phan-anh/{reference}/tu-choi"), &[("reject_reason", "")]).await;
    assert_eq!(page.status, 422, "a rejection needs a reason");
    let page =
        staff.post(&format!("/co-so/phan-anh/{reference}/tu-choi"), &[("reject_reason", "Giấy khai sinh ghi ngày 02/05/2012.")]).await;
    assert_eq!(page.status, 303);
    assert!(email_with(&app, "từ chối").await.contains("Giấy khai sinh ghi ngày 02/05/2012."));
    let tracking = citizen.get(&format!("/phan-anh/{reference}")).await.body;
    assert!(tracking.contains("Giấy khai sinh ghi ngày 02/05/2012."));
    assert!(tracking.contains("Bạn có thể mở lại phản ánh đến"));

    app.clock.advance(Duration::days(3));
    let citizen = sign_in(&app).await;
    let page = citizen.post(&format!("/phan-anh/{reference}/mo-lai"), &[("reopen_reason", "Tôi gửi kèm giấy khai sinh bản chính.")]).await;
    assert_eq!(page.status, 303);
    let (due, _, status) = due_at(&app, &reference).await;
    assert_eq!(status, "open");
    assert_eq!(due, app.clock.now_for_tests() + 48 * 3600, "a fresh 48 hours");
    let site: i64 = sqlx::query_scalar("SELECT site_id FROM complaints WHERE reference = $1")
        .bind(&reference)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(site, station, "back to the same site");
    assert!(staff_sign_in(&app, DEMO_STATION_EMAIL).await.get("/co-so").await.body.contains(&reference));

    // Rejected again; eight days later the window is closed.
    let staff = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    staff.post(&format!("/co-so/phan-anh/{reference}/tu-choi"), &[("reject_reason", "Vẫn không khớp sổ tiêm.")]).await;
    app.clock.advance(Duration::days(8));
    let citizen = sign_in(&app).await;
    assert!(!citizen.get(&format!("/phan-anh/{reference}")).await.body.contains("mo-lai"));
    citizen.post(&format!("/phan-anh/{reference}/mo-lai"), &[("reopen_reason", "Xin xem lại lần nữa.")]).await;
    assert_eq!(due_at(&app, &reference).await.2, "rejected");
}

#[tokio::test]
async fn a_correction_is_confirmed_by_the_citizen_or_after_seven_days_by_itself() {
    let app = spawn_app().await;
    let citizen = sign_in(&app).await;
    let first = file_birth_date_complaint(&citizen, "20/05/2012").await;
    let second = file_birth_date_complaint(&citizen, "21/05/2012").await;
    let staff = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    for reference in [&first, &second] {
        let page = staff.post(&format!("/co-so/phan-anh/{reference}/sua"), &[("birth_date", "20/05/2012")]).await;
        assert_eq!(page.status, 303, "{}", page.body);
    }
    assert!(citizen.get(&format!("/phan-anh/{first}")).await.body.contains("Xác nhận hồ sơ đã đúng"));
    assert_eq!(citizen.post(&format!("/phan-anh/{first}/xac-nhan"), &[]).await.status, 303);
    assert_eq!(due_at(&app, &first).await.2, "confirmed");

    app.clock.advance(Duration::days(8));
    let removed = app::platform::housekeeping::run_once(&app.state).await.unwrap();
    assert_eq!(removed.auto_confirmed, 1);
    assert_eq!(due_at(&app, &second).await.2, "confirmed");
}

#[tokio::test]
async fn passing_a_complaint_on_keeps_its_deadline_and_its_history() {
    let app = spawn_app().await;
    let citizen = sign_in(&app).await;
    let reference = file_birth_date_complaint(&citizen, "20/05/2012").await;
    let (due, _, _) = due_at(&app, &reference).await;
    let district = site_of(&app, DISTRICT_EMAIL).await;
    let staff = staff_sign_in(&app, DEMO_STATION_EMAIL).await;

    // The site search (no JavaScript: a GET of the same page) finds the district centre.
    let page = staff.get(&format!("/co-so/phan-anh/{reference}?tinh=2021-P-031&tim=trung+tam+y+te")).await.body;
    assert!(page.contains(&format!("value=\"{district}\"")), "the district centre is offered");
    let page = staff
        .post(&format!("/co-so/phan-anh/{reference}/chuyen"), &[("reassign_site", &district.to_string()), ("reassign_reason", "")])
        .await;
    assert_eq!(page.status, 422, "a reason is needed");
    assert!(page.body.contains(&format!("value=\"{district}\" checked")), "the choice is kept: {}", crate::support::text(&page.body));

    app.clock.advance(Duration::hours(5));
    let staff = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    let page = staff
        .post(
            &format!("/co-so/phan-anh/{reference}/chuyen"),
            &[("reassign_site", &district.to_string()), ("reassign_reason", "Mũi tiêm do đội lưu động của huyện thực hiện.")],
        )
        .await;
    assert_eq!(page.location.as_deref(), Some("/co-so"));
    assert_eq!(due_at(&app, &reference).await.0, due, "the deadline does not move");
    assert_eq!(staff.get(&format!("/co-so/phan-anh/{reference}")).await.status, 404, "no longer the station's");
    let other = staff_sign_in(&app, DISTRICT_EMAIL).await;
    assert!(other.get("/co-so").await.body.contains(&reference));
    let page = other.get(&format!("/co-so/phan-anh/{reference}")).await.body;
    assert!(page.contains("Các cơ sở đã xử lý"));
    assert!(page.contains("5 giờ"), "the station held it 5 hours");
    assert!(email_with(&app, "Hạn trả lời không thay đổi").await.contains("đội lưu động"));
}

#[tokio::test]
async fn a_reply_reaches_the_citizen_without_closing_anything() {
    let app = spawn_app().await;
    let citizen = sign_in(&app).await;
    let reference = file_birth_date_complaint(&citizen, "20/05/2012").await;
    let staff = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    let page = staff.post(&format!("/co-so/phan-anh/{reference}/tra-loi"), &[("reply_message", "Chúng tôi đang đối chiếu sổ tiêm.")]).await;
    assert_eq!(page.status, 303);
    assert_eq!(due_at(&app, &reference).await.2, "open");
    assert!(email_with(&app, "đã gửi trả lời").await.contains("đối chiếu sổ tiêm"));
    assert!(citizen.get(&format!("/phan-anh/{reference}")).await.body.contains("Chúng tôi đang đối chiếu sổ tiêm."));
}

#[tokio::test]
async fn a_missing_dose_goes_to_the_named_site_which_adds_it() {
    let app = spawn_app().await;
    let citizen = sign_in(&app).await;
    let district = site_of(&app, DISTRICT_EMAIL).await;
    // Search without JavaScript: a GET that carries what was typed.
    let page = citizen
        .get("/phan-anh/moi?nguoi=1&loai=missing_dose&tinh=2021-P-031&tim=trung+tam&dose_kind=n2&given_on=10%2F09%2F2022")
        .await
        .body;
    assert!(page.contains(&format!("name=\"site\" value=\"{district}\"")), "the district centre is found");
    assert!(page.contains("value=\"10/09/2022\""), "what was typed comes back");
    let key = form_key(&page);
    let form = |site: String, date: &'static str| {
        vec![
            ("person".to_string(), "1".to_string()),
            ("key".to_string(), key.clone()),
            ("kind".to_string(), "missing_dose".to_string()),
            ("site".to_string(), site),
            ("dose_kind".to_string(), "n2".to_string()),
            ("given_on".to_string(), date.to_string()),
            ("product_code".to_string(), "PFZ".to_string()),
            ("lot".to_string(), "ff2588".to_string()),
        ]
    };
    let as_refs = |f: &Vec<(String, String)>| f.iter().map(|(k, v)| (k.clone(), v.clone())).collect::<Vec<_>>();
    let refused = as_refs(&form(String::new(), "10/09/2020"));
    let refused: Vec<(&str, &str)> = refused.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let page = citizen.post("/phan-anh", &refused).await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("Vui lòng tìm và chọn cơ sở tiêm."));
    assert!(page.body.contains("Ngày tiêm phải từ 08/03/2021"));
    let good = as_refs(&form(district.to_string(), "10/09/2022"));
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let page = citizen.post("/phan-anh", &good).await;
    assert_eq!(page.status, 303, "{}", page.body);
    let reference = page.location.unwrap().trim_start_matches("/phan-anh/").to_string();
    let site: i64 = sqlx::query_scalar("SELECT site_id FROM complaints WHERE reference = $1")
        .bind(&reference)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(site, district);

    // The district centre's page offers the dose to add, prefilled from the complaint.
    let staff = staff_sign_in(&app, DISTRICT_EMAIL).await;
    let page = staff.get(&format!("/co-so/phan-anh/{reference}")).await.body;
    assert!(page.contains("name=\"add-given_on\" value=\"10/09/2022\""), "prefilled");
    let page = staff
        .post(
            &format!("/co-so/phan-anh/{reference}/sua"),
            &[("add-dose_kind", "n2"), ("add-given_on", "10/09/2022"), ("add-product_code", "PFZ"), ("add-lot", "FF2588")],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let record = citizen.get("/ho-so").await.body;
    assert!(record.contains("10/09/2022"), "the record shows the added dose");
    let audit: (String, Option<String>, String) =
        sqlx::query_as("SELECT field, before_value, after_value FROM record_audit WHERE dose_id IS NOT NULL")
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    assert_eq!(audit.0, "dose_added");
    assert_eq!(audit.1, None);
    assert!(audit.2.contains("2022-09-10") && audit.2.contains("FF2588"), "{}", audit.2);
}

#[tokio::test]
async fn staff_change_and_remove_doses_with_an_audit_row_each() {
    let app = spawn_app().await;
    let citizen = sign_in(&app).await;
    let key = form_key(&citizen.get("/phan-anh/moi?nguoi=3").await.body);
    let dose: i64 = sqlx::query_scalar("SELECT id FROM doses WHERE person_id = 3 ORDER BY given_on LIMIT 1")
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    let second: i64 = sqlx::query_scalar("SELECT id FROM doses WHERE person_id = 3 ORDER BY given_on DESC LIMIT 1")
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    let page = citizen
        .post(
            "/phan-anh",
            &[
                ("person", "3"),
                ("key", &key),
                ("kind", "wrong_dose"),
                ("dose", &dose.to_string()),
                ("lot", "202107B2146"),
                ("description", "Số lô ghi sai một chữ số."),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let reference = page.location.unwrap().trim_start_matches("/phan-anh/").to_string();

    let staff = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    let page = staff.get(&format!("/co-so/phan-anh/{reference}")).await.body;
    assert!(page.contains(&format!("name=\"dose-{dose}-lot\" value=\"202107B2146\"")), "the asked-for lot is prefilled");
    let page = staff
        .post(
            &format!("/co-so/phan-anh/{reference}/sua"),
            &[
                (&format!("dose-{dose}-lot") as &str, "202107B2146"),
                (&format!("dose-{second}-remove"), "1"),
                ("note", "Sửa số lô; mũi 2 bị ghi trùng."),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let rows: Vec<(String, Option<String>, Option<String>)> =
        sqlx::query_as("SELECT field, before_value, after_value FROM record_audit ORDER BY id")
            .fetch_all(app.state.db.read())
            .await
            .unwrap();
    assert_eq!(rows[0], ("dose.lot".to_string(), Some("202107B2145".to_string()), Some("202107B2146".to_string())));
    assert_eq!(rows[1].0, "dose_removed");
    assert!(rows[1].1.as_deref().unwrap().contains(r#""dose_kind":"2""#), "{:?}", rows[1]);
    assert_eq!(rows[1].2, None);
    let removed: Option<i64> =
        sqlx::query_scalar("SELECT removed_at FROM doses WHERE id = $1").bind(second).fetch_one(app.state.db.read()).await.unwrap();
    assert!(removed.is_some(), "removed doses are kept, marked");
    let tracking = citizen.get(&format!("/phan-anh/{reference}")).await.body;
    assert!(tracking.contains("<td>202107B2145</td><td>202107B2146</td>"));
    assert!(tracking.contains("Xoá mũi tiêm"));
}

#[tokio::test]
async fn the_inbox_filters_by_status_and_kind_with_counts() {
    let app = spawn_app().await;
    let citizen = sign_in(&app).await;
    let open = file_birth_date_complaint(&citizen, "20/05/2012").await;
    let rejected = file_birth_date_complaint(&citizen, "21/05/2012").await;
    let staff = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    staff.post(&format!("/co-so/phan-anh/{rejected}/tu-choi"), &[("reject_reason", "Không đúng giấy khai sinh.")]).await;

    let inbox = staff.get("/co-so").await.body;
    assert!(inbox.contains(&open) && !inbox.contains(&rejected));
    assert!(inbox.contains("Đang mở (1)"), "counts: {inbox}");
    assert!(inbox.contains("Đã từ chối (1)"), "counts: {inbox}");
    let page = staff.get("/co-so?trang-thai=rejected").await.body;
    assert!(page.contains(&rejected) && !page.contains(&open));
    let page = staff.get("/co-so?loai=wrong_dose").await.body;
    assert!(!page.contains(&open) && !page.contains(&rejected));
    let page = staff.get("/co-so?loai=personal_data").await.body;
    assert!(page.contains(&open));
}
