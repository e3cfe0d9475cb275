//! Filing correction complaints, routing, the deadline and the tracking page, through the
//! real router as a browser without JavaScript would.

use crate::support::{Browser, TestApp, sign_in, spawn_app};

/// Person ids of the demo household (see server/src/seed.rs): Lan, her son Khôi, her mother.
const LAN: i64 = 1;
const KHOI: i64 = 2;

fn hidden(body: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let at = body.find(&marker).unwrap_or_else(|| panic!("no hidden {name}")) + marker.len();
    body[at..].split('"').next().unwrap().to_string()
}

async fn open_form(browser: &Browser, person: i64) -> String {
    let page = browser.get(&format!("/phan-anh/moi?nguoi={person}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    hidden(&page.body, "key")
}

async fn file(browser: &Browser, person: i64, key: &str, fields: &[(&str, &str)]) -> crate::support::Page {
    let person = person.to_string();
    let mut form = vec![("person", person.as_str()), ("key", key)];
    form.extend_from_slice(fields);
    browser.post("/phan-anh", &form).await
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(app.state.db.read()).await.unwrap()
}

#[tokio::test]
async fn wrong_birth_date_goes_to_the_residence_station_due_in_48_hours() {
    let app = spawn_app().await;
    let browser = sign_in(&app).await;
    let form = browser.get(&format!("/phan-anh/moi?nguoi={KHOI}")).await.body;
    assert!(form.contains("value=\"personal_data\" checked"), "the diagnosis pre-selects the kind");
    let key = hidden(&form, "key");
    let page = file(&browser, KHOI, &key, &[("kind", "personal_data"), ("birth_date", "20/05/2012")]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    let tracking = page.location.unwrap();
    assert!(tracking.starts_with("/phan-anh/PA-"));

    let body = browser.get(&tracking).await.body;
    assert!(body.contains("Trần Minh Khôi"));
    assert!(body.contains("Trạm Y tế"), "routed to the commune health station");
    // Filed 08:00 UTC = 15:00 in Vietnam on 22/11; due 48 hours later.
    assert!(body.contains("15:00 24/11/2026"), "deadline shown");
    assert!(body.contains("02/05/2012") && body.contains("20/05/2012"), "recorded and requested values");

    let station: i64 = count(
        &app,
        "SELECT COUNT(*) FROM complaints c JOIN sites s ON s.id = c.site_id JOIN people p ON p.id = c.person_id
         WHERE s.site_type = 'commune_station' AND s.unit_code = p.residence_unit AND c.due_at - c.filed_at = 172800",
    )
    .await;
    assert_eq!(station, 1);
    // The record page lists it.
    assert!(browser.get("/ho-so").await.body.contains(tracking.trim_start_matches("/phan-anh/")));
}

#[tokio::test]
async fn submitting_twice_creates_one_complaint() {
    let app = spawn_app().await;
    let browser = sign_in(&app).await;
    let key = open_form(&browser, KHOI).await;
    let fields = [("kind", "personal_data"), ("birth_date", "20/05/2012")];
    let first = file(&browser, KHOI, &key, &fields).await;
    let second = file(&browser, KHOI, &key, &fields).await;
    assert_eq!(first.location, second.location);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM complaints").await, 1);
    // A new form is a new complaint: there is no "only once" quota.
    let again = file(&browser, KHOI, &open_form(&browser, KHOI).await, &fields).await;
    assert_ne!(again.location, first.location);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM complaints").await, 2);
}

#[tokio::test]
async fn the_filing_notice_goes_to_each_contact_on_file_and_only_those() {
    let app = spawn_app().await;
    let browser = sign_in(&app).await;
    let fields = [("kind", "personal_data"), ("birth_date", "20/05/2012")];
    let notices = |location: Option<String>| {
        let reference = location.unwrap().trim_start_matches("/phan-anh/").to_string();
        let db = app.state.db.clone();
        async move {
            let rows: Vec<(String, String)> = sqlx::query_as("SELECT channel, recipient FROM outbox WHERE subject = $1 ORDER BY channel")
                .bind(format!("Đã nhận phản ánh {reference}"))
                .fetch_all(db.read())
                .await
                .unwrap();
            rows
        }
    };
    let (email, phone): (String, String) =
        sqlx::query_as("SELECT email, phone FROM people WHERE id = $1").bind(LAN).fetch_one(app.state.db.read()).await.unwrap();
    // Khôi has the family's phone but no email: the email goes to his mother, who filed.
    let first = file(&browser, KHOI, &open_form(&browser, KHOI).await, &fields).await;
    assert_eq!(notices(first.location).await, [("email".to_string(), email), ("sms".to_string(), phone.clone())]);
    // Without an email on file, the text alone.
    sqlx::query("UPDATE people SET email = NULL WHERE id = $1").bind(LAN).execute(app.state.db.write()).await.unwrap();
    let second = file(&browser, KHOI, &open_form(&browser, KHOI).await, &fields).await;
    assert_eq!(notices(second.location).await, [("sms".to_string(), phone)]);
}

#[tokio::test]
async fn a_wrong_dose_goes_to_the_site_that_gave_it() {
    let app = spawn_app().await;
    let browser = sign_in(&app).await;
    let key = open_form(&browser, LAN).await;
    // Lan's booster was given at the district health centre.
    let dose: i64 = count(&app, "SELECT id FROM doses WHERE person_id = 1 AND dose_kind = 'n1'").await;
    let dose = dose.to_string();
    let page = file(
        &browser,
        LAN,
        &key,
        &[("kind", "wrong_dose"), ("dose", &dose), ("description", "Mũi nhắc lại là Moderna, không phải Pfizer.")],
    )
    .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let body = browser.get(&page.location.unwrap()).await.body;
    assert!(body.contains("Trung tâm Y tế"));
    assert!(body.contains("Mũi nhắc lại là Moderna"));
}

#[tokio::test]
async fn a_rejected_complaint_keeps_what_was_typed_and_says_what_to_fix() {
    let app = spawn_app().await;
    let browser = sign_in(&app).await;
    let key = open_form(&browser, KHOI).await;
    let page =
        file(&browser, KHOI, &key, &[("kind", "personal_data"), ("birth_date", "31/02/2012"), ("full_name", "Trần Minh Khôi 2")]).await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("value=\"31/02/2012\""));
    assert!(page.body.contains("value=\"Trần Minh Khôi 2\""));
    assert!(page.body.contains("Nhập ngày sinh dạng ngày/tháng/năm"));
    assert!(page.body.contains("Họ tên chỉ gồm chữ cái"));
    assert_eq!(hidden(&page.body, "key"), key, "the retry keeps the same idempotency key");

    let nothing = file(&browser, KHOI, &key, &[("kind", "personal_data"), ("birth_date", "02/05/2012")]).await;
    assert_eq!(nothing.status, 422, "the same value as recorded is no correction");
    assert!(nothing.body.contains("Nhập ít nhất một thông tin đúng"));

    let no_dose = file(&browser, KHOI, &key, &[("kind", "wrong_dose"), ("description", "Sai ngày tiêm mũi 2")]).await;
    assert_eq!(no_dose.status, 422);
    assert!(no_dose.body.contains("value=\"Sai ngày tiêm mũi 2\"") || no_dose.body.contains("Sai ngày tiêm mũi 2</textarea>"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM complaints").await, 0);
}

#[tokio::test]
async fn another_household_can_neither_file_nor_read() {
    let app = spawn_app().await;
    let lan = sign_in(&app).await;
    let key = open_form(&lan, KHOI).await;
    let tracking = file(&lan, KHOI, &key, &[("kind", "personal_data"), ("birth_date", "20/05/2012")]).await.location.unwrap();

    // A citizen of another household, found in the seeded data.
    let (other, person) = crate::support::sign_in_other(&app).await;
    assert_eq!(other.get(&tracking).await.status, 404);
    assert_eq!(other.get(&format!("/phan-anh/moi?nguoi={KHOI}")).await.status, 404);
    let page = file(&other, KHOI, &key, &[("kind", "personal_data"), ("birth_date", "21/05/2012")]).await;
    assert_eq!(page.status, 404);
    // And Lan cannot reach into theirs.
    assert_eq!(lan.get(&format!("/phan-anh/moi?nguoi={person}")).await.status, 404);
    // Unknown references answer the same as other people's.
    assert_eq!(other.get("/phan-anh/PA-XXXX-XXXX").await.status, 404);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM complaints").await, 1);
}

#[tokio::test]
async fn filing_needs_a_session_and_this_sites_origin() {
    let app = spawn_app().await;
    let anonymous = Browser::new(&app);
    assert_eq!(anonymous.get("/phan-anh/moi?nguoi=2").await.location.as_deref(), Some("/tra-cuu"));
    let browser = sign_in(&app).await;
    let key = open_form(&browser, KHOI).await;
    let person = KHOI.to_string();
    let form = [("person", person.as_str()), ("key", key.as_str()), ("kind", "personal_data"), ("birth_date", "20/05/2012")];
    assert_eq!(browser.post_from("/phan-anh", &form, "http://evil.example").await.status, 403);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM complaints").await, 0);
}
