//! Administrative units from both official lists, loaded once into `admin_units`: the 2021
//! list (province, district, commune; valid until 30/6/2025) and the 2025 list (province,
//! commune; valid from 1/7/2025).

use app::platform::Db;
use app::platform::db::values_list;

pub const UNITS_2021_CSV: &str = include_str!("../../migrations/data/vn-admin-units-2021.csv");
const UNITS_2025: &str = include_str!("../../migrations/data/vn-admin-units-2025.csv");

pub struct Unit {
    pub code: String,
    pub level: &'static str,
    pub name: String,
    pub unit_type: String,
    pub parent_code: Option<String>,
    pub valid_from: &'static str,
    pub valid_to: Option<&'static str>,
}

pub fn code_2021_province(code: &str) -> String {
    format!("2021-P-{code}")
}
pub fn code_2021_district(code: &str) -> String {
    format!("2021-D-{code}")
}
pub fn code_2021_commune(code: &str) -> String {
    format!("2021-W-{code}")
}

/// Every unit of both lists, parents before children.
pub fn all_units() -> Vec<Unit> {
    let mut units = Vec::with_capacity(14_500);
    let mut seen = std::collections::HashSet::new();
    let mut push = |units: &mut Vec<Unit>, u: Unit| {
        if seen.insert(u.code.clone()) {
            units.push(u);
        }
    };
    for r in records(UNITS_2021_CSV) {
        // province_code,province_name,district_code,district_name,district_type,ward_code,ward_name,ward_type
        let p = code_2021_province(&r[0]);
        let d = code_2021_district(&r[2]);
        let province_type = if r[1].starts_with("Thành phố") { "thành phố trung ương" } else { "tỉnh" };
        let old = |code: String, level, name: &str, unit_type: &str, parent: Option<String>| Unit {
            code,
            level,
            name: name.to_string(),
            unit_type: unit_type.to_string(),
            parent_code: parent,
            valid_from: "2021-01-01",
            valid_to: Some("2025-06-30"),
        };
        push(&mut units, old(p.clone(), "province", &r[1], province_type, None));
        push(&mut units, old(d.clone(), "district", &r[3], &r[4], Some(p)));
        push(&mut units, old(code_2021_commune(&r[5]), "commune", &r[6], &r[7], Some(d)));
    }
    for r in records(UNITS_2025) {
        // province_code,province_name,province_type,ward_code,ward_name,ward_type
        let p = format!("2025-P-{}", &r[0]);
        let new = |code: String, level, name: &str, unit_type: &str, parent: Option<String>| Unit {
            code,
            level,
            name: name.to_string(),
            unit_type: unit_type.to_string(),
            parent_code: parent,
            valid_from: "2025-07-01",
            valid_to: None,
        };
        push(&mut units, new(p.clone(), "province", &r[1], &r[2], None));
        push(&mut units, new(format!("2025-W-{}", &r[3]), "commune", &r[4], &r[5], Some(p)));
    }
    units
}

fn records(csv_text: &str) -> impl Iterator<Item = csv::StringRecord> + '_ {
    csv::Reader::from_reader(csv_text.as_bytes()).into_records().map(|r| r.expect("bundled CSV is well formed"))
}

pub async fn load_if_empty(db: &Db) -> Result<(), sqlx::Error> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM admin_units").fetch_one(db.read()).await?;
    if count > 0 {
        return Ok(());
    }
    let units = all_units();
    let backend = db.backend;
    let mut tx = db.write().begin().await?;
    for chunk in units.chunks(500) {
        let sql = format!(
            "INSERT INTO admin_units (code, level, name, unit_type, parent_code, valid_from, valid_to) VALUES {}",
            values_list(backend, chunk.len(), 7)
        );
        let mut q = sqlx::query(&sql);
        for u in chunk {
            q = q.bind(&u.code).bind(u.level).bind(&u.name).bind(&u.unit_type).bind(&u.parent_code).bind(u.valid_from).bind(u.valid_to);
        }
        q.execute(&mut *tx).await?;
    }
    tx.commit().await?;
    tracing::info!(units = units.len(), "loaded administrative units");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_lists_load_with_parents_first() {
        let units = all_units();
        let provinces_2021 = units.iter().filter(|u| u.code.starts_with("2021-P-")).count();
        let provinces_2025 = units.iter().filter(|u| u.code.starts_with("2025-P-")).count();
        let communes_2025 = units.iter().filter(|u| u.code.starts_with("2025-W-")).count();
        assert_eq!(provinces_2021, 63);
        assert_eq!(provinces_2025, 34);
        assert_eq!(communes_2025, 3321);
        let mut seen = std::collections::HashSet::new();
        for u in &units {
            if let Some(p) = &u.parent_code {
                assert!(seen.contains(p), "{} before its parent {}", u.code, p);
            }
            seen.insert(u.code.clone());
        }
    }
}
