//! The registry people a record might be, for the station's record page: the matcher's blocks
//! read from the database (folded name with the birth year or day and month, birth date, phone,
//! IDs one edit away), scored and decided by `matching` exactly as the bulk command does.
//! Staff only: a citizen never sees a registry value they did not type.

use super::matching::{Decision, Prepared, Score, Subject, decide, score, subscriber_number};
use crate::domain::{BirthDate, Gender};
use crate::platform::AppError;
use sqlx::AnyConnection;

/// At most this many candidates are shown.
const SHOWN: usize = 5;
/// Rows read per block: a block this large says little (the matcher skips such blocks too).
const BLOCK_ROWS: i64 = 500;

/// A registry person the record might be, with the score and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub national_id: String,
    pub full_name: String,
    pub birth_date: BirthDate,
    pub gender: Gender,
    pub score: Score,
    pub decision: Option<Decision>,
}

#[derive(sqlx::FromRow)]
struct RecordRow {
    national_id: Option<String>,
    full_name: String,
    birth_date: String,
    gender: String,
    residence_unit: String,
    phone: Option<String>,
}

#[derive(sqlx::FromRow, Clone)]
struct RegistryRow {
    national_id: String,
    full_name: String,
    birth_date: String,
    gender: String,
    commune: Option<String>,
    phone: Option<String>,
    name_key: Option<String>,
}

const COLUMNS: &str = "national_id, full_name, birth_date, gender, commune, phone, name_key";

/// The candidates for record `person_id`, best first.
pub async fn candidates(conn: &mut AnyConnection, person_id: i64) -> Result<Vec<Candidate>, AppError> {
    let rec: RecordRow =
        sqlx::query_as("SELECT national_id, full_name, birth_date, gender, residence_unit, phone FROM people WHERE id = $1")
            .bind(person_id)
            .fetch_one(&mut *conn)
            .await?;
    let birth = BirthDate::from_stored(&rec.birth_date);
    let prepared = Prepared::new(&Subject {
        national_id: rec.national_id.as_deref(),
        full_name: &rec.full_name,
        birth,
        gender: Gender::from_code(&rec.gender),
        commune: Some(&rec.residence_unit),
        phone: rec.phone.as_deref(),
    });
    let mut rows: Vec<RegistryRow> = Vec::new();
    let key = crate::domain::name_key(&rec.full_name);
    let (year, day_month) = match birth {
        Some(BirthDate::Full(d)) => (d.format("%Y").to_string(), Some(d.format("-%m-%d").to_string())),
        Some(BirthDate::YearOnly(y)) => (format!("{y:04}"), None),
        None => (String::new(), None),
    };
    // Folded name with the birth year, or with day and month (a year typed wrong).
    rows.extend(
        sqlx::query_as::<_, RegistryRow>(&format!(
            "SELECT {COLUMNS} FROM registry_people WHERE name_key = $1 AND (birth_date LIKE $2 || '%' OR birth_date LIKE '%' || $3)
             LIMIT {BLOCK_ROWS}"
        ))
        .bind(&key)
        .bind(&year)
        .bind(day_month.as_deref().unwrap_or("#"))
        .fetch_all(&mut *conn)
        .await?,
    );
    // The full birth date (with gender and commune, or with the given name, in the scoring).
    if matches!(birth, Some(BirthDate::Full(_))) {
        rows.extend(
            sqlx::query_as::<_, RegistryRow>(&format!("SELECT {COLUMNS} FROM registry_people WHERE birth_date = $1 LIMIT {BLOCK_ROWS}"))
                .bind(&rec.birth_date)
                .fetch_all(&mut *conn)
                .await?,
        );
    }
    // The phone, as typed in any of its usual forms.
    if let Some(subscriber) = rec.phone.as_deref().and_then(subscriber_number) {
        rows.extend(
            sqlx::query_as::<_, RegistryRow>(&format!(
                "SELECT {COLUMNS} FROM registry_people WHERE phone IN ($1, $2, $3) LIMIT {BLOCK_ROWS}"
            ))
            .bind(format!("0{subscriber}"))
            .bind(format!("+84{subscriber}"))
            .bind(format!("84{subscriber}"))
            .fetch_all(&mut *conn)
            .await?,
        );
    }
    // The ID and the IDs one edit away.
    let ids = prepared.id_and_neighbours();
    for chunk in ids.chunks(400) {
        let marks = crate::platform::db::marks(chunk.len());
        let sql = format!("SELECT {COLUMNS} FROM registry_people WHERE national_id IN ({marks})");
        let mut q = sqlx::query_as::<_, RegistryRow>(&sql);
        for id in chunk {
            q = q.bind(id);
        }
        rows.extend(q.fetch_all(&mut *conn).await?);
    }
    rows.sort_by(|a, b| a.national_id.cmp(&b.national_id));
    rows.dedup_by(|a, b| a.national_id == b.national_id);
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let registry_size: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM registry_people").fetch_one(&mut *conn).await?;
    for row in rows.iter_mut().filter(|r| r.name_key.is_none()) {
        row.name_key = Some(crate::domain::name_key(&row.full_name));
    }
    // How common each candidate's name is, in one query per 400 names.
    let mut keys: Vec<&str> = rows.iter().filter_map(|r| r.name_key.as_deref()).collect();
    keys.sort_unstable();
    keys.dedup();
    let mut same_name: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
    for chunk in keys.chunks(400) {
        let marks = crate::platform::db::marks(chunk.len());
        let sql = format!("SELECT name_key, COUNT(*) FROM registry_people WHERE name_key IN ({marks}) GROUP BY name_key");
        let mut q = sqlx::query_as::<_, (String, i64)>(&sql);
        for key in chunk {
            q = q.bind(*key);
        }
        same_name.extend(q.fetch_all(&mut *conn).await?);
    }
    let mut scored = Vec::with_capacity(rows.len());
    for row in rows {
        let (Some(birth_date), Some(gender)) = (BirthDate::from_stored(&row.birth_date), Gender::from_code(&row.gender)) else {
            continue;
        };
        let cand = Prepared::new(&Subject {
            national_id: Some(&row.national_id),
            full_name: &row.full_name,
            birth: Some(birth_date),
            gender: Some(gender),
            commune: row.commune.as_deref(),
            phone: row.phone.as_deref(),
        });
        let carriers = row.name_key.as_ref().and_then(|k| same_name.get(k)).copied().unwrap_or(1);
        let share = carriers.max(1) as f32 / registry_size.max(1) as f32;
        let s = score(&prepared, &cand, share);
        if s.personal() > 0.0 {
            scored.push((row, birth_date, gender, s));
        }
    }
    scored.sort_by(|a, b| b.3.total.total_cmp(&a.3.total));
    let runner_up = scored.get(1).map(|c| c.3.total);
    Ok(scored
        .into_iter()
        .take(SHOWN)
        .enumerate()
        .filter_map(|(i, (row, birth_date, gender, s))| {
            let decision =
                if i == 0 { decide(&s, runner_up, registry_size as u64) } else { decide(&s, Some(f32::INFINITY), registry_size as u64) };
            decision.map(|decision| Candidate {
                national_id: row.national_id,
                full_name: row.full_name,
                birth_date,
                gender,
                score: s,
                decision: Some(decision),
            })
        })
        .collect())
}
