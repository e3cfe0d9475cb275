use super::{SiteChoice, SiteSearch};
use crate::domain::fold;
use crate::platform::{AppError, AppState};

/// Most results shown for one search; people narrow by typing more.
const MAX_RESULTS: usize = 30;

/// Provinces that have at least one site, by name.
pub async fn provinces(state: &AppState) -> Result<Vec<(String, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT DISTINCT p.code, p.name FROM sites s
         JOIN admin_units u ON u.code = s.unit_code
         LEFT JOIN admin_units u1 ON u1.code = u.parent_code
         LEFT JOIN admin_units u2 ON u2.code = u1.parent_code
         JOIN admin_units p ON p.code = COALESCE(u2.code, u1.code, u.code) AND p.level = 'province'
         ORDER BY p.name",
    )
    .fetch_all(state.db.read())
    .await?)
}

/// Sites in the province whose name or place contains every word typed, accents optional.
pub async fn search(state: &AppState, province: &str, query: &str) -> Result<Vec<SiteChoice>, AppError> {
    if province.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, String, String, Option<String>)> = sqlx::query_as(
        "SELECT s.id, s.name, u.name, u1.name FROM sites s
         JOIN admin_units u ON u.code = s.unit_code
         LEFT JOIN admin_units u1 ON u1.code = u.parent_code
         LEFT JOIN admin_units u2 ON u2.code = u1.parent_code
         WHERE $1 IN (u.code, u1.code, u2.code)
         ORDER BY s.name, s.id",
    )
    .bind(province)
    .fetch_all(state.db.read())
    .await?;
    let words: Vec<String> = fold(query).split_whitespace().map(str::to_string).collect();
    Ok(rows
        .into_iter()
        .map(|(id, name, unit, parent)| SiteChoice { id, name, place: parent.map(|p| format!("{unit}, {p}")).unwrap_or(unit) })
        .filter(|s| {
            let hay = fold(&format!("{} {}", s.name, s.place));
            words.iter().all(|w| hay.contains(w.as_str()))
        })
        .take(MAX_RESULTS)
        .collect())
}

pub async fn choice(state: &AppState, id: i64) -> Result<Option<SiteChoice>, AppError> {
    let row: Option<(i64, String, String, Option<String>)> = sqlx::query_as(
        "SELECT s.id, s.name, u.name, u1.name FROM sites s
         JOIN admin_units u ON u.code = s.unit_code LEFT JOIN admin_units u1 ON u1.code = u.parent_code
         WHERE s.id = $1",
    )
    .bind(id)
    .fetch_optional(state.db.read())
    .await?;
    Ok(row.map(|(id, name, unit, parent)| SiteChoice { id, name, place: parent.map(|p| format!("{unit}, {p}")).unwrap_or(unit) }))
}

/// The search a page shows: provinces, what was typed, results, and the site already chosen.
pub async fn site_search(state: &AppState, province: &str, query: &str, chosen: Option<i64>) -> Result<SiteSearch, AppError> {
    let chosen = match chosen {
        Some(id) => choice(state, id).await?,
        None => None,
    };
    Ok(SiteSearch {
        provinces: provinces(state).await?,
        province: province.to_string(),
        query: query.trim().to_string(),
        results: search(state, province, query).await?,
        chosen,
    })
}

/// The vaccine products (code, name), by name: read from the database once per server (only
/// the migrations change them).
pub async fn products(state: &AppState) -> Result<Vec<(String, String)>, AppError> {
    let read = || async { sqlx::query_as("SELECT code, name FROM vaccine_products ORDER BY name").fetch_all(state.db.read()).await };
    Ok(state.products.get_or_try_init(read).await?.clone())
}

/// Whether two sites lie in one province (2021 or 2025 boundaries): a site passes complaints
/// on within its province; beyond it, a supervisor does.
pub async fn same_province(state: &AppState, a: i64, b: i64) -> Result<bool, AppError> {
    let shared: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM site_areas x JOIN site_areas y ON y.unit_code = x.unit_code JOIN admin_units u ON u.code = x.unit_code
         WHERE x.site_id = $1 AND y.site_id = $2 AND u.level = 'province'",
    )
    .bind(a)
    .bind(b)
    .fetch_one(state.db.read())
    .await?;
    Ok(shared > 0)
}
