//! The access matrix: every endpoint that reads or changes a complaint, a file or a staff
//! account, tried by everyone who must not use it. Each refuses the same way it refuses an
//! object that does not exist, and nothing changes.

use crate::support::{Browser, DISTRICT_EMAIL, TestApp, form_key, sign_in, sign_in_other, spawn_app, staff_sign_in};
use server::seed::DEMO_STATION_EMAIL;

const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xFF\xDAcard\xFF\xD9";

/// What the database says about the complaint and the records: status, events, audit rows,
/// evidence, staff accounts. Must not move when a refused request arrives.
async fn snapshot(app: &TestApp) -> Vec<i64> {
    let mut out = Vec::new();
    for sql in [
        "SELECT COUNT(*) FROM complaints WHERE status = 'open'",
        "SELECT COUNT(*) FROM complaint_events",
        "SELECT COUNT(*) FROM record_audit",
        "SELECT COUNT(*) FROM evidence",
        "SELECT COUNT(*) FROM staff",
        "SELECT COUNT(*) FROM staff WHERE disabled_at IS NOT NULL",
        "SELECT COUNT(*) FROM outbox",
    ] {
        out.push(sqlx::query_scalar(sql).fetch_one(app.state.db.read()).await.unwrap());
    }
    out
}

#[tokio::test]
async fn nobody_reaches_what_is_not_theirs() {
    let app = spawn_app().await;
    let owner = sign_in(&app).await;
    // A complaint with a file, held by the demo station.
    let key = form_key(&owner.get("/phan-anh/moi?nguoi=2").await.body);
    let page = owner
        .post_multipart(
            "/phan-anh",
            &[("person", "2"), ("key", &key), ("kind", "personal_data"), ("birth_date", "20/05/2012")],
            &[("card.jpg", JPEG.to_vec())],
        )
        .await;
    let reference = page.location.unwrap().trim_start_matches("/phan-anh/").to_string();
    let token: String = sqlx::query_scalar("SELECT token FROM evidence").fetch_one(app.state.db.read()).await.unwrap();
    let district_staff: i64 =
        sqlx::query_scalar("SELECT id FROM staff WHERE email = $1").bind(DISTRICT_EMAIL).fetch_one(app.state.db.read()).await.unwrap();
    let district_site: i64 =
        sqlx::query_scalar("SELECT site_id FROM staff WHERE email = $1").bind(DISTRICT_EMAIL).fetch_one(app.state.db.read()).await.unwrap();

    let (other_citizen, other_person) = sign_in_other(&app).await;
    let other_site = staff_sign_in(&app, DISTRICT_EMAIL).await;
    let stranger = Browser::new(&app);
    let before = snapshot(&app).await;

    let citizen_reads =
        [format!("/phan-anh/{reference}"), format!("/phan-anh/{reference}/tep/{token}"), "/phan-anh/moi?nguoi=2".to_string()];
    let citizen_posts: Vec<(String, Vec<(&str, &str)>)> = vec![
        (format!("/phan-anh/{reference}/tra-loi"), vec![("key", key.as_str()), ("answer_message", "Tôi trả lời thay.")]),
        (format!("/phan-anh/{reference}/xac-nhan"), vec![]),
        (format!("/phan-anh/{reference}/mo-lai"), vec![("reopen_reason", "Mở lại hộ người khác.")]),
        (
            "/phan-anh".to_string(),
            vec![
                ("person", "2"),
                ("key", "00000000000000000000000000000000"),
                ("kind", "other"),
                ("description", "Phản ánh hộ người khác."),
            ],
        ),
    ];
    let staff_reads = [format!("/co-so/phan-anh/{reference}"), format!("/co-so/phan-anh/{reference}/tep/{token}")];
    let staff_posts: Vec<(String, Vec<(&str, &str)>)> = vec![
        (format!("/co-so/phan-anh/{reference}/sua"), vec![("birth_date", "20/05/2012")]),
        (format!("/co-so/phan-anh/{reference}/hoi"), vec![("ask_message", "Hỏi thêm thông tin.")]),
        (format!("/co-so/phan-anh/{reference}/tra-loi"), vec![("reply_message", "Trả lời thay.")]),
        (format!("/co-so/phan-anh/{reference}/tu-choi"), vec![("reject_reason", "Từ chối thay.")]),
        (format!("/co-so/phan-anh/{reference}/chuyen"), vec![("reassign_site", "1"), ("reassign_reason", "Chuyển thay.")]),
    ];

    // Another household: 404, as for something that does not exist.
    for path in &citizen_reads {
        assert_eq!(other_citizen.get(path).await.status, 404, "other household GET {path}");
    }
    for (path, form) in &citizen_posts {
        assert_eq!(other_citizen.post(path, form).await.status, 404, "other household POST {path}");
    }
    assert_eq!(other_citizen.get("/phan-anh/PA-XXXX-XXXX").await.status, 404);
    assert_eq!(owner.get(&format!("/phan-anh/moi?nguoi={other_person}")).await.status, 404, "and the owner cannot reach into theirs");

    // Another site's staff: 404 for the complaint, its file and every action.
    for path in &staff_reads {
        assert_eq!(other_site.get(path).await.status, 404, "other site GET {path}");
    }
    for (path, form) in &staff_posts {
        assert_eq!(other_site.post(path, form).await.status, 404, "other site POST {path}");
    }
    assert_eq!(other_site.get("/co-so/phan-anh/PA-XXXX-XXXX").await.status, 404);

    // Citizens have no staff session; staff have no citizen session; strangers have neither.
    for who in [&owner, &stranger] {
        for path in &staff_reads {
            let page = who.get(path).await;
            assert!(page.status == 404 || page.location.as_deref() == Some("/co-so/dang-nhap"), "{path}: {}", page.status);
        }
        for (path, form) in &staff_posts {
            assert_eq!(who.post(path, form).await.location.as_deref(), Some("/co-so/dang-nhap"), "{path}");
        }
    }
    for who in [&other_site, &stranger] {
        for path in &citizen_reads {
            let page = who.get(path).await;
            assert!(page.status == 404 || page.location.as_deref() == Some("/tra-cuu"), "{path}: {}", page.status);
        }
        for (path, form) in &citizen_posts {
            assert_eq!(who.post(path, form).await.location.as_deref(), Some("/tra-cuu"), "{path}");
        }
    }

    // Staff management: only the manager of the site (or an administrator).
    assert_eq!(other_site.get("/co-so/nhan-vien").await.status, 404, "site staff are not managers");
    let manager = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    assert_eq!(manager.get("/co-so/nhan-vien").await.status, 200);
    assert_eq!(manager.get(&format!("/co-so/nhan-vien?co-so={district_site}")).await.status, 404, "not another site's");
    let site = district_site.to_string();
    let invite = [("site", site.as_str()), ("full_name", "Người Lạ"), ("email", "nguoi.la@example.vn")];
    assert_eq!(manager.post("/co-so/nhan-vien", &invite).await.status, 404);
    assert_eq!(manager.post(&format!("/co-so/nhan-vien/{district_staff}/khoa"), &[]).await.status, 404);
    assert_eq!(owner.post(&format!("/co-so/nhan-vien/{district_staff}/khoa"), &[]).await.location.as_deref(), Some("/co-so/dang-nhap"));

    // Cross-origin posts are refused before anything else, even by the rightful user.
    let evil = "https://evil.example";
    for (path, form) in &citizen_posts {
        assert_eq!(owner.post_from(path, form, evil).await.status, 403, "{path}");
    }
    for (path, form) in &staff_posts {
        assert_eq!(manager.post_from(path, form, evil).await.status, 403, "{path}");
    }
    assert_eq!(manager.post_from("/co-so/nhan-vien", &[("full_name", "A B"), ("email", "a@b.vn")], evil).await.status, 403);

    assert_eq!(snapshot(&app).await, before, "nothing changed");
    // The rightful users still can.
    assert_eq!(owner.get(&format!("/phan-anh/{reference}/tep/{token}")).await.status, 200);
    assert_eq!(manager.get(&format!("/co-so/phan-anh/{reference}/tep/{token}")).await.status, 200);
}

#[tokio::test]
async fn a_manager_invites_staff_who_set_their_own_password_and_can_be_disabled() {
    let app = spawn_app().await;
    let manager = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    let page = manager.post("/co-so/nhan-vien", &[("full_name", "Đỗ Thị Hạnh"), ("email", "khong-phai-email")]).await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("value=\"Đỗ Thị Hạnh\""), "what was typed stays");
    // An address that holds an account gets the same answer (the form tells nobody who has
    // an account); its owner is told by email instead.
    let page = manager.post("/co-so/nhan-vien", &[("full_name", "Đỗ Thị Hạnh"), ("email", DISTRICT_EMAIL)]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    app::platform::outbox::run_once(&app.state).await.unwrap();
    let notice = crate::support::decode_body(&app.smtp.wait_for_text(DISTRICT_EMAIL, "you already have an account").await.data);
    assert!(!notice.contains("/co-so/mat-khau/"), "no set-password link for an existing account");
    let page = manager.post("/co-so/nhan-vien", &[("full_name", "Đỗ Thị Hạnh"), ("email", "hanh.do@example.vn")]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    assert!(manager.get("/co-so/nhan-vien").await.body.contains("Chờ đặt mật khẩu"));

    app::platform::outbox::run_once(&app.state).await.unwrap();
    let mail = crate::support::decode_body(&app.smtp.wait_for_text("hanh.do@example.vn", "/co-so/mat-khau/").await.data);
    let at = mail.find("/co-so/mat-khau/").unwrap();
    let path: String = mail[at..].chars().take_while(|c| !c.is_whitespace()).collect();
    let newcomer = Browser::new(&app);
    assert_eq!(newcomer.get(&path).await.status, 200);
    let page = newcomer.post(&path, &[("password", "ngan"), ("confirm", "ngan")]).await;
    assert!(page.body.contains("Mật khẩu cần ít nhất 12 ký tự."));
    let password = "mat-khau-du-dai-2026";
    assert_eq!(newcomer.post(&path, &[("password", password), ("confirm", password)]).await.location.as_deref(), Some("/co-so/dang-nhap"));
    assert_eq!(newcomer.get(&path).await.status, 404, "the link works once");
    let page = newcomer.post("/co-so/dang-nhap", &[("email", "hanh.do@example.vn"), ("password", password)]).await;
    assert_eq!(page.location.as_deref(), Some("/co-so"));
    assert!(newcomer.get("/co-so").await.body.contains("Đỗ Thị Hạnh"));
    assert_eq!(newcomer.get("/co-so/nhan-vien").await.status, 404, "staff do not manage staff");

    // Disabled: the open session ends at once and the password stops working.
    let id: i64 =
        sqlx::query_scalar("SELECT id FROM staff WHERE email = 'hanh.do@example.vn'").fetch_one(app.state.db.read()).await.unwrap();
    assert_eq!(manager.post(&format!("/co-so/nhan-vien/{id}/khoa"), &[]).await.status, 303);
    assert_eq!(newcomer.get("/co-so").await.location.as_deref(), Some("/co-so/dang-nhap"));
    let page = Browser::new(&app).post("/co-so/dang-nhap", &[("email", "hanh.do@example.vn"), ("password", password)]).await;
    assert_eq!(page.status, 422);
    // A manager cannot lock themselves out.
    let me: i64 =
        sqlx::query_scalar("SELECT id FROM staff WHERE email = $1").bind(DEMO_STATION_EMAIL).fetch_one(app.state.db.read()).await.unwrap();
    assert_eq!(manager.post(&format!("/co-so/nhan-vien/{me}/khoa"), &[]).await.status, 404);
}

#[tokio::test]
async fn an_administrator_finds_any_site_and_manages_its_staff() {
    let app = spawn_app().await;
    app::staff::service::create_staff(
        &app.state.db,
        "quantri@example.vn",
        "Quản Trị Viên",
        server::seed::DEMO_STAFF_PASSWORD,
        app::staff::StaffRole::Admin,
        app::staff::service::Placement::Nowhere,
        0,
    )
    .await
    .unwrap();
    let admin = staff_sign_in(&app, "quantri@example.vn").await;
    // The demo station, its province and a word of its name.
    let (site, name, province): (i64, String, String) = sqlx::query_as(
        "SELECT s.id, s.name, d.parent_code FROM staff st JOIN sites s ON s.id = st.site_id
         JOIN admin_units w ON w.code = s.unit_code JOIN admin_units d ON d.code = w.parent_code WHERE st.email = $1",
    )
    .bind(DEMO_STATION_EMAIL)
    .fetch_one(app.state.db.read())
    .await
    .unwrap();
    let page = admin.get("/co-so/nhan-vien").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Chọn cơ sở để quản lý nhân viên") && page.body.contains(&format!("value=\"{province}\"")));
    let word = name.split_whitespace().last().unwrap();
    let page = admin.get(&format!("/co-so/nhan-vien?tinh={province}&tim={}", urlencoding(word))).await;
    assert!(page.body.contains(&format!("href=\"/co-so/nhan-vien?co-so={site}\"")), "{}", page.body);
    let team = admin.get(&format!("/co-so/nhan-vien?co-so={site}")).await;
    assert_eq!(team.status, 200);
    assert!(team.body.contains(DEMO_STATION_EMAIL));
    // A manager has no picker: their own site only.
    let manager = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    assert!(!manager.get("/co-so/nhan-vien?tinh=x").await.body.contains("Chọn cơ sở để quản lý nhân viên"));
}

fn urlencoding(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}
