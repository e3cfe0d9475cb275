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

/// Which 2021 unit lies in which 2025 unit, from the two lists alone: a 2025 commune kept the
/// code of one 2021 commune merged into it (that commune's successor), and provinces merged
/// whole, so a 2021 province's successor is the 2025 province its communes' codes now belong
/// to. `(old_code, new_code)`, sorted.
pub fn successors() -> Vec<(String, String)> {
    use std::collections::{BTreeMap, BTreeSet, HashMap};
    let province_of_2021: HashMap<String, String> = records(UNITS_2021_CSV).map(|r| (r[5].to_string(), r[0].to_string())).collect();
    let mut pairs = BTreeSet::new();
    // 2021 province -> 2025 province -> how many communes' codes say so.
    let mut votes: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for r in records(UNITS_2025) {
        let (province_2025, ward) = (&r[0], &r[3]);
        if let Some(province_2021) = province_of_2021.get(ward) {
            pairs.insert((code_2021_commune(ward), format!("2025-W-{ward}")));
            *votes.entry(province_2021.clone()).or_default().entry(province_2025.to_string()).or_default() += 1;
        }
    }
    for (old, counts) in votes {
        if let Some((new, _)) = counts.into_iter().max_by_key(|(code, n)| (*n, std::cmp::Reverse(code.clone()))) {
            pairs.insert((code_2021_province(&old), format!("2025-P-{new}")));
        }
    }
    pairs.into_iter().collect()
}

fn records(csv_text: &str) -> impl Iterator<Item = csv::StringRecord> + '_ {
    csv::Reader::from_reader(csv_text.as_bytes()).into_records().map(|r| r.expect("bundled CSV is well formed"))
}

/// Loads both lists into `admin_units`, then the 2021 -> 2025 successors, each only once.
pub async fn load_if_empty(db: &Db) -> Result<(), sqlx::Error> {
    load_units_if_empty(db).await?;
    load_successors_if_empty(db).await
}

async fn load_successors_if_empty(db: &Db) -> Result<(), sqlx::Error> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM unit_successors").fetch_one(db.read()).await?;
    if count > 0 {
        return Ok(());
    }
    let pairs = successors();
    let mut tx = db.begin().await?;
    for chunk in pairs.chunks(500) {
        let sql = format!("INSERT INTO unit_successors (old_code, new_code) VALUES {}", values_list(db.backend, chunk.len(), 2));
        let mut q = sqlx::query(&sql);
        for (old, new) in chunk {
            q = q.bind(old).bind(new);
        }
        q.execute(&mut *tx).await?;
    }
    tx.commit().await?;
    tracing::info!(pairs = pairs.len(), "loaded 2021 -> 2025 successors");
    Ok(())
}

/// Loads both lists into `admin_units` if it is empty.
pub async fn load_units_if_empty(db: &Db) -> Result<(), sqlx::Error> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM admin_units").fetch_one(db.read()).await?;
    if count > 0 {
        return Ok(());
    }
    let units = all_units();
    let backend = db.backend;
    let mut tx = db.begin().await?;
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

    #[test]
    fn provinces_merged_in_2025_have_one_successor_each() {
        let pairs = successors();
        let provinces: Vec<_> = pairs.iter().filter(|(old, _)| old.starts_with("2021-P-")).collect();
        assert_eq!(provinces.len(), 63, "every 2021 province has exactly one 2025 province");
        let find = |old: &str| provinces.iter().find(|(o, _)| o == old).map(|(_, n)| n.as_str());
        // Hà Giang joined Tuyên Quang; Hải Dương joined Hải Phòng; Bình Dương and Bà Rịa - Vũng Tàu
        // joined Hồ Chí Minh City; Thanh Hóa stayed as it was.
        assert_eq!(find("2021-P-002"), Some("2025-P-08"));
        assert_eq!(find("2021-P-030"), Some("2025-P-31"));
        assert_eq!(find("2021-P-074"), Some("2025-P-79"));
        assert_eq!(find("2021-P-077"), Some("2025-P-79"));
        assert_eq!(find("2021-P-038"), Some("2025-P-38"));
        let new_provinces: std::collections::BTreeSet<_> = provinces.iter().map(|(_, n)| n).collect();
        assert_eq!(new_provinces.len(), 34);
        // A 2025 commune kept the code of one of its 2021 communes: Trúc Bạch is now in Ba Đình.
        assert!(pairs.contains(&("2021-W-00004".to_string(), "2025-W-00004".to_string())));
        let communes = pairs.iter().filter(|(old, _)| old.starts_with("2021-W-")).count();
        assert!(communes > 3_000, "{communes}");
    }
}
