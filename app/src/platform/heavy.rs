//! A gate for CPU-heavy work that runs on the blocking pool (reading a QR code from a photo):
//! at most a few at once over the whole server, each waiting a short while for its turn, else
//! the caller gets `AppError::Busy` (503 with the portal's page). Work on the blocking pool
//! cannot be cancelled, so the bound is what keeps a flood of such requests from taking every
//! core while citizens' pages wait.

use super::AppError;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::Semaphore;

pub struct HeavyWork {
    /// Keys whose one job at a time is running (a site reading a spreadsheet).
    turns: Arc<std::sync::Mutex<std::collections::HashSet<String>>>,
    permits: Arc<Semaphore>,
    wait: Duration,
    running: Arc<AtomicUsize>,
    peak: AtomicUsize,
}

/// A job's place: held by the job itself on the blocking pool, so that a request whose client
/// went away (its future dropped) still holds the place until its job has ended.
struct Place {
    _permit: tokio::sync::OwnedSemaphorePermit,
    running: Arc<AtomicUsize>,
}

impl Drop for Place {
    fn drop(&mut self) {
        self.running.fetch_sub(1, Ordering::SeqCst);
    }
}

impl HeavyWork {
    /// `at_once` jobs at a time; a job waits at most `wait` for a free place.
    pub fn new(at_once: usize, wait: Duration) -> Self {
        Self { turns: Arc::default(), permits: Arc::new(Semaphore::new(at_once)), wait, running: Arc::default(), peak: AtomicUsize::new(0) }
    }

    /// Runs `job` on the blocking pool once a place is free; `Busy` if none frees in time.
    pub async fn run<T: Send + 'static>(&self, job: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
        let permit = tokio::time::timeout(self.wait, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| AppError::Busy)?
            .map_err(AppError::internal)?;
        let now = self.running.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        let place = Place { _permit: permit, running: self.running.clone() };
        tokio::task::spawn_blocking(move || {
            let _place = place;
            job()
        })
        .await
        .map_err(AppError::internal)
    }

    /// The turn of `key` (one job at a time per key), or `None` while another holds it.
    pub fn turn(&self, key: &str) -> Option<Turn> {
        let mut turns = self.turns.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        turns.insert(key.to_string()).then(|| Turn { key: key.to_string(), turns: self.turns.clone() })
    }

    /// The most jobs that ever ran at once on this server (for tests and the log).
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }

    /// Takes every place for as long as the returned permit is held (tests: a server whose
    /// heavy work is all taken).
    pub async fn take_all(&self, at_once: u32) -> tokio::sync::OwnedSemaphorePermit {
        self.permits.clone().acquire_many_owned(at_once).await.expect("the gate is never closed")
    }
}

/// A key's turn, given back when dropped.
pub struct Turn {
    key: String,
    turns: Arc<std::sync::Mutex<std::collections::HashSet<String>>>,
}

impl Drop for Turn {
    fn drop(&mut self) {
        self.turns.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).remove(&self.key);
    }
}
