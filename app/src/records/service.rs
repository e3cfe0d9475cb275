//! Reads a household's records with the verification engine's stored verdict for each.

use super::{DoseKind, DoseView, HouseholdMember, HouseholdView, PersonView};
use crate::domain::{BirthDate, DoseDate, Gender};
use crate::platform::{AppError, AppState};
use crate::verification::{Status, Verdict};
use std::collections::HashMap;

/// The most people one contact can stand for; a shared phone in a big family stays well under.
const HOUSEHOLD_LIMIT: i64 = 30;

/// Who belongs to the household of `me` (joined as `me`): the same phone or email on file,
/// or a child in their care. Used wherever a citizen's reach must be checked.
const IN_HOUSEHOLD_OF_ME: &str = "(p.id = me.id OR (p.merged_into IS NULL AND (
               (me.phone IS NOT NULL AND p.phone = me.phone)
            OR (me.email IS NOT NULL AND p.email = me.email)
            OR p.guardian_id = me.id)))";

/// Whether `person_id` is in the household of the signed-in `me_id`.
pub async fn in_household(state: &AppState, me_id: i64, person_id: i64) -> Result<bool, AppError> {
    let n: i64 =
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM people p JOIN people me ON me.id = $1 WHERE p.id = $2 AND {IN_HOUSEHOLD_OF_ME}"))
            .bind(me_id)
            .bind(person_id)
            .fetch_one(state.db.read())
            .await?;
    Ok(n > 0)
}

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: i64,
    national_id: Option<String>,
    full_name: String,
    birth_date: String,
    gender: String,
    guardian_id: Option<i64>,
    residence: String,
    quality: Option<String>,
    verification_fields: Option<String>,
    verified_against: Option<String>,
    verified_at: Option<i64>,
}

/// Everyone linked to the signed-in person's contact: the same phone or email on file, and
/// the children they are guardian of; with the complaints about each and their certificate.
pub async fn household_of(state: &AppState, person_id: i64) -> Result<HouseholdView, AppError> {
    let people = people_of(state, person_id, None).await?;
    // The household's complaints and certificates: one query each, whatever its size.
    let ids: Vec<i64> = people.iter().map(|(p, _)| p.id).collect();
    let mut complaints = crate::complaints::service::summaries_of(state, &ids).await?;
    let qualities: Vec<(i64, Option<&str>)> = people.iter().map(|(p, status)| (p.id, Some(status.code()))).collect();
    let mut certificates =
        crate::certificates::service::states_of(&mut *state.db.read().acquire().await?, &qualities, state.clock.now().timestamp()).await?;
    let mut members = Vec::with_capacity(people.len());
    for (person, _) in people {
        members.push(HouseholdMember {
            certificate: certificates.remove(&person.id).ok_or_else(|| AppError::internal("no certificate state"))?,
            complaints: complaints.remove(&person.id).unwrap_or_default(),
            person,
        });
    }
    Ok(HouseholdView { people: members })
}

/// One person of the signed-in person's household, if `person_id` is in it: their record and
/// its findings (what a form about them needs; not their complaints or certificate).
pub async fn person_of(state: &AppState, me_id: i64, person_id: i64) -> Result<Option<PersonView>, AppError> {
    Ok(people_of(state, me_id, Some(person_id)).await?.pop().map(|(person, _)| person))
}

/// The household of `person_id`, or only `only` of it: each person's record, with their
/// record's verification status.
async fn people_of(state: &AppState, person_id: i64, only: Option<i64>) -> Result<Vec<(PersonView, Status)>, AppError> {
    let rows: Vec<PersonRow> = sqlx::query_as(&format!(
        "SELECT p.id, p.national_id, p.full_name, p.birth_date, p.gender, p.guardian_id,
                p.quality, p.verification_fields, p.verified_against, p.verified_at,
                w.name || COALESCE(', ' || d.name, '') || COALESCE(', ' || pr.name, '') AS residence
         FROM people p
         JOIN people me ON me.id = $1
         JOIN admin_units w ON w.code = p.residence_unit
         LEFT JOIN admin_units d ON d.code = w.parent_code
         LEFT JOIN admin_units pr ON pr.code = d.parent_code
         WHERE {IN_HOUSEHOLD_OF_ME} AND ($3 IS NULL OR p.id = $3)
         ORDER BY CASE WHEN p.id = me.id THEN 0 ELSE 1 END, p.birth_date, p.id
         LIMIT $2"
    ))
    .bind(person_id)
    .bind(HOUSEHOLD_LIMIT)
    .bind(only)
    .fetch_all(state.db.read())
    .await?;

    // The household's doses: one query, whatever its size.
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut doses = doses_of_people(state, &ids).await?;
    let mut people = Vec::with_capacity(rows.len());
    for row in rows {
        // The stored verdict of the one engine; a record still pending is graded by it now.
        let stored = match (row.quality.as_deref(), row.verified_at) {
            (Some(status), Some(_)) => Verdict::from_stored(status, row.verification_fields.as_deref(), row.verified_against.clone()),
            _ => None,
        };
        let verdict = match stored {
            Some(v) => v,
            None => crate::verification::service::verdict_of(&state.db, row.id).await?,
        };
        let PersonRow { id, national_id, full_name, birth_date: birth, gender, guardian_id, residence, .. } = row;
        let gender = Gender::from_code(&gender).ok_or_else(|| AppError::internal("bad gender code"))?;
        let birth_date = BirthDate::from_stored(&birth);
        let person = PersonView {
            id,
            findings: verdict.findings(),
            full_name,
            birth_date: birth_date.map(|b| b.display()).unwrap_or_else(|| birth.clone()),
            birth_date_stored: birth,
            gender,
            national_id,
            residence,
            has_guardian: guardian_id.is_some(),
            doses: doses.remove(&id).unwrap_or_default(),
        };
        people.push((person, verdict.status));
    }
    Ok(people)
}

#[derive(sqlx::FromRow)]
struct DoseRow {
    person_id: i64,
    id: i64,
    dose_kind: String,
    given_on: String,
    product_code: String,
    product: String,
    lot: String,
    site: String,
}

/// A person's live doses, oldest first.
pub async fn doses_of(state: &AppState, person_id: i64) -> Result<Vec<DoseView>, AppError> {
    Ok(doses_of_people(state, &[person_id]).await?.remove(&person_id).unwrap_or_default())
}

/// The live doses of each of `ids` (a household), oldest first, in one query.
pub async fn doses_of_people(state: &AppState, ids: &[i64]) -> Result<HashMap<i64, Vec<DoseView>>, AppError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT d.person_id, d.id, d.dose_kind, d.given_on, d.product_code, v.name AS product, d.lot, s.name AS site
         FROM doses d
         JOIN vaccine_products v ON v.code = d.product_code
         JOIN sites s ON s.id = d.site_id
         WHERE d.person_id IN ({}) AND d.removed_at IS NULL
         ORDER BY d.given_on, d.id",
        crate::platform::db::marks(ids.len())
    );
    let rows: Vec<DoseRow> = ids.iter().fold(sqlx::query_as(&sql), |q, id| q.bind(*id)).fetch_all(state.db.read()).await?;
    let mut doses: HashMap<i64, Vec<DoseView>> = HashMap::new();
    for DoseRow { person_id, id, dose_kind, given_on, product_code, product, lot, site } in rows {
        let Some(kind) = DoseKind::from_code(&dose_kind) else { continue };
        doses.entry(person_id).or_default().push(DoseView {
            id,
            kind,
            given_on: DoseDate::from_stored(&given_on).map(|d| d.display()).unwrap_or_else(|| given_on.clone()),
            given_on_stored: given_on,
            product_code,
            product,
            lot,
            site,
        });
    }
    Ok(doses)
}
