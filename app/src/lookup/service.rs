use super::{CODE_TTL_SECS, Identifier, MAX_CODE_ATTEMPTS};
use crate::domain::{BirthDate, Email, Phone};
use crate::platform::notify::Outgoing;
use crate::platform::session::{keyed_hash, random_token};
use crate::platform::shared_limits::{self, Bucket};
use crate::platform::{AppError, AppState};
use rand::Rng;

#[derive(Debug)]
pub enum LookupRefused {
    TooManyRequests,
}

/// Starts a lookup: records it, and if a record matches, sends a one-time code to every
/// contact on file. Returns the lookup token whether or not anything matched, so the answer
/// (and its timing: sending happens in the background) is the same either way.
///
/// Guessing is bounded per person, whichever identifier reached them: a wrong birth date is
/// counted against every record the identifier reached, and a person gets at most
/// `Bucket::CodesSent.max()` codes a day. A wrong date never blocks the right one, so a
/// stranger hammering an ID number cannot lock its owner out.
pub async fn start(
    state: &AppState,
    identifier: &Identifier,
    birth_date: BirthDate,
    client_ip: &str,
) -> Result<Result<String, LookupRefused>, AppError> {
    if !state.limits.allow_lookup(client_ip) {
        return Ok(Err(LookupRefused::TooManyRequests));
    }
    let (person, reached) = find_person(state, identifier, birth_date).await?;
    if person.is_none() {
        for id in &reached {
            let failures = shared_limits::record(state, Bucket::LookupFailures, &id.to_string(), 1).await?;
            if failures == Bucket::LookupFailures.max() + 1 {
                tracing::warn!(target: "security", event = "lookup_guessing", person = id, client = %client_ip, failures, "many wrong birth dates for one person today");
            }
        }
    }
    // Past the day's codes, the lookup is recorded as matching nobody: the answer stays the
    // same, and no code exists to be guessed.
    let person = match person {
        Some(p) if shared_limits::take(state, Bucket::CodesSent, &p.id.to_string()).await? => Some(p),
        Some(p) => {
            tracing::warn!(target: "security", event = "lookup_codes_capped", person = p.id, client = %client_ip, "a person's codes for today are spent");
            None
        }
        None => None,
    };
    let token = random_token();
    let code = format!("{:06}", rand::rng().random_range(0..1_000_000u32));
    let now = state.clock.now().timestamp();
    sqlx::query("INSERT INTO lookups (id_hash, person_id, code_hash, attempts, created_at, expires_at) VALUES ($1, $2, $3, 0, $4, $5)")
        .bind(keyed_hash(&state.settings.secret, "lookup", &token))
        .bind(person.as_ref().map(|p| p.id))
        .bind(code_hash(state, &token, &code))
        .bind(now)
        .bind(now + CODE_TTL_SECS)
        .execute(state.db.write())
        .await?;
    if let Some(person) = person {
        tokio::spawn(send_code(state.clone(), person, code));
    }
    Ok(Ok(token))
}

#[derive(Debug, PartialEq, Eq)]
pub enum CodeRefused {
    /// No live lookup behind this browser's cookie: expired, used or never started.
    Expired,
    Wrong {
        tries_left: i64,
    },
    Locked,
    TooManyRequests,
}

/// Checks a code against the lookup it was sent for. On success the lookup is spent and the
/// matched person's id returned.
pub async fn verify(state: &AppState, token: &str, code: &str, client_ip: &str) -> Result<Result<i64, CodeRefused>, AppError> {
    if !state.limits.allow_code_attempt(client_ip) {
        return Ok(Err(CodeRefused::TooManyRequests));
    }
    let id_hash = keyed_hash(&state.settings.secret, "lookup", token);
    let now = state.clock.now().timestamp();
    let row: Option<LookupRow> = sqlx::query_as("SELECT person_id, code_hash, expires_at, used_at FROM lookups WHERE id_hash = $1")
        .bind(&id_hash)
        .fetch_optional(state.db.read())
        .await?;
    let Some(LookupRow { person_id, code_hash: stored_hash, expires_at, used_at }) = row else {
        return Ok(Err(CodeRefused::Expired));
    };
    if used_at.is_some() || now > expires_at {
        return Ok(Err(CodeRefused::Expired));
    }
    // Claim one attempt atomically, so parallel guesses cannot exceed the limit.
    let claimed = sqlx::query("UPDATE lookups SET attempts = attempts + 1 WHERE id_hash = $1 AND attempts < $2")
        .bind(&id_hash)
        .bind(MAX_CODE_ATTEMPTS)
        .execute(state.db.write())
        .await?
        .rows_affected();
    if claimed == 0 {
        tracing::warn!(target: "security", event = "code_locked", client = %client_ip, "a lookup's code tries are spent");
        return Ok(Err(CodeRefused::Locked));
    }
    let attempts: i64 =
        sqlx::query_scalar("SELECT attempts FROM lookups WHERE id_hash = $1").bind(&id_hash).fetch_one(state.db.write()).await?;
    match person_id {
        Some(person_id) if code_hash(state, token, code) == stored_hash => {
            let spent = sqlx::query("UPDATE lookups SET used_at = $1 WHERE id_hash = $2 AND used_at IS NULL")
                .bind(now)
                .bind(&id_hash)
                .execute(state.db.write())
                .await?
                .rows_affected();
            if spent == 1 { Ok(Ok(person_id)) } else { Ok(Err(CodeRefused::Expired)) }
        }
        _ if attempts >= MAX_CODE_ATTEMPTS => {
            tracing::warn!(target: "security", event = "code_locked", client = %client_ip, "a lookup's code tries are spent");
            Ok(Err(CodeRefused::Locked))
        }
        _ => Ok(Err(CodeRefused::Wrong { tries_left: MAX_CODE_ATTEMPTS - attempts })),
    }
}

#[derive(sqlx::FromRow)]
struct LookupRow {
    person_id: Option<i64>,
    code_hash: String,
    expires_at: i64,
    used_at: Option<i64>,
}

fn code_hash(state: &AppState, token: &str, code: &str) -> String {
    keyed_hash(&state.settings.secret, &format!("code:{token}"), code)
}

struct Matched {
    id: i64,
    phone: Option<String>,
    email: Option<String>,
}

/// The record the identifier and birth date open, if any, and the ids of every record the
/// identifier alone reached.
async fn find_person(state: &AppState, identifier: &Identifier, birth_date: BirthDate) -> Result<(Option<Matched>, Vec<i64>), AppError> {
    let (sql, value) = match identifier {
        Identifier::Id(id) => (
            "SELECT id, birth_date, phone, email FROM people WHERE national_id = $1 AND merged_into IS NULL ORDER BY id LIMIT 50",
            id.as_str(),
        ),
        Identifier::Phone(p) => {
            ("SELECT id, birth_date, phone, email FROM people WHERE phone = $1 AND merged_into IS NULL ORDER BY id LIMIT 50", p.as_str())
        }
    };
    let rows: Vec<(i64, String, Option<String>, Option<String>)> = sqlx::query_as(sql).bind(value).fetch_all(state.db.read()).await?;
    let reached = rows.iter().map(|(id, ..)| *id).collect();
    let matched = rows
        .into_iter()
        .find(|(_, stored, _, _)| BirthDate::from_stored(stored).is_some_and(|recorded| recorded.admits(&birth_date)))
        .map(|(id, _, phone, email)| Matched { id, phone, email });
    Ok((matched, reached))
}

async fn send_code(state: AppState, person: Matched, code: String) {
    let body = format!(
        "Mã xác thực tra cứu hồ sơ tiêm chủng COVID-19 của bạn là {code}. Mã có hiệu lực 10 phút. \
         Không chia sẻ mã này với bất kỳ ai.\n\nYour vaccination record lookup code is {code}. \
         It is valid for 10 minutes. Do not share it with anyone."
    );
    if let Some(email) = person.email.as_deref().and_then(|e| Email::parse(e).ok()) {
        let message = Outgoing {
            to: email.as_str().to_string(),
            subject: "Mã xác thực tra cứu hồ sơ tiêm chủng".into(),
            body: body.clone(),
            id: None,
        };
        if let Err(e) = state.mailer.send(message).await {
            tracing::warn!(to = %email.masked(), error = %e, "could not email a lookup code");
        }
    }
    if let Some(phone) = person.phone.as_deref().and_then(|p| Phone::parse(p).ok()) {
        let message = Outgoing { to: phone.as_str().to_string(), subject: String::new(), body, id: None };
        if let Err(e) = state.sms.send(message).await {
            tracing::warn!(to = %phone.masked(), error = %e, "could not text a lookup code");
        }
    }
}
