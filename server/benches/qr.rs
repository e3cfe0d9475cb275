//! Benchmark (not a test): reading a QR code from a photo on the public check, bounded (issue
//! 27). Through the running server: one photo of the 6 KB lattice of finder patterns that kept
//! the old reader busy for minutes, then 8 such photos at once while a citizen loads a page, and
//! the same citizen page alone as the yardstick, in the same rounds. Each figure is the median of
//! ROUNDS rounds with the min-max beside it.
//!
//!     BENCH_DATABASE_URL=sqlite:/tmp/bench.sqlite3 cargo bench -p server --bench qr

mod support;

use app::certificates::qr_reader::{self, Source};
use std::time::{Duration, Instant};

const ROUNDS: usize = 3;
/// Citizen page loads a round, alone and beside the photos.
const PAGE_LOADS: usize = 40;
const AT_ONCE: usize = 8;
const LATTICE: &[u8] = include_bytes!("../tests/fixtures/qr-lattice.png");

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// "median (min-max)" of `xs`, in milliseconds.
fn spread(mut xs: Vec<f64>) -> String {
    xs.sort_by(f64::total_cmp);
    format!("{:.1} ({:.1}-{:.1})", xs[xs.len() / 2], xs[0], xs[xs.len() - 1])
}

/// The median and 99th percentile of `times`, in milliseconds.
fn p50_p99(mut times: Vec<Duration>) -> (f64, f64) {
    times.sort();
    (ms(times[times.len() / 2]), ms(times[(times.len() * 99 / 100).min(times.len() - 1)]))
}

async fn post_photo(client: &reqwest::Client, base: &str) -> (u16, Duration) {
    let started = Instant::now();
    let form = reqwest::multipart::Form::new()
        .text("hc1", "")
        .part("evidence", reqwest::multipart::Part::bytes(LATTICE.to_vec()).file_name("anh.png"));
    let r = client.post(format!("{base}/kiem-tra")).header("origin", base).multipart(form).send().await.expect("POST");
    let status = r.status().as_u16();
    r.bytes().await.expect("body");
    (status, started.elapsed())
}

/// `PAGE_LOADS` loads of the lookup page, one after another: each load's time.
async fn citizen_loads(client: &reqwest::Client, base: &str) -> Vec<Duration> {
    let mut times = Vec::with_capacity(PAGE_LOADS);
    for _ in 0..PAGE_LOADS {
        let started = Instant::now();
        let r = client.get(format!("{base}/tra-cuu")).send().await.expect("GET");
        assert_eq!(r.status().as_u16(), 200);
        r.bytes().await.expect("body");
        times.push(started.elapsed());
    }
    times
}

#[tokio::main]
async fn main() {
    let Some(app) = support::open(".ci/bench-qr").await else {
        return;
    };
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run());
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    citizen_loads(&client, &base).await;

    let (mut read, mut one, mut alone50, mut alone99, mut beside50, mut beside99, mut eight) =
        (vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
    let mut answers = Vec::new();
    for _ in 0..ROUNDS {
        let started = Instant::now();
        assert_eq!(qr_reader::read(LATTICE, Source::Photo), qr_reader::QrRead::WorkCapReached);
        read.push(ms(started.elapsed()));
        let (status, took) = post_photo(&client, &base).await;
        assert_eq!(status, 200);
        one.push(ms(took));
        let (p50, p99) = p50_p99(citizen_loads(&client, &base).await);
        alone50.push(p50);
        alone99.push(p99);
        let started = Instant::now();
        let photos = futures::future::join_all((0..AT_ONCE).map(|_| post_photo(&client, &base)));
        let (photos, loads) = tokio::join!(photos, citizen_loads(&client, &base));
        eight.push(ms(started.elapsed()));
        answers.extend(photos.into_iter().map(|(status, _)| status));
        let (p50, p99) = p50_p99(loads);
        beside50.push(p50);
        beside99.push(p99);
    }
    let served = answers.iter().filter(|s| **s == 200).count();
    let busy = answers.iter().filter(|s| **s == 503).count();
    println!("| what | ms, median (min-max) of {ROUNDS} rounds |\n| --- | --- |");
    println!("| the lattice read in-process (`qr_reader::read`: stops at its work cap) | {} |", spread(read));
    println!("| one lattice photo posted to /kiem-tra, answer read in full | {} |", spread(one));
    println!("| {AT_ONCE} lattice photos posted at once, until the last answer | {} |", spread(eight));
    println!("| yardstick: citizen page /tra-cuu alone, p50 | {} |", spread(alone50));
    println!("| yardstick: citizen page /tra-cuu alone, p99 | {} |", spread(alone99));
    println!("| citizen page /tra-cuu beside the {AT_ONCE} photos, p50 | {} |", spread(beside50));
    println!("| citizen page /tra-cuu beside the {AT_ONCE} photos, p99 | {} |", spread(beside99));
    println!(
        "\nOf the {} photos posted at once over the rounds: {served} read (answered \"unreadable\"), {busy} answered 503 (no place free within 2 s).",
        answers.len()
    );
}
