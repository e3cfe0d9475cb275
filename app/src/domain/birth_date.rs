use super::{FieldError, strip_invisible};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A date of birth: a full date, or only the year, as on many old records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BirthDate {
    Full(NaiveDate),
    YearOnly(i32),
}

impl BirthDate {
    /// Accepts dd/mm/yyyy (also with - or .), yyyy-mm-dd, and a bare year.
    /// `today` bounds the date: no birth in the future, none more than 130 years ago.
    pub fn parse(input: &str, today: NaiveDate) -> Result<Self, FieldError> {
        let s = strip_invisible(input).trim().to_string();
        if s.is_empty() {
            return Err(FieldError::Required);
        }
        let value = if s.len() == 4 && s.chars().all(|c| c.is_ascii_digit()) {
            BirthDate::YearOnly(s.parse().map_err(|_| FieldError::DateFormat)?)
        } else {
            BirthDate::Full(parse_full(&s).ok_or(FieldError::DateFormat)?)
        };
        if value.year() > today.year() || matches!(value, BirthDate::Full(d) if d > today) {
            return Err(FieldError::DateInFuture);
        }
        if value.year() < today.year() - 130 {
            return Err(FieldError::DateTooOld);
        }
        Ok(value)
    }

    /// Reads the stored form ("YYYY-MM-DD" or "YYYY").
    pub fn from_stored(s: &str) -> Option<Self> {
        if s.len() == 4 {
            s.parse().ok().map(BirthDate::YearOnly)
        } else {
            NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().map(BirthDate::Full)
        }
    }

    pub fn stored(&self) -> String {
        match self {
            BirthDate::Full(d) => d.format("%Y-%m-%d").to_string(),
            BirthDate::YearOnly(y) => format!("{y:04}"),
        }
    }

    /// As shown to a Vietnamese reader: dd/mm/yyyy or the year.
    pub fn display(&self) -> String {
        match self {
            BirthDate::Full(d) => d.format("%d/%m/%Y").to_string(),
            BirthDate::YearOnly(y) => y.to_string(),
        }
    }

    pub fn year(&self) -> i32 {
        match self {
            BirthDate::Full(d) => d.year(),
            BirthDate::YearOnly(y) => *y,
        }
    }

    /// Whether what a citizen typed proves they know this recorded date: a full recorded date
    /// needs the same full date; only a record that itself holds a year accepts a year (the
    /// year alone is printed in every CCCD number, so it proves nothing).
    pub fn admits(&self, typed: &BirthDate) -> bool {
        match (self, typed) {
            (BirthDate::Full(recorded), BirthDate::Full(typed)) => recorded == typed,
            (BirthDate::Full(_), BirthDate::YearOnly(_)) => false,
            (BirthDate::YearOnly(y), _) => *y == typed.year(),
        }
    }
}

pub(crate) fn parse_full(s: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = s.split(['/', '-', '.']).map(str::trim).collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit())) {
        return None;
    }
    let (d, m, y) = if parts[0].len() == 4 {
        (parts[2], parts[1], parts[0])
    } else if parts[2].len() == 4 {
        (parts[0], parts[1], parts[2])
    } else {
        return None;
    };
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    #[test]
    fn reads_vietnamese_and_iso_dates() {
        let expected = BirthDate::Full(NaiveDate::from_ymd_opt(1990, 3, 7).unwrap());
        for input in ["07/03/1990", "7/3/1990", "07-03-1990", "07.03.1990", "1990-03-07", " 07/03/1990\u{200B}"] {
            assert_eq!(BirthDate::parse(input, today()), Ok(expected), "{input}");
        }
    }

    #[test]
    fn reads_year_only() {
        assert_eq!(BirthDate::parse("1956", today()), Ok(BirthDate::YearOnly(1956)));
    }

    #[test]
    fn refuses_impossible_and_future_dates() {
        assert_eq!(BirthDate::parse("31/02/1990", today()), Err(FieldError::DateFormat));
        assert_eq!(BirthDate::parse("07/03/90", today()), Err(FieldError::DateFormat));
        assert_eq!(BirthDate::parse("01/01/2030", today()), Err(FieldError::DateInFuture));
        assert_eq!(BirthDate::parse("2027", today()), Err(FieldError::DateInFuture));
        assert_eq!(BirthDate::parse("1850", today()), Err(FieldError::DateTooOld));
        assert_eq!(BirthDate::parse("", today()), Err(FieldError::Required));
    }

    #[test]
    fn year_only_record_agrees_with_a_full_date_of_that_year() {
        let full = BirthDate::parse("07/03/1956", today()).unwrap();
        assert!(BirthDate::YearOnly(1956).admits(&full));
        assert!(!BirthDate::YearOnly(1957).admits(&full));
        assert!(!full.admits(&BirthDate::parse("08/03/1956", today()).unwrap()));
    }

    #[test]
    fn a_year_opens_only_a_record_that_holds_only_a_year() {
        let full = BirthDate::parse("07/03/1990", today()).unwrap();
        assert!(!full.admits(&BirthDate::YearOnly(1990)));
        assert!(full.admits(&full));
        assert!(!full.admits(&BirthDate::parse("08/03/1990", today()).unwrap()));
        assert!(BirthDate::YearOnly(1956).admits(&BirthDate::YearOnly(1956)));
        assert!(BirthDate::YearOnly(1956).admits(&BirthDate::parse("01/06/1956", today()).unwrap()));
        assert!(!BirthDate::YearOnly(1956).admits(&BirthDate::YearOnly(1957)));
    }

    #[test]
    fn round_trips_the_stored_form() {
        for s in ["1990-03-07", "1956"] {
            assert_eq!(BirthDate::from_stored(s).unwrap().stored(), s);
        }
    }
}
