//! Settings from environment variables, with defaults for the embedded (SQLite) mode.
//! A bad value stops start-up with a message naming the variable.

use std::net::SocketAddr;

#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: String,
    pub listen_addr: SocketAddr,
    pub public_url: String,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub secret: String,
    pub trust_proxy: bool,
    pub site_root: String,
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
        let listen_addr = var("LISTEN_ADDR")
            .unwrap_or_else(|| "127.0.0.1:3000".into())
            .parse()
            .map_err(|_| err("LISTEN_ADDR", "must be an address and port, e.g. 127.0.0.1:3000"))?;
        let public_url = var("PUBLIC_URL").unwrap_or_else(|| format!("http://{listen_addr}"));
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) || public_url.ends_with('/') {
            return Err(err("PUBLIC_URL", "must be an origin like https://portal.example.vn, without a trailing slash"));
        }
        let smtp_url = var("SMTP_URL");
        if let Some(url) = &smtp_url
            && !(url.starts_with("smtp://") || url.starts_with("smtps://"))
        {
            return Err(err("SMTP_URL", "must start with smtp:// or smtps://"));
        }
        let mail_from = var("MAIL_FROM").unwrap_or_else(|| "Tra cứu tiêm chủng <no-reply@tiemchung.localhost>".into());
        if mail_from.parse::<app::platform::notify::Mailbox>().is_err() {
            return Err(err("MAIL_FROM", "must be an address like Name <no-reply@example.vn>"));
        }
        let production = public_url.starts_with("https://");
        let secret = match var("APP_SECRET") {
            Some(s) if s.len() >= 32 => s,
            Some(_) => return Err(err("APP_SECRET", "must be at least 32 characters")),
            None if production => return Err(err("APP_SECRET", "is required when PUBLIC_URL is https")),
            None => DEV_SECRET.into(),
        };
        let trust_proxy = match var("TRUST_PROXY").as_deref() {
            None | Some("0") | Some("false") => false,
            Some("1") | Some("true") => true,
            Some(_) => return Err(err("TRUST_PROXY", "must be 0 or 1")),
        };
        let site_root = var("SITE_ROOT").unwrap_or_else(|| "target/site".into());
        Ok(Self { database_url, listen_addr, public_url, smtp_url, mail_from, secret, trust_proxy, site_root })
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
        assert_eq!(s.public_url, "http://127.0.0.1:3000");
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
        assert_eq!(settings(&[("PUBLIC_URL", "https://portal.example.vn")]).unwrap_err().var, "APP_SECRET");
        let s = settings(&[("PUBLIC_URL", "https://portal.example.vn"), ("APP_SECRET", &"x".repeat(40))]).unwrap();
        assert!(!s.uses_dev_secret());
    }
}
