//! Correction complaints: a citizen asks for a record to be fixed; the responsible site has
//! 48 hours to answer. This slice covers filing, routing, the deadline and the citizen's
//! tracking page.

mod pages;
#[cfg(feature = "ssr")]
pub mod handlers;
#[cfg(feature = "ssr")]
pub mod service;

pub use pages::{NewComplaintPage, TrackingPage};

use crate::domain::{BirthDate, FieldError, Gender, NationalId, PersonName};
use crate::forms::FormState;
use crate::i18n::{Lang, tr};
use crate::records::{Finding, PersonView};

/// Hours a site has to answer a complaint.
pub const DEADLINE_HOURS: i64 = 48;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComplaintKind {
    WrongDose,
    PersonalData,
    IdNumber,
    SplitRecord,
    Other,
}

impl ComplaintKind {
    pub const ALL: [ComplaintKind; 5] =
        [ComplaintKind::PersonalData, ComplaintKind::IdNumber, ComplaintKind::WrongDose, ComplaintKind::SplitRecord, ComplaintKind::Other];

    pub fn code(self) -> &'static str {
        match self {
            ComplaintKind::WrongDose => "wrong_dose",
            ComplaintKind::PersonalData => "personal_data",
            ComplaintKind::IdNumber => "id_number",
            ComplaintKind::SplitRecord => "split_record",
            ComplaintKind::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ComplaintKind::WrongDose => tr(lang, "Thông tin mũi tiêm bị sai (ngày, vắc xin, số lô, nơi tiêm, mũi thứ mấy)", "A dose's details are wrong (date, vaccine, lot, site, which dose)"),
            ComplaintKind::PersonalData => tr(lang, "Thông tin cá nhân bị sai (họ tên, ngày sinh, giới tính)", "Personal data is wrong (name, date of birth, gender)"),
            ComplaintKind::IdNumber => tr(lang, "Chưa có hoặc sai số CCCD/CMND/mã định danh", "The ID number is missing or wrong"),
            ComplaintKind::SplitRecord => tr(lang, "Một người bị tách thành hai hồ sơ", "One person is split over two records"),
            ComplaintKind::Other => tr(lang, "Vấn đề khác", "Something else"),
        }
    }

    /// The likely kind, from what the record page found.
    pub fn suggested_by(findings: &[Finding]) -> Self {
        use Finding::*;
        if findings.iter().any(|f| matches!(f, MissingId | MalformedId | IdContradictsGender | IdContradictsBirthYear | NotInRegistry)) {
            ComplaintKind::IdNumber
        } else if findings.iter().any(|f| matches!(f, NameDiffers | BirthDateDiffers | GenderDiffers)) {
            ComplaintKind::PersonalData
        } else {
            ComplaintKind::Other
        }
    }

    /// Kinds that name new values for fields of the record.
    pub fn changes_fields(self) -> bool {
        matches!(self, ComplaintKind::PersonalData | ComplaintKind::IdNumber)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComplaintStatus {
    Open,
    WaitingCitizen,
    Resolved,
    Rejected,
    Confirmed,
}

impl ComplaintStatus {
    pub fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "open" => ComplaintStatus::Open,
            "waiting_citizen" => ComplaintStatus::WaitingCitizen,
            "resolved" => ComplaintStatus::Resolved,
            "rejected" => ComplaintStatus::Rejected,
            "confirmed" => ComplaintStatus::Confirmed,
            _ => return None,
        })
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ComplaintStatus::Open => tr(lang, "Đang chờ cơ sở xử lý", "Waiting for the site"),
            ComplaintStatus::WaitingCitizen => tr(lang, "Cơ sở cần bạn bổ sung thông tin", "The site needs more information from you"),
            ComplaintStatus::Resolved => tr(lang, "Đã sửa, chờ bạn xác nhận", "Corrected, waiting for your confirmation"),
            ComplaintStatus::Rejected => tr(lang, "Bị từ chối", "Rejected"),
            ComplaintStatus::Confirmed => tr(lang, "Đã hoàn tất", "Done"),
        }
    }
}

/// A field a complaint asks to change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeField {
    FullName,
    BirthDate,
    Gender,
    NationalId,
}

impl ChangeField {
    pub const ALL: [ChangeField; 4] = [ChangeField::FullName, ChangeField::BirthDate, ChangeField::Gender, ChangeField::NationalId];

    pub fn code(self) -> &'static str {
        match self {
            ChangeField::FullName => "full_name",
            ChangeField::BirthDate => "birth_date",
            ChangeField::Gender => "gender",
            ChangeField::NationalId => "national_id",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ChangeField::FullName => tr(lang, "Họ và tên", "Full name"),
            ChangeField::BirthDate => tr(lang, "Ngày sinh", "Date of birth"),
            ChangeField::Gender => tr(lang, "Giới tính", "Gender"),
            ChangeField::NationalId => tr(lang, "Số CCCD/CMND/mã định danh", "ID number"),
        }
    }
}

/// A value typed for a field, parsed: the form stored in the database and the form people read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedChange {
    pub field: ChangeField,
    pub stored: String,
    pub shown: String,
}

impl ChangeField {
    pub fn parse(self, input: &str, today: chrono::NaiveDate) -> Result<ParsedChange, FieldError> {
        let (stored, shown) = match self {
            ChangeField::FullName => PersonName::parse(input).map(|n| (n.as_str().to_string(), n.as_str().to_string()))?,
            ChangeField::BirthDate => BirthDate::parse(input, today).map(|b| (b.stored(), b.display()))?,
            ChangeField::Gender => Gender::parse(input).map(|g| (g.code().to_string(), gender_shown(g).to_string()))?,
            ChangeField::NationalId => NationalId::parse(input).map(|id| (id.as_str().to_string(), id.as_str().to_string()))?,
        };
        Ok(ParsedChange { field: self, stored, shown })
    }
}

/// Gender as written on Vietnamese records.
pub fn gender_shown(g: Gender) -> &'static str {
    match g {
        Gender::Male => "Nam",
        Gender::Female => "Nữ",
    }
}

/// Parses the four correction fields of a form, skipping empty ones; a refused value is
/// recorded in `form` under the field's name.
pub fn parse_changes(inputs: [(ChangeField, &str); 4], today: chrono::NaiveDate, form: &mut FormState) -> Vec<ParsedChange> {
    let mut parsed = Vec::new();
    for (field, input) in inputs {
        if input.trim().is_empty() {
            continue;
        }
        match field.parse(input, today) {
            Ok(change) => parsed.push(change),
            Err(e) => form.reject(field.code(), e),
        }
    }
    parsed
}

#[derive(Debug, Clone)]
pub struct ChangeView {
    pub field: ChangeField,
    pub recorded: String,
    pub requested: String,
}

#[derive(Debug, Clone)]
pub struct EventView {
    pub at: String,
    pub kind: String,
    pub site: Option<String>,
    pub message: Option<String>,
}

/// A complaint as its citizen sees it.
#[derive(Debug, Clone)]
pub struct ComplaintView {
    pub reference: String,
    pub person_name: String,
    pub kind: ComplaintKind,
    pub status: ComplaintStatus,
    pub site_name: String,
    pub filed_at: String,
    pub due_at: String,
    pub overdue: bool,
    pub description: String,
    pub changes: Vec<ChangeView>,
    pub events: Vec<EventView>,
    /// Edits made to the record because of this complaint, from the audit trail.
    pub edits: Vec<EditView>,
}

/// One audited change of a record: the field, before and after.
#[derive(Debug, Clone)]
pub struct EditView {
    pub at: String,
    pub field: ChangeField,
    pub before: String,
    pub after: String,
}

/// One line in the record page's list of a person's complaints.
#[derive(Debug, Clone)]
pub struct ComplaintSummary {
    pub reference: String,
    pub kind: ComplaintKind,
    pub status: ComplaintStatus,
    pub due_at: String,
}

/// What the new-complaint form needs: whom it is about and its idempotency key.
#[derive(Debug, Clone)]
pub struct ComplaintFormData {
    pub person: PersonView,
    pub key: String,
}

/// Times are shown in Vietnam's time zone (UTC+7, no daylight saving).
pub fn vietnam_time(unix: i64) -> String {
    let offset = chrono::FixedOffset::east_opt(7 * 3600).expect("valid offset");
    chrono::DateTime::from_timestamp(unix, 0)
        .map(|t| t.with_timezone(&offset).format("%H:%M %d/%m/%Y").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnosis_suggests_the_kind() {
        assert_eq!(ComplaintKind::suggested_by(&[Finding::MissingId]), ComplaintKind::IdNumber);
        assert_eq!(ComplaintKind::suggested_by(&[Finding::BirthDateDiffers]), ComplaintKind::PersonalData);
        assert_eq!(ComplaintKind::suggested_by(&[Finding::Matches]), ComplaintKind::Other);
    }

    #[test]
    fn times_are_shown_in_vietnam() {
        // 2026-11-22 08:00 UTC is 15:00 in Hà Nội.
        assert_eq!(vietnam_time(1_795_334_400), "15:00 22/11/2026");
    }
}
