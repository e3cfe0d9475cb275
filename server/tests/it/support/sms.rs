//! A local SMS gateway over a real socket: takes the portal's form posts, checks the bearer
//! key, and keeps what it was sent. `failing` makes it answer 503.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::{Form, Router};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

pub const GATEWAY_KEY: &str = "test-gateway-key";

#[derive(Debug, Clone)]
pub struct Text {
    pub to: String,
    pub message: String,
    /// The portal's id of the message, the same on every try.
    pub id: Option<String>,
}

#[derive(Clone, Default)]
struct Shared {
    texts: Arc<Mutex<Vec<Text>>>,
    failing: Arc<AtomicBool>,
}

#[derive(Clone)]
pub struct SmsGateway {
    pub url: String,
    shared: Shared,
}

impl SmsGateway {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind sms gateway");
        let url = format!("http://{}/send", listener.local_addr().unwrap());
        let shared = Shared::default();
        let app = Router::new().route("/send", post(receive)).with_state(shared.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { url, shared }
    }

    pub fn texts(&self) -> Vec<Text> {
        self.shared.texts.lock().unwrap().clone()
    }

    pub fn set_failing(&self, failing: bool) {
        self.shared.failing.store(failing, Ordering::SeqCst);
    }

    /// Waits (up to 10 s) for a text to `to` containing `text`.
    pub async fn wait_for(&self, to: &str, text: &str) -> Text {
        for _ in 0..200 {
            if let Some(t) = self.texts().into_iter().rev().find(|t| t.to == to && t.message.contains(text)) {
                return t;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("no text to {to} containing {text:?}; got {:?}", self.texts());
    }
}

async fn receive(State(shared): State<Shared>, headers: HeaderMap, Form(form): Form<HashMap<String, String>>) -> StatusCode {
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(&format!("Bearer {GATEWAY_KEY}")) {
        return StatusCode::UNAUTHORIZED;
    }
    if shared.failing.load(Ordering::SeqCst) {
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    let text = Text {
        to: form.get("to").cloned().unwrap_or_default(),
        message: form.get("message").cloned().unwrap_or_default(),
        id: form.get("id").cloned(),
    };
    shared.texts.lock().unwrap().push(text);
    StatusCode::OK
}
