//! Limits that protect people, accounts and codes, kept in the database so that every server
//! on it shares them and a restart forgets nothing. Fixed windows: one row per bucket, key and
//! window, keyed by a keyed hash (never an identifier or an email in clear). Per-address flood
//! limits stay in memory (`limits.rs`).

use super::session::keyed_hash;
use super::together::Step;
use super::{AppError, AppState};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {
    /// Lookups that reached a person by ID or phone with a birth date that did not match.
    LookupFailures,
    /// One-time codes sent to one person.
    CodesSent,
    /// Failed staff sign-ins to one account.
    LoginFailures,
    /// Wrong second-step codes for one account, over all its sign-ins.
    SecondStepFailures,
    /// Records (with their registry values and candidates) one staff account opens.
    RecordViews,
    /// Records one staff account edits directly.
    RecordEdits,
    /// Complaints filed from one citizen's session.
    ComplaintsPerHour,
    ComplaintsPerDay,
    /// Evidence files sent from one citizen's session.
    UploadsPerHour,
    UploadsPerDay,
}

impl Bucket {
    fn code(self) -> &'static str {
        match self {
            Bucket::LookupFailures => "lookup_failures",
            Bucket::CodesSent => "codes_sent",
            Bucket::LoginFailures => "login_failures",
            Bucket::SecondStepFailures => "second_step_failures",
            Bucket::RecordViews => "record_views",
            Bucket::RecordEdits => "record_edits",
            Bucket::ComplaintsPerHour => "complaints_hour",
            Bucket::ComplaintsPerDay => "complaints_day",
            Bucket::UploadsPerHour => "uploads_hour",
            Bucket::UploadsPerDay => "uploads_day",
        }
    }

    fn window_secs(self) -> i64 {
        match self {
            Bucket::LoginFailures | Bucket::SecondStepFailures => 15 * 60,
            Bucket::ComplaintsPerHour | Bucket::UploadsPerHour | Bucket::RecordViews | Bucket::RecordEdits => 3600,
            Bucket::LookupFailures | Bucket::CodesSent | Bucket::ComplaintsPerDay | Bucket::UploadsPerDay => 24 * 3600,
        }
    }

    /// How many the window allows (README, "Security", explains each number).
    pub fn max(self) -> i64 {
        match self {
            Bucket::LookupFailures => 20,
            Bucket::CodesSent => 5,
            Bucket::LoginFailures => 10,
            // Two sign-ins' worth of tries (5 each): then the account's second step is locked.
            Bucket::SecondStepFailures => 10,
            // A clerk works a record in a minute or two; a script reading the registry does not.
            Bucket::RecordViews => 300,
            Bucket::RecordEdits => 120,
            // A shared phone serves a household: a few people, a few problems each.
            Bucket::ComplaintsPerHour => 20,
            Bucket::ComplaintsPerDay => 50,
            // Five files a complaint at most.
            Bucket::UploadsPerHour => 100,
            Bucket::UploadsPerDay => 250,
        }
    }
}

fn key_hash(state: &AppState, bucket: Bucket, key: &str) -> String {
    keyed_hash(&state.settings.secret, bucket.code(), key)
}

fn window_start(state: &AppState, bucket: Bucket) -> i64 {
    let now = state.clock.now().timestamp();
    now - now.rem_euclid(bucket.window_secs())
}

/// How many were counted for `key` in the current window.
pub async fn count(state: &AppState, bucket: Bucket, key: &str) -> Result<i64, AppError> {
    let hits: Option<i64> = sqlx::query_scalar("SELECT hits FROM limit_counters WHERE bucket = $1 AND key_hash = $2 AND window_start = $3")
        .bind(bucket.code())
        .bind(key_hash(state, bucket, key))
        .bind(window_start(state, bucket))
        .fetch_optional(state.db.read())
        .await?;
    Ok(hits.unwrap_or(0))
}

/// Counts `n` more for `key` and returns the window's total, atomically across servers.
pub async fn record(state: &AppState, bucket: Bucket, key: &str, n: i64) -> Result<i64, AppError> {
    let totals = record_in(state.db.write(), state, key, &[(bucket, n)]).await?;
    Ok(totals.first().copied().unwrap_or(n))
}

/// Counts so many more (`(bucket, n)`, one row each) for `key` in one statement, on `conn`: the
/// pool, or the caller's transaction, so that they are counted if and only if what they count
/// is kept. The windows' totals, in no particular order.
pub async fn record_in<'c>(
    conn: impl sqlx::Executor<'c, Database = sqlx::Any>,
    state: &AppState,
    key: &str,
    counted: &[(Bucket, i64)],
) -> Result<Vec<i64>, AppError> {
    let Some(step) = counting(state, key, counted) else {
        return Ok(Vec::new());
    };
    let (sql, args) = step.alone(None);
    Ok(sqlx::query_scalar_with(&sql, args).fetch_all(conn).await?)
}

/// `record_in` as a step of a change made together; none if nothing is counted.
pub fn counting(state: &AppState, key: &str, counted: &[(Bucket, i64)]) -> Option<Step> {
    if counted.is_empty() {
        return None;
    }
    let sql = format!(
        "INSERT INTO limit_counters (bucket, key_hash, window_start, hits) VALUES {}
         ON CONFLICT (bucket, key_hash, window_start) DO UPDATE SET hits = limit_counters.hits + excluded.hits
         RETURNING hits",
        super::db::values_list(state.db.backend, counted.len(), 4)
    );
    Some(counted.iter().fold(Step::new(sql), |step, (bucket, n)| {
        step.bind(bucket.code()).bind(key_hash(state, *bucket, key)).bind(window_start(state, *bucket)).bind(*n)
    }))
}

/// Counts one more and says whether it is still within the window's allowance.
pub async fn take(state: &AppState, bucket: Bucket, key: &str) -> Result<bool, AppError> {
    Ok(record(state, bucket, key, 1).await? <= bucket.max())
}

/// Whether so many more (`(bucket, n)`) would stay within each bucket's allowance for `key`,
/// without counting them (one read).
pub async fn room_for(state: &AppState, key: &str, wanted: &[(Bucket, i64)]) -> Result<bool, AppError> {
    if wanted.is_empty() {
        return Ok(true);
    }
    let wheres: Vec<String> = (0..wanted.len())
        .map(|i| format!("(bucket = ${} AND key_hash = ${} AND window_start = ${})", 3 * i + 1, 3 * i + 2, 3 * i + 3))
        .collect();
    let sql = format!("SELECT bucket, hits FROM limit_counters WHERE {}", wheres.join(" OR "));
    let query = wanted.iter().fold(sqlx::query_as::<_, (String, i64)>(&sql), |q, (bucket, _)| {
        q.bind(bucket.code()).bind(key_hash(state, *bucket, key)).bind(window_start(state, *bucket))
    });
    let counted = query.fetch_all(state.db.read()).await?;
    Ok(wanted.iter().all(|(bucket, n)| {
        let hits = counted.iter().find(|(code, _)| code == bucket.code()).map_or(0, |(_, hits)| *hits);
        hits + n <= bucket.max()
    }))
}

/// Removes windows that ended more than a day ago.
pub async fn remove_old(state: &AppState) -> Result<u64, AppError> {
    let before = state.clock.now().timestamp() - 2 * 24 * 3600;
    Ok(sqlx::query("DELETE FROM limit_counters WHERE window_start < $1").bind(before).execute(state.db.write()).await?.rows_affected())
}
