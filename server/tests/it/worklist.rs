//! The station's worklist: the records of its commune and of the people it vaccinated that the
//! verification engine has not verified, by group, searched as staff say names, paged; only for
//! the site's own staff; a correction takes a record off it.

use crate::support::{Browser, file_birth_date_complaint, sign_in, spawn_app, staff_sign_in};
use server::seed::{DEMO_COUNTRY_SUPERVISOR_EMAIL, DEMO_STATION_EMAIL};

#[tokio::test]
async fn the_station_sees_its_unverified_records_by_group_and_works_one_off() {
    let app = spawn_app().await;
    let station = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    let page = station.get("/co-so/lam-sach").await;
    assert_eq!(page.status, 200);
    // The demo household: Hoà has no ID, Khôi's birth date differs, Lan is verified.
    assert!(page.body.contains("Phạm Thị Hoà") && page.body.contains("Trần Minh Khôi"), "{}", page.body);
    assert!(!page.body.contains("Nguyễn Thị Lan"), "verified records are not on the list");
    assert!(page.body.contains("Chưa có số giấy tờ ("), "counts per group");

    let no_id = station.get("/co-so/lam-sach?nhom=no_id").await.body;
    assert!(no_id.contains("Phạm Thị Hoà") && !no_id.contains("Trần Minh Khôi"));
    // Names as staff type them: no marks, any case, i for y; or the start of an ID number.
    let found = station.get("/co-so/lam-sach?tim=PHAM+THI+HOA").await.body;
    assert!(found.contains("Phạm Thị Hoà") && !found.contains("Trần Minh Khôi"), "{found}");
    let found = station.get("/co-so/lam-sach?tim=0312120").await.body;
    assert!(found.contains("Trần Minh Khôi") && !found.contains("Phạm Thị Hoà"));

    // Khôi's complaint is corrected: the engine verifies the record in the same transaction
    // and it leaves the list.
    let citizen = sign_in(&app).await;
    let reference = file_birth_date_complaint(&citizen, "20/05/2012").await;
    let done = station.post(&format!("/co-so/phan-anh/{reference}/sua"), &[("birth_date", "20/05/2012")]).await;
    assert_eq!(done.status, 303, "{}", done.body);
    let (status, by): (String, String) =
        sqlx::query_as("SELECT quality, verified_by FROM people WHERE id = 2").fetch_one(app.state.db.read()).await.unwrap();
    assert_eq!((status.as_str(), by.as_str()), ("verified", "complaint_correction"));
    assert!(!station.get("/co-so/lam-sach").await.body.contains("Trần Minh Khôi"));
}

#[tokio::test]
async fn the_list_is_paged_and_only_for_the_sites_own_staff() {
    let app = spawn_app().await;
    // Sixty residents of the station's commune without an ID number.
    let commune: String =
        sqlx::query_scalar("SELECT residence_unit FROM people WHERE id = 1").fetch_one(app.state.db.read()).await.unwrap();
    for i in 0..60 {
        sqlx::query("INSERT INTO people (id, full_name, birth_date, gender, residence_unit) VALUES ($1, $2, '1970', 'M', $3)")
            .bind(800_000 + i)
            .bind(format!("Lê Văn Số {i}"))
            .bind(&commune)
            .execute(app.state.db.write())
            .await
            .unwrap();
    }
    app::verification::service::verify_pending(&app.state.db, app.clock.now_for_tests()).await.unwrap();
    let station = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    let first = station.get("/co-so/lam-sach?nhom=no_id").await.body;
    let rows = |body: &str| body.matches("<th scope=\"row\">").count();
    assert_eq!(rows(&first), 50, "a page holds 50 rows");
    let next =
        first.split("href=\"/co-so/lam-sach?nhom=no_id&amp;sau=").nth(1).expect("a next page").split('"').next().unwrap().to_string();
    let second = station.get(&format!("/co-so/lam-sach?nhom=no_id&sau={next}")).await.body;
    let no_id: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM people p WHERE p.quality = 'no_id' AND (p.residence_unit = '{commune}'
           OR EXISTS (SELECT 1 FROM doses d WHERE d.person_id = p.id AND d.site_id = (SELECT site_id FROM staff WHERE email = '{DEMO_STATION_EMAIL}')))"
    ))
    .fetch_one(app.state.db.read())
    .await
    .unwrap();
    assert_eq!(50 + rows(&second) as i64, no_id, "the second page holds the rest");

    // Citizens are sent to the staff sign-in; supervisors hold no site's list; another site
    // does not see this commune's residents.
    let citizen = sign_in(&app).await;
    assert_eq!(citizen.get("/co-so/lam-sach").await.location.as_deref(), Some("/co-so/dang-nhap"));
    assert_eq!(Browser::new(&app).get("/co-so/lam-sach").await.location.as_deref(), Some("/co-so/dang-nhap"));
    let supervisor = staff_sign_in(&app, DEMO_COUNTRY_SUPERVISOR_EMAIL).await;
    assert_eq!(supervisor.get("/co-so/lam-sach").await.status, 404);
    assert_eq!(supervisor.get("/co-so/lam-sach/xuat.xlsx").await.status, 404);
    assert_eq!(citizen.get("/co-so/lam-sach/xuat.xlsx").await.location.as_deref(), Some("/co-so/dang-nhap"));
    let centre = staff_sign_in(&app, "ttyt.demo@example.vn").await;
    let theirs = centre.get("/co-so/lam-sach?nhom=no_id").await.body;
    assert!(!theirs.contains("Lê Văn Số"), "another site does not see this commune's residents");
}

#[tokio::test]
async fn the_list_downloads_as_excel_with_every_row_and_ids_as_text() {
    let app = spawn_app().await;
    let station = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    let page = station.get("/co-so/lam-sach").await.body;
    assert!(page.contains("href=\"/co-so/lam-sach/xuat.xlsx\""), "the page links its export");
    let (status, content_type, xlsx) = station.download("/co-so/lam-sach/xuat.xlsx?nhom=data_differs").await;
    assert_eq!((status, content_type.as_str()), (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(xlsx)).unwrap();
    let sheet = book.worksheet_range("Cần làm sạch").unwrap();
    let rows: Vec<&[Data]> = sheet.rows().collect();
    assert_eq!(rows[0][1].to_string(), "Họ và tên");
    let site: i64 = sqlx::query_scalar("SELECT site_id FROM staff WHERE email = $1")
        .bind(DEMO_STATION_EMAIL)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    let differs: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM people p WHERE p.quality = 'data_differs' AND (p.residence_unit = (SELECT unit_code FROM sites WHERE id = $1)
           OR EXISTS (SELECT 1 FROM doses d WHERE d.person_id = p.id AND d.site_id = $1))",
    )
    .bind(site)
    .fetch_one(app.state.db.read())
    .await
    .unwrap();
    assert_eq!(rows.len() as i64 - 1, differs, "every row of the group, not one page");
    let khoi = rows.iter().find(|r| r[1] == "Trần Minh Khôi").expect("Khôi's birth date differs");
    assert_eq!(khoi[4], Data::String("031212004821".into()), "ID numbers are text, leading zero kept");
    assert!(khoi[5].to_string().contains("Ngày sinh"), "{:?}", khoi[5]);
}

#[tokio::test]
async fn the_station_sees_the_registry_beside_the_record_and_corrects_it_directly() {
    let app = spawn_app().await;
    let station = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    assert!(station.get("/co-so/lam-sach").await.body.contains("href=\"/co-so/lam-sach/ho-so/2\""), "each row opens its record");
    let page = station.get("/co-so/lam-sach/ho-so/2").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<td>02/05/2012</td><td>20/05/2012</td>"), "recorded beside the registry: {}", page.body);

    // A refused value keeps what was typed; nothing changes.
    let refused = station.post("/co-so/lam-sach/ho-so/2/sua", &[("birth_date", "31/02/2012")]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("value=\"31/02/2012\""));
    let empty = station.post("/co-so/lam-sach/ho-so/2/sua", &[("birth_date", "")]).await;
    assert_eq!(empty.status, 422, "nothing to change is said");

    let done = station.post("/co-so/lam-sach/ho-so/2/sua", &[("birth_date", "20/05/2012")]).await;
    assert_eq!(done.location.as_deref(), Some("/co-so/lam-sach/ho-so/2"));
    let (status, by): (String, String) =
        sqlx::query_as("SELECT quality, verified_by FROM people WHERE id = 2").fetch_one(app.state.db.read()).await.unwrap();
    assert_eq!((status.as_str(), by.as_str()), ("verified", "station_edit"), "graded again in the same transaction");
    let audit: (String, Option<i64>, String, String) =
        sqlx::query_as("SELECT field, complaint_id, before_value, after_value FROM record_audit WHERE person_id = 2")
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    assert_eq!(audit, ("birth_date".to_string(), None, "2012-05-02".to_string(), "2012-05-20".to_string()));

    // Another site's staff: the record does not exist for them, nor can they edit it.
    let centre = staff_sign_in(&app, "ttyt.demo@example.vn").await;
    assert_eq!(centre.get("/co-so/lam-sach/ho-so/2").await.status, 404);
    assert_eq!(centre.post("/co-so/lam-sach/ho-so/2/sua", &[("full_name", "Ai Đó")]).await.status, 404);
    let name: String = sqlx::query_scalar("SELECT full_name FROM people WHERE id = 2").fetch_one(app.state.db.read()).await.unwrap();
    assert_eq!(name, "Trần Minh Khôi");
}
