use super::Clock;
use governor::middleware::NoOpMiddleware;
use governor::nanos::Nanos;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use std::num::NonZeroU32;
use std::sync::Arc;

/// The portal's clock as governor's: limits refill as the injected clock moves, so tests that
/// move time see them refill, and production sees wall time.
#[derive(Clone)]
pub struct LimitClock(Arc<dyn Clock>);

impl governor::clock::Clock for LimitClock {
    type Instant = Nanos;

    fn now(&self) -> Nanos {
        let t = self.0.now();
        Nanos::from(std::time::Duration::new(t.timestamp().max(0) as u64, t.timestamp_subsec_nanos()))
    }
}

type Keyed = RateLimiter<String, DefaultKeyedStateStore<String>, LimitClock, NoOpMiddleware<Nanos>>;

/// In-memory flood limits per client address (an IPv4 address or an IPv6 /64, so every key
/// is short). Limits that protect a person or an account are in the database
/// (`shared_limits.rs`); these only keep one client from taking the server for itself. Idle
/// keys are forgotten by `evict_idle`, which housekeeping calls.
pub struct Limits {
    lookups_per_ip: Keyed,
    codes_per_ip: Keyed,
    staff_logins_per_ip: Keyed,
    numbers_per_ip: Keyed,
    verifications_per_ip: Keyed,
    /// Photos and camera frames read for a QR code, one bucket for both.
    qr_reads_per_ip: Keyed,
    /// The same, over each IPv6 /48: one client holds a /64, a /48 is its whole site.
    qr_reads_per_net: Keyed,
    /// The public trust and revocation lists: a verifier fetches them every few minutes.
    lists_per_ip: Keyed,
    /// No per-address limit at all: the load benchmark only (BENCH_NO_IP_LIMITS, refused
    /// behind https). The limits kept in the database (per person) still hold.
    off: bool,
}

fn n(v: u32) -> NonZeroU32 {
    NonZeroU32::new(v).expect("non-zero quota")
}

/// Client keys are addresses; anything longer was not made by `ClientIp` and is cut.
fn key(ip: &str) -> String {
    ip.chars().take(64).collect()
}

impl Limits {
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        let keyed = |quota: Quota| RateLimiter::new(quota, DefaultKeyedStateStore::default(), LimitClock(clock.clone()));
        Self {
            // A family at one phone looks up a few people; a script tries thousands.
            lookups_per_ip: keyed(Quota::per_minute(n(6)).allow_burst(n(10))),
            codes_per_ip: keyed(Quota::per_minute(n(10)).allow_burst(n(20))),
            staff_logins_per_ip: keyed(Quota::per_minute(n(5)).allow_burst(n(10))),
            // The public numbers read every complaint of the period: a reader clicks through a
            // few areas a minute, a script asking for years of the country does not get far.
            numbers_per_ip: keyed(Quota::per_minute(n(30)).allow_burst(n(30))),
            // A border officer checks a certificate at a time; a script checking forged ones does not.
            verifications_per_ip: keyed(Quota::per_minute(n(30)).allow_burst(n(30))),
            // The camera scanner sends about two frames a second while it looks for a code, and
            // reads one in a few seconds; a photo is one read. Each read is heavy work.
            qr_reads_per_ip: keyed(Quota::per_minute(n(60)).allow_burst(n(30))),
            qr_reads_per_net: keyed(Quota::per_minute(n(240)).allow_burst(n(60))),
            lists_per_ip: keyed(Quota::per_minute(n(20)).allow_burst(n(20))),
            off: false,
        }
    }

    /// Every per-address limit lifted, for the load benchmark (one client address sends all).
    pub fn off_for_benchmarks(clock: Arc<dyn Clock>) -> Self {
        Self { off: true, ..Self::new(clock) }
    }

    fn allow(&self, limiter: &Keyed, ip: &str) -> bool {
        self.off || limiter.check_key(&key(ip)).is_ok()
    }

    pub fn allow_lookup(&self, ip: &str) -> bool {
        self.allow(&self.lookups_per_ip, ip)
    }

    pub fn allow_staff_login(&self, ip: &str) -> bool {
        self.allow(&self.staff_logins_per_ip, ip)
    }

    pub fn allow_numbers(&self, ip: &str) -> bool {
        self.allow(&self.numbers_per_ip, ip)
    }

    pub fn allow_verification(&self, ip: &str) -> bool {
        self.allow(&self.verifications_per_ip, ip)
    }

    pub fn allow_list(&self, ip: &str) -> bool {
        self.allow(&self.lists_per_ip, ip)
    }

    /// A photo or a camera frame to search for a QR code: within the address's allowance and
    /// (IPv6) its /48's.
    pub fn allow_qr_read(&self, ip: &str) -> bool {
        let net_ok = match ipv6_net_48(ip) {
            Some(net) => self.allow(&self.qr_reads_per_net, &net),
            None => true,
        };
        net_ok && self.allow(&self.qr_reads_per_ip, ip)
    }

    pub fn allow_code_attempt(&self, ip: &str) -> bool {
        self.allow(&self.codes_per_ip, ip)
    }

    /// Forgets clients whose allowance has refilled: they are indistinguishable from new ones.
    pub fn evict_idle(&self) {
        for limiter in self.all() {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }

    /// How many client keys are held, over every limit.
    pub fn tracked_keys(&self) -> usize {
        self.all().iter().map(|l| l.len()).sum()
    }

    fn all(&self) -> [&Keyed; 8] {
        [
            &self.lookups_per_ip,
            &self.codes_per_ip,
            &self.staff_logins_per_ip,
            &self.numbers_per_ip,
            &self.verifications_per_ip,
            &self.qr_reads_per_ip,
            &self.qr_reads_per_net,
            &self.lists_per_ip,
        ]
    }
}

/// The /48 holding a client key of an IPv6 /64 (`a:b:c:d::/64`, as `ClientIp` writes it).
fn ipv6_net_48(key: &str) -> Option<String> {
    let prefix = key.strip_suffix("::/64")?;
    let groups: Vec<&str> = prefix.split(':').collect();
    (groups.len() == 4).then(|| format!("{}:{}:{}::/48", groups[0], groups[1], groups[2]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::ManualClock;
    use chrono::{TimeZone, Utc};

    #[test]
    fn idle_clients_are_forgotten_and_keys_stay_short() {
        let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 22, 8, 0, 0).unwrap());
        let limits = Limits::new(Arc::new(clock.clone()));
        for i in 0..1000 {
            limits.allow_lookup(&format!("10.0.{}.{}", i / 256, i % 256));
        }
        assert!(limits.allow_numbers(&"x".repeat(1_000_000)));
        assert_eq!(limits.tracked_keys(), 1001);
        clock.advance(chrono::Duration::hours(1));
        limits.evict_idle();
        assert_eq!(limits.tracked_keys(), 0);
    }
}
