//! Server-only plumbing shared by every domain: database, clock, notifications, errors,
//! sessions, rate limits, page rendering. The server crate composes these into `AppState`.

pub mod cache;
pub mod client;
pub mod clock;
pub mod db;
pub mod error;
pub mod form_guard;
pub mod heavy;
pub mod housekeeping;
pub mod limits;
pub mod notify;
pub mod outbox;
pub mod render;
pub mod session;
pub mod shared_limits;
pub mod state;
pub mod submission;
pub mod together;

pub use client::ClientIp;
pub use clock::{Clock, ManualClock, SystemClock};
pub use db::{Backend, Db};
pub use error::AppError;
pub use state::{AppState, PortalSettings};
