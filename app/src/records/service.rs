//! Reads a household's records with the verification engine's stored verdict for each.

use super::{DoseKind, DoseView, HouseholdView, PersonView};
use crate::domain::{BirthDate, DoseDate, Gender};
use crate::platform::{AppError, AppState};
use crate::verification::Verdict;

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
/// the children they are guardian of.
pub async fn household_of(state: &AppState, person_id: i64) -> Result<HouseholdView, AppError> {
    let rows: Vec<PersonRow> = sqlx::query_as(&format!(
        "SELECT p.id, p.national_id, p.full_name, p.birth_date, p.gender, p.guardian_id,
                p.quality, p.verification_fields, p.verified_against, p.verified_at,
                w.name || COALESCE(', ' || d.name, '') || COALESCE(', ' || pr.name, '') AS residence
         FROM people p
         JOIN people me ON me.id = $1
         JOIN admin_units w ON w.code = p.residence_unit
         LEFT JOIN admin_units d ON d.code = w.parent_code
         LEFT JOIN admin_units pr ON pr.code = d.parent_code
         WHERE {IN_HOUSEHOLD_OF_ME}
         ORDER BY CASE WHEN p.id = me.id THEN 0 ELSE 1 END, p.birth_date, p.id
         LIMIT $2"
    ))
    .bind(person_id)
    .bind(HOUSEHOLD_LIMIT)
    .fetch_all(state.db.read())
    .await?;

    let mut people = Vec::with_capacity(rows.len());
    for row in rows {
        let PersonRow { id, national_id, full_name, birth_date: birth, gender, guardian_id, residence, .. } = row;
        let gender = Gender::from_code(&gender).ok_or_else(|| AppError::internal("bad gender code"))?;
        let birth_date = BirthDate::from_stored(&birth);
        // The stored verdict of the one engine; a record still pending is graded by it now.
        let stored = match (row.quality.as_deref(), row.verified_at) {
            (Some(status), Some(_)) => Verdict::from_stored(status, row.verification_fields.as_deref(), row.verified_against),
            _ => None,
        };
        let verdict = match stored {
            Some(v) => v,
            None => crate::verification::service::verdict_of(&state.db, id).await?,
        };
        let certificate = crate::certificates::service::state_of(
            &mut *state.db.read().acquire().await?,
            id,
            Some(verdict.status.code()),
            state.clock.now().timestamp(),
        )
        .await?;
        people.push(PersonView {
            certificate,
            id,
            complaints: crate::complaints::service::summaries_for(state, id).await?,
            findings: verdict.findings(),
            full_name,
            birth_date: birth_date.map(|b| b.display()).unwrap_or_else(|| birth.clone()),
            birth_date_stored: birth,
            gender,
            national_id,
            residence,
            has_guardian: guardian_id.is_some(),
            doses: doses_of(state, id).await?,
        });
    }
    Ok(HouseholdView { people })
}

#[derive(sqlx::FromRow)]
struct DoseRow {
    id: i64,
    dose_kind: String,
    given_on: String,
    product_code: String,
    product: String,
    lot: String,
    site: String,
}

pub async fn doses_of(state: &AppState, person_id: i64) -> Result<Vec<DoseView>, AppError> {
    let rows: Vec<DoseRow> = sqlx::query_as(
        "SELECT d.id, d.dose_kind, d.given_on, d.product_code, v.name AS product, d.lot, s.name AS site
         FROM doses d
         JOIN vaccine_products v ON v.code = d.product_code
         JOIN sites s ON s.id = d.site_id
         WHERE d.person_id = $1 AND d.removed_at IS NULL
         ORDER BY d.given_on, d.id",
    )
    .bind(person_id)
    .fetch_all(state.db.read())
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|DoseRow { id, dose_kind, given_on, product_code, product, lot, site }| {
            Some(DoseView {
                id,
                kind: DoseKind::from_code(&dose_kind)?,
                given_on: DoseDate::from_stored(&given_on).map(|d| d.display()).unwrap_or_else(|| given_on.clone()),
                given_on_stored: given_on,
                product_code,
                product,
                lot,
                site,
            })
        })
        .collect())
}
