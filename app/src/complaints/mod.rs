//! Correction complaints: a citizen asks for a record to be fixed; the responsible site has
//! 48 hours to answer. This slice covers filing, routing, the deadline and the citizen's
//! tracking page.

#[cfg(feature = "ssr")]
pub mod draft;
#[cfg(feature = "ssr")]
pub mod evidence;
#[cfg(feature = "ssr")]
pub mod file_safety;
#[cfg(feature = "ssr")]
pub mod handlers;
pub mod pages;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod workflow;

pub use pages::{NewComplaintPage, TrackingPage};

use crate::domain::{BirthDate, DoseDate, FieldError, Gender, LotNumber, NationalId, PersonName};
use crate::form_state::FormState;
use crate::i18n::{Lang, tr};
use crate::records::{DoseKind, Finding, PersonView};
use crate::vaccination_sites::SiteSearch;

/// Hours a site has to answer a complaint.
pub const DEADLINE_HOURS: i64 = 48;
/// Days a citizen has to reopen a corrected or rejected complaint.
pub const REOPEN_DAYS: i64 = 7;

crate::codes::coded! {
    /// What a complaint is about. `ALL` is the order the form offers them in.
    pub enum ComplaintKind {
        PersonalData => "personal_data",
        IdNumber => "id_number",
        WrongDose => "wrong_dose",
        MissingDose => "missing_dose",
        SplitRecord => "split_record",
        Other => "other",
    }
}

impl ComplaintKind {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ComplaintKind::MissingDose => {
                tr(lang, "Thiếu mũi tiêm (đã tiêm nhưng hồ sơ không có)", "A dose is missing (given but not recorded)")
            }
            ComplaintKind::WrongDose => tr(
                lang,
                "Thông tin mũi tiêm bị sai (ngày, vắc xin, số lô, nơi tiêm, mũi thứ mấy)",
                "A dose's details are wrong (date, vaccine, lot, site, which dose)",
            ),
            ComplaintKind::PersonalData => {
                tr(lang, "Thông tin cá nhân bị sai (họ tên, ngày sinh, giới tính)", "Personal data is wrong (name, date of birth, gender)")
            }
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

    /// Kinds that name new values for fields of the person.
    pub fn changes_fields(self) -> bool {
        matches!(self, ComplaintKind::PersonalData | ComplaintKind::IdNumber)
    }

    /// The personal fields a complaint of this kind is about, whatever values it names: a site
    /// may change these (and the fields the complaint names) and no other.
    pub fn personal_fields(self) -> &'static [ChangeField] {
        match self {
            ComplaintKind::PersonalData => &[ChangeField::FullName, ChangeField::BirthDate, ChangeField::Gender],
            ComplaintKind::IdNumber => &[ChangeField::NationalId],
            ComplaintKind::SplitRecord => &ChangeField::PERSONAL,
            ComplaintKind::MissingDose | ComplaintKind::WrongDose | ComplaintKind::Other => &[],
        }
    }

    /// Kinds that name values for a dose.
    pub fn changes_dose(self) -> bool {
        matches!(self, ComplaintKind::WrongDose | ComplaintKind::MissingDose)
    }
}

crate::codes::coded! {
    pub enum ComplaintStatus {
        Open => "open",
        WaitingCitizen => "waiting_citizen",
        Resolved => "resolved",
        Rejected => "rejected",
        Confirmed => "confirmed",
    }
}

impl ComplaintStatus {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ComplaintStatus::Open => tr(lang, "Đang chờ cơ sở xử lý", "Waiting for the site"),
            ComplaintStatus::WaitingCitizen => tr(lang, "Cơ sở cần bạn bổ sung thông tin", "The site needs more information from you"),
            ComplaintStatus::Resolved => tr(lang, "Đã sửa, chờ bạn xác nhận", "Corrected, waiting for your confirmation"),
            ComplaintStatus::Rejected => tr(lang, "Bị từ chối", "Rejected"),
            ComplaintStatus::Confirmed => tr(lang, "Đã hoàn tất", "Done"),
        }
    }

    /// Still with the site: open, or paused waiting for the citizen.
    pub fn is_active(self) -> bool {
        matches!(self, ComplaintStatus::Open | ComplaintStatus::WaitingCitizen)
    }

    /// How staff read it in their inbox.
    pub fn staff_label(self, lang: Lang) -> &'static str {
        match self {
            ComplaintStatus::Open => tr(lang, "Chờ xử lý", "To handle"),
            ComplaintStatus::WaitingCitizen => tr(lang, "Chờ người dân bổ sung (tạm dừng hạn)", "Waiting for the citizen (clock paused)"),
            ComplaintStatus::Resolved => tr(lang, "Đã sửa, chờ người dân xác nhận", "Corrected, awaiting confirmation"),
            ComplaintStatus::Rejected => tr(lang, "Đã từ chối", "Rejected"),
            ComplaintStatus::Confirmed => tr(lang, "Đã hoàn tất", "Done"),
        }
    }
}

crate::codes::coded! {
    /// A field a complaint asks to change; its code is the column it lives in.
    pub enum ChangeField {
        FullName => "full_name",
        BirthDate => "birth_date",
        Gender => "gender",
        NationalId => "national_id",
        DoseKind => "dose_kind",
        GivenOn => "given_on",
        Product => "product_code",
        Lot => "lot",
    }
}

impl ChangeField {
    pub const PERSONAL: [ChangeField; 4] = [ChangeField::FullName, ChangeField::BirthDate, ChangeField::Gender, ChangeField::NationalId];
    pub const DOSE: [ChangeField; 4] = [ChangeField::DoseKind, ChangeField::GivenOn, ChangeField::Product, ChangeField::Lot];

    pub fn is_dose(self) -> bool {
        Self::DOSE.contains(&self)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ChangeField::FullName => tr(lang, "Họ và tên", "Full name"),
            ChangeField::BirthDate => tr(lang, "Ngày sinh", "Date of birth"),
            ChangeField::Gender => tr(lang, "Giới tính", "Gender"),
            ChangeField::NationalId => tr(lang, "Số CCCD/CMND/mã định danh", "ID number"),
            ChangeField::DoseKind => tr(lang, "Mũi thứ", "Which dose"),
            ChangeField::GivenOn => tr(lang, "Ngày tiêm", "Date given"),
            ChangeField::Product => tr(lang, "Vắc xin", "Vaccine"),
            ChangeField::Lot => tr(lang, "Số lô", "Lot number"),
        }
    }
}

impl ChangeField {
    /// Parses what a person typed for this field into the form it is stored in (codes, ISO dates).
    pub fn parse(self, input: &str, today: chrono::NaiveDate) -> Result<FieldValue, FieldError> {
        let stored = match self {
            ChangeField::FullName => PersonName::parse(input)?.as_str().to_string(),
            ChangeField::BirthDate => BirthDate::parse(input, today)?.stored(),
            ChangeField::Gender => Gender::parse(input)?.code().to_string(),
            ChangeField::NationalId => NationalId::parse(input)?.as_str().to_string(),
            ChangeField::DoseKind => DoseKind::from_code(input.trim()).ok_or(FieldError::ChooseOne)?.code().to_string(),
            ChangeField::GivenOn => DoseDate::parse(input, today)?.stored(),
            // Checked against the product list by the caller, which knows the names.
            ChangeField::Product => {
                let code = input.trim().to_uppercase();
                if code.is_empty() || code.len() > 10 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
                    return Err(FieldError::ChooseOne);
                }
                code
            }
            ChangeField::Lot => LotNumber::parse(input)?.as_str().to_string(),
        };
        Ok(FieldValue::new(self, stored))
    }
}

/// A field's value as the database keeps it (codes, ISO dates, raw text); turned into words
/// in the reader's language only when a page renders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldValue {
    pub field: ChangeField,
    pub stored: String,
    /// For a vaccine product: its name, read with the value.
    pub product_name: Option<String>,
}

impl FieldValue {
    pub fn new(field: ChangeField, stored: String) -> Self {
        FieldValue { field, stored, product_name: None }
    }

    pub fn shown(&self, lang: Lang) -> String {
        let s = self.stored.as_str();
        match self.field {
            ChangeField::BirthDate => BirthDate::from_stored(s).map(|b| b.display()),
            ChangeField::GivenOn => DoseDate::from_stored(s).map(|d| d.display()),
            ChangeField::Gender => Gender::from_code(s).map(|g| g.label(lang).to_string()),
            ChangeField::DoseKind => DoseKind::from_code(s).map(|k| k.label(lang).to_string()),
            ChangeField::Product => self.product_name.clone(),
            ChangeField::FullName | ChangeField::NationalId | ChangeField::Lot => None,
        }
        .unwrap_or_else(|| s.to_string())
    }

    /// The value as a form field takes it back (dates as people type them, codes otherwise).
    pub fn typed(&self) -> String {
        match self.field {
            ChangeField::BirthDate | ChangeField::GivenOn => self.shown(Lang::Vi),
            _ => self.stored.clone(),
        }
    }
}

/// A dose as the audit trail keeps it when one is added or removed: stored values and the
/// site's id, kept as JSON in `record_audit`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DoseSnapshot {
    pub dose_kind: String,
    pub given_on: String,
    pub product_code: String,
    pub lot: String,
    pub site_id: i64,
}

/// A dose snapshot with the names it needs to be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoseShown {
    pub dose: DoseSnapshot,
    pub product_name: String,
    pub site_name: String,
}

impl DoseShown {
    /// "Mũi 2 · 12/08/2021 · Vaxzevria (AstraZeneca) · lô AB123 · Trạm Y tế ..."
    pub fn shown(&self, lang: Lang) -> String {
        let d = &self.dose;
        format!(
            "{} · {} · {} · {} {} · {}",
            DoseKind::from_code(&d.dose_kind).map(|k| k.label(lang)).unwrap_or(&d.dose_kind),
            DoseDate::from_stored(&d.given_on).map(|g| g.display()).unwrap_or_else(|| d.given_on.clone()),
            self.product_name,
            tr(lang, "lô", "lot"),
            d.lot,
            self.site_name
        )
    }
}

/// One side of an audited edit: a field's value, or a whole dose added or removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditValue {
    Field(FieldValue),
    Dose(DoseShown),
    /// The record a dose left or joined in a merge.
    Record(i64),
}

impl EditValue {
    pub fn shown(&self, lang: Lang) -> String {
        match self {
            EditValue::Field(v) => v.shown(lang),
            EditValue::Dose(d) => d.shown(lang),
            EditValue::Record(id) => format!("{} {id}", tr(lang, "hồ sơ số", "record")),
        }
    }
}

/// Parses the four correction fields of a form, skipping empty ones; a refused value is
/// recorded in `form` under the field's name.
pub fn parse_changes(inputs: [(ChangeField, &str); 4], today: chrono::NaiveDate, form: &mut FormState) -> Vec<FieldValue> {
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
    pub recorded: Option<FieldValue>,
    pub requested: FieldValue,
}

crate::codes::coded! {
    /// What happened on a complaint's timeline. Every match over it is exhaustive, so a new
    /// kind cannot silently go without a label or a notice.
    pub enum EventKind {
        Filed => "filed",
        InfoRequested => "info_requested",
        CitizenAnswered => "citizen_answered",
        SiteReplied => "site_replied",
        Corrected => "corrected",
        Rejected => "rejected",
        Reassigned => "reassigned",
        Confirmed => "confirmed",
        AutoConfirmed => "auto_confirmed",
        Reopened => "reopened",
        Escalated => "escalated",
        SupervisorNote => "supervisor_note",
    }
}

#[derive(Debug, Clone)]
pub struct EventView {
    pub at: String,
    pub kind: EventKind,
    /// citizen, site, supervisor or system
    pub actor: String,
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
    /// While waiting for the citizen: minutes the site will have left once they answer.
    pub paused_minutes_left: Option<i64>,
    /// Until when the citizen may reopen it, if it is corrected or rejected.
    pub reopen_until: Option<String>,
    pub evidence: Vec<EvidenceView>,
    /// Which sites held it, and for how long.
    pub holders: Vec<HolderView>,
    /// The person's vaccine certificate now (a correction revokes it; the next signing
    /// re-issues it).
    pub person_id: i64,
    pub certificate: crate::certificates::CertificateState,
}

impl ComplaintView {
    /// "31 giờ 20 phút" in the reader's language.
    pub fn duration_text(minutes: i64, lang: Lang) -> String {
        let (h, m) = (minutes.max(0) / 60, minutes.max(0) % 60);
        format!("{h} {} {m} {}", tr(lang, "giờ", "h"), tr(lang, "phút", "min"))
    }
}

/// One audited change of a record: the field, before and after.
#[derive(Debug, Clone)]
pub struct EditView {
    pub at: String,
    pub field: EditedField,
    pub before: Option<EditValue>,
    pub after: Option<EditValue>,
}

/// What an audit row changed: a field of the person, or a dose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditedField {
    Person(ChangeField),
    Dose(ChangeField),
    DoseAdded,
    DoseRemoved,
    /// A dose moved between two records of one person (a merge): before and after hold the
    /// record ids it left and joined.
    DoseMoved,
}

impl EditedField {
    /// The code kept in `record_audit.field`.
    pub fn code(self) -> String {
        match self {
            EditedField::Person(f) => f.code().to_string(),
            EditedField::Dose(f) => format!("dose.{}", f.code()),
            EditedField::DoseAdded => "dose_added".to_string(),
            EditedField::DoseRemoved => "dose_removed".to_string(),
            EditedField::DoseMoved => "dose_moved".to_string(),
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "dose_added" => Some(EditedField::DoseAdded),
            "dose_removed" => Some(EditedField::DoseRemoved),
            "dose_moved" => Some(EditedField::DoseMoved),
            _ => match code.strip_prefix("dose.") {
                Some(f) => ChangeField::from_code(f).map(EditedField::Dose),
                None => ChangeField::from_code(code).map(EditedField::Person),
            },
        }
    }

    pub fn label(self, lang: Lang) -> String {
        match self {
            EditedField::Person(f) => f.label(lang).to_string(),
            EditedField::Dose(f) => format!("{} ({})", f.label(lang), tr(lang, "mũi tiêm", "dose")),
            EditedField::DoseAdded => tr(lang, "Thêm mũi tiêm", "Dose added").to_string(),
            EditedField::DoseRemoved => tr(lang, "Xoá mũi tiêm", "Dose removed").to_string(),
            EditedField::DoseMoved => tr(lang, "Chuyển mũi tiêm sang hồ sơ gộp", "Dose moved by a merge").to_string(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct EvidenceView {
    pub token: String,
    pub file_name: String,
    pub is_image: bool,
    pub size_kb: i64,
}

#[derive(Debug, Clone)]
pub struct HolderView {
    pub site: String,
    pub from: String,
    pub hours: i64,
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
    /// Files kept from an earlier try of this form.
    pub evidence: Vec<EvidenceView>,
    /// Missing-dose form: vaccine products (code, name) and the site search.
    pub products: Vec<(String, String)>,
    pub site_search: Option<SiteSearch>,
}

/// The citizen's answer form on the tracking page: its key (files wait under it if the
/// answer is refused) and the files already kept.
#[derive(Debug, Clone)]
pub struct AnswerForm {
    pub key: String,
    pub pending: Vec<EvidenceView>,
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
        assert_eq!(crate::vietnam::time_text(1_795_334_400), "15:00 22/11/2026");
    }
}
