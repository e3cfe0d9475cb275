use super::FieldError;

/// A staff password that passes the portal's policy: 12 to 128 characters, typed the same
/// twice, not one of the passwords every guessing list starts with (ASVS 6.2).
#[derive(Clone)]
pub struct NewPassword(String);

const MIN_PASSWORD_CHARS: usize = 12;
const MAX_PASSWORD_CHARS: usize = 128;

/// Words that, with digits or symbols around them, make the most guessed passwords, in
/// English and Vietnamese, and this portal's own names.
const COMMON_WORDS: &[&str] = &[
    "password",
    "passw0rd",
    "matkhau",
    "matkhaumoi",
    "admin",
    "administrator",
    "qwerty",
    "qwertyuiop",
    "asdfgh",
    "zxcvbn",
    "abc",
    "abcd",
    "abcdef",
    "iloveyou",
    "anhyeuem",
    "emyeuanh",
    "welcome",
    "letmein",
    "vietnam",
    "hanoi",
    "saigon",
    "hochiminh",
    "tiemchung",
    "tiemchungdemo",
    "covid",
    "vaccine",
    "vacxin",
    "yte",
    "tramyte",
    "giamsat",
    "quantri",
    "coso",
    "nhanvien",
    "football",
    "dragon",
    "monkey",
    "sunshine",
    "princess",
    "master",
    "superman",
    "trustno",
    "changeme",
    "secret",
    "default",
    "login",
    "user",
    "test",
    "demo",
];

impl NewPassword {
    pub fn parse(password: &str, confirm: &str) -> Result<Self, (&'static str, FieldError)> {
        let count = password.chars().count();
        if count < MIN_PASSWORD_CHARS {
            return Err(("password", FieldError::PasswordTooShort));
        }
        if count > MAX_PASSWORD_CHARS {
            return Err(("password", FieldError::PasswordTooLong));
        }
        if is_common(password) {
            return Err(("password", FieldError::PasswordCommon));
        }
        if password != confirm {
            return Err(("confirm", FieldError::PasswordsDiffer));
        }
        Ok(NewPassword(password.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One character repeated, a run of the keyboard or of digits, or a common word with only
/// digits and symbols added.
fn is_common(password: &str) -> bool {
    let lower = password.to_lowercase();
    let letters: String = lower.chars().filter(|c| c.is_alphabetic()).collect();
    let mut chars = lower.chars();
    let first = chars.next();
    if first.is_some() && lower.chars().all(|c| Some(c) == first) {
        return true;
    }
    let digits_only = lower.chars().all(|c| c.is_ascii_digit());
    // Runs up or down the digits, wrapping round (…7890123…), as long as a password may be.
    let up = "0123456789".repeat(14);
    let down = "9876543210".repeat(14);
    if digits_only && (up.contains(&lower) || down.contains(&lower)) {
        return true;
    }
    COMMON_WORDS.iter().any(|w| letters == *w || letters == format!("{w}{w}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_passwords_are_refused_whatever_digits_are_added() {
        for weak in [
            "password1234",
            "Matkhau@2021",
            "123456789012",
            "aaaaaaaaaaaa",
            "tiemchung-demo-2021",
            "Qwertyuiop12",
            "anhyeuem1990!",
            "0987654321098",
        ] {
            assert_eq!(NewPassword::parse(weak, weak).err(), Some(("password", FieldError::PasswordCommon)), "{weak}");
        }
        assert_eq!(NewPassword::parse("ngan", "ngan").err(), Some(("password", FieldError::PasswordTooShort)));
        assert_eq!(NewPassword::parse("mat-khau-du-dai-2026", "khac").err(), Some(("confirm", FieldError::PasswordsDiffer)));
        assert!(NewPassword::parse("mat-khau-du-dai-2026", "mat-khau-du-dai-2026").is_ok());
        assert!(NewPassword::parse("Trạm y tế Quán Toan 2026", "Trạm y tế Quán Toan 2026").is_ok());
    }
}
