//! Communes across the 2025 reorganisation. A vaccination record from 2021 names a 2021 ward;
//! the registry names the 2025 ward the person lives in now. Both are read as the set of 2025
//! wards they lie in (`migrations/data/vn-ward-successors-2025.csv`), and two communes agree
//! when their sets meet. A code the lists do not know is compared as an opaque string.

use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault};
use std::sync::LazyLock;

const SUCCESSORS_CSV: &str = include_str!("../../../migrations/data/vn-ward-successors-2025.csv");

/// At most this many 2025 wards per commune are kept (a divided ward went to at most a few).
pub const MAX_AREAS: usize = 4;

/// A commune as comparable keys: hashes of the 2025 wards it lies in (0 = unused slot).
pub type Areas = [u64; MAX_AREAS];

pub struct Communes {
    successors: HashMap<&'static str, Vec<&'static str>>,
}

pub static COMMUNES: LazyLock<Communes> = LazyLock::new(|| Communes::parse(SUCCESSORS_CSV));

impl Communes {
    fn parse(csv: &'static str) -> Self {
        let mut successors: HashMap<&str, Vec<&str>> = HashMap::new();
        for line in csv.lines().skip(1) {
            let mut cols = line.split(',');
            if let (Some(old), Some(new)) = (cols.next(), cols.next()) {
                successors.entry(old).or_default().push(new);
            }
        }
        Communes { successors }
    }

    /// The 2025 wards a 2021 ward went to.
    pub fn successors(&self, ward_2021: &str) -> &[&'static str] {
        self.successors.get(ward_2021).map(Vec::as_slice).unwrap_or_default()
    }

    /// The comparable areas of a commune code: a bare ward code (`00001`) or a stored unit code
    /// (`2021-W-00001`, `2025-W-00070`). A 2021 ward is read as its 2025 successors; a bare
    /// code may be of either list, so it stands for itself and for its successors.
    pub fn areas(&self, code: &str) -> Areas {
        let code = code.trim();
        let mut out = [0; MAX_AREAS];
        if code.is_empty() {
            return out;
        }
        let (ward, own, successors) = match code.split_once("-W-") {
            Some(("2025", ward)) => (ward, true, false),
            Some(("2021", ward)) => (ward, !self.successors.contains_key(ward), true),
            _ => (code, true, true),
        };
        let mut n = 0;
        let mut push = |key: &str| {
            let h = area_hash(key);
            if n < MAX_AREAS && !out[..n].contains(&h) {
                out[n] = h;
                n += 1;
            }
        };
        if own {
            push(ward);
        }
        if successors && let Some(next) = self.successors.get(ward) {
            next.iter().for_each(|w| push(w));
        }
        out
    }
}

fn area_hash(ward: &str) -> u64 {
    // Never 0, which marks an empty slot.
    BuildHasherDefault::<super::matching::Fx>::default().hash_one(ward) | 1
}

/// Whether two communes share a 2025 ward; `None` when either is unknown.
pub fn same_area(a: &Areas, b: &Areas) -> Option<bool> {
    if a[0] == 0 || b[0] == 0 {
        return None;
    }
    Some(a.iter().filter(|x| **x != 0).any(|x| b.contains(x)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_2021_ward_meets_its_2025_successor() {
        let c = &*COMMUNES;
        // 00001 (Phúc Xá, 2021) went whole into 2025 ward 00097.
        assert_eq!(same_area(&c.areas("2021-W-00001"), &c.areas("2025-W-00097")), Some(true));
        assert_eq!(same_area(&c.areas("00001"), &c.areas("00097")), Some(true));
        assert_eq!(same_area(&c.areas("2021-W-00001"), &c.areas("2025-W-00070")), Some(false));
        // A ward divided between new wards meets each of them.
        assert_eq!(same_area(&c.areas("2021-W-00007"), &c.areas("2025-W-00008")), Some(true));
        assert_eq!(same_area(&c.areas("X-17"), &c.areas("X-17")), Some(true), "unknown codes are opaque strings");
        assert_eq!(same_area(&c.areas(""), &c.areas("00001")), None);
    }
}
