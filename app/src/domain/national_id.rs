use super::{FieldError, digits_with_separators};
use serde::{Deserialize, Serialize};

/// Province codes of birth registration used by CCCD numbers (the 63 provinces before 2025).
const PROVINCE_CODES: [u16; 63] = [
    1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52,
    54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum IdKind {
    /// 12 digits: citizen identity card or personal ID code (mã định danh cá nhân).
    Cccd,
    /// 9 digits: the old identity card.
    Cmnd,
}

/// A well-formed CCCD/personal ID code (12 digits) or CMND (9 digits).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NationalId(String);

impl NationalId {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let digits = digits_with_separators(input).ok_or(FieldError::IdNotDigits)?;
        match digits.len() {
            0 => Err(FieldError::Required),
            12 => {
                if !province_code_is_known(&digits) {
                    return Err(FieldError::IdProvince);
                }
                Ok(Self(digits))
            }
            9 => Ok(Self(digits)),
            _ => Err(FieldError::IdLength),
        }
    }

    /// Spreadsheets store IDs as numbers and drop leading zeros: pad back to 12 or 9 digits.
    pub fn parse_from_spreadsheet(input: &str) -> Result<Self, FieldError> {
        let digits = digits_with_separators(input).ok_or(FieldError::IdNotDigits)?;
        let padded = match digits.len() {
            0 => return Err(FieldError::Required),
            10 | 11 => format!("{digits:0>12}"),
            7 | 8 => format!("{digits:0>9}"),
            _ => digits,
        };
        Self::parse(&padded)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn kind(&self) -> IdKind {
        if self.0.len() == 12 { IdKind::Cccd } else { IdKind::Cmnd }
    }

    /// For a 12-digit number: the gender and century encoded in digit 4, and the birth year
    /// from digits 4-6. `None` for a CMND, which encodes neither.
    pub fn encoded_gender_and_year(&self) -> Option<(super::Gender, i32)> {
        if self.kind() != IdKind::Cccd {
            return None;
        }
        let b = self.0.as_bytes();
        let code = (b[3] - b'0') as i32;
        let yy = ((b[4] - b'0') * 10 + (b[5] - b'0')) as i32;
        let century = match code / 2 {
            0 => 1900,
            1 => 2000,
            2 => 2100,
            3 => 2200,
            _ => 1800,
        };
        let gender = if code % 2 == 0 { super::Gender::Male } else { super::Gender::Female };
        Some((gender, century + yy))
    }

    /// The only form fit for logs: last three digits.
    pub fn masked(&self) -> String {
        mask(&self.0)
    }
}

fn province_code_is_known(digits: &str) -> bool {
    digits[..3].parse::<u16>().map(|p| PROVINCE_CODES.contains(&p)).unwrap_or(false)
}

/// Masks all but the last three characters, for logs.
pub fn mask(value: &str) -> String {
    let n = value.chars().count();
    value.chars().enumerate().map(|(i, c)| if i + 3 < n { '*' } else { c }).collect()
}

impl std::fmt::Display for NationalId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Gender;

    #[test]
    fn accepts_cccd_with_spaces_and_dots() {
        assert_eq!(NationalId::parse(" 031 190 012 345 ").unwrap().as_str(), "031190012345");
        assert_eq!(NationalId::parse("031.190.012.345").unwrap().as_str(), "031190012345");
    }

    #[test]
    fn accepts_cmnd_of_nine_digits() {
        let id = NationalId::parse("123456789").unwrap();
        assert_eq!(id.kind(), IdKind::Cmnd);
        assert_eq!(id.encoded_gender_and_year(), None);
    }

    #[test]
    fn refuses_eleven_digits() {
        assert_eq!(NationalId::parse("03119001234"), Err(FieldError::IdLength));
    }

    #[test]
    fn refuses_letters_and_empty() {
        assert_eq!(NationalId::parse("03119001234O"), Err(FieldError::IdNotDigits));
        assert_eq!(NationalId::parse("   "), Err(FieldError::Required));
    }

    #[test]
    fn refuses_unknown_province_code() {
        assert_eq!(NationalId::parse("003190012345"), Err(FieldError::IdProvince));
        assert_eq!(NationalId::parse("999190012345"), Err(FieldError::IdProvince));
    }

    #[test]
    fn strips_zero_width_and_full_width_digits() {
        assert_eq!(NationalId::parse("0\u{200B}31190012345").unwrap().as_str(), "031190012345");
        assert_eq!(NationalId::parse("０３１１９００１２３４５").unwrap().as_str(), "031190012345");
    }

    #[test]
    fn decodes_gender_and_century() {
        let id = NationalId::parse("001090012345").unwrap();
        assert_eq!(id.encoded_gender_and_year(), Some((Gender::Male, 1990)));
        let id = NationalId::parse("079305012345").unwrap();
        assert_eq!(id.encoded_gender_and_year(), Some((Gender::Female, 2005)));
        let id = NationalId::parse("079999012345").unwrap();
        assert_eq!(id.encoded_gender_and_year(), Some((Gender::Female, 1899)));
    }

    #[test]
    fn repads_spreadsheet_numbers() {
        assert_eq!(NationalId::parse_from_spreadsheet("31190012345").unwrap().as_str(), "031190012345");
        assert_eq!(NationalId::parse_from_spreadsheet("1190012345").unwrap().as_str(), "001190012345");
        assert_eq!(NationalId::parse_from_spreadsheet("23456789").unwrap().as_str(), "023456789");
    }

    #[test]
    fn masks_for_logs() {
        assert_eq!(NationalId::parse("031190012345").unwrap().masked(), "*********345");
    }
}
