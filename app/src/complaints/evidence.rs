//! Evidence files: photos and PDFs of vaccination cards. The type is decided by the file's
//! first bytes, never by its name or the browser's claim. Files live in the database beside
//! the complaint (one transaction, one backup) and are served only to the household that
//! filed the complaint and the staff of the site holding it.
//!
//! Files arrive with a form. While that form has not been filed (a field was refused), they
//! wait under the form's key so the citizen does not have to pick them again.

use super::EvidenceView;
use super::file_safety::{sanitize, served_name};
use crate::domain::FieldError;
use crate::platform::submission::FilePart;
use crate::platform::together::Step;
use crate::platform::{AppError, AppState};
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

pub const MAX_FILES: i64 = 5;

/// The content type of a file we accept, from its first bytes.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else {
        None
    }
}

/// Keeps the acceptable files under `form_key`, skipping ones already kept (a resubmitted
/// form), and says why any other file was not kept.
pub async fn keep(state: &AppState, form_key: &str, uploaded_by: i64, files: &[FilePart]) -> Result<Option<FieldError>, AppError> {
    if files.is_empty() {
        return Ok(None);
    }
    let mut problem = None;
    let now = state.clock.now().timestamp();
    let mut tx = state.db.begin().await?;
    for file in files {
        if file.too_large {
            problem = Some(FieldError::FileTooLarge);
            continue;
        }
        let Some(content_type) = sniff(&file.bytes) else {
            problem = Some(FieldError::FileType);
            continue;
        };
        let bytes = match sanitize(content_type, &file.bytes) {
            Ok(bytes) => bytes,
            Err(refused) => {
                problem = Some(refused);
                continue;
            }
        };
        let sha = hex::encode(Sha256::digest(&bytes));
        let (count, same): (i64, i64) =
            sqlx::query_as("SELECT COUNT(*), COALESCE(SUM(CASE WHEN sha256 = $2 THEN 1 ELSE 0 END), 0) FROM evidence WHERE form_key = $1 AND uploaded_by = $3")
                .bind(form_key)
                .bind(&sha)
                .bind(uploaded_by)
                .fetch_one(&mut *tx)
                .await?;
        if same > 0 {
            continue;
        }
        if count >= MAX_FILES {
            problem = Some(FieldError::TooManyFiles);
            continue;
        }
        sqlx::query(
            "INSERT INTO evidence (token, form_key, uploaded_by, file_name, content_type, size_bytes, sha256, content, uploaded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(crate::platform::session::random_token())
        .bind(form_key)
        .bind(uploaded_by)
        .bind(served_name(&file.file_name, content_type))
        .bind(content_type)
        .bind(bytes.len() as i64)
        .bind(sha)
        .bind(bytes)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(problem)
}

/// Attaches the files kept under `form_key` to the complaint, inside the caller's transaction.
pub async fn attach(conn: &mut AnyConnection, form_key: &str, uploaded_by: i64, complaint_id: i64) -> Result<(), AppError> {
    attach_step(form_key, uploaded_by).execute(conn, Some(complaint_id)).await?;
    Ok(())
}

/// `attach` as a step of a change made together (the complaint's id is the change's).
pub fn attach_step(form_key: &str, uploaded_by: i64) -> Step {
    Step::new("UPDATE evidence SET complaint_id = {id} WHERE form_key = $1 AND uploaded_by = $2 AND complaint_id IS NULL")
        .bind(form_key)
        .bind(uploaded_by)
}

/// Files waiting for their form to be filed.
pub async fn pending(state: &AppState, form_key: &str, uploaded_by: i64) -> Result<Vec<EvidenceView>, AppError> {
    let rows = sqlx::query_as(
        "SELECT token, file_name, content_type, size_bytes FROM evidence
         WHERE form_key = $1 AND uploaded_by = $2 AND complaint_id IS NULL ORDER BY id",
    )
    .bind(form_key)
    .bind(uploaded_by)
    .fetch_all(state.db.read())
    .await?;
    Ok(views(rows))
}

pub async fn of_complaint(state: &AppState, complaint_id: i64) -> Result<Vec<EvidenceView>, AppError> {
    let rows = sqlx::query_as("SELECT token, file_name, content_type, size_bytes FROM evidence WHERE complaint_id = $1 ORDER BY id")
        .bind(complaint_id)
        .fetch_all(state.db.read())
        .await?;
    Ok(views(rows))
}

fn views(rows: Vec<(String, String, String, i64)>) -> Vec<EvidenceView> {
    rows.into_iter()
        .map(|(token, file_name, content_type, size)| EvidenceView {
            token,
            file_name,
            is_image: content_type.starts_with("image/"),
            size_kb: (size + 1023) / 1024,
        })
        .collect()
}

/// A file of this complaint: (content type, file name, bytes).
pub async fn content(state: &AppState, complaint_id: i64, token: &str) -> Result<Option<(String, String, Vec<u8>)>, AppError> {
    Ok(sqlx::query_as("SELECT content_type, file_name, content FROM evidence WHERE complaint_id = $1 AND token = $2")
        .bind(complaint_id)
        .bind(token)
        .fetch_optional(state.db.read())
        .await?)
}

/// Files of forms never filed, kept a day for the citizen to come back, then removed.
pub async fn remove_abandoned(state: &AppState) -> Result<u64, AppError> {
    let cutoff = state.clock.now().timestamp() - 86_400;
    Ok(sqlx::query("DELETE FROM evidence WHERE complaint_id IS NULL AND uploaded_at < $1")
        .bind(cutoff)
        .execute(state.db.write())
        .await?
        .rows_affected())
}

/// The HTTP response for a file: never sniffed, never scripted, never cached by proxies.
pub fn response(content_type: String, file_name: String, bytes: Vec<u8>) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    let disposition = if content_type.starts_with("image/") { "inline" } else { "attachment" };
    // Named again from the type, for files kept before names were.
    let encoded: String = served_name(&file_name, &content_type)
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-._".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect();
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, format!("{disposition}; filename*=UTF-8''{encoded}")),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            (header::CONTENT_SECURITY_POLICY, "default-src 'none'; img-src 'self'; sandbox".to_string()),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_type_comes_from_the_bytes() {
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0rest"), Some("image/jpeg"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Some("image/png"));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff(b"%PDF-1.7"), Some("application/pdf"));
        assert_eq!(sniff(b"<html><script>"), None);
        assert_eq!(sniff(b"MZ\x90\0"), None);
    }
}
