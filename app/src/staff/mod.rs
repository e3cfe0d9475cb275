//! Vaccination-site staff: sign-in, the inbox of their site's complaints sorted by time
//! left, and correcting a record in answer to a complaint (every edit audited).

mod pages;
#[cfg(feature = "ssr")]
pub mod handlers;
#[cfg(feature = "ssr")]
pub mod service;

pub use pages::{StaffComplaintPage, StaffInboxPage, StaffLoginPage};

use crate::complaints::{ComplaintKind, ComplaintStatus, ComplaintView};
use crate::i18n::{Lang, tr};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffRole {
    SiteStaff,
    SiteManager,
    Supervisor,
    Admin,
}

impl StaffRole {
    pub fn code(self) -> &'static str {
        match self {
            StaffRole::SiteStaff => "site_staff",
            StaffRole::SiteManager => "site_manager",
            StaffRole::Supervisor => "supervisor",
            StaffRole::Admin => "admin",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [StaffRole::SiteStaff, StaffRole::SiteManager, StaffRole::Supervisor, StaffRole::Admin].into_iter().find(|r| r.code() == code)
    }
}

/// Who is signed in on the staff side.
#[derive(Debug, Clone)]
pub struct StaffMember {
    pub id: i64,
    pub full_name: String,
    pub role: StaffRole,
    pub site_id: Option<i64>,
    pub site_name: Option<String>,
}

#[derive(Debug, Clone)]
pub struct InboxItem {
    pub reference: String,
    pub kind: ComplaintKind,
    pub status: ComplaintStatus,
    pub person_name: String,
    pub due_at: String,
    /// Whole hours left before the deadline; negative when overdue.
    pub hours_left: i64,
}

impl InboxItem {
    pub fn urgency(&self, lang: Lang) -> (&'static str, &'static str) {
        if self.hours_left < 0 {
            ("urgency overdue", tr(lang, "Quá hạn", "Overdue"))
        } else if self.hours_left < 12 {
            ("urgency soon", tr(lang, "Sắp đến hạn", "Due soon"))
        } else {
            ("urgency", tr(lang, "Trong hạn", "On time"))
        }
    }
}

#[derive(Debug, Clone)]
pub struct Inbox {
    pub staff: StaffMember,
    pub items: Vec<InboxItem>,
}

/// The complaint page for staff: the citizen's view plus the record as it stands.
#[derive(Debug, Clone)]
pub struct StaffComplaint {
    pub staff: StaffMember,
    pub complaint: ComplaintView,
    pub record_name: String,
    pub record_birth_date: String,
    pub record_gender: String,
    pub record_national_id: String,
}
