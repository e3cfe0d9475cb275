//! What the benchmarks share: the portal opened on the seeded database named by
//! BENCH_DATABASE_URL, and a client signed in as the demo station.

use server::{Application, Settings};

/// The portal on `BENCH_DATABASE_URL`, listening on a free port; `None` (with how to run it)
/// when the variable is not set.
pub async fn open(script: &str) -> Option<Application> {
    let Ok(url) = std::env::var("BENCH_DATABASE_URL") else {
        eprintln!("set BENCH_DATABASE_URL to a seeded database (see {script})");
        return None;
    };
    let settings = Settings::from_lookup(|k| match k {
        "DATABASE_URL" => Some(url.clone()),
        "LISTEN_ADDR" => Some("127.0.0.1:0".into()),
        _ => None,
    })
    .expect("settings");
    Some(Application::build(&settings).await.expect("open the database"))
}

/// Serves `app` and signs a client in as the demo station: the base URL and the client.
#[allow(dead_code)] // the supervision benchmark calls the queries, not the pages
pub async fn serve_as_station(app: Application) -> (String, reqwest::Client) {
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run());
    let client = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let signed_in = client
        .post(format!("{base}/co-so/dang-nhap"))
        .header("origin", &base)
        .form(&[("email", server::seed::DEMO_STATION_EMAIL), ("password", server::seed::DEMO_STAFF_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status().as_u16(), 303, "the demo station signs in");
    (base, client)
}

/// Times GET `base` + `path` (with the cookie header `cookie`, if not empty) `runs` times after
/// up to 3 warm-up requests, the whole body read; prints a table row `| name | KB | median |
/// p95 | max |` in milliseconds.
#[allow(dead_code)] // the supervision and police benchmarks time other things
pub async fn time_get(client: &reqwest::Client, (base, path): (&str, &str), cookie: &str, runs: usize, name: &str) {
    use std::time::Instant;
    let get = || async {
        let mut request = client.get(format!("{base}{path}"));
        if !cookie.is_empty() {
            request = request.header("cookie", cookie);
        }
        let r = request.send().await.expect("GET");
        assert_eq!(r.status().as_u16(), 200, "{path}");
        r.bytes().await.expect("body").len()
    };
    for _ in 0..3.min(runs) {
        get().await;
    }
    let mut times = Vec::with_capacity(runs);
    let mut bytes = 0;
    for _ in 0..runs {
        let started = Instant::now();
        bytes = get().await;
        times.push(started.elapsed());
    }
    times.sort();
    let ms = |d: &std::time::Duration| d.as_secs_f64() * 1000.0;
    let (p50, p95, max) = (ms(&times[times.len() / 2]), ms(&times[times.len() * 95 / 100]), ms(times.last().unwrap()));
    println!("| {name} | {} KB | {p50:.1} | {p95:.1} | {max:.1} |", bytes / 1024);
}
