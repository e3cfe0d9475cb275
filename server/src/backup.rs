//! `server backup --to FILE`: a consistent copy of the live embedded (SQLite) database, taken
//! while the portal serves. PostgreSQL is backed up with its own tools (`pg_dump`).

use app::platform::{Backend, Db};
use std::path::Path;

/// Copies the database as it stands at one moment into `to` (a new file), checks the copy
/// reads back whole, and returns its size in bytes.
pub async fn copy_sqlite(db: &Db, to: &Path) -> Result<u64, String> {
    if db.backend != Backend::Sqlite {
        return Err("a PostgreSQL database is backed up with pg_dump (README, \"Production\")".into());
    }
    if to.exists() {
        return Err(format!("{} already exists: name a new file", to.display()));
    }
    // The copy holds everyone's data: readable by its owner alone (SQLite writes into an
    // empty file it is given, keeping its mode).
    create_private(to).map_err(|e| format!("create {}: {e}", to.display()))?;
    // One read transaction: writers go on (WAL), and the copy is the database at its start.
    if let Err(e) = sqlx::query("VACUUM INTO $1").bind(to.display().to_string()).execute(db.read()).await {
        let _ = std::fs::remove_file(to);
        return Err(format!("copy: {e}"));
    }
    let mut copy = open_copy(to).await.map_err(|e| format!("open the copy: {e}"))?;
    let check: String = sqlx::query_scalar("PRAGMA quick_check").fetch_one(&mut copy).await.map_err(|e| format!("check the copy: {e}"))?;
    sqlx::Connection::close(copy).await.ok();
    if check != "ok" {
        return Err(format!("the copy does not read back whole: {check}"));
    }
    std::fs::metadata(to).map(|m| m.len()).map_err(|e| e.to_string())
}

fn create_private(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map(drop)
}

/// A copy, opened read-only (as it was written: opening it for the portal would turn on WAL).
pub async fn open_copy(path: &Path) -> Result<sqlx::AnyConnection, sqlx::Error> {
    sqlx::any::install_default_drivers();
    <sqlx::AnyConnection as sqlx::Connection>::connect(&format!("sqlite:{}?mode=ro", path.display())).await
}
