//! Test harness: the real router on port 0, a fresh database per test (SQLite file or
//! PostgreSQL, chosen by TEST_DATABASE), a real SMTP server, and a manual clock.

#![allow(dead_code)]

pub mod sms;
pub mod smtp;

use app::platform::ManualClock;
use chrono::{TimeZone, Utc};
use reqwest::cookie::{CookieStore, Jar};
use server::{Application, Settings};
use sms::SmsGateway;
use smtp::SmtpServer;
use std::sync::Arc;

pub struct TestApp {
    pub base: String,
    pub database_url: String,
    pub clock: ManualClock,
    pub smtp: SmtpServer,
    pub sms: SmsGateway,
    pub state: app::platform::AppState,
    /// Settings beyond the defaults, for servers started beside this one.
    env: Vec<(String, String)>,
    /// Authenticator keys of staff who set up a second factor, by email (a phone's app).
    pub totp_keys: Arc<std::sync::Mutex<std::collections::HashMap<String, Vec<u8>>>>,
    _tempdir: Option<TempDir>,
}

/// A directory removed when the test ends.
pub struct TempDir(pub std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn unique_name() -> String {
    use rand::Rng;
    format!("t{}_{:08x}", std::process::id(), rand::rng().random::<u32>())
}

/// A fresh, empty database URL for this test.
pub async fn fresh_database() -> (String, Option<TempDir>) {
    match std::env::var("TEST_DATABASE").as_deref() {
        Ok("postgres") => {
            let admin = std::env::var("TEST_POSTGRES_URL")
                .expect("TEST_DATABASE=postgres needs TEST_POSTGRES_URL (make test starts PostgreSQL and sets it)");
            let name = unique_name();
            sqlx::any::install_default_drivers();
            let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin).await.expect("connect to PostgreSQL");
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.expect("create test database");
            let base = admin.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap_or(admin.clone());
            // Files beside the database (the development certificate signer) go here.
            let dir = std::env::temp_dir().join(&name);
            std::fs::create_dir_all(&dir).unwrap();
            (format!("{base}/{name}"), Some(TempDir(dir)))
        }
        Ok("sqlite") | Err(_) => {
            let dir = std::env::temp_dir().join(unique_name());
            std::fs::create_dir_all(&dir).unwrap();
            let url = format!("sqlite:{}", dir.join("portal.sqlite3").display());
            (url, Some(TempDir(dir)))
        }
        Ok(other) => panic!("TEST_DATABASE must be sqlite or postgres, not {other}"),
    }
}

/// Starts the portal with the demo household and 200 generated people.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// The same, with mail sent to `smtp_url` instead of the test's SMTP server (to make it fail).
pub async fn spawn_app_with_smtp(smtp_url: Option<&str>) -> TestApp {
    match smtp_url {
        Some(url) => spawn_app_with(&[("SMTP_URL", url)]).await,
        None => spawn_app().await,
    }
}

/// The same, with settings of the test's own (e.g. `("TRUST_PROXY", "1")`).
pub async fn spawn_app_with(env: &[(&str, &str)]) -> TestApp {
    let (database_url, tempdir) = fresh_database().await;
    let smtp = SmtpServer::start().await;
    let sms = SmsGateway::start().await;
    let mut all = vec![
        ("SMTP_URL".to_string(), smtp.url()),
        ("SMS_GATEWAY_URL".into(), sms.url.clone()),
        ("SMS_GATEWAY_KEY".into(), sms::GATEWAY_KEY.into()),
    ];
    if let Some(dir) = &tempdir {
        all.push(("DCC_DEV_DIR".into(), dir.0.join("dcc-signer").display().to_string()));
        // Behind https the portal refuses the development signer: a signer of its own, as a
        // deployment would have from the country signing CA.
        let https = env.iter().any(|(k, v)| *k == "PUBLIC_URL" && v.starts_with("https://"));
        if https && !env.iter().any(|(k, _)| *k == "DCC_SIGNER_KEY") {
            let (key, certificate) = app::certificates::keys::create_files(&dir.0.join("dcc-production"), "TEST").expect("a signer");
            all.push(("DCC_SIGNER_KEY".into(), key.display().to_string()));
            all.push(("DCC_SIGNER_CERT".into(), certificate.display().to_string()));
        }
    }
    all.extend(env.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let settings = test_settings(&database_url, &all);
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 22, 8, 0, 0).unwrap());
    let app = Application::build_with_clock(&settings, Arc::new(clock.clone())).await.expect("build app");
    server::seed::generate(&app.state().db, 200, 1).await.expect("seed");
    let base = format!("http://127.0.0.1:{}", app.port());
    let state = app.state().clone();
    tokio::spawn(app.run());
    TestApp { base, database_url, clock, smtp, sms, state, env: all, totp_keys: Arc::default(), _tempdir: tempdir }
}

/// A second server on the same database and clock, not serving: for workers racing the first.
pub async fn second_server(app: &TestApp) -> app::platform::AppState {
    let settings = test_settings(&app.database_url, &app.env);
    let second = Application::build_with_clock(&settings, Arc::new(app.clock.clone())).await.expect("build second app");
    second.state().clone()
}

/// A second server on the same database and clock, serving: returns a view of it that
/// browsers can be opened on (its own address; the same database, mail and texts).
pub async fn second_serving(app: &TestApp) -> TestApp {
    let settings = test_settings(&app.database_url, &app.env);
    let second = Application::build_with_clock(&settings, Arc::new(app.clock.clone())).await.expect("build second app");
    let base = format!("http://127.0.0.1:{}", second.port());
    let state = second.state().clone();
    tokio::spawn(second.run());
    TestApp {
        base,
        database_url: app.database_url.clone(),
        clock: app.clock.clone(),
        smtp: app.smtp.clone(),
        sms: app.sms.clone(),
        state,
        env: app.env.clone(),
        totp_keys: app.totp_keys.clone(),
        _tempdir: None,
    }
}

fn test_settings(database_url: &str, env: &[(String, String)]) -> Settings {
    let database_url = database_url.to_string();
    Settings::from_lookup(|k| match k {
        "DATABASE_URL" => Some(database_url.clone()),
        "LISTEN_ADDR" => Some("127.0.0.1:0".into()),
        "SITE_ROOT" => Some("target/site".into()),
        _ => env.iter().rev().find(|(key, _)| key == k).map(|(_, v)| v.clone()),
    })
    .expect("test settings")
}

/// Words that open the email carrying a lookup code.
pub const CODE_SENTENCE: &str = "Mã xác thực tra cứu";

pub const DEMO_ID: &str = "031190012345";
pub const DEMO_BIRTH: &str = "07/03/1990";
pub const DEMO_EMAIL: &str = "lan.nguyen@example.vn";

pub async fn request_code(app: &TestApp, browser: &Browser, identifier: &str, birth: &str) -> String {
    let page = browser.post("/tra-cuu", &[("identifier", identifier), ("birth_date", birth)]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(page.location.as_deref(), Some("/tra-cuu/ma"));
    code_in(&app.smtp.wait_for_text(DEMO_EMAIL, CODE_SENTENCE).await.data)
}

pub async fn sign_in(app: &TestApp) -> Browser {
    sign_in_as(app, DEMO_ID, DEMO_BIRTH, DEMO_EMAIL).await
}

/// Signs in through the lookup form, reading the code from the email sent to `email`.
pub async fn sign_in_as(app: &TestApp, id: &str, birth: &str, email: &str) -> Browser {
    let browser = Browser::new(app);
    let before = app.smtp.messages().len();
    let page = browser.post("/tra-cuu", &[("identifier", id), ("birth_date", birth)]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    let code = code_in(&app.smtp.wait_for_text_after(before, email, CODE_SENTENCE).await.data);
    let page = browser.post("/tra-cuu/ma", &[("code", &code)]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(page.location.as_deref(), Some("/ho-so"));
    browser
}

/// Signs in a citizen of another household, found in the seeded data; returns the browser
/// and that person's id.
pub async fn sign_in_other(app: &TestApp) -> (Browser, i64) {
    let (id, birth, email, person): (String, String, String, i64) = sqlx::query_as(
        "SELECT p.national_id, p.birth_date, p.email, p.id FROM people p JOIN registry_people r ON r.national_id = p.national_id
         WHERE p.email IS NOT NULL AND p.id > 3 AND p.birth_date LIKE '____-__-__' ORDER BY p.id LIMIT 1",
    )
    .fetch_one(app.state.db.read())
    .await
    .unwrap();
    (sign_in_as(app, &id, &birth, &email).await, person)
}

pub async fn sign_in_other_household(app: &TestApp) -> Browser {
    sign_in_other(app).await.0
}

pub const DISTRICT_EMAIL: &str = "ttyt.demo@example.vn";

/// Signs a demo staff member in: the password, then (supervisors, administrators, anyone who
/// set one up) the second step.
pub async fn staff_sign_in(app: &TestApp, email: &str) -> Browser {
    let browser = Browser::new(app);
    let page = browser.post("/co-so/dang-nhap", &[("email", email), ("password", server::seed::DEMO_STAFF_PASSWORD)]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    if page.location.as_deref() == Some("/co-so/xac-thuc") {
        second_step(app, &browser, email).await;
    } else {
        assert_eq!(page.location.as_deref(), Some("/co-so"));
    }
    browser
}

/// The second step as a person with an authenticator app does it: on first sign-in, the key
/// is read off the page (as it would be typed into the app); then the app's current code.
pub async fn second_step(app: &TestApp, browser: &Browser, email: &str) {
    let page = browser.get("/co-so/xac-thuc").await;
    assert_eq!(page.status, 200, "{}", page.body);
    keep_totp_key(app, email, &page.body);
    let key = app.totp_keys.lock().unwrap().get(email).cloned().expect("a key set up earlier in this test");
    let now = app.clock.now_for_tests();
    // A code works once: a second sign-in within the same 30 seconds uses the next step's
    // code, which the portal accepts as clock drift.
    for at in [now, now + 30] {
        let code = app::staff::second_factor::code_at(&key, at);
        let page = browser.post("/co-so/xac-thuc", &[("code", code.as_str())]).await;
        if page.status == 303 || page.body.contains("Mã khôi phục") {
            return;
        }
    }
    panic!("the second step was refused");
}

/// If the page shows a key to set up, keeps it as the person's authenticator app would.
pub fn keep_totp_key(app: &TestApp, email: &str, body: &str) {
    let marker = "class=\"totp-key\">";
    if let Some(at) = body.find(marker) {
        let typed: String = body[at + marker.len()..].split('<').next().unwrap().to_string();
        app.totp_keys.lock().unwrap().insert(email.to_string(), base32_decode(&typed));
    }
}

fn base32_decode(typed: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut buffer, mut bits, mut out) = (0u32, 0, Vec::new());
    for c in typed.bytes().filter(|c| !c.is_ascii_whitespace()) {
        buffer = (buffer << 5) | ALPHABET.iter().position(|a| *a == c).expect("base32") as u32;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    out
}

/// The value of the hidden `key` input in a page's form.
pub fn form_key(body: &str) -> String {
    let marker = "name=\"key\" value=\"";
    let at = body.find(marker).expect("form key") + marker.len();
    body[at..].split('"').next().unwrap().to_string()
}

/// Files a complaint about the demo son's birth date (recorded 02/05/2012) asking for `birth`;
/// returns its reference.
pub async fn file_birth_date_complaint(citizen: &Browser, birth: &str) -> String {
    let key = form_key(&citizen.get("/phan-anh/moi?nguoi=2").await.body);
    let page = citizen.post("/phan-anh", &[("person", "2"), ("key", key.as_str()), ("kind", "personal_data"), ("birth_date", birth)]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    page.location.unwrap().trim_start_matches("/phan-anh/").to_string()
}

/// A browser without JavaScript: keeps cookies, sends its Origin, follows no redirects so
/// tests see each step.
#[derive(Clone)]
pub struct Browser {
    pub client: reqwest::Client,
    pub jar: Arc<Jar>,
    base: String,
}

pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
}

impl Browser {
    pub fn new(app: &TestApp) -> Self {
        let jar = Arc::new(Jar::default());
        let client = reqwest::Client::builder().cookie_provider(jar.clone()).redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Self { client, jar, base: app.base.clone() }
    }

    /// The same browser (its cookies) talking to another server of the portal, as a reverse
    /// proxy spreading requests would make it.
    pub fn on(&self, server: &TestApp) -> Browser {
        Self { client: self.client.clone(), jar: self.jar.clone(), base: server.base.clone() }
    }

    pub async fn get(&self, path: &str) -> Page {
        let r = self.client.get(format!("{}{path}", self.base)).send().await.expect("GET");
        Self::page(r).await
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Page {
        self.post_from(path, form, &self.base.clone()).await
    }

    pub async fn post_from(&self, path: &str, form: &[(&str, &str)], origin: &str) -> Page {
        let r = self.client.post(format!("{}{path}", self.base)).header("origin", origin).form(form).send().await.expect("POST");
        Self::page(r).await
    }

    /// A form with files, as a browser sends it (multipart/form-data).
    pub async fn post_multipart(&self, path: &str, form: &[(&str, &str)], files: &[(&str, Vec<u8>)]) -> Page {
        let mut body = reqwest::multipart::Form::new();
        for (k, v) in form {
            body = body.text(k.to_string(), v.to_string());
        }
        for (name, bytes) in files {
            body = body.part("evidence", reqwest::multipart::Part::bytes(bytes.clone()).file_name(name.to_string()));
        }
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .header("origin", self.base.clone())
            .multipart(body)
            .send()
            .await
            .expect("POST");
        Self::page(r).await
    }

    /// A download: status, content type, bytes.
    pub async fn download(&self, path: &str) -> (u16, String, Vec<u8>) {
        let r = self.client.get(format!("{}{path}", self.base)).send().await.expect("GET");
        let status = r.status().as_u16();
        let content_type = r.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
        (status, content_type, r.bytes().await.unwrap().to_vec())
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        let url = self.base.parse().unwrap();
        let header = self.jar.cookies(&url)?;
        header.to_str().ok()?.split("; ").find_map(|kv| kv.strip_prefix(&format!("{name}=")).map(str::to_string))
    }

    pub fn set_cookie(&self, name: &str, value: &str) {
        let url = self.base.parse().unwrap();
        self.jar.add_cookie_str(&format!("{name}={value}; Path=/"), &url);
    }

    async fn page(r: reqwest::Response) -> Page {
        let status = r.status().as_u16();
        let location = r.headers().get("location").map(|v| v.to_str().unwrap().to_string());
        let body = r.text().await.unwrap();
        Page { status, location, body }
    }
}

/// A page's visible text, for readable assertion messages.
pub fn text(body: &str) -> String {
    let without_scripts =
        body.split("<script").map(|part| part.split_once("</script>").map(|(_, rest)| rest).unwrap_or(part)).collect::<String>();
    let mut out = String::new();
    let mut in_tag = false;
    for c in without_scripts.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The 6-digit code in an email.
pub fn code_in(data: &str) -> String {
    let text = decode_body(data);
    let at = text.find("là ").expect("code sentence") + "là ".len();
    text[at..at + 6].to_string()
}

/// The message body as text (lettre may quote-print or base64 it).
pub fn decode_body(data: &str) -> String {
    let (headers, body) = data.split_once("\r\n\r\n").unwrap_or((data, ""));
    let lower = headers.to_ascii_lowercase();
    if lower.contains("content-transfer-encoding: base64") {
        let joined: String = body.split_whitespace().collect();
        String::from_utf8(base64_decode(&joined)).expect("utf-8 body")
    } else if lower.contains("content-transfer-encoding: quoted-printable") {
        quoted_printable(body)
    } else {
        body.to_string()
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut buf, mut bits) = (0u32, 0);
    for c in s.bytes().filter(|c| *c != b'=') {
        let v = T.iter().position(|t| *t == c).expect("base64 char") as u32;
        buf = (buf << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
            buf &= (1 << bits) - 1;
        }
    }
    out
}

fn quoted_printable(s: &str) -> String {
    let joined = s.replace("=\r\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(v) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
