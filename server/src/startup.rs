use crate::config::Settings;
use crate::reference_data;
use app::platform::limits::Limits;
use app::platform::notify::{LogMailer, LogSms, Mailer, SmtpMailer};
use app::platform::{AppState, Backend, Clock, Db, PortalSettings, SystemClock};
use app::registry::SqlRegistry;
use axum::Router;
use axum::http::{HeaderName, HeaderValue};
use leptos::prelude::LeptosOptions;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("mail: {0}")]
    Mail(String),
    #[error("site areas: {0}")]
    Areas(String),
    #[error("listening: {0}")]
    Listen(#[from] std::io::Error),
}

/// A built portal: state ready, socket bound (port 0 gives a free port, for tests).
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
}

/// The schema migrations for a backend (the two folders hold the same schema).
pub fn migrator(backend: Backend) -> sqlx::migrate::Migrator {
    match backend {
        Backend::Sqlite => sqlx::migrate!("../migrations/sqlite"),
        Backend::Postgres => sqlx::migrate!("../migrations/postgres"),
    }
}

pub async fn connect_and_migrate(database_url: &str) -> Result<Db, StartError> {
    let db = Db::connect(database_url).await?;
    migrator(db.backend).run(db.write()).await?;
    reference_data::load_if_empty(&db).await?;
    app::supervision::areas::refresh(&db).await.map_err(|e| StartError::Areas(e.to_string()))?;
    Ok(db)
}

impl Application {
    pub async fn build(settings: &Settings) -> Result<Self, StartError> {
        Self::build_with_clock(settings, Arc::new(SystemClock)).await
    }

    pub async fn build_with_clock(settings: &Settings, clock: Arc<dyn Clock>) -> Result<Self, StartError> {
        // Leptos renders on the tokio runtime; a second call (tests build many apps) is a no-op.
        let _ = any_spawner::Executor::init_tokio();
        let db = connect_and_migrate(&settings.database_url).await?;
        let mailer: Arc<dyn Mailer> = match &settings.smtp_url {
            Some(url) => Arc::new(SmtpMailer::new(url, &settings.mail_from).map_err(StartError::Mail)?),
            None => {
                tracing::warn!("SMTP_URL is not set: emails are written to the log (development mode)");
                Arc::new(LogMailer)
            }
        };
        let listener = TcpListener::bind(settings.listen_addr).await?;
        let local = listener.local_addr()?;
        let leptos_options = LeptosOptions::builder()
            .output_name("portal")
            .site_root(settings.site_root.clone())
            .site_pkg_dir("pkg")
            .site_addr(local)
            .build();
        let limits = Arc::new(Limits::new(clock.clone()));
        let state = AppState {
            leptos_options,
            registry: Arc::new(SqlRegistry::new(db.clone())),
            db,
            clock,
            mailer,
            sms: Arc::new(LogSms),
            limits,
            settings: Arc::new(PortalSettings {
                public_origin: settings.public_url.clone(),
                secure_cookies: settings.public_url.starts_with("https://"),
                trust_proxy: settings.trust_proxy,
                secret: settings.secret.clone(),
            }),
        };
        let router = router(state.clone(), &settings.site_root);
        Ok(Self { listener, router, state })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub async fn run(self) -> std::io::Result<()> {
        tokio::spawn(housekeeping(self.state.clone()));
        tokio::spawn(deliver_outbox(self.state.clone()));
        tokio::spawn(remind_and_escalate(self.state.clone()));
        axum::serve(self.listener, self.router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown_signal())
            .await
    }
}

async fn housekeeping(state: AppState) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(300));
    loop {
        every.tick().await;
        if let Err(e) = app::platform::housekeeping::run_once(&state).await {
            tracing::warn!(error = %e, "housekeeping failed");
        }
    }
}

/// Delivers queued messages every few seconds; failures are retried by the outbox itself.
async fn deliver_outbox(state: AppState) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(3));
    loop {
        every.tick().await;
        if let Err(e) = app::platform::outbox::run_once(&state).await {
            tracing::warn!(error = %e, "outbox delivery failed");
        }
    }
}

/// Reminders at 24 and 36 hours and escalation at the deadline, checked every minute. Safe
/// with several servers on one database: each step is claimed once.
async fn remind_and_escalate(state: AppState) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        every.tick().await;
        if let Err(e) = app::supervision::reminders::run_once(&state).await {
            tracing::warn!(error = %e, "reminders failed");
        }
    }
}

fn router(state: AppState, site_root: &str) -> Router {
    let pkg = ServeDir::new(format!("{site_root}/pkg"));
    app::routes::routes()
        .nest_service("/pkg", pkg)
        .fallback(app::site::handlers::not_found)
        .layer(CompressionLayer::new())
        .layer(header("x-content-type-options", "nosniff"))
        .layer(header("x-frame-options", "DENY"))
        .layer(header("referrer-policy", "same-origin"))
        .with_state(state)
}

fn header(name: &'static str, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(HeaderName::from_static(name), HeaderValue::from_static(value))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
