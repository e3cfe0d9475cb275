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

/// The kept counts per unit and status equal a count of the live records from scratch.
async fn assert_counts_match_a_recount(app: &crate::support::TestApp) {
    let kept: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT unit_code, quality, CAST(people AS BIGINT) FROM quality_counts WHERE people <> 0 ORDER BY unit_code, quality",
    )
    .fetch_all(app.state.db.read())
    .await
    .unwrap();
    let recount: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT residence_unit, quality, COUNT(*) FROM people WHERE quality IS NOT NULL AND merged_into IS NULL
         GROUP BY residence_unit, quality ORDER BY residence_unit, quality",
    )
    .fetch_all(app.state.db.read())
    .await
    .unwrap();
    assert_eq!(kept, recount);
}

#[tokio::test]
async fn a_record_without_an_id_is_matched_to_its_registry_person_and_merged_with_its_split_twin() {
    let app = spawn_app().await;
    let station = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    let family = sign_in(&app).await.get("/ho-so").await.body;
    assert!(family.contains("Phạm Thị Hoà") && !family.contains("23/11/1956"), "citizens never see a registry value");
    // Hoà's record has no ID and a year only; the registry holds her under 031156007311, and
    // her booster sits on a second record (4) that carries that number.
    let page = station.get("/co-so/lam-sach/ho-so/3").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Gợi ý từ CSDL dân cư") && page.body.contains("031156007311"), "{}", page.body);
    assert!(page.body.contains("Họ và tên: trùng khớp"), "the why beside the score");
    assert!(page.body.contains("/co-so/lam-sach/gop/3/4"), "the twin is proposed");

    // A number that is not a candidate is refused and nothing changes.
    let refused = station.post("/co-so/lam-sach/ho-so/3/xac-nhan", &[("so", "001090000001")]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("không còn nằm trong danh sách gợi ý"));
    // Confirming the candidate finds the number on record 4: the merge screen opens.
    let confirmed = station.post("/co-so/lam-sach/ho-so/3/xac-nhan", &[("so", "031156007311")]).await;
    assert_eq!(confirmed.location.as_deref(), Some("/co-so/lam-sach/gop/3/4"));
    let merge = station.get("/co-so/lam-sach/gop/3/4").await;
    assert!(merge.body.contains("Một người, hai hồ sơ?") && merge.body.contains("FK8891") && merge.body.contains("202107B2145"));

    // Keep record 4 (it has the ID): Hoà's two doses move to it, each audited on both records.
    let merged = station.post("/co-so/lam-sach/gop/3/4", &[("giu", "4")]).await;
    assert_eq!(merged.location.as_deref(), Some("/co-so/lam-sach/ho-so/4"), "{}", merged.body);
    let db = app.state.db.read();
    let doses: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM doses WHERE person_id = 4").fetch_one(db).await.unwrap();
    assert_eq!(doses, 3);
    let moved: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT person_id, before_value, after_value FROM record_audit WHERE field = 'dose_moved' ORDER BY person_id, dose_id",
    )
    .fetch_all(db)
    .await
    .unwrap();
    assert_eq!(moved.len(), 4, "two doses, one row on each record");
    assert!(moved.iter().all(|(_, from, to)| from == "3" && to == "4"));
    let (into, quality): (Option<i64>, Option<String>) =
        sqlx::query_as("SELECT merged_into, quality FROM people WHERE id = 3").fetch_one(db).await.unwrap();
    assert_eq!((into, quality), (Some(4), None), "retired with a pointer, out of the counts, not deleted");
    let (status, by): (String, String) =
        sqlx::query_as("SELECT quality, verified_by FROM people WHERE id = 4").fetch_one(db).await.unwrap();
    assert_eq!((status.as_str(), by.as_str()), ("verified", "merge"));
    assert_counts_match_a_recount(&app).await;
    assert!(!station.get("/co-so/lam-sach?nhom=no_id").await.body.contains("Phạm Thị Hoà"), "off the list");
    assert_eq!(station.get("/co-so/lam-sach/ho-so/3").await.status, 404, "a retired record is no longer worked");
    // The family's record page no longer shows the retired record (its doses live on record 4).
    let family = sign_in(&app).await.get("/ho-so").await.body;
    assert!(!family.contains("Phạm Thị Hoà"), "{family}");
    // The status change is kept for the campaign's progress.
    let history: Vec<(String, String, String)> =
        sqlx::query_as("SELECT old_status, new_status, source FROM verification_history WHERE person_id = 4").fetch_all(db).await.unwrap();
    assert!(history.is_empty(), "record 4 was verified before and after: {history:?}");
}

#[tokio::test]
async fn confirming_a_candidate_gives_the_record_the_registry_id_and_not_the_same_person_is_remembered() {
    let app = spawn_app().await;
    let station = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    // Hoà and her twin are in the "possible duplicate" group until the station says otherwise.
    let duplicates = station.get("/co-so/lam-sach?nhom=possible_duplicate").await.body;
    assert!(duplicates.contains("Phạm Thị Hoà") && duplicates.contains("Có thể trùng người ("), "{duplicates}");
    // The two are two people: record 4 is no longer proposed for record 3.
    let apart = station.post("/co-so/lam-sach/gop/3/4/khac-nguoi", &[]).await;
    assert_eq!(apart.location.as_deref(), Some("/co-so/lam-sach/ho-so/3"));
    let page = station.get("/co-so/lam-sach/ho-so/3").await.body;
    assert!(!page.contains("So sánh và gộp"), "{page}");
    assert!(!station.get("/co-so/lam-sach?nhom=possible_duplicate").await.body.contains("Phạm Thị Hoà"));
    // Record 4 retired by hand (as if merged elsewhere): confirming now gives record 3 the ID.
    sqlx::query("UPDATE people SET national_id = NULL WHERE id = 4").execute(app.state.db.write()).await.unwrap();
    let confirmed = station.post("/co-so/lam-sach/ho-so/3/xac-nhan", &[("so", "031156007311")]).await;
    assert_eq!(confirmed.location.as_deref(), Some("/co-so/lam-sach/ho-so/3"), "{}", confirmed.body);
    let db = app.state.db.read();
    let (id, by): (String, String) =
        sqlx::query_as("SELECT national_id, verified_by FROM people WHERE id = 3").fetch_one(db).await.unwrap();
    assert_eq!((id.as_str(), by.as_str()), ("031156007311", "station_match"));
    let audit: (Option<String>, String) =
        sqlx::query_as("SELECT before_value, after_value FROM record_audit WHERE person_id = 3 AND field = 'national_id'")
            .fetch_one(db)
            .await
            .unwrap();
    assert_eq!(audit, (None, "031156007311".to_string()));
    // Year only against the registry's full date: still data_differs, and the change is kept.
    let history: (String, String, String) =
        sqlx::query_as("SELECT old_status, new_status, source FROM verification_history WHERE person_id = 3").fetch_one(db).await.unwrap();
    assert_eq!(history, ("no_id".into(), "data_differs".into(), "station_match".into()));
    assert_counts_match_a_recount(&app).await;
    // The station completes the birth date: verified, and the district's numbers show it.
    let district: String =
        sqlx::query_scalar("SELECT u.parent_code FROM people p JOIN admin_units u ON u.code = p.residence_unit WHERE p.id = 3")
            .fetch_one(db)
            .await
            .unwrap();
    let before = station.get(&format!("/so-lieu?khu-vuc={district}")).await.body;
    let edited = station.post("/co-so/lam-sach/ho-so/3/sua", &[("birth_date", "23/11/1956")]).await;
    assert_eq!(edited.status, 303, "{}", edited.body);
    let verified: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM verification_history WHERE person_id = 3 AND new_status = 'verified'")
        .fetch_one(db)
        .await
        .unwrap();
    assert_eq!(verified, 1);
    assert_counts_match_a_recount(&app).await;
    // The public numbers are kept for a minute.
    app.clock.advance(chrono::Duration::seconds(61));
    let after = station.get(&format!("/so-lieu?khu-vuc={district}")).await.body;
    assert!(after.contains("Tiến độ làm sạch") && after.contains("Theo trạm y tế xã"), "{after}");
    let station_row =
        |body: &str| body.split("<tr>").find(|row| row.contains("<th scope=\"row\">Trạm Y tế") && row.contains("<td>")).map(str::to_string);
    // The cells: left to clean, verified, verified in the last 7 days, with the police.
    let this_week = |row: String| row.split("<td>").nth(3).and_then(|c| c.split("</td>").next()).map(str::to_string);
    assert_eq!(station_row(&before).and_then(this_week).as_deref(), Some("0"), "{before}");
    assert_eq!(station_row(&after).and_then(this_week).as_deref(), Some("1"), "the supervisor's numbers move: {after}");

    // The village team's check: an empty note is refused and keeps the page; a note is kept.
    let empty = station.post("/co-so/lam-sach/ho-so/3/kiem-tra", &[("ghi_chu", " ")]).await;
    assert_eq!(empty.status, 422);
    let noted = station.post("/co-so/lam-sach/ho-so/3/kiem-tra", &[("ghi_chu", "Tổ 5 đã gặp bà Hoà, xem CCCD gốc.")]).await;
    assert_eq!(noted.status, 303);
    assert!(station.get("/co-so/lam-sach/ho-so/3").await.body.contains("Tổ 5 đã gặp bà Hoà, xem CCCD gốc."));

    // Another site sees neither record nor merge screen; a citizen never sees a candidate.
    let centre = staff_sign_in(&app, "ttyt.demo@example.vn").await;
    let other_commune: Option<i64> = sqlx::query_scalar(
        "SELECT p.id FROM people p WHERE p.residence_unit <> (SELECT residence_unit FROM people WHERE id = 1)
           AND NOT EXISTS (SELECT 1 FROM doses d WHERE d.person_id = p.id AND d.site_id = (SELECT site_id FROM staff WHERE email = $1))
         ORDER BY p.id LIMIT 1",
    )
    .bind(DEMO_STATION_EMAIL)
    .fetch_optional(db)
    .await
    .unwrap();
    if let Some(stranger) = other_commune {
        assert_eq!(station.get(&format!("/co-so/lam-sach/gop/3/{stranger}")).await.status, 404);
        assert_eq!(station.post(&format!("/co-so/lam-sach/gop/3/{stranger}"), &[("giu", "3")]).await.status, 404);
    }
    let _ = centre;
    let citizen = sign_in(&app).await;
    let record = citizen.get("/ho-so").await.body;
    assert!(!record.contains("Gợi ý từ CSDL dân cư") && !record.contains("xac-nhan"), "no candidates for citizens");
    assert_eq!(citizen.get("/co-so/lam-sach/gop/3/4").await.location.as_deref(), Some("/co-so/dang-nhap"));
}

#[tokio::test]
async fn a_split_record_complaint_opens_the_record_where_the_twin_is_merged() {
    let app = spawn_app().await;
    let citizen = sign_in(&app).await;
    let key = crate::support::form_key(&citizen.get("/phan-anh/moi?nguoi=3").await.body);
    let text = "Mũi nhắc lại của bà ghi ở một hồ sơ khác có số CCCD.";
    let filed = citizen.post("/phan-anh", &[("person", "3"), ("key", key.as_str()), ("kind", "split_record"), ("description", text)]).await;
    assert_eq!(filed.status, 303, "{}", filed.body);
    let reference = filed.location.unwrap().trim_start_matches("/phan-anh/").to_string();
    let station = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    let page = station.get(&format!("/co-so/phan-anh/{reference}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("href=\"/co-so/lam-sach/ho-so/3\""), "{}", page.body);
    assert!(station.get("/co-so/lam-sach/ho-so/3").await.body.contains("/co-so/lam-sach/gop/3/4"), "the twin, ready to merge");
}
