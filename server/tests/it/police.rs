//! The Excel round trip with the commune police: a batch goes out as a spreadsheet, comes back
//! filled in as the police would (with what spreadsheets do to IDs, dates and text), is shown
//! as a dry run, then applied in one transaction, audited and re-verified; ugly files are
//! refused whole and change nothing; only the station's own staff touch its batches.

use crate::support::{Browser, TestApp, spawn_app, staff_sign_in};
use calamine::{Data, Reader, Xlsx};
use rust_xlsxwriter::{Format, Workbook};
use server::seed::DEMO_STATION_EMAIL;

/// A no-ID resident of the demo commune whom the registry knows under 037085001234.
async fn add_resident_without_id(app: &TestApp) -> i64 {
    let db = app.state.db.write();
    let unit: String = sqlx::query_scalar("SELECT residence_unit FROM people WHERE id = 1").fetch_one(db).await.unwrap();
    let name = "Lê Văn Nam";
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO people (full_name, birth_date, gender, residence_unit, name_key) VALUES ($1, '1985-02-14', 'M', $2, $3) RETURNING id",
    )
    .bind(name)
    .bind(&unit)
    .bind(app::domain::name_key(name))
    .fetch_one(db)
    .await
    .unwrap();
    sqlx::query("INSERT INTO registry_people (national_id, full_name, birth_date, gender, name_key) VALUES ('037085001234', $1, '1985-02-14', 'M', $2)")
        .bind(name)
        .bind(app::domain::name_key(name))
        .execute(db)
        .await
        .unwrap();
    app::verification::service::verify_pending(&app.state.db, chrono::Utc::now().timestamp()).await.unwrap();
    id
}

/// The batch's id, from where making it redirects.
async fn make_batch(station: &Browser) -> i64 {
    let made = station.post("/co-so/cong-an/lo-moi", &[("nhom", ""), ("tim", "")]).await;
    assert_eq!(made.status, 303, "{}", made.body);
    made.location.unwrap().rsplit('/').next().unwrap().parse().unwrap()
}

/// The downloaded list: (name, key) of each row, with what the sheet says about itself.
fn rows_of(file: &[u8]) -> Vec<(String, String)> {
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(file.to_vec())).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let header: Vec<String> = sheet.rows().nth(3).unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(header[0], "STT");
    assert_eq!(header[7], "Số CCCD đã xác minh");
    assert_eq!(header[12], "Mã dòng");
    sheet
        .rows()
        .skip(4)
        .filter(|r| !r[12].to_string().is_empty())
        .map(|r| {
            // ID numbers are text, never numbers that lose their zeros.
            assert!(!matches!(r[4], Data::Float(_) | Data::Int(_)), "ID column as text: {:?}", r[4]);
            (r[1].to_string(), r[12].to_string())
        })
        .collect()
}

/// What the police write on a row: (verified ID, correct name, correct birth date, correct gender, note).
enum Written {
    Text(&'static str),
    Number(f64),
    Date(f64),
}

/// The returned file, as a police clerk's spreadsheet saves it: a notes sheet first, the list on
/// the second sheet, headers retyped in another case and order, an extra column, blank rows.
fn filled(rows: &[(String, String, [Option<Written>; 5])]) -> Vec<u8> {
    let mut book = Workbook::new();
    let notes = book.add_worksheet();
    notes.set_name("Ghi chú").unwrap();
    notes.write_string(0, 0, "Đã đối chiếu với CSDL dân cư ngày 20/11").unwrap();
    let sheet = book.add_worksheet();
    sheet.set_name("Danh sách").unwrap();
    sheet.write_string(0, 0, "DANH SÁCH ĐÃ XÁC MINH").unwrap();
    let headers = [
        "MÃ DÒNG",
        "ho va ten",
        "Ghi chú của Công an",
        "Cột thêm",
        "so cccd da xac minh",
        "Ngày sinh đúng",
        "GIỚI TÍNH ĐÚNG",
        "Họ tên đúng",
    ];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(2, c as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("dd/mm/yyyy");
    // Where each police value goes in this layout: ID, name, birth date, gender, note.
    let columns = [4u16, 7, 5, 6, 2];
    let mut r = 3;
    for (name, key, written) in rows {
        r += 1; // a blank row between every two
        sheet.write_string(r, 0, key).unwrap();
        sheet.write_string(r, 1, format!("{name}  ")).unwrap();
        sheet.write_string(r, 3, "x").unwrap();
        for (value, col) in written.iter().zip(columns) {
            match value {
                Some(Written::Text(t)) => sheet.write_string(r, col, *t).map(|_| ()).unwrap(),
                Some(Written::Number(n)) => sheet.write_number(r, col, *n).map(|_| ()).unwrap(),
                Some(Written::Date(n)) => sheet.write_number_with_format(r, col, *n, &date).map(|_| ()).unwrap(),
                None => {}
            }
        }
        r += 1;
    }
    book.save_to_buffer().unwrap()
}

/// The code of the district the demo station's commune is in.
async fn district_of_demo_station(app: &TestApp) -> String {
    sqlx::query_scalar(
        "SELECT u.parent_code FROM admin_units u JOIN sites s ON s.unit_code = u.code JOIN staff st ON st.site_id = s.id WHERE st.email = $1",
    )
    .bind(DEMO_STATION_EMAIL)
    .fetch_one(app.state.db.read())
    .await
    .unwrap()
}

/// Khôi's row: the right birth date as an Excel date (2012-05-20 is serial 41049). Nam's: his ID
/// as a number that lost its leading zero, his name in NFD, a two-digit year.
fn khoi_and_nam_verified(khoi: &str, nam: &str) -> Vec<(String, String, [Option<Written>; 5])> {
    vec![
        ("Trần Minh Khôi".into(), khoi.into(), [None, None, Some(Written::Date(41049.0)), None, Some(Written::Text("Đã xác minh"))]),
        (
            "Lê Văn Nam".into(),
            nam.into(),
            [
                Some(Written::Number(37085001234.0)),
                Some(Written::Text("Le\u{0302} Va\u{0306}n Nam ")),
                Some(Written::Text("14/2/85")),
                Some(Written::Text("nam")),
                None,
            ],
        ),
    ]
}

fn key_of<'a>(rows: &'a [(String, String)], name: &str) -> &'a str {
    &rows.iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("{name} in {rows:?}")).1
}

#[tokio::test]
async fn a_batch_goes_to_the_police_and_comes_back_dry_run_first_then_applied_once() {
    let app = spawn_app().await;
    let nam = add_resident_without_id(&app).await;
    let station = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    let batch = make_batch(&station).await;
    let page = station.get(&format!("/co-so/cong-an/lo/{batch}")).await;
    assert!(page.body.contains("Lô gửi công an xã số 1") && page.body.contains("Đang ở công an xã"), "{}", page.body);
    assert!(station.get("/co-so/lam-sach").await.body.contains("đang ở công an xã, lô 1"), "the records show where they are");

    let (status, content_type, file) = station.download(&format!("/co-so/cong-an/lo/{batch}/danh-sach.xlsx")).await;
    assert_eq!((status, content_type.as_str()), (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
    let rows = rows_of(&file);
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(file.clone())).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    assert!(sheet.rows().any(|r| r[4] == Data::String("031212004821".into())), "Khôi's ID, as text");
    let (khoi, hoa, lan_nam) = (key_of(&rows, "Trần Minh Khôi"), key_of(&rows, "Phạm Thị Hoà"), key_of(&rows, "Lê Văn Nam"));

    // Khôi and Nam as the police verified them. Hoà: the ID another record holds. Then a row
    // whose key was altered, one repeated, and one the police left empty.
    let mut police = khoi_and_nam_verified(khoi, lan_nam);
    police.extend([
        ("Phạm Thị Hoà".into(), hoa.into(), [Some(Written::Text("031156007311")), None, None, None, None]),
        ("Ai Đó".into(), format!("{khoi}x"), [None, None, Some(Written::Text("1/1/1990")), None, None]),
        ("Trần Minh Khôi".into(), khoi.into(), [None, None, Some(Written::Text("20/05/2012")), None, None]),
    ]);
    let returned = filled(&police);
    let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM record_audit").fetch_one(app.state.db.read()).await.unwrap();
    let uploaded = station.post_multipart(&format!("/co-so/cong-an/lo/{batch}/nhap"), &[], &[("tra-ve.xlsx", returned.clone())]).await;
    assert_eq!(uploaded.status, 303, "{}", uploaded.body);
    let dry_run_path = uploaded.location.unwrap();
    let dry = station.get(&dry_run_path).await.body;
    assert!(dry.contains("2 dòng sẽ cập nhật hồ sơ") && dry.contains("3 dòng bị từ chối"), "{dry}");
    assert!(dry.contains("Ngày sinh: 02/05/2012 → 20/05/2012"), "before → after per field: {dry}");
    assert!(dry.contains("Số CCCD/CMND/mã định danh: (trống) → 037085001234") && dry.contains("Ghi chú của công an: Đã xác minh"), "{dry}");
    assert!(dry.contains("Số CCCD này đã thuộc hồ sơ của người khác"), "{dry}");
    assert!(dry.contains("Mã dòng không thuộc lô này") && dry.contains("Dòng này lặp lại một dòng phía trên"), "{dry}");
    // The rows of one outcome, as the clerk filters them.
    let refused_only = station.get(&format!("{dry_run_path}?xem=tu-choi")).await.body;
    assert!(refused_only.contains("Mã dòng không thuộc lô này") && !refused_only.contains("02/05/2012 →"), "{refused_only}");
    // The dry run changed nothing.
    let after_dry: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM record_audit").fetch_one(app.state.db.read()).await.unwrap();
    assert_eq!(before, after_dry);

    let applied = station.post(&format!("{dry_run_path}/ap-dung"), &[]).await;
    assert_eq!(applied.status, 303, "{}", applied.body);
    assert!(station.get(&dry_run_path).await.body.contains("2 hồ sơ thay đổi"));
    let db = app.state.db.read();
    let graded: Vec<(i64, String, String, Option<String>)> =
        sqlx::query_as("SELECT id, quality, verified_by, national_id FROM people WHERE id IN (2, 3, $1) ORDER BY id")
            .bind(nam)
            .fetch_all(db)
            .await
            .unwrap();
    assert_eq!(graded[0], (2, "verified".into(), "police_batch".into(), Some("031212004821".into())));
    assert_eq!(graded[1].1, "no_id", "Hoà's refused row changed nothing");
    assert_eq!(graded[2], (nam, "verified".into(), "police_batch".into(), Some("037085001234".into())));
    let audit: Vec<(i64, String, Option<String>, String, i64)> = sqlx::query_as(
        "SELECT person_id, field, before_value, after_value, batch_id FROM record_audit WHERE batch_id IS NOT NULL ORDER BY person_id, field",
    )
    .fetch_all(db)
    .await
    .unwrap();
    assert_eq!(
        audit,
        vec![
            (2, "birth_date".into(), Some("2012-05-02".into()), "2012-05-20".into(), batch),
            (nam, "national_id".into(), None, "037085001234".into(), batch),
        ],
        "one audit row per changed field, naming the batch (the name and gender the police confirmed were already right)"
    );
    let history: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM verification_history WHERE source = 'police_batch'").fetch_one(db).await.unwrap();
    assert_eq!(history, 2);
    let note: Option<String> =
        sqlx::query_scalar("SELECT police_note FROM police_batch_rows WHERE row_key = $1").bind(khoi).fetch_one(db).await.unwrap();
    assert_eq!(note.as_deref(), Some("Đã xác minh"));
    assert!(station.get(&format!("/co-so/cong-an/lo/{batch}")).await.body.contains("Đã nhận lại"));

    // The verification list: both records, verified by the commune police, who applied it and when.
    let list = station.get("/co-so/xac-minh?nguon=police_batch").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("Trần Minh Khôi") && list.body.contains("Lê Văn Nam"), "{}", list.body);
    assert!(list.body.contains("Chưa có số giấy tờ → Khớp CSDL dân cư") && list.body.contains("Công an xã xác minh (2)"), "{}", list.body);
    assert!(list.body.contains("Nguyễn Văn Trạm · "), "who applied it");
    assert!(!station.get("/co-so/xac-minh?nguon=complaint_correction").await.body.contains("Lê Văn Nam"));
    let (status, _, xlsx) = station.download("/co-so/xac-minh/xuat.xlsx?nguon=police_batch").await;
    assert_eq!(status, 200);
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(xlsx)).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let names: Vec<String> = sheet.rows().skip(3).map(|r| r[1].to_string()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.contains(&"Lê Văn Nam".to_string()));
    // A period that cannot be read is refused with its field, and the last 30 days shown.
    let refused = station.get("/co-so/xac-minh?tu=31%2F02%2F2026").await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("Lê Văn Nam"));
    // The district sees the same list summed for the station: status changes this week by source.
    let district_numbers = station.get(&format!("/so-lieu?khu-vuc={}", district_of_demo_station(&app).await)).await.body;
    assert!(district_numbers.contains("Công an xã xác minh: 2"), "{district_numbers}");
    // Another site's staff see nothing of this station's list.
    let district = staff_sign_in(&app, crate::support::DISTRICT_EMAIL).await;
    assert!(!district.get("/co-so/xac-minh").await.body.contains("Lê Văn Nam"));

    // The same file again: nothing changes, and the page says so.
    let again = station.post_multipart(&format!("/co-so/cong-an/lo/{batch}/nhap"), &[], &[("tra-ve.xlsx", returned)]).await;
    let again_path = again.location.unwrap();
    let dry = station.get(&again_path).await.body;
    assert!(dry.contains("Tệp này đã được cập nhật lúc") && dry.contains("0 dòng sẽ cập nhật hồ sơ"), "{dry}");
    station.post(&format!("{again_path}/ap-dung"), &[]).await;
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM record_audit WHERE batch_id IS NOT NULL").fetch_one(db).await.unwrap();
    assert_eq!(total, 2, "idempotent");
}

/// `file` as LibreOffice saves it: opened and saved again as XLSX by LibreOffice Calc (headless;
/// `make test-tools` installs it), with its own shared strings, styles and date formats.
fn saved_by_libreoffice(file: &[u8]) -> Vec<u8> {
    let dir = std::env::temp_dir().join(format!("portal-libreoffice-{}-{}", std::process::id(), rand_suffix()));
    std::fs::create_dir_all(dir.join("out")).unwrap();
    std::fs::write(dir.join("tra-ve.xlsx"), file).unwrap();
    let ran = std::process::Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", dir.join("profile").display()))
        .args(["--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir"])
        .arg(dir.join("out"))
        .arg(dir.join("tra-ve.xlsx"))
        .output()
        .expect("LibreOffice (soffice) is installed by `make test-tools`");
    let saved = std::fs::read(dir.join("out/tra-ve.xlsx"))
        .unwrap_or_else(|_| panic!("LibreOffice saved nothing: {}", String::from_utf8_lossy(&ran.stderr)));
    std::fs::remove_dir_all(&dir).ok();
    saved
}

fn rand_suffix() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    std::collections::hash_map::RandomState::new().build_hasher().finish()
}

#[tokio::test]
async fn a_list_saved_by_libreoffice_reads_as_the_police_filled_it() {
    let app = spawn_app().await;
    let nam = add_resident_without_id(&app).await;
    let station = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    let batch = make_batch(&station).await;
    let (_, _, file) = station.download(&format!("/co-so/cong-an/lo/{batch}/danh-sach.xlsx")).await;
    let rows = rows_of(&file);
    let (khoi, lan_nam) = (key_of(&rows, "Trần Minh Khôi"), key_of(&rows, "Lê Văn Nam"));
    let returned = saved_by_libreoffice(&filled(&khoi_and_nam_verified(khoi, lan_nam)));
    assert!(String::from_utf8_lossy(&zip_entry(&returned, "docProps/app.xml")).contains("LibreOffice"), "saved by LibreOffice");

    let uploaded = station.post_multipart(&format!("/co-so/cong-an/lo/{batch}/nhap"), &[], &[("tra-ve.xlsx", returned)]).await;
    assert_eq!(uploaded.status, 303, "{}", uploaded.body);
    let dry_run_path = uploaded.location.unwrap();
    let dry = station.get(&dry_run_path).await.body;
    assert!(dry.contains("2 dòng sẽ cập nhật hồ sơ") && dry.contains("0 dòng bị từ chối"), "{dry}");
    assert!(dry.contains("Ngày sinh: 02/05/2012 → 20/05/2012"), "the date cell, as LibreOffice writes it: {dry}");
    assert!(dry.contains("(trống) → 037085001234"), "the ID LibreOffice kept as a number: {dry}");
    assert_eq!(station.post(&format!("{dry_run_path}/ap-dung"), &[]).await.status, 303);
    let graded: Vec<(i64, String)> = sqlx::query_as("SELECT id, quality FROM people WHERE id IN (2, $1) ORDER BY id")
        .bind(nam)
        .fetch_all(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(graded, vec![(2, "verified".into()), (nam, "verified".into())]);
}

fn zip_entry(file: &[u8], name: &str) -> Vec<u8> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(file)).unwrap();
    let mut bytes = Vec::new();
    archive.by_name(name).unwrap().read_to_end(&mut bytes).unwrap();
    bytes
}

#[tokio::test]
async fn two_clerks_applying_at_once_apply_the_file_once() {
    let app = spawn_app().await;
    let station = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    let second_clerk = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    let batch = make_batch(&station).await;
    let (_, _, file) = station.download(&format!("/co-so/cong-an/lo/{batch}/danh-sach.xlsx")).await;
    let rows = rows_of(&file);
    let returned = filled(&[(
        "Trần Minh Khôi".into(),
        key_of(&rows, "Trần Minh Khôi").into(),
        [None, None, Some(Written::Text("20/5/12")), None, None],
    )]);
    let path = format!("/co-so/cong-an/lo/{batch}/nhap");
    let a = station.post_multipart(&path, &[], &[("a.xlsx", returned.clone())]).await.location.unwrap();
    let b = second_clerk.post_multipart(&path, &[], &[("b.xlsx", returned.clone())]).await.location.unwrap();
    let (apply_a, apply_b) = (format!("{a}/ap-dung"), format!("{b}/ap-dung"));
    let (first, second) = tokio::join!(station.post(&apply_a, &[]), second_clerk.post(&apply_b, &[]));
    assert_eq!((first.status, second.status), (303, 303));
    let changed: Vec<Option<i64>> = sqlx::query_scalar("SELECT changed FROM police_uploads WHERE batch_id = $1 ORDER BY changed")
        .bind(batch)
        .fetch_all(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(changed, vec![Some(0), Some(1)], "one apply changed the record, the other found it changed");
    let audit: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM record_audit WHERE batch_id = $1")
        .bind(batch)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(audit, 1);
}

/// A zip whose sheet unpacks to 4 GB (a zip bomb): a small deflated entry whose sizes, in the
/// local and central headers, say what a bomb's would.
fn zip_bomb() -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("[Content_Types].xml", options).unwrap();
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    zip.write_all(&[0u8; 4096]).unwrap();
    let mut bytes = zip.finish().unwrap().into_inner();
    let huge = 0xFFFF_FFF0u32.to_le_bytes();
    for (signature, at) in [(0x04034b50u32, 22), (0x02014b50u32, 24)] {
        let sig = signature.to_le_bytes();
        let starts: Vec<usize> = (0..bytes.len() - 4).filter(|i| bytes[*i..*i + 4] == sig).collect();
        for start in starts {
            bytes[start + at..start + at + 4].copy_from_slice(&huge);
        }
    }
    bytes
}

#[tokio::test]
async fn ugly_files_are_refused_whole_with_a_reason_and_change_nothing() {
    let app = spawn_app().await;
    let station = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    let batch = make_batch(&station).await;
    let (_, _, file) = station.download(&format!("/co-so/cong-an/lo/{batch}/danh-sach.xlsx")).await;
    // An encrypted workbook is an OLE container holding an "EncryptedPackage" stream.
    let mut encrypted = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    encrypted.extend(vec![0u8; 512]);
    encrypted.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    let mut no_key_column = Workbook::new();
    no_key_column.add_worksheet().write_string(0, 0, "Họ và tên").unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("danh-sach.pdf", b"%PDF-1.7 not a spreadsheet".to_vec(), "Tệp không phải Excel .xlsx"),
        ("danh-sach.xls", vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0], "Tệp không phải Excel .xlsx"),
        ("khoa.xlsx", encrypted, "Tệp được đặt mật khẩu"),
        ("bom.xlsx", zip_bomb(), "Tệp quá lớn để nhập"),
        ("cat.xlsx", file[..file.len() / 2].to_vec(), "Không đọc được tệp"),
        ("khac.xlsx", no_key_column.save_to_buffer().unwrap(), "Không tìm thấy cột"),
    ];
    for (name, bytes, message) in cases {
        let page = station.post_multipart(&format!("/co-so/cong-an/lo/{batch}/nhap"), &[], &[(name, bytes)]).await;
        assert_eq!(page.status, 422, "{name}: {}", page.body);
        assert!(page.body.contains(message), "{name}: {message} in {}", page.body);
    }
    // The form sent without choosing a file (a browser sends an empty, nameless part).
    let none = station.post_multipart(&format!("/co-so/cong-an/lo/{batch}/nhap"), &[], &[("", Vec::new())]).await;
    assert!(none.status == 422 && none.body.contains("Hãy chọn tệp Excel"), "{}", none.status);
    let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM police_uploads").fetch_one(app.state.db.read()).await.unwrap();
    assert_eq!(kept, 0, "nothing kept, nothing changed");
}

#[tokio::test]
async fn a_batch_is_its_stations_alone_and_a_file_goes_back_to_its_own_batch() {
    let app = spawn_app().await;
    let station = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    let batch = make_batch(&station).await;
    let (_, _, file) = station.download(&format!("/co-so/cong-an/lo/{batch}/danh-sach.xlsx")).await;
    // Another site's staff see no batch, no file, and cannot upload to it or apply anything.
    let district = staff_sign_in(&app, crate::support::DISTRICT_EMAIL).await;
    assert_eq!(district.get(&format!("/co-so/cong-an/lo/{batch}")).await.status, 404);
    assert_eq!(district.download(&format!("/co-so/cong-an/lo/{batch}/danh-sach.xlsx")).await.0, 404);
    assert_eq!(district.post_multipart(&format!("/co-so/cong-an/lo/{batch}/nhap"), &[], &[("a.xlsx", file.clone())]).await.status, 404);
    assert!(!district.get("/co-so/cong-an").await.body.contains("Lô số 1"));
    // The district sees how many of the station's records are with the police, and since when.
    let numbers = station.get(&format!("/so-lieu?khu-vuc={}", district_of_demo_station(&app).await)).await.body;
    let out: i64 =
        sqlx::query_scalar("SELECT row_count FROM police_batches WHERE id = $1").bind(batch).fetch_one(app.state.db.read()).await.unwrap();
    assert!(numbers.contains(&format!("{out} hồ sơ (lô cũ nhất: 0 ngày)")), "{numbers}");
    // Every record is out with the police: a second batch would hold nothing.
    let again = station.post("/co-so/cong-an/lo-moi", &[]).await;
    assert_eq!(again.location.as_deref(), Some("/co-so/cong-an"));
    // Once the first comes back, a second batch takes what is left; the first's file is refused there.
    let rows = rows_of(&file);
    let returned = filled(&[(
        "Trần Minh Khôi".into(),
        key_of(&rows, "Trần Minh Khôi").into(),
        [None, None, Some(Written::Text("20/05/2012")), None, None],
    )]);
    let up = station.post_multipart(&format!("/co-so/cong-an/lo/{batch}/nhap"), &[], &[("a.xlsx", returned.clone())]).await;
    station.post(&format!("{}/ap-dung", up.location.unwrap()), &[]).await;
    let second = make_batch(&station).await;
    assert_ne!(second, batch);
    let refused = station.post_multipart(&format!("/co-so/cong-an/lo/{second}/nhap"), &[], &[("a.xlsx", returned)]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("Tệp này là danh sách của một lô khác"), "{}", refused.body);
    // Not signed in: to the sign-in page.
    let anonymous = Browser::new(&app);
    assert_ne!(anonymous.get(&format!("/co-so/cong-an/lo/{batch}")).await.status, 200);
}
