//! The public revocation list (`/api/dcc/revocation-list`), built once per change: each request
//! reads only where the list is at (how many certificates are revoked, and the latest
//! revocation, from the `certificates_revoked` index) and gets the list built for that point,
//! rebuilt by one request while the others wait for it.

use super::service;
use crate::platform::{AppError, Db};
use axum::body::Bytes;
use sha2::{Digest, Sha256};

#[derive(Default)]
pub struct RevocationList {
    built: tokio::sync::Mutex<Option<Built>>,
}

/// The list as JSON for one point of the revocations, with its entity tag.
#[derive(Clone)]
pub struct Built {
    at: (i64, i64),
    pub etag: String,
    pub body: Bytes,
}

impl RevocationList {
    pub async fn current(&self, db: &Db) -> Result<Built, AppError> {
        let mut conn = db.read().acquire().await?;
        let at = service::revocations_at(&mut conn).await?;
        let mut built = self.built.lock().await;
        if let Some(list) = built.as_ref().filter(|list| list.at == at) {
            return Ok(list.clone());
        }
        let revoked = service::revoked_hashes(&mut conn).await?;
        let when = |t: i64| chrono::DateTime::from_timestamp(t, 0).map(|t| t.to_rfc3339()).unwrap_or_default();
        let body = serde_json::to_vec(&serde_json::json!({
            "hashType": "SHA256-UVCI",
            "revoked": revoked.iter().map(|(hash, at)| serde_json::json!({"hash": hash, "revokedAt": when(*at)})).collect::<Vec<_>>(),
        }))
        .map_err(AppError::internal)?;
        let etag = format!("\"{}\"", &hex::encode(Sha256::digest(&body))[..32]);
        let list = Built { at, etag, body: Bytes::from(body) };
        *built = Some(list.clone());
        Ok(list)
    }
}
