//! A returned row's cells as typed values. Spreadsheets are what people made of them: IDs that
//! Excel turned into numbers (leading zeros lost, or written 3.1190012345E+11), dates as Excel
//! serial numbers or as text `dd/mm/yyyy`, `d/m/yy` or a year, names in NFD with trailing spaces.

use super::Refusal;
use crate::domain::{BirthDate, FieldError, Gender, NationalId, PersonName};
use chrono::{Datelike, NaiveDate};

/// A cell as the spreadsheet holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// A cell formatted as a date: the serial number (days since 1899-12-30).
    Date(f64),
}

impl Cell {
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text: a whole number without a decimal point.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.trim().to_string(),
            Cell::Number(n) | Cell::Date(n) => whole(*n).map_or_else(|| n.to_string(), |w| w.to_string()),
        }
    }
}

/// `n` as a whole number, when it is one that an ID could have been.
fn whole(n: f64) -> Option<u64> {
    (n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n < 1e13).then_some(n as u64)
}

/// What the police wrote on one row; `None` where they wrote nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PoliceValues {
    pub national_id: Option<NationalId>,
    pub full_name: Option<PersonName>,
    pub birth_date: Option<BirthDate>,
    pub gender: Option<Gender>,
    pub note: Option<String>,
}

impl PoliceValues {
    pub fn is_empty(&self) -> bool {
        self.national_id.is_none() && self.full_name.is_none() && self.birth_date.is_none() && self.gender.is_none()
    }
}

/// The police's cells of one row, in the order of `sheet::POLICE_COLUMNS`.
pub struct PoliceCells<'a> {
    pub national_id: &'a Cell,
    pub full_name: &'a Cell,
    pub birth_date: &'a Cell,
    pub gender: &'a Cell,
    pub note: &'a Cell,
}

pub fn parse(cells: PoliceCells<'_>, today: NaiveDate) -> Result<PoliceValues, Refusal> {
    let national_id = match cells.national_id {
        c if c.is_blank() => None,
        c => Some(national_id(c).map_err(Refusal::Id)?),
    };
    let full_name = match cells.full_name {
        c if c.is_blank() => None,
        c => Some(PersonName::parse(&c.text()).map_err(Refusal::Name)?),
    };
    let birth_date = match cells.birth_date {
        c if c.is_blank() => None,
        c => Some(birth_date(c, today).map_err(Refusal::BirthDate)?),
    };
    let gender = match cells.gender {
        c if c.is_blank() => None,
        c => Some(Gender::parse(&c.text()).map_err(Refusal::Gender)?),
    };
    let note = Some(cells.note.text()).filter(|n| !n.is_empty()).map(|n| n.chars().take(500).collect());
    Ok(PoliceValues { national_id, full_name, birth_date, gender, note })
}

/// An ID number as a spreadsheet kept it: text, a number that lost its leading zeros, or a
/// number Excel wrote in scientific notation.
pub fn national_id(cell: &Cell) -> Result<NationalId, FieldError> {
    let text = match cell {
        Cell::Number(n) | Cell::Date(n) => whole(*n).ok_or(FieldError::IdNotDigits)?.to_string(),
        Cell::Text(t) => {
            let t = t.trim();
            match t.contains(['E', 'e']).then(|| t.parse::<f64>().ok()).flatten() {
                Some(n) => whole(n).ok_or(FieldError::IdNotDigits)?.to_string(),
                None => t.to_string(),
            }
        }
        Cell::Empty => String::new(),
    };
    NationalId::parse_from_spreadsheet(&text)
}

/// A birth date as a spreadsheet kept it: an Excel date (serial number), a year typed as a
/// number, or text in the forms the portal reads plus `d/m/yy`.
pub fn birth_date(cell: &Cell, today: NaiveDate) -> Result<BirthDate, FieldError> {
    let text = match cell {
        Cell::Number(n) if whole(*n).is_some_and(|y| (1000..=9999).contains(&y)) => n.to_string(),
        Cell::Number(n) | Cell::Date(n) => {
            let day = whole(*n).ok_or(FieldError::DateFormat)?;
            let date = NaiveDate::from_ymd_opt(1899, 12, 30)
                .and_then(|epoch| epoch.checked_add_days(chrono::Days::new(day)))
                .ok_or(FieldError::DateFormat)?;
            date.format("%d/%m/%Y").to_string()
        }
        Cell::Text(t) => two_digit_year(t.trim(), today),
        Cell::Empty => String::new(),
    };
    BirthDate::parse(&text, today)
}

/// `d/m/yy` with the century a person living today has: 05 is 2005 (not in the future), 56 is
/// 1956. Anything else is returned as it was.
fn two_digit_year(text: &str, today: NaiveDate) -> String {
    let parts: Vec<&str> = text.split(['/', '-', '.']).collect();
    match parts.as_slice() {
        [d, m, y] if y.len() == 2 && d.len() <= 2 && m.len() <= 2 && y.chars().all(|c| c.is_ascii_digit()) => {
            let yy: i32 = y.parse().unwrap_or(0);
            let century = if 2000 + yy > today.year() { 1900 } else { 2000 };
            format!("{d}/{m}/{}", century + yy)
        }
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    #[test]
    fn reads_ids_that_excel_made_numbers() {
        let id = |c: Cell| national_id(&c).map(|i| i.as_str().to_string());
        assert_eq!(id(Cell::Number(31190012345.0)), Ok("031190012345".into()));
        assert_eq!(id(Cell::Text("3.1190012345E+10".into())), Ok("031190012345".into()));
        assert_eq!(id(Cell::Text(" 031 190 012 345 ".into())), Ok("031190012345".into()));
        assert_eq!(id(Cell::Text("０３１１９００１２３４５".into())), Ok("031190012345".into()));
        assert_eq!(id(Cell::Number(3.5)), Err(FieldError::IdNotDigits));
        assert_eq!(id(Cell::Text("03119001234X".into())), Err(FieldError::IdNotDigits));
        assert_eq!(id(Cell::Text("999190012345".into())), Err(FieldError::IdProvince));
    }

    #[test]
    fn reads_dates_as_serials_text_and_years() {
        let date = |c: Cell| birth_date(&c, today()).map(|d| d.stored());
        // 1956-11-23 is serial 20782 in Excel's 1900 date system.
        assert_eq!(date(Cell::Date(20782.0)), Ok("1956-11-23".into()));
        assert_eq!(date(Cell::Number(20782.0)), Ok("1956-11-23".into()));
        assert_eq!(date(Cell::Number(1956.0)), Ok("1956".into()));
        assert_eq!(date(Cell::Text("23/11/1956".into())), Ok("1956-11-23".into()));
        assert_eq!(date(Cell::Text("3/7/56".into())), Ok("1956-07-03".into()));
        assert_eq!(date(Cell::Text("3/7/05".into())), Ok("2005-07-03".into()));
        assert_eq!(date(Cell::Text("1956".into())), Ok("1956".into()));
        assert_eq!(date(Cell::Text("31/02/1990".into())), Err(FieldError::DateFormat));
        assert_eq!(date(Cell::Text("1/1/2030".into())), Err(FieldError::DateInFuture));
    }

    #[test]
    fn a_row_with_nothing_from_the_police_is_empty_and_a_bad_cell_names_its_column() {
        let empty = Cell::Empty;
        let blank = Cell::Text("   ".into());
        let cells = PoliceCells { national_id: &blank, full_name: &empty, birth_date: &empty, gender: &empty, note: &empty };
        assert!(parse(cells, today()).unwrap().is_empty());
        let name = Cell::Text("Nguye\u{0302}\u{0303}n Thi\u{0323} Lan  ".into());
        let gender = Cell::Text("Nữ".into());
        let cells = PoliceCells { national_id: &empty, full_name: &name, birth_date: &empty, gender: &gender, note: &empty };
        let values = parse(cells, today()).unwrap();
        assert_eq!(values.full_name.unwrap().as_str(), "Nguyễn Thị Lan");
        assert_eq!(values.gender, Some(Gender::Female));
        let bad = Cell::Text("X".into());
        let cells = PoliceCells { national_id: &empty, full_name: &empty, birth_date: &empty, gender: &bad, note: &empty };
        assert_eq!(parse(cells, today()), Err(Refusal::Gender(FieldError::GenderUnknown)));
    }
}
