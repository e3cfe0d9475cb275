use crate::domain::{BirthDate, Gender, NationalId, PersonName};
use crate::i18n::{Lang, tr};
use crate::registry::RegistryEntry;

/// What the record says, before any checking.
#[derive(Debug, Clone)]
pub struct RecordedPerson {
    pub national_id: Option<String>,
    pub full_name: String,
    pub birth_date: Option<BirthDate>,
    pub gender: Gender,
}

/// One field-by-field finding about a record. Registry values are never carried: the citizen
/// is told *that* a field differs, not what the registry holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finding {
    Matches,
    MissingId,
    MalformedId,
    IdContradictsGender,
    IdContradictsBirthYear,
    NotInRegistry,
    NameDiffers,
    BirthDateDiffers,
    GenderDiffers,
}

/// The record's status against the registry. `registry` is the entry found under the
/// record's ID number, if the number was well formed and found.
pub fn diagnose(record: &RecordedPerson, registry: Option<&RegistryEntry>) -> Vec<Finding> {
    let Some(raw_id) = record.national_id.as_deref().filter(|s| !s.trim().is_empty()) else {
        return vec![Finding::MissingId];
    };
    let Ok(id) = NationalId::parse(raw_id) else {
        return vec![Finding::MalformedId];
    };
    let mut findings = Vec::new();
    if let Some((gender, year)) = id.encoded_gender_and_year() {
        if gender != record.gender {
            findings.push(Finding::IdContradictsGender);
        }
        if record.birth_date.is_some_and(|b| b.year() != year) {
            findings.push(Finding::IdContradictsBirthYear);
        }
    }
    match registry {
        None => findings.push(Finding::NotInRegistry),
        Some(entry) => {
            let same_name = PersonName::parse(&record.full_name).is_ok_and(|n| n.same_person_name(&entry.full_name));
            if !same_name {
                findings.push(Finding::NameDiffers);
            }
            // A year-only record does not match a registry that knows the full date.
            let same_birth = record.birth_date.is_some_and(|b| b == entry.birth_date);
            if !same_birth {
                findings.push(Finding::BirthDateDiffers);
            }
            if entry.gender != record.gender {
                findings.push(Finding::GenderDiffers);
            }
        }
    }
    if findings.is_empty() {
        findings.push(Finding::Matches);
    }
    findings
}

impl Finding {
    pub fn is_problem(self) -> bool {
        self != Finding::Matches
    }

    pub fn title(self, lang: Lang) -> &'static str {
        use Finding::*;
        match self {
            Matches => tr(lang, "Khớp với Cơ sở dữ liệu quốc gia về dân cư", "Matches the National Population Database"),
            MissingId => tr(lang, "Hồ sơ chưa có số CCCD/CMND/mã định danh", "The record has no ID number"),
            MalformedId => tr(lang, "Số giấy tờ trên hồ sơ không đúng định dạng", "The ID number on the record is malformed"),
            IdContradictsGender => {
                tr(lang, "Số CCCD không khớp với giới tính trên hồ sơ", "The CCCD number contradicts the recorded gender")
            }
            IdContradictsBirthYear => {
                tr(lang, "Số CCCD không khớp với năm sinh trên hồ sơ", "The CCCD number contradicts the recorded birth year")
            }
            NotInRegistry => tr(
                lang,
                "Không tìm thấy số giấy tờ này trong Cơ sở dữ liệu quốc gia về dân cư",
                "This ID number was not found in the National Population Database",
            ),
            NameDiffers => {
                tr(lang, "Họ tên khác với Cơ sở dữ liệu quốc gia về dân cư", "The name differs from the National Population Database")
            }
            BirthDateDiffers => tr(
                lang,
                "Ngày sinh khác với Cơ sở dữ liệu quốc gia về dân cư",
                "The date of birth differs from the National Population Database",
            ),
            GenderDiffers => {
                tr(lang, "Giới tính khác với Cơ sở dữ liệu quốc gia về dân cư", "The gender differs from the National Population Database")
            }
        }
    }

    pub fn advice(self, lang: Lang) -> &'static str {
        use Finding::*;
        match self {
            Matches => {
                tr(lang, "Hồ sơ đủ điều kiện để được ký xác nhận hộ chiếu vắc xin.", "The record can be signed for a vaccine certificate.")
            }
            MissingId | MalformedId => tr(
                lang,
                "Mang CCCD (hoặc giấy khai sinh có mã định danh của trẻ) đến trạm y tế xã/phường nơi cư trú để bổ sung số giấy tờ.",
                "Bring your CCCD (or the child's birth certificate with the personal ID code) to the commune health station where you live to add the number.",
            ),
            IdContradictsGender | IdContradictsBirthYear | NotInRegistry => tr(
                lang,
                "Kiểm tra lại số trên thẻ CCCD của bạn. Nếu số trên hồ sơ bị nhập sai, hãy liên hệ trạm y tế xã/phường nơi cư trú để sửa.",
                "Check the number on your CCCD card. If the record has it wrong, contact the commune health station where you live to correct it.",
            ),
            NameDiffers | BirthDateDiffers | GenderDiffers => tr(
                lang,
                "Kiểm tra thông tin này với thẻ CCCD của bạn. Nếu hồ sơ tiêm bị sai, cơ sở đã tiêm cho bạn sẽ sửa khi nhận được phản ánh.",
                "Compare this with your CCCD card. If the vaccination record is wrong, the site that vaccinated you corrects it when you report it.",
            ),
        }
    }
}

/// Records and registry entries for tests, here and in the verification engine's.
#[cfg(test)]
pub(crate) mod test_support {
    use super::*;
    use chrono::NaiveDate;

    pub fn full(y: i32, m: u32, d: u32) -> BirthDate {
        BirthDate::Full(NaiveDate::from_ymd_opt(y, m, d).unwrap())
    }

    pub fn record(id: Option<&str>, name: &str, birth: BirthDate, gender: Gender) -> RecordedPerson {
        RecordedPerson { national_id: id.map(str::to_string), full_name: name.into(), birth_date: Some(birth), gender }
    }

    pub fn entry(name: &str, birth: BirthDate, gender: Gender) -> RegistryEntry {
        RegistryEntry { full_name: PersonName::parse(name).unwrap(), birth_date: birth, gender }
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::{entry, full, record};
    use super::*;

    #[test]
    fn clean_record_matches() {
        let r = record(Some("031190012345"), "Nguyễn Thị Lan", full(1990, 3, 7), Gender::Female);
        let e = entry("NGUYỄN THỊ LAN", full(1990, 3, 7), Gender::Female);
        assert_eq!(diagnose(&r, Some(&e)), vec![Finding::Matches]);
    }

    #[test]
    fn missing_and_malformed_ids() {
        let r = record(None, "Lê Văn Tám", full(1980, 1, 1), Gender::Male);
        assert_eq!(diagnose(&r, None), vec![Finding::MissingId]);
        let r = record(Some("03119001234"), "Lê Văn Tám", full(1980, 1, 1), Gender::Male);
        assert_eq!(diagnose(&r, None), vec![Finding::MalformedId]);
    }

    #[test]
    fn cccd_digits_contradict_gender_and_year() {
        // Digit 4 = 0: a man born in the 1900s; year digits 90.
        let r = record(Some("031090012345"), "Nguyễn Thị Lan", full(1991, 3, 7), Gender::Female);
        let e = entry("Nguyễn Thị Lan", full(1991, 3, 7), Gender::Female);
        assert_eq!(diagnose(&r, Some(&e)), vec![Finding::IdContradictsGender, Finding::IdContradictsBirthYear]);
    }

    #[test]
    fn registry_differences_are_named_field_by_field() {
        let r = record(Some("031190012345"), "Nguyễn Thị Lam", full(1990, 7, 3), Gender::Female);
        let e = entry("Nguyễn Thị Lan", full(1990, 3, 7), Gender::Female);
        assert_eq!(diagnose(&r, Some(&e)), vec![Finding::NameDiffers, Finding::BirthDateDiffers]);
    }

    #[test]
    fn year_only_record_differs_from_a_full_registry_date() {
        let r = record(Some("031056012345"), "Trần Văn Ba", BirthDate::YearOnly(1956), Gender::Male);
        let e = entry("Trần Văn Ba", full(1956, 5, 1), Gender::Male);
        assert_eq!(diagnose(&r, Some(&e)), vec![Finding::BirthDateDiffers]);
    }

    #[test]
    fn unknown_number_is_reported() {
        let r = record(Some("031190012345"), "Nguyễn Thị Lan", full(1990, 3, 7), Gender::Female);
        assert_eq!(diagnose(&r, None), vec![Finding::NotInRegistry]);
    }
}
