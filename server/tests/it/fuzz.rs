//! Property test over the parsers behind every route that reads a query, a path or a form:
//! arbitrary values (control characters, huge numbers, dates out of range, other scripts)
//! sent through the real router never panic the server and never get a 500. A bounded
//! number of cases, so `make test` stays fast; proptest prints the failing request.

use crate::support::{Browser, sign_in, spawn_app, staff_sign_in};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use server::seed::{DEMO_COUNTRY_SUPERVISOR_EMAIL, DEMO_STATION_EMAIL};

/// Values people and scripts type: dates in every shape, numbers, unicode, controls.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9+\\-/.]{0,14}",
        "[+-]?[0-9]{1,7}-[0-9]{1,3}-[0-9]{1,3}",
        "[0-9]{1,3}/[0-9]{1,3}/[+-]?[0-9]{1,7}",
        "(2021|2025)-[PDC]-[0-9]{1,6}",
        "[a-z_\\-]{0,12}",
        Just("\u{202E}\u{200B}\t\r\n%00".to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        proptest::sample::select(vec![
            "+262142-12-31",
            "-262143-01-01",
            "31/12/+262142",
            "9999-12-31",
            "0000-01-01",
            "2021-02-29",
            "1e400"
        ])
        .prop_map(str::to_string),
    ]
}

fn pairs(keys: &'static [&'static str]) -> impl Strategy<Value = Vec<(&'static str, String)>> {
    proptest::collection::vec((proptest::sample::select(keys), value()), 0..6)
}

/// One generated request: a GET with a query or a POST with a form, to one of the routes.
#[derive(Debug, Clone)]
enum Request {
    Get(&'static str, String, Vec<(&'static str, String)>),
    Post(&'static str, Vec<(&'static str, String)>),
}

fn request() -> impl Strategy<Value = Request> {
    const NUMBERS: &[&str] = &["tu", "den", "khu-vuc"];
    const AUDIT: &[&str] = &["khu-vuc", "co-so", "loai", "trang-thai", "tuoi", "muc", "sap-xep"];
    let segment = prop_oneof![value(), "PA-[0-9A-Z]{4}-[0-9A-Z]{4}", any::<i64>().prop_map(|n| n.to_string())];
    prop_oneof![
        pairs(NUMBERS).prop_map(|q| Request::Get("/so-lieu", String::new(), q)),
        // A one-day period: both ends the same value.
        value().prop_map(|v| Request::Get("/so-lieu", String::new(), vec![("tu", v.clone()), ("den", v)])),
        (segment.clone(), pairs(NUMBERS)).prop_map(|(s, q)| Request::Get("/so-lieu/co-so/", s, q)),
        pairs(AUDIT).prop_map(|q| Request::Get("/giam-sat", String::new(), q)),
        (proptest::sample::select(vec!["xuat.csv", "xuat.xlsx", "x"]), pairs(AUDIT)).prop_map(|(f, q)| Request::Get(
            "/giam-sat/",
            f.to_string(),
            q
        )),
        pairs(&["trang-thai", "loai"]).prop_map(|q| Request::Get("/co-so", String::new(), q)),
        pairs(&["co-so", "tinh", "tim"]).prop_map(|q| Request::Get("/co-so/nhan-vien", String::new(), q)),
        pairs(&["nguoi", "loai", "tinh", "tim", "site", "key", "given_on"]).prop_map(|q| Request::Get("/phan-anh/moi", String::new(), q)),
        segment.clone().prop_map(|s| Request::Get("/phan-anh/", s, Vec::new())),
        segment.clone().prop_map(|s| Request::Get("/co-so/mat-khau/", s, Vec::new())),
        pairs(&["identifier", "birth_date"]).prop_map(|f| Request::Post("/tra-cuu", f)),
        pairs(&["code"]).prop_map(|f| Request::Post("/tra-cuu/ma", f)),
        pairs(&["lang", "next"]).prop_map(|f| Request::Post("/ngon-ngu", f)),
        pairs(&["email", "password"]).prop_map(|f| Request::Post("/co-so/dang-nhap", f)),
        pairs(&["person", "key", "kind", "dose", "site", "full_name", "birth_date", "gender", "national_id", "given_on", "description"])
            .prop_map(|f| Request::Post("/phan-anh", f)),
        pairs(&["full_name", "email", "role", "site"]).prop_map(|f| Request::Post("/co-so/nhan-vien", f)),
    ]
}

fn query(pairs: &[(&str, String)]) -> String {
    let mut s = url_encoded(pairs);
    if !s.is_empty() {
        s.insert(0, '?');
    }
    s
}

fn url_encoded(pairs: &[(&str, String)]) -> String {
    pairs.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect::<Vec<_>>().join("&")
}

fn encode(v: &str) -> String {
    v.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

async fn send(who: &Browser, request: &Request) -> u16 {
    match request {
        Request::Get(path, segment, q) => who.get(&format!("{path}{}{}", encode(segment), query(q))).await.status,
        Request::Post(path, form) => {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            who.post(path, &form).await.status
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_query_path_or_form_crashes_the_server_or_gets_a_500() {
    let app = spawn_app().await;
    let handle = tokio::runtime::Handle::current();
    let mut runner = TestRunner::new(Config { cases: 900, failure_persistence: None, ..Config::default() });
    let case = std::cell::Cell::new(0u32);
    // Everyone who reaches different parsers: a stranger, a citizen, a site, a supervisor.
    let people = std::cell::RefCell::new(None);
    let result = runner.run(&request(), |request| {
        tokio::task::block_in_place(|| {
            handle.block_on(async {
                // The clock moves 20 seconds a case, so that flood limits refill and every case
                // reaches its parser; everyone signs in again before the sessions' absolute
                // timeout (2 hours: 360 cases).
                let n = case.get();
                case.set(n + 1);
                if n.is_multiple_of(300) {
                    *people.borrow_mut() = Some([
                        Browser::new(&app),
                        sign_in(&app).await,
                        staff_sign_in(&app, DEMO_STATION_EMAIL).await,
                        staff_sign_in(&app, DEMO_COUNTRY_SUPERVISOR_EMAIL).await,
                    ]);
                }
                let who = people.borrow().as_ref().unwrap()[(n % 4) as usize].clone();
                app.clock.advance(chrono::Duration::seconds(20));
                let status = send(&who, &request).await;
                prop_assert!(status < 500, "{request:?} answered {status}");
                Ok(())
            })
        })
    });
    result.unwrap();
}
