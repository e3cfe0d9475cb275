//! Vaccination-site staff: sign-in, the inbox of their site's complaints sorted by time
//! left, and correcting a record in answer to a complaint (every edit audited).

/// The password of the demo accounts `server seed` creates. Published in the README, so it
/// opens nothing behind HTTPS.
pub const DEMO_STAFF_PASSWORD: &str = "tiemchung-demo-2021";
pub const DEMO_PASSWORDS: &[&str] = &[DEMO_STAFF_PASSWORD];

#[cfg(feature = "ssr")]
pub mod account;
#[cfg(feature = "ssr")]
pub mod correction;
#[cfg(feature = "ssr")]
pub mod handlers;
pub mod pages;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod second_factor;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod team;

pub use pages::{AccountPage, SetPasswordPage, SitePickerPage, StaffComplaintPage, StaffInboxPage, StaffLoginPage, TeamPage};

use crate::complaints::{ComplaintKind, ComplaintStatus, ComplaintView};
use crate::i18n::{Lang, tr};
use crate::records::DoseKind;
use crate::vaccination_sites::SiteSearch;

crate::codes::coded! {
    pub enum StaffRole {
        SiteStaff => "site_staff",
        SiteManager => "site_manager",
        Supervisor => "supervisor",
        Admin => "admin",
    }
}

impl StaffRole {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            StaffRole::SiteStaff => tr(lang, "Nhân viên", "Staff"),
            StaffRole::SiteManager => tr(lang, "Quản lý cơ sở", "Site manager"),
            StaffRole::Supervisor => tr(lang, "Giám sát", "Supervisor"),
            StaffRole::Admin => tr(lang, "Quản trị", "Administrator"),
        }
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
    /// Supervisors: the area they answer for (`None`: the whole country).
    pub scope_unit: Option<String>,
    pub scope_name: Option<String>,
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
    /// Waiting for the citizen: the clock is stopped.
    pub paused: bool,
    /// Past the deadline and reported to the supervisors.
    pub escalated: bool,
}

impl InboxItem {
    pub fn urgency(&self, lang: Lang) -> (&'static str, &'static str) {
        if !self.status.is_active() {
            ("urgency", self.status.staff_label(lang))
        } else if self.paused {
            ("urgency paused", tr(lang, "Tạm dừng hạn", "Clock paused"))
        } else if self.escalated {
            ("urgency overdue", tr(lang, "Quá hạn, đã báo cấp trên", "Overdue, escalated"))
        } else if self.hours_left < 0 {
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
    pub filter: InboxFilter,
    /// Complaints per status (within the kind filter) and per kind (within the status filter).
    pub status_counts: Vec<(ComplaintStatus, i64)>,
    pub kind_counts: Vec<(ComplaintKind, i64)>,
}

/// What the inbox shows. No status means the ones still with the site (open or paused).
#[derive(Debug, Clone, Copy, Default)]
pub struct InboxFilter {
    pub status: Option<ComplaintStatus>,
    pub kind: Option<ComplaintKind>,
}

impl InboxFilter {
    pub fn matches_status(&self, status: ComplaintStatus) -> bool {
        match self.status {
            Some(wanted) => wanted == status,
            None => status.is_active(),
        }
    }

    /// The inbox URL with this filter, for links and the filter form.
    pub fn href(status: Option<ComplaintStatus>, kind: Option<ComplaintKind>) -> String {
        let mut query = Vec::new();
        if let Some(s) = status {
            query.push(format!("trang-thai={}", s.code()));
        }
        if let Some(k) = kind {
            query.push(format!("loai={}", k.code()));
        }
        if query.is_empty() { routes::INBOX.to_string() } else { format!("{}?{}", routes::INBOX, query.join("&")) }
    }
}

/// The complaint page for staff: the citizen's view plus the record as it stands.
#[derive(Debug, Clone)]
pub struct StaffComplaint {
    pub staff: StaffMember,
    /// The record the complaint is about.
    pub person_id: i64,
    pub complaint: ComplaintView,
    pub record_name: String,
    pub record_birth_date: String,
    pub record_gender: crate::domain::Gender,
    pub record_national_id: String,
    /// The person's doses as recorded now.
    pub doses: Vec<StaffDose>,
    /// The dose the complaint is about, if any.
    pub dose_id: Option<i64>,
    /// The personal fields this site may change through this complaint.
    pub editable_fields: Vec<crate::complaints::ChangeField>,
    /// Vaccine products (code, name) for the dose forms.
    pub products: Vec<(String, String)>,
    /// The search for a site to pass the complaint to.
    pub reassign: SiteSearch,
}

#[derive(Debug, Clone)]
pub struct StaffDose {
    pub id: i64,
    /// The complaint is about this dose, or this site gave it: the site may change it.
    pub editable: bool,
    pub kind: DoseKind,
    pub given_on: String,
    pub product_code: String,
    pub product: String,
    pub lot: String,
    pub site: String,
}

/// An administrator choosing whose staff to manage.
#[derive(Debug, Clone)]
pub struct SitePicker {
    pub me: StaffMember,
    pub search: crate::vaccination_sites::SiteSearch,
}

/// The staff of one site, for its manager or an administrator.
#[derive(Debug, Clone)]
pub struct TeamView {
    pub me: StaffMember,
    pub site_id: i64,
    pub site_name: String,
    pub members: Vec<TeamMember>,
}

#[derive(Debug, Clone)]
pub struct TeamMember {
    pub id: i64,
    pub full_name: String,
    pub email: String,
    pub role: StaffRole,
    pub disabled: bool,
    /// An invitation to set a password is waiting.
    pub invited: bool,
}

/// The account page (`signed_in`) or the second step of a sign-in: the second factor's state,
/// a key to set up, recovery codes just made (shown once).
#[derive(Debug, Clone, Default)]
pub struct AccountView {
    pub name: String,
    pub signed_in: bool,
    pub second_factor: bool,
    /// Required for this account's role.
    pub required: bool,
    pub enrolment: Option<EnrolmentView>,
    pub recovery_codes: Vec<String>,
    pub password_changed: bool,
}

/// A key for the authenticator app: as typed (groups of four) and as an otpauth:// link.
#[derive(Debug, Clone)]
pub struct EnrolmentView {
    pub key: String,
    pub uri: String,
}

/// The set-password page: whom the invitation is for (None: the link is spent or expired).
#[derive(Debug, Clone)]
pub struct Invited(pub Option<String>);
