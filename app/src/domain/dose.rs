use super::{FieldError, strip_invisible};
use chrono::NaiveDate;

/// The day a COVID-19 dose was given: a full date between the first dose given in Vietnam
/// (8 March 2021) and today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DoseDate(NaiveDate);

impl DoseDate {
    pub fn first_possible() -> NaiveDate {
        NaiveDate::from_ymd_opt(2021, 3, 8).expect("valid date")
    }

    pub fn parse(input: &str, today: NaiveDate) -> Result<Self, FieldError> {
        let s = strip_invisible(input).trim().to_string();
        if s.is_empty() {
            return Err(FieldError::Required);
        }
        let date = super::birth_date::parse_full(&s).ok_or(FieldError::DoseDateFormat)?;
        if date < Self::first_possible() || date > today {
            return Err(FieldError::DoseDateRange);
        }
        Ok(DoseDate(date))
    }

    pub fn from_stored(s: &str) -> Option<Self> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().map(DoseDate)
    }

    pub fn stored(&self) -> String {
        self.0.format("%Y-%m-%d").to_string()
    }

    pub fn display(&self) -> String {
        self.0.format("%d/%m/%Y").to_string()
    }
}

/// A vaccine lot number as printed on the vial and the card: letters, digits and dashes,
/// kept in capitals so "a1234" and "A1234" are one lot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LotNumber(String);

impl LotNumber {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s: String = strip_invisible(input).trim().to_uppercase();
        if s.is_empty() {
            return Err(FieldError::Required);
        }
        if s.chars().count() > 20 || !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '/') {
            return Err(FieldError::LotFormat);
        }
        Ok(LotNumber(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    #[test]
    fn dose_dates_fall_in_the_campaign() {
        assert_eq!(DoseDate::parse("12/08/2021", today()).unwrap().stored(), "2021-08-12");
        assert_eq!(DoseDate::parse(" 2021-08-12 ", today()).unwrap().display(), "12/08/2021");
        assert_eq!(DoseDate::parse("07/03/2021", today()), Err(FieldError::DoseDateRange));
        assert_eq!(DoseDate::parse("01/01/2027", today()), Err(FieldError::DoseDateRange));
        assert_eq!(DoseDate::parse("31/02/2021", today()), Err(FieldError::DoseDateFormat));
        assert_eq!(DoseDate::parse("2021", today()), Err(FieldError::DoseDateFormat));
        assert_eq!(DoseDate::parse("", today()), Err(FieldError::Required));
    }

    #[test]
    fn lot_numbers_are_capitalised_and_checked() {
        assert_eq!(LotNumber::parse(" abv1234 ").unwrap().as_str(), "ABV1234");
        assert_eq!(LotNumber::parse("FF2588-1").unwrap().as_str(), "FF2588-1");
        assert_eq!(LotNumber::parse("lô số 5"), Err(FieldError::LotFormat));
        assert_eq!(LotNumber::parse("A".repeat(21).as_str()), Err(FieldError::LotFormat));
    }
}
