use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;

/// In-memory rate limits on what can be guessed. Each key is either a client address or a
/// hash of the identifier being looked up, never the raw identifier.
pub struct Limits {
    lookups_per_ip: DefaultKeyedRateLimiter<String>,
    lookups_per_identifier: DefaultKeyedRateLimiter<String>,
    codes_per_ip: DefaultKeyedRateLimiter<String>,
    staff_logins: DefaultKeyedRateLimiter<String>,
}

fn n(v: u32) -> NonZeroU32 {
    NonZeroU32::new(v).expect("non-zero quota")
}

impl Limits {
    pub fn new() -> Self {
        Self {
            // A family at one phone looks up a few people; a script tries thousands.
            lookups_per_ip: RateLimiter::keyed(Quota::per_minute(n(6)).allow_burst(n(10))),
            lookups_per_identifier: RateLimiter::keyed(Quota::per_hour(n(6)).allow_burst(n(3))),
            codes_per_ip: RateLimiter::keyed(Quota::per_minute(n(10)).allow_burst(n(20))),
            staff_logins: RateLimiter::keyed(Quota::per_minute(n(5)).allow_burst(n(10))),
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

    pub fn allow_code_attempt(&self, ip: &str) -> bool {
        self.codes_per_ip.check_key(&ip.to_string()).is_ok()
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self::new()
    }
}
