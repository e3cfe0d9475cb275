//! The public revocation list (`/api/dcc/revocation-list`), built once per change: each request
//! reads only where the revocations are at (how many, and the latest, from the
//! `certificates_revoked` index) and gets the list built for that point
//! (`platform::cache::Versioned`, kept in `AppState::revocation_list`).

use super::service;
use crate::platform::cache::Document;
use crate::platform::{AppError, AppState};

pub async fn current(state: &AppState) -> Result<Document, AppError> {
    let mut conn = state.db.read().acquire().await?;
    let at = service::revocations_at(&mut conn).await?;
    state
        .revocation_list
        .get(at, || async move {
            let revoked = service::revoked_hashes(&mut conn).await?;
            let when = |t: i64| chrono::DateTime::from_timestamp(t, 0).map(|t| t.to_rfc3339()).unwrap_or_default();
            serde_json::to_vec(&serde_json::json!({
                "hashType": "SHA256-UVCI",
                "revoked": revoked.iter().map(|(hash, at)| serde_json::json!({"hash": hash, "revokedAt": when(*at)})).collect::<Vec<_>>(),
            }))
            .map_err(AppError::internal)
        })
        .await
}
