//! The portal's Leptos crate: pages, islands and domain types for the browser and the
//! server, plus (feature `ssr`) the server-side services and HTTP handlers.

pub mod certificates;
pub(crate) mod codes;
pub mod complaints;
pub mod domain;
pub mod form_state;
pub mod i18n;
pub mod layout;
pub mod lookup;
pub mod police;
pub mod records;
pub mod registry;
pub mod shell;
pub mod staff;
pub mod subjects;
pub mod supervision;
pub mod url;
pub mod vaccination_sites;
pub mod verification;
pub mod verification_list;
pub mod vietnam;
pub mod worklist;

#[cfg(feature = "ssr")]
pub mod platform;
#[cfg(feature = "ssr")]
pub mod routes;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
