//! A site's standing approval of its daily signing, and the evening job that acts on it: once
//! the site's manager approves, the server signs the site's ready records every evening in the
//! manager's name, as the manager would with the button. Safe with several servers on one
//! database: each site's evening is claimed once.

use super::keys::DocumentSigner;
use super::{SIGNING_HOUR, Signed, Standing};
use crate::platform::{AppError, Db};
use chrono::{DateTime, Utc};
use sqlx::AnyConnection;
use std::sync::Arc;

/// A standing approval lapses after 90 days, and when its manager's password changes (it was
/// given by whoever held the old one), so that the job never signs long on an approval nobody
/// renewed.
pub const STANDING_SECS: i64 = 90 * 24 * 3600;

/// SQL: the approval `g` given by manager `s` is in force at `$now` (a bound parameter).
fn in_force(now: &str) -> String {
    format!("g.approved_at > {now} - {STANDING_SECS} AND g.approved_at >= COALESCE(s.password_changed_at, 0)")
}

#[derive(sqlx::FromRow)]
struct StandingRow {
    full_name: String,
    approved_at: i64,
    last_run_on: Option<String>,
}

/// The standing approval of `site_id` in force at `now`, if its manager gave one.
pub async fn standing(conn: &mut AnyConnection, site_id: i64, now: i64) -> Result<Option<Standing>, AppError> {
    let row: Option<StandingRow> = sqlx::query_as(&format!(
        "SELECT s.full_name, g.approved_at, g.last_run_on FROM signing_schedules g JOIN staff s ON s.id = g.approved_by
         WHERE g.site_id = $1 AND {}",
        in_force("$2")
    ))
    .bind(site_id)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| Standing {
        approved_by: r.full_name,
        approved_at: crate::vietnam::time_text(r.approved_at),
        lapses_on: crate::vietnam::time_text(r.approved_at + STANDING_SECS),
        last_run_on: r
            .last_run_on
            .and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
            .map(|d| d.format("%d/%m/%Y").to_string()),
    }))
}

/// The manager `staff_id` approves the evening signing of `site_id` from now on (replacing an
/// earlier approval: the job then signs in this manager's name).
pub async fn approve(db: &Db, site_id: i64, staff_id: i64, now: i64) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO signing_schedules (site_id, approved_by, approved_at) VALUES ($1, $2, $3)
         ON CONFLICT (site_id) DO UPDATE SET approved_by = excluded.approved_by, approved_at = excluded.approved_at",
    )
    .bind(site_id)
    .bind(staff_id)
    .bind(now)
    .execute(db.write())
    .await?;
    tracing::info!(target: "audit", site = site_id, staff = staff_id, "evening signing approved");
    Ok(())
}

/// The manager `staff_id` withdraws the standing approval: the site signs by hand again.
pub async fn withdraw(db: &Db, site_id: i64, staff_id: i64) -> Result<(), AppError> {
    sqlx::query("DELETE FROM signing_schedules WHERE site_id = $1").bind(site_id).execute(db.write()).await?;
    tracing::info!(target: "audit", site = site_id, staff = staff_id, "evening signing withdrawn");
    Ok(())
}

/// From `SIGNING_HOUR`, signs each approved site's ready records once a day, in the name of
/// the manager who approved (while that account is active). The sites signed, with what each
/// signing did.
pub async fn run_due(db: &Db, signer: &Arc<DocumentSigner>, now: DateTime<Utc>) -> Result<Vec<(i64, Signed)>, AppError> {
    if crate::vietnam::hour(now) < SIGNING_HOUR {
        return Ok(Vec::new());
    }
    let today = crate::vietnam::today(now).format("%Y-%m-%d").to_string();
    let due: Vec<(i64, i64, Option<String>)> = sqlx::query_as(&format!(
        "SELECT g.site_id, g.approved_by, g.last_run_on FROM signing_schedules g JOIN staff s ON s.id = g.approved_by
         WHERE s.disabled_at IS NULL AND s.site_id = g.site_id AND {}
           AND (g.last_run_on IS NULL OR g.last_run_on <> $1) ORDER BY g.site_id",
        in_force("$2")
    ))
    .bind(&today)
    .bind(now.timestamp())
    .fetch_all(db.read())
    .await?;
    let mut done = Vec::new();
    for (site_id, staff_id, before) in due {
        // Claimed by one server: the others see this evening taken.
        let claimed =
            sqlx::query("UPDATE signing_schedules SET last_run_on = $1 WHERE site_id = $2 AND (last_run_on IS NULL OR last_run_on <> $1)")
                .bind(&today)
                .bind(site_id)
                .execute(db.write())
                .await?
                .rows_affected()
                == 1;
        if !claimed {
            continue;
        }
        match super::service::sign_site(db, signer, site_id, super::service::Approval::Standing(staff_id), now.timestamp()).await {
            Ok(signed) => done.push((site_id, signed)),
            Err(e) => {
                // Not signed: the next run tries this evening again.
                sqlx::query("UPDATE signing_schedules SET last_run_on = $1 WHERE site_id = $2")
                    .bind(before)
                    .bind(site_id)
                    .execute(db.write())
                    .await?;
                return Err(e);
            }
        }
    }
    Ok(done)
}
