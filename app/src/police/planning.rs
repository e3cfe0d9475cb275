//! What each row of an imported file does to its record, whichever way the row found its
//! record (a police batch's row key, or a subject matched by name, birth date and phone): the
//! ID checked against the CCCD rules, the record's gender and birth year, and every other live
//! record; each field before and after.

use super::rows::PoliceValues;
use super::{DryRun, FieldChange, ImportOf, Outcome, OutcomeKind, Refusal, RowPlan, UploadSummary};
use crate::complaints::ChangeField;
use crate::domain::{BirthDate, Gender};
use crate::i18n::Lang;
use crate::platform::AppError;
use crate::staff::service::KnownCorrection;
use sqlx::AnyConnection;
use std::collections::{HashMap, HashSet};

/// A row of a file, resolved to its record (or refused), with the values it brings.
pub struct Resolved {
    pub sheet_row: u32,
    pub line: Option<i64>,
    pub full_name: String,
    pub person: Result<i64, Refusal>,
    pub values: Result<PoliceValues, Refusal>,
    /// The records a row could be, when it could be more than one.
    pub candidates: Vec<String>,
}

/// What planning a file remembers from one chunk of rows to the next.
#[derive(Default)]
pub struct Seen {
    /// Row keys met so far: a key met again is refused.
    pub keys: HashSet<String>,
    /// The IDs the file gives, to which person: a later row giving one to another is refused.
    pub ids: HashMap<String, i64>,
}

/// Every resolved row's outcome against the records as they are now.
pub async fn outcomes(conn: &mut AnyConnection, resolved: Vec<Resolved>, seen: &mut Seen) -> Result<Vec<RowPlan>, AppError> {
    let ids: Vec<i64> = resolved.iter().filter_map(|r| r.person.as_ref().ok().copied()).collect();
    let people = people(conn, &ids).await?;
    let wanted: Vec<String> =
        resolved.iter().filter_map(|r| r.values.as_ref().ok()?.national_id.as_ref().map(|i| i.as_str().to_string())).collect();
    let holders = holders(conn, &wanted).await?;
    Ok(resolved
        .into_iter()
        .map(|r| {
            let police_note = r.values.as_ref().ok().and_then(|v| v.note.clone());
            let outcome = match (&r.person, &r.values) {
                (Err(refusal), _) | (Ok(_), Err(refusal)) => Outcome::Refused(*refusal),
                (Ok(person), Ok(values)) => match people.get(person) {
                    Some(p) if p.merged_into.is_none() => outcome(p, values, &holders, &mut seen.ids),
                    _ => Outcome::Refused(Refusal::RecordGone),
                },
            };
            RowPlan {
                sheet_row: r.sheet_row,
                line: r.line,
                full_name: r.full_name,
                person_id: r.person.ok(),
                outcome,
                police_note,
                candidates: r.candidates,
            }
        })
        .collect())
}

/// Which rows of a dry run to show: of one kind (or every kind), from row `offset`.
pub struct Shown {
    pub kind: Option<OutcomeKind>,
    pub offset: usize,
}

/// A dry run as the file's chunks are planned: the count of every outcome, and the page of rows
/// `shown` asks for (the others are counted and let go).
pub struct Tally {
    shown: Shown,
    counts: [usize; 3],
    /// Rows of the shown kind met so far.
    of_kind: usize,
    rows: Vec<RowPlan>,
}

impl Tally {
    pub fn new(shown: Shown) -> Self {
        Tally { shown, counts: [0; 3], of_kind: 0, rows: Vec::new() }
    }

    pub fn add(&mut self, plans: Vec<RowPlan>) {
        for plan in plans {
            let kind = OutcomeKind::of(&plan.outcome);
            self.counts[kind as usize] += 1;
            if self.shown.kind.is_none_or(|k| k == kind) {
                if self.of_kind >= self.shown.offset && self.rows.len() < super::DRY_RUN_ROWS {
                    self.rows.push(plan);
                }
                self.of_kind += 1;
            }
        }
    }

    /// Where the page after this one starts, if there are rows after it.
    fn next(&self) -> Option<usize> {
        let end = self.shown.offset + super::DRY_RUN_ROWS;
        (self.of_kind > end).then_some(end)
    }
}

/// The dry run page, once every chunk is in the tally.
pub fn dry_run_page(
    staff: crate::staff::StaffMember,
    of: ImportOf,
    upload: UploadSummary,
    tally: Tally,
    applied_before: Option<i64>,
) -> DryRun {
    let next = tally.next();
    let Tally { shown, counts, rows, .. } = tally;
    DryRun {
        staff,
        of,
        upload,
        counts,
        kind: shown.kind,
        rows,
        offset: shown.offset,
        next,
        applied_before: applied_before.map(crate::vietnam::time_text),
    }
}

/// Applies one chunk's plans inside the import's transaction: each update audited (with the
/// batch, if any) and its record re-verified with `source`. How many records changed.
pub async fn apply_plans(
    tx: &mut AnyConnection,
    (staff_id, batch_id, now): (i64, Option<i64>, i64),
    source: crate::verification::Source,
    plans: &[RowPlan],
) -> Result<usize, AppError> {
    let corrections = corrections(plans);
    crate::staff::service::correct_many(tx, (staff_id, batch_id, now), &corrections).await?;
    let people: Vec<i64> = corrections.iter().map(|c| c.person_id).collect();
    crate::verification::service::reverify_many(tx, &people, crate::verification::Cause::staff(source, staff_id), now).await?;
    Ok(corrections.len())
}

/// The corrections the rows that update a record make.
fn corrections(plans: &[RowPlan]) -> Vec<KnownCorrection> {
    plans
        .iter()
        .filter_map(|p| match (&p.outcome, p.person_id) {
            (Outcome::Update(changes), Some(person_id)) => Some(KnownCorrection {
                person_id,
                fields: changes.iter().map(|c| (c.field, c.stored_before.clone(), c.stored.clone())).collect(),
            }),
            _ => None,
        })
        .collect()
}

/// The records `ids`, read a chunk at a time.
async fn people(conn: &mut AnyConnection, ids: &[i64]) -> Result<HashMap<i64, PersonRow>, AppError> {
    let mut found = HashMap::new();
    for chunk in ids.chunks(500) {
        let marks = crate::platform::db::marks(chunk.len());
        let sql = format!("SELECT id, national_id, full_name, birth_date, gender, merged_into FROM people WHERE id IN ({marks})");
        let mut query = sqlx::query_as::<_, PersonRow>(&sql);
        for id in chunk {
            query = query.bind(*id);
        }
        found.extend(query.fetch_all(&mut *conn).await?.into_iter().map(|p| (p.id, p)));
    }
    Ok(found)
}

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: i64,
    national_id: Option<String>,
    full_name: String,
    birth_date: String,
    gender: String,
    merged_into: Option<i64>,
}

/// Which live record holds each of `ids`.
async fn holders(conn: &mut AnyConnection, ids: &[String]) -> Result<HashMap<String, i64>, AppError> {
    let mut held = HashMap::new();
    for chunk in ids.chunks(500) {
        let marks = crate::platform::db::marks(chunk.len());
        let sql = format!("SELECT national_id, id FROM people WHERE national_id IN ({marks}) AND merged_into IS NULL");
        let mut query = sqlx::query_as::<_, (String, i64)>(&sql);
        for id in chunk {
            query = query.bind(id);
        }
        held.extend(query.fetch_all(&mut *conn).await?);
    }
    Ok(held)
}

/// One row against its record.
fn outcome(p: &PersonRow, values: &PoliceValues, holders: &HashMap<String, i64>, given: &mut HashMap<String, i64>) -> Outcome {
    if values.is_empty() {
        return if values.note.is_some() { Outcome::NoChange } else { Outcome::Refused(Refusal::EmptyRow) };
    }
    let gender = values.gender.or_else(|| Gender::from_code(&p.gender));
    let birth = values.birth_date.or_else(|| BirthDate::from_stored(&p.birth_date));
    if let Some(id) = &values.national_id {
        if let (Some((g, year)), Some(gender), Some(birth)) = (id.encoded_gender_and_year(), gender, birth)
            && (g != gender || year != birth.year())
        {
            return Outcome::Refused(Refusal::IdContradicts);
        }
        let elsewhere = |holder: Option<&i64>| holder.is_some_and(|h| *h != p.id);
        if elsewhere(holders.get(id.as_str())) || elsewhere(given.get(id.as_str())) {
            return Outcome::Refused(Refusal::IdHeld);
        }
        given.insert(id.as_str().to_string(), p.id);
    }
    let shown_birth = |stored: &str| BirthDate::from_stored(stored).map(|b| b.display()).unwrap_or_else(|| stored.to_string());
    let shown_gender = |code: &str| Gender::from_code(code).map(|g| g.label(Lang::Vi).to_string()).unwrap_or_default();
    let mut changes = Vec::new();
    let mut change = |field, before: Option<&str>, stored: String, before_shown: String, after_shown: String| {
        if before != Some(stored.as_str()) {
            changes.push(FieldChange {
                field,
                before: before_shown,
                after: after_shown,
                stored_before: before.map(str::to_string),
                stored,
            });
        }
    };
    if let Some(id) = &values.national_id {
        change(
            ChangeField::NationalId,
            p.national_id.as_deref(),
            id.as_str().into(),
            p.national_id.clone().unwrap_or_default(),
            id.as_str().into(),
        );
    }
    if let Some(name) = &values.full_name {
        change(ChangeField::FullName, Some(&p.full_name), name.as_str().into(), p.full_name.clone(), name.as_str().into());
    }
    if let Some(b) = &values.birth_date {
        change(ChangeField::BirthDate, Some(&p.birth_date), b.stored(), shown_birth(&p.birth_date), b.display());
    }
    if let Some(g) = values.gender {
        change(ChangeField::Gender, Some(&p.gender), g.code().into(), shown_gender(&p.gender), g.label(Lang::Vi).into());
    }
    if changes.is_empty() { Outcome::NoChange } else { Outcome::Update(changes) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plans(from: u32, n: u32, every_other_refused: bool) -> Vec<RowPlan> {
        (from..from + n)
            .map(|r| RowPlan {
                sheet_row: r,
                line: None,
                full_name: String::new(),
                person_id: None,
                outcome: if every_other_refused && r % 2 == 1 { Outcome::Refused(Refusal::EmptyRow) } else { Outcome::NoChange },
                police_note: None,
                candidates: Vec::new(),
            })
            .collect()
    }

    /// Chunks of 2,000 rows, half of them refused: the clerk asks for the refused rows from 500.
    #[test]
    fn a_tally_counts_every_chunk_and_keeps_only_the_page_asked_for() {
        let mut tally = Tally::new(Shown { kind: Some(OutcomeKind::Refused), offset: 500 });
        for chunk in 0..3 {
            tally.add(plans(chunk * 2_000, 2_000, true));
        }
        assert_eq!(tally.counts, [0, 3_000, 3_000]);
        let rows: Vec<u32> = tally.rows.iter().map(|p| p.sheet_row).collect();
        assert_eq!(rows.len(), super::super::DRY_RUN_ROWS);
        assert_eq!((rows[0], rows[499]), (1_001, 1_999), "the 501st to the 1,000th refused row, across the chunks");
        assert_eq!(tally.next(), Some(1_000));
        let mut last = Tally::new(Shown { kind: None, offset: 5_500 });
        last.add(plans(0, 6_000, false));
        assert_eq!((last.rows.len(), last.next()), (500, None), "the last page, and no page after it");
    }
}
