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

/// In-memory rate limits on what can be guessed. Each key is either a client address or a
/// hash of the identifier being looked up, never the raw identifier.
pub struct Limits {
    lookups_per_ip: Keyed,
    lookups_per_identifier: Keyed,
    codes_per_ip: Keyed,
    staff_logins: Keyed,
    numbers_per_ip: Keyed,
}

fn n(v: u32) -> NonZeroU32 {
    NonZeroU32::new(v).expect("non-zero quota")
}

impl Limits {
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        let keyed = |quota: Quota| RateLimiter::new(quota, DefaultKeyedStateStore::default(), LimitClock(clock.clone()));
        Self {
            // A family at one phone looks up a few people; a script tries thousands.
            lookups_per_ip: keyed(Quota::per_minute(n(6)).allow_burst(n(10))),
            lookups_per_identifier: keyed(Quota::per_hour(n(6)).allow_burst(n(3))),
            codes_per_ip: keyed(Quota::per_minute(n(10)).allow_burst(n(20))),
            staff_logins: keyed(Quota::per_minute(n(5)).allow_burst(n(10))),
            // The public numbers read every complaint of the period: a reader clicks through a
            // few areas a minute, a script asking for years of the country does not get far.
            numbers_per_ip: keyed(Quota::per_minute(n(30)).allow_burst(n(30))),
        }
    }

    pub fn allow_lookup(&self, ip: &str, identifier_key: &str) -> bool {
        self.lookups_per_ip.check_key(&ip.to_string()).is_ok()
            && self.lookups_per_identifier.check_key(&identifier_key.to_string()).is_ok()
    }

    /// Password guessing: per client address and per account.
    pub fn allow_staff_login(&self, ip: &str, email: &str) -> bool {
        self.staff_logins.check_key(&format!("ip:{ip}")).is_ok() && self.staff_logins.check_key(&format!("email:{email}")).is_ok()
    }

    pub fn allow_numbers(&self, ip: &str) -> bool {
        self.numbers_per_ip.check_key(&ip.to_string()).is_ok()
    }

    pub fn allow_code_attempt(&self, ip: &str) -> bool {
        self.codes_per_ip.check_key(&ip.to_string()).is_ok()
    }
}
