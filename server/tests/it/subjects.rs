//! Subject import: the station's file of subjects with corrected ID numbers, each row finding
//! its record by key or by name, birth date and phone (never guessed when several fit), shown as
//! a dry run, applied once, audited and re-verified; only for the station's own records.

use crate::support::{TestApp, spawn_app, staff_sign_in};
use calamine::{Reader, Xlsx};
use rust_xlsxwriter::Workbook;
use server::seed::DEMO_STATION_EMAIL;

/// A resident of the demo commune without an ID, and the registry's entry for them.
async fn resident(app: &TestApp, name: &str, birth: &str, gender: &str, phone: Option<&str>, registry_id: Option<&str>) -> i64 {
    let db = app.state.db.write();
    let unit: String = sqlx::query_scalar("SELECT residence_unit FROM people WHERE id = 1").fetch_one(db).await.unwrap();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO people (full_name, birth_date, gender, phone, residence_unit, name_key) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(name)
    .bind(birth)
    .bind(gender)
    .bind(phone)
    .bind(&unit)
    .bind(app::domain::name_key(name))
    .fetch_one(db)
    .await
    .unwrap();
    if let Some(registry_id) = registry_id {
        sqlx::query("INSERT INTO registry_people (national_id, full_name, birth_date, gender, name_key) VALUES ($1, $2, $3, $4, $5)")
            .bind(registry_id)
            .bind(name)
            .bind(birth)
            .bind(gender)
            .bind(app::domain::name_key(name))
            .execute(db)
            .await
            .unwrap();
    }
    app::verification::service::verify_pending(&app.state.db, chrono::Utc::now().timestamp()).await.unwrap();
    id
}

#[tokio::test]
async fn subjects_are_matched_by_key_or_by_name_birth_and_phone_and_never_guessed() {
    let app = spawn_app().await;
    let nam = resident(&app, "Lê Văn Nam", "1985-02-14", "M", None, Some("037085001234")).await;
    let mai = resident(&app, "Đỗ Thị Mai", "1985-07-01", "F", Some("0912345678"), Some("037185004321")).await;
    let tu_a = resident(&app, "Hồ Văn Tư", "1970", "M", Some("0987000111"), None).await;
    let tu_b = resident(&app, "Hồ Văn Tư", "1970-03-03", "M", Some("0987000111"), None).await;
    let station = staff_sign_in(&app, DEMO_STATION_EMAIL).await;

    let (status, _, template) = station.download("/co-so/nhap-doi-tuong/mau.xlsx").await;
    assert_eq!(status, 200);
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(template)).unwrap();
    let header: Vec<String> = book.worksheet_range_at(0).unwrap().unwrap().rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(header, app::subjects::HEADERS.map(String::from).to_vec());

    // Nam by his record key (his ID typed as a number); Mai by name (NFD, another case), birth
    // date and phone (+84); Tư fits two records; a stranger fits none; a key not on the list.
    let mut file = Workbook::new();
    let sheet = file.add_worksheet();
    for (c, h) in app::subjects::HEADERS.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_number(1, 0, nam as f64).unwrap();
    sheet.write_number(1, 5, 37085001234.0).unwrap();
    sheet.write_string(2, 1, "đỗ thi\u{0323} mai").unwrap();
    sheet.write_string(2, 2, "1/7/1985").unwrap();
    sheet.write_string(2, 4, "+84 912 345 678").unwrap();
    sheet.write_string(2, 5, "037185004321").unwrap();
    sheet.write_string(3, 1, "Hồ Văn Tư").unwrap();
    sheet.write_string(3, 2, "03/03/1970").unwrap();
    sheet.write_string(3, 4, "0987000111").unwrap();
    sheet.write_string(3, 5, "037070001111").unwrap();
    sheet.write_string(4, 1, "Không Có Ai").unwrap();
    sheet.write_string(4, 2, "01/01/1990").unwrap();
    sheet.write_string(4, 5, "037090001111").unwrap();
    sheet.write_number(5, 0, 999_999.0).unwrap();
    sheet.write_string(5, 5, "037090001112").unwrap();
    let bytes = file.save_to_buffer().unwrap();

    let uploaded = station.post_multipart("/co-so/nhap-doi-tuong", &[], &[("doi-tuong.xlsx", bytes)]).await;
    assert_eq!(uploaded.status, 303, "{}", uploaded.body);
    let dry_path = uploaded.location.unwrap();
    let dry = station.get(&dry_path).await.body;
    assert!(dry.contains("2 dòng sẽ cập nhật hồ sơ") && dry.contains("3 dòng bị từ chối"), "{dry}");
    assert!(dry.contains("Nhiều hồ sơ cùng họ tên") && dry.contains(&format!("Mã hồ sơ {tu_a}: Hồ Văn Tư · 1970")), "{dry}");
    assert!(dry.contains(&format!("Mã hồ sơ {tu_b}: Hồ Văn Tư · 03/03/1970")), "the candidates listed: {dry}");
    assert!(dry.contains("Không tìm thấy hồ sơ nào") && dry.contains("Mã hồ sơ không thuộc danh sách"), "{dry}");

    // Another site's staff cannot read or apply the station's file.
    let district = staff_sign_in(&app, crate::support::DISTRICT_EMAIL).await;
    assert_eq!(district.get(&dry_path).await.status, 404);
    assert_eq!(district.post(&format!("{dry_path}/ap-dung"), &[]).await.status, 404);

    let applied = station.post(&format!("{dry_path}/ap-dung"), &[]).await;
    assert_eq!(applied.status, 303);
    let db = app.state.db.read();
    for (person, id) in [(nam, "037085001234"), (mai, "037185004321")] {
        let (national_id, quality, by): (Option<String>, String, String) =
            sqlx::query_as("SELECT national_id, quality, verified_by FROM people WHERE id = $1").bind(person).fetch_one(db).await.unwrap();
        assert_eq!((national_id.as_deref(), quality.as_str(), by.as_str()), (Some(id), "verified", "subject_import"));
    }
    let untouched: Option<String> =
        sqlx::query_scalar("SELECT national_id FROM people WHERE id = $1").bind(tu_a).fetch_one(db).await.unwrap();
    assert_eq!(untouched, None, "an ambiguous row is never guessed");
    let audit: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM record_audit WHERE field = 'national_id' AND person_id IN ($1, $2)")
        .bind(nam)
        .bind(mai)
        .fetch_one(db)
        .await
        .unwrap();
    assert_eq!(audit, 2);
    assert!(station.get("/co-so/xac-minh?nguon=subject_import").await.body.contains("Đỗ Thị Mai"));
}
