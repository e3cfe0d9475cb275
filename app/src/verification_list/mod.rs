//! The verification list (danh sách xác minh thông tin): per station and period, every record
//! whose verification status changed, with its status now, what changed it (citizen complaint,
//! station edit, police batch, merge), who and when; filtered by group and source, exported to
//! Excel. Read from `verification_history`, which the engine writes on every change of status.

#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod handlers;
pub mod pages;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;

pub use pages::VerificationListPage;

use crate::staff::StaffMember;
use crate::verification::{Source, Status};
use chrono::NaiveDate;

/// Rows a page shows; the next page starts before the last change.
pub const PAGE_ROWS: i64 = 100;
/// The most rows an export holds.
pub const EXPORT_ROWS: i64 = 200_000;

/// Which changes: the period (days, both included), the source, the status now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub source: Option<Source>,
    pub group: Option<Status>,
}

#[derive(Debug, Clone)]
pub struct VerificationList {
    pub staff: StaffMember,
    pub filter: Filter,
    /// Changes in the period per source (before the source and group filters).
    pub by_source: Vec<(Source, i64)>,
    pub rows: Vec<StatusChange>,
    /// The change to continue before, when there are more.
    pub next_before: Option<i64>,
}

/// One change of a record's status.
#[derive(Debug, Clone)]
pub struct StatusChange {
    pub id: i64,
    pub at: String,
    pub person_id: i64,
    pub full_name: String,
    pub old_status: Option<Status>,
    pub new_status: Status,
    /// Where the record stands today (it may have changed again since).
    pub status_now: Option<Status>,
    pub source: Source,
    pub staff_name: Option<String>,
}
