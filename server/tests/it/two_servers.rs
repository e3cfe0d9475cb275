//! Two servers on one database behind any proxy: sessions, limits, the outbox and the workers
//! live in the database, so a citizen's steps may land on either, and a staff member's and a
//! supervisor's actions on one complaint race safely across them.

use crate::support::{CODE_SENTENCE, DEMO_BIRTH, DEMO_EMAIL, DEMO_ID, second_serving, spawn_app, staff_sign_in};
use server::seed::{DEMO_DISTRICT_SUPERVISOR_EMAIL, DEMO_STATION_EMAIL};

#[tokio::test]
async fn a_citizens_steps_split_across_two_servers_and_a_correction_races_a_reassignment() {
    let a = spawn_app().await;
    let b = second_serving(&a).await;
    // Lookup on one, the code on the other, the record back on the first.
    let on_a = crate::support::Browser::new(&a);
    let on_b = on_a.on(&b);
    let page = on_a.post("/tra-cuu", &[("identifier", DEMO_ID), ("birth_date", DEMO_BIRTH)]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    let code = crate::support::code_in(&a.smtp.wait_for_text(DEMO_EMAIL, CODE_SENTENCE).await.data);
    let page = on_b.post("/tra-cuu/ma", &[("code", &code)]).await;
    assert_eq!((page.status, page.location.as_deref()), (303, Some("/ho-so")), "{}", page.body);
    assert!(on_a.get("/ho-so").await.body.contains("Trần Minh Khôi"));

    // The form from one server, filed on the other (its key is the deployment's), tracked on the first.
    let station = staff_sign_in(&a, DEMO_STATION_EMAIL).await;
    let supervisor = staff_sign_in(&b, DEMO_DISTRICT_SUPERVISOR_EMAIL).await;
    let district: i64 =
        sqlx::query_scalar("SELECT site_id FROM staff WHERE email = 'ttyt.demo@example.vn'").fetch_one(a.state.db.read()).await.unwrap();
    let mut outcomes = (0, 0);
    for day in 10..16 {
        let key = crate::support::form_key(&on_b.get("/phan-anh/moi?nguoi=2").await.body);
        let birth = format!("{day}/05/2012");
        let page =
            on_a.post("/phan-anh", &[("person", "2"), ("key", key.as_str()), ("kind", "personal_data"), ("birth_date", &birth)]).await;
        assert_eq!(page.status, 303, "{}", page.body);
        let reference = page.location.unwrap().trim_start_matches("/phan-anh/").to_string();
        assert!(on_b.get(&format!("/phan-anh/{reference}")).await.body.contains(&reference));

        // The station corrects on one server while the supervisor passes it on, on the other.
        let (correct_path, pass_on_path) = (format!("/co-so/phan-anh/{reference}/sua"), format!("/giam-sat/phan-anh/{reference}/chuyen"));
        let correction = [("birth_date", birth.as_str())];
        let district_id = district.to_string();
        let form = [("reassign_site", district_id.as_str()), ("reassign_reason", "Chuyển trung tâm y tế huyện.")];
        // Every other time one of them leaves a moment later, so both orders are seen.
        let lag = |mine: bool| tokio::time::sleep(std::time::Duration::from_millis(if mine { 30 } else { 0 }));
        let correct = async {
            lag(day % 2 == 1).await;
            station.post(&correct_path, &correction).await
        };
        let pass_on = async {
            lag(day % 2 == 0).await;
            supervisor.post(&pass_on_path, &form).await
        };
        let (corrected, passed) = tokio::join!(correct, pass_on);
        assert!(corrected.status < 500 && passed.status < 500, "{} {}", corrected.status, passed.status);
        // Exactly one of them happened, whole.
        let (status, site, audits, moves): (String, i64, i64, i64) = sqlx::query_as(
            "SELECT c.status, c.site_id,
                    (SELECT COUNT(*) FROM record_audit a WHERE a.complaint_id = c.id),
                    (SELECT COUNT(*) FROM complaint_events e WHERE e.complaint_id = c.id AND e.kind = 'reassigned')
             FROM complaints c WHERE c.reference = $1",
        )
        .bind(&reference)
        .fetch_one(a.state.db.read())
        .await
        .unwrap();
        match (status.as_str(), moves) {
            ("resolved", 0) => {
                assert!(audits >= 1 && site != district, "corrected where it was: {audits} audit rows");
                outcomes.0 += 1;
            }
            ("open", 1) => {
                assert!(audits == 0 && site == district, "passed on, not corrected");
                outcomes.1 += 1;
            }
            other => panic!("{reference}: both or neither: {other:?}, {audits} audit rows, site {site}"),
        }
    }
    eprintln!("two servers: {} corrected first, {} passed on first", outcomes.0, outcomes.1);
}

#[tokio::test]
async fn a_transaction_that_reads_before_it_writes_survives_the_other_servers_write() {
    let app = spawn_app().await;
    let other = app::platform::Db::connect(&app.database_url).await.unwrap();
    let mut tx = app.state.db.begin().await.unwrap();
    let name: String = sqlx::query_scalar("SELECT name FROM sites WHERE id = 1").fetch_one(&mut *tx).await.unwrap();
    // The other server writes while this transaction has read and not yet written. On SQLite,
    // had this one not taken the write lock as it began, its write below would now fail at
    // once (the file changed under what it read); instead the other waits for its commit.
    let write = tokio::spawn(async move {
        sqlx::query("UPDATE sites SET name = name || ' (2)' WHERE id = 1").execute(other.write()).await.map(|r| r.rows_affected())
    });
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    sqlx::query("UPDATE sites SET name = name || ' (1)' WHERE id = 1").execute(&mut *tx).await.expect("the first write goes through");
    tx.commit().await.unwrap();
    assert_eq!(write.await.unwrap().expect("the other server's write waited its turn"), 1);
    let now: String = sqlx::query_scalar("SELECT name FROM sites WHERE id = 1").fetch_one(app.state.db.read()).await.unwrap();
    // (SQLite: this one first. PostgreSQL locks the row only as it is written: the other first.)
    assert!([format!("{name} (1) (2)"), format!("{name} (2) (1)")].contains(&now), "both, one after the other: {now}");
}
