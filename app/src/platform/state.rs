use super::cache::TtlCache;
use super::limits::Limits;
use super::notify::{Mailer, SmsSender};
use super::{Clock, Db};
use crate::registry::PopulationRegistry;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use std::sync::Arc;

/// Settings the request handlers need (the server crate reads them from the environment).
#[derive(Clone)]
pub struct PortalSettings {
    /// The public origin, e.g. https://tiemchung.example.vn: accepted in Origin headers.
    pub public_origin: String,
    /// Behind HTTPS: Secure `__Host-` cookies, HSTS, no demo accounts.
    pub production: bool,
    /// Reverse proxies in front, each appending to X-Forwarded-For (0: use the socket's peer).
    pub trusted_proxies: usize,
    /// Secret mixed into hashes of one-time codes and identifiers.
    pub secret: String,
}

/// Printed without the secret.
impl std::fmt::Debug for PortalSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PortalSettings")
            .field("public_origin", &self.public_origin)
            .field("production", &self.production)
            .field("trusted_proxies", &self.trusted_proxies)
            .finish_non_exhaustive()
    }
}

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub mailer: Arc<dyn Mailer>,
    pub sms: Arc<dyn SmsSender>,
    pub registry: Arc<dyn PopulationRegistry>,
    pub limits: Arc<Limits>,
    /// The public numbers, kept a minute per subject and period.
    pub numbers_cache: Arc<TtlCache<Option<crate::supervision::NumbersQuery>>>,
    /// The vaccine products (code, name): reference data the migrations write, read once.
    pub products: Arc<tokio::sync::OnceCell<Vec<(String, String)>>>,
    pub settings: Arc<PortalSettings>,
    /// The bound on CPU-heavy work (QR reading) over the whole server.
    pub heavy: Arc<super::heavy::HeavyWork>,
    /// The public revocation list, built once per change (how many revoked, the latest).
    pub revocation_list: Arc<super::cache::Versioned<(i64, i64)>>,
    /// Signs vaccine certificates (the key never leaves it).
    pub signer: Arc<crate::certificates::keys::DocumentSigner>,
}
