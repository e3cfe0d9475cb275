//! Notifications to citizens go through the outbox: written with the event, delivered over
//! SMTP by the worker, retried with backoff when delivery fails.

use crate::support::{TestApp, file_birth_date_complaint, sign_in, spawn_app, spawn_app_with_smtp};
use app::platform::outbox::Channel;

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

    // Each message carries its row's id, the same if it is ever sent again (a crash between
    // sending and marking it sent): the receiving server can drop the repeat.
    let (row, created_at): (i64, i64) = sqlx::query_as("SELECT id, created_at FROM outbox WHERE channel = 'email' AND subject LIKE $1")
        .bind(format!("%{reference}%"))
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    let message_id = format!("Message-ID: <outbox-{row}-{created_at}@tiemchung.localhost>");
    assert!(mail.data.contains(&message_id), "{}", mail.data);
    sqlx::query("UPDATE outbox SET sent_at = NULL WHERE id = $1").bind(row).execute(app.state.db.write()).await.unwrap();
    let before = app.smtp.messages().len();
    app::platform::outbox::run_once(&app.state).await.unwrap();
    let again = app.smtp.wait_for_text_after(before, "lan.nguyen@example.vn", &reference).await;
    assert!(again.data.contains(&message_id), "the same Message-ID: {}", again.data);
    let text = app.sms.texts().into_iter().find(|t| t.to == "0912345678" && t.message.contains(&reference)).expect("the text");
    assert!(text.id.as_deref().is_some_and(|id| id.starts_with("outbox-")), "{text:?}");
}

#[tokio::test]
async fn a_thousand_messages_are_delivered_once_each_by_two_servers_at_once() {
    let app = spawn_app().await;
    let second = crate::support::second_server(&app).await;
    let now = app.clock.now_for_tests();
    let mut tx = app.state.db.begin().await.unwrap();
    for i in 0..1_000 {
        let (channel, to) =
            if i % 4 == 0 { (Channel::Sms, "0912000000".to_string()) } else { (Channel::Email, format!("n{i}@example.vn")) };
        app::platform::outbox::enqueue(&mut tx, channel, &to, "Thông báo", &format!("Tin số {i}."), now).await.unwrap();
    }
    tx.commit().await.unwrap();
    let drain = |state: app::platform::AppState| async move {
        let mut sent = 0;
        loop {
            let delivery = app::platform::outbox::run_once(&state).await.unwrap();
            sent += delivery.sent;
            assert_eq!(delivery.failed, 0);
            if !delivery.more {
                return sent;
            }
        }
    };
    // The serving server's own worker drains too: three senders at once.
    let (a, b) = tokio::join!(drain(app.state.clone()), drain(second));
    assert!(a + b > 0, "the two servers sent {a} + {b}");
    for _ in 0..100 {
        let left: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").fetch_one(app.state.db.read()).await.unwrap();
        if left == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let emails = app.smtp.messages();
    let mut ids: Vec<String> =
        emails.iter().filter_map(|m| m.data.lines().find(|l| l.starts_with("Message-ID:")).map(str::to_string)).collect();
    assert_eq!(ids.len(), 750);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 750, "no email twice");
    assert_eq!(app.sms.texts().len(), 250);
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
