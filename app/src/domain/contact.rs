use super::{FieldError, digits_with_separators, strip_invisible};
use serde::{Deserialize, Serialize};

/// A Vietnamese phone number in national form: 0 followed by 9 digits (mobile) or
/// 02x followed by 8 digits (landline).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Phone(String);

impl Phone {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let trimmed = strip_invisible(input).trim().replace(['(', ')'], "");
        if trimmed.is_empty() {
            return Err(FieldError::Required);
        }
        let (international, rest) = match trimmed.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, trimmed.as_str()),
        };
        let digits = digits_with_separators(rest).ok_or(FieldError::PhoneFormat)?;
        let national = if international || (digits.starts_with("84") && digits.len() >= 11) {
            let rest = digits.strip_prefix("84").ok_or(FieldError::PhoneFormat)?;
            format!("0{rest}")
        } else {
            digits
        };
        let b = national.as_bytes();
        let mobile = b.len() == 10 && b[0] == b'0' && matches!(b[1], b'3' | b'5' | b'7' | b'8' | b'9');
        let landline = b.len() == 11 && b[0] == b'0' && b[1] == b'2';
        if mobile || landline { Ok(Self(national)) } else { Err(FieldError::PhoneFormat) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn masked(&self) -> String {
        super::national_id::mask(&self.0)
    }
}

/// An email address, trimmed, with its domain in lower case. Server-side only: no page in the
/// browser parses one, so `validator` stays out of the wasm bundle.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

#[cfg(feature = "ssr")]
impl Email {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = strip_invisible(input).trim().to_string();
        if s.is_empty() {
            return Err(FieldError::Required);
        }
        if s.len() > 254 || !validator::ValidateEmail::validate_email(&s) {
            return Err(FieldError::EmailFormat);
        }
        let (local, domain) = s.rsplit_once('@').ok_or(FieldError::EmailFormat)?;
        if !domain.contains('.') {
            return Err(FieldError::EmailFormat);
        }
        Ok(Self(format!("{local}@{}", domain.to_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// "n***@example.com", for logs and for telling a citizen where the code went.
    pub fn masked(&self) -> String {
        let (local, domain) = self.0.rsplit_once('@').unwrap_or((&self.0, ""));
        let first: String = local.chars().take(1).collect();
        format!("{first}***@{domain}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_phone_forms() {
        for input in ["0912345678", "0912 345 678", "0912.345.678", "+84 912 345 678", "84912345678", "(+84)912345678"] {
            assert_eq!(Phone::parse(input).unwrap().as_str(), "0912345678", "{input}");
        }
        assert_eq!(Phone::parse("02253123456").unwrap().as_str(), "02253123456");
    }

    #[test]
    fn refuses_bad_phones() {
        assert_eq!(Phone::parse("091234567"), Err(FieldError::PhoneFormat));
        assert_eq!(Phone::parse("0112345678"), Err(FieldError::PhoneFormat));
        assert_eq!(Phone::parse("09123456789"), Err(FieldError::PhoneFormat));
        assert_eq!(Phone::parse("0912abc678"), Err(FieldError::PhoneFormat));
        assert_eq!(Phone::parse(""), Err(FieldError::Required));
    }

    #[test]
    #[cfg(feature = "ssr")]
    fn reads_emails() {
        assert_eq!(Email::parse(" an.nguyen@Example.VN ").unwrap().as_str(), "an.nguyen@example.vn");
        assert_eq!(Email::parse("an@localhost"), Err(FieldError::EmailFormat));
        assert_eq!(Email::parse("not an email"), Err(FieldError::EmailFormat));
        assert_eq!(Email::parse("an.nguyen@example.vn").unwrap().masked(), "a***@example.vn");
    }

    #[test]
    fn masks_phone_for_logs() {
        assert_eq!(Phone::parse("0912345678").unwrap().masked(), "*******678");
    }
}
