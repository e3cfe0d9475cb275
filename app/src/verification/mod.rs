//! The one verification engine: a record against the population registry, graded once and
//! stored beside the record (`people.quality` and the `verification_*`/`verified_*` columns),
//! then read by every page that needs it: the citizen's record page, the supervisors'
//! data-quality numbers, and later the station's worklist and certificate signing. No HTTP and
//! no SQL in this file; `service.rs` reads, grades and stores.
//!
//! Names are compared as the domain type folds them (NFC, đ/Đ/Ð, tone placement, i/y, marks,
//! case, spaces); an ID typed with spaces, full-width digits or lost leading zeros is normalised
//! before it is judged. A record is `verified` only when ID, name, birth date and gender agree.

#[cfg(feature = "ssr")]
pub mod candidates;
pub mod communes;
pub mod matching;
#[cfg(feature = "ssr")]
pub mod service;

use crate::complaints::ChangeField;
use crate::domain::NationalId;
use crate::records::{Finding, RecordedPerson, diagnose};
use crate::registry::RegistryEntry;

crate::codes::coded! {
    /// Where a record stands against the registry (stored in `people.quality`).
    #[derive(Hash)]
    pub enum Status {
        Verified => "verified",
        NoId => "no_id",
        MalformedId => "malformed_id",
        /// The CCCD digits encode a gender or birth year other than the record's.
        IdContradictsRecord => "id_contradicts_record",
        NotInRegistry => "not_in_registry",
        DataDiffers => "data_differs",
    }
}

impl Status {
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        use crate::i18n::tr;
        match self {
            Status::Verified => tr(lang, "Khớp CSDL dân cư", "Matches the registry"),
            Status::NoId => tr(lang, "Chưa có số giấy tờ", "No ID number"),
            Status::MalformedId => tr(lang, "Số giấy tờ sai định dạng", "Malformed ID"),
            Status::IdContradictsRecord => tr(lang, "Số CCCD mâu thuẫn với hồ sơ", "ID contradicts the record"),
            Status::NotInRegistry => tr(lang, "Không có trong CSDL dân cư", "Not in the registry"),
            Status::DataDiffers => tr(lang, "Thông tin khác CSDL dân cư", "Data differs from the registry"),
        }
    }
}

crate::codes::coded! {
    /// What last graded a record (stored in `people.verified_by`).
    pub enum Source {
        /// The engine on its own: at start, after a seed, in housekeeping.
        Engine => "engine",
        ComplaintCorrection => "complaint_correction",
        StationEdit => "station_edit",
        /// The station confirmed a registry candidate: the record took its ID.
        StationMatch => "station_match",
        /// Two records of one person merged into one.
        Merge => "merge",
        PoliceBatch => "police_batch",
        /// The station imported a file of subjects with their corrected ID numbers.
        SubjectImport => "subject_import",
    }
}

impl Source {
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        use crate::i18n::tr;
        match self {
            Source::Engine => tr(lang, "Đối chiếu tự động", "Checked by the engine"),
            Source::ComplaintCorrection => tr(lang, "Phản ánh của người dân", "Citizen's complaint"),
            Source::StationEdit => tr(lang, "Cơ sở sửa trực tiếp", "Station's edit"),
            Source::StationMatch => tr(lang, "Cơ sở xác nhận gợi ý", "Station confirmed a candidate"),
            Source::Merge => tr(lang, "Gộp hồ sơ", "Records merged"),
            Source::PoliceBatch => tr(lang, "Công an xã xác minh", "Verified by the commune police"),
            Source::SubjectImport => tr(lang, "Nhập danh sách đối tượng", "Subject import"),
        }
    }
}

/// What graded a record, and the staff member behind it (none for the engine on its own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cause {
    pub source: Source,
    pub staff_id: Option<i64>,
}

impl Cause {
    pub const ENGINE: Cause = Cause { source: Source::Engine, staff_id: None };

    pub fn staff(source: Source, staff_id: i64) -> Self {
        Cause { source, staff_id: Some(staff_id) }
    }
}

/// The engine's answer for one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub status: Status,
    /// The fields that differ from the registry (`data_differs`) or that the ID contradicts.
    pub fields: Vec<ChangeField>,
    /// The registry person it was compared with (the normalised ID).
    pub registry_id: Option<String>,
}

impl Verdict {
    /// The problem as a station reads it: the status, and the fields that differ.
    pub fn problem(&self, lang: crate::i18n::Lang) -> String {
        problem(self.status, &self.fields, lang)
    }
}

/// `status` with the fields that differ ("Thông tin khác CSDL dân cư: Họ và tên").
pub fn problem(status: Status, fields: &[ChangeField], lang: crate::i18n::Lang) -> String {
    let fields = fields.iter().map(|f| f.label(lang)).collect::<Vec<_>>().join(", ");
    if fields.is_empty() { status.label(lang).to_string() } else { format!("{}: {fields}", status.label(lang)) }
}

/// The ID as it is judged: separators and full-width digits read, lost leading zeros restored.
/// `None` when nothing was typed; `Some(Err)` when what was typed is no ID number.
pub fn normalised_id(typed: Option<&str>) -> Option<Result<NationalId, ()>> {
    let typed = typed.filter(|s| !s.trim().is_empty())?;
    let Some(digits) = crate::domain::digits_with_separators(typed) else {
        return Some(Err(()));
    };
    let restored = match restored_length(digits.len()) {
        Some(to) => format!("{digits:0>to$}"),
        None => digits,
    };
    Some(NationalId::parse(&restored).map_err(|_| ()))
}

/// The length an ID of `len` digits had before a spreadsheet dropped its leading zeros, if it
/// looks like one that did. A CCCD starts with a province code 001-096, so a number stored as an
/// integer loses one or two leading zeros; a CMND (9 digits) at most one. Anything shorter is not
/// a lost zero.
pub(crate) fn restored_length(len: usize) -> Option<usize> {
    match len {
        10 | 11 => Some(12),
        8 => Some(9),
        _ => None,
    }
}

/// Grades `record` against `registry`, the entry found under the record's normalised ID.
pub fn grade(record: &RecordedPerson, registry: Option<&RegistryEntry>) -> Verdict {
    let id = normalised_id(record.national_id.as_deref());
    let judged = RecordedPerson {
        national_id: match &id {
            Some(Ok(id)) => Some(id.as_str().to_string()),
            _ => record.national_id.clone(),
        },
        ..record.clone()
    };
    let findings = diagnose(&judged, registry);
    let has = |f: Finding| findings.contains(&f);
    let pick = |pairs: &[(Finding, ChangeField)]| pairs.iter().filter(|(f, _)| has(*f)).map(|(_, c)| *c).collect::<Vec<_>>();
    let (status, fields) = if has(Finding::MissingId) {
        (Status::NoId, Vec::new())
    } else if has(Finding::MalformedId) {
        (Status::MalformedId, Vec::new())
    } else if has(Finding::IdContradictsGender) || has(Finding::IdContradictsBirthYear) {
        (
            Status::IdContradictsRecord,
            pick(&[(Finding::IdContradictsBirthYear, ChangeField::BirthDate), (Finding::IdContradictsGender, ChangeField::Gender)]),
        )
    } else if has(Finding::NotInRegistry) {
        (Status::NotInRegistry, Vec::new())
    } else if has(Finding::Matches) {
        (Status::Verified, Vec::new())
    } else {
        (
            Status::DataDiffers,
            pick(&[
                (Finding::NameDiffers, ChangeField::FullName),
                (Finding::BirthDateDiffers, ChangeField::BirthDate),
                (Finding::GenderDiffers, ChangeField::Gender),
            ]),
        )
    };
    let registry_id = registry.and(id).and_then(Result::ok).map(|id| id.as_str().to_string());
    Verdict { status, fields, registry_id }
}

impl Verdict {
    /// The stored form of `fields`: codes joined by commas.
    pub fn fields_code(&self) -> String {
        self.fields.iter().map(|f| f.code()).collect::<Vec<_>>().join(",")
    }

    /// Read back from the stored status and fields.
    pub fn from_stored(status: &str, fields: Option<&str>, registry_id: Option<String>) -> Option<Self> {
        let fields = fields.unwrap_or_default().split(',').filter(|c| !c.is_empty()).filter_map(ChangeField::from_code).collect();
        Some(Verdict { status: Status::from_code(status)?, fields, registry_id })
    }

    /// What the citizen's record page says, one finding per line; never a registry value.
    pub fn findings(&self) -> Vec<Finding> {
        let per_field =
            |pairs: &[(ChangeField, Finding)]| pairs.iter().filter(|(c, _)| self.fields.contains(c)).map(|(_, f)| *f).collect::<Vec<_>>();
        match self.status {
            Status::Verified => vec![Finding::Matches],
            Status::NoId => vec![Finding::MissingId],
            Status::MalformedId => vec![Finding::MalformedId],
            Status::NotInRegistry => vec![Finding::NotInRegistry],
            Status::IdContradictsRecord => {
                per_field(&[(ChangeField::Gender, Finding::IdContradictsGender), (ChangeField::BirthDate, Finding::IdContradictsBirthYear)])
            }
            Status::DataDiffers => per_field(&[
                (ChangeField::FullName, Finding::NameDiffers),
                (ChangeField::BirthDate, Finding::BirthDateDiffers),
                (ChangeField::Gender, Finding::GenderDiffers),
            ]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{BirthDate, Gender};
    use crate::records::test_support::{entry, full, record};

    fn lan() -> RegistryEntry {
        entry("Nguyễn Thị Lan", full(1990, 3, 7), Gender::Female)
    }

    #[test]
    fn ugly_but_equal_records_are_verified() {
        // NFD, Ð for Đ, old tone placement, extra spaces, capitals: one person.
        let nfd = "Nguye\u{0302}\u{0303}n Thi\u{0323} Lan";
        for name in [nfd, "  NGUYỄN   thị LAN ", "Nguyễn Thị Lan"] {
            let v = grade(&record(Some("031190012345"), name, full(1990, 3, 7), Gender::Female), Some(&lan()));
            assert_eq!(v.status, Status::Verified, "{name:?}");
            assert_eq!(v.registry_id.as_deref(), Some("031190012345"));
        }
        let hoa = entry("Phạm Thị Hoà", full(1956, 11, 23), Gender::Female);
        let v = grade(&record(Some("031156007311"), "Phạm Thị Hòa", full(1956, 11, 23), Gender::Female), Some(&hoa));
        assert_eq!(v.status, Status::Verified, "old and new tone placement");
        let dung = entry("Đặng Văn Dũng", full(1970, 1, 2), Gender::Male);
        let v = grade(&record(Some("031070001234"), "Ðặng Văn Dũng", full(1970, 1, 2), Gender::Male), Some(&dung));
        assert_eq!(v.status, Status::Verified, "Ð (eth) typed for Đ");
    }

    #[test]
    fn ids_are_normalised_before_they_are_judged() {
        for typed in ["31190012345", "031 190 012 345", "０３１１９００１２３４５"] {
            let v = grade(&record(Some(typed), "Nguyễn Thị Lan", full(1990, 3, 7), Gender::Female), Some(&lan()));
            assert_eq!((v.status, v.registry_id.as_deref()), (Status::Verified, Some("031190012345")), "{typed:?}");
        }
    }

    #[test]
    fn each_problem_gets_its_status_and_fields() {
        let r = |id: Option<&str>, name: &str, birth: BirthDate, g| record(id, name, birth, g);
        assert_eq!(grade(&r(None, "Lan", full(1990, 3, 7), Gender::Female), None).status, Status::NoId);
        assert_eq!(grade(&r(Some("12AB"), "Lan", full(1990, 3, 7), Gender::Female), None).status, Status::MalformedId);
        let v = grade(&r(Some("031190012345"), "Nguyễn Thị Lan", full(1990, 3, 7), Gender::Male), Some(&lan()));
        assert_eq!((v.status, v.fields), (Status::IdContradictsRecord, vec![ChangeField::Gender]));
        assert_eq!(grade(&r(Some("031190012345"), "Nguyễn Thị Lan", full(1990, 3, 7), Gender::Female), None).status, Status::NotInRegistry);
        // Day and month swapped; a dropped middle name; a year-only record against a full date.
        let v = grade(&r(Some("031190012345"), "Nguyễn Lan", full(1990, 7, 3), Gender::Female), Some(&lan()));
        assert_eq!((v.status, v.fields), (Status::DataDiffers, vec![ChangeField::FullName, ChangeField::BirthDate]));
        let v = grade(&r(Some("031190012345"), "Nguyễn Thị Lan", BirthDate::YearOnly(1990), Gender::Female), Some(&lan()));
        assert_eq!((v.status, v.fields), (Status::DataDiffers, vec![ChangeField::BirthDate]));
    }

    #[test]
    fn stored_verdicts_read_back_the_same() {
        let v = grade(&record(Some("031190012345"), "Nguyễn Lan", full(1990, 7, 3), Gender::Female), Some(&lan()));
        let back = Verdict::from_stored(v.status.code(), Some(&v.fields_code()), v.registry_id.clone()).unwrap();
        assert_eq!(back, v);
        assert_eq!(back.findings(), vec![Finding::NameDiffers, Finding::BirthDateDiffers]);
    }
}
