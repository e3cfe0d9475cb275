//! `server load-registry --file G.csv`: loads an extract of the National Population Database
//! into the registry stand-in the way a real extract arrives. UTF-8 CSV with a header row:
//! `id,national_id,full_name,birth_date,gender,commune[,phone]` (birth_date `YYYY-MM-DD` or
//! `YYYY`, gender `M`/`F`; `id` is the extract's own row id and is not kept). Streaming, one
//! transaction: a malformed line refuses the whole file with its line number and nothing
//! changes. Upsert by ID number, so loading the same file twice changes nothing the second
//! time; a changed entry marks the records that carry its number pending, and they are graded
//! again before the command ends.

use crate::extract_csv::Columns;
use app::domain::{BirthDate, Gender, NationalId, PersonName};
use app::platform::Db;

/// What one load did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct LoadReport {
    pub lines: u64,
    /// New entries and entries whose values changed.
    pub changed: u64,
    pub unchanged: u64,
    /// Records graded again because their registry entry changed.
    pub regraded: u64,
}

/// One line of the extract, parsed.
struct Entry {
    national_id: String,
    full_name: String,
    birth_date: String,
    gender: &'static str,
    commune: Option<String>,
    phone: Option<String>,
}

fn parse_line(record: &csv::StringRecord, columns: &Columns) -> Result<Entry, String> {
    let get = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("").trim();
    let national_id = NationalId::parse(get(Some(columns.national_id))).map_err(|_| "national_id is not a CCCD/CMND number".to_string())?;
    let full_name = PersonName::parse(get(Some(columns.full_name))).map_err(|_| "full_name is not a name".to_string())?;
    let birth_date = BirthDate::from_stored(get(Some(columns.birth_date))).ok_or("birth_date is not YYYY-MM-DD or YYYY")?;
    let gender = Gender::from_code(get(Some(columns.gender))).ok_or("gender is not M or F")?;
    let text = |i: Option<usize>| Some(get(i).to_string()).filter(|s| !s.is_empty());
    Ok(Entry {
        national_id: national_id.as_str().to_string(),
        full_name: full_name.as_str().to_string(),
        birth_date: birth_date.stored(),
        gender: gender.code(),
        commune: text(columns.commune),
        phone: text(columns.phone),
    })
}

/// Loads `reader` (the CSV) into the registry; `progress` hears every 100,000 lines.
pub async fn load(db: &Db, reader: impl std::io::Read, now: i64, mut progress: impl FnMut(u64)) -> Result<LoadReport, String> {
    let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let header = csv.headers().map_err(|e| format!("line 1: {e}"))?.clone();
    let columns = Columns::from_header(&header)?;
    let mut report = LoadReport::default();
    let mut tx = db.begin().await.map_err(|e| e.to_string())?;
    for (i, record) in csv.records().enumerate() {
        let line = i as u64 + 2;
        let record = record.map_err(|e| format!("line {line}: {e}"))?;
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let entry = parse_line(&record, &columns).map_err(|e| format!("line {line}: {e}"))?;
        let written = sqlx::query(
            "INSERT INTO registry_people (national_id, full_name, birth_date, gender, commune, phone, name_key) VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (national_id) DO UPDATE SET full_name = excluded.full_name, birth_date = excluded.birth_date,
                 gender = excluded.gender, commune = excluded.commune, phone = excluded.phone, name_key = excluded.name_key
             WHERE registry_people.full_name <> excluded.full_name OR registry_people.birth_date <> excluded.birth_date
                OR registry_people.gender <> excluded.gender
                OR COALESCE(registry_people.commune, '') <> COALESCE(excluded.commune, '')
                OR COALESCE(registry_people.phone, '') <> COALESCE(excluded.phone, '')",
        )
        .bind(&entry.national_id)
        .bind(&entry.full_name)
        .bind(&entry.birth_date)
        .bind(entry.gender)
        .bind(&entry.commune)
        .bind(&entry.phone)
        .bind(app::domain::name_key(&entry.full_name))
        .execute(&mut *tx)
        .await
        .map_err(|e| format!("line {line}: {e}"))?
        .rows_affected();
        report.lines += 1;
        if written > 0 {
            report.changed += 1;
        } else {
            report.unchanged += 1;
        }
        if report.lines % 100_000 == 0 {
            progress(report.lines);
        }
    }
    tx.commit().await.map_err(|e| e.to_string())?;
    report.regraded = app::verification::service::verify_pending(db, now).await.map_err(|e| e.to_string())?;
    Ok(report)
}
