//! A short-lived cache for public pages that are expensive to compute and the same for every
//! reader (the numbers): repeated identical requests within the lifetime are answered from
//! memory, so a crawler cannot take the read pool away from citizens. Bounded in entries.

use super::Clock;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

pub struct TtlCache<V> {
    clock: Arc<dyn Clock>,
    ttl_secs: i64,
    capacity: usize,
    entries: Mutex<HashMap<String, (i64, V)>>,
}

impl<V: Clone> TtlCache<V> {
    pub fn new(clock: Arc<dyn Clock>, ttl_secs: i64, capacity: usize) -> Self {
        Self { clock, ttl_secs, capacity, entries: Mutex::new(HashMap::new()) }
    }

    /// The cached value for `key` while fresh; otherwise `load`s it and keeps it (errors are
    /// not kept). Two readers missing at once both load: the cache bounds repeats, not races.
    pub async fn get_or_load<E, F: Future<Output = Result<V, E>>>(&self, key: String, load: impl FnOnce() -> F) -> Result<V, E> {
        let now = self.clock.now().timestamp();
        if let Some((expires, value)) = self.lock().get(&key)
            && *expires > now
        {
            return Ok(value.clone());
        }
        let value = load().await?;
        let mut entries = self.lock();
        if entries.len() >= self.capacity {
            entries.retain(|_, (expires, _)| *expires > now);
            if entries.len() >= self.capacity {
                entries.clear();
            }
        }
        entries.insert(key, (now + self.ttl_secs, value.clone()));
        Ok(value)
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
}
