//! The citizen self-lookup, through the real router, as a browser without JavaScript would.

use crate::support::{Browser, DEMO_BIRTH, DEMO_ID, request_code, sign_in, spawn_app};

#[tokio::test]
async fn citizen_looks_up_by_id_and_sees_household_doses_and_diagnosis() {
    let app = spawn_app().await;
    let browser = sign_in(&app).await;
    let page = browser.get("/ho-so").await;
    assert_eq!(page.status, 200);
    let body = page.body;
    // The household sharing the phone: mother, child in her care, grandmother.
    for name in ["Nguyễn Thị Lan", "Trần Minh Khôi", "Phạm Thị Hoà"] {
        assert!(body.contains(name), "{name} missing");
    }
    // Doses with kind, date, product, lot and site.
    for text in ["Mũi nhắc lại lần 1", "02/03/2022", "Comirnaty (Pfizer-BioNTech)", "FG3530", "Trạm Y tế", "Vero Cell"] {
        assert!(body.contains(text), "{text} missing");
    }
    // The diagnosis, field by field, without the registry's values.
    assert!(body.contains("Khớp với Cơ sở dữ liệu quốc gia về dân cư"));
    assert!(body.contains("Ngày sinh khác với Cơ sở dữ liệu quốc gia về dân cư"));
    assert!(body.contains("Hồ sơ chưa có số CCCD/CMND/mã định danh"));
    assert!(!body.contains("20/05/2012"), "registry birth date of the child must not be shown");
}

#[tokio::test]
async fn citizen_looks_up_by_phone() {
    let app = spawn_app().await;
    let browser = Browser::new(&app);
    let code = request_code(&app, &browser, "+84 912 345 678", DEMO_BIRTH).await;
    let page = browser.post("/tra-cuu/ma", &[("code", &code)]).await;
    assert_eq!(page.location.as_deref(), Some("/ho-so"));
    assert!(browser.get("/ho-so").await.body.contains("Nguyễn Thị Lan"));
}

#[tokio::test]
async fn unknown_person_gets_the_same_answer_and_no_code() {
    let app = spawn_app().await;
    let browser = Browser::new(&app);
    let unknown = browser.post("/tra-cuu", &[("identifier", "001090999999"), ("birth_date", "01/01/1990")]).await;
    let wrong_birth = browser.post("/tra-cuu", &[("identifier", DEMO_ID), ("birth_date", "08/03/1990")]).await;
    for page in [&unknown, &wrong_birth] {
        assert_eq!(page.status, 303);
        assert_eq!(page.location.as_deref(), Some("/tra-cuu/ma"));
    }
    // A later matching lookup is delivered; the two before it sent nothing.
    let other = Browser::new(&app);
    request_code(&app, &other, DEMO_ID, DEMO_BIRTH).await;
    assert_eq!(app.smtp.messages().len(), 1);
}

#[tokio::test]
async fn rejected_form_keeps_what_was_typed_and_says_what_to_fix() {
    let app = spawn_app().await;
    let browser = Browser::new(&app);
    let page = browser.post("/tra-cuu", &[("identifier", "03119001234"), ("birth_date", "31/02/1990")]).await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("value=\"03119001234\""));
    assert!(page.body.contains("value=\"31/02/1990\""));
    assert!(page.body.contains("Nhập số CCCD/CMND/mã định danh (9 hoặc 12 chữ số) hoặc số điện thoại"));
    assert!(page.body.contains("Nhập ngày sinh dạng ngày/tháng/năm"));
}

#[tokio::test]
async fn brute_force_of_a_code_stops_at_five_tries() {
    let app = spawn_app().await;
    let browser = Browser::new(&app);
    let code = request_code(&app, &browser, DEMO_ID, DEMO_BIRTH).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for left in (1..=4).rev() {
        let page = browser.post("/tra-cuu/ma", &[("code", wrong)]).await;
        assert_eq!(page.status, 422);
        assert!(page.body.contains(&format!("Bạn còn {left} lần thử")), "{left}");
    }
    let fifth = browser.post("/tra-cuu/ma", &[("code", wrong)]).await;
    assert_eq!(fifth.status, 429);
    let right_too_late = browser.post("/tra-cuu/ma", &[("code", &code)]).await;
    assert_eq!(right_too_late.status, 429);
    assert!(right_too_late.body.contains("quá 5 lần"));
    assert_eq!(browser.get("/ho-so").await.location.as_deref(), Some("/tra-cuu"));
}

#[tokio::test]
async fn code_expires_after_ten_minutes() {
    let app = spawn_app().await;
    let browser = Browser::new(&app);
    let code = request_code(&app, &browser, DEMO_ID, DEMO_BIRTH).await;
    app.clock.advance(chrono::Duration::minutes(11));
    let page = browser.post("/tra-cuu/ma", &[("code", &code)]).await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("Mã đã hết hạn"));
}

#[tokio::test]
async fn code_works_once_and_only_for_the_lookup_that_asked() {
    let app = spawn_app().await;
    let browser = Browser::new(&app);
    let code = request_code(&app, &browser, DEMO_ID, DEMO_BIRTH).await;
    let token = browser.cookie("tra_cuu").expect("lookup cookie");

    // Another browser with the right code but no lookup of its own gets nowhere.
    let stranger = Browser::new(&app);
    let page = stranger.post("/tra-cuu/ma", &[("code", &code)]).await;
    assert!(page.body.contains("Mã đã hết hạn"));

    assert_eq!(browser.post("/tra-cuu/ma", &[("code", &code)]).await.location.as_deref(), Some("/ho-so"));
    let replay = Browser::new(&app);
    replay.set_cookie("tra_cuu", &token);
    let page = replay.post("/tra-cuu/ma", &[("code", &code)]).await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("Mã đã hết hạn hoặc đã được dùng"));
}

#[tokio::test]
async fn lookups_from_one_address_are_rate_limited() {
    let app = spawn_app().await;
    let browser = Browser::new(&app);
    for _ in 0..10 {
        let page = browser.post("/tra-cuu", &[("identifier", "001090999999"), ("birth_date", "1990")]).await;
        assert_eq!(page.status, 303);
    }
    let page = browser.post("/tra-cuu", &[("identifier", "001 090 999 999"), ("birth_date", "1990")]).await;
    assert_eq!(page.status, 429);
    assert!(page.body.contains("quá nhiều lần"));
    assert!(page.body.contains("value=\"001 090 999 999\""), "the typed value is kept");
}

#[tokio::test]
async fn record_page_needs_a_session_and_sessions_time_out() {
    let app = spawn_app().await;
    assert_eq!(Browser::new(&app).get("/ho-so").await.location.as_deref(), Some("/tra-cuu"));
    let browser = sign_in(&app).await;
    assert_eq!(browser.get("/ho-so").await.status, 200);
    app.clock.advance(chrono::Duration::minutes(21));
    assert_eq!(browser.get("/ho-so").await.location.as_deref(), Some("/tra-cuu"));
}

#[tokio::test]
async fn session_cookie_is_http_only_and_same_site() {
    let app = spawn_app().await;
    let browser = Browser::new(&app);
    let code = request_code(&app, &browser, DEMO_ID, DEMO_BIRTH).await;
    let r = browser
        .client
        .post(format!("{}/tra-cuu/ma", app.base))
        .header("origin", &app.base)
        .form(&[("code", code.as_str())])
        .send()
        .await
        .unwrap();
    let set_cookie: Vec<String> = r.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect();
    let session = set_cookie.iter().find(|c| c.starts_with("phien=")).expect("session cookie");
    assert!(session.contains("HttpOnly"));
    assert!(session.contains("SameSite=Lax"));
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = spawn_app().await;
    let browser = sign_in(&app).await;
    let page = browser.post("/dang-xuat", &[]).await;
    assert_eq!(page.location.as_deref(), Some("/"));
    assert_eq!(browser.get("/ho-so").await.location.as_deref(), Some("/tra-cuu"));
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let app = spawn_app().await;
    let browser = Browser::new(&app);
    let page = browser.post_from("/tra-cuu", &[("identifier", DEMO_ID), ("birth_date", DEMO_BIRTH)], "http://evil.example").await;
    assert_eq!(page.status, 403);
    assert!(app.smtp.messages().is_empty());
}

#[tokio::test]
async fn language_switch_works_without_javascript() {
    let app = spawn_app().await;
    let browser = Browser::new(&app);
    assert!(browser.get("/tra-cuu").await.body.contains("Tra cứu hồ sơ tiêm chủng"));
    let page = browser.post("/ngon-ngu", &[("lang", "en"), ("next", "/tra-cuu")]).await;
    assert_eq!(page.location.as_deref(), Some("/tra-cuu"));
    let english = browser.get("/tra-cuu").await.body;
    assert!(english.contains("Look up a vaccination record"));
    assert!(english.contains("<html lang=\"en\""));
    let page = browser.post("/ngon-ngu", &[("lang", "vi"), ("next", "//evil.example")]).await;
    assert_eq!(page.location.as_deref(), Some("/"), "no open redirect");
}

#[tokio::test]
async fn unknown_paths_get_a_404_page() {
    let app = spawn_app().await;
    let page = Browser::new(&app).get("/khong-co").await;
    assert_eq!(page.status, 404);
    assert!(page.body.contains("Không tìm thấy trang"));
}

#[tokio::test]
async fn expired_lookups_and_sessions_are_removed() {
    let app = spawn_app().await;
    let browser = sign_in(&app).await;
    Browser::new(&app).post("/tra-cuu", &[("identifier", DEMO_ID), ("birth_date", DEMO_BIRTH)]).await;
    let fresh = app::platform::housekeeping::run_once(&app.state).await.unwrap();
    assert_eq!(
        fresh,
        app::platform::housekeeping::Removed { lookups: 0, sessions: 0, abandoned_files: 0, auto_confirmed: 0, delivered_messages: 0 }
    );

    app.clock.advance(chrono::Duration::minutes(30));
    let removed = app::platform::housekeeping::run_once(&app.state).await.unwrap();
    assert_eq!(
        removed,
        app::platform::housekeeping::Removed { lookups: 2, sessions: 1, abandoned_files: 0, auto_confirmed: 0, delivered_messages: 0 }
    );
    assert_eq!(browser.get("/ho-so").await.location.as_deref(), Some("/tra-cuu"));
}
