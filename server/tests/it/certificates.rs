//! Vaccine certificates: a site signs its ready records, the citizen sees the QR, a correction
//! revokes it at once and the next signing re-issues it. Every certificate is decoded and
//! checked here on an independent path: the COSE structure parsed with ciborium, the signature
//! checked with p256 against the certificate the public trust list publishes, the payload
//! against the EU DCC schema's rules.

use crate::support::{Browser, TestApp, spawn_app, staff_sign_in};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ciborium::Value;
use p256::ecdsa::signature::Verifier;
use server::seed::DEMO_STATION_EMAIL;
use std::io::Read;

/// What the independent decoder found in an `HC1:` text.
struct Decoded {
    kid: Vec<u8>,
    claims: Vec<(Value, Value)>,
    dcc: serde_json::Value,
    signature_ok: bool,
}

fn map_get(map: &[(Value, Value)], key: i64) -> Option<&Value> {
    map.iter().find(|(k, _)| k.as_integer() == Some(key.into())).map(|(_, v)| v)
}

/// Base45 → zlib → COSE_Sign1 (tag 18) → protected header and CWT claims; the signature over
/// Sig_structure ["Signature1", protected, h'', payload] checked with the trust list's key.
fn read_hc1(hc1: &str, trusted_certificate: &[u8]) -> Decoded {
    let compressed = base45::decode(hc1.strip_prefix("HC1:").expect("HC1: prefix")).expect("base45");
    let mut cose = Vec::new();
    flate2::read::ZlibDecoder::new(compressed.as_slice()).read_to_end(&mut cose).expect("zlib");
    let value: Value = ciborium::from_reader(cose.as_slice()).expect("CBOR");
    let Value::Tag(18, inner) = value else { panic!("COSE_Sign1 is tag 18") };
    let Value::Array(parts) = *inner else { panic!("COSE_Sign1 is an array") };
    let [Value::Bytes(protected), Value::Map(_), Value::Bytes(payload), Value::Bytes(signature)] = parts.as_slice() else {
        panic!("COSE_Sign1 = [protected, unprotected, payload, signature]")
    };
    let header: Value = ciborium::from_reader(protected.as_slice()).unwrap();
    let header = header.as_map().expect("protected header map").clone();
    assert_eq!(map_get(&header, 1).and_then(|v| v.as_integer()), Some((-7).into()), "alg ES256");
    let kid = map_get(&header, 4).and_then(|v| v.as_bytes()).expect("kid in the protected header").clone();
    assert_eq!(signature.len(), 64, "raw r‖s");
    let mut to_be_signed = Vec::new();
    let structure = Value::Array(vec![
        Value::Text("Signature1".into()),
        Value::Bytes(protected.clone()),
        Value::Bytes(Vec::new()),
        Value::Bytes(payload.clone()),
    ]);
    ciborium::into_writer(&structure, &mut to_be_signed).unwrap();
    use x509_cert::der::Decode;
    let certificate = x509_cert::Certificate::from_der(trusted_certificate).expect("DER certificate");
    let key =
        p256::ecdsa::VerifyingKey::from_sec1_bytes(certificate.tbs_certificate.subject_public_key_info.subject_public_key.raw_bytes())
            .expect("P-256 key");
    let signature_ok = p256::ecdsa::Signature::from_slice(signature).is_ok_and(|s| key.verify(&to_be_signed, &s).is_ok());
    let claims: Value = ciborium::from_reader(payload.as_slice()).unwrap();
    let claims = claims.as_map().expect("CWT claims").clone();
    let hcert = map_get(&claims, -260).and_then(|v| v.as_map()).expect("claim -260");
    let dcc = map_get(hcert, 1).expect("DCC under key 1").clone();
    let dcc: serde_json::Value = dcc.deserialized().expect("DCC as JSON");
    Decoded { kid, claims, dcc, signature_ok }
}

/// The payload against the EU DCC JSON schema 1.3.0 (the eHealth Network's file, formats
/// checked), and its codes against the EU value sets.
fn check_schema(dcc: &serde_json::Value) {
    let errors = schema_errors(dcc);
    assert!(errors.is_empty(), "{errors:?} in {dcc}");
    let v = &dcc["v"][0];
    // eu-dcc-valuesets: vaccine-prophylaxis, vaccine-medicinal-product, vaccine-mah-manf.
    assert!(["1119305005", "1119349007", "J07BX03"].contains(&v["vp"].as_str().unwrap()), "vp {}", v["vp"]);
    let products = [
        ("EU/1/21/1529", "ORG-100001699"),
        ("Covishield", "ORG-100001981"),
        ("EU/1/20/1528", "ORG-100030215"),
        ("EU/1/20/1507", "ORG-100031184"),
        ("EU/1/20/1525", "ORG-100001417"),
        ("BBIBP-CorV", "ORG-100020693"),
        ("Sputnik-V", "Gamaleya-Research-Institute"),
        ("Covaxin", "Bharat-Biotech"),
        ("Abdala", "CIGB"),
        ("Hayat-Vax", "ORG-100023050"),
    ];
    assert!(products.contains(&(v["mp"].as_str().unwrap(), v["ma"].as_str().unwrap())), "mp/ma {} {}", v["mp"], v["ma"]);
    assert_eq!(v["tg"], "840539006");
    assert_eq!(v["co"], "VN");
    assert!(v["ci"].as_str().unwrap().starts_with("URN:UVCI:01:VN:"));
}

/// What the EU DCC schema finds wrong in `dcc`.
fn schema_errors(dcc: &serde_json::Value) -> Vec<String> {
    static SCHEMA: std::sync::LazyLock<jsonschema::Validator> = std::sync::LazyLock::new(|| {
        let schema: serde_json::Value = serde_json::from_str(include_str!("../fixtures/DCC.combined-schema.json")).unwrap();
        jsonschema::options().should_validate_formats(true).build(&schema).expect("the EU DCC schema")
    });
    SCHEMA.iter_errors(dcc).map(|e| format!("{} at {}", e, e.instance_path())).collect()
}

/// The trust list's only signer: kid and DER certificate.
async fn trust_list(app: &TestApp) -> (Vec<u8>, Vec<u8>) {
    let body = reqwest::get(format!("{}/api/dcc/trust-list", app.base)).await.unwrap().text().await.unwrap();
    let list: serde_json::Value = serde_json::from_str(&body).unwrap();
    let signer = &list[0];
    assert_eq!(signer["country"], "VN");
    (STANDARD.decode(signer["kid"].as_str().unwrap()).unwrap(), STANDARD.decode(signer["certificate"].as_str().unwrap()).unwrap())
}

/// The `HC1:` texts of every certificate in force, by person.
async fn in_force(app: &TestApp) -> Vec<(i64, String)> {
    sqlx::query_as("SELECT person_id, hc1 FROM certificates WHERE revoked_at IS NULL ORDER BY person_id")
        .fetch_all(app.state.db.read())
        .await
        .unwrap()
}

async fn sign_as_station(station: &Browser) -> String {
    let signed = station.post("/co-so/chung-nhan/ky", &[]).await;
    assert_eq!(signed.status, 303, "{}", signed.body);
    station.get(signed.location.as_deref().unwrap()).await.body
}

#[tokio::test]
async fn a_site_signs_its_ready_records_and_every_certificate_verifies_on_an_independent_path() {
    let app = spawn_app().await;
    let station = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    let page = station.get("/co-so/chung-nhan").await;
    assert_eq!(page.status, 200);
    let ready: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM people p JOIN staff st ON st.email = $1
         WHERE p.quality = 'verified' AND p.merged_into IS NULL
           AND (SELECT d.site_id FROM doses d WHERE d.person_id = p.id AND d.removed_at IS NULL ORDER BY d.given_on DESC, d.id DESC LIMIT 1) = st.site_id",
    )
    .bind(DEMO_STATION_EMAIL)
    .fetch_one(app.state.db.read())
    .await
    .unwrap();
    assert!(ready > 0, "the demo station has verified records to sign");
    assert!(page.body.contains(&format!("{ready} hồ sơ sẵn sàng ký")), "{}", page.body);
    let after = sign_as_station(&station).await;
    assert!(after.contains(&format!("Đã ký {ready} chứng nhận")) && after.contains("0 hồ sơ sẵn sàng ký"), "{after}");

    let (kid, certificate) = trust_list(&app).await;
    let issued = in_force(&app).await;
    assert_eq!(issued.len() as i64, ready);
    for (person, hc1) in &issued {
        let read = read_hc1(hc1, &certificate);
        assert!(read.signature_ok, "person {person}: the signature verifies with the trust list's certificate");
        assert_eq!(read.kid, kid);
        assert_eq!(map_get(&read.claims, 1).and_then(|v| v.as_text()), Some("VN"), "iss");
        let (iat, exp) = (map_get(&read.claims, 6).unwrap().as_integer().unwrap(), map_get(&read.claims, 4).unwrap().as_integer().unwrap());
        assert!(i128::from(exp) > i128::from(iat));
        check_schema(&read.dcc);
        assert!(!hc1.contains("031190012345"), "no ID number in the payload");
    }
    // The schema check can fail: a lower-case transliteration and a date that does not exist.
    let mut broken = read_hc1(&issued[0].1, &certificate).dcc;
    broken["nam"]["fnt"] = "nguyen".into();
    broken["v"][0]["dt"] = "2021-13-45".into();
    assert_eq!(schema_errors(&broken).len(), 2, "{:?}", schema_errors(&broken));
    // Signing again finds nothing new; every signature is recorded with who approved it.
    assert!(sign_as_station(&station).await.contains("Đã ký 0 chứng nhận"));
    let approved: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM certificates WHERE approved_by IS NOT NULL").fetch_one(app.state.db.read()).await.unwrap();
    assert_eq!(approved, ready);
    // Another site's staff sign only the records of their own site.
    let district = staff_sign_in(&app, crate::support::DISTRICT_EMAIL).await;
    district.post("/co-so/chung-nhan/ky", &[]).await;
    let misplaced: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM certificates c JOIN staff st ON st.id = c.approved_by
         WHERE st.email = $1 AND c.site_id <> st.site_id",
    )
    .bind(crate::support::DISTRICT_EMAIL)
    .fetch_one(app.state.db.read())
    .await
    .unwrap();
    assert_eq!(misplaced, 0);
    let stations: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM certificates c JOIN staff st ON st.site_id = c.site_id WHERE st.email = $1")
            .bind(DEMO_STATION_EMAIL)
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    assert_eq!(stations, ready, "the station's certificates are its own signing");
}

/// The site of a person's latest dose (the site that signs their certificate).
async fn signing_site(app: &TestApp, person: i64) -> i64 {
    sqlx::query_scalar("SELECT site_id FROM doses WHERE person_id = $1 AND removed_at IS NULL ORDER BY given_on DESC, id DESC LIMIT 1")
        .bind(person)
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

/// The daily job's signing of a site.
async fn daily_signing(app: &TestApp, site: i64) -> usize {
    app::certificates::service::sign_site(
        &app.state.db,
        &app.state.signer,
        site,
        app::certificates::service::Approval::Command,
        app.state.clock.now().timestamp(),
    )
    .await
    .unwrap()
    .count
}

#[tokio::test]
async fn a_correction_revokes_the_citizens_certificate_at_once_and_the_next_signing_issues_a_new_one() {
    let app = spawn_app().await;
    let citizen = crate::support::sign_in(&app).await;
    let station = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    // Khôi's birth date is corrected: his record matches, and waits for the daily signing.
    let reference = crate::support::file_birth_date_complaint(&citizen, "20/05/2012").await;
    assert_eq!(station.post(&format!("/co-so/phan-anh/{reference}/sua"), &[("birth_date", "20/05/2012")]).await.status, 303);
    let record = citizen.get("/ho-so").await.body;
    assert!(record.contains("Hồ sơ đã khớp. Chứng nhận đang chờ"), "{record}");
    let site = signing_site(&app, 2).await;
    assert!(daily_signing(&app, site).await > 0);
    let record = citizen.get("/ho-so").await.body;
    assert!(record.contains("Đã cấp ngày") && record.contains("<svg") && record.contains("HC1:"), "the QR and its text: {record}");
    let (old_id, old_uvci, old_hc1): (i64, String, String) =
        sqlx::query_as("SELECT id, uvci, hc1 FROM certificates WHERE person_id = 2 AND revoked_at IS NULL")
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    let (_, certificate) = trust_list(&app).await;
    assert_eq!(read_hc1(&old_hc1, &certificate).dcc["dob"], "2012-05-20");
    // A page to print, and the QR as a PNG; both only for the household.
    let printable = citizen.get("/ho-so/chung-nhan/2").await;
    assert_eq!(printable.status, 200);
    assert!(printable.body.contains("Chứng nhận tiêm chủng COVID-19") && printable.body.contains(&old_uvci), "{}", printable.body);
    let (status, content_type, png) = citizen.download("/ho-so/chung-nhan/2/qr.png").await;
    assert_eq!((status, content_type.as_str()), (200, "image/png"));
    assert!(png.starts_with(b"\x89PNG"));
    let stranger = crate::support::sign_in_other_household(&app).await;
    assert_eq!(stranger.get("/ho-so/chung-nhan/2").await.status, 404);
    assert_eq!(stranger.download("/ho-so/chung-nhan/2/qr.png").await.0, 404);

    // A dose recorded twice is removed on a complaint: the certificate's dose count is wrong now.
    let doses: Vec<i64> = sqlx::query_scalar("SELECT id FROM doses WHERE person_id = 2 AND removed_at IS NULL ORDER BY given_on")
        .fetch_all(app.state.db.read())
        .await
        .unwrap();
    assert!(doses.len() >= 2, "Khôi has two doses");
    let key = crate::support::form_key(&citizen.get("/phan-anh/moi?nguoi=2").await.body);
    let (first, last) = (doses[0].to_string(), doses[doses.len() - 1]);
    let filed = citizen
        .post(
            "/phan-anh",
            &[
                ("person", "2"),
                ("key", &key),
                ("kind", "wrong_dose"),
                ("dose", &first),
                ("lot", "A1046"),
                ("description", "Mũi cuối bị ghi trùng."),
            ],
        )
        .await;
    assert_eq!(filed.status, 303, "{}", filed.body);
    let dose_complaint = filed.location.unwrap().trim_start_matches("/phan-anh/").to_string();
    // What a verifier holds before the correction: the list, and its tag.
    let list = reqwest::get(format!("{}/api/dcc/revocation-list", app.base)).await.unwrap();
    assert_eq!(list.headers()["cache-control"], "public, max-age=300");
    let list_before = list.headers()["etag"].to_str().unwrap().to_string();
    let before = app.smtp.messages().len();
    let corrected = station
        .post(
            &format!("/co-so/phan-anh/{dose_complaint}/sua"),
            &[(&format!("dose-{first}-lot") as &str, "A1046"), (&format!("dose-{last}-remove"), "1")],
        )
        .await;
    assert_eq!(corrected.status, 303, "{}", corrected.body);
    let (revoked_at, reason): (Option<i64>, Option<String>) =
        sqlx::query_as("SELECT revoked_at, revoked_reason FROM certificates WHERE id = $1")
            .bind(old_id)
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    assert!(revoked_at.is_some(), "revoked in the correction's transaction");
    assert_eq!(reason.as_deref(), Some("record_changed"));
    // The list is rebuilt for the revocation: a verifier holding the previous one gets the new.
    let list = reqwest::Client::new()
        .get(format!("{}/api/dcc/revocation-list", app.base))
        .header("if-none-match", &list_before)
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), 200);
    let list_after = list.headers()["etag"].to_str().unwrap().to_string();
    assert_ne!(list_after, list_before);
    let revocations = list.text().await.unwrap();
    assert!(revocations.contains(&app::certificates::service::uvci_hash(&old_uvci)), "{revocations}");
    let record = citizen.get("/ho-so").await.body;
    assert!(
        record.contains("Chứng nhận cũ đã bị thu hồi: Hồ sơ đã được sửa sau khi ký") && record.contains("Chứng nhận đang chờ"),
        "{record}"
    );
    app.smtp.wait_for_text_after(before, crate::support::DEMO_EMAIL, "chứng nhận tiêm chủng (mã QR) cũ đã bị thu hồi").await;

    // The next daily signing issues the new certificate, which replaces the old one, and the
    // household is told.
    let before = app.smtp.messages().len();
    assert_eq!(daily_signing(&app, signing_site(&app, 2).await).await, 1);
    app.smtp.wait_for_text_after(before, crate::support::DEMO_EMAIL, "Chứng nhận tiêm chủng mới của Trần Minh Khôi đã được ký").await;
    let (new_id, new_hc1): (i64, String) = sqlx::query_as("SELECT id, hc1 FROM certificates WHERE person_id = 2 AND revoked_at IS NULL")
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    let replaced_by: Option<i64> =
        sqlx::query_scalar("SELECT replaced_by FROM certificates WHERE id = $1").bind(old_id).fetch_one(app.state.db.read()).await.unwrap();
    assert_eq!(replaced_by, Some(new_id));
    let read = read_hc1(&new_hc1, &certificate);
    assert!(read.signature_ok);
    assert_eq!(read.dcc["v"][0]["dn"].as_u64(), Some(doses.len() as u64 - 1), "one dose fewer");
    // Only the household sees it: another citizen's record page shows none of it.
    assert!(!stranger.get("/ho-so").await.body.contains(&new_hc1));

    // Anyone checks a certificate on the public page, by POST or in the address.
    let anyone = Browser::new(&app);
    let verify = |text: String| {
        let anyone = anyone.clone();
        async move { anyone.post("/kiem-tra", &[("hc1", text.as_str())]).await.body }
    };
    let valid = verify(new_hc1.clone()).await;
    assert!(valid.contains("Hợp lệ") && valid.contains("Trần Minh Khôi") && valid.contains("2012-05-20"), "{valid}");
    assert!(!valid.contains("031212004821"), "nothing from the database beyond the QR");
    assert!(verify(old_hc1.clone()).await.contains("Đã bị thu hồi"));
    let by_get = anyone.get(&format!("/kiem-tra?hc1={}", url_encoded(&new_hc1))).await.body;
    assert!(by_get.contains("Hợp lệ"), "{by_get}");
    // Or a photo of the QR: the PNG the citizen downloads, read on the server by a QR reader.
    let (_, _, png) = citizen.download("/ho-so/chung-nhan/2/qr.png").await;
    let photo = anyone.post_multipart("/kiem-tra", &[("hc1", "")], &[("qr.png", png.clone())]).await.body;
    assert!(photo.contains("Hợp lệ") && photo.contains("Trần Minh Khôi"), "{photo}");
    // The camera scanner's frames (a data URL each) are read by the same reader: the text, or
    // 204 while no code is in the picture.
    let base = app.base.clone();
    let frame = |data_url: String| {
        let base = base.clone();
        async move {
            reqwest::Client::new().post(format!("{base}/kiem-tra/khung-hinh")).header("origin", &base).body(data_url).send().await.unwrap()
        }
    };
    let read = frame(format!("data:image/png;base64,{}", STANDARD.encode(&png))).await;
    assert_eq!(read.status(), 200);
    assert_eq!(read.text().await.unwrap(), new_hc1);
    assert_eq!(frame(format!("data:image/jpeg;base64,{}", STANDARD.encode(b"no code here"))).await.status(), 204);
    assert_eq!(frame("not a picture".into()).await.status(), 400);
    let blurred = anyone.post_multipart("/kiem-tra", &[("hc1", "")], &[("anh.jpg", b"not a photo".to_vec())]).await.body;
    assert!(blurred.contains("Không đọc được mã QR trong ảnh"), "{blurred}");
    // A payload altered after signing, and one signed by a key that is not on the trust list.
    // Neither names its holder: only a signature that checks out does.
    let forged = verify(tampered(&new_hc1)).await;
    assert!(forged.contains("chữ ký sai") && !forged.contains("Trần Minh Khôi"), "{forged}");
    let stranger = app::certificates::keys::DocumentSigner::generate_for_tests();
    let payload = app::certificates::dcc::decode(&new_hc1).unwrap().payload;
    let foreign = app::certificates::dcc::sign(&stranger, &payload, 1_763_000_000, 1_800_000_000).unwrap();
    let unknown = verify(foreign).await;
    assert!(unknown.contains("không có trong danh sách tin cậy") && !unknown.contains("Trần Minh Khôi"), "{unknown}");
    assert!(verify("not a certificate".into()).await.contains("Không phải chứng nhận EU DCC"));
    // A year and more later, it has expired.
    app.clock.advance(chrono::Duration::days(400));
    assert!(verify(new_hc1).await.contains("Đã hết hạn"));
    // An expired certificate is no longer in force: the record waits for the signing, which
    // renews it and tells the household.
    let now = app.state.clock.now().timestamp();
    let state =
        app::certificates::service::state_of(&mut app.state.db.read().acquire().await.unwrap(), 2, Some("verified"), now).await.unwrap();
    assert!(matches!(state, app::certificates::CertificateState::Ready { expired_on: Some(_), revoked: None, .. }), "{state:?}");
    let before = app.smtp.messages().len();
    assert!(daily_signing(&app, signing_site(&app, 2).await).await >= 1, "renewed after 12 months");
    let renewed: i64 =
        sqlx::query_scalar("SELECT MAX(id) FROM certificates WHERE person_id = 2").fetch_one(app.state.db.read()).await.unwrap();
    let replaced_by: Option<i64> =
        sqlx::query_scalar("SELECT replaced_by FROM certificates WHERE id = $1").bind(new_id).fetch_one(app.state.db.read()).await.unwrap();
    assert_eq!(replaced_by, Some(renewed));
    app.smtp.wait_for_text_after(before, crate::support::DEMO_EMAIL, "Chứng nhận tiêm chủng mới của Trần Minh Khôi đã được ký").await;
    assert_eq!(daily_signing(&app, signing_site(&app, 2).await).await, 0, "signed once");
}

/// The demo station and its manager.
async fn station_and_manager(app: &TestApp) -> (i64, i64) {
    sqlx::query_as("SELECT site_id, id FROM staff WHERE email = $1").bind(DEMO_STATION_EMAIL).fetch_one(app.state.db.read()).await.unwrap()
}

/// One run of the evening job at the app's clock: the sites it signed.
async fn evening_run(app: &TestApp) -> Vec<(i64, app::certificates::Signed)> {
    app::certificates::schedule::run_due(&app.state.db, &app.state.signer, app.state.clock.now()).await.unwrap()
}

#[tokio::test]
async fn the_site_manager_approves_the_evening_signing_and_the_job_signs_once_a_day_in_their_name() {
    let app = spawn_app().await;
    let (station, manager_id) = station_and_manager(&app).await;
    let run = || evening_run(&app);
    // Before 20:00 in Vietnam the job waits, even for an approved site (the tests start at 15:00).
    app::certificates::schedule::approve(&app.state.db, station, manager_id, app.state.clock.now().timestamp()).await.unwrap();
    assert!(run().await.is_empty());
    app::certificates::schedule::withdraw(&app.state.db, station, manager_id).await.unwrap();
    app.clock.advance(chrono::Duration::hours(6)); // 21:00
    let manager = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    let staff_member = staff_sign_in(&app, "ttyt.demo@example.vn").await;
    let page = manager.get("/co-so/chung-nhan").await.body;
    assert!(page.contains("Ký tự động hằng ngày: tắt") && page.contains("Duyệt ký tự động mỗi tối"), "{page}");
    // Staff who do not manage the site read it but cannot approve it.
    assert!(!staff_member.get("/co-so/chung-nhan").await.body.contains("Duyệt ký tự động mỗi tối"));
    assert_eq!(staff_member.post("/co-so/chung-nhan/tu-dong", &[("bat", "1")]).await.status, 403);
    // Not approved: the evening passes without signing.
    assert!(run().await.is_empty());
    let ready: i64 = ready_count(&app, station).await;
    assert!(ready > 0, "the demo station has records to sign");

    assert_eq!(manager.post("/co-so/chung-nhan/tu-dong", &[("bat", "1")]).await.status, 303);
    let page = manager.get("/co-so/chung-nhan").await.body;
    assert!(page.contains("Ký tự động hằng ngày: bật") && page.contains("Nguyễn Văn Trạm") && page.contains("Chưa chạy lần nào"), "{page}");
    let signed = run().await;
    assert_eq!(signed.len(), 1);
    assert_eq!((signed[0].0, signed[0].1.count as i64), (station, ready));
    let approvers: Vec<Option<i64>> = sqlx::query_scalar("SELECT DISTINCT approved_by FROM certificates WHERE site_id = $1")
        .bind(station)
        .fetch_all(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(approvers, vec![Some(manager_id)], "signed in the approving manager's name");
    let approvals: Vec<String> = sqlx::query_scalar("SELECT DISTINCT approval FROM certificates WHERE site_id = $1")
        .bind(station)
        .fetch_all(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(approvals, vec!["standing".to_string()], "marked as the job's, under the standing approval");
    // Once a day: the next run that evening finds it done.
    assert!(run().await.is_empty());
    assert!(manager.get("/co-so/chung-nhan").await.body.contains("Lần ký tự động gần nhất: 22/11/2026"));

    // Withdrawn: the next evening signs nothing (a record made ready meanwhile waits for the button).
    assert_eq!(manager.post("/co-so/chung-nhan/tu-dong", &[("bat", "0")]).await.status, 303);
    assert!(manager.get("/co-so/chung-nhan").await.body.contains("Ký tự động hằng ngày: tắt"));
    app.clock.advance(chrono::Duration::days(1));
    assert!(run().await.is_empty());
}

/// How many records `site` may sign now.
async fn ready_count(app: &TestApp, site: i64) -> i64 {
    let now = app.state.clock.now();
    let midnight = app::vietnam::midnight(app::vietnam::today(now));
    app::certificates::service::ready(&mut app.state.db.read().acquire().await.unwrap(), site, (now.timestamp(), midnight))
        .await
        .unwrap()
        .total
}

fn url_encoded(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// The certificate with its birth date changed after signing (signature left as it was).
fn tampered(hc1: &str) -> String {
    let compressed = base45::decode(&hc1[4..]).unwrap();
    let mut cose = Vec::new();
    flate2::read::ZlibDecoder::new(compressed.as_slice()).read_to_end(&mut cose).unwrap();
    let Value::Tag(18, inner) = ciborium::from_reader::<Value, _>(cose.as_slice()).unwrap() else { panic!() };
    let Value::Array(mut parts) = *inner else { panic!() };
    let Value::Bytes(payload) = &parts[2] else { panic!() };
    let at = payload.windows(10).position(|w| w == b"2012-05-20").expect("the birth date in the payload");
    let mut forged = payload.clone();
    forged[at + 2] = b'0';
    parts[2] = Value::Bytes(forged);
    let mut bytes = Vec::new();
    ciborium::into_writer(&Value::Tag(18, Box::new(Value::Array(parts))), &mut bytes).unwrap();
    let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut zlib, &bytes).unwrap();
    format!("HC1:{}", base45::encode(zlib.finish().unwrap()))
}

#[tokio::test]
async fn behind_https_the_portal_refuses_to_start_with_a_development_signer() {
    let (database_url, _dir) = crate::support::fresh_database().await;
    let dir = std::env::temp_dir().join(format!("dcc-dev-refused-{}", std::process::id()));
    let (key, certificate) = app::certificates::keys::create_files(&dir, app::certificates::keys::DEVELOPMENT_MARK).unwrap();
    let secret = "s".repeat(40);
    let (key, certificate) = (key.display().to_string(), certificate.display().to_string());
    let settings = server::Settings::from_lookup(|k| {
        Some(match k {
            "DATABASE_URL" => database_url.clone(),
            "LISTEN_ADDR" => "127.0.0.1:0".into(),
            "PUBLIC_URL" => "https://portal.test".into(),
            "APP_SECRET" => secret.clone(),
            "SMTP_URL" => "smtp://127.0.0.1:9".into(),
            "SMS_GATEWAY_URL" => "https://sms.example.vn/send".into(),
            "SMS_GATEWAY_KEY" => "k".into(),
            "DCC_SIGNER_KEY" => key.clone(),
            "DCC_SIGNER_CERT" => certificate.clone(),
            _ => return None,
        })
    })
    .unwrap();
    let refused = server::Application::build(&settings).await.err().expect("refused");
    std::fs::remove_dir_all(&dir).ok();
    assert!(refused.to_string().contains("development signing certificate"), "{refused}");
}

#[tokio::test]
async fn a_signer_outside_its_validity_is_refused_at_start() {
    let (database_url, _dir) = crate::support::fresh_database().await;
    let dir = std::env::temp_dir().join(format!("dcc-validity-{}-{}", std::process::id(), rand::random::<u32>()));
    let (key, certificate) = app::certificates::keys::create_files(&dir, "Test").unwrap();
    let (key, certificate) = (key.display().to_string(), certificate.display().to_string());
    let settings = server::Settings::from_lookup(|k| {
        Some(match k {
            "DATABASE_URL" => database_url.clone(),
            "DCC_SIGNER_KEY" => key.clone(),
            "DCC_SIGNER_CERT" => certificate.clone(),
            _ => return None,
        })
    })
    .unwrap();
    let now = chrono::Utc::now().timestamp();
    assert!(server::startup::load_signer(&settings, now).is_ok());
    assert!(server::startup::load_signer(&settings, now - 60).is_ok(), "a minute of clock skew is no refusal");
    for (when, what) in [(now - 86_400, "not yet valid"), (now + 3 * 365 * 86_400, "expired")] {
        let refused = server::startup::load_signer(&settings, when).err().unwrap_or_else(|| panic!("{what} accepted"));
        assert!(refused.to_string().contains("not valid now"), "{what}: {refused}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn a_standing_approval_lapses_after_90_days_and_with_the_managers_password() {
    let app = spawn_app().await;
    let (station, manager_id) = station_and_manager(&app).await;
    let run = || evening_run(&app);
    app.clock.advance(chrono::Duration::hours(6)); // 21:00 in Vietnam
    // Approved, then the manager's password changes: the approval went with the old password.
    let manager = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    assert_eq!(manager.post("/co-so/chung-nhan/tu-dong", &[("bat", "1")]).await.status, 303);
    app.clock.advance(chrono::Duration::seconds(1));
    let new = "mot-cau-rat-dai-2026";
    let changed = manager
        .post("/co-so/bao-mat/mat-khau", &[("current", server::seed::DEMO_STAFF_PASSWORD), ("password", new), ("confirm", new)])
        .await;
    assert_eq!(changed.status, 303);
    assert!(run().await.is_empty(), "no signing on a lapsed approval");
    assert!(manager.get("/co-so/chung-nhan").await.body.contains("Ký tự động hằng ngày: tắt"));
    // Given again: in force for 90 days, then lapsed.
    app::certificates::schedule::approve(&app.state.db, station, manager_id, app.state.clock.now().timestamp()).await.unwrap();
    assert!(manager.get("/co-so/chung-nhan").await.body.contains("hiệu lực đến"));
    app.clock.advance(chrono::Duration::days(91));
    assert!(run().await.is_empty(), "90 days on, the approval has lapsed");
}
