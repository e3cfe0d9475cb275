//! Security hardening (issue 9): each test names what a review of the running portal found,
//! through the real router, on SQLite or PostgreSQL.

use crate::support::{
    Browser, DEMO_BIRTH, DEMO_ID, TestApp, file_birth_date_complaint, form_key, second_serving, sign_in, sign_in_other, spawn_app,
    spawn_app_with, staff_sign_in,
};
use app::platform::shared_limits::{self, Bucket};
use server::seed::{DEMO_COUNTRY_SUPERVISOR_EMAIL, DEMO_STAFF_PASSWORD, DEMO_STATION_EMAIL};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const SHARED_PHONE: &str = "0912345678";
const CODE_WORDS: &str = "Mã xác thực tra cứu";

async fn lookup(browser: &Browser, identifier: &str, birth: &str) -> u16 {
    browser.post("/tra-cuu", &[("identifier", identifier), ("birth_date", birth)]).await.status
}

/// Waits until `n` emails carrying a lookup code have arrived (and a moment longer, so that
/// one more would have been seen).
async fn codes_emailed(app: &TestApp, n: usize) {
    let count = || app.smtp.messages().iter().filter(|m| crate::support::decode_body(&m.data).contains(CODE_WORDS)).count();
    for _ in 0..200 {
        if count() >= n {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(count(), n);
}

async fn person_id(app: &TestApp, national_id: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM people WHERE national_id = $1").bind(national_id).fetch_one(app.state.db.read()).await.unwrap()
}

#[tokio::test]
async fn a_birth_year_alone_opens_only_a_record_that_holds_only_the_year() {
    let app = spawn_app().await;
    // The CCCD number carries the birth year: with the year alone it would open the record.
    assert_eq!(lookup(&Browser::new(&app), DEMO_ID, "1990").await, 303, "the same answer as any lookup");
    assert_eq!(lookup(&Browser::new(&app), DEMO_ID, DEMO_BIRTH).await, 303);
    codes_emailed(&app, 1).await;
    // The grandmother's record holds only 1956: the year is all there is to know.
    let before = app.sms.texts().len();
    assert_eq!(lookup(&Browser::new(&app), SHARED_PHONE, "1956").await, 303);
    app.sms.wait_for(SHARED_PHONE, CODE_WORDS).await;
    assert!(app.sms.texts().len() > before);
    assert!(Browser::new(&app).get("/tra-cuu").await.body.contains("hồ sơ có đủ ngày sinh cần nhập đủ ngày, tháng, năm"));
}

#[tokio::test]
async fn wrong_birth_dates_are_counted_per_person_and_never_lock_the_owner_out() {
    let app = spawn_app().await;
    let stranger = Browser::new(&app);
    for day in 1..=4 {
        assert_eq!(lookup(&stranger, DEMO_ID, &format!("0{day}/01/1990")).await, 303);
        assert_eq!(lookup(&stranger, SHARED_PHONE, &format!("0{day}/02/1990")).await, 303);
    }
    // The ID number and the phone reached the same person: one count, in the database.
    let lan = person_id(&app, DEMO_ID).await;
    assert_eq!(shared_limits::count(&app.state, Bucket::LookupFailures, &lan.to_string()).await.unwrap(), 8);
    let owner = sign_in(&app).await;
    assert_eq!(owner.get("/ho-so").await.status, 200);
}

#[tokio::test]
async fn codes_to_one_person_are_capped_per_day_across_servers() {
    let app = spawn_app().await;
    let second = second_serving(&app).await;
    for i in 0..Bucket::CodesSent.max() as usize {
        let server = if i % 2 == 0 { &app } else { &second };
        assert_eq!(lookup(&Browser::new(server), DEMO_ID, DEMO_BIRTH).await, 303);
        codes_emailed(&app, i + 1).await;
    }
    let capped = Browser::new(&second);
    assert_eq!(lookup(&capped, DEMO_ID, DEMO_BIRTH).await, 303, "the same answer");
    codes_emailed(&app, Bucket::CodesSent.max() as usize).await;
    // No code was made for the capped lookup, so none can be guessed.
    assert!(capped.post("/tra-cuu/ma", &[("code", "123456")]).await.body.contains("Mã xác thực không đúng"));
    app.clock.advance(chrono::Duration::days(1));
    assert_eq!(lookup(&Browser::new(&app), DEMO_ID, DEMO_BIRTH).await, 303);
    codes_emailed(&app, Bucket::CodesSent.max() as usize + 1).await;
}

#[tokio::test]
async fn failed_sign_ins_are_counted_per_account_across_servers() {
    let app = spawn_app().await;
    let second = second_serving(&app).await;
    for i in 0..Bucket::LoginFailures.max() {
        let server = if i % 2 == 0 { &app } else { &second };
        let page = Browser::new(server).post("/co-so/dang-nhap", &[("email", DEMO_STATION_EMAIL), ("password", "sai-mat-khau")]).await;
        assert_eq!(page.status, 422);
    }
    let right = [("email", DEMO_STATION_EMAIL), ("password", DEMO_STAFF_PASSWORD)];
    assert_eq!(Browser::new(&app).post("/co-so/dang-nhap", &right).await.status, 429);
    assert_eq!(Browser::new(&second).post("/co-so/dang-nhap", &right).await.status, 429);
    app.clock.advance(chrono::Duration::minutes(16));
    assert_eq!(Browser::new(&second).post("/co-so/dang-nhap", &right).await.status, 303);
}

#[tokio::test]
async fn a_client_cannot_choose_its_address_by_writing_x_forwarded_for() {
    let app = spawn_app_with(&[("TRUST_PROXY", "1")]).await;
    let browser = Browser::new(&app);
    let post = |forwarded: String| {
        browser
            .client
            .post(format!("{}/tra-cuu", app.base))
            .header("origin", &app.base)
            .header("x-forwarded-for", forwarded)
            .form(&[("identifier", "001090999999"), ("birth_date", "01/01/1990")])
            .send()
    };
    // The proxy appends the address it saw (203.0.113.7); the client wrote the rest.
    for i in 0..10 {
        assert_eq!(post(format!("10.9.{i}.1, 203.0.113.7")).await.unwrap().status(), 303);
    }
    assert_eq!(post("10.9.99.1, 203.0.113.7".into()).await.unwrap().status(), 429);
    assert_eq!(post("203.0.113.7, 198.51.100.2".into()).await.unwrap().status(), 303, "another client is not limited");
}

#[tokio::test]
async fn oversized_forms_are_refused_with_the_portals_page() {
    let app = spawn_app().await;
    let email = "a".repeat(1_900_000);
    let page = Browser::new(&app).post("/co-so/dang-nhap", &[("email", email.as_str()), ("password", "x")]).await;
    assert_eq!(page.status, 413);
    assert!(page.body.contains("Nội dung gửi lên quá lớn"), "{}", page.body);
}

#[tokio::test]
async fn a_citizen_session_files_at_a_sane_rate_and_keeps_what_was_typed() {
    let app = spawn_app().await;
    let citizen = sign_in(&app).await;
    for _ in 0..Bucket::ComplaintsPerHour.max() {
        file_birth_date_complaint(&citizen, "20/05/2012").await;
    }
    let key = form_key(&citizen.get("/phan-anh/moi?nguoi=2").await.body);
    let page =
        citizen.post("/phan-anh", &[("person", "2"), ("key", key.as_str()), ("kind", "personal_data"), ("birth_date", "21/05/2012")]).await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("Bạn đã gửi nhiều phản ánh hoặc tệp trong thời gian ngắn"));
    assert!(page.body.contains("21/05/2012"), "what was typed stays");
    // An hour later (signed in again: sessions idle out after 20 minutes) filing works again.
    app.clock.advance(chrono::Duration::hours(1));
    file_birth_date_complaint(&sign_in(&app).await, "20/05/2012").await;
}

#[tokio::test]
async fn form_keys_are_the_servers_not_any_hex() {
    let app = spawn_app().await;
    let citizen = sign_in(&app).await;
    let made_up = "ab".repeat(32);
    let page = citizen
        .post("/phan-anh", &[("person", "2"), ("key", made_up.as_str()), ("kind", "personal_data"), ("birth_date", "20/05/2012")])
        .await;
    assert_eq!(page.status, 400);
    // A key the server issued to someone else does not work either.
    let (other, person) = sign_in_other(&app).await;
    let theirs = form_key(&other.get(&format!("/phan-anh/moi?nguoi={person}")).await.body);
    let page = citizen
        .post("/phan-anh", &[("person", "2"), ("key", theirs.as_str()), ("kind", "personal_data"), ("birth_date", "20/05/2012")])
        .await;
    assert_eq!(page.status, 400);
}

/// Sends the head of a 20 MB multipart post and then nothing: the answer must come without
/// the body, or it never comes.
async fn answer_to_a_stalled_upload(app: &TestApp, origin: &str, cookie: Option<String>) -> String {
    let address = app.base.trim_start_matches("http://");
    let mut socket = tokio::net::TcpStream::connect(address).await.unwrap();
    let cookie = cookie.map(|c| format!("Cookie: phien={c}\r\n")).unwrap_or_default();
    let head = format!(
        "POST /phan-anh HTTP/1.1\r\nHost: {address}\r\nOrigin: {origin}\r\n{cookie}Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 20000000\r\n\r\n--x\r\n"
    );
    socket.write_all(head.as_bytes()).await.unwrap();
    let mut answer = vec![0u8; 256];
    let n = tokio::time::timeout(Duration::from_secs(10), socket.read(&mut answer)).await.expect("an answer before the body").unwrap();
    String::from_utf8_lossy(&answer[..n]).into_owned()
}

#[tokio::test]
async fn strangers_and_other_sites_are_turned_away_before_an_upload_is_read() {
    let app = spawn_app().await;
    assert!(answer_to_a_stalled_upload(&app, &app.base, None).await.starts_with("HTTP/1.1 303"));
    let citizen = sign_in(&app).await;
    let cookie = citizen.cookie("phien");
    assert!(answer_to_a_stalled_upload(&app, "http://evil.example", cookie).await.starts_with("HTTP/1.1 403"));
}

#[tokio::test]
async fn behind_https_cookies_are_host_only_hsts_is_sent_and_demo_passwords_open_nothing() {
    let secret = "s".repeat(40);
    let app = spawn_app_with(&[("PUBLIC_URL", "https://portal.test"), ("APP_SECRET", secret.as_str())]).await;
    let browser = Browser::new(&app);
    let answer = browser
        .client
        .post(format!("{}/tra-cuu", app.base))
        .header("origin", "https://portal.test")
        .form(&[("identifier", DEMO_ID), ("birth_date", DEMO_BIRTH)])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 303);
    let cookie = answer.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
    assert!(cookie.starts_with("__Host-tra_cuu=") && cookie.contains("Secure") && cookie.contains("Path=/"), "{cookie}");
    assert!(answer.headers().get("strict-transport-security").is_some());
    let page = browser
        .post_from("/co-so/dang-nhap", &[("email", DEMO_STATION_EMAIL), ("password", DEMO_STAFF_PASSWORD)], "https://portal.test")
        .await;
    assert_eq!(page.status, 422, "the published demo password opens nothing in production");
}

#[test]
fn demo_data_is_refused_behind_https() {
    let dir = std::env::temp_dir().join(format!("seed-refused-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["seed", "--people", "10"])
        .env("DATABASE_URL", format!("sqlite:{}", dir.join("db.sqlite3").display()))
        .env("PUBLIC_URL", "https://portal.example.vn")
        .env("APP_SECRET", "s".repeat(40))
        .env("SMTP_URL", "smtp://127.0.0.1:9")
        .env("SMS_GATEWAY_URL", "https://sms.example.vn/send")
        .env("SMS_GATEWAY_KEY", "k")
        .env("DCC_SIGNER_KEY", "/etc/portal/dsc.key.pem")
        .env("DCC_SIGNER_CERT", "/etc/portal/dsc.crt.der")
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("refused in production"));
}

#[tokio::test]
async fn set_password_links_are_never_stored_and_delivered_messages_are_purged() {
    let app = spawn_app().await;
    let manager = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    let page = manager.post("/co-so/nhan-vien", &[("full_name", "Đỗ Thị Hạnh"), ("email", "hanh.do@example.vn")]).await;
    assert_eq!(page.status, 303);
    let body: String =
        sqlx::query_scalar("SELECT body FROM outbox WHERE recipient = 'hanh.do@example.vn'").fetch_one(app.state.db.read()).await.unwrap();
    assert!(!body.contains("/co-so/mat-khau/"), "the outbox holds no usable link");
    app::platform::outbox::run_once(&app.state).await.unwrap();
    let mail = crate::support::decode_body(&app.smtp.wait_for_text("hanh.do@example.vn", "/co-so/mat-khau/").await.data);
    let at = mail.find("/co-so/mat-khau/").unwrap();
    let path: String = mail[at..].chars().take_while(|c| !c.is_whitespace()).collect();
    assert_eq!(Browser::new(&app).get(&path).await.status, 200, "the delivered link works");

    app.clock.advance(chrono::Duration::days(4));
    let removed = app::platform::housekeeping::run_once(&app.state).await.unwrap();
    assert!(removed.delivered_messages >= 1);
    let left: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL").fetch_one(app.state.db.read()).await.unwrap();
    assert_eq!(left, 0);
}

#[tokio::test]
async fn texts_go_through_the_gateway_with_its_key_and_are_retried_when_it_fails() {
    let app = spawn_app().await;
    let citizen = sign_in(&app).await;
    app.sms.set_failing(true);
    let reference = file_birth_date_complaint(&citizen, "20/05/2012").await;
    app::platform::outbox::run_once(&app.state).await.unwrap();
    let unsent: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE channel = 'sms' AND sent_at IS NULL AND last_error IS NOT NULL")
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    assert_eq!(unsent, 1);
    app.sms.set_failing(false);
    app.clock.advance(chrono::Duration::minutes(2));
    app::platform::outbox::run_once(&app.state).await.unwrap();
    app.sms.wait_for(SHARED_PHONE, &reference).await;
}

#[tokio::test]
async fn absurd_dates_and_paths_get_the_portals_pages_not_a_crash() {
    let app = spawn_app().await;
    let browser = Browser::new(&app);
    let page = browser.get("/so-lieu?tu=%2B262142-12-31&den=%2B262142-12-31").await;
    assert_eq!(page.status, 422);
    let page = browser.get("/so-lieu/co-so/abc").await;
    assert_eq!(page.status, 400);
    assert!(!page.body.contains("Cannot parse"), "{}", page.body);
    assert!(page.body.contains("Yêu cầu không hợp lệ"));
    let page = browser.post("/tra-cuu", &[("identifier", DEMO_ID)]).await;
    assert!(page.status < 500);
}

#[tokio::test]
async fn repeated_numbers_requests_are_served_from_a_short_cache() {
    let app = spawn_app().await;
    let browser = Browser::new(&app);
    assert_eq!(browser.get("/so-lieu").await.status, 200);
    assert_eq!(browser.get("/so-lieu").await.status, 200);
    assert_eq!(app.state.numbers_cache.len(), 1);
    assert_eq!(browser.get("/so-lieu?tu=2026-01-01&den=2026-06-30").await.status, 200);
    assert_eq!(app.state.numbers_cache.len(), 2);
}

#[tokio::test]
async fn the_language_switch_sends_only_to_the_portals_own_pages() {
    let app = spawn_app().await;
    let browser = Browser::new(&app);
    for next in ["/\t/evil.example", "/\\evil.example", "/%09/evil.example", "/khong-co-trang-nay"] {
        let page = browser.post("/ngon-ngu", &[("lang", "en"), ("next", next)]).await;
        assert_eq!(page.location.as_deref(), Some("/"), "{next:?}");
    }
    let page = browser.post("/ngon-ngu", &[("lang", "en"), ("next", "/so-lieu?tu=2026-01-01")]).await;
    assert_eq!(page.location.as_deref(), Some("/so-lieu?tu=2026-01-01"));
}

#[tokio::test]
async fn posts_must_come_from_exactly_the_public_origin() {
    let app = spawn_app().await;
    let browser = Browser::new(&app);
    let port = app.base.rsplit(':').next().unwrap();
    for origin in [format!("https://127.0.0.1:{port}"), "http://127.0.0.1:1".to_string(), format!("http://localhost:{port}")] {
        let page = browser.post_from("/tra-cuu", &[("identifier", DEMO_ID), ("birth_date", DEMO_BIRTH)], &origin).await;
        assert_eq!(page.status, 403, "{origin}");
    }
    assert!(app.smtp.messages().is_empty());
}

#[tokio::test]
async fn pages_allow_only_their_own_nonce_script_and_are_never_stored() {
    let app = spawn_app().await;
    let answer = reqwest::get(format!("{}/tra-cuu", app.base)).await.unwrap();
    let policy = answer.headers().get("content-security-policy").unwrap().to_str().unwrap().to_string();
    assert_eq!(answer.headers().get("cache-control").unwrap(), "no-store");
    assert!(!policy.contains("unsafe-inline"));
    let body = answer.text().await.unwrap();
    let nonce = policy.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap();
    assert!(body.contains(&format!("nonce=\"{nonce}\"")), "the hydration script carries the page's nonce");
    let again = reqwest::get(format!("{}/tra-cuu", app.base)).await.unwrap();
    assert!(!again.headers().get("content-security-policy").unwrap().to_str().unwrap().contains(nonce), "a fresh nonce per page");
}

#[tokio::test]
async fn invitations_answer_the_same_whether_or_not_the_email_has_an_account() {
    let app = spawn_app().await;
    let manager = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    let taken = manager.post("/co-so/nhan-vien", &[("full_name", "Đỗ Thị Hạnh"), ("email", DEMO_COUNTRY_SUPERVISOR_EMAIL)]).await;
    let new = manager.post("/co-so/nhan-vien", &[("full_name", "Đỗ Thị Hạnh"), ("email", "hanh.do@example.vn")]).await;
    assert_eq!((taken.status, taken.location), (new.status, new.location));
    let email: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM staff WHERE email = $1")
        .bind(DEMO_COUNTRY_SUPERVISOR_EMAIL)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(email, 1);
}

#[tokio::test]
async fn a_site_edits_only_what_the_complaint_is_about_and_its_own_doses() {
    let app = spawn_app().await;
    let citizen = sign_in(&app).await;
    let reference = file_birth_date_complaint(&citizen, "20/05/2012").await;
    let station = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    let page = station.get(&format!("/co-so/phan-anh/{reference}")).await.body;
    assert!(page.contains("name=\"birth_date\"") && !page.contains("name=\"national_id\""), "only the fields the complaint is about");

    // A dose another site gave, which the complaint is not about.
    let elsewhere: i64 = sqlx::query_scalar(
        "INSERT INTO doses (person_id, dose_kind, given_on, product_code, lot, site_id)
         SELECT 2, 'n1', '2022-06-01', product_code, 'KHAC1', (SELECT site_id FROM staff WHERE email = $1) FROM doses LIMIT 1
         RETURNING id",
    )
    .bind(crate::support::DISTRICT_EMAIL)
    .fetch_one(app.state.db.write())
    .await
    .unwrap();
    let path = format!("/co-so/phan-anh/{reference}/sua");
    assert_eq!(station.post(&path, &[("national_id", "031212004822")]).await.status, 404);
    let lot = format!("dose-{elsewhere}-lot");
    assert_eq!(station.post(&path, &[("birth_date", "20/05/2012"), (lot.as_str(), "SUA1")]).await.status, 404);
    let audits: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM record_audit").fetch_one(app.state.db.read()).await.unwrap();
    assert_eq!(audits, 0, "nothing was changed");
    assert_eq!(station.post(&path, &[("birth_date", "20/05/2012")]).await.status, 303);
}

#[tokio::test]
async fn a_site_passes_complaints_on_within_its_province_only() {
    let app = spawn_app().await;
    let citizen = sign_in(&app).await;
    let reference = file_birth_date_complaint(&citizen, "20/05/2012").await;
    let far: i64 = sqlx::query_scalar(
        "SELECT s.id FROM sites s WHERE NOT EXISTS (
             SELECT 1 FROM site_areas x JOIN site_areas y ON y.unit_code = x.unit_code JOIN admin_units u ON u.code = x.unit_code
             WHERE x.site_id = s.id AND u.level = 'province' AND y.site_id = (SELECT site_id FROM staff WHERE email = $1))
         ORDER BY s.id LIMIT 1",
    )
    .bind(DEMO_STATION_EMAIL)
    .fetch_one(app.state.db.read())
    .await
    .unwrap();
    let station = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    let page = station
        .post(
            &format!("/co-so/phan-anh/{reference}/chuyen"),
            &[("reassign_site", &far.to_string()), ("reassign_reason", "Tiêm ở tỉnh khác.")],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("Chỉ chuyển được cho cơ sở trong cùng tỉnh"));
    let held: i64 = sqlx::query_scalar("SELECT site_id FROM complaints WHERE reference = $1")
        .bind(&reference)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_ne!(held, far);
    let supervisor = staff_sign_in(&app, DEMO_COUNTRY_SUPERVISOR_EMAIL).await;
    let page = supervisor
        .post(
            &format!("/giam-sat/phan-anh/{reference}/chuyen"),
            &[("reassign_site", &far.to_string()), ("reassign_reason", "Tiêm ở tỉnh khác.")],
        )
        .await;
    assert_eq!(page.status, 303, "a supervisor passes it across provinces");
}

#[tokio::test]
async fn evidence_loses_photo_location_active_pdfs_are_refused_and_names_come_from_the_type() {
    let app = spawn_app().await;
    let citizen = sign_in(&app).await;
    let key = form_key(&citizen.get("/phan-anh/moi?nguoi=2").await.body);
    let fields = [("person", "2"), ("key", key.as_str()), ("kind", "personal_data"), ("birth_date", "20/05/2012")];
    let exif = b"Exif\0\0GPS 20.8449N 106.6881E";
    let mut photo = b"\xFF\xD8\xFF\xE1\x00".to_vec();
    photo.push((exif.len() + 2) as u8);
    photo.extend_from_slice(exif);
    photo.extend_from_slice(b"\xFF\xDAthe card\xFF\xD9");
    let active = b"%PDF-1.7\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF".to_vec();
    let page = citizen.post_multipart("/phan-anh", &fields, &[("the.pdf", active)]).await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("Tệp PDF này có chứa mã chạy"));
    let page = citizen.post_multipart("/phan-anh", &fields, &[("card\u{202E}gpj.hta", photo)]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    let (name, stored): (String, Vec<u8>) =
        sqlx::query_as("SELECT file_name, content FROM evidence").fetch_one(app.state.db.read()).await.unwrap();
    assert_eq!(name, "cardgpj.jpg");
    assert!(!stored.windows(3).any(|w| w == b"GPS"), "the location is gone");
    assert!(stored.ends_with(b"\xFF\xDAthe card\xFF\xD9"), "the picture is kept");
}

fn code_now(app: &TestApp, email: &str, offset: i64) -> String {
    let key = app.totp_keys.lock().unwrap().get(email).cloned().unwrap();
    app::staff::second_factor::code_at(&key, app.clock.now_for_tests() + offset)
}

#[tokio::test]
async fn a_supervisors_password_alone_opens_nothing() {
    let app = spawn_app().await;
    let browser = Browser::new(&app);
    let password = [("email", DEMO_COUNTRY_SUPERVISOR_EMAIL), ("password", DEMO_STAFF_PASSWORD)];
    let page = browser.post("/co-so/dang-nhap", &password).await;
    assert_eq!(page.location.as_deref(), Some("/co-so/xac-thuc"));
    assert_eq!(browser.get("/giam-sat").await.location.as_deref(), Some("/co-so/dang-nhap"), "no session before the second step");
    assert!(browser.get("/co-so/xac-thuc").await.body.contains("Bật xác thực hai bước"), "first sign-in sets the app up");
    // Five wrong codes and the password is asked again.
    for _ in 0..5 {
        assert_eq!(browser.post("/co-so/xac-thuc", &[("code", "000000")]).await.status, 422);
    }
    assert_eq!(browser.post("/co-so/xac-thuc", &[("code", "000000")]).await.location.as_deref(), Some("/co-so/dang-nhap"));

    // Set up, as a person with the app does; recovery codes are shown once.
    let supervisor = staff_sign_in(&app, DEMO_COUNTRY_SUPERVISOR_EMAIL).await;
    assert_eq!(supervisor.get("/giam-sat").await.status, 200);

    // Next sign-in: the app's code, once. The same code again is refused.
    let again = Browser::new(&app);
    assert_eq!(again.post("/co-so/dang-nhap", &password).await.location.as_deref(), Some("/co-so/xac-thuc"));
    let code = code_now(&app, DEMO_COUNTRY_SUPERVISOR_EMAIL, 30);
    assert_eq!(again.post("/co-so/xac-thuc", &[("code", code.as_str())]).await.location.as_deref(), Some("/co-so"));
    let replay = Browser::new(&app);
    replay.post("/co-so/dang-nhap", &password).await;
    assert_eq!(replay.post("/co-so/xac-thuc", &[("code", code.as_str())]).await.status, 422, "a code works once");
}

/// A 6-digit code the app would not show around now.
fn wrong_code(app: &TestApp, email: &str) -> String {
    let near: Vec<String> = [-30, 0, 30].iter().map(|offset| code_now(app, email, *offset)).collect();
    ["000000", "111111", "222222"].into_iter().find(|c| !near.iter().any(|n| n == c)).unwrap().to_string()
}

#[tokio::test]
async fn wrong_second_step_codes_lock_the_account_over_all_its_sign_ins() {
    let app = spawn_app().await;
    staff_sign_in(&app, DEMO_COUNTRY_SUPERVISOR_EMAIL).await;
    let password = [("email", DEMO_COUNTRY_SUPERVISOR_EMAIL), ("password", DEMO_STAFF_PASSWORD)];
    // A second step started before the guessing, kept aside.
    let early = Browser::new(&app);
    assert_eq!(early.post("/co-so/dang-nhap", &password).await.location.as_deref(), Some("/co-so/xac-thuc"));
    // Four sign-ins with five wrong codes each (five is each sign-in's own allowance).
    let wrong = wrong_code(&app, DEMO_COUNTRY_SUPERVISOR_EMAIL);
    let mut refused_at_password = 0;
    for _ in 0..4 {
        let browser = Browser::new(&app);
        let page = browser.post("/co-so/dang-nhap", &password).await;
        if page.status == 429 {
            refused_at_password += 1;
            continue;
        }
        assert_eq!(page.location.as_deref(), Some("/co-so/xac-thuc"));
        for _ in 0..5 {
            browser.post("/co-so/xac-thuc", &[("code", wrong.as_str())]).await;
        }
    }
    assert_eq!(refused_at_password, 2, "after ten wrong codes no new second step starts");
    // The right password and the right code open nothing while the lock holds.
    let owner = Browser::new(&app);
    let page = owner.post("/co-so/dang-nhap", &password).await;
    assert_eq!(page.status, 429);
    assert!(page.body.contains("tạm khóa đăng nhập 30 phút"), "{}", crate::support::text(&page.body));
    let code = code_now(&app, DEMO_COUNTRY_SUPERVISOR_EMAIL, 30);
    let page = early.post("/co-so/xac-thuc", &[("code", code.as_str())]).await;
    assert_eq!(page.status, 429, "a second step begun before the lock is refused too");
    assert_eq!(early.get("/giam-sat").await.location.as_deref(), Some("/co-so/dang-nhap"));
    // The owner hears of it, once.
    app.smtp.wait_for_text(DEMO_COUNTRY_SUPERVISOR_EMAIL, "Đăng nhập bị khóa 30 phút").await;
    let warnings = |app: &TestApp| {
        app.smtp.messages().iter().filter(|m| crate::support::decode_body(&m.data).contains("Đăng nhập bị khóa 30 phút")).count()
    };
    assert_eq!(warnings(&app), 1);
    // Counted in the database: a second server (or a restart) sees the same lock.
    let other = crate::support::second_serving(&app).await;
    assert_eq!(Browser::new(&other).post("/co-so/dang-nhap", &password).await.status, 429);
    // Once the lock has passed, the owner signs in as usual.
    app.clock.advance(chrono::Duration::minutes(31));
    assert_eq!(staff_sign_in(&app, DEMO_COUNTRY_SUPERVISOR_EMAIL).await.get("/giam-sat").await.status, 200);
    assert_eq!(warnings(&app), 1);
}

#[tokio::test]
async fn recovery_codes_work_once_in_place_of_the_app() {
    let app = spawn_app().await;
    let browser = Browser::new(&app);
    let password = [("email", DEMO_COUNTRY_SUPERVISOR_EMAIL), ("password", DEMO_STAFF_PASSWORD)];
    browser.post("/co-so/dang-nhap", &password).await;
    crate::support::keep_totp_key(&app, DEMO_COUNTRY_SUPERVISOR_EMAIL, &browser.get("/co-so/xac-thuc").await.body);
    let code = code_now(&app, DEMO_COUNTRY_SUPERVISOR_EMAIL, 0);
    let shown = browser.post("/co-so/xac-thuc", &[("code", code.as_str())]).await.body;
    let recovery: Vec<String> = shown.split("<code>").skip(1).map(|s| s.split('<').next().unwrap().to_string()).collect();
    assert_eq!(recovery.len(), 10, "{shown}");
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM staff_recovery_codes WHERE code_hash = $1")
        .bind(&recovery[0])
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(stored, 0, "kept only as hashes");

    let without_phone = Browser::new(&app);
    without_phone.post("/co-so/dang-nhap", &password).await;
    assert_eq!(without_phone.post("/co-so/xac-thuc", &[("code", recovery[0].as_str())]).await.location.as_deref(), Some("/co-so"));
    let twice = Browser::new(&app);
    twice.post("/co-so/dang-nhap", &password).await;
    assert_eq!(twice.post("/co-so/xac-thuc", &[("code", recovery[0].as_str())]).await.status, 422);
}

#[tokio::test]
async fn site_staff_may_turn_the_second_factor_on_and_change_their_password() {
    let app = spawn_app().await;
    let station = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    let other_session = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    crate::support::keep_totp_key(&app, DEMO_STATION_EMAIL, &station.get("/co-so/bao-mat").await.body);
    let code = code_now(&app, DEMO_STATION_EMAIL, 0);
    assert!(station.post("/co-so/bao-mat/xac-thuc", &[("code", code.as_str())]).await.body.contains("Mã khôi phục"));

    let form = |current: &'static str, new: &'static str| [("current", current), ("password", new), ("confirm", new)];
    let page = station.post("/co-so/bao-mat/mat-khau", &form("sai-mat-khau", "mot-cau-rat-dai-2026")).await;
    assert!(page.body.contains("Mật khẩu hiện tại không đúng"));
    let page = station.post("/co-so/bao-mat/mat-khau", &form(DEMO_STAFF_PASSWORD, "Matkhau@123456")).await;
    assert!(page.body.contains("Mật khẩu này quá phổ biến"));
    let page = station.post("/co-so/bao-mat/mat-khau", &form(DEMO_STAFF_PASSWORD, "mot-cau-rat-dai-2026")).await;
    assert_eq!(page.location.as_deref(), Some("/co-so/bao-mat?da-doi=1"));
    assert_eq!(station.get("/co-so").await.status, 200, "this session goes on");
    assert_eq!(other_session.get("/co-so").await.location.as_deref(), Some("/co-so/dang-nhap"), "other sessions end");
    // The second factor is now asked of this site manager too.
    let page = Browser::new(&app).post("/co-so/dang-nhap", &[("email", DEMO_STATION_EMAIL), ("password", "mot-cau-rat-dai-2026")]).await;
    assert_eq!(page.location.as_deref(), Some("/co-so/xac-thuc"));
}

#[tokio::test]
async fn supervisor_and_administrator_accounts_can_be_disabled() {
    let app = spawn_app().await;
    let supervisor = staff_sign_in(&app, DEMO_COUNTRY_SUPERVISOR_EMAIL).await;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["disable-account", "--email", DEMO_COUNTRY_SUPERVISOR_EMAIL])
        .env("DATABASE_URL", &app.database_url)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(supervisor.get("/giam-sat").await.location.as_deref(), Some("/co-so/dang-nhap"), "the session ended");
    let page =
        Browser::new(&app).post("/co-so/dang-nhap", &[("email", DEMO_COUNTRY_SUPERVISOR_EMAIL), ("password", DEMO_STAFF_PASSWORD)]).await;
    assert_eq!(page.status, 422);
}

#[tokio::test]
async fn a_supervisor_created_from_the_command_line_gets_the_second_factor_with_the_password() {
    let app = spawn_app().await;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["create-supervisor", "--email", "giamsat.moi@example.vn", "--name", "Lê Văn Giám"])
        .env("DATABASE_URL", &app.database_url)
        .env("ADMIN_PASSWORD", "mot-cau-rat-dai-cho-giam-sat")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let printed = String::from_utf8_lossy(&out.stdout).into_owned();
    let typed = printed.split("authenticator key: ").nth(1).unwrap().lines().next().unwrap();
    crate::support::keep_totp_key(&app, "giamsat.moi@example.vn", &format!("class=\"totp-key\">{typed}<"));
    let browser = Browser::new(&app);
    let page = browser.post("/co-so/dang-nhap", &[("email", "giamsat.moi@example.vn"), ("password", "mot-cau-rat-dai-cho-giam-sat")]).await;
    assert_eq!(page.location.as_deref(), Some("/co-so/xac-thuc"));
    assert!(!browser.get("/co-so/xac-thuc").await.body.contains("totp-key"), "no key is shown to whoever holds the password");
    let code = code_now(&app, "giamsat.moi@example.vn", 0);
    assert_eq!(browser.post("/co-so/xac-thuc", &[("code", code.as_str())]).await.location.as_deref(), Some("/co-so"));
}

#[tokio::test]
async fn every_answer_carries_the_servers_request_id() {
    let app = spawn_app().await;
    let client = reqwest::Client::new();
    let first = client.get(format!("{}/tra-cuu", app.base)).header("x-request-id", "client-chosen").send().await.unwrap();
    let id = first.headers().get("x-request-id").unwrap().to_str().unwrap().to_string();
    assert_eq!(id.len(), 16, "{id}");
    let second = client.get(format!("{}/tra-cuu", app.base)).send().await.unwrap();
    assert_ne!(second.headers().get("x-request-id").unwrap().to_str().unwrap(), id);
}
