//! Vaccination sites: finding one by province and name, for a missing-dose complaint or a
//! reassignment. Plain GET forms, so the search works without JavaScript.

#[cfg(feature = "ssr")]
pub mod service;
