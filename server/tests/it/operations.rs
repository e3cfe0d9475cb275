//! What an operator relies on: health and readiness for the proxy, and a backup of the live
//! embedded database.

use crate::support::{file_birth_date_complaint, sign_in, spawn_app};

#[tokio::test]
async fn health_and_readiness_answer_for_a_proxy() {
    let app = spawn_app().await;
    let get = |path: &str| {
        let url = format!("{}{path}", app.base);
        async move {
            let r = reqwest::get(url).await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    assert_eq!(get("/healthz").await, (200, "ok".to_string()));
    assert_eq!(get("/readyz").await, (200, "ready".to_string()));
    // Without its database the server is alive but not ready: the proxy stops sending to it.
    app.state.db.close().await;
    assert_eq!(get("/healthz").await.0, 200);
    assert_eq!(get("/readyz").await.0, 503);
}

#[tokio::test]
async fn a_backup_of_the_live_embedded_database_is_whole_while_citizens_file() {
    let app = spawn_app().await;
    let to = std::env::temp_dir().join(format!("backup-{}-{}.sqlite3", std::process::id(), rand::random::<u32>()));
    if app.state.db.backend == app::platform::Backend::Postgres {
        let refused = server::backup::copy_sqlite(&app.state.db, &to).await.unwrap_err();
        assert!(refused.contains("pg_dump"), "{refused}");
        return;
    }
    let citizen = sign_in(&app).await;
    let filing = async {
        for day in 10..20 {
            file_birth_date_complaint(&citizen, &format!("{day}/05/2012")).await;
        }
    };
    let (copied, ()) = tokio::join!(server::backup::copy_sqlite(&app.state.db, &to), filing);
    let bytes = copied.unwrap();
    assert!(bytes > 100_000, "{bytes} bytes");
    // Everyone's data: readable by the operator alone.
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&to).unwrap().permissions().mode() & 0o777, 0o600);
    let mut copy = server::backup::open_copy(&to).await.unwrap();
    let people = "SELECT COUNT(*) FROM people";
    let live: i64 = sqlx::query_scalar(people).fetch_one(app.state.db.read()).await.unwrap();
    assert_eq!(sqlx::query_scalar::<_, i64>(people).fetch_one(&mut copy).await.unwrap(), live);
    // One moment's database: every complaint in the copy has its events and its notice.
    let torn: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM complaints c WHERE NOT EXISTS (SELECT 1 FROM complaint_events e WHERE e.complaint_id = c.id)
            OR NOT EXISTS (SELECT 1 FROM outbox o WHERE o.subject LIKE '%' || c.reference || '%')",
    )
    .fetch_one(&mut copy)
    .await
    .unwrap();
    assert_eq!(torn, 0);
    sqlx::Connection::close(copy).await.unwrap();
    let again = server::backup::copy_sqlite(&app.state.db, &to).await.unwrap_err();
    assert!(again.contains("already exists"), "{again}");
    std::fs::remove_file(&to).ok();
}
