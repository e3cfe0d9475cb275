//! The demo complaints `make run` seeds: every state a complaint can be in, on the pages that
//! show them, reproducible from the seed, and the demo household left alone.

use crate::support::{TestApp, spawn_app, staff_sign_in};
use server::seed::{DEMO_COUNTRY_SUPERVISOR_EMAIL, DEMO_STATION_EMAIL};

/// The demo commune's station and district centre: where the demo citizen's doses were given.
async fn demo_sites(app: &TestApp) -> (i64, i64) {
    let site =
        |kind: &'static str| sqlx::query_scalar::<_, i64>("SELECT site_id FROM doses WHERE person_id = 1 AND dose_kind = $1").bind(kind);
    (site("1").fetch_one(app.state.db.read()).await.unwrap(), site("n1").fetch_one(app.state.db.read()).await.unwrap())
}

async fn seed(app: &TestApp) -> u64 {
    let (station, centre) = demo_sites(app).await;
    let now = app.state.clock.now().timestamp();
    server::demo_complaints::generate(&app.state.db, 1, now, station, centre).await.unwrap()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(app.state.db.read()).await.unwrap()
}

#[tokio::test]
async fn the_demo_shows_complaints_in_every_state_on_every_page() {
    let app = spawn_app().await;
    let made = seed(&app).await;
    assert!(made >= 40, "{made} complaints");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM complaints").await, made as i64);
    for status in ["open", "waiting_citizen", "resolved", "rejected", "confirmed"] {
        let n = count(&app, &format!("SELECT COUNT(*) FROM complaints WHERE status = '{status}'")).await;
        assert!(n > 0, "no {status} complaint");
    }
    let now = app.state.clock.now().timestamp();
    let nearly_due =
        count(&app, &format!("SELECT COUNT(*) FROM complaints WHERE status = 'open' AND due_at > {now} AND due_at < {now} + 12 * 3600"))
            .await;
    assert!(nearly_due > 0, "no complaint nearly due");
    assert!(count(&app, &format!("SELECT COUNT(*) FROM complaints WHERE status = 'open' AND due_at < {now}")).await > 0, "none overdue");
    assert!(count(&app, "SELECT COUNT(*) FROM complaints WHERE reopen_count > 0 AND status = 'open'").await > 0, "none reopened");
    assert!(count(&app, "SELECT COUNT(*) FROM complaint_events WHERE kind = 'reassigned'").await > 0, "none passed on");
    assert!(count(&app, "SELECT COUNT(*) FROM record_audit").await > 0, "corrections are audited");
    assert!(count(&app, &format!("SELECT COUNT(*) FROM complaints WHERE filed_at < {now} - 60 * 86400")).await == 0, "within 60 days");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM complaints WHERE person_id <= 3").await, 0, "the demo household is untouched");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM outbox").await, 0, "nobody invented is written to");

    // The station's inbox, each of its complaints, the country's audit and the public numbers.
    let station = staff_sign_in(&app, DEMO_STATION_EMAIL).await;
    let inbox = station.get("/co-so").await.body;
    let (site, _) = demo_sites(&app).await;
    let references: Vec<String> =
        sqlx::query_scalar("SELECT reference FROM complaints WHERE site_id = $1 AND status IN ('open', 'waiting_citizen')")
            .bind(site)
            .fetch_all(app.state.db.read())
            .await
            .unwrap();
    assert!(!references.is_empty());
    for reference in &references {
        assert!(inbox.contains(reference.as_str()), "{reference} is in the inbox");
        let page = station.get(&format!("/co-so/phan-anh/{reference}")).await;
        assert_eq!(page.status, 200, "{reference}");
        assert!(page.body.contains("Thông tin đề nghị sửa"), "{reference} shows what it asks for");
    }
    let supervisor = staff_sign_in(&app, DEMO_COUNTRY_SUPERVISOR_EMAIL).await;
    let audit = supervisor.get("/giam-sat").await.body;
    let overdue: String = sqlx::query_scalar(&format!("SELECT reference FROM complaints WHERE status = 'open' AND due_at < {now} LIMIT 1"))
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert!(audit.contains(&overdue), "the country's audit lists {overdue}");
    let numbers = reqwest::get(format!("{}/so-lieu", app.base)).await.unwrap().text().await.unwrap();
    assert!(!numbers.contains(">0 phản ánh") && numbers.contains("phản ánh"), "the public numbers count them");
}

#[tokio::test]
async fn the_same_seed_tells_the_same_story() {
    let (a, b) = (spawn_app().await, spawn_app().await);
    let (made_a, made_b) = (seed(&a).await, seed(&b).await);
    assert_eq!(made_a, made_b);
    let story = |app: &TestApp| {
        let db = app.state.db.clone();
        async move {
            let rows: Vec<(String, i64, String, String)> =
                sqlx::query_as("SELECT reference, person_id, kind, status FROM complaints ORDER BY id").fetch_all(db.read()).await.unwrap();
            rows
        }
    };
    assert_eq!(story(&a).await, story(&b).await);
}
