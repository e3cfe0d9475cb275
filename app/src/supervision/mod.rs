//! Supervisors (district health centres, provincial departments and CDCs, the Ministry):
//! reminders and escalation, the overdue audit of their area, exports, and the numbers.

#[cfg(feature = "ssr")]
pub mod areas;
#[cfg(feature = "ssr")]
pub mod audit;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod numbers;
#[cfg(feature = "ssr")]
pub mod reminders;

pub mod charts;
#[cfg(feature = "ssr")]
pub mod handlers;
pub mod pages;
pub mod routes;

use crate::complaints::{ComplaintKind, ComplaintStatus, ComplaintView};
use crate::i18n::{Lang, tr};
use crate::staff::StaffMember;
use crate::vaccination_sites::SiteSearch;

crate::codes::coded! {
    /// How long ago a complaint was filed.
    pub enum AgeBucket {
        Under48 => "duoi-48h",
        Days2To3 => "48-72h",
        Days3To7 => "3-7-ngay",
        Over7Days => "tren-7-ngay",
    }
}

impl AgeBucket {
    /// Hours since filing: from (inclusive), to (exclusive; none for the last).
    pub fn hours(self) -> (i64, Option<i64>) {
        match self {
            AgeBucket::Under48 => (0, Some(48)),
            AgeBucket::Days2To3 => (48, Some(72)),
            AgeBucket::Days3To7 => (72, Some(168)),
            AgeBucket::Over7Days => (168, None),
        }
    }

    pub fn of_hours(h: i64) -> Self {
        Self::ALL.into_iter().rev().find(|b| h >= b.hours().0).unwrap_or(AgeBucket::Under48)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            AgeBucket::Under48 => tr(lang, "Dưới 48 giờ", "Under 48 hours"),
            AgeBucket::Days2To3 => tr(lang, "48-72 giờ", "48-72 hours"),
            AgeBucket::Days3To7 => tr(lang, "3-7 ngày", "3-7 days"),
            AgeBucket::Over7Days => tr(lang, "Trên 7 ngày", "Over 7 days"),
        }
    }
}

crate::codes::coded! {
    /// Which complaints the audit lists.
    #[derive(Default)]
    pub enum Level {
        /// Past the deadline.
        #[default]
        Overdue => "qua-han",
        /// Past the deadline or with less than 12 hours left.
        AtRisk => "sap-qua-han",
        /// Everything still with a site.
        AllOpen => "dang-mo",
    }
}

impl Level {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Level::Overdue => tr(lang, "Quá hạn", "Overdue"),
            Level::AtRisk => tr(lang, "Quá hạn hoặc còn dưới 12 giờ", "Overdue or under 12 hours left"),
            Level::AllOpen => tr(lang, "Mọi phản ánh đang mở", "Everything still open"),
        }
    }
}

crate::codes::coded! {
    /// The audit's order.
    #[derive(Default)]
    pub enum SortBy {
        #[default]
        Due => "han",
        Age => "tuoi",
        Site => "co-so",
    }
}

impl SortBy {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            SortBy::Due => tr(lang, "Hạn trả lời (sớm nhất trước)", "Deadline (earliest first)"),
            SortBy::Age => tr(lang, "Gửi lâu nhất trước", "Oldest first"),
            SortBy::Site => tr(lang, "Theo cơ sở", "By site"),
        }
    }
}

/// The audit's query string as typed (`?khu-vuc=&co-so=&loai=&trang-thai=&tuoi=&muc=&sap-xep=`).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct AuditQuery {
    #[serde(default, rename = "khu-vuc")]
    pub area: String,
    #[serde(default, rename = "co-so")]
    pub site: String,
    #[serde(default, rename = "loai")]
    pub kind: String,
    #[serde(default, rename = "trang-thai")]
    pub status: String,
    #[serde(default, rename = "tuoi")]
    pub age: String,
    #[serde(default, rename = "muc")]
    pub level: String,
    #[serde(default, rename = "sap-xep")]
    pub sort: String,
}

/// The audit's filters, as in the page's query string (`khu-vuc`, `co-so`, `loai`,
/// `trang-thai`, `tuoi`, `muc`, `sap-xep`). Unknown values fall back to "any".
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub area: Option<String>,
    pub site: Option<i64>,
    pub kind: Option<ComplaintKind>,
    pub status: Option<ComplaintStatus>,
    pub age: Option<AgeBucket>,
    pub level: Level,
    pub sort: SortBy,
}

impl AuditFilter {
    pub fn from_query(q: &AuditQuery) -> Self {
        AuditFilter {
            area: Some(q.area.trim().to_string()).filter(|a| !a.is_empty()),
            site: q.site.trim().parse().ok(),
            kind: ComplaintKind::from_code(q.kind.trim()),
            status: ComplaintStatus::from_code(q.status.trim()).filter(|s| s.is_active()),
            age: AgeBucket::from_code(q.age.trim()),
            level: Level::from_code(q.level.trim()).unwrap_or_default(),
            sort: SortBy::from_code(q.sort.trim()).unwrap_or_default(),
        }
    }

    /// The query string for this filter (for export links).
    pub fn query(&self) -> String {
        let mut q = vec![format!("muc={}", self.level.code()), format!("sap-xep={}", self.sort.code())];
        if let Some(a) = &self.area {
            q.push(format!("khu-vuc={a}"));
        }
        if let Some(s) = self.site {
            q.push(format!("co-so={s}"));
        }
        if let Some(k) = self.kind {
            q.push(format!("loai={}", k.code()));
        }
        if let Some(s) = self.status {
            q.push(format!("trang-thai={}", s.code()));
        }
        if let Some(a) = self.age {
            q.push(format!("tuoi={}", a.code()));
        }
        q.join("&")
    }
}

#[derive(Debug, Clone)]
pub struct AuditRow {
    pub reference: String,
    pub site: String,
    pub kind: ComplaintKind,
    pub status: ComplaintStatus,
    pub filed_at: String,
    pub due_at: String,
    /// Hours left (negative: hours overdue); while paused, what will be left.
    pub hours_left: i64,
    pub age: AgeBucket,
    pub escalated: bool,
}

#[derive(Debug, Clone)]
pub struct AuditView {
    pub me: StaffMember,
    pub filter: AuditFilter,
    pub rows: Vec<AuditRow>,
    /// All matching complaints (the list shows the first 200).
    pub total: i64,
    pub by_age: [(AgeBucket, i64); 4],
    /// Sub-areas to narrow to, and the sites of the chosen area.
    pub areas: Vec<(String, String)>,
    pub sites: Vec<(i64, String)>,
    pub scope_name: Option<String>,
}

/// A complaint as a supervisor reviews it: read-only, plus a note or a reassignment.
#[derive(Debug, Clone)]
pub struct SupervisedComplaint {
    pub me: StaffMember,
    pub complaint: ComplaintView,
    pub escalated: bool,
    pub reassign: SiteSearch,
}

/// Complaint numbers for a subject and period.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Numbers {
    pub received: i64,
    /// Closed in the period: corrected or rejected with a reason.
    pub resolved: i64,
    pub on_time: i64,
    pub on_time_pct: Option<f64>,
    pub median_first_response_hours: Option<f64>,
    pub median_resolution_hours: Option<f64>,
    /// Of those resolved, the share the citizen had reopened at some point.
    pub reopen_pct: Option<f64>,
    pub overdue_now: i64,
}

/// Records of people living in an area, by cleaning group.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Quality {
    pub total: i64,
    pub matches: i64,
    pub matches_pct: Option<f64>,
    pub no_id: i64,
    pub malformed: i64,
    /// The CCCD digits encode another gender or birth year than the record's.
    pub id_contradicts: i64,
    pub not_in_registry: i64,
    pub differs: i64,
    /// The campaign per commune station of the area (residents of its commune), most left first.
    pub stations: Vec<StationProgress>,
    /// Records that became verified, per week (Monday's date, oldest first), the last 8 weeks.
    pub verified_per_week: Vec<(String, i64)>,
}

/// One commune station's part of the clean-up campaign.
#[derive(Debug, Clone, PartialEq)]
pub struct StationProgress {
    pub name: String,
    pub verified: i64,
    /// Records in a cleaning group (not verified).
    pub left: i64,
    /// Records that became verified in the last 7 days.
    pub verified_this_week: i64,
    /// Records in the station's batches that are still with the commune police.
    pub with_police: i64,
    /// Days since the oldest of those batches went out.
    pub police_days: Option<i64>,
    /// Changes of status in the last 7 days, per source (the station's verification list,
    /// summed); sources with none are left out.
    pub changes_this_week: Vec<(crate::verification::Source, i64)>,
}

/// One part of a subject (a province, a district, a site) with its main numbers.
#[derive(Debug, Clone)]
pub struct Breakdown {
    pub name: String,
    pub href: String,
    pub received: i64,
    pub resolved: i64,
    pub on_time_pct: Option<f64>,
    pub overdue_now: i64,
}

/// The public numbers page.
#[derive(Debug, Clone)]
pub struct NumbersQuery {
    pub title: String,
    pub area: Option<String>,
    pub site: Option<i64>,
    pub from: String,
    pub to: String,
    pub from_iso: String,
    pub to_iso: String,
    pub numbers: Numbers,
    pub quality: Option<Quality>,
    pub parts: Vec<Breakdown>,
}
