//! The second security review (issue 27): a picture, a spreadsheet or a stolen password must
//! not beat the portal. Each test names what the review found, through the real router.

use crate::support::{Browser, TestApp, sign_in, spawn_app};
use app::certificates::qr_reader::{self, MAX_CANDIDATE_GROUPS, QrRead, Source};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// 30 x 30 QR finder patterns on a 1268-pixel square, 6 KB (fixtures/make_qr_lattice.py).
const LATTICE: &[u8] = include_bytes!("../fixtures/qr-lattice.png");
const UNREADABLE: &str = "Không đọc được mã QR trong ảnh";

/// A PNG of `width` x `height` 8-bit grey pixels (or RGB when `rgb`) whose rows are `row`.
fn png(width: u32, height: u32, rgb: bool, row: impl Fn(u32) -> Vec<u8>) -> Vec<u8> {
    use std::io::Write;
    let chunk = |out: &mut Vec<u8>, kind: &[u8], data: &[u8]| {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&crc.sum().to_be_bytes());
    };
    let mut header = Vec::new();
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, if rgb { 2 } else { 0 }, 0, 0, 0]);
    let mut pixels = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    for y in 0..height {
        pixels.write_all(&[0]).unwrap();
        pixels.write_all(&row(y)).unwrap();
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &header);
    chunk(&mut out, b"IDAT", &pixels.finish().unwrap());
    chunk(&mut out, b"IEND", &[]);
    out
}

async fn check_photo(browser: &Browser, photo: Vec<u8>) -> crate::support::Page {
    browser.post_multipart("/kiem-tra", &[("hc1", "")], &[("anh.png", photo)]).await
}

async fn frame(app: &TestApp, picture: &[u8]) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{}/kiem-tra/khung-hinh", app.base))
        .header("origin", &app.base)
        .body(format!("data:image/png;base64,{}", STANDARD.encode(picture)))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_lattice_of_finder_patterns_is_unreadable_once_the_readers_work_cap_is_reached() {
    assert_eq!(qr_reader::read(LATTICE, Source::Photo), QrRead::WorkCapReached, "stopped after {MAX_CANDIDATE_GROUPS} groups");
    assert_eq!(qr_reader::read(LATTICE, Source::Frame), QrRead::WorkCapReached);
    let app = spawn_app().await;
    let page = check_photo(&Browser::new(&app), LATTICE.to_vec()).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(UNREADABLE), "{}", crate::support::text(&page.body));
    assert_eq!(frame(&app, LATTICE).await.status(), 204, "no code in that frame");
}

#[tokio::test]
async fn pictures_are_bounded_in_size_before_they_are_decoded() {
    // A frame larger than the scanner sends is refused unread.
    let wide_frame = png(1300, 8, false, |_| vec![255; 1300]);
    assert_eq!(qr_reader::read(&wide_frame, Source::Frame), QrRead::TooLarge);
    assert_eq!(qr_reader::read(&wide_frame, Source::Photo), QrRead::NotFound, "as a photo it is only read");
    // A photo whose pixels would take more than 40 MB: refused before any is decoded. 4,000 x
    // 4,000 RGB is 48 MB; the file itself is small.
    let huge = png(4000, 4000, true, |_| vec![0; 12_000]);
    assert!(huge.len() < 200_000, "{} bytes", huge.len());
    assert_eq!(qr_reader::read(&huge, Source::Photo), QrRead::TooLarge);
    // A 12-megapixel phone photo still fits (36 MB), and a broken file is no picture.
    let phone = png(4000, 3000, true, |_| vec![255; 12_000]);
    assert_eq!(qr_reader::read(&phone, Source::Photo), QrRead::NotFound);
    let mut truncated = phone.clone();
    truncated.truncate(phone.len() / 2);
    assert!(matches!(qr_reader::read(&truncated, Source::Photo), QrRead::NotAPicture | QrRead::NotFound));

    let app = spawn_app().await;
    assert_eq!(frame(&app, &wide_frame).await.status(), 204);
    let page = check_photo(&Browser::new(&app), huge).await;
    assert!(page.body.contains(UNREADABLE), "{}", crate::support::text(&page.body));
}

#[tokio::test]
async fn qr_reading_waits_its_turn_and_a_citizen_page_is_served_meanwhile() {
    let app = spawn_app().await;
    let citizen = sign_in(&app).await;
    // Eight photos at once: never more than the server's two places read at a time.
    let posts = (0..8).map(|_| {
        let browser = Browser::new(&app);
        async move { check_photo(&browser, LATTICE.to_vec()).await.status }
    });
    let (answers, record) = tokio::join!(futures::future::join_all(posts), citizen.get("/ho-so"));
    assert_eq!(record.status, 200);
    assert!(answers.iter().all(|s| *s == 200 || *s == 503), "{answers:?}");
    assert!(app.state.heavy.peak() <= 2, "at most two at once: {}", app.state.heavy.peak());
    // With every place taken, a photo waits two seconds at most and gets the portal's 503
    // page; the citizen's pages are not heavy work and answer as usual.
    let taken = app.state.heavy.take_all(2).await;
    let page = check_photo(&Browser::new(&app), LATTICE.to_vec()).await;
    assert_eq!(page.status, 503);
    assert!(page.body.contains("Hệ thống đang bận"), "{}", page.body);
    assert_eq!(frame(&app, LATTICE).await.status(), 503);
    assert_eq!(citizen.get("/ho-so").await.status, 200);
    drop(taken);
    assert_eq!(check_photo(&Browser::new(&app), LATTICE.to_vec()).await.status, 200);
}

#[tokio::test]
async fn photos_and_camera_frames_share_one_allowance_per_address() {
    let app = spawn_app().await;
    let blank = png(64, 64, false, |_| vec![255; 64]);
    for _ in 0..30 {
        assert_eq!(frame(&app, &blank).await.status(), 204);
    }
    assert_eq!(check_photo(&Browser::new(&app), blank.clone()).await.status, 429, "the frames spent the photos' allowance too");
    assert_eq!(frame(&app, &blank).await.status(), 429);
    // Pasted text is no picture: it has an allowance of its own.
    assert_eq!(Browser::new(&app).post("/kiem-tra", &[("hc1", "HC1:not")]).await.status, 200);
}

/// A workbook of `rows` (each a row's cells, the first row its header), as a spreadsheet saves it.
fn workbook(rows: &[Vec<String>]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, cell).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

/// `file` with its part `name` replaced by `content`, every part's declared size then set to
/// `claimed` bytes when given (what a crafted package says; the data inflates to what it is).
fn with_part(file: &[u8], name: &str, content: &[u8], claimed: Option<u32>) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(file)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).unwrap();
        let part_name = part.name().unwrap().to_string();
        let mut data = Vec::new();
        part.read_to_end(&mut data).unwrap();
        out.start_file(part_name.as_str(), options).unwrap();
        out.write_all(if part_name == name { content } else { &data }).unwrap();
    }
    let mut bytes = out.finish().unwrap().into_inner();
    if let Some(claimed) = claimed {
        for (signature, at) in [(0x04034b50u32, 22), (0x02014b50u32, 24)] {
            let sig = signature.to_le_bytes();
            let starts: Vec<usize> = (0..bytes.len() - 4).filter(|i| bytes[*i..*i + 4] == sig).collect();
            for start in starts {
                bytes[start + at..start + at + 4].copy_from_slice(&claimed.to_le_bytes());
            }
        }
    }
    bytes
}

fn shared_strings(unique_count: &str, strings: &[&str]) -> Vec<u8> {
    let items: String = strings.iter().map(|s| format!("<si><t>{s}</t></si>")).collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{n}" uniqueCount="{unique_count}">{items}</sst>"#,
        n = strings.len()
    )
    .into_bytes()
}

/// A new police batch of the demo station: its id.
async fn new_batch(station: &Browser) -> String {
    let made = station.post("/co-so/cong-an/lo-moi", &[("nhom", ""), ("tim", "")]).await;
    made.location.expect("a batch").rsplit('/').next().unwrap().to_string()
}

/// Uploads `file` as the police's list of `batch`: the page's status and text.
async fn upload_police_list(station: &Browser, batch: &str, file: Vec<u8>) -> (u16, String) {
    let page = station.post_multipart(&format!("/co-so/cong-an/lo/{batch}/nhap"), &[], &[("tra-ve.xlsx", file)]).await;
    (page.status, crate::support::text(&page.body))
}

fn police_list(rows: usize) -> Vec<Vec<String>> {
    let mut list = vec![vec!["Mã dòng".to_string(), "Họ và tên".to_string()]];
    list.extend((0..rows).map(|i| vec![format!("K{i}"), "Nguyễn Văn An".to_string()]));
    list
}

#[tokio::test]
async fn a_package_whose_parts_inflate_past_their_caps_or_their_claims_is_refused_as_it_inflates() {
    use app::police::sheet::{MAX_SHARED_STRINGS_BYTES, unpack_counts};
    let base = workbook(&police_list(2));
    // One shared string of 80 MB (about 80 KB deflated): within the 400 MB a package may
    // declare, past what the shared-strings table may hold in memory.
    let huge = shared_strings("1", &["A".repeat(80 * 1024 * 1024).as_str()]);
    let honest = with_part(&base, "xl/sharedStrings.xml", &huge, None);
    assert!(honest.len() < 1024 * 1024, "{} bytes", honest.len());
    let (counts, held) = unpack_counts(&honest);
    assert_eq!(held, Err(app::police::FileRefusal::TooLarge));
    // The cap, one read past it and the other (small) parts.
    assert!(counts.bytes <= MAX_SHARED_STRINGS_BYTES + 1024 * 1024, "inflation stopped at the cap: {counts:?}");
    // The same parts each claiming 1 KB: inflation stops where the claim ends.
    let lying = with_part(&base, "xl/sharedStrings.xml", &huge, Some(1024));
    let (counts, held) = unpack_counts(&lying);
    assert!(held.is_err());
    assert!(counts.bytes <= 64 * 1024, "no more than a read past the claim: {counts:?}");

    let app = spawn_app().await;
    let station = crate::support::staff_sign_in(&app, server::seed::DEMO_STATION_EMAIL).await;
    let batch = new_batch(&station).await;
    let (status, text) = upload_police_list(&station, &batch, honest).await;
    assert_eq!(status, 422);
    assert!(text.contains("Tệp quá lớn để nhập") && text.contains("chia danh sách"), "{text}");
    let (status, text) = upload_police_list(&station, &batch, lying).await;
    assert_eq!(status, 422);
    assert!(text.contains("Không đọc được tệp"), "{text}");
    assert_eq!(station.get("/co-so").await.status, 200, "the server keeps serving");
}

#[tokio::test]
async fn a_shared_strings_table_declaring_10_to_the_14_strings_is_refused_and_the_server_lives() {
    use app::police::sheet::unpack_counts;
    let file = with_part(&workbook(&police_list(2)), "xl/sharedStrings.xml", &shared_strings("100000000000000", &["Mã dòng"]), None);
    assert!(file.len() < 16 * 1024, "{} bytes", file.len());
    let (counts, held) = unpack_counts(&file);
    assert_eq!(held, Err(app::police::FileRefusal::TooLarge));
    assert_eq!(counts.strings_declared, 100_000_000_000_000);

    let app = spawn_app().await;
    let station = crate::support::staff_sign_in(&app, server::seed::DEMO_STATION_EMAIL).await;
    let (status, text) = upload_police_list(&station, &new_batch(&station).await, file).await;
    assert_eq!(status, 422);
    assert!(text.contains("Tệp quá lớn để nhập"), "{text}");
    // The subject import reads through the same guard.
    let subjects = workbook(&[vec!["Mã hồ sơ".into()], vec!["1".into()]]);
    let subjects = with_part(&subjects, "xl/sharedStrings.xml", &shared_strings("100000000000000", &["Mã hồ sơ", "1"]), None);
    let page = station.post_multipart("/co-so/nhap-doi-tuong", &[], &[("doi-tuong.xlsx", subjects)]).await;
    assert_eq!(page.status, 422, "{}", crate::support::text(&page.body));
    assert_eq!(station.get("/co-so").await.status, 200, "the server keeps serving");
}

#[test]
fn only_the_layouts_columns_are_read_and_a_cells_text_is_capped() {
    use app::police::sheet::{MAX_CELL_CHARS, POLICE_LAYOUT, read_table};
    // One long text (32,000 characters, Excel's most), shared by a name column and a column
    // the layout does not read, on 3,000 rows.
    let long = "Đ".repeat(32_000);
    let mut rows = vec![vec!["Mã dòng".to_string(), "Họ và tên".to_string(), "Cột thêm".to_string()]];
    rows.extend((0..3_000).map(|i| vec![format!("K{i}"), long.clone(), long.clone()]));
    let file = workbook(&rows);
    let mut read = Vec::new();
    read_table(&file, &POLICE_LAYOUT, &mut |chunk| {
        read.extend(chunk);
        true
    })
    .unwrap();
    assert_eq!(read.len(), 3_000);
    for row in &read {
        assert_eq!(row.cells.len(), POLICE_LAYOUT.headers.len());
        assert!(row.cells.iter().all(|c| c.text().chars().count() <= MAX_CELL_CHARS), "row {} kept too much", row.sheet_row);
    }
    assert_eq!(read[0].cells[1].text().chars().count(), MAX_CELL_CHARS);
}

#[tokio::test]
async fn a_file_of_more_than_200000_rows_is_refused_with_the_limit_stated() {
    use app::police::sheet::{MAX_FILE_ROWS, POLICE_LAYOUT, read_table};
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Mã dòng").unwrap();
    for r in 1..=(MAX_FILE_ROWS as u32 + 1) {
        sheet.write_number(r, 0, f64::from(r)).unwrap();
    }
    let file = book.save_to_buffer().unwrap();
    let mut rows = 0;
    let read = read_table(&file, &POLICE_LAYOUT, &mut |chunk| {
        rows += chunk.len();
        true
    });
    assert_eq!(read, Err(app::police::FileRefusal::TooManyRows));
    assert!(rows <= MAX_FILE_ROWS);

    let app = spawn_app().await;
    let station = crate::support::staff_sign_in(&app, server::seed::DEMO_STATION_EMAIL).await;
    let (status, text) = upload_police_list(&station, &new_batch(&station).await, file).await;
    assert_eq!(status, 422);
    assert!(text.contains("hơn 200.000 dòng"), "{text}");
}

#[tokio::test]
async fn only_the_certificate_check_may_use_the_camera() {
    let app = spawn_app().await;
    let policy = |path: &'static str| {
        let base = app.base.clone();
        async move {
            let answer = reqwest::get(format!("{base}{path}")).await.unwrap();
            answer.headers().get("permissions-policy").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
        }
    };
    assert!(policy("/kiem-tra").await.contains("camera=(self)"));
    for path in ["/", "/tra-cuu", "/co-so/dang-nhap", "/khong-co-trang-nay"] {
        assert!(policy(path).await.contains("camera=()"), "{path}");
    }
}

#[tokio::test]
async fn the_revocation_list_is_cached_by_verifiers_asked_again_by_its_tag_and_limited_per_address() {
    let app = spawn_app().await;
    let url = format!("{}/api/dcc/revocation-list", app.base);
    let client = reqwest::Client::new();
    let first = client.get(&url).send().await.unwrap();
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()["cache-control"], "public, max-age=300");
    let tag = first.headers()["etag"].to_str().unwrap().to_string();
    assert!(first.text().await.unwrap().contains("SHA256-UVCI"));
    // Unchanged: "not modified", with nothing to send again.
    for _ in 1..20 {
        let again = client.get(&url).header("if-none-match", &tag).send().await.unwrap();
        assert_eq!(again.status(), 304);
        assert_eq!(again.headers()["etag"].to_str().unwrap(), tag);
    }
    // A script asking without end is refused.
    assert_eq!(client.get(&url).send().await.unwrap().status(), 429);
}

#[tokio::test]
async fn a_site_reads_one_uploaded_spreadsheet_at_a_time() {
    let app = spawn_app().await;
    let station = crate::support::staff_sign_in(&app, server::seed::DEMO_STATION_EMAIL).await;
    let site: i64 = sqlx::query_scalar("SELECT site_id FROM staff WHERE email = $1")
        .bind(server::seed::DEMO_STATION_EMAIL)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    let batch = new_batch(&station).await;
    // Another clerk of the station is having a file read.
    let reading = app.state.heavy.turn(&app::police::sheet::reading_turn(Some(site), 0)).expect("the station's turn");
    let (status, text) = upload_police_list(&station, &batch, workbook(&police_list(2))).await;
    assert_eq!(status, 422);
    assert!(text.contains("Một tệp khác của cơ sở đang được đọc"), "{text}");
    drop(reading);
    // Its turn over, the file is read; its name is kept without the characters that would
    // make it show as another ("tra-ve\u{202E}xslx.exe" reads as "tra-veexe.xlsx").
    let page = station
        .post_multipart(&format!("/co-so/cong-an/lo/{batch}/nhap"), &[], &[("tra-ve\u{202E}xslx.exe", workbook(&police_list(2)))])
        .await;
    assert_eq!(page.status, 303, "{}", crate::support::text(&page.body));
    let name: String = sqlx::query_scalar("SELECT file_name FROM police_uploads").fetch_one(app.state.db.read()).await.unwrap();
    assert_eq!(name, "tra-vexslx.exe");
}

#[tokio::test]
async fn a_direct_edit_never_gives_a_record_an_id_another_live_record_carries() {
    let app = spawn_app().await;
    let station = crate::support::staff_sign_in(&app, server::seed::DEMO_STATION_EMAIL).await;
    // The grandmother's record (no ID) given her daughter's CCCD, as the imports would refuse.
    let page = station.post("/co-so/lam-sach/ho-so/3/sua", &[("national_id", crate::support::DEMO_ID)]).await;
    assert_eq!(page.status, 303, "{}", crate::support::text(&page.body));
    assert_eq!(page.location.as_deref(), Some("/co-so/lam-sach/gop/3/1"), "the merge screen, where the two are shown side by side");
    let kept: Option<String> =
        sqlx::query_scalar("SELECT national_id FROM people WHERE id = 3").fetch_one(app.state.db.read()).await.unwrap();
    assert_eq!(kept, None, "nothing written");
}

#[tokio::test]
async fn only_records_the_engine_proposes_as_one_person_may_be_merged() {
    let app = spawn_app().await;
    let station = crate::support::staff_sign_in(&app, server::seed::DEMO_STATION_EMAIL).await;
    // The demo mother and her son: two people on the station's list.
    let page = station.get("/co-so/lam-sach/gop/1/2").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Không thể gộp"), "{}", crate::support::text(&page.body));
    let refused = station.post("/co-so/lam-sach/gop/1/2", &[("giu", "1")]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("Không thể gộp"));
    let doses: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM doses WHERE person_id = 2").fetch_one(app.state.db.read()).await.unwrap();
    assert!(doses > 0, "the son keeps his doses");
    let merged: Option<i64> =
        sqlx::query_scalar("SELECT merged_into FROM people WHERE id = 2").fetch_one(app.state.db.read()).await.unwrap();
    assert_eq!(merged, None);
}

/// A person of the registry living in Hà Nội's Phúc Xá ward, far from the demo station.
async fn registry_person_elsewhere(app: &TestApp, national_id: &str, (name, birth, gender): (&str, &str, &str)) {
    sqlx::query(
        "INSERT INTO registry_people (national_id, full_name, birth_date, gender, commune, phone, name_key) VALUES ($1, $2, $3, $4, '00001', NULL, $5)",
    )
    .bind(national_id)
    .bind(name)
    .bind(birth)
    .bind(gender)
    .bind(app::domain::name_key(name))
    .execute(app.state.db.write())
    .await
    .unwrap();
}

#[tokio::test]
async fn a_station_sees_registry_values_and_candidates_only_of_its_own_commune() {
    let app = spawn_app().await;
    registry_person_elsewhere(&app, "001090099999", ("Lê Văn Xa", "1990-04-12", "M")).await;
    // The grandmother's namesake in Hà Nội: the engine finds her, the station is not shown her.
    registry_person_elsewhere(&app, "001156077777", ("Phạm Thị Hoà", "1956-08-30", "F")).await;
    let station = crate::support::staff_sign_in(&app, server::seed::DEMO_STATION_EMAIL).await;
    let record = station.get("/co-so/lam-sach/ho-so/3").await;
    assert_eq!(record.status, 200);
    assert!(!record.body.contains("001156077777"), "a namesake elsewhere is no candidate for this station");
    let confirmed = station.post("/co-so/lam-sach/ho-so/3/xac-nhan", &[("so", "001156077777")]).await;
    assert_eq!(confirmed.status, 422, "nor can it be confirmed");
    // A record given the number of someone elsewhere: whether each field matches, not their data.
    let edited = station.post("/co-so/lam-sach/ho-so/3/sua", &[("national_id", "001090099999")]).await;
    assert_eq!(edited.status, 303, "{}", crate::support::text(&edited.body));
    let page = crate::support::text(&station.get("/co-so/lam-sach/ho-so/3").await.body);
    assert!(!page.contains("LÊ VĂN XA") && !page.contains("Lê Văn Xa") && !page.contains("12/04/1990"), "{page}");
    assert!(page.contains("không ở xã của cơ sở") && page.contains("Khác"), "{page}");
    // The station's own residents are shown as before.
    let khoi = crate::support::text(&station.get("/co-so/lam-sach/ho-so/2").await.body);
    assert!(khoi.contains("20/05/2012"), "the registry's birth date of a resident: {khoi}");
}

#[tokio::test]
async fn a_staff_account_opens_a_bounded_number_of_records_an_hour() {
    let app = spawn_app().await;
    let station = crate::support::staff_sign_in(&app, server::seed::DEMO_STATION_EMAIL).await;
    for _ in 0..app::platform::shared_limits::Bucket::RecordViews.max() {
        assert_eq!(station.get("/co-so/lam-sach/ho-so/2").await.status, 200);
    }
    assert_eq!(station.get("/co-so/lam-sach/ho-so/2").await.status, 429);
    // Counted in the database: another server refuses as well; the next hour opens again.
    let other = crate::support::second_serving(&app).await;
    assert_eq!(station.on(&other).get("/co-so/lam-sach/ho-so/2").await.status, 429);
    app.clock.advance(chrono::Duration::hours(1));
    let station = crate::support::staff_sign_in(&app, server::seed::DEMO_STATION_EMAIL).await;
    assert_eq!(station.get("/co-so/lam-sach/ho-so/2").await.status, 200);
}
