//! Settings from environment variables, with defaults for the embedded (SQLite) mode.
//! A bad value stops start-up with a message naming the variable.

use std::net::SocketAddr;

#[derive(Clone)]
pub struct Settings {
    pub database_url: String,
    /// A PostgreSQL read replica for the numbers pages (DATABASE_READ_URL).
    pub database_read_url: Option<String>,
    /// Connections in each PostgreSQL pool of this server (DATABASE_MAX_CONNECTIONS).
    pub pg_connections: u32,
    pub listen_addr: SocketAddr,
    /// The origin citizens use. When PUBLIC_URL is unset, the address the server listens on
    /// (known once the socket is bound, so port 0 works in tests).
    pub public_url: Option<String>,
    pub smtp_url: Option<String>,
    /// An HTTP SMS gateway (production); without one, texts go to the development log.
    pub sms_gateway: Option<SmsGateway>,
    pub mail_from: String,
    pub secret: String,
    /// How many reverse proxies stand in front of the portal, each appending to X-Forwarded-For.
    pub trusted_proxies: usize,
    pub site_root: String,
    /// Where the certificate signing key and its certificate come from.
    pub dcc_signer: DccSigner,
    /// BENCH_NO_IP_LIMITS=1: the per-address rate limits lifted for the load benchmark (one
    /// address sends everything); refused behind https.
    pub ip_limits_off: bool,
}

/// The Document Signer: files named in the environment (production), or a development pair
/// created once in a directory beside the database.
#[derive(Clone, Debug, PartialEq)]
pub enum DccSigner {
    Files { key: std::path::PathBuf, certificate: std::path::PathBuf },
    Development(std::path::PathBuf),
}

#[derive(Clone)]
pub struct SmsGateway {
    pub url: String,
    pub key: String,
}

/// Printed without secrets: APP_SECRET, the SMTP credentials and the gateway key.
impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("database_url", &self.database_url.split('@').next_back())
            .field("listen_addr", &self.listen_addr)
            .field("public_url", &self.public_url)
            .field("smtp", &self.smtp_url.is_some())
            .field("sms_gateway", &self.sms_gateway.as_ref().map(|g| g.url.split('?').next()))
            .field("trusted_proxies", &self.trusted_proxies)
            .field("site_root", &self.site_root)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
#[error("configuration error in {var}: {reason}")]
pub struct ConfigError {
    pub var: &'static str,
    pub reason: String,
}

const DEV_SECRET: &str = "development-only-secret-change-me-in-production";

impl Settings {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Reads settings through `get`, so tests can pass their own values.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let var = |k: &str| get(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let err = |var: &'static str, reason: &str| ConfigError { var, reason: reason.to_string() };

        let database_url = var("DATABASE_URL").unwrap_or_else(|| "sqlite:portal.sqlite3".into());
        if !(database_url.starts_with("sqlite:") || database_url.starts_with("postgres:") || database_url.starts_with("postgresql:")) {
            return Err(err("DATABASE_URL", "must start with sqlite: or postgres:"));
        }
        let database_read_url = var("DATABASE_READ_URL");
        if database_read_url.as_deref().is_some_and(|u| !(u.starts_with("postgres:") || u.starts_with("postgresql:")))
            || (database_read_url.is_some() && database_url.starts_with("sqlite:"))
        {
            return Err(err("DATABASE_READ_URL", "is a PostgreSQL read replica, beside a PostgreSQL DATABASE_URL"));
        }
        let pg_connections = match var("DATABASE_MAX_CONNECTIONS") {
            None => app::platform::db::DEFAULT_PG_CONNECTIONS,
            Some(n) => n
                .parse()
                .ok()
                .filter(|n| (1..=500).contains(n))
                .ok_or_else(|| err("DATABASE_MAX_CONNECTIONS", "must be a number from 1 to 500"))?,
        };
        let listen_addr = var("LISTEN_ADDR")
            .unwrap_or_else(|| "127.0.0.1:3000".into())
            .parse()
            .map_err(|_| err("LISTEN_ADDR", "must be an address and port, e.g. 127.0.0.1:3000"))?;
        let public_url = var("PUBLIC_URL");
        if let Some(url) = &public_url
            && (!(url.starts_with("http://") || url.starts_with("https://")) || url.ends_with('/'))
        {
            return Err(err("PUBLIC_URL", "must be an origin like https://portal.example.vn, without a trailing slash"));
        }
        let production = public_url.as_deref().is_some_and(|u| u.starts_with("https://"));
        let smtp_url = var("SMTP_URL");
        if let Some(url) = &smtp_url
            && !(url.starts_with("smtp://") || url.starts_with("smtps://"))
        {
            return Err(err("SMTP_URL", "must start with smtp:// or smtps://"));
        }
        // In production one-time codes and set-password links must reach people, never a log.
        if production && smtp_url.is_none() {
            return Err(err("SMTP_URL", "is required when PUBLIC_URL is https (emails are never logged in production)"));
        }
        let sms_gateway = match (var("SMS_GATEWAY_URL"), var("SMS_GATEWAY_KEY")) {
            (Some(url), Some(key)) if url.starts_with("http://") || url.starts_with("https://") => Some(SmsGateway { url, key }),
            (Some(_), Some(_)) => {
                return Err(err("SMS_GATEWAY_URL", "must start with https:// (or http:// for a local gateway)"));
            }
            (Some(_), None) => {
                return Err(err("SMS_GATEWAY_KEY", "is required with SMS_GATEWAY_URL"));
            }
            (None, Some(_)) => {
                return Err(err("SMS_GATEWAY_URL", "is required with SMS_GATEWAY_KEY"));
            }
            (None, None) if production => {
                return Err(err("SMS_GATEWAY_URL", "is required when PUBLIC_URL is https (texts are never logged in production)"));
            }
            (None, None) => None,
        };
        let mail_from = var("MAIL_FROM").unwrap_or_else(|| "Tra cứu tiêm chủng <no-reply@tiemchung.localhost>".into());
        if mail_from.parse::<app::platform::notify::Mailbox>().is_err() {
            return Err(err("MAIL_FROM", "must be an address like Name <no-reply@example.vn>"));
        }
        let secret = match var("APP_SECRET") {
            Some(s) if s.len() >= 32 => s,
            Some(_) => return Err(err("APP_SECRET", "must be at least 32 characters")),
            None if production => {
                return Err(err("APP_SECRET", "is required when PUBLIC_URL is https"));
            }
            None => DEV_SECRET.into(),
        };
        let trusted_proxies = match var("TRUST_PROXY").as_deref() {
            None | Some("false") => 0,
            Some("true") => 1,
            Some(n) => n
                .parse()
                .ok()
                .filter(|n| *n <= 5)
                .ok_or_else(|| err("TRUST_PROXY", "must be the number of reverse proxies in front, 0 to 5"))?,
        };
        let ip_limits_off = match var("BENCH_NO_IP_LIMITS").as_deref() {
            None | Some("0") => false,
            Some("1") if !production => true,
            Some("1") => return Err(err("BENCH_NO_IP_LIMITS", "is for the load benchmark, never behind https")),
            Some(_) => return Err(err("BENCH_NO_IP_LIMITS", "must be 1 or 0")),
        };
        let site_root = var("SITE_ROOT").unwrap_or_else(|| "target/site".into());
        let dcc_signer = match (var("DCC_SIGNER_KEY"), var("DCC_SIGNER_CERT")) {
            (Some(key), Some(certificate)) => DccSigner::Files { key: key.into(), certificate: certificate.into() },
            (Some(_), None) => return Err(err("DCC_SIGNER_CERT", "is required with DCC_SIGNER_KEY")),
            (None, Some(_)) => return Err(err("DCC_SIGNER_KEY", "is required with DCC_SIGNER_CERT")),
            (None, None) if production => {
                return Err(err("DCC_SIGNER_KEY", "is required when PUBLIC_URL is https (the development signing key signs nothing real)"));
            }
            (None, None) => DccSigner::Development(
                var("DCC_DEV_DIR").map(Into::into).unwrap_or_else(|| app::certificates::keys::development_dir(&database_url)),
            ),
        };
        Ok(Self {
            database_url,
            database_read_url,
            pg_connections,
            listen_addr,
            public_url,
            smtp_url,
            sms_gateway,
            mail_from,
            secret,
            trusted_proxies,
            site_root,
            dcc_signer,
            ip_limits_off,
        })
    }

    /// The public origin once the socket is bound to `local`.
    pub fn public_origin(&self, local: SocketAddr) -> String {
        self.public_url.clone().unwrap_or_else(|| format!("http://{local}"))
    }

    /// Behind HTTPS: secure cookies, HSTS, no demo accounts, no messages in logs.
    pub fn production(&self) -> bool {
        self.public_url.as_deref().is_some_and(|u| u.starts_with("https://"))
    }

    pub fn uses_dev_secret(&self) -> bool {
        self.secret == DEV_SECRET
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Settings::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_give_the_embedded_mode() {
        let s = settings(&[]).unwrap();
        assert_eq!(s.database_url, "sqlite:portal.sqlite3");
        assert_eq!(s.public_origin(s.listen_addr), "http://127.0.0.1:3000");
        assert!(!s.production());
        assert!(s.uses_dev_secret());
    }

    #[test]
    fn bad_values_name_their_variable() {
        assert_eq!(settings(&[("DATABASE_URL", "mysql://x")]).unwrap_err().var, "DATABASE_URL");
        assert_eq!(settings(&[("LISTEN_ADDR", "localhost")]).unwrap_err().var, "LISTEN_ADDR");
        assert_eq!(settings(&[("SMTP_URL", "http://mail")]).unwrap_err().var, "SMTP_URL");
        assert_eq!(settings(&[("TRUST_PROXY", "yes")]).unwrap_err().var, "TRUST_PROXY");
        assert_eq!(settings(&[("APP_SECRET", "short")]).unwrap_err().var, "APP_SECRET");
    }

    #[test]
    fn https_requires_a_real_secret() {
        let mail = [("SMTP_URL", "smtp://mail:25"), ("SMS_GATEWAY_URL", "https://sms.example.vn/send"), ("SMS_GATEWAY_KEY", "k")];
        let mut pairs = vec![("PUBLIC_URL", "https://portal.example.vn")];
        pairs.extend(mail);
        assert_eq!(settings(&pairs).unwrap_err().var, "APP_SECRET");
        let secret = "x".repeat(40);
        pairs.push(("APP_SECRET", &secret));
        assert_eq!(settings(&pairs).unwrap_err().var, "DCC_SIGNER_KEY", "the development signer signs nothing real");
        pairs.extend([("DCC_SIGNER_KEY", "/etc/portal/dsc.key.pem"), ("DCC_SIGNER_CERT", "/etc/portal/dsc.crt.der")]);
        let s = settings(&pairs).unwrap();
        assert!(!s.uses_dev_secret());
        assert!(s.production());
    }

    #[test]
    fn https_refuses_to_start_with_codes_going_to_the_log() {
        let secret = "x".repeat(40);
        let base = [("PUBLIC_URL", "https://portal.example.vn"), ("APP_SECRET", secret.as_str())];
        assert_eq!(settings(&base).unwrap_err().var, "SMTP_URL");
        let with_mail = [base[0], base[1], ("SMTP_URL", "smtp://mail:25")];
        assert_eq!(settings(&with_mail).unwrap_err().var, "SMS_GATEWAY_URL");
        assert!(settings(&[("SMS_GATEWAY_URL", "https://sms.example.vn")]).is_err(), "a gateway needs its key");
    }

    #[test]
    fn trust_proxy_counts_proxies() {
        assert_eq!(settings(&[]).unwrap().trusted_proxies, 0);
        assert_eq!(settings(&[("TRUST_PROXY", "1")]).unwrap().trusted_proxies, 1);
        assert_eq!(settings(&[("TRUST_PROXY", "2")]).unwrap().trusted_proxies, 2);
        assert_eq!(settings(&[("TRUST_PROXY", "true")]).unwrap().trusted_proxies, 1);
    }
}
