//! The portal's one binary: `server` serves it; its subcommands migrate, seed demo data and
//! manage the accounts created outside the portal (`server --help`).

use clap::{Parser, Subcommand};
use server::config::Settings;
use server::startup::{Application, connect_and_migrate};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Parser)]
#[command(name = "server", about = "The COVID-19 vaccination record portal")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the portal (the default).
    Serve,
    /// Create or upgrade the database schema and load the reference data.
    Migrate,
    /// A consistent copy of the live embedded (SQLite) database, while the portal serves.
    Backup {
        /// The new file to write.
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Demo data: households, doses, sites, demo accounts and complaints in every state.
    Seed {
        #[arg(long, default_value_t = 2_000)]
        people: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Do nothing (and succeed) when the database already holds people.
        #[arg(long)]
        if_empty: bool,
        /// People, sites and accounts only: no demo complaints (the browser tests file their own).
        #[arg(long)]
        no_complaints: bool,
    },
    /// Benchmark data: complaints in bulk over the people and sites already seeded.
    SeedComplaints {
        #[arg(long, default_value_t = 100_000)]
        count: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Signs the vaccine certificates of every ready record, as the daily job does (cron or by hand):
    /// of every site (--all) or of one (--site ID).
    SignCertificates {
        #[arg(long, conflicts_with = "site", required_unless_present = "site")]
        all: bool,
        #[arg(long)]
        site: Option<i64>,
    },
    /// Loads an extract of the population registry (CSV: id,national_id,full_name,birth_date,gender,commune[,phone]).
    LoadRegistry {
        #[arg(long)]
        file: std::path::PathBuf,
    },
    /// Finds each record's person in a registry extract (both CSV: id,national_id,full_name,birth_date,gender,commune[,phone]);
    /// writes record_id,registry_id,score,decision for every record with a candidate.
    MatchRegistry {
        #[arg(long)]
        records: std::path::PathBuf,
        #[arg(long)]
        registry: std::path::PathBuf,
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Benchmark data for match-registry: registry.csv, records.csv and truth.csv in --dir.
    MakeMatchData {
        #[arg(long, default_value_t = 1_000_000)]
        people: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        dir: std::path::PathBuf,
    },
    /// The first administrator; the password is read from ADMIN_PASSWORD (12 characters at least).
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
    },
    /// A supervisor; the password is read from ADMIN_PASSWORD (12 characters at least).
    CreateSupervisor {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// The unit supervised, e.g. 2021-P-031, 2021-D-303, 2025-P-31; none: the whole country.
        #[arg(long)]
        area: Option<String>,
    },
    /// Disables any staff account (supervisors and administrators included) and ends its sessions.
    DisableAccount {
        #[arg(long)]
        email: String,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()))
        .init();
    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(&settings).await,
        Command::Migrate => connect_and_migrate(&settings.database_url).await.map(|_| ()).map_err(|e| e.to_string()),
        Command::Backup { to } => backup(&settings, &to).await,
        Command::Seed { people, seed: from, if_empty, no_complaints } => seed(&settings, people, from, if_empty, !no_complaints).await,
        Command::SeedComplaints { count, seed } => seed_complaints(&settings, count, seed).await,
        Command::LoadRegistry { file } => load_registry(&settings, &file).await,
        Command::SignCertificates { all: _, site } => sign_certificates(&settings, site).await,
        Command::MatchRegistry { records, registry, out } => match_registry(&records, &registry, &out),
        Command::MakeMatchData { people, seed, dir } => make_match_data(people, seed, &dir),
        Command::CreateAdmin { email, name } => create_account(&settings, &email, &name, None, false).await,
        Command::CreateSupervisor { email, name, area } => create_account(&settings, &email, &name, area, true).await,
        Command::DisableAccount { email } => disable_account(&settings, &email).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(settings: &Settings) -> Result<(), String> {
    if settings.uses_dev_secret() {
        tracing::warn!("APP_SECRET is not set: using the development secret");
    }
    let app = Application::build(settings).await.map_err(|e| e.to_string())?;
    tracing::info!("listening on {}", app.state().settings.public_origin);
    app.run().await.map_err(|e| e.to_string())
}

async fn backup(settings: &Settings, to: &std::path::Path) -> Result<(), String> {
    let db = app::platform::Db::connect(&settings.database_url).await.map_err(|e| e.to_string())?;
    let started = Instant::now();
    let bytes = server::backup::copy_sqlite(&db, to).await?;
    db.close().await;
    println!("Copied the database to {} ({:.1} MB) in {:.1} s.", to.display(), bytes as f64 / 1e6, started.elapsed().as_secs_f64());
    Ok(())
}

/// Benchmark data: complaints over the people and sites already seeded.
async fn seed_complaints(settings: &Settings, count: u64, seed: u64) -> Result<(), String> {
    refuse_in_production(settings)?;
    let db = connect_and_migrate(&settings.database_url).await.map_err(|e| e.to_string())?;
    let started = Instant::now();
    let made =
        server::bench_data::generate_complaints(&db, count, seed, chrono::Utc::now().timestamp()).await.map_err(|e| e.to_string())?;
    println!("Seeded {made} complaints in {:.1} s (seed {seed}).", started.elapsed().as_secs_f64());
    db.close().await;
    Ok(())
}

/// Signs every ready record of `site` (or of every site), printing each site's count.
async fn sign_certificates(settings: &Settings, site: Option<i64>) -> Result<(), String> {
    let db = connect_and_migrate(&settings.database_url).await.map_err(|e| e.to_string())?;
    let signer = std::sync::Arc::new(server::startup::load_signer(settings, chrono::Utc::now().timestamp()).map_err(|e| e.to_string())?);
    let sites: Vec<i64> = match site {
        Some(id) => vec![id],
        None => sqlx::query_scalar("SELECT DISTINCT site_id FROM doses WHERE removed_at IS NULL ORDER BY site_id")
            .fetch_all(db.read())
            .await
            .map_err(|e| e.to_string())?,
    };
    let started = Instant::now();
    let mut total = 0;
    for site_id in sites {
        let signed = app::certificates::service::sign_site(
            &db,
            &signer,
            site_id,
            app::certificates::service::Approval::Command,
            chrono::Utc::now().timestamp(),
        )
        .await
        .map_err(|e| e.to_string())?;
        if signed.count > 0 || signed.skipped > 0 {
            println!("site {site_id}: {} signed, {} left out (no dose with a readable date)", signed.count, signed.skipped);
        }
        total += signed.count;
    }
    db.close().await;
    println!("Signed {total} certificates in {:.1} s.", started.elapsed().as_secs_f64());
    Ok(())
}

/// A registry extract into the stand-in, streaming, then the records it changed graded again.
async fn load_registry(settings: &Settings, file: &std::path::Path) -> Result<(), String> {
    let reader = std::fs::File::open(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let db = connect_and_migrate(&settings.database_url).await.map_err(|e| e.to_string())?;
    let started = Instant::now();
    let report = server::registry_load::load(&db, std::io::BufReader::new(reader), chrono::Utc::now().timestamp(), |n| {
        println!("{n} lines read");
    })
    .await?;
    db.close().await;
    println!(
        "Loaded {} lines in {:.1} s: {} new or changed, {} unchanged; {} records graded again.",
        report.lines,
        started.elapsed().as_secs_f64(),
        report.changed,
        report.unchanged,
        report.regraded
    );
    Ok(())
}

/// The whole record list against a registry extract, on every core.
fn match_registry(records: &std::path::Path, registry: &std::path::Path, out: &std::path::Path) -> Result<(), String> {
    let open = |p: &std::path::Path| std::fs::File::open(p).map(std::io::BufReader::new).map_err(|e| format!("{}: {e}", p.display()));
    let (records_file, registry_file) = (open(records)?, open(registry)?);
    let out_file = std::fs::File::create(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let started = Instant::now();
    let report = server::match_registry::run(records_file, registry_file, out_file, |line| {
        eprintln!("{:6.1} s  {line}", started.elapsed().as_secs_f64());
    });
    let report = report.inspect_err(|_| {
        let _ = std::fs::remove_file(out);
    })?;
    println!(
        "Matched {} records against {} registry entries in {:.1} s: {} sure matches, {} for review.",
        report.records,
        report.registry,
        started.elapsed().as_secs_f64(),
        report.matched,
        report.review
    );
    Ok(())
}

fn make_match_data(people: u64, seed: u64, dir: &std::path::Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let made = server::match_data::generate(people, seed, dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    println!(
        "Wrote {} registry entries and {} records ({} of people the registry does not hold) to {}.",
        made.registry,
        made.records,
        made.not_in_registry,
        dir.display()
    );
    Ok(())
}

/// Demo data holds accounts with a published password: never behind HTTPS.
fn refuse_in_production(settings: &Settings) -> Result<(), String> {
    if settings.production() {
        return Err("PUBLIC_URL is https: demo data and its published passwords are refused in production".into());
    }
    Ok(())
}

async fn seed(settings: &Settings, people: u64, seed: u64, if_empty: bool, complaints: bool) -> Result<(), String> {
    refuse_in_production(settings)?;
    let db = connect_and_migrate(&settings.database_url).await.map_err(|e| e.to_string())?;
    if server::seed::has_people(&db).await.map_err(|e| e.to_string())? {
        if if_empty {
            println!("The database already holds people: not seeding again.");
            return Ok(());
        }
        return Err("the database already holds people; seed an empty database".into());
    }
    let started = Instant::now();
    let report = server::seed::generate(&db, people, seed).await.map_err(|e| e.to_string())?;
    let now = chrono::Utc::now().timestamp();
    let complaints = match complaints {
        true => server::demo_complaints::generate(&db, seed, now, report.demo_station, report.demo_district_centre)
            .await
            .map_err(|e| e.to_string())?,
        false => 0,
    };
    let secs = started.elapsed().as_secs_f64();
    println!(
        "Seeded {} people, {} doses, {} sites, {complaints} complaints in {secs:.1} s (seed {seed}).",
        report.people, report.doses, report.sites
    );
    db.close().await;
    Ok(())
}

/// The first administrator, or a supervisor for an area.
async fn create_account(settings: &Settings, email: &str, name: &str, area: Option<String>, supervisor: bool) -> Result<(), String> {
    let email = app::domain::Email::parse(email).map_err(|_| "--email is not an email address".to_string())?;
    let name = app::domain::PersonName::parse(name).map_err(|_| "--name is not a name".to_string())?;
    let password = std::env::var("ADMIN_PASSWORD").map_err(|_| "set ADMIN_PASSWORD".to_string())?;
    let password = app::domain::NewPassword::parse(&password, &password)
        .map_err(|(_, e)| format!("ADMIN_PASSWORD: {}", e.message(app::i18n::Lang::En)))?;
    let password = password.as_str().to_string();
    let db = connect_and_migrate(&settings.database_url).await.map_err(|e| e.to_string())?;
    let now = chrono::Utc::now().timestamp();
    use app::staff::{StaffRole, service::Placement};
    let (role, placement) = if supervisor {
        if let Some(code) = &area {
            let known: Option<String> = sqlx::query_scalar("SELECT code FROM admin_units WHERE code = $1")
                .bind(code)
                .fetch_optional(db.read())
                .await
                .map_err(|e| e.to_string())?;
            known.ok_or_else(|| format!("--area {code} is not an administrative unit code"))?;
        }
        (StaffRole::Supervisor, Placement::Area(area))
    } else {
        (StaffRole::Admin, Placement::Nowhere)
    };
    let id = app::staff::service::create_staff(&db, email.as_str(), name.as_str(), &password, role, placement, now)
        .await
        .map_err(|e| e.to_string())?;
    // The second factor is set up here and handed over with the password, so whoever first
    // holds the password cannot set up a phone of their own.
    use app::staff::second_factor;
    let key = second_factor::new_key();
    let recovery = second_factor::enable(&db, &settings.secret, id, &key, None).await.map_err(|e| e.to_string())?;
    db.close().await;
    println!("{} {} created.", role.label(app::i18n::Lang::En), email.masked());
    println!("Hand over with the password, then forget (shown only now):");
    println!("  authenticator key: {}", second_factor::grouped(&key));
    println!("  or open on the phone: {}", second_factor::otpauth_uri(&key, name.as_str()));
    println!("  recovery codes (each works once): {}", recovery.join("  "));
    Ok(())
}

/// Supervisor and administrator accounts are created from the command line; they are
/// disabled the same way (site managers disable their site's staff on the team page).
async fn disable_account(settings: &Settings, email: &str) -> Result<(), String> {
    let email = app::domain::Email::parse(email).map_err(|_| "--email is not an email address".to_string())?;
    let db = connect_and_migrate(&settings.database_url).await.map_err(|e| e.to_string())?;
    let now = chrono::Utc::now().timestamp();
    let disabled = app::staff::service::disable_account(&db, email.as_str(), now).await.map_err(|e| e.to_string())?;
    db.close().await;
    if !disabled {
        return Err(format!("no active account for {}", email.masked()));
    }
    tracing::info!(target: "security", event = "staff_disabled", account = %email.masked(), "account disabled from the command line");
    println!("{} disabled; its sessions have ended.", email.masked());
    Ok(())
}
