//! Which sites lie in which administrative units, kept in `site_areas` so a supervisor's
//! scope is one indexed join. A site is listed under its own unit and that unit's ancestors;
//! likewise every unit under itself and its ancestors in `unit_areas`, for people. Then each is
//! also listed under the 2025 successors of those areas (`unit_successors`), so a site on a 2021
//! commune stays visible to the supervisors of the 2025 province (and commune) it now lies in.

use crate::platform::{AppError, Db};
use crate::staff::StaffMember;

/// Lists every site under its unit and the unit's ancestors (two levels up is the top:
/// commune → district → province). Idempotent; run after sites are added. One write
/// transaction: a server starting beside a running one waits for its turn to write.
pub async fn refresh(db: &Db) -> Result<u64, AppError> {
    let mut tx = db.begin().await?;
    let mut added = 0;
    for select in [
        // (A WHERE before ON CONFLICT keeps SQLite from reading it as a join constraint.)
        "SELECT s.unit_code, s.id FROM sites s WHERE s.unit_code IS NOT NULL",
        "SELECT u.parent_code, s.id FROM sites s JOIN admin_units u ON u.code = s.unit_code WHERE u.parent_code IS NOT NULL",
        "SELECT p.parent_code, s.id FROM sites s JOIN admin_units u ON u.code = s.unit_code
         JOIN admin_units p ON p.code = u.parent_code WHERE p.parent_code IS NOT NULL",
    ] {
        added += sqlx::query(&format!("INSERT INTO site_areas (unit_code, site_id) {select} ON CONFLICT DO NOTHING"))
            .execute(&mut *tx)
            .await?
            .rows_affected();
    }
    for select in [
        "SELECT u.code, u.code FROM admin_units u WHERE u.code IS NOT NULL",
        "SELECT u.parent_code, u.code FROM admin_units u WHERE u.parent_code IS NOT NULL",
        "SELECT p.parent_code, u.code FROM admin_units u JOIN admin_units p ON p.code = u.parent_code WHERE p.parent_code IS NOT NULL",
    ] {
        added += sqlx::query(&format!("INSERT INTO unit_areas (area_code, unit_code) {select} ON CONFLICT DO NOTHING"))
            .execute(&mut *tx)
            .await?
            .rows_affected();
    }
    // The successors of every area found above (after them: they read those rows).
    for insert in [
        "INSERT INTO site_areas (unit_code, site_id)
         SELECT DISTINCT s.new_code, a.site_id FROM site_areas a JOIN unit_successors s ON s.old_code = a.unit_code WHERE TRUE
         ON CONFLICT DO NOTHING",
        "INSERT INTO unit_areas (area_code, unit_code)
         SELECT DISTINCT s.new_code, a.unit_code FROM unit_areas a JOIN unit_successors s ON s.old_code = a.area_code WHERE TRUE
         ON CONFLICT DO NOTHING",
    ] {
        added += sqlx::query(insert).execute(&mut *tx).await?.rows_affected();
    }
    tx.commit().await?;
    Ok(added)
}

/// May this supervisor (or administrator) see the site?
pub async fn covers(db: &Db, staff: &StaffMember, site_id: i64) -> Result<bool, AppError> {
    use crate::staff::StaffRole;
    match (staff.role, &staff.scope_unit) {
        (StaffRole::Admin, _) | (StaffRole::Supervisor, None) => Ok(true),
        (StaffRole::Supervisor, Some(unit)) => {
            Ok(sqlx::query_scalar::<_, i64>("SELECT site_id FROM site_areas WHERE unit_code = $1 AND site_id = $2")
                .bind(unit)
                .bind(site_id)
                .fetch_optional(db.read())
                .await?
                .is_some())
        }
        _ => Ok(false),
    }
}
