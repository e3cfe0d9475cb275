//! Vaccination sites: finding one by province and name, for a missing-dose complaint or a
//! reassignment. Plain GET forms, so the search works without JavaScript.

mod search;
#[cfg(feature = "ssr")]
pub mod service;

pub use search::{SiteChoice, SiteFinderInputs, SiteSearch, SiteSearchFields};
