//! The worklist's reads. Whose records: people living in the site's commune, and people
//! vaccinated there; graded and not verified.

use super::{CandidateRow, GROUPS, Group, PAGE_ROWS, RegistryView, StationRecord, VillageCheck, WorkRow, Worklist};
use crate::complaints::{ChangeField, FieldValue};
use crate::domain::{BirthDate, Gender};
use crate::platform::{AppError, AppState, Backend};
use crate::staff::StaffMember;
use crate::staff::service::{Audit, correct_person};
use crate::verification::{Cause, Source, Status, Verdict};

/// SQL: which people site `$1` works on: live records (alias `p`) of the residents of its
/// commune and of the people it vaccinated. Written with `IN` (not `EXISTS`) so that both halves
/// are index look-ups and a commune of 50,000 records is listed without reading the whole table.
pub(crate) fn of_site(p: &str) -> String {
    format!(
        "({p}.merged_into IS NULL AND ({p}.residence_unit = (SELECT s.unit_code FROM sites s WHERE s.id = $1)
          OR {p}.id IN (SELECT d.person_id FROM doses d WHERE d.site_id = $1 AND d.removed_at IS NULL)))"
    )
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    full_name: String,
    birth_date: String,
    gender: String,
    national_id: Option<String>,
    quality: String,
    verification_fields: Option<String>,
    resident: i64,
    with_police: Option<i64>,
}

pub async fn worklist(
    state: &AppState,
    staff: StaffMember,
    site_id: i64,
    group: Option<Group>,
    search: &str,
    after: Option<i64>,
) -> Result<Worklist, AppError> {
    let mine = of_site("p");
    let by_status = format!(
        "SELECT p.quality, COUNT(*) FROM people p WHERE {mine} AND p.quality IS NOT NULL AND p.quality <> 'verified' GROUP BY p.quality"
    );
    let by_status = sqlx::query_as::<_, (String, i64)>(&by_status).bind(site_id).fetch_all(state.db.read());
    let twinned = twinned_count(state.db.backend);
    let twinned = sqlx::query_scalar::<_, i64>(&twinned).bind(site_id).fetch_one(state.db.read());
    // The two counts are independent reads: on two connections at once.
    let (counted, duplicates) = tokio::try_join!(by_status, twinned)?;
    let counts = GROUPS
        .into_iter()
        .map(|g| match g {
            Group::Status(s) => (g, counted.iter().find(|(code, _)| code == s.code()).map_or(0, |(_, n)| *n)),
            Group::PossibleDuplicate => (g, duplicates),
        })
        .collect();
    let total = counted.iter().map(|(_, n)| n).sum();
    let mut rows = rows(state, site_id, group, search, after, PAGE_ROWS + 1).await?;
    let more = rows.len() as i64 > PAGE_ROWS;
    rows.truncate(PAGE_ROWS as usize);
    let next_after = more.then(|| rows.last().map(|r| r.id)).flatten();
    Ok(Worklist { staff, group, search: search.to_string(), total, counts, rows, next_after })
}

/// SQL: records `a` and `b` (table aliases) may be one person split over two records: the same
/// folded name and birth date (a year-only date agrees with any date in that year) with the same
/// phone or with one of them lacking an ID, or the same ID number; and no station said they are
/// two people.
pub(super) fn may_be_twins(a: &str, b: &str) -> String {
    format!("(({} OR {}) AND {})", twins_by_name(a, b), twins_by_id(a, b), not_said_apart(a, b))
}

/// SQL: the name half of `may_be_twins`. Each alternative of the birth date is an index look-up
/// on `b` (name and birth date), for one record's twins.
fn twins_by_name(a: &str, b: &str) -> String {
    format!(
        "({b}.name_key = {a}.name_key AND ({b}.birth_date = {a}.birth_date OR {b}.birth_date = substr({a}.birth_date, 1, 4)
              OR (length({a}.birth_date) = 4 AND {b}.birth_date BETWEEN {a}.birth_date || '-01-01' AND {a}.birth_date || '-12-31'))
          AND (({a}.phone IS NOT NULL AND {a}.phone = {b}.phone) OR {a}.national_id IS NULL OR {b}.national_id IS NULL))"
    )
}

/// SQL: the ID half of `may_be_twins`.
fn twins_by_id(a: &str, b: &str) -> String {
    format!("({a}.national_id IS NOT NULL AND {b}.national_id = {a}.national_id)")
}

/// SQL: no station said records `a` and `b` are two people.
pub(super) fn not_said_apart(a: &str, b: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM not_same_person n
                     WHERE (n.first_id = {a}.id AND n.second_id = {b}.id) OR (n.first_id = {b}.id AND n.second_id = {a}.id))"
    )
}

/// SQL: another record on site `$1`'s list may be the same person as `p` (the record page
/// proposes the same twins: see `merge::twins`). An index look-up per record: the page of the
/// group stops at its 50 rows.
fn has_twin() -> String {
    format!("EXISTS (SELECT 1 FROM people t WHERE t.id <> p.id AND {} AND {})", of_site("t"), may_be_twins("p", "t"))
}

/// SQL: how many records on site `$1`'s list (not verified) have a twin on the list. The
/// predicate is the same on both databases; the plan is each one's best. SQLite looks each
/// record's twins up by index. PostgreSQL would read every same-name record in the country that
/// way, so it reads the list once and pairs it with itself by hash joins: on name and birth
/// year, and on ID.
fn twinned_count(backend: Backend) -> String {
    let not_verified = "p.quality IS NOT NULL AND p.quality <> 'verified'";
    match backend {
        Backend::Sqlite => format!("SELECT COUNT(*) FROM people p WHERE {} AND {not_verified} AND {}", of_site("p"), has_twin()),
        Backend::Postgres => {
            let pairs = |on: String| {
                format!(
                    "SELECT p.id FROM mine p JOIN mine t ON {on} WHERE {not_verified} AND t.id <> p.id AND {}",
                    not_said_apart("p", "t")
                )
            };
            format!(
                "WITH mine AS MATERIALIZED (SELECT p.id, p.name_key, p.birth_date, p.phone, p.national_id, p.quality FROM people p WHERE {})
                 SELECT COUNT(*) FROM ({} UNION {}) twinned",
                of_site("p"),
                pairs(format!("t.name_key = p.name_key AND substr(t.birth_date, 1, 4) = substr(p.birth_date, 1, 4) AND {}", twins_by_name("p", "t"))),
                pairs(twins_by_id("p", "t"))
            )
        }
    }
}

/// The list's rows after `after`, at most `limit`: the page, or (for the export) all of them.
pub async fn rows(
    state: &AppState,
    site_id: i64,
    group: Option<Group>,
    search: &str,
    after: Option<i64>,
    limit: i64,
) -> Result<Vec<WorkRow>, AppError> {
    // The group is written into the query (not `$2 = '' OR ...`) so that the planner can read
    // the commune's rows of one status from the index.
    let (status, group) = match group {
        Some(Group::Status(s)) => (s.code(), "AND p.quality = $2".to_string()),
        Some(Group::PossibleDuplicate) => ("", format!("AND $2 = '' AND {}", has_twin())),
        None => ("", "AND $2 = ''".to_string()),
    };
    let mine = of_site("p");
    // A search is a name as staff say it (folded, i/y alike) or the start of an ID number.
    let key = crate::domain::name_key(search);
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT p.id, p.full_name, p.birth_date, p.gender, p.national_id, p.quality, p.verification_fields,
                CASE WHEN p.residence_unit = (SELECT s.unit_code FROM sites s WHERE s.id = $1) THEN 1 ELSE 0 END AS resident,
                (SELECT MAX(b.number) FROM police_batch_rows r JOIN police_batches b ON b.id = r.batch_id
                 WHERE r.person_id = p.id AND b.site_id = $1 AND b.returned_at IS NULL) AS with_police
         FROM people p
         WHERE {mine} AND p.quality IS NOT NULL AND p.quality <> 'verified' {group}
           AND ($3 = '' OR p.name_key LIKE '%' || $3 || '%' OR p.national_id LIKE $4 || '%')
           AND p.id > $5
         ORDER BY p.id LIMIT {limit}"
    ))
    .bind(site_id)
    .bind(status)
    .bind(&key)
    .bind(search)
    .bind(after.unwrap_or(0))
    .fetch_all(state.db.read())
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let verdict = Verdict::from_stored(&r.quality, r.verification_fields.as_deref(), None)?;
            Some(WorkRow {
                id: r.id,
                birth_date: BirthDate::from_stored(&r.birth_date).map(|b| b.display()).unwrap_or(r.birth_date),
                full_name: r.full_name,
                gender: Gender::from_code(&r.gender)?,
                national_id: r.national_id,
                status: verdict.status,
                fields: verdict.fields,
                resident: r.resident == 1,
                with_police: r.with_police,
            })
        })
        .collect())
}

/// The record `person_id` if it is on this site's list (a resident of its commune or vaccinated
/// there), whatever its status; otherwise it does not exist for the site.
pub async fn record_for(state: &AppState, staff: StaffMember, site_id: i64, person_id: i64) -> Result<Option<StationRecord>, AppError> {
    let row: Option<(String, String, String, Option<String>)> = sqlx::query_as(&format!(
        "SELECT p.full_name, p.birth_date, p.gender, p.national_id FROM people p WHERE p.id = $2 AND {}",
        of_site("p")
    ))
    .bind(site_id)
    .bind(person_id)
    .fetch_optional(state.db.read())
    .await?;
    let Some((full_name, birth, gender, national_id)) = row else {
        return Ok(None);
    };
    let verdict = crate::verification::service::verdict_of(&state.db, person_id).await?;
    let shown_birth = |stored: &str| BirthDate::from_stored(stored).map(|b| b.display()).unwrap_or_else(|| stored.to_string());
    let shown_gender = |code: &str| Gender::from_code(code).map(|g| g.label(crate::i18n::Lang::Vi).to_string()).unwrap_or_default();
    let registry = match crate::verification::normalised_id(national_id.as_deref()) {
        Some(Ok(id)) => match state.registry.find(&id).await? {
            Some(entry) if !in_site_commune(state, site_id, &[id.as_str().to_string()]).await?.is_empty() => RegistryView::Shown(vec![
                (ChangeField::NationalId, id.as_str().to_string()),
                (ChangeField::FullName, entry.full_name.as_str().to_string()),
                (ChangeField::BirthDate, entry.birth_date.display()),
                (ChangeField::Gender, entry.gender.label(crate::i18n::Lang::Vi).to_string()),
            ]),
            Some(_) => RegistryView::Elsewhere,
            None => RegistryView::Missing,
        },
        _ => RegistryView::Missing,
    };
    let candidates = match verdict.status {
        Status::Verified => Vec::new(),
        _ => candidates_of(state, site_id, person_id).await?,
    };
    Ok(Some(StationRecord {
        staff,
        id: person_id,
        recorded: vec![
            (ChangeField::NationalId, national_id.unwrap_or_default()),
            (ChangeField::FullName, full_name),
            (ChangeField::BirthDate, shown_birth(&birth)),
            (ChangeField::Gender, shown_gender(&gender)),
        ],
        registry,
        status: verdict.status,
        fields: verdict.fields,
        doses: crate::records::service::doses_of(state, person_id).await?,
        twins: super::merge::twins(state, site_id, person_id, &candidates).await?,
        candidates,
        checks: checks_of(state, person_id).await?,
    }))
}

/// Which of the registry people `ids` live in site `site_id`'s commune: the 2021 commune, or one
/// with the same 2025 successor commune.
async fn in_site_commune(state: &AppState, site_id: i64, ids: &[String]) -> Result<Vec<String>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT r.national_id FROM registry_people r, sites s
         WHERE s.id = $1 AND r.national_id IN ({}) AND (r.commune = s.unit_code OR EXISTS (
             SELECT 1 FROM unit_successors a JOIN unit_successors b ON b.new_code = a.new_code
             WHERE a.old_code = r.commune AND b.old_code = s.unit_code AND length(a.new_code) = 5))",
        (2..ids.len() + 2).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
    );
    let query = ids.iter().fold(sqlx::query_scalar::<_, String>(&sql).bind(site_id), |q, id| q.bind(id));
    Ok(query.fetch_all(state.db.read()).await?)
}

/// The registry candidates of a record, as the station sees them: people of its commune only.
async fn candidates_of(state: &AppState, site_id: i64, person_id: i64) -> Result<Vec<CandidateRow>, AppError> {
    let mut conn = state.db.read().acquire().await?;
    let found = crate::verification::candidates::candidates(&mut conn, person_id).await?;
    let ids: Vec<String> = found.iter().map(|c| c.national_id.clone()).collect();
    let local = in_site_commune(state, site_id, &ids).await?;
    let mut rows = Vec::with_capacity(found.len());
    for c in found.into_iter().filter(|c| local.contains(&c.national_id)) {
        let held_by = live_holder(&mut conn, &c.national_id, person_id).await?;
        rows.push(CandidateRow {
            birth_date: c.birth_date.display(),
            national_id: c.national_id,
            full_name: c.full_name,
            gender: c.gender,
            score: c.score.total,
            decision: c.decision.unwrap_or(crate::verification::matching::Decision::Review),
            why: c.score.parts.to_vec(),
            held_by,
        });
    }
    Ok(rows)
}

async fn checks_of(state: &AppState, person_id: i64) -> Result<Vec<VillageCheck>, AppError> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT s.full_name, c.note, c.at FROM village_checks c JOIN staff s ON s.id = c.staff_id WHERE c.person_id = $1 ORDER BY c.at, c.id",
    )
    .bind(person_id)
    .fetch_all(state.db.read())
    .await?;
    Ok(rows.into_iter().map(|(staff_name, note, at)| VillageCheck { staff_name, note, at: crate::vietnam::time_text(at) }).collect())
}

/// What confirming a candidate (or a direct edit) did.
pub enum Confirmed {
    /// The record took the registry's ID (or the edit) and was graded again.
    Done,
    /// Another record already carries that ID: the two are one person split; merge them.
    HeldBy(i64),
    /// The ID is not (or no longer) among the record's candidates.
    NotACandidate,
}

/// The station confirms registry candidate `national_id` for record `person_id`: the record
/// takes the registry's ID, audited, and is graded again in the same transaction.
pub async fn confirm(
    state: &AppState,
    staff: &StaffMember,
    (site_id, person_id): (i64, i64),
    national_id: &str,
) -> Result<Confirmed, AppError> {
    // Only the candidates the station was shown: people of its commune.
    if in_site_commune(state, site_id, &[national_id.to_string()]).await?.is_empty() {
        return Ok(Confirmed::NotACandidate);
    }
    let now = state.clock.now().timestamp();
    let mut tx = state.db.begin().await?;
    let candidates = crate::verification::candidates::candidates(&mut tx, person_id).await?;
    if !candidates.iter().any(|c| c.national_id == national_id) {
        return Ok(Confirmed::NotACandidate);
    }
    if let Some(other) = live_holder(&mut tx, national_id, person_id).await? {
        return Ok(Confirmed::HeldBy(other));
    }
    let audit = Audit { person_id, complaint_id: None, batch_id: None, staff_id: staff.id, at: now };
    correct_person(&mut tx, &audit, &[(ChangeField::NationalId, national_id.to_string())]).await?;
    crate::verification::service::reverify(&mut tx, person_id, Cause::staff(Source::StationMatch, staff.id), now).await?;
    tx.commit().await?;
    tracing::info!(target: "audit", staff = staff.id, person = person_id, "registry candidate confirmed");
    Ok(Confirmed::Done)
}

/// "Checked with the village team": the note kept with who and when.
pub async fn village_check(state: &AppState, staff: &StaffMember, person_id: i64, note: &str) -> Result<(), AppError> {
    sqlx::query("INSERT INTO village_checks (person_id, staff_id, note, at) VALUES ($1, $2, $3, $4)")
        .bind(person_id)
        .bind(staff.id)
        .bind(note)
        .bind(state.clock.now().timestamp())
        .execute(state.db.write())
        .await?;
    Ok(())
}

/// The live record other than `person_id` that carries `national_id`, if one does.
async fn live_holder(conn: &mut sqlx::AnyConnection, national_id: &str, person_id: i64) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT id FROM people WHERE national_id = $1 AND id <> $2 AND merged_into IS NULL ORDER BY id LIMIT 1")
        .bind(national_id)
        .bind(person_id)
        .fetch_optional(&mut *conn)
        .await?)
}

/// The station edits a record on its list directly (group c, or an ID brought in person): each
/// changed field audited, the record graded again in the same transaction. An ID number another
/// live record carries is not written (as the imports refuse it): the two may be one person, for
/// the merge screen; `HeldBy` names the other.
pub async fn edit(state: &AppState, staff: &StaffMember, person_id: i64, changes: &[FieldValue]) -> Result<Confirmed, AppError> {
    let now = state.clock.now().timestamp();
    let mut tx = state.db.begin().await?;
    for change in changes.iter().filter(|c| c.field == ChangeField::NationalId && !c.stored.is_empty()) {
        if let Some(other) = live_holder(&mut tx, &change.stored, person_id).await? {
            return Ok(Confirmed::HeldBy(other));
        }
    }
    let audit = Audit { person_id, complaint_id: None, batch_id: None, staff_id: staff.id, at: now };
    let corrections: Vec<_> = changes.iter().map(|c| (c.field, c.stored.clone())).collect();
    correct_person(&mut tx, &audit, &corrections).await?;
    crate::verification::service::reverify(&mut tx, person_id, Cause::staff(Source::StationEdit, staff.id), now).await?;
    tx.commit().await?;
    Ok(Confirmed::Done)
}
