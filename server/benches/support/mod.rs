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
