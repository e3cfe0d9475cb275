//! The station's worklist (danh sách cần làm sạch): the records of the people living in the
//! site's commune and of the people it vaccinated that the verification engine has not
//! verified, by cleaning group, searchable and paged. Staff only, their own site only.

#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod handlers;
#[cfg(feature = "ssr")]
pub mod merge;
pub mod pages;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;

pub use pages::{MergePage, StationRecordPage, WorklistPage};

use crate::complaints::ChangeField;
use crate::domain::Gender;
use crate::staff::StaffMember;
use crate::verification::Status;

/// Rows a page shows; the next page starts after the last id.
pub const PAGE_ROWS: i64 = 50;
/// The most rows an export holds (a large commune's whole list fits).
pub const EXPORT_ROWS: i64 = 100_000;

/// A group of the list: the records of one verification status, or the records that may be one
/// person split over two records (which are also in their status's group).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Status(Status),
    PossibleDuplicate,
}

impl Group {
    pub fn code(self) -> &'static str {
        match self {
            Group::Status(s) => s.code(),
            Group::PossibleDuplicate => "possible_duplicate",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        GROUPS.into_iter().find(|g| g.code() == code)
    }

    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        match self {
            Group::Status(s) => s.label(lang),
            Group::PossibleDuplicate => crate::i18n::tr(lang, "Có thể trùng người", "Possible duplicate"),
        }
    }
}

/// The groups of the campaign, in the order the page lists them.
pub const GROUPS: [Group; 6] = [
    Group::Status(Status::NoId),
    Group::Status(Status::MalformedId),
    Group::Status(Status::DataDiffers),
    Group::Status(Status::IdContradictsRecord),
    Group::Status(Status::NotInRegistry),
    Group::PossibleDuplicate,
];

#[derive(Debug, Clone)]
pub struct Worklist {
    pub staff: StaffMember,
    /// The group shown (none: every group).
    pub group: Option<Group>,
    /// The name or ID number searched for, as typed.
    pub search: String,
    /// Records on the list (every group).
    pub total: i64,
    pub counts: Vec<(Group, i64)>,
    pub rows: Vec<WorkRow>,
    /// The id to continue after, when there are more rows.
    pub next_after: Option<i64>,
}

/// One record for the station: what it says, what the registry says (staff may see both), the
/// engine's verdict and the doses.
#[derive(Debug, Clone)]
pub struct StationRecord {
    pub staff: StaffMember,
    pub id: i64,
    pub recorded: Vec<(ChangeField, String)>,
    /// What the registry says under the record's (normalised) ID.
    pub registry: RegistryView,
    pub status: Status,
    pub fields: Vec<ChangeField>,
    pub doses: Vec<crate::records::DoseView>,
    /// Registry people the record might be, best first (only while it is not verified).
    pub candidates: Vec<CandidateRow>,
    /// Other records on the site's list that may be the same person.
    pub twins: Vec<Twin>,
    pub checks: Vec<VillageCheck>,
}

/// The registry's entry under a record's ID, as much of it as the station may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistryView {
    /// Its values: the person lives in the station's commune (2021, or its 2025 successor).
    Shown(Vec<(ChangeField, String)>),
    /// The person lives elsewhere: only whether each field matches (the registry is not a
    /// directory of the country for a station).
    Elsewhere,
    /// No entry under the number, or no number.
    Missing,
}

/// A registry candidate as the station sees it, with the score and why.
#[derive(Debug, Clone)]
pub struct CandidateRow {
    pub national_id: String,
    pub full_name: String,
    pub birth_date: String,
    pub gender: Gender,
    pub score: f32,
    pub decision: crate::verification::matching::Decision,
    pub why: Vec<crate::verification::matching::Part>,
    /// Another live record already carries this ID: confirming means merging with it.
    pub held_by: Option<i64>,
}

/// Another record that may be the same person.
#[derive(Debug, Clone)]
pub struct Twin {
    pub id: i64,
    pub full_name: String,
    pub birth_date: String,
    pub national_id: Option<String>,
}

/// "Checked with the village team", with the team's note.
#[derive(Debug, Clone)]
pub struct VillageCheck {
    pub staff_name: String,
    pub note: String,
    pub at: String,
}

/// Two records side by side, to merge or to keep apart.
#[derive(Debug, Clone)]
pub struct MergeView {
    pub staff: StaffMember,
    pub sides: [MergeSide; 2],
    /// Whether the engine proposes the pair as one person: only such a pair may be merged.
    pub twins: bool,
}

#[derive(Debug, Clone)]
pub struct MergeSide {
    pub id: i64,
    pub recorded: Vec<(ChangeField, String)>,
    pub status: Status,
    pub doses: Vec<crate::records::DoseView>,
}

#[derive(Debug, Clone)]
pub struct WorkRow {
    pub id: i64,
    pub full_name: String,
    pub birth_date: String,
    pub gender: Gender,
    pub national_id: Option<String>,
    pub status: Status,
    pub fields: Vec<ChangeField>,
    /// Lives in the site's commune (otherwise: vaccinated there).
    pub resident: bool,
    /// The number of the site's batch the record is in while that batch is with the commune police.
    pub with_police: Option<i64>,
}
