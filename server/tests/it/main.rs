//! The portal's integration tests, through the real router on a fresh database each (SQLite
//! or PostgreSQL, chosen by TEST_DATABASE). One test binary: each links the whole portal, and
//! on two cores linking nine of them took longer than running them.

mod support;

mod access;
mod certificates;
mod complaints;
mod crash;
mod demo;
mod fuzz;
mod lookup;
mod match_registry;
mod migrations;
mod numbers;
mod operations;
mod outbox;
mod police;
mod registry_load;
mod second_review;
mod security;
mod security_events;
mod staff;
mod subjects;
mod supervision;
mod two_servers;
mod workflow;
mod worklist;
