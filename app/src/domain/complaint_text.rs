use super::{FieldError, strip_invisible};
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// What a citizen writes about their problem: NFC, no control characters but line breaks,
/// at least a few words, at most 2,000 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintText(String);

pub const COMPLAINT_TEXT_MAX: usize = 2000;

impl ComplaintText {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let text: String = strip_invisible(input).replace("\r\n", "\n").chars().filter(|c| !c.is_control() || *c == '\n').nfc().collect();
        let text = text.trim().to_string();
        if text.is_empty() {
            return Err(FieldError::Required);
        }
        let n = text.chars().count();
        if n < 5 {
            return Err(FieldError::TextTooShort);
        }
        if n > COMPLAINT_TEXT_MAX {
            return Err(FieldError::TextTooLong);
        }
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_line_breaks_and_drops_control_characters() {
        let t = ComplaintText::parse("  Ngày sinh\r\nbị sai\u{0007} ").unwrap();
        assert_eq!(t.as_str(), "Ngày sinh\nbị sai");
    }

    #[test]
    fn refuses_empty_short_and_long_text() {
        assert_eq!(ComplaintText::parse(" \u{200B} "), Err(FieldError::Required));
        assert_eq!(ComplaintText::parse("sai"), Err(FieldError::TextTooShort));
        assert_eq!(ComplaintText::parse(&"a".repeat(2001)), Err(FieldError::TextTooLong));
    }
}
