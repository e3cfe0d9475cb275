//! Notifications to citizens go through the outbox: written with the event, delivered over
//! SMTP by the worker, retried with backoff when delivery fails.

use crate::support::{TestApp, file_birth_date_complaint, sign_in, spawn_app, spawn_app_with_smtp};

async fn outbox_row(app: &TestApp, reference: &str) -> (i64, Option<i64>, Option<String>, i64) {
    sqlx::query_as("SELECT attempts, sent_at, last_error, next_attempt_at FROM outbox WHERE channel = 'email' AND subject LIKE $1")
        .bind(format!("%{reference}%"))
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

#[tokio::test]
async fn filing_emails_the_citizen_through_the_outbox() {
    let app = spawn_app().await;
    let citizen = sign_in(&app).await;
    let reference = file_birth_date_complaint(&citizen, "20/05/2012").await;
    app::platform::outbox::run_once(&app.state).await.unwrap();
    let mail = app.smtp.wait_for_text("lan.nguyen@example.vn", &reference).await;
    let body = crate::support::decode_body(&mail.data);
    assert!(body.contains("Trạm Y tế"));
    assert!(body.contains(&format!("{}/phan-anh/{reference}", app.base)));
    let (_, sent_at, _, _) = outbox_row(&app, &reference).await;
    assert!(sent_at.is_some());
    // The SMS to the shared phone went through the SMS sender too.
    let sms: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE channel = 'sms' AND recipient = '0912345678' AND sent_at IS NOT NULL")
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    assert_eq!(sms, 1);
}

#[tokio::test]
async fn a_failed_delivery_is_kept_and_retried_with_backoff() {
    // Nothing listens on port 9: every delivery fails.
    let app = spawn_app_with_smtp(Some("smtp://127.0.0.1:9")).await;
    let citizen = crate::support::Browser::new(&app);
    // No email can arrive: sign in with the code read from the database is impossible by design,
    // so file through a session started directly for the demo citizen.
    let jar = app::platform::session::start(&app.state, axum_extra::extract::cookie::CookieJar::new(), 1).await.unwrap();
    let token = jar.get(app::platform::session::SESSION_COOKIE).unwrap().value().to_string();
    citizen.set_cookie(app::platform::session::SESSION_COOKIE, &token);
    let reference = file_birth_date_complaint(&citizen, "20/05/2012").await;

    app::platform::outbox::run_once(&app.state).await.unwrap();
    let (attempts, sent_at, error, next) = outbox_row(&app, &reference).await;
    assert_eq!((attempts, sent_at), (1, None));
    assert!(error.is_some());
    let now = app.clock.now_for_tests();
    assert_eq!(next, now + 60, "first retry a minute later");

    // Not before its time...
    app::platform::outbox::run_once(&app.state).await.unwrap();
    assert_eq!(outbox_row(&app, &reference).await.0, 1);
    // ...and again once it is due, with a longer wait after.
    app.clock.advance(chrono::Duration::seconds(61));
    app::platform::outbox::run_once(&app.state).await.unwrap();
    let (attempts, sent_at, _, next) = outbox_row(&app, &reference).await;
    assert_eq!((attempts, sent_at), (2, None));
    assert_eq!(next, now + 61 + 120);
}
