//! Pages and endpoints that belong to no one domain: home, language switch, logout, not found.

mod pages;
#[cfg(feature = "ssr")]
pub mod handlers;

pub use pages::{HomePage, Layout, NotFoundPage};
