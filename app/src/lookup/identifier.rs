use crate::domain::{FieldError, NationalId, Phone, digits_only_len};

/// What a citizen types to find their record: an ID number (CCCD, CMND, personal ID code)
/// or the phone number on file. The length tells them apart: 9 or 12 digits for an ID,
/// 10 (or 11 for a landline, or +84...) for a phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identifier {
    Id(NationalId),
    Phone(Phone),
}

impl Identifier {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        if input.trim().is_empty() {
            return Err(FieldError::Required);
        }
        let looks_international = input.trim_start().starts_with('+');
        match digits_only_len(input) {
            Some(9 | 12) if !looks_international => NationalId::parse(input).map(Identifier::Id),
            Some(_) => Phone::parse(input).map(Identifier::Phone).map_err(|_| FieldError::IdOrPhone),
            None => Err(FieldError::IdOrPhone),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_ids_from_phones() {
        assert!(matches!(Identifier::parse("031190012345"), Ok(Identifier::Id(_))));
        assert!(matches!(Identifier::parse("123456789"), Ok(Identifier::Id(_))));
        assert!(matches!(Identifier::parse("0912 345 678"), Ok(Identifier::Phone(_))));
        assert!(matches!(Identifier::parse("+84912345678"), Ok(Identifier::Phone(_))));
    }

    #[test]
    fn explains_what_is_expected() {
        assert_eq!(Identifier::parse("12345"), Err(FieldError::IdOrPhone));
        assert_eq!(Identifier::parse("abc"), Err(FieldError::IdOrPhone));
        assert_eq!(Identifier::parse(""), Err(FieldError::Required));
        assert_eq!(Identifier::parse("999190012345"), Err(FieldError::IdProvince));
    }
}
