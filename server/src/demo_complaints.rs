//! Demo complaints for `make run`, so a newcomer sees what the inbox, the supervisor's audit and
//! the public numbers do: complaints in every state (new, nearly due, overdue, waiting for the
//! citizen, corrected, confirmed, rejected, reopened, passed on), at the demo commune's station
//! and district centre and at busy sites of four other provinces, filed over the last 60 days.
//! Written once, right after the people are seeded into an empty database, from a seed, so the
//! same seed tells the same story. The demo household (the README's walk-through) is never
//! touched: its people and doses are left out.
//!
//! Rows are written as the workflow would have written them: the complaint, what it asks for,
//! each timeline event (through `record_event`), the reminder and escalation steps already
//! taken, and for a correction the edit of the record with its audit row. No email or text is
//! queued: these citizens are invented.

use app::complaints::workflow::{Actor, record_event};
use app::complaints::{ChangeField, DEADLINE_HOURS, EditedField, EventKind};
use app::platform::Db;
use app::staff::StaffRole;
use app::staff::service::{Placement, create_staff};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sqlx::AnyConnection;

const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;
/// People and doses of the demo household (ids 1 to 3) are never used.
const DEMO_HOUSEHOLD_LAST_ID: i64 = 3;

/// Where a complaint's story has got to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Story {
    New,
    NearlyDue,
    Overdue,
    WaitingForCitizen,
    Corrected,
    Confirmed,
    Rejected,
    Reopened,
}

/// What a complaint is about: who, which kind, which dose, and the one field it asks to change.
struct Subject {
    person_id: i64,
    kind: &'static str,
    dose_id: Option<i64>,
    field: ChangeField,
    recorded: String,
    requested: String,
    description: &'static str,
}

/// A site with the staff member who answers for it.
#[derive(Clone, Copy)]
struct Desk {
    site_id: i64,
    staff_id: i64,
}

/// Writes the demo complaints; returns how many. `station` and `district_centre` are the demo
/// commune's sites (their staff are the demo accounts).
pub async fn generate(db: &Db, seed: u64, now: i64, station: i64, district_centre: i64) -> Result<u64, sqlx::Error> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed.wrapping_add(1));
    let mut writer = Writer { rng: ChaCha8Rng::seed_from_u64(seed), now, next: 0 };
    let station_desk = desk(db, station, now).await?;
    let centre_desk = desk(db, district_centre, now).await?;
    let mut tx = db.begin().await?;

    use Story::*;
    // The station: residents whose record differs from the registry, and doses it gave.
    let residents = personal_subjects(&mut tx, station).await?;
    for (story, subject) in
        [New, New, NearlyDue, Overdue, WaitingForCitizen, Corrected, Confirmed, Confirmed, Rejected, Reopened].into_iter().zip(residents)
    {
        writer.write(&mut tx, story, &subject, station_desk, None).await?;
    }
    let doses = dose_subjects(&mut tx, station, 5, &mut rng).await?;
    for (story, subject) in [NearlyDue, Overdue, Confirmed, Rejected, WaitingForCitizen].into_iter().zip(doses) {
        writer.write(&mut tx, story, &subject, station_desk, None).await?;
    }
    // The district centre, with one complaint the station passed on to it.
    let doses = dose_subjects(&mut tx, district_centre, 6, &mut rng).await?;
    for (i, (story, subject)) in [New, Corrected, Overdue, Confirmed, Rejected, New].into_iter().zip(doses).enumerate() {
        let passed_from = (i == 0).then_some(station_desk);
        writer.write(&mut tx, story, &subject, centre_desk, passed_from).await?;
    }
    // Busy sites of four other provinces.
    let others = busy_sites_elsewhere(&mut tx, station, 4).await?;
    tx.commit().await?;
    for site in others {
        let site_desk = desk(db, site, now).await?;
        let mut tx = db.begin().await?;
        let doses = dose_subjects(&mut tx, site, 9, &mut rng).await?;
        for (story, subject) in
            [New, NearlyDue, Overdue, Overdue, WaitingForCitizen, Confirmed, Confirmed, Rejected, Reopened].into_iter().zip(doses)
        {
            writer.write(&mut tx, story, &subject, site_desk, None).await?;
        }
        tx.commit().await?;
    }
    Ok(writer.next)
}

/// The site's first staff member; a site without one gets a clerk nobody can sign in as (a
/// random password, never shown), so the timeline can say who answered.
async fn desk(db: &Db, site_id: i64, now: i64) -> Result<Desk, sqlx::Error> {
    let existing: Option<i64> =
        sqlx::query_scalar("SELECT id FROM staff WHERE site_id = $1 ORDER BY id LIMIT 1").bind(site_id).fetch_optional(db.read()).await?;
    if let Some(staff_id) = existing {
        return Ok(Desk { site_id, staff_id });
    }
    let password = app::platform::session::random_token();
    let staff_id = create_staff(
        db,
        &format!("can-bo.{site_id}@example.vn"),
        "Cán bộ tiếp nhận phản ánh",
        &password,
        StaffRole::SiteStaff,
        Placement::Site(site_id),
        now,
    )
    .await
    .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    Ok(Desk { site_id, staff_id })
}

/// A record beside the registry's person it should match.
#[derive(sqlx::FromRow)]
struct Differing {
    id: i64,
    full_name: String,
    registry_name: String,
    birth_date: String,
    registry_birth_date: String,
    gender: String,
    registry_gender: String,
}

/// Residents of the station's commune whose record differs from the registry, each asking for
/// the registry's value of one differing field.
async fn personal_subjects(conn: &mut AnyConnection, station: i64) -> Result<Vec<Subject>, sqlx::Error> {
    let rows: Vec<Differing> = sqlx::query_as(
        "SELECT p.id, p.full_name, r.full_name AS registry_name, p.birth_date, r.birth_date AS registry_birth_date, p.gender,
                r.gender AS registry_gender
         FROM people p JOIN sites s ON s.unit_code = p.residence_unit JOIN registry_people r ON r.national_id = p.national_id
         WHERE s.id = $1 AND p.id > $2 AND (p.full_name <> r.full_name OR p.birth_date <> r.birth_date OR p.gender <> r.gender)
         ORDER BY p.id",
    )
    .bind(station)
    .bind(DEMO_HOUSEHOLD_LAST_ID)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let (field, recorded, requested, description) = if r.birth_date != r.registry_birth_date {
                (
                    ChangeField::BirthDate,
                    r.birth_date,
                    r.registry_birth_date,
                    "Ngày sinh trên hồ sơ tiêm bị ghi sai; ngày đúng như trên CCCD.",
                )
            } else if r.full_name != r.registry_name {
                (ChangeField::FullName, r.full_name, r.registry_name, "Họ tên trên hồ sơ tiêm bị ghi sai dấu so với CCCD.")
            } else {
                (ChangeField::Gender, r.gender, r.registry_gender, "Giới tính trên hồ sơ tiêm bị ghi nhầm.")
            };
            Subject { person_id: r.id, kind: "personal_data", dose_id: None, field, recorded, requested, description }
        })
        .collect())
}

/// Doses the site gave (none of the demo household's), each with a lot number said to be
/// mistyped by one character.
async fn dose_subjects(conn: &mut AnyConnection, site: i64, count: i64, rng: &mut ChaCha8Rng) -> Result<Vec<Subject>, sqlx::Error> {
    let rows: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT d.id, d.person_id, d.lot FROM doses d
         WHERE d.site_id = $1 AND d.person_id > $2 AND d.removed_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM complaints c WHERE c.person_id = d.person_id)
         ORDER BY d.id LIMIT $3",
    )
    .bind(site)
    .bind(DEMO_HOUSEHOLD_LAST_ID)
    .bind(count)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(dose_id, person_id, lot)| {
            let mut requested: Vec<char> = lot.chars().collect();
            if let Some(last) = requested.last_mut() {
                *last = char::from_digit((last.to_digit(10).unwrap_or(0) + rng.random_range(1..9)) % 10, 10).unwrap_or('0');
            }
            Subject {
                person_id,
                kind: "wrong_dose",
                dose_id: Some(dose_id),
                field: ChangeField::Lot,
                requested: requested.into_iter().collect(),
                recorded: lot,
                description: "Số lô trên hồ sơ khác với số lô ghi trên giấy xác nhận tiêm của tôi.",
            }
        })
        .collect())
}

/// The site that gave the most doses in each of `count` provinces other than the station's.
async fn busy_sites_elsewhere(conn: &mut AnyConnection, station: i64, count: usize) -> Result<Vec<i64>, sqlx::Error> {
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT a.unit_code, d.site_id, COUNT(*) AS n FROM doses d
         JOIN site_areas a ON a.site_id = d.site_id JOIN admin_units u ON u.code = a.unit_code AND u.level = 'province'
         WHERE a.unit_code NOT IN (SELECT x.unit_code FROM site_areas x WHERE x.site_id = $1)
         GROUP BY a.unit_code, d.site_id ORDER BY n DESC, d.site_id",
    )
    .bind(station)
    .fetch_all(&mut *conn)
    .await?;
    let mut provinces = Vec::new();
    let mut sites = Vec::new();
    for (province, site, _) in rows {
        if sites.len() < count && !provinces.contains(&province) && !sites.contains(&site) {
            provinces.push(province);
            sites.push(site);
        }
    }
    Ok(sites)
}

struct Writer {
    rng: ChaCha8Rng,
    now: i64,
    next: u64,
}

impl Writer {
    /// One complaint and its history. `passed_from`: filed to that site first, which passed it on.
    async fn write(
        &mut self,
        conn: &mut AnyConnection,
        story: Story,
        subject: &Subject,
        desk: Desk,
        passed_from: Option<Desk>,
    ) -> Result<(), sqlx::Error> {
        use Story::*;
        let now = self.now;
        let ago = |rng: &mut ChaCha8Rng, from: i64, to: i64| now - rng.random_range(from..to);
        let filed = match story {
            New => ago(&mut self.rng, HOUR, 20 * HOUR),
            NearlyDue => ago(&mut self.rng, 38 * HOUR, 46 * HOUR),
            Overdue => ago(&mut self.rng, 3 * DAY, 20 * DAY),
            WaitingForCitizen => ago(&mut self.rng, 5 * HOUR, 30 * HOUR),
            Corrected => ago(&mut self.rng, 2 * DAY, 6 * DAY),
            Confirmed | Rejected => ago(&mut self.rng, 10 * DAY, 60 * DAY),
            Reopened => ago(&mut self.rng, 4 * DAY, 9 * DAY),
        };
        // Most answers come in time; some confirmed and rejected ones late.
        let answered = filed + self.rng.random_range(2 * HOUR..70 * HOUR);
        let mut due = filed + DEADLINE_HOURS * HOUR;
        let (status, first_response, closed, paused) = match story {
            New | NearlyDue | Overdue => ("open", None, None, None),
            WaitingForCitizen => ("waiting_citizen", Some(filed + HOUR), None, Some(filed + HOUR)),
            Corrected => ("resolved", Some(answered.min(now - HOUR)), Some(answered.min(now - HOUR)), None),
            Confirmed => ("confirmed", Some(answered), Some(answered), None),
            Rejected => ("rejected", Some(answered), Some(answered), None),
            Reopened => ("open", Some(filed + 20 * HOUR), None, None),
        };
        let reopened_at = (story == Reopened).then(|| now - self.rng.random_range(2 * HOUR..20 * HOUR));
        if let Some(at) = reopened_at {
            due = at + DEADLINE_HOURS * HOUR;
        }
        // The reminder steps the background job would already have taken.
        let open = status == "open";
        let start = reopened_at.unwrap_or(filed);
        let step = |hours: i64| (open && now >= start + hours * HOUR).then_some(start + hours * HOUR);
        let (reminded_24, reminded_36, escalated) = (step(24), step(36), step(DEADLINE_HOURS));

        self.next += 1;
        let reference = app::complaints::service::reference_from(&mut self.rng);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO complaints (reference, person_id, filed_by, kind, dose_id, site_id, status, description, filed_at, due_at,
                 paused_at, first_response_at, closed_at, reopen_count, idempotency_key, reminded_24_at, reminded_36_at, escalated_at)
             VALUES ($1, $2, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
        )
        .bind(&reference)
        .bind(subject.person_id)
        .bind(subject.kind)
        .bind(subject.dose_id)
        .bind(desk.site_id)
        .bind(status)
        .bind(subject.description)
        .bind(filed)
        .bind(due)
        .bind(paused)
        .bind(first_response)
        .bind(closed)
        .bind(i64::from(reopened_at.is_some()))
        .bind(format!("demo-{}", self.next))
        .bind(reminded_24)
        .bind(reminded_36)
        .bind(escalated)
        .fetch_one(&mut *conn)
        .await?;
        sqlx::query("INSERT INTO complaint_changes (complaint_id, field, recorded, requested) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(subject.field.code())
            .bind(&subject.recorded)
            .bind(&subject.requested)
            .execute(&mut *conn)
            .await?;

        let event =
            |at: i64, actor: Actor, kind: EventKind, site: Option<i64>, message: Option<&'static str>| (at, actor, kind, site, message);
        let site = Actor::Site { site_id: desk.site_id, staff_id: desk.staff_id };
        let mut events = vec![event(filed, Actor::Citizen, EventKind::Filed, Some(passed_from.unwrap_or(desk).site_id), None)];
        if let Some(from) = passed_from {
            events.push(event(
                filed + 3 * HOUR,
                Actor::Site { site_id: from.site_id, staff_id: from.staff_id },
                EventKind::Reassigned,
                Some(desk.site_id),
                Some("Mũi này do Trung tâm Y tế huyện tiêm: chuyển để trung tâm đối chiếu sổ tiêm."),
            ));
        }
        match story {
            New | NearlyDue | Overdue => {}
            WaitingForCitizen => events.push(event(
                filed + HOUR,
                site,
                EventKind::InfoRequested,
                None,
                Some("Đề nghị gửi ảnh chụp giấy xác nhận tiêm hoặc CCCD để đối chiếu."),
            )),
            Corrected | Confirmed => {
                let at = closed.unwrap_or(now);
                events.push(event(at, site, EventKind::Corrected, None, Some("Đã đối chiếu giấy tờ và sửa hồ sơ.")));
                self.correct(conn, id, subject, desk, at).await?;
                if story == Confirmed {
                    match self.rng.random_bool(0.6) {
                        true => {
                            events.push(event(at + self.rng.random_range(HOUR..2 * DAY), Actor::Citizen, EventKind::Confirmed, None, None))
                        }
                        false => events.push(event(at + 7 * DAY, Actor::System, EventKind::AutoConfirmed, None, None)),
                    }
                }
            }
            Rejected | Reopened => {
                let at = first_response.unwrap_or(answered);
                events.push(event(
                    at,
                    site,
                    EventKind::Rejected,
                    None,
                    Some("Sổ tiêm chủng của cơ sở ghi đúng như hồ sơ. Đề nghị mang giấy xác nhận tiêm tới cơ sở để đối chiếu."),
                ));
                if let Some(again) = reopened_at {
                    events.push(event(
                        again,
                        Actor::Citizen,
                        EventKind::Reopened,
                        None,
                        Some("Tôi đã gửi ảnh giấy xác nhận tiêm có số lô; đề nghị xem lại."),
                    ));
                }
            }
        }
        if let Some(at) = escalated {
            events.push(event(at, Actor::System, EventKind::Escalated, Some(desk.site_id), None));
        }
        events.sort_by_key(|e| e.0);
        for (at, actor, kind, site, message) in events {
            record_event(conn, id, at, actor, kind, site, message).await.map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
        }
        Ok(())
    }

    /// The correction the site made: the record's field takes the requested value, audited.
    async fn correct(&mut self, conn: &mut AnyConnection, complaint_id: i64, s: &Subject, desk: Desk, at: i64) -> Result<(), sqlx::Error> {
        let (table, row, audited) = match s.dose_id {
            Some(dose) => ("doses", dose, EditedField::Dose(s.field)),
            None => ("people", s.person_id, EditedField::Person(s.field)),
        };
        // Every field a demo complaint asks about is a column of that name.
        let column = s.field.code();
        sqlx::query(&format!("UPDATE {table} SET {column} = $1 WHERE id = $2")).bind(&s.requested).bind(row).execute(&mut *conn).await?;
        sqlx::query(
            "INSERT INTO record_audit (person_id, complaint_id, staff_id, at, field, dose_id, before_value, after_value)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(s.person_id)
        .bind(complaint_id)
        .bind(desk.staff_id)
        .bind(at)
        .bind(audited.code())
        .bind(s.dose_id)
        .bind(&s.recorded)
        .bind(&s.requested)
        .execute(&mut *conn)
        .await?;
        app::verification::service::reverify(
            conn,
            s.person_id,
            app::verification::Cause::staff(app::verification::Source::ComplaintCorrection, desk.staff_id),
            at,
        )
        .await
        .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
        Ok(())
    }
}
