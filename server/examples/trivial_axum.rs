//! The load benchmark's yardstick: the least an axum server does (a fixed "ok" on `/`), built
//! and run like the portal (release, same runtime, pinned to the same core), so the report can
//! say what share of it each page keeps. `trivial_axum 127.0.0.1:PORT`
use axum::Router;
use axum::routing::get;

#[tokio::main]
async fn main() {
    let addr = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:3999".into());
    let listener = tokio::net::TcpListener::bind(&addr).await.expect("bind");
    axum::serve(listener, Router::new().route("/", get(|| async { "ok" }))).await.expect("serve");
}
