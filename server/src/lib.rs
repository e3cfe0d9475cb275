//! The composition root: configuration, state, router, start-up, and the command-line tasks
//! (migrate, seed) that prepare a database.

pub mod backup;
pub mod bench_data;
pub mod config;
pub mod demo_complaints;
pub mod extract_csv;
pub mod match_data;
pub mod match_registry;
pub mod reference_data;
pub mod registry_load;
pub mod seed;
pub mod startup;

pub use config::Settings;
pub use startup::Application;
