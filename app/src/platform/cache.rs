//! A short-lived cache for public pages that are expensive to compute and the same for every
//! reader (the numbers): repeated identical requests within the lifetime are answered from
//! memory, so a crawler cannot take the read pool away from citizens. Bounded in entries.
//!
//! One reader computes a value at a time: others asking for the same key wait for it rather
//! than compute it again. Once a value has expired, the first reader recomputes it while the
//! others are answered the expired one until the new one is ready, so a value is never older
//! than its lifetime plus one computation, and no reader but that one waits for it.

use super::Clock;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

pub struct TtlCache<V> {
    clock: Arc<dyn Clock>,
    ttl_secs: i64,
    capacity: usize,
    entries: Mutex<HashMap<String, (i64, V)>>,
    /// The key being computed, held by the reader computing it.
    loading: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl<V: Clone> TtlCache<V> {
    pub fn new(clock: Arc<dyn Clock>, ttl_secs: i64, capacity: usize) -> Self {
        Self { clock, ttl_secs, capacity, entries: Mutex::new(HashMap::new()), loading: Mutex::new(HashMap::new()) }
    }

    /// The cached value for `key` while fresh; otherwise `load`s it and keeps it (errors are
    /// not kept). While another reader loads it, the expired value if there is one, else that
    /// reader's result.
    pub async fn get_or_load<E, F: Future<Output = Result<V, E>>>(&self, key: String, load: impl FnOnce() -> F) -> Result<V, E> {
        let now = self.clock.now().timestamp();
        let kept = self.lock().get(&key).cloned();
        if let Some((expires, value)) = &kept
            && *expires > now
        {
            return Ok(value.clone());
        }
        let gate = self.loading.lock().unwrap_or_else(|p| p.into_inner()).entry(key.clone()).or_default().clone();
        let _turn = match (gate.try_lock(), kept) {
            (Ok(turn), _) => turn,
            // Someone is computing it: the expired value meanwhile, or wait for theirs.
            (Err(_), Some((_, stale))) => return Ok(stale),
            (Err(_), None) => gate.lock().await,
        };
        // The reader before us may have just kept it.
        if let Some((expires, value)) = self.lock().get(&key)
            && *expires > self.clock.now().timestamp()
        {
            return Ok(value.clone());
        }
        let loaded = load().await;
        if let Ok(value) = &loaded {
            let now = self.clock.now().timestamp();
            let mut entries = self.lock();
            if entries.len() >= self.capacity {
                entries.retain(|_, (expires, _)| *expires > now);
                if entries.len() >= self.capacity {
                    entries.clear();
                }
            }
            entries.insert(key.clone(), (now + self.ttl_secs, value.clone()));
        }
        self.loading.lock().unwrap_or_else(|p| p.into_inner()).remove(&key);
        loaded
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (i64, V)>> {
        self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::ManualClock;
    use chrono::{TimeZone, Utc};
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn repeats_are_served_from_memory_until_they_expire_and_entries_stay_bounded() {
        let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 22, 8, 0, 0).unwrap());
        let cache = TtlCache::new(Arc::new(clock.clone()), 60, 3);
        let loads = AtomicUsize::new(0);
        let load = || async {
            loads.fetch_add(1, Ordering::SeqCst);
            Ok::<_, ()>(7)
        };
        for _ in 0..5 {
            assert_eq!(cache.get_or_load("a".into(), load).await, Ok(7));
        }
        assert_eq!(loads.load(Ordering::SeqCst), 1);
        clock.advance(chrono::Duration::seconds(61));
        cache.get_or_load("a".into(), load).await.unwrap();
        assert_eq!(loads.load(Ordering::SeqCst), 2);
        for key in ["b", "c", "d", "e"] {
            cache.get_or_load(key.into(), load).await.unwrap();
        }
        assert!(cache.len() <= 3);
    }

    /// Readers arriving while a value is computed do not compute it again: before there is
    /// one they wait for it; once one has expired they get the expired one meanwhile.
    #[tokio::test]
    async fn one_reader_computes_a_value_while_the_others_wait_or_get_the_expired_one() {
        let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 22, 8, 0, 0).unwrap());
        let cache = Arc::new(TtlCache::new(Arc::new(clock.clone()), 60, 10));
        let loads = Arc::new(AtomicUsize::new(0));
        let (release, gate) = tokio::sync::watch::channel(false);
        let slow = |value: i32| {
            let (loads, mut gate) = (loads.clone(), gate.clone());
            move || async move {
                loads.fetch_add(1, Ordering::SeqCst);
                gate.wait_for(|open| *open).await.ok();
                Ok::<_, ()>(value)
            }
        };
        let first = tokio::spawn({
            let (cache, load) = (cache.clone(), slow(1));
            async move { cache.get_or_load("n".into(), load).await }
        });
        tokio::task::yield_now().await;
        let second = tokio::spawn({
            let (cache, load) = (cache.clone(), slow(2));
            async move { cache.get_or_load("n".into(), load).await }
        });
        tokio::task::yield_now().await;
        release.send(true).unwrap();
        assert_eq!((first.await.unwrap(), second.await.unwrap()), (Ok(1), Ok(1)));
        assert_eq!(loads.load(Ordering::SeqCst), 1);

        clock.advance(chrono::Duration::seconds(61));
        release.send(false).unwrap();
        let refresh = tokio::spawn({
            let (cache, load) = (cache.clone(), slow(3));
            async move { cache.get_or_load("n".into(), load).await }
        });
        tokio::task::yield_now().await;
        assert_eq!(cache.get_or_load("n".into(), slow(4)).await, Ok(1), "the expired value while it is recomputed");
        release.send(true).unwrap();
        assert_eq!(refresh.await.unwrap(), Ok(3));
        assert_eq!(cache.get_or_load("n".into(), slow(5)).await, Ok(3));
        assert_eq!(loads.load(Ordering::SeqCst), 2);
    }
}

/// A document built once per version of what it is made from (the revocation list: how many
/// revoked, and the latest): each reader reads the version, a cheap query, and gets the
/// document built for it; a new version is built by one reader while the others wait for it.
pub struct Versioned<K> {
    built: tokio::sync::Mutex<Option<(K, Document)>>,
}

/// A built document and its entity tag (a hash of its bytes).
#[derive(Clone)]
pub struct Document {
    pub etag: String,
    pub body: axum::body::Bytes,
}

impl<K> Default for Versioned<K> {
    fn default() -> Self {
        Self { built: tokio::sync::Mutex::new(None) }
    }
}

impl<K: PartialEq> Versioned<K> {
    /// The document of `version`, `build`ing its bytes if the one kept is of another version.
    pub async fn get<F, Fut>(&self, version: K, build: F) -> Result<Document, super::AppError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Vec<u8>, super::AppError>>,
    {
        use sha2::{Digest, Sha256};
        let mut built = self.built.lock().await;
        if let Some((_, document)) = built.as_ref().filter(|(kept, _)| *kept == version) {
            return Ok(document.clone());
        }
        let body = build().await?;
        let etag = format!("\"{}\"", &hex::encode(Sha256::digest(&body))[..32]);
        let document = Document { etag, body: body.into() };
        *built = Some((version, document.clone()));
        Ok(document)
    }
}
