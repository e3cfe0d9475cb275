use super::FieldError;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        match super::fold(input).as_str() {
            "" => Err(FieldError::Required),
            "nam" | "m" | "male" => Ok(Gender::Male),
            "nu" | "f" | "female" => Ok(Gender::Female),
            _ => Err(FieldError::GenderUnknown),
        }
    }

    /// The value stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Gender::Male => "M",
            Gender::Female => "F",
        }
    }

    /// As written on Vietnamese records ("Nam", "Nữ"), or in English.
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        match self {
            Gender::Male => crate::i18n::tr(lang, "Nam", "Male"),
            Gender::Female => crate::i18n::tr(lang, "Nữ", "Female"),
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "M" => Some(Gender::Male),
            "F" => Some(Gender::Female),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_vietnamese_with_or_without_marks() {
        assert_eq!(Gender::parse("Nữ"), Ok(Gender::Female));
        assert_eq!(Gender::parse("nu"), Ok(Gender::Female));
        assert_eq!(Gender::parse(" NAM "), Ok(Gender::Male));
        assert_eq!(Gender::parse("khác"), Err(FieldError::GenderUnknown));
    }
}
