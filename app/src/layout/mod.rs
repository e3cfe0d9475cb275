//! Pages and endpoints that belong to no one domain: home, language switch, logout, not found.

#[cfg(feature = "ssr")]
pub mod handlers;
mod pages;
pub mod routes;

pub use pages::{HomePage, Layout, NotFoundPage};
