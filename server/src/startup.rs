use crate::config::{DccSigner, Settings};
use crate::reference_data;
use app::platform::cache::TtlCache;
use app::platform::error::{framework_errors_as_pages, panic_page};
use app::platform::heavy::HeavyWork;
use app::platform::limits::Limits;
use app::platform::notify::{HttpSms, LogMailer, LogSms, Mailer, SmsSender, SmtpMailer};
use app::platform::render::content_security_policy;
use app::platform::{AppState, Backend, Clock, Db, PortalSettings, SystemClock};
use app::registry::SqlRegistry;
use axum::Router;
use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::extract::MatchedPath;
use axum::http::Request;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware;
use leptos::prelude::LeptosOptions;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tracing::Span;

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
    #[error("verifying records: {0}")]
    Verification(String),
    #[error("listening: {0}")]
    Listen(#[from] std::io::Error),
    #[error("certificate signer: {0}")]
    Signer(String),
}

/// The Document Signer the settings name; a development signer never signs for an https portal.
pub fn load_signer(settings: &Settings, now: i64) -> Result<app::certificates::keys::DocumentSigner, StartError> {
    use app::certificates::keys::DocumentSigner;
    let signer = match &settings.dcc_signer {
        DccSigner::Files { key, certificate } => {
            warn_if_readable_by_others(key);
            DocumentSigner::load(key, certificate)
        }
        DccSigner::Development(dir) => DocumentSigner::development(dir),
    }
    .map_err(|e| StartError::Signer(e.to_string()))?;
    if settings.production() && signer.is_development() {
        return Err(StartError::Signer("a development signing certificate cannot sign for an https portal".into()));
    }
    // A certificate signed outside the signer's validity is refused by every verifier. A signer
    // issued moments ago may start a little ahead of this server's clock (the CA's clock, the
    // second it was written): ten minutes of that is allowed.
    if now + SIGNER_CLOCK_SKEW_SECS < signer.not_before || now > signer.not_after {
        let day = |t: i64| chrono::DateTime::from_timestamp(t, 0).map(|t| t.format("%Y-%m-%d").to_string()).unwrap_or_default();
        return Err(StartError::Signer(format!(
            "the Document Signer certificate is not valid now (valid from {} to {}): renew it",
            day(signer.not_before),
            day(signer.not_after)
        )));
    }
    Ok(signer)
}

const SIGNER_CLOCK_SKEW_SECS: i64 = 10 * 60;

/// The signing key should be readable by the server's user alone.
fn warn_if_readable_by_others(key: &std::path::Path) {
    #[cfg(unix)]
    if let Ok(meta) = std::fs::metadata(key) {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode();
        if mode & 0o077 != 0 {
            tracing::warn!(target: "security", event = "signer_key_readable", mode = format!("{:o}", mode & 0o777), "the Document Signer's key file is readable by others: chmod 600 it");
        }
    }
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

/// The database of a command-line task: its migrations run, reference data present.
pub async fn connect_and_migrate(database_url: &str) -> Result<Db, StartError> {
    prepare(Db::connect(database_url).await?).await
}

/// The serving database, with its replica and pool size as configured.
async fn connect_for_serving(settings: &Settings) -> Result<Db, StartError> {
    prepare(Db::connect_with(&settings.database_url, settings.database_read_url.as_deref(), settings.pg_connections).await?).await
}

async fn prepare(db: Db) -> Result<Db, StartError> {
    migrator(db.backend).run(db.write()).await?;
    reference_data::load_if_empty(&db).await?;
    app::supervision::areas::refresh(&db).await.map_err(|e| StartError::Areas(detail(e)))?;
    // Registry entries written without their folded name, then records not graded yet (an
    // upgraded database, changes made while the server was down).
    app::verification::service::fill_registry_keys(&db).await.map_err(|e| StartError::Verification(detail(e)))?;
    app::verification::service::verify_pending(&db, chrono::Utc::now().timestamp())
        .await
        .map_err(|e| StartError::Verification(detail(e)))?;
    Ok(db)
}

/// What an operator reads when the server cannot start: the database's own words, which a
/// citizen's error page never shows.
fn detail(e: app::platform::AppError) -> String {
    match e {
        app::platform::AppError::Database(e) => e.to_string(),
        other => other.to_string(),
    }
}

impl Application {
    pub async fn build(settings: &Settings) -> Result<Self, StartError> {
        Self::build_with_clock(settings, Arc::new(SystemClock)).await
    }

    pub async fn build_with_clock(settings: &Settings, clock: Arc<dyn Clock>) -> Result<Self, StartError> {
        // Leptos renders on the tokio runtime; a second call (tests build many apps) is a no-op.
        let _ = any_spawner::Executor::init_tokio();
        let db = connect_for_serving(settings).await?;
        let mailer: Arc<dyn Mailer> = match &settings.smtp_url {
            Some(url) => Arc::new(SmtpMailer::new(url, &settings.mail_from).map_err(StartError::Mail)?),
            None => {
                tracing::warn!("SMTP_URL is not set: emails are written to the log (development mode)");
                Arc::new(LogMailer)
            }
        };
        let sms: Arc<dyn SmsSender> = match &settings.sms_gateway {
            Some(gateway) => Arc::new(HttpSms::new(&gateway.url, &gateway.key)),
            None => {
                tracing::warn!("SMS_GATEWAY_URL is not set: texts are written to the log (development mode)");
                Arc::new(LogSms)
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
        // Judged by the wall clock, as verifiers judge it (the injected clock moves deadlines).
        let signer = Arc::new(load_signer(settings, chrono::Utc::now().timestamp())?);
        let limits = Arc::new(if settings.ip_limits_off {
            tracing::warn!("BENCH_NO_IP_LIMITS=1: no per-address rate limits (load benchmark only)");
            Limits::off_for_benchmarks(clock.clone())
        } else {
            Limits::new(clock.clone())
        });
        let numbers_cache = Arc::new(TtlCache::new(clock.clone(), 60, 2_000));
        let state = AppState {
            leptos_options,
            registry: Arc::new(SqlRegistry::new(db.clone())),
            db,
            clock,
            mailer,
            sms,
            limits,
            numbers_cache,
            products: Arc::default(),
            // Reading a QR from a photo: two at once (a core each on the smallest server), a
            // request waiting at most two seconds for its turn.
            heavy: Arc::new(HeavyWork::new(2, Duration::from_secs(2))),
            revocation_list: Arc::default(),
            signer,
            settings: Arc::new(PortalSettings {
                public_origin: settings.public_origin(local),
                production: settings.production(),
                trusted_proxies: settings.trusted_proxies,
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
        spawn_workers(&self.state);
        axum::serve(self.listener, self.router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown_signal())
            .await
    }
}

/// The server's workers. Each is safe with several servers on one database: every step is
/// claimed in the database before it is done.
fn spawn_workers(state: &AppState) {
    // What has served its purpose, every five minutes.
    spawn_every(state, 300, "housekeeping", |state| async move { app::platform::housekeeping::run_once(&state).await.map(|_| false) });
    // Queued messages, every second (failures are retried by the outbox itself).
    spawn_every(state, 1, "outbox delivery", |state| async move { app::platform::outbox::run_once(&state).await.map(|d| d.more) });
    // Reminders at 24 and 36 hours and escalation at the deadline, every minute.
    spawn_every(state, 60, "reminders", |state| async move { app::supervision::reminders::run_once(&state).await.map(|s| s.more()) });
    // From the evening signing hour, the ready records of the sites whose manager approved it.
    spawn_every(state, 300, "evening signing", |state| async move {
        app::certificates::schedule::run_due(&state.db, &state.signer, state.clock.now()).await.map(|_| false)
    });
}

/// Runs `step` every `secs` seconds, and again at once while it says more is waiting (a whole
/// batch done: a server back after a while catches up at once, not a period later).
fn spawn_every<F, Fut>(state: &AppState, secs: u64, what: &'static str, step: F)
where
    F: Fn(AppState) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Result<bool, app::platform::AppError>> + Send,
{
    let state = state.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(secs));
        loop {
            every.tick().await;
            loop {
                match step(state.clone()).await {
                    Ok(true) => continue,
                    Ok(false) => break,
                    Err(e) => {
                        tracing::warn!(error = %e, "{what} failed");
                        break;
                    }
                }
            }
        }
    });
}

/// The composition root's rules for every request, outermost first: a panic answers the
/// portal's 500 page; framework errors become the portal's pages; security headers; pages
/// are never stored (they show personal data; static files under /pkg are cached as usual);
/// posts must come from this portal before their body is read; plain forms are small.
fn router(state: AppState, site_root: &str) -> Router {
    let pkg = ServeDir::new(format!("{site_root}/pkg"));
    let pages = app::routes::routes()
        .fallback(app::layout::handlers::not_found)
        .layer(header(header::CACHE_CONTROL, "no-store"))
        .layer(middleware::from_fn_with_state(state.clone(), app::platform::form_guard::same_origin_posts))
        .layer(DefaultBodyLimit::max(FORM_BODY_LIMIT));
    let hsts = state.settings.production.then(|| header(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000; includeSubDomains"));
    Router::new()
        .nest_service("/pkg", pkg)
        .merge(pages)
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(RandomRequestId))
        .layer(middleware::map_request(forget_client_request_id))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, scriptless_policy()))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header(header::REFERRER_POLICY, "same-origin"))
        .layer(SetResponseHeaderLayer::if_not_present(app::platform::render::PERMISSIONS_POLICY, app::platform::render::no_device_access()))
        .layer(tower::util::option_layer(hsts))
        .layer(middleware::map_response(framework_errors_as_pages))
        .layer(CatchPanicLayer::custom(panic_page))
        .with_state(state)
}

/// Every log line of a request carries its id (also sent back as `x-request-id`), the method
/// and the route as the router declares it: never the path itself, which can hold a
/// set-password token, a file token or a reference.
fn request_span(request: &Request<Body>) -> Span {
    let id = request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
    let route = request.extensions().get::<MatchedPath>().map(MatchedPath::as_str).unwrap_or("(no route)");
    tracing::info_span!("request", id = %id, method = %request.method(), route = %route)
}

/// A client's own x-request-id is dropped: the id in the logs is the server's.
async fn forget_client_request_id(mut request: Request<Body>) -> Request<Body> {
    request.headers_mut().remove("x-request-id");
    request
}

/// A random id per request.
#[derive(Clone)]
struct RandomRequestId;

impl MakeRequestId for RandomRequestId {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        let id: u64 = rand::random();
        HeaderValue::from_str(&format!("{id:016x}")).ok().map(RequestId::new)
    }
}

fn scriptless_policy() -> HeaderValue {
    HeaderValue::from_str(&content_security_policy("'none'")).expect("a policy is ASCII")
}

/// Every form without files is far smaller; the routes that take files set their own limit.
const FORM_BODY_LIMIT: usize = 64 * 1024;

fn header(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
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
