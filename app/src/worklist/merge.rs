//! One person split over two records (dose 1 under a record without an ID, dose 2 under one
//! with it). Proposed when the two share a registry match (one carries the ID the other's best
//! candidate has) or the same folded name, birth year and phone; the station sees them side by
//! side and merges them (the doses move to the record kept, each move audited on both records;
//! the other is retired with a pointer to it, nothing deleted) or says they are not one person,
//! and they are not proposed again.

use super::service::of_site;
use super::{CandidateRow, MergeSide, MergeView, Twin};
use crate::complaints::{ChangeField, EditedField};
use crate::domain::{BirthDate, Gender};
use crate::platform::{AppError, AppState};
use crate::staff::StaffMember;
use crate::staff::service::Audit;
use crate::verification::{Cause, Source};

#[derive(sqlx::FromRow)]
struct TwinRow {
    id: i64,
    full_name: String,
    birth_date: String,
    national_id: Option<String>,
}

/// The records on the site's list that may be `person_id`'s twin.
pub async fn twins(state: &AppState, site_id: i64, person_id: i64, candidates: &[CandidateRow]) -> Result<Vec<Twin>, AppError> {
    let held: Vec<i64> = candidates.iter().filter_map(|c| c.held_by).collect();
    let held = if held.is_empty() { "0".to_string() } else { held.iter().map(i64::to_string).collect::<Vec<_>>().join(", ") };
    let rows: Vec<TwinRow> = sqlx::query_as(&format!(
        "SELECT p.id, p.full_name, p.birth_date, p.national_id FROM people p, people me
         WHERE me.id = $2 AND p.id <> me.id AND {} AND ({} OR (p.id IN ({held}) AND {}))
         ORDER BY p.id LIMIT 10",
        of_site("p"),
        super::service::may_be_twins("me", "p"),
        super::service::not_said_apart("me", "p")
    ))
    .bind(site_id)
    .bind(person_id)
    .fetch_all(state.db.read())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Twin {
            id: r.id,
            full_name: r.full_name,
            birth_date: BirthDate::from_stored(&r.birth_date).map(|b| b.display()).unwrap_or(r.birth_date),
            national_id: r.national_id,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct SideRow {
    national_id: Option<String>,
    full_name: String,
    birth_date: String,
    gender: String,
}

/// Both records side by side, if both are live records on the site's list.
pub async fn view(state: &AppState, staff: StaffMember, site_id: i64, a: i64, b: i64) -> Result<Option<MergeView>, AppError> {
    if a == b {
        return Ok(None);
    }
    let mut sides = Vec::with_capacity(2);
    for id in [a, b] {
        let row: Option<SideRow> = sqlx::query_as(&format!(
            "SELECT p.national_id, p.full_name, p.birth_date, p.gender FROM people p WHERE p.id = $2 AND {}",
            of_site("p")
        ))
        .bind(site_id)
        .bind(id)
        .fetch_optional(state.db.read())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let verdict = crate::verification::service::verdict_of(&state.db, id).await?;
        sides.push(MergeSide {
            id,
            recorded: vec![
                (ChangeField::NationalId, row.national_id.unwrap_or_default()),
                (ChangeField::FullName, row.full_name),
                (ChangeField::BirthDate, BirthDate::from_stored(&row.birth_date).map(|b| b.display()).unwrap_or(row.birth_date)),
                (
                    ChangeField::Gender,
                    Gender::from_code(&row.gender).map(|g| g.label(crate::i18n::Lang::Vi).to_string()).unwrap_or_default(),
                ),
            ],
            status: verdict.status,
            doses: crate::records::service::doses_of(state, id).await?,
        });
    }
    let [first, second]: [MergeSide; 2] = sides.try_into().map_err(|_| AppError::internal("two sides"))?;
    let twins = proposed_twins(&mut *state.db.read().acquire().await?, a, b).await?;
    Ok(Some(MergeView { staff, sides: [first, second], twins }))
}

/// Whether the engine proposes `a` and `b` as one person split over two records: the same ID
/// number, or the same folded name and birth date with the same phone or one without an ID
/// (`may_be_twins`), or one's registry candidate is the ID the other carries.
async fn proposed_twins(conn: &mut sqlx::AnyConnection, a: i64, b: i64) -> Result<bool, AppError> {
    let by_record: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT a.id FROM people a, people b WHERE a.id = $1 AND b.id = $2 AND {}",
        super::service::may_be_twins("a", "b")
    ))
    .bind(a)
    .bind(b)
    .fetch_optional(&mut *conn)
    .await?;
    if by_record.is_some() {
        return Ok(true);
    }
    for (one, other) in [(a, b), (b, a)] {
        let carried: Option<Option<String>> =
            sqlx::query_scalar("SELECT national_id FROM people WHERE id = $1").bind(other).fetch_optional(&mut *conn).await?;
        let Some(carried) = carried.flatten() else { continue };
        let candidates = crate::verification::candidates::candidates(&mut *conn, one).await?;
        if candidates.iter().any(|c| c.national_id == carried) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Merges record `retire` into record `keep`: every dose moves (audited on both records), the
/// retired record points at the kept one and leaves the counts, the kept one is graded again.
/// False if either is not a live record on the site's list.
pub async fn merge(state: &AppState, staff: &StaffMember, site_id: i64, keep: i64, retire: i64) -> Result<bool, AppError> {
    if keep == retire {
        return Ok(false);
    }
    let now = state.clock.now().timestamp();
    let mut tx = state.db.begin().await?;
    for id in [keep, retire] {
        let on_list: Option<i64> = sqlx::query_scalar(&format!("SELECT p.id FROM people p WHERE p.id = $2 AND {}", of_site("p")))
            .bind(site_id)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        if on_list.is_none() {
            return Ok(false);
        }
    }
    if !proposed_twins(&mut tx, keep, retire).await? {
        tracing::warn!(target: "security", event = "merge_refused", staff = staff.id, kept = keep, retired = retire, "merge of records not proposed as twins");
        return Ok(false);
    }
    let doses: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM doses WHERE person_id = $1 ORDER BY id").bind(retire).fetch_all(&mut *tx).await?;
    let audit_kept = Audit { person_id: keep, complaint_id: None, batch_id: None, staff_id: staff.id, at: now };
    let audit_retired = Audit { person_id: retire, ..audit_kept };
    for dose in &doses {
        sqlx::query("UPDATE doses SET person_id = $1 WHERE id = $2").bind(keep).bind(dose).execute(&mut *tx).await?;
        let (from, to) = (Some(retire.to_string()), Some(keep.to_string()));
        audit_kept.write(&mut tx, EditedField::DoseMoved, Some(*dose), from.clone(), to.clone()).await?;
        audit_retired.write(&mut tx, EditedField::DoseMoved, Some(*dose), from, to).await?;
    }
    // Retired: out of the counts (no status), not pending, pointing at the record kept.
    sqlx::query("UPDATE people SET merged_into = $1, merged_at = $2, quality = NULL, verified_at = $2 WHERE id = $3")
        .bind(keep)
        .bind(now)
        .bind(retire)
        .execute(&mut *tx)
        .await?;
    crate::verification::service::reverify(&mut tx, keep, Cause::staff(Source::Merge, staff.id), now).await?;
    let revoked = crate::certificates::service::revoke_outdated(&mut tx, &[retire], now).await?;
    crate::certificates::service::tell_revoked(&mut tx, &revoked, now).await?;
    tx.commit().await?;
    tracing::info!(target: "audit", staff = staff.id, kept = keep, retired = retire, doses = doses.len(), "records merged");
    Ok(true)
}

/// The station says `a` and `b` are two people: never proposed together again.
pub async fn not_same(state: &AppState, staff: &StaffMember, site_id: i64, a: i64, b: i64) -> Result<bool, AppError> {
    if view(state, staff.clone(), site_id, a, b).await?.is_none() {
        return Ok(false);
    }
    let (first, second) = (a.min(b), a.max(b));
    sqlx::query("INSERT INTO not_same_person (first_id, second_id, staff_id, at) VALUES ($1, $2, $3, $4) ON CONFLICT (first_id, second_id) DO NOTHING")
        .bind(first)
        .bind(second)
        .bind(staff.id)
        .bind(state.clock.now().timestamp())
        .execute(state.db.write())
        .await?;
    Ok(true)
}
