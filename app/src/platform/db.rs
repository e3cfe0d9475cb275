use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The same SQL runs on both backends through sqlx's `Any` driver (`$1` placeholders work on
/// both). SQLite gets one writer connection, so writers queue in the process instead of
/// failing with SQLITE_BUSY, and a separate pool for reads.
#[derive(Clone)]
pub struct Db {
    pub backend: Backend,
    write: AnyPool,
    read: AnyPool,
    /// The numbers pages' reads: a PostgreSQL read replica when one is configured (they may
    /// lag it by a moment), else the same pool as `read`.
    report: AnyPool,
}

/// PostgreSQL connections per server, unless `DATABASE_MAX_CONNECTIONS` says otherwise.
pub const DEFAULT_PG_CONNECTIONS: u32 = 10;

impl Db {
    pub async fn connect(url: &str) -> Result<Self, sqlx::Error> {
        Self::connect_with(url, None, DEFAULT_PG_CONNECTIONS).await
    }

    /// `read_url`: a PostgreSQL read replica for the numbers pages; `pg_connections`: the
    /// PostgreSQL pool's size (each pool, primary and replica).
    pub async fn connect_with(url: &str, read_url: Option<&str>, pg_connections: u32) -> Result<Self, sqlx::Error> {
        sqlx::any::install_default_drivers();
        if url.starts_with("sqlite:") {
            let url = if url.contains('?') { url.to_string() } else { format!("{url}?mode=rwc") };
            let write = sqlite_pool(&url, 1).await?;
            // The file and WAL mode exist once the writer has connected; readers follow.
            let read = sqlite_pool(&url, 4).await?;
            if read_url.is_some() {
                return Err(sqlx::Error::Configuration("DATABASE_READ_URL is for PostgreSQL".into()));
            }
            Ok(Self { backend: Backend::Sqlite, write, report: read.clone(), read })
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let pool = pg_pool(url, pg_connections).await?;
            let report = match read_url {
                Some(replica) => pg_pool(replica, pg_connections).await?,
                None => pool.clone(),
            };
            Ok(Self { backend: Backend::Postgres, write: pool.clone(), read: pool, report })
        } else {
            Err(sqlx::Error::Configuration("DATABASE_URL must start with sqlite: or postgres:".into()))
        }
    }

    /// For statements that change data, and for transactions.
    pub fn write(&self) -> &AnyPool {
        &self.write
    }

    /// A write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`): a
    /// transaction that reads first and writes later fails at once (SQLITE_BUSY, no waiting) if
    /// another connection to the file, another server's, wrote in between; one that takes the
    /// lock first waits its turn (`busy_timeout`). One server has one writer, so it never waits.
    pub async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.write.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.write.begin().await,
        }
    }

    pub fn read(&self) -> &AnyPool {
        &self.read
    }

    /// For the numbers pages: the read replica if there is one.
    pub fn report(&self) -> &AnyPool {
        &self.report
    }

    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
        self.report.close().await;
    }
}

async fn pg_pool(url: &str, max: u32) -> Result<AnyPool, sqlx::Error> {
    AnyPoolOptions::new()
        .max_connections(max)
        .acquire_timeout(Duration::from_secs(10))
        .after_connect(|conn, _| {
            Box::pin(async move {
                // The portal's queries are short; PostgreSQL's JIT compiled the station's
                // worklist counts for 2.6 s to run them in 0.8 s (EXPLAIN ANALYZE, 24,000
                // records in one commune). Off, as is usual for OLTP work.
                conn.execute("SET jit = off").await?;
                Ok(())
            })
        })
        .connect(url)
        .await
}

async fn sqlite_pool(url: &str, max: u32) -> Result<AnyPool, sqlx::Error> {
    AnyPoolOptions::new()
        .max_connections(max)
        .acquire_timeout(Duration::from_secs(30))
        .after_connect(|conn, _| {
            Box::pin(async move {
                conn.execute("PRAGMA journal_mode = WAL").await?;
                conn.execute("PRAGMA synchronous = NORMAL").await?;
                conn.execute("PRAGMA foreign_keys = ON").await?;
                conn.execute("PRAGMA busy_timeout = 5000").await?;
                // No memory map: after every write (a session's idle timer, a filing, the
                // outbox) each reader unmapped and mapped the whole file again and faulted its
                // pages back in, a third of a record page's time under load (perf, strace:
                // 550 munmap/mmap pairs of 320 MB a second). Each connection keeps a 16 MB
                // page cache of its own (SQLite's default is 2 MB).
                conn.execute("PRAGMA mmap_size = 0").await?;
                conn.execute("PRAGMA cache_size = -16384").await?;
                Ok(())
            })
        })
        .connect(url)
        .await
}

/// The parameters of an `IN (...)` list of `count` values, numbered from 1: `$1, $2, $3`.
pub fn marks(count: usize) -> String {
    (1..=count).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// The VALUES list of a multi-row INSERT of `rows` rows of `cols` values: `($1, $2), ($3, $4)`
/// for PostgreSQL, `(?, ?), (?, ?)` for SQLite. sqlx's QueryBuilder writes `?` for the Any
/// driver, which PostgreSQL does not read; and SQLite resolves each `$n` by name, which makes
/// a statement with thousands of parameters slow, so each backend gets its own form.
pub fn values_list(backend: Backend, rows: usize, cols: usize) -> String {
    let mut out = String::with_capacity(rows * cols * 6);
    for r in 0..rows {
        if r > 0 {
            out.push_str(", ");
        }
        out.push('(');
        for c in 0..cols {
            if c > 0 {
                out.push_str(", ");
            }
            match backend {
                Backend::Sqlite => out.push('?'),
                Backend::Postgres => {
                    out.push('$');
                    out.push_str(&(r * cols + c + 1).to_string());
                }
            }
        }
        out.push(')');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Backend, values_list};

    #[test]
    fn values_list_numbers_placeholders_for_postgres() {
        assert_eq!(values_list(Backend::Postgres, 2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(values_list(Backend::Sqlite, 2, 2), "(?, ?), (?, ?)");
    }
}
