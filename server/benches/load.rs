//! Load through the running server (a benchmark, not a test; run by `.ci/bench-load`): the
//! release binary pinned to one core, wrk pinned to the other, 32 connections; a trivial axum
//! server measured the same way first, as the yardstick. Prints the report's rows.
//!
//! BENCH_DATABASE_URL: a seeded database; BENCH_SERVER_BIN, BENCH_TRIVIAL_BIN: the release
//! binaries; BENCH_SECONDS: seconds per measurement (20); BENCH_ONLY: a comma list of the rows
//! to measure (`form,record,paced,supervision,lookup,filing,outbox`; all when unset), for a
//! profile of one of them.

mod support;

use app::platform::session::{CITIZEN, start_for};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, Command};

/// Citizens who file in the filing run (each may file 20 an hour), and filings each.
const FILERS: usize = 5_000;
const PER_FILER: usize = 20;
const CONNECTIONS: usize = 32;

#[tokio::main]
async fn main() {
    let Some(app) = support::open(".ci/bench-load").await else { return };
    let env = |k: &str| std::env::var(k).unwrap_or_else(|_| panic!("set {k} (see .ci/bench-load)"));
    let (url, server_bin, trivial_bin) = (env("BENCH_DATABASE_URL"), env("BENCH_SERVER_BIN"), env("BENCH_TRIVIAL_BIN"));
    let secs: u64 = std::env::var("BENCH_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(20);
    let dir = std::env::temp_dir().join(format!("portal-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let state = app.state().clone();

    // Signed-in households (sessions started as the lookup would), and their filings, each
    // with its own form key.
    let people: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM people WHERE merged_into IS NULL AND (email IS NOT NULL OR phone IS NOT NULL) ORDER BY id LIMIT $1",
    )
    .bind(FILERS as i64)
    .fetch_all(state.db.read())
    .await
    .unwrap();
    let mut cookies = Vec::with_capacity(people.len());
    for person in &people {
        let jar = start_for(&state, &CITIZEN, axum_extra::extract::cookie::CookieJar::new(), *person).await.unwrap();
        let cookie = jar.get(CITIZEN.cookie).unwrap();
        cookies.push(format!("{}={}", cookie.name(), cookie.value()));
    }
    let records = dir.join("records.txt");
    write_lines(&records, cookies.iter().map(|c| format!("{c}\t")));
    let filings = dir.join("filings.txt");
    write_lines(
        &filings,
        (0..PER_FILER).flat_map(|_| people.iter().zip(&cookies)).map(|(person, cookie)| {
            let key = app::platform::form_guard::issue_form_key(&state.settings.secret, *person);
            format!("{cookie}\tperson={person}&key={key}&kind=other&description=Xin+kiem+tra+lai+lo+vac+xin+mui+gan+nhat.")
        }),
    );
    // Lookups of different people (each may be sent five codes a day), as the form posts them.
    let lookups: Vec<(String, String)> = sqlx::query_as(
        "SELECT national_id, birth_date FROM people WHERE national_id IS NOT NULL AND length(national_id) = 12
           AND length(birth_date) = 10 AND (email IS NOT NULL OR phone IS NOT NULL) ORDER BY id DESC LIMIT 40000",
    )
    .fetch_all(state.db.read())
    .await
    .unwrap();
    let lookup_lines = dir.join("lookups.txt");
    // (The seed holds malformed ID numbers on purpose: the form refuses those, so they are left out.)
    write_lines(
        &lookup_lines,
        lookups
            .iter()
            .filter(|(id, _)| app::domain::NationalId::parse(id).is_ok())
            .map(|(id, birth)| format!("\tidentifier={id}&birth_date={}%2F{}%2F{}", &birth[8..10], &birth[5..7], &birth[..4])),
    );
    // Supervisors of the demo province and of the country, signed in (the audit is theirs).
    let mut supervisors = Vec::new();
    for email in [server::seed::DEMO_PROVINCE_SUPERVISOR_EMAIL, server::seed::DEMO_COUNTRY_SUPERVISOR_EMAIL] {
        let (staff, area): (i64, Option<String>) =
            sqlx::query_as("SELECT id, scope_unit FROM staff WHERE email = $1").bind(email).fetch_one(state.db.read()).await.unwrap();
        let jar = start_for(&state, &app::platform::session::STAFF, axum_extra::extract::cookie::CookieJar::new(), staff).await.unwrap();
        let cookie = jar.get(app::platform::session::STAFF.cookie).unwrap();
        let file = dir.join(format!("supervisor-{staff}.txt"));
        write_lines(&file, std::iter::once(format!("{}={}\t", cookie.name(), cookie.value())));
        supervisors.push((area, file));
    }
    let complaints_before = count(&state, "SELECT COUNT(*) FROM complaints").await;
    state.db.close().await;
    drop(app);

    let only = std::env::var("BENCH_ONLY").ok();
    let wanted = |row: &str| only.as_deref().is_none_or(|o| o.split(',').any(|w| w.trim() == row));
    let mut rows = Vec::new();
    // The yardstick.
    let port = free_port();
    let mut trivial = pinned(&trivial_bin, &[&format!("127.0.0.1:{port}")], &[], &dir.join("trivial.log"));
    wait_for(&format!("http://127.0.0.1:{port}/")).await;
    let yardstick = wrk(&format!("http://127.0.0.1:{port}/"), None, Load::max(secs)).await;
    rows.push(("trivial axum handler: `GET /`", yardstick));
    trivial.kill().await.ok();

    // The portal, with a local SMTP server and SMS gateway to deliver to.
    let delivered = Arc::new(AtomicUsize::new(0));
    let smtp = smtp_sink(delivered.clone()).await;
    let sms = sms_sink(delivered.clone()).await;
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let log = dir.join("server.log");
    let (listen, smtp_url, sms_url, dcc_dir) = (
        format!("127.0.0.1:{port}"),
        format!("smtp://127.0.0.1:{smtp}"),
        format!("http://127.0.0.1:{sms}/send"),
        dir.join("dcc-signer").display().to_string(),
    );
    let portal_env = [
        ("DATABASE_URL", url.as_str()),
        ("LISTEN_ADDR", listen.as_str()),
        ("SMTP_URL", smtp_url.as_str()),
        ("SMS_GATEWAY_URL", sms_url.as_str()),
        ("SMS_GATEWAY_KEY", "bench"),
        ("DCC_DEV_DIR", dcc_dir.as_str()),
        ("RUST_LOG", "error"),
        ("BENCH_NO_IP_LIMITS", "1"),
    ];
    let mut portal = pinned(&server_bin, &["serve"], &portal_env, &log);
    wait_for(&format!("{base}/readyz")).await;
    if wanted("form") {
        rows.push(("lookup form: `GET /tra-cuu` (no database read)", wrk(&format!("{base}/tra-cuu"), None, Load::max(secs)).await));
    }
    if wanted("record") {
        rows.push((
            "record page: `GET /ho-so`, 3,000 households in turn",
            wrk(&format!("{base}/ho-so"), Some(&records), Load::max(secs)).await,
        ));
    }
    // 32 connections each waiting 32 ms after an answer: at most 1,000 requests a second.
    if wanted("paced") {
        let paced = Load { delay_ms: 32, ..Load::max(secs) };
        rows.push((
            "record page at ≤ 1,000 requests/s (32 connections, 32 ms apart)",
            wrk(&format!("{base}/ho-so"), Some(&records), paced).await,
        ));
    }
    // Supervisors: four at once on the overdue audit and the numbers, a province and the country.
    let four = |secs| Load { connections: 4, ..Load::max(secs) };
    for (area, cookie) in supervisors.iter().filter(|_| wanted("supervision")) {
        let whose = if area.is_some() { "province" } else { "country" };
        let audit = wrk(&format!("{base}/giam-sat"), Some(cookie), four(secs)).await;
        rows.push((
            if area.is_some() { "overdue audit of a province, 4 supervisors" } else { "overdue audit of the country, 4 supervisors" },
            audit,
        ));
        let numbers = wrk(&format!("{base}{}", app::supervision::routes::numbers_of(area.as_deref())), None, four(secs)).await;
        rows.push((if whose == "province" { "numbers of a province, 4 readers" } else { "numbers of the country, 4 readers" }, numbers));
    }
    if wanted("lookup") {
        rows.push((
            "lookup: `POST /tra-cuu` (a code made and sent), different people",
            wrk(&format!("{base}/tra-cuu"), Some(&lookup_lines), Load::post(secs, &base)).await,
        ));
    }
    let filing_secs: u64 = std::env::var("BENCH_FILING_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(60);
    let filed = if wanted("filing") {
        let filed = wrk(&format!("{base}/phan-anh"), Some(&filings), Load::post(filing_secs, &base)).await;
        rows.push(("complaint filing: `POST /phan-anh`, distinct keys", filed));
        filed
    } else {
        Measured::default()
    };

    let db = app::platform::Db::connect(&url).await.unwrap();
    let complaints_after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM complaints").fetch_one(db.read()).await.unwrap();
    portal.kill().await.ok();
    portal.wait().await.ok();
    let errors_logged: Vec<String> =
        std::fs::read_to_string(&log).unwrap_or_default().lines().filter(|l| l.contains("ERROR")).map(str::to_string).collect();
    let locked = errors_logged.iter().filter(|l| l.contains("database is locked")).count();

    let outbox = if wanted("outbox") {
        // The outbox: 20,000 messages queued while the server is down (half emails, half texts),
        // then the time the restarted server takes to deliver them all.
        let queued = 20_000;
        let now = chrono::Utc::now().timestamp();
        let mut tx = db.begin().await.unwrap();
        for i in 0..queued {
            let (channel, to) = if i % 2 == 0 {
                (app::platform::outbox::Channel::Email, format!("nguoi{i}@example.vn"))
            } else {
                (app::platform::outbox::Channel::Sms, format!("09{:08}", i))
            };
            app::platform::outbox::enqueue(&mut tx, channel, &to, "Thông báo phản ánh", "Phản ánh của bạn đã được tiếp nhận.", now)
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
        // (With what the filing run left undelivered at the kill.)
        let waiting: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").fetch_one(db.read()).await.unwrap();
        let before = delivered.load(Ordering::SeqCst);
        let mut portal = pinned(&server_bin, &["serve"], &portal_env, &log);
        wait_for(&format!("{base}/readyz")).await;
        let started = Instant::now();
        loop {
            let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").fetch_one(db.read()).await.unwrap();
            if left == 0 || started.elapsed() > Duration::from_secs(600) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let drain = started.elapsed().as_secs_f64();
        let received = delivered.load(Ordering::SeqCst) - before;
        portal.kill().await.ok();
        Some((queued, waiting, drain, received))
    } else {
        None
    };
    db.close().await;

    println!("| what | requests | req/s | % of trivial | p50 ms | p95 ms | p99 ms | errors |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (name, r) in &rows {
        println!(
            "| {name} | {} | {:.0} | {:.1} | {:.2} | {:.2} | {:.2} | {} |",
            r.requests,
            r.per_second,
            100.0 * r.per_second / yardstick.per_second,
            r.p50,
            r.p95,
            r.p99,
            r.errors
        );
    }
    println!();
    let stored = complaints_after - complaints_before;
    if wanted("filing") {
        println!(
            "- Filing: {} answers in {filing_secs} s ({} of them not the redirect to the tracking page); {stored} complaints stored (those in flight as wrk stopped included); \"database is locked\" in the server's log: {locked}.",
            filed.requests, filed.errors
        );
    }
    if let Some((queued, waiting, drain, received)) = outbox {
        println!(
            "- Outbox: {queued} messages queued while the server was down (half emails to the local SMTP server, half texts to the local gateway), {waiting} waiting with what the filing run left, all delivered {drain:.1} s after the restart: {:.0} messages/s ({received} received).",
            waiting as f64 / drain.max(0.001)
        );
    }
    if !errors_logged.is_empty() {
        println!(
            "- The server logged {} errors; the first: `{}`",
            errors_logged.len(),
            errors_logged[0].chars().take(300).collect::<String>()
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[derive(Clone, Copy, Default)]
struct Measured {
    requests: u64,
    per_second: f64,
    p50: f64,
    p95: f64,
    p99: f64,
    /// Socket errors and answers with another status than expected.
    errors: u64,
}

struct Load {
    seconds: u64,
    connections: usize,
    delay_ms: u64,
    method: &'static str,
    origin: String,
    /// The status every answer should have (anything else counts as an error).
    expect: u16,
}

impl Load {
    /// As fast as the server answers, on 32 connections.
    fn max(seconds: u64) -> Self {
        Self { seconds, connections: CONNECTIONS, delay_ms: 0, method: "GET", origin: String::new(), expect: 200 }
    }

    /// A form post, answered by a redirect when it is taken.
    fn post(seconds: u64, origin: &str) -> Self {
        Self { method: "POST", origin: origin.to_string(), expect: 303, ..Self::max(seconds) }
    }
}

/// wrk on the second core against `url`, each request taking the next line of `lines`.
async fn wrk(url: &str, lines: Option<&Path>, load: Load) -> Measured {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/load.lua");
    let mut args = vec![
        "-c".to_string(),
        "1".into(),
        "wrk".into(),
        "-t1".into(),
        format!("-c{}", load.connections),
        format!("-d{}s", load.seconds),
        "--timeout".into(),
        "10s".into(),
        "-s".into(),
        script.into(),
        url.into(),
    ];
    if let Some(file) = lines {
        args.push("--".into());
        args.push(file.display().to_string());
    }
    let out = Command::new("taskset")
        .args(&args)
        .env("WRK_METHOD", load.method)
        .env("WRK_ORIGIN", &load.origin)
        .env("WRK_DELAY_MS", load.delay_ms.to_string())
        .env("WRK_EXPECT", load.expect.to_string())
        .output()
        .await
        .expect("wrk (.ci/install bench-tools)");
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.starts_with("RESULT "))
        .unwrap_or_else(|| panic!("wrk said: {text} {}", String::from_utf8_lossy(&out.stderr)));
    let f: Vec<f64> = line.split_whitespace().skip(1).map(|v| v.parse().unwrap()).collect();
    Measured { requests: f[0] as u64, per_second: f[1], p50: f[2], p95: f[3], p99: f[4], errors: (f[5] + f[6]) as u64 }
}

/// A binary on the first core, its output to `log`.
fn pinned(bin: &str, args: &[&str], env: &[(&str, &str)], log: &Path) -> Child {
    let log = std::fs::File::create(log).unwrap();
    let mut command = Command::new("taskset");
    command.arg("-c").arg("0").arg(bin).args(args).stdout(Stdio::null()).stderr(log).kill_on_drop(true);
    for (k, v) in env {
        command.env(k, v);
    }
    command.spawn().expect("start")
}

async fn wait_for(url: &str) {
    for _ in 0..600 {
        if reqwest::get(url).await.is_ok_and(|r| r.status().is_success()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{url} did not answer");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn write_lines(path: &PathBuf, lines: impl Iterator<Item = String>) {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for line in lines {
        writeln!(file, "{line}").unwrap();
    }
}

async fn count(state: &app::platform::AppState, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(state.db.read()).await.unwrap()
}

/// A local SMTP server that accepts every message (enough of RFC 5321 for lettre), counting them.
async fn smtp_sink(delivered: Arc<AtomicUsize>) -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let delivered = delivered.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 sink ESMTP\r\n").await.ok();
                let mut in_data = false;
                while let Ok(Some(line)) = lines.next_line().await {
                    let answer: &[u8] = if in_data {
                        if line != "." {
                            continue;
                        }
                        in_data = false;
                        delivered.fetch_add(1, Ordering::SeqCst);
                        b"250 OK\r\n"
                    } else {
                        match line.get(..4).map(|c| c.to_ascii_uppercase()).as_deref() {
                            Some("EHLO") | Some("HELO") => b"250 sink\r\n",
                            Some("DATA") => {
                                in_data = true;
                                b"354 go on\r\n"
                            }
                            Some("QUIT") => {
                                write.write_all(b"221 bye\r\n").await.ok();
                                break;
                            }
                            _ => b"250 OK\r\n",
                        }
                    };
                    if write.write_all(answer).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    port
}

/// A local SMS gateway that accepts every text, counting them.
async fn sms_sink(delivered: Arc<AtomicUsize>) -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let router = axum::Router::new().route(
        "/send",
        axum::routing::post(move || {
            let delivered = delivered.clone();
            async move {
                delivered.fetch_add(1, Ordering::SeqCst);
                "ok"
            }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, router).await.ok() });
    port
}
