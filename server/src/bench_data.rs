//! Complaints in bulk for benchmarks: `server seed-complaints --count N --seed S` spreads N
//! complaints over the people and sites already seeded, filed over the past year, most of
//! them answered (on time or late), some open, some overdue. Reproducible from the seed. Each
//! is as the housekeeping would have left it by now (reminders and escalation sent, a
//! correction nobody reopened confirmed), so a server started on them does not catch up on a
//! year of housekeeping while it is measured.

use app::complaints::REOPEN_DAYS;
use app::platform::Db;
use app::platform::db::values_list;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const KINDS: [&str; 6] = ["missing_dose", "wrong_dose", "personal_data", "id_number", "split_record", "other"];

pub async fn generate_complaints(db: &Db, count: u64, seed: u64, now: i64) -> Result<u64, sqlx::Error> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (people,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(id), 0) FROM people").fetch_one(db.read()).await?;
    let sites: Vec<i64> = sqlx::query_scalar("SELECT id FROM sites ORDER BY id").fetch_all(db.read()).await?;
    let (first_id,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(id), 0) + 1 FROM complaints").fetch_one(db.read()).await?;
    if people == 0 || sites.is_empty() {
        return Err(sqlx::Error::Protocol("seed people first".into()));
    }
    let mut tx = db.begin().await?;
    let mut made = 0u64;
    const COLS: usize = 17;
    while made < count {
        let n = (count - made).min(500) as usize;
        let sql = format!(
            "INSERT INTO complaints (id, reference, person_id, filed_by, kind, site_id, status, description, filed_at, due_at,
                 first_response_at, closed_at, reopen_count, idempotency_key, reminded_24_at, reminded_36_at, escalated_at) VALUES {}",
            values_list(db.backend, n, COLS)
        );
        let mut q = sqlx::query(&sql);
        for i in 0..n {
            let id = first_id + (made as i64) + i as i64;
            let person = rng.random_range(1..=people);
            let filed = now - rng.random_range(0..365 * 86_400);
            let due = filed + 48 * 3600;
            let age = now - filed;
            // Answered within 1-96 hours for most; the rest still open (overdue once old).
            let answered_after = rng.random_range(3600..96 * 3600);
            let open = age < answered_after || rng.random_bool(0.03);
            let (status, first, closed) = if open {
                ("open", (age > 6 * 3600 && rng.random_bool(0.5)).then(|| filed + 3 * 3600), None)
            } else {
                let status = ["resolved", "confirmed", "confirmed", "rejected"][rng.random_range(0..4)];
                // Confirmed by housekeeping once nobody reopened it in time.
                let status = if status == "resolved" && age - answered_after > REOPEN_DAYS * 86_400 { "confirmed" } else { status };
                (status, Some(filed + answered_after / 2), Some(filed + answered_after))
            };
            q = q
                .bind(id)
                .bind(format!("PA-B{:07}", id))
                .bind(person)
                .bind(person)
                .bind(KINDS[rng.random_range(0..KINDS.len())])
                .bind(sites[rng.random_range(0..sites.len())])
                .bind(status)
                .bind("")
                .bind(filed)
                .bind(due)
                .bind(first)
                .bind(closed)
                .bind(i64::from(!open && rng.random_bool(0.05)))
                .bind(format!("bench-{id}"))
                // The reminders (24 and 12 hours before the deadline) and the escalation at it,
                // sent while the complaint was still open.
                .bind(step_done(filed + 24 * 3600, now, closed))
                .bind(step_done(filed + 36 * 3600, now, closed))
                .bind(step_done(due, now, closed));
        }
        q.execute(&mut *tx).await?;
        made += n as u64;
    }
    if db.backend == app::platform::Backend::Postgres {
        // The rows were written with their ids: the identity goes on after them, or the next
        // complaint filed would take an id already used.
        sqlx::query("SELECT setval(pg_get_serial_sequence('complaints', 'id'), (SELECT MAX(id) FROM complaints))")
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    // Statistics for the planner; on PostgreSQL also the visibility map, so index-only scans
    // need not visit the table (autovacuum does the same a little later in production).
    let analyze = match db.backend {
        app::platform::Backend::Sqlite => "ANALYZE",
        app::platform::Backend::Postgres => "VACUUM ANALYZE",
    };
    sqlx::query(analyze).execute(db.write()).await?;
    Ok(made)
}

/// When housekeeping did the step due `at` (a reminder, the escalation): if that time has come
/// and the complaint was still open then.
fn step_done(at: i64, now: i64, closed_at: Option<i64>) -> Option<i64> {
    (at <= now && closed_at.is_none_or(|closed| closed > at)).then_some(at)
}
