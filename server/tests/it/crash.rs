//! A crash loses nothing: the real server binary, citizens filing and staff correcting at once,
//! `kill -9` in the middle, a restart. Every filing that got its redirect is there with its
//! events and its notice; every correction that got its redirect is there with its audit rows;
//! no correction is half applied; every queued message is delivered after the restart, and a
//! message is sent twice only if it was on the wire at the kill (the receiver sees the same
//! Message-ID, to drop the repeat).

use crate::support::sms::{GATEWAY_KEY, SmsGateway};
use crate::support::smtp::SmtpServer;
use app::platform::session::{CITIZEN, STAFF, SessionKind};
use std::collections::{HashMap, HashSet};
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::process::{Child, Command};

/// Filings each citizen makes (the hourly quota is 20).
const PER_CITIZEN: usize = 20;
/// Citizens who file during the storm, and citizens whose earlier complaints are corrected in it.
const FILERS: usize = 40;
const CORRECTED: usize = 10;
/// Requests on the wire at once.
const AT_ONCE: usize = 48;

struct Portal {
    child: Child,
    base: String,
}

/// The server binary on `database_url`, serving on a port of its own, once it answers.
async fn start(database_url: &str, port: u16, smtp: &SmtpServer, sms: &SmsGateway, dir: &std::path::Path) -> Portal {
    let portal = spawn(database_url, port, smtp, sms, dir);
    for _ in 0..300 {
        if reqwest::get(format!("{}/", portal.base)).await.is_ok_and(|r| r.status().is_success()) {
            return portal;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server did not start: {}", std::fs::read_to_string(dir.join("server.log")).unwrap_or_default());
}

/// The server binary, started (not yet answering).
fn spawn(database_url: &str, port: u16, smtp: &SmtpServer, sms: &SmsGateway, dir: &std::path::Path) -> Portal {
    let log = std::fs::OpenOptions::new().create(true).append(true).open(dir.join("server.log")).unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("serve")
        .env("DATABASE_URL", database_url)
        .env("LISTEN_ADDR", format!("127.0.0.1:{port}"))
        .env("SMTP_URL", smtp.url())
        .env("SMS_GATEWAY_URL", &sms.url)
        .env("SMS_GATEWAY_KEY", GATEWAY_KEY)
        .env("DCC_DEV_DIR", dir.join("dcc-signer"))
        .env("SITE_ROOT", "target/site")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(log)
        .kill_on_drop(true)
        .spawn()
        .expect("start the server binary");
    Portal { child, base: format!("http://127.0.0.1:{port}") }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A session started directly for `subject` (as the outbox test does): a cookie header.
async fn session(state: &app::platform::AppState, kind: &SessionKind, subject: i64) -> String {
    let jar = app::platform::session::start_for(state, kind, axum_extra::extract::cookie::CookieJar::new(), subject).await.unwrap();
    let cookie = jar.get(kind.cookie).unwrap();
    format!("{}={}", cookie.name(), cookie.value())
}

/// A post as the browser sends it; the reference its redirect names, if it was answered.
async fn post(client: &reqwest::Client, base: &str, cookie: &str, path: &str, form: &[(&str, String)]) -> Option<reqwest::Response> {
    client.post(format!("{base}{path}")).header("cookie", cookie).header("origin", base).form(form).send().await.ok()
}

#[derive(sqlx::FromRow)]
struct Citizen {
    id: i64,
    birth_date: String,
}

/// What the citizen's `n`th complaint asks: the recorded birth date `n + 1` days later
/// (dd/mm/yyyy), so that each correction changes the record.
fn asked(birth_date: &str, n: usize) -> String {
    let day = chrono::NaiveDate::parse_from_str(birth_date, "%Y-%m-%d").unwrap() + chrono::Duration::days(n as i64 + 1);
    day.format("%d/%m/%Y").to_string()
}

/// A fresh database with 200 generated people, the test's mail and SMS receivers, and a
/// state of the portal's own on it (for sessions and reads; it does not serve).
struct Seeded {
    database_url: String,
    _tempdir: Option<crate::support::TempDir>,
    dir: std::path::PathBuf,
    smtp: SmtpServer,
    sms: SmsGateway,
    local: server::Application,
    state: app::platform::AppState,
}

async fn seeded() -> Seeded {
    let (database_url, tempdir) = crate::support::fresh_database().await;
    let dir = tempdir.as_ref().expect("a directory beside the database").0.clone();
    let smtp = SmtpServer::start().await;
    let sms = SmsGateway::start().await;
    let settings = server::Settings::from_lookup(|k| match k {
        "DATABASE_URL" => Some(database_url.clone()),
        "LISTEN_ADDR" => Some("127.0.0.1:0".into()),
        "DCC_DEV_DIR" => Some(dir.join("dcc-signer").display().to_string()),
        "SMTP_URL" => Some(smtp.url()),
        _ => None,
    })
    .unwrap();
    let local = server::Application::build(&settings).await.expect("build");
    let state = local.state().clone();
    server::seed::generate(&state.db, 200, 1).await.expect("seed");
    Seeded { database_url, _tempdir: tempdir, dir, smtp, sms, local, state }
}

#[tokio::test]
async fn a_server_killed_in_the_middle_of_filings_and_corrections_loses_nothing_acknowledged() {
    let Seeded { database_url, _tempdir, dir, smtp, sms, local, state } = seeded().await;
    let db = state.db.clone();

    // Living people with a full birth date, each filing about themself.
    let citizens: Vec<Citizen> = sqlx::query_as(
        "SELECT id, birth_date FROM people
         WHERE merged_into IS NULL AND length(birth_date) = 10 AND (email IS NOT NULL OR phone IS NOT NULL) AND id > 10 ORDER BY id LIMIT $1",
    )
    .bind((FILERS + CORRECTED) as i64)
    .fetch_all(db.read())
    .await
    .unwrap();
    assert_eq!(citizens.len(), FILERS + CORRECTED, "enough people in the seed");
    let mut cookies = HashMap::new();
    for c in &citizens {
        cookies.insert(c.id, session(&state, &CITIZEN, c.id).await);
    }

    let port = free_port();
    let mut portal = start(&database_url, port, &smtp, &sms, &dir).await;
    let base = portal.base.clone();
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).pool_max_idle_per_host(AT_ONCE).build().unwrap();
    let file = |citizen: &Citizen, n: usize| {
        let form = vec![
            ("person", citizen.id.to_string()),
            ("key", app::platform::form_guard::issue_form_key(&state.settings.secret, citizen.id)),
            ("kind", "personal_data".to_string()),
            ("birth_date", asked(&citizen.birth_date, n)),
            ("description", format!("Ngày sinh ghi sai ({n}).")),
        ];
        let (client, base, cookie) = (client.clone(), base.clone(), cookies[&citizen.id].clone());
        async move {
            let answer = post(&client, &base, &cookie, "/phan-anh", &form).await?;
            let location = answer.headers().get("location")?.to_str().ok()?.to_string();
            (answer.status() == 303).then(|| location.trim_start_matches("/phan-anh/").to_string())
        }
    };

    // Before the storm: complaints the sites will correct during it.
    let (filers, corrected) = citizens.split_at(FILERS);
    let mut to_correct = Vec::new();
    for c in corrected {
        for n in 0..PER_CITIZEN {
            to_correct.push((file(c, n).await.expect("filed before the storm"), asked(&c.birth_date, n)));
        }
    }
    // Each complaint's site, and a member of its staff (a session started directly).
    let mut staff_cookies: HashMap<i64, String> = HashMap::new();
    let mut corrections = Vec::new();
    for (reference, birth) in &to_correct {
        let site: i64 =
            sqlx::query_scalar("SELECT site_id FROM complaints WHERE reference = $1").bind(reference).fetch_one(db.read()).await.unwrap();
        let cookie = match staff_cookies.get(&site) {
            Some(cookie) => cookie.clone(),
            None => {
                let staff: i64 = sqlx::query_scalar(
                    "INSERT INTO staff (email, full_name, password_hash, role, site_id, created_at) VALUES ($1, 'Nhân viên thử', '-', 'site_staff', $2, 0) RETURNING id",
                )
                .bind(format!("crash{site}@example.vn"))
                .bind(site)
                .fetch_one(db.write())
                .await
                .unwrap();
                let cookie = session(&state, &STAFF, staff).await;
                staff_cookies.insert(site, cookie.clone());
                cookie
            }
        };
        corrections.push((reference.clone(), birth.clone(), cookie));
    }

    // The storm: filings and corrections at once; the server is killed once a third is answered.
    let answered = Arc::new(AtomicUsize::new(0));
    let total = FILERS * PER_CITIZEN + corrections.len();
    let kill_at = total / 3;
    let mut work: Vec<std::pin::Pin<Box<dyn std::future::Future<Output = Outcome> + Send>>> = Vec::new();
    for n in 0..PER_CITIZEN {
        for c in filers {
            let filing = file(c, n);
            let answered = answered.clone();
            work.push(Box::pin(async move {
                let reference = filing.await;
                answered.fetch_add(1, Ordering::SeqCst);
                Outcome::Filed(reference)
            }));
        }
        for (reference, birth, cookie) in corrections.iter().skip(n).step_by(PER_CITIZEN) {
            let (client, base, answered) = (client.clone(), base.clone(), answered.clone());
            let (reference, birth, cookie) = (reference.clone(), birth.clone(), cookie.clone());
            work.push(Box::pin(async move {
                let path = format!("/co-so/phan-anh/{reference}/sua");
                let answer = post(&client, &base, &cookie, &path, &[("birth_date", birth)]).await;
                answered.fetch_add(1, Ordering::SeqCst);
                Outcome::Corrected(reference, answer.is_some_and(|a| a.status() == 303))
            }));
        }
    }
    let killer = {
        let answered = answered.clone();
        async move {
            while answered.load(Ordering::SeqCst) < kill_at {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            portal.child.start_kill().expect("kill -9");
            portal.child.wait().await.unwrap();
            portal
        }
    };
    use futures::StreamExt;
    let (outcomes, killed): (Vec<Outcome>, Portal) =
        tokio::join!(futures::stream::iter(work).buffer_unordered(AT_ONCE).collect::<Vec<_>>(), killer);
    drop(killed);
    let filed: Vec<String> = outcomes.iter().filter_map(|o| if let Outcome::Filed(Some(r)) = o { Some(r.clone()) } else { None }).collect();
    let fixed: Vec<String> =
        outcomes.iter().filter_map(|o| if let Outcome::Corrected(r, true) = o { Some(r.clone()) } else { None }).collect();
    assert!(!filed.is_empty() && !fixed.is_empty(), "some were answered before the kill: {} filed, {} corrected", filed.len(), fixed.len());
    assert!(filed.len() + fixed.len() < total, "the kill fell in the middle: {} of {total} answered", filed.len() + fixed.len());

    // The restart.
    let portal = start(&database_url, port, &smtp, &sms, &dir).await;
    for reference in &filed {
        let (events, notices): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM complaint_events e WHERE e.complaint_id = c.id),
                    (SELECT COUNT(*) FROM outbox o WHERE o.subject LIKE '%' || c.reference || '%' OR o.body LIKE '%' || c.reference || '%')
             FROM complaints c WHERE c.reference = $1",
        )
        .bind(reference)
        .fetch_optional(db.read())
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("acknowledged filing {reference} is lost"));
        assert!(events >= 1 && notices >= 1, "{reference}: {events} events, {notices} notices");
    }
    for reference in &fixed {
        let (status, audits): (String, i64) = sqlx::query_as(
            "SELECT c.status, (SELECT COUNT(*) FROM record_audit a WHERE a.complaint_id = c.id) FROM complaints c WHERE c.reference = $1",
        )
        .bind(reference)
        .fetch_one(db.read())
        .await
        .unwrap();
        assert!(status == "resolved" && audits >= 1, "acknowledged correction {reference}: {status}, {audits} audit rows");
    }
    // Nothing half applied, acknowledged or not: a resolved complaint has its audit rows and
    // the record its new birth date; a complaint with audit rows is resolved.
    let half: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM complaints c WHERE
           (c.status = 'resolved') <> EXISTS (SELECT 1 FROM record_audit a WHERE a.complaint_id = c.id)",
    )
    .fetch_one(db.read())
    .await
    .unwrap();
    assert_eq!(half, 0, "half-applied corrections");
    for (reference, birth, _) in &corrections {
        let (status, audited): (String, i64) = sqlx::query_as(
            "SELECT c.status, (SELECT COUNT(*) FROM record_audit a WHERE a.complaint_id = c.id AND a.after_value = $2)
             FROM complaints c WHERE c.reference = $1",
        )
        .bind(reference)
        .bind(chrono::NaiveDate::parse_from_str(birth, "%d/%m/%Y").unwrap().format("%Y-%m-%d").to_string())
        .fetch_one(db.read())
        .await
        .unwrap();
        assert_eq!(status == "resolved", audited == 1, "{reference}: {status}, the new birth date audited {audited} times");
    }

    // Every queued message is delivered after the restart, each under its row's id (those the
    // killed server had claimed, once their claim has lapsed: under a minute).
    for _ in 0..900 {
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").fetch_one(db.read()).await.unwrap();
        if left == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let rows: Vec<(i64, i64, Option<i64>)> =
        sqlx::query_as("SELECT id, created_at, sent_at FROM outbox").fetch_all(db.read()).await.unwrap();
    assert!(rows.iter().all(|(_, _, sent)| sent.is_some()), "every message sent after the restart");
    // What arrived, by the id each message carried (an email's Message-ID, a text's id).
    let mut received: HashMap<String, usize> = HashMap::new();
    for message in smtp.messages() {
        if let Some(id) = message.data.lines().find_map(|l| l.strip_prefix("Message-ID: <")) {
            *received.entry(id.split('@').next().unwrap().to_string()).or_default() += 1;
        }
    }
    for text in sms.texts() {
        *received.entry(text.id.unwrap_or_default()).or_default() += 1;
    }
    let expected: HashSet<String> = rows.iter().map(|(id, created, _)| format!("outbox-{id}-{created}")).collect();
    let missing = expected.iter().filter(|id| !received.contains_key(*id)).count();
    assert_eq!(missing, 0, "messages never delivered");
    let twice = received.values().filter(|n| **n > 1).count();
    // The outbox has 16 messages on the wire at once, and marks those that finished (16 at
    // most) in one statement: only these can be sent again.
    assert!(twice <= 32, "only messages on the wire or being marked at the kill are sent twice: {twice}");
    eprintln!(
        "crash: {} filings and {} corrections acknowledged of {total}; {} messages delivered, {twice} twice",
        filed.len(),
        fixed.len(),
        expected.len()
    );
    drop(portal);
    drop(local);
}

enum Outcome {
    Filed(Option<String>),
    Corrected(String, bool),
}

#[tokio::test]
async fn a_reminder_worker_killed_mid_batch_escalates_each_complaint_once_after_the_restart() {
    let Seeded { database_url, _tempdir, dir, smtp, sms, local, state } = seeded().await;
    let db = state.db.clone();
    // Complaints past their deadline: more than the worker's batch of 200, so its first run
    // leaves some for the next.
    let now = chrono::Utc::now().timestamp();
    server::bench_data::generate_complaints(&db, 390, 7, now).await.unwrap();
    sqlx::query("UPDATE complaints SET status = 'open', paused_at = NULL, closed_at = NULL, due_at = $1, reminded_24_at = NULL, reminded_36_at = NULL, escalated_at = NULL")
        .bind(now - 60)
        .execute(db.write())
        .await
        .unwrap();
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM complaints").fetch_one(db.read()).await.unwrap();
    let escalated = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM complaints WHERE escalated_at IS NOT NULL").fetch_one(db.read()).await.unwrap()
    };

    // The server's worker starts on the batch as the server starts; it is killed a few
    // complaints in.
    let port = free_port();
    let mut portal = spawn(&database_url, port, &smtp, &sms, &dir);
    let mut at_kill = 0;
    for _ in 0..20_000 {
        at_kill = escalated().await;
        if at_kill >= 5 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    portal.child.start_kill().unwrap();
    portal.child.wait().await.unwrap();
    let killed_with = escalated().await;
    assert!(killed_with > 0 && killed_with < total, "killed mid-batch: {killed_with} of {total} escalated");

    // After the restart, each complaint is escalated once: one event, its emails queued with it.
    let portal = start(&database_url, port, &smtp, &sms, &dir).await;
    for _ in 0..600 {
        if escalated().await == total {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(escalated().await, total, "every complaint escalated after the restart");
    let (once, emails): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM complaints c WHERE (SELECT COUNT(*) FROM complaint_events e WHERE e.complaint_id = c.id AND e.kind = 'escalated') = 1),
                (SELECT COUNT(*) FROM complaints c WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.subject LIKE '%' || c.reference || '%'))",
    )
    .fetch_one(db.read())
    .await
    .unwrap();
    assert_eq!(once, total, "one escalation event per complaint");
    assert_eq!(emails, 0, "every escalation has its emails queued");
    eprintln!("reminders: killed with {killed_with} of {total} escalated (seen {at_kill}); all {total} once after the restart");
    drop(portal);
    drop(local);
}
