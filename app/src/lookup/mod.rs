//! Citizen self-lookup: an ID number or phone plus a birth date, then a one-time code sent to
//! the contact on file, then a session.

#[cfg(feature = "ssr")]
pub mod handlers;
mod identifier;
mod islands;
mod pages;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;

pub use identifier::Identifier;
pub use pages::{CodePage, Field, LookupPage};

/// How long a one-time code stays valid.
pub const CODE_TTL_SECS: i64 = 10 * 60;
/// Wrong codes allowed per lookup before it is locked.
pub const MAX_CODE_ATTEMPTS: i64 = 5;
