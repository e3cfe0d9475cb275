use super::{FieldError, strip_invisible};
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// A full name, "Họ Đệm Tên", stored in NFC with single spaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let cleaned: String = strip_invisible(input)
            // Ð (U+00D0, Icelandic eth) is typed for Đ (U+0110) by some keyboards.
            .replace('\u{00D0}', "\u{0110}")
            .replace('\u{00F0}', "\u{0111}")
            .nfc()
            .collect();
        let name = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Err(FieldError::Required);
        }
        if name.chars().count() > 100 {
            return Err(FieldError::NameTooLong);
        }
        if !name.chars().all(|c| c.is_alphabetic() || c == ' ' || c == '\'' || c == '-') {
            return Err(FieldError::NameBadChars);
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Two spellings of one name: same letters once diacritics, case, tone placement
    /// (hoá/hóa) and the i/y variants (Kỳ/Kì) are set aside.
    pub fn same_person_name(&self, other: &PersonName) -> bool {
        name_key(&self.0) == name_key(&other.0)
    }
}

/// Folds Vietnamese text for comparison: no diacritics, lower case, đ→d, single spaces.
pub fn fold(input: &str) -> String {
    let folded: String = strip_invisible(input)
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' | 'Đ' | 'Ð' | 'ð' => 'd',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The key two spellings of one name share: folded, and i/y read alike. Stored as
/// `people.name_key` so staff can search names as they would say them.
pub fn name_key(input: &str) -> String {
    fold(input).replace('y', "i")
}

impl std::fmt::Display for PersonName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_nfd_input_as_nfc() {
        let nfd = "Nguye\u{0302}\u{0303}n Va\u{0306}n An";
        let name = PersonName::parse(nfd).unwrap();
        assert_eq!(name.as_str(), "Nguyễn Văn An");
        assert_eq!(name.as_str().chars().count(), 13);
    }

    #[test]
    fn collapses_spaces_and_drops_zero_width() {
        let name = PersonName::parse("  Trần\u{200B}   Thị  Bình ").unwrap();
        assert_eq!(name.as_str(), "Trần Thị Bình");
    }

    #[test]
    fn replaces_eth_with_d_stroke() {
        assert_eq!(PersonName::parse("\u{00D0}ỗ Văn Hùng").unwrap().as_str(), "Đỗ Văn Hùng");
    }

    #[test]
    fn refuses_digits_and_empty() {
        assert_eq!(PersonName::parse("Nguyễn Văn 4"), Err(FieldError::NameBadChars));
        assert_eq!(PersonName::parse("\u{200B} "), Err(FieldError::Required));
        assert_eq!(PersonName::parse(&"a".repeat(101)), Err(FieldError::NameTooLong));
    }

    #[test]
    fn folds_d_stroke_and_tones() {
        assert_eq!(fold("Đặng Thị Hoà"), "dang thi hoa");
        assert_eq!(fold("ĐẶNG THỊ HÒA"), "dang thi hoa");
    }

    #[test]
    fn matches_across_spellings() {
        let a = PersonName::parse("Lê Thị Thuỷ").unwrap();
        let b = PersonName::parse("le thi thuy").unwrap();
        let c = PersonName::parse("Lê Thị Thủy").unwrap();
        assert!(a.same_person_name(&b));
        assert!(a.same_person_name(&c));
        let k1 = PersonName::parse("Phạm Kỳ Anh").unwrap();
        let k2 = PersonName::parse("Phạm Kì Anh").unwrap();
        assert!(k1.same_person_name(&k2));
        let other = PersonName::parse("Lê Thị Thu").unwrap();
        assert!(!a.same_person_name(&other));
    }
}
