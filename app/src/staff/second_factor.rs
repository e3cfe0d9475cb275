//! The second factor for staff: time-based one-time codes (RFC 6238: HMAC-SHA1, 30-second
//! steps, 6 digits, one step of clock drift either way), each usable once, and ten single-use
//! recovery codes. Required for supervisors and administrators, offered to site staff.
//!
//! After the password, a sign-in that needs a second step waits in `staff_pending_logins`
//! (10 minutes, 5 tries) behind its own cookie; the staff session starts only once the code
//! is right, so no page is reachable with the password alone.

use super::StaffRole;
use crate::i18n::{Lang, tr};
use crate::platform::outbox::{Channel, enqueue};
use crate::platform::session::{keyed_hash, random_token};
use crate::platform::shared_limits::{self, Bucket};
use crate::platform::{AppError, AppState, Db};
use hmac::{Hmac, Mac};
use rand::Rng;
use sha1::Sha1;
use sha2::Sha256;

pub const PENDING_COOKIE: &str = "xac_thuc";
pub const PENDING_SECS: i64 = 10 * 60;
const MAX_TRIES: i64 = 5;
/// How long an account's second step stays locked once its wrong codes pass the allowance
/// (`Bucket::SecondStepFailures`: 10 in 15 minutes, over all its sign-ins).
pub const LOCK_SECS: i64 = 30 * 60;
const STEP_SECS: i64 = 30;
const RECOVERY_CODES: usize = 10;

impl StaffRole {
    /// Supervisors and administrators see whole areas: a password alone never opens them.
    pub fn requires_second_factor(self) -> bool {
        matches!(self, StaffRole::Supervisor | StaffRole::Admin)
    }
}

/// The 6-digit code of `key` for the 30-second step holding `unix_secs`.
pub fn code_at(key: &[u8], unix_secs: i64) -> String {
    format!("{:06}", hotp(key, unix_secs.div_euclid(STEP_SECS)))
}

fn hotp(key: &[u8], counter: i64) -> u32 {
    let mut mac = Hmac::<Sha1>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = (digest[19] & 0x0f) as usize;
    let value = u32::from_be_bytes([digest[offset] & 0x7f, digest[offset + 1], digest[offset + 2], digest[offset + 3]]);
    value % 1_000_000
}

/// The step whose code `code` is, within one step of `unix_secs`.
fn matching_step(key: &[u8], code: &str, unix_secs: i64) -> Option<i64> {
    let now = unix_secs.div_euclid(STEP_SECS);
    (now - 1..=now + 1).find(|step| format!("{:06}", hotp(key, *step)) == code)
}

/// RFC 4648 base32 without padding, as authenticator apps take keys.
pub fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0);
    for byte in bytes {
        buffer = (buffer << 8) | u32::from(*byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// Keys are kept sealed: XOR with a pad derived from APP_SECRET and the account, so a copy of
/// the database without the secret holds no usable key.
fn pad(secret: &str, staff_id: i64) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(format!("totp-key:{staff_id}").as_bytes());
    mac.finalize().into_bytes().to_vec()
}

fn seal(secret: &str, staff_id: i64, key: &[u8]) -> String {
    hex::encode(key.iter().zip(pad(secret, staff_id)).map(|(k, p)| k ^ p).collect::<Vec<u8>>())
}

fn unseal(state: &AppState, staff_id: i64, sealed: &str) -> Option<Vec<u8>> {
    let bytes = hex::decode(sealed).ok()?;
    Some(bytes.iter().zip(pad(&state.settings.secret, staff_id)).map(|(k, p)| k ^ p).collect())
}

/// What the account needs after its password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    Nothing,
    Code,
    Enrolment,
}

pub async fn needs(state: &AppState, staff_id: i64, role: StaffRole) -> Result<Needs, AppError> {
    Ok(if enabled(state, staff_id).await? {
        Needs::Code
    } else if role.requires_second_factor() {
        Needs::Enrolment
    } else {
        Needs::Nothing
    })
}

pub async fn enabled(state: &AppState, staff_id: i64) -> Result<bool, AppError> {
    let sealed: Option<Option<String>> =
        sqlx::query_scalar("SELECT totp_secret FROM staff WHERE id = $1").bind(staff_id).fetch_optional(state.db.read()).await?;
    Ok(sealed.flatten().is_some())
}

fn pending_hash(state: &AppState, token: &str) -> String {
    keyed_hash(&state.settings.secret, "pending-login", token)
}

/// A sign-in whose password was right, waiting for its second step; returns the cookie value.
pub async fn start_pending(state: &AppState, staff_id: i64) -> Result<String, AppError> {
    let token = random_token();
    sqlx::query("INSERT INTO staff_pending_logins (token_hash, staff_id, expires_at) VALUES ($1, $2, $3)")
        .bind(pending_hash(state, &token))
        .bind(staff_id)
        .bind(state.clock.now().timestamp() + PENDING_SECS)
        .execute(state.db.write())
        .await?;
    Ok(token)
}

/// The account a live pending sign-in is for.
pub async fn pending(state: &AppState, token: &str) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT staff_id FROM staff_pending_logins WHERE token_hash = $1 AND expires_at > $2 AND attempts < $3")
        .bind(pending_hash(state, token))
        .bind(state.clock.now().timestamp())
        .bind(MAX_TRIES)
        .fetch_optional(state.db.read())
        .await?)
}

/// Counts one try of the pending sign-in; false when its tries are spent.
pub async fn claim_try(state: &AppState, token: &str) -> Result<bool, AppError> {
    let claimed = sqlx::query("UPDATE staff_pending_logins SET attempts = attempts + 1 WHERE token_hash = $1 AND attempts < $2")
        .bind(pending_hash(state, token))
        .bind(MAX_TRIES)
        .execute(state.db.write())
        .await?
        .rows_affected();
    Ok(claimed == 1)
}

pub async fn finish_pending(state: &AppState, token: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM staff_pending_logins WHERE token_hash = $1")
        .bind(pending_hash(state, token))
        .execute(state.db.write())
        .await?;
    Ok(())
}

/// Whether `code` (from the app, or a recovery code) is right for the account now. A code
/// from the app works once; a recovery code works once.
pub async fn verify(state: &AppState, staff_id: i64, code: &str) -> Result<bool, AppError> {
    let code: String = code.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>().to_ascii_lowercase();
    let sealed: Option<String> = sqlx::query_scalar("SELECT totp_secret FROM staff WHERE id = $1 AND disabled_at IS NULL")
        .bind(staff_id)
        .fetch_optional(state.db.read())
        .await?
        .flatten();
    let Some(key) = sealed.and_then(|s| unseal(state, staff_id, &s)) else {
        return Ok(false);
    };
    let now = state.clock.now().timestamp();
    if code.len() == 6
        && let Some(step) = matching_step(&key, &code, now)
    {
        // A step once used is spent: the same code seen twice (shoulder, replay) fails.
        let fresh = sqlx::query("UPDATE staff SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)")
            .bind(staff_id)
            .bind(step)
            .execute(state.db.write())
            .await?
            .rows_affected();
        return Ok(fresh == 1);
    }
    let used = sqlx::query("UPDATE staff_recovery_codes SET used_at = $3 WHERE staff_id = $1 AND code_hash = $2 AND used_at IS NULL")
        .bind(staff_id)
        .bind(keyed_hash(&state.settings.secret, "recovery-code", &code))
        .bind(now)
        .execute(state.db.write())
        .await?
        .rows_affected();
    if used == 1 {
        tracing::warn!(target: "security", event = "recovery_code_used", staff = staff_id, "a recovery code was used");
    }
    Ok(used == 1)
}

/// Whether the account's second step is locked now (too many wrong codes lately).
pub async fn locked(state: &AppState, staff_id: i64) -> Result<bool, AppError> {
    let until: Option<Option<i64>> = sqlx::query_scalar("SELECT second_step_locked_until FROM staff WHERE id = $1")
        .bind(staff_id)
        .fetch_optional(state.db.read())
        .await?;
    Ok(until.flatten().is_some_and(|until| until > state.clock.now().timestamp()))
}

pub fn locked_message(lang: Lang) -> &'static str {
    tr(
        lang,
        "Mã xác thực đã bị nhập sai quá nhiều lần: tài khoản tạm khóa đăng nhập 30 phút. Chủ tài khoản đã được báo qua email.",
        "The verification code was wrong too many times: sign-in to this account is locked for 30 minutes. Its owner has been emailed.",
    )
}

/// Counts a wrong code against the account, over all its sign-ins and servers. Past the
/// allowance the second step locks for `LOCK_SECS` and the owner is emailed (once a lock, in
/// the lock's own transaction). True when the account is locked now.
pub async fn count_failure(state: &AppState, staff_id: i64) -> Result<bool, AppError> {
    let failures = shared_limits::record(state, Bucket::SecondStepFailures, &staff_id.to_string(), 1).await?;
    if failures < Bucket::SecondStepFailures.max() {
        return Ok(false);
    }
    let now = state.clock.now().timestamp();
    let mut tx = state.db.begin().await?;
    let locked: Option<String> = sqlx::query_scalar(
        "UPDATE staff SET second_step_locked_until = $2
         WHERE id = $1 AND (second_step_locked_until IS NULL OR second_step_locked_until <= $3) RETURNING email",
    )
    .bind(staff_id)
    .bind(now + LOCK_SECS)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(email) = locked {
        enqueue(
            &mut tx,
            Channel::Email,
            &email,
            "Tài khoản tạm khóa đăng nhập / Sign-in to your account is locked",
            &format!(
                "Mã xác thực (bước thứ hai) của tài khoản này trên cổng phản ánh dữ liệu tiêm chủng đã bị nhập sai {failures} lần \
                 trong 15 phút, nghĩa là ai đó đã biết mật khẩu của bạn. Đăng nhập bị khóa 30 phút. \
                 Nếu không phải bạn, hãy đổi mật khẩu ngay khi đăng nhập lại và báo người quản lý của bạn.\n\n\
                 The second-step code of this account on the vaccination records portal was wrong {failures} times \
                 in 15 minutes, so someone knows your password. Sign-in is locked for 30 minutes. \
                 If it was not you, change your password as soon as you sign in again and tell your manager."
            ),
            now,
        )
        .await?;
        tracing::warn!(target: "security", event = "second_factor_account_locked", staff = staff_id, failures, "second step locked for the account");
    }
    tx.commit().await?;
    Ok(true)
}

/// A key being set up: made (and kept sealed) on first call, the same until confirmed.
pub struct Enrolment {
    pub key: Vec<u8>,
}

pub async fn enrolment(state: &AppState, staff_id: i64) -> Result<Enrolment, AppError> {
    let sealed: Option<String> =
        sqlx::query_scalar("SELECT totp_pending FROM staff WHERE id = $1").bind(staff_id).fetch_one(state.db.read()).await?;
    if let Some(key) = sealed.and_then(|s| unseal(state, staff_id, &s)) {
        return Ok(Enrolment { key });
    }
    let key = new_key();
    sqlx::query("UPDATE staff SET totp_pending = $2 WHERE id = $1")
        .bind(staff_id)
        .bind(seal(&state.settings.secret, staff_id, &key))
        .execute(state.db.write())
        .await?;
    Ok(Enrolment { key: key.to_vec() })
}

/// Confirms the key being set up with a code from the app; returns the recovery codes (shown
/// once, kept only as hashes), or `None` if the code is not right.
pub async fn confirm_enrolment(state: &AppState, staff_id: i64, code: &str) -> Result<Option<Vec<String>>, AppError> {
    let code: String = code.chars().filter(|c| c.is_ascii_digit()).collect();
    let Enrolment { key } = enrolment(state, staff_id).await?;
    let now = state.clock.now().timestamp();
    let Some(step) = matching_step(&key, &code, now) else {
        return Ok(None);
    };
    let codes = enable(&state.db, &state.settings.secret, staff_id, &key, Some(step)).await?;
    tracing::info!(target: "security", event = "second_factor_enabled", staff = staff_id, "second factor set up");
    Ok(Some(codes))
}

/// A new random key, for an account created from the command line.
pub fn new_key() -> [u8; 20] {
    rand::rng().random()
}

/// Turns the second factor on with `key` (`used_step`: the step of the code that confirmed
/// it, spent) and returns ten new recovery codes. `secret` is APP_SECRET.
pub async fn enable(db: &Db, secret: &str, staff_id: i64, key: &[u8], used_step: Option<i64>) -> Result<Vec<String>, AppError> {
    let codes: Vec<String> = (0..RECOVERY_CODES)
        .map(|_| {
            let n: u64 = rand::rng().random_range(0..10u64.pow(10));
            let digits = format!("{n:010}");
            format!("{}-{}", &digits[..5], &digits[5..])
        })
        .collect();
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE staff SET totp_secret = $2, totp_pending = NULL, totp_last_step = $3 WHERE id = $1")
        .bind(staff_id)
        .bind(seal(secret, staff_id, key))
        .bind(used_step)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM staff_recovery_codes WHERE staff_id = $1").bind(staff_id).execute(&mut *tx).await?;
    for code in &codes {
        sqlx::query("INSERT INTO staff_recovery_codes (staff_id, code_hash) VALUES ($1, $2)")
            .bind(staff_id)
            .bind(keyed_hash(secret, "recovery-code", &code.replace('-', "")))
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(codes)
}

/// The `otpauth://` address an authenticator app reads (typed in, or from a link on a phone).
pub fn otpauth_uri(key: &[u8], email: &str) -> String {
    let label: String = email
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-._@".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect();
    format!("otpauth://totp/TiemChung:{label}?secret={}&issuer=TiemChung&digits=6&period=30", base32(key))
}

/// The key as people type it: groups of four.
pub fn grouped(key: &[u8]) -> String {
    base32(key).as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_rfc_6238() {
        // RFC 6238 appendix B, SHA-1 key "12345678901234567890", last 6 digits.
        let key = b"12345678901234567890";
        assert_eq!(code_at(key, 59), "287082");
        assert_eq!(code_at(key, 1111111109), "081804");
        assert_eq!(code_at(key, 2000000000), "279037");
        assert_eq!(matching_step(key, "287082", 59 + 30), Some(1), "one step of drift is accepted");
        assert_eq!(matching_step(key, "287082", 59 + 90), None);
    }

    #[test]
    fn keys_are_written_in_base32() {
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32(b"12345678901234567890"), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    }
}
