//! Typed values a citizen types into forms. Each `parse` returns a `FieldError` whose
//! message a citizen understands; once you hold the value, it is valid.
//! Shared by the server and the browser (islands), so both give the same answer.

mod birth_date;
mod complaint_text;
mod contact;
mod dose;
mod gender;
mod national_id;
mod password;
mod person_name;

pub use birth_date::BirthDate;
pub use complaint_text::{COMPLAINT_TEXT_MAX, ComplaintText};
#[cfg(feature = "ssr")]
pub use contact::Email;
pub use contact::Phone;
pub use dose::{DoseDate, LotNumber};
pub use gender::Gender;
pub use national_id::{IdKind, NationalId};
pub use password::NewPassword;
pub use person_name::{PersonName, fold, name_key};

use serde::{Deserialize, Serialize};

/// Why a field was refused. The message keys are translated by `i18n::t`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FieldError {
    Required,
    IdNotDigits,
    IdLength,
    IdProvince,
    NameTooLong,
    NameBadChars,
    DateFormat,
    DateInFuture,
    DateTooOld,
    PhoneFormat,
    EmailFormat,
    GenderUnknown,
    IdOrPhone,
    CodeFormat,
    TextTooShort,
    TextTooLong,
    ChooseOne,
    NothingToChange,
    /// A registry candidate that is no longer among the record's candidates.
    NotACandidate,
    FileType,
    FileTooLarge,
    /// A PDF that runs code or carries other files.
    PdfActive,
    TooManyFiles,
    DoseDateFormat,
    DoseDateRange,
    LotFormat,
    ChooseSite,
    PasswordTooShort,
    PasswordTooLong,
    /// One of the passwords guessing lists start with.
    PasswordCommon,
    /// A code from the authenticator app (or a recovery code) that is not right.
    SecondFactorCode,
    /// The current password, when changing it, is not right.
    WrongPassword,
    PasswordsDiffer,
    /// The citizen has sent as many reports or files as an hour or a day allows.
    TooManySubmissions,
    /// A site passes complaints on within its province only.
    OutsideProvince,
    PeriodDate,
}

/// Removes characters that are invisible but change the value: zero-width spaces and joiners,
/// byte order marks and soft hyphens, which arrive with copy-paste from chat apps.
pub(crate) fn strip_invisible(input: &str) -> String {
    input.chars().filter(|c| !matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}')).collect()
}

/// Digits only, after dropping the separators people type (spaces, dots, dashes).
pub(crate) fn digits_with_separators(input: &str) -> Option<String> {
    let mut out = String::new();
    for c in strip_invisible(input).trim().chars() {
        match c {
            '0'..='9' => out.push(c),
            // Full-width digits come from some phone keyboards.
            '０'..='９' => out.push(char::from(b'0' + (c as u32 - '０' as u32) as u8)),
            ' ' | '.' | '-' | '\u{00A0}' => {}
            _ => return None,
        }
    }
    Some(out)
}

/// How many digits the input holds once separators are dropped; `None` if it holds anything else.
/// Invisible characters that change how text reads (bidi overrides and isolates, zero-width
/// characters, the byte-order mark): "card\u{202E}gpj.hta" shows as "cardath.jpg".
pub fn is_format_char(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}' | '\u{061C}')
}

/// A file name as sent, fit to show: no control or invisible (bidi) characters, at most `max`
/// characters.
pub fn shown_file_name(name: &str, max: usize) -> String {
    name.chars().filter(|c| !c.is_control() && !is_format_char(*c)).take(max).collect()
}

pub fn digits_only_len(input: &str) -> Option<usize> {
    let trimmed = input.trim_start();
    let without_plus = trimmed.strip_prefix('+').unwrap_or(trimmed);
    digits_with_separators(without_plus).map(|d| d.len())
}
