//! Finding a record's person in the registry when its ID does not: candidates from blocking,
//! scored field by field with Fellegi-Sunter weights, then a decision. No SQL and no HTTP here:
//! the bulk command (`server match-registry`) keeps the registry in an [`Index`]; the station's
//! record page reads the same blocks from the database; both score with [`score`] and decide
//! with [`decide`], so a candidate reads the same on the page and in the bulk list.
//!
//! Blocks (a candidate shares at least one with the record): folded full name + birth year;
//! birth date + gender + commune (2021 communes read as their 2025 successors); phone; and the
//! registry IDs one edit away from the record's (a transposition, one wrong, missing or extra
//! digit; lost leading zeros are restored before anything else). Two near-miss blocks catch what
//! the name block misses: given name + full birth date, and full name + day and month.
//!
//! Weights are log2(m/u) per field and level, m the chance of that level for the same person and
//! u for two different people. A full name's u is its share of the registry, so a common name
//! (Nguyễn Văn Hùng) weighs less than a rare one; a surname's u comes from the national surname
//! shares (Nguyễn is carried by almost two in five Vietnamese).

use super::communes::{Areas, COMMUNES, same_area};
use crate::domain::{BirthDate, Gender, name_key};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A small fast hasher for keys that are already well mixed or short (FxHash's multiply-rotate).
#[derive(Default, Clone, Copy)]
pub struct Fx(u64);

impl Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(b));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.write_u64(i as u64)
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

pub type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

fn hash_str(s: &str) -> u64 {
    let mut h = Fx::default();
    h.write(s.as_bytes());
    h.write_u8(0xff);
    // One more round of mixing so close strings land far apart.
    let x = h.finish();
    (x ^ (x >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9) ^ (x >> 32)
}

fn mix(parts: &[u64]) -> u64 {
    let mut h = Fx::default();
    parts.iter().for_each(|p| h.write_u64(*p));
    let x = h.finish();
    (x ^ (x >> 31)).wrapping_mul(0x94d0_49bb_1331_11eb) ^ (x >> 29)
}

/// An ID number's digits (9 for a CMND, 12 for a CCCD; other lengths when typed wrong).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Digits {
    d: [u8; 13],
    len: u8,
}

impl Digits {
    /// The digits of an ID as typed (separators and full-width digits read as the domain reads
    /// them); `None` when nothing or something else than an ID was typed.
    fn read(typed: &str) -> Option<Digits> {
        let digits = crate::domain::digits_with_separators(typed)?;
        (1..=13).contains(&digits.len()).then(|| Digits::from_slice(&digits.bytes().map(|b| b - b'0').collect::<Vec<_>>()))
    }

    fn digits(&self) -> &[u8] {
        &self.d[..self.len as usize]
    }

    /// Lost leading zeros restored, as `super::normalised_id` does: 10 or 11 digits to 12, 8 to 9.
    fn restored(self) -> Digits {
        let Some(to) = super::restored_length(self.len as usize) else {
            return self;
        };
        let shift = to - self.len as usize;
        let mut d = [0u8; 13];
        d[shift..to].copy_from_slice(self.digits());
        Digits { d, len: to as u8 }
    }

    pub fn key(&self) -> u64 {
        self.digits().iter().fold(1u64, |k, x| k * 10 + *x as u64)
    }

    fn from_slice(s: &[u8]) -> Digits {
        let mut d = [0u8; 13];
        d[..s.len()].copy_from_slice(s);
        Digits { d, len: s.len() as u8 }
    }

    /// Every number one edit away: one digit changed, two neighbours swapped, one digit
    /// dropped or one added (only lengths an ID can have after the edit: 9 or 12).
    fn neighbours(&self, mut each: impl FnMut(Digits)) {
        let s = self.digits();
        let n = s.len();
        let valid = |len: usize| len == 9 || len == 12;
        if valid(n) {
            let mut t = *self;
            for (i, &digit) in s.iter().enumerate() {
                for v in (0..10).filter(|v| *v != digit) {
                    t.d[i] = v;
                    each(t);
                }
                t.d[i] = digit;
            }
            for i in 0..n.saturating_sub(1) {
                if s[i] != s[i + 1] {
                    t.d.swap(i, i + 1);
                    each(t);
                    t.d.swap(i, i + 1);
                }
            }
        }
        if valid(n + 1) {
            let mut buf = [0u8; 13];
            for i in 0..=n {
                buf[..i].copy_from_slice(&s[..i]);
                buf[i + 1..=n].copy_from_slice(&s[i..]);
                for v in 0..10 {
                    buf[i] = v;
                    each(Digits::from_slice(&buf[..=n]));
                }
            }
        }
        if n >= 1 && valid(n - 1) {
            let mut buf = [0u8; 13];
            for i in 0..n {
                buf[..i].copy_from_slice(&s[..i]);
                buf[i..n - 1].copy_from_slice(&s[i + 1..]);
                each(Digits::from_slice(&buf[..n - 1]));
            }
        }
    }

    /// Whether `self` and `other` are one edit apart (and not equal).
    fn one_edit(&self, other: &Digits) -> bool {
        let (a, b) = (self.digits(), other.digits());
        match a.len() as i32 - b.len() as i32 {
            0 => {
                let mut diff = a.iter().zip(b).enumerate().filter(|(_, (x, y))| x != y).map(|(i, _)| i);
                match (diff.next(), diff.next(), diff.next()) {
                    (Some(_), None, _) => true,
                    (Some(i), Some(j), None) => j == i + 1 && a[i] == b[j] && a[j] == b[i],
                    _ => false,
                }
            }
            1 => one_deletion(a, b),
            -1 => one_deletion(b, a),
            _ => false,
        }
    }
}

/// Whether dropping one digit of `long` gives `short`.
fn one_deletion(long: &[u8], short: &[u8]) -> bool {
    let i = long.iter().zip(short).take_while(|(x, y)| x == y).count();
    long[i + 1..] == short[i..]
}

/// What a record or a registry entry carries, as typed.
#[derive(Debug, Clone, Default)]
pub struct Subject<'a> {
    pub national_id: Option<&'a str>,
    pub full_name: &'a str,
    pub birth: Option<BirthDate>,
    pub gender: Option<Gender>,
    /// A ward code (`00001`) or a stored unit code (`2021-W-00001`).
    pub commune: Option<&'a str>,
    pub phone: Option<&'a str>,
}

/// A subject made ready for comparison: every field reduced to what the weights compare.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The ID with lost zeros restored.
    id: Option<Digits>,
    /// The digits as typed, when restoring changed them (an 11-digit number may be a lost zero
    /// or a lost digit).
    typed: Option<Digits>,
    name: u64,
    surname: u64,
    given: u64,
    /// Everything but the given name (surname and middle names), to tell a typo in the given name.
    family: u64,
    /// The given name folded, for the typo check (given names are short; longer ones are cut).
    given_text: Short,
    surname_share: f32,
    year: u16,
    month: u8,
    day: u8,
    gender: u8,
    areas: Areas,
    phone: u64,
}

impl Prepared {
    pub fn new(s: &Subject<'_>) -> Prepared {
        let typed = s.national_id.and_then(Digits::read);
        let id = typed.map(Digits::restored);
        let key = name_key(s.full_name);
        let mut words = key.split(' ');
        let first = words.next().unwrap_or_default();
        let last = words.next_back().unwrap_or(first);
        let (year, month, day) = match s.birth {
            Some(BirthDate::Full(d)) => {
                use chrono::Datelike;
                (d.year() as u16, d.month() as u8, d.day() as u8)
            }
            Some(BirthDate::YearOnly(y)) => (y as u16, 0, 0),
            None => (0, 0, 0),
        };
        let phone = s.phone.and_then(phone_key).unwrap_or(0);
        Prepared {
            typed: typed.filter(|t| Some(*t) != id),
            id,
            name: hash_str(&key),
            surname: hash_str(first),
            given: hash_str(last),
            family: hash_str(key.rsplit_once(' ').map_or("", |(rest, _)| rest)),
            given_text: Short::new(last),
            surname_share: surname_share(first),
            year,
            month,
            day,
            gender: match s.gender {
                Some(Gender::Male) => 1,
                Some(Gender::Female) => 2,
                None => 0,
            },
            areas: s.commune.map(|c| COMMUNES.areas(c)).unwrap_or_default(),
            phone,
        }
    }

    /// The ID (lost zeros restored) and every number one edit away, to look up in the registry.
    pub fn id_and_neighbours(&self) -> Vec<String> {
        let text = |d: Digits| d.digits().iter().map(|x| char::from(b'0' + x)).collect::<String>();
        let mut out = Vec::new();
        out.extend(self.id.map(text));
        for start in [self.id, self.typed].into_iter().flatten() {
            start.neighbours(|n| out.push(text(n)));
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The key of its folded full name, for counting how common the name is.
    pub fn name(&self) -> u64 {
        self.name
    }

    /// Calls `each` with every blocking key (not ID keys) the subject falls in.
    fn block_keys(&self, mut each: impl FnMut(u64)) {
        if self.year != 0 {
            each(mix(&[1, self.name, self.year as u64]));
        }
        if self.month != 0 && self.gender != 0 {
            for area in self.areas.iter().filter(|a| **a != 0) {
                each(mix(&[2, self.year as u64, self.month as u64, self.day as u64, self.gender as u64, *area]));
            }
        }
        if self.phone != 0 {
            each(mix(&[3, self.phone]));
        }
        // Near misses of the name block: the given name with the full birth date (a dropped or
        // changed middle name), the full name with day and month (a year typed wrong).
        if self.month != 0 {
            each(mix(&[4, self.given, self.year as u64, self.month as u64, self.day as u64]));
            each(mix(&[5, self.name, self.month as u64, self.day as u64]));
        }
    }

    /// The IDs one edit away from the record's, to look up in the registry.
    fn id_neighbours(&self, mut each: impl FnMut(u64)) {
        if let Some(id) = self.id {
            id.neighbours(|n| each(n.key()));
        }
        if let Some(typed) = self.typed {
            typed.neighbours(|n| each(n.key()));
        }
    }
}

/// A short folded word kept inline (no allocation per record).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Short {
    b: [u8; 15],
    len: u8,
}

impl Short {
    fn new(s: &str) -> Short {
        let mut b = [0u8; 15];
        let len = s.len().min(15);
        b[..len].copy_from_slice(&s.as_bytes()[..len]);
        Short { b, len: len as u8 }
    }

    fn bytes(&self) -> &[u8] {
        &self.b[..self.len as usize]
    }

    /// One letter typed wrong, left out or added.
    fn one_edit(&self, other: &Short) -> bool {
        let (a, b) = (self.bytes(), other.bytes());
        match a.len() as i32 - b.len() as i32 {
            0 => a.iter().zip(b).filter(|(x, y)| x != y).count() == 1,
            1 => one_deletion(a, b),
            -1 => one_deletion(b, a),
            _ => false,
        }
    }
}

/// A phone number reduced to its last 9 digits (the subscriber number without 0 or +84).
fn phone_key(typed: &str) -> Option<u64> {
    subscriber_number(typed).map(|n| n.bytes().fold(1u64, |k, d| k * 10 + (d - b'0') as u64))
}

/// The 9-digit subscriber number of a Vietnamese mobile number (without 0, 84 or +84).
pub fn subscriber_number(typed: &str) -> Option<String> {
    let digits: String = typed.chars().filter(char::is_ascii_digit).collect();
    (digits.len() >= 9).then(|| digits[digits.len() - 9..].to_string())
}

/// The share of Vietnamese carrying a surname (folded), from the national surname survey;
/// anything not listed counts as rare.
pub fn surname_share(folded: &str) -> f32 {
    match folded {
        "nguien" => 0.384,
        "tran" => 0.121,
        "le" => 0.095,
        "pham" => 0.070,
        "hoang" | "huinh" => 0.051,
        "phan" => 0.045,
        "vu" | "vo" => 0.039,
        "dang" => 0.021,
        "bui" => 0.020,
        "do" => 0.014,
        "ho" => 0.013,
        "ngo" => 0.013,
        "duong" => 0.010,
        "li" => 0.005,
        _ => 0.002,
    }
}

crate::codes::coded! {
    /// A compared field, for the "why" beside a candidate's score.
    pub enum Field {
        Id => "id",
        Name => "name",
        BirthDate => "birth_date",
        Gender => "gender",
        Commune => "commune",
        Phone => "phone",
    }
}

crate::codes::coded! {
    /// How one field compared.
    pub enum Level {
        Same => "same",
        OneEdit => "one_edit",
        /// Surname and given name alike, the middle name dropped or different.
        SameButMiddle => "same_but_middle",
        /// Surname and middle name alike, one letter of the given name typed wrong.
        GivenTypo => "given_typo",
        SameGiven => "same_given",
        /// Day and month swapped.
        Swapped => "swapped",
        /// One side holds the year only, and the years agree.
        SameYear => "same_year",
        /// Day and month agree, the year is one off.
        YearOff => "year_off",
        /// Both are ID numbers but of different kinds (an old 9-digit CMND against a CCCD).
        OtherKind => "other_kind",
        Differs => "differs",
        Unknown => "unknown",
    }
}

impl Level {
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        use crate::i18n::tr;
        match self {
            Level::Same => tr(lang, "trùng khớp", "same"),
            Level::OneEdit => tr(lang, "sai một chữ số", "one digit apart"),
            Level::SameButMiddle => tr(lang, "trùng họ và tên, khác tên đệm", "same surname and given name, middle name differs"),
            Level::GivenTypo => tr(lang, "tên gõ sai một chữ", "one letter of the given name differs"),
            Level::SameGiven => tr(lang, "chỉ trùng tên", "same given name only"),
            Level::YearOff => tr(lang, "lệch một năm", "one year apart"),
            Level::OtherKind => tr(lang, "khác loại giấy tờ (CMND/CCCD)", "different kind of ID (CMND/CCCD)"),
            Level::Swapped => tr(lang, "đảo ngày và tháng", "day and month swapped"),
            Level::SameYear => tr(lang, "chỉ trùng năm sinh", "same birth year only"),
            Level::Differs => tr(lang, "khác", "differs"),
            Level::Unknown => tr(lang, "không có để so", "missing on one side"),
        }
    }
}

impl Field {
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        use crate::i18n::tr;
        match self {
            Field::Id => tr(lang, "Số giấy tờ", "ID number"),
            Field::Name => tr(lang, "Họ và tên", "Full name"),
            Field::BirthDate => tr(lang, "Ngày sinh", "Date of birth"),
            Field::Gender => tr(lang, "Giới tính", "Gender"),
            Field::Commune => tr(lang, "Xã/phường", "Commune"),
            Field::Phone => tr(lang, "Số điện thoại", "Phone"),
        }
    }
}

/// One field's part of a score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Part {
    pub field: Field,
    pub level: Level,
    pub weight: f32,
}

/// A candidate's score: the sum of its parts (log2 of the odds that it is the same person).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    pub total: f32,
    pub parts: [Part; 6],
}

/// log2(m/u).
fn w(m: f32, u: f32) -> f32 {
    (m / u).log2()
}

/// Scores registry entry `cand` for `rec`. `name_share` is the share of the registry that
/// carries the candidate's folded full name (how common the name is).
pub fn score(rec: &Prepared, cand: &Prepared, name_share: f32) -> Score {
    let name = if rec.name == cand.name {
        (Level::Same, w(0.86, name_share.max(1e-6)))
    } else if rec.surname == cand.surname && rec.given == cand.given {
        (Level::SameButMiddle, w(0.05, rec.surname_share * 0.02))
    } else if rec.family == cand.family && rec.given_text.one_edit(&cand.given_text) {
        (Level::GivenTypo, w(0.02, rec.surname_share * 0.002))
    } else if rec.given == cand.given {
        (Level::SameGiven, w(0.02, 0.02))
    } else {
        (Level::Differs, w(0.05, 0.95))
    };
    let id = match (rec.id, cand.id) {
        // The same number on another name is most often a relative's ID typed on the record
        // (one phone, one household): it says nothing either way.
        (Some(a), Some(b)) if a == b && name.0 == Level::Differs => (Level::Same, 0.0),
        (Some(a), Some(b)) if a == b => (Level::Same, w(0.90, 1e-6)),
        (Some(a), Some(b)) if a.one_edit(&b) || rec.typed.is_some_and(|t| t.one_edit(&b)) => (Level::OneEdit, w(0.06, 2e-4)),
        (Some(a), Some(b)) if a.len != b.len => (Level::OtherKind, 0.0),
        (Some(_), Some(_)) => (Level::Differs, w(0.04, 1.0)),
        _ => (Level::Unknown, 0.0),
    };
    let birth = if rec.year == 0 || cand.year == 0 {
        (Level::Unknown, 0.0)
    } else if rec.year.abs_diff(cand.year) == 1 && rec.month != 0 && (rec.month, rec.day) == (cand.month, cand.day) {
        (Level::YearOff, w(0.02, 2.0 / 25_550.0))
    } else if rec.year != cand.year {
        (Level::Differs, w(0.03, 0.98))
    } else if rec.month == 0 || cand.month == 0 {
        (Level::SameYear, w(0.07, 1.0 / 70.0))
    } else if (rec.month, rec.day) == (cand.month, cand.day) {
        (Level::Same, w(0.85, 1.0 / 25_550.0))
    } else if (rec.month, rec.day) == (cand.day, cand.month) {
        (Level::Swapped, w(0.03, 1.0 / 25_550.0))
    } else {
        (Level::Differs, w(0.02, 1.0 / 70.0))
    };
    let gender = match (rec.gender, cand.gender) {
        (0, _) | (_, 0) => (Level::Unknown, 0.0),
        (a, b) if a == b => (Level::Same, w(0.97, 0.5)),
        _ => (Level::Differs, w(0.03, 0.5)),
    };
    let commune = match same_area(&rec.areas, &cand.areas) {
        None => (Level::Unknown, 0.0),
        Some(true) => (Level::Same, w(0.85, 1.0 / 500.0)),
        Some(false) => (Level::Differs, w(0.15, 1.0)),
    };
    let phone = match (rec.phone, cand.phone) {
        (0, _) | (_, 0) => (Level::Unknown, 0.0),
        (a, b) if a == b => (Level::Same, w(0.65, 1e-5)),
        _ => (Level::Differs, w(0.2, 1.0)),
    };
    let part = |field, (level, weight): (Level, f32)| Part { field, level, weight };
    let parts = [
        part(Field::Id, id),
        part(Field::Name, name),
        part(Field::BirthDate, birth),
        part(Field::Gender, gender),
        part(Field::Commune, commune),
        part(Field::Phone, phone),
    ];
    Score { total: parts.iter().map(|p| p.weight).sum(), parts }
}

crate::codes::coded! {
    /// What the engine makes of a record's best candidate.
    pub enum Decision {
        /// Sure: the record may take the registry's ID without a person looking.
        Match => "match",
        /// Likely: a station clerk confirms or turns it down.
        Review => "review",
    }
}

/// A score is the log2 odds that the pair is one person against a random pair; a random pair
/// of a registry of N people is one person with odds 1/N, so what a score says about a record
/// is its score less log2(N). A sure match says at least this much, and leads the next
/// candidate by [`MATCH_MARGIN`].
pub const MATCH_ODDS: f32 = -3.0;
pub const MATCH_MARGIN: f32 = 6.0;
/// Below this a candidate is not worth a clerk's time.
pub const REVIEW_ODDS: f32 = -6.0;

impl Score {
    /// What the person's own fields say (ID, name, birth date), leaving out what a household
    /// shares (commune, phone).
    pub fn personal(&self) -> f32 {
        self.parts.iter().filter(|p| matches!(p.field, Field::Id | Field::Name | Field::BirthDate)).map(|p| p.weight).sum()
    }

    fn level(&self, field: Field) -> Level {
        self.parts.iter().find(|p| p.field == field).map_or(Level::Unknown, |p| p.level)
    }
}

/// The decision on the best candidate of a registry of `registry_size` people, given the
/// runner-up's score. A family member sharing the phone and commune is never proposed: the
/// person's own fields must speak for the candidate; and a name that differs altogether is
/// never a sure match, whatever else agrees.
pub fn decide(best: &Score, runner_up: Option<f32>, registry_size: u64) -> Option<Decision> {
    let odds = best.total - (registry_size.max(2) as f32).log2();
    let sure = odds >= MATCH_ODDS && best.level(Field::Name) != Level::Differs;
    if best.personal() <= 0.0 {
        None
    } else if sure && runner_up.is_none_or(|r| best.total - r >= MATCH_MARGIN) {
        Some(Decision::Match)
    } else if odds >= REVIEW_ODDS {
        Some(Decision::Review)
    } else {
        None
    }
}

/// A registry held in memory for the bulk command: the prepared entries and their blocks.
pub struct Index {
    people: Vec<Prepared>,
    by_id: FxMap<u64, u32>,
    blocks: FxMap<u64, (u32, u32)>,
    members: Vec<u32>,
    name_counts: FxMap<u64, u32>,
}

/// A block this large says little about anyone in it (a phone shared by a whole office).
const MAX_BLOCK: u32 = 500;

/// The best candidate for a record, with the decision.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Found {
    pub index: u32,
    pub score: f32,
    pub decision: Decision,
}

impl Index {
    pub fn build(people: Vec<Prepared>) -> Index {
        let mut keys: Vec<(u64, u32)> = Vec::with_capacity(people.len() * 3);
        let mut by_id = FxMap::with_capacity_and_hasher(people.len(), Default::default());
        let mut name_counts: FxMap<u64, u32> = FxMap::with_capacity_and_hasher(people.len(), Default::default());
        for (i, p) in people.iter().enumerate() {
            p.block_keys(|k| keys.push((k, i as u32)));
            if let Some(id) = p.id {
                by_id.entry(id.key()).or_insert(i as u32);
            }
            *name_counts.entry(p.name).or_default() += 1;
        }
        keys.sort_unstable();
        let mut blocks = FxMap::with_capacity_and_hasher(keys.len(), Default::default());
        let mut start = 0;
        while start < keys.len() {
            let key = keys[start].0;
            let end = start + keys[start..].iter().take_while(|(k, _)| *k == key).count();
            if (end - start) as u32 <= MAX_BLOCK {
                blocks.insert(key, (start as u32, (end - start) as u32));
            }
            start = end;
        }
        let members = keys.into_iter().map(|(_, i)| i).collect();
        Index { people, by_id, blocks, members, name_counts }
    }

    pub fn len(&self) -> usize {
        self.people.len()
    }

    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
    }

    /// The registry entries sharing a block with `rec`, each once.
    pub fn candidates(&self, rec: &Prepared, out: &mut Vec<u32>) {
        out.clear();
        rec.block_keys(|k| {
            if let Some((start, len)) = self.blocks.get(&k) {
                out.extend_from_slice(&self.members[*start as usize..(*start + *len) as usize]);
            }
        });
        let exact = rec.id.and_then(|id| self.by_id.get(&id.key()).copied());
        out.extend(exact);
        if exact.is_none() || rec.typed.is_some() {
            rec.id_neighbours(|k| out.extend(self.by_id.get(&k).copied()));
        }
        out.sort_unstable();
        out.dedup();
    }

    /// The best candidate for `rec` and what to make of it; `None` when nothing is worth a look.
    pub fn best(&self, rec: &Prepared, scratch: &mut Vec<u32>) -> Option<Found> {
        self.candidates(rec, scratch);
        let total = self.people.len().max(1) as f32;
        let (mut best, mut second): (Option<(u32, Score)>, Option<f32>) = (None, None);
        for &i in scratch.iter() {
            let cand = &self.people[i as usize];
            let share = self.name_counts.get(&cand.name).copied().unwrap_or(1) as f32 / total;
            let s = score(rec, cand, share);
            // Only a candidate the person's own fields speak for competes; a relative sharing
            // the phone and the commune does not.
            if s.personal() <= 0.0 {
                continue;
            }
            match &best {
                Some((_, b)) if s.total <= b.total => second = Some(second.map_or(s.total, |x: f32| x.max(s.total))),
                _ => {
                    second = best.map(|(_, b)| b.total);
                    best = Some((i, s));
                }
            }
        }
        let (index, score) = best?;
        decide(&score, second, self.people.len() as u64).map(|decision| Found { index, score: score.total, decision })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn full(y: i32, m: u32, d: u32) -> Option<BirthDate> {
        Some(BirthDate::Full(NaiveDate::from_ymd_opt(y, m, d).unwrap()))
    }

    fn subject<'a>(id: Option<&'a str>, name: &'a str, birth: Option<BirthDate>, g: Gender) -> Subject<'a> {
        Subject { national_id: id, full_name: name, birth, gender: Some(g), commune: Some("2021-W-00001"), phone: Some("0912345678") }
    }

    fn lan() -> Prepared {
        Prepared::new(&Subject {
            commune: Some("2025-W-00097"),
            phone: Some("+84 912 345 678"),
            ..subject(Some("031190012345"), "Nguyễn Thị Lan", full(1990, 3, 7), Gender::Female)
        })
    }

    fn level(s: &Score, f: Field) -> Level {
        s.parts.iter().find(|p| p.field == f).unwrap().level
    }

    #[test]
    fn ugly_spellings_of_one_person_score_as_the_same() {
        let nfd = "Nguye\u{0302}\u{0303}n Thi\u{0323} Lan";
        for name in [nfd, "NGUYEN THI LAN", "Nguyễn  Thị Lan", "Nguyễn Thị Lan"] {
            let s = score(&Prepared::new(&subject(None, name, full(1990, 3, 7), Gender::Female)), &lan(), 1e-5);
            assert_eq!(level(&s, Field::Name), Level::Same, "{name:?}");
            assert_eq!(level(&s, Field::Commune), Level::Same, "a 2021 ward against its 2025 successor");
            assert_eq!(level(&s, Field::Phone), Level::Same, "0912… and +84 912…");
            assert_eq!(decide(&s, None, 1_000_000), Some(Decision::Match), "{s:?}");
        }
        let dung = Prepared::new(&subject(None, "Đặng Văn Dũng", full(1970, 1, 2), Gender::Male));
        let eth = Prepared::new(&subject(None, "Ðặng Văn Dũng", full(1970, 1, 2), Gender::Male));
        assert_eq!(level(&score(&eth, &dung, 1e-5), Field::Name), Level::Same);
        let hoa = Prepared::new(&subject(None, "Phạm Thị Hoà", full(1956, 11, 23), Gender::Female));
        let hoa_new = Prepared::new(&subject(None, "Phạm Thị Hòa", full(1956, 11, 23), Gender::Female));
        assert_eq!(level(&score(&hoa_new, &hoa, 1e-5), Field::Name), Level::Same, "old and new tone placement");
    }

    #[test]
    fn each_field_grades_its_kind_of_difference() {
        let rec = |id, name, birth| Prepared::new(&subject(id, name, birth, Gender::Female));
        let s = score(&rec(Some("031190012345"), "Nguyễn Lan", full(1990, 7, 3)), &lan(), 1e-5);
        assert_eq!((level(&s, Field::Name), level(&s, Field::BirthDate)), (Level::SameButMiddle, Level::Swapped));
        let s = score(&rec(None, "Nguyễn Thị Lan", Some(BirthDate::YearOnly(1990))), &lan(), 1e-5);
        assert_eq!((level(&s, Field::Id), level(&s, Field::BirthDate)), (Level::Unknown, Level::SameYear));
        for typo in ["31190012345", "031190012354", "031190012346", "03119001234", "0311900123456", "031 190 012 345"] {
            let s = score(&rec(Some(typo), "Nguyễn Thị Lan", full(1990, 3, 7)), &lan(), 1e-5);
            let expected = if ["31190012345", "031 190 012 345"].contains(&typo) { Level::Same } else { Level::OneEdit };
            assert_eq!(level(&s, Field::Id), expected, "{typo}");
        }
        let s = score(&rec(Some("031190099999"), "Trần Thị Mai", full(1988, 1, 1)), &lan(), 1e-5);
        assert!(s.parts[..3].iter().all(|p| p.level == Level::Differs), "{s:?}");
        assert_eq!(decide(&s, None, 1_000_000), None, "a family member sharing the phone is no candidate");
    }

    #[test]
    fn a_common_name_weighs_less_than_a_rare_one() {
        let rec = Prepared::new(&subject(None, "Nguyễn Thị Lan", None, Gender::Female));
        assert!(score(&rec, &lan(), 1e-3).total < score(&rec, &lan(), 1e-6).total);
        assert!(surname_share(&name_key("Nguyễn")) > surname_share(&name_key("Lò")));
    }

    #[test]
    fn neighbours_are_one_edit_away() {
        let id = Digits::read("031190012345").unwrap();
        let mut n = 0;
        id.neighbours(|x| {
            assert!(x.one_edit(&id) || x == id, "{x:?}");
            n += 1;
        });
        // 12 x 9 changed digits and the swaps of unequal neighbours (no 9- or 12-digit number is
        // one digit longer or shorter than a 12-digit one but a 13- or 11-digit one).
        assert_eq!(n, 12 * 9 + 9, "031190012345 has two pairs of equal neighbours");
        assert!(Digits::read("03119001235").unwrap().one_edit(&id), "a lost digit");
        assert!(!Digits::read("031190054321").unwrap().one_edit(&id));
    }

    fn rec_tuan() -> Subject<'static> {
        Subject {
            phone: None,
            commune: None,
            ..subject(Some("001095007789"), "Tran Minh Tuan", Some(BirthDate::YearOnly(1995)), Gender::Male)
        }
    }

    #[test]
    fn the_index_finds_the_person_by_each_block() {
        let reg = |id: &str, name: &str, birth, g, phone: &str| {
            Prepared::new(&Subject {
                national_id: Some(id),
                full_name: name,
                birth,
                gender: Some(g),
                commune: Some("2025-W-00097"),
                phone: Some(phone),
            })
        };
        let index = Index::build(vec![
            reg("031190012345", "Nguyễn Thị Lan", full(1990, 3, 7), Gender::Female, "0912345678"),
            reg("031088001122", "Nguyễn Văn Hùng", full(1988, 5, 1), Gender::Male, "0912345678"),
            reg("001095007788", "Trần Minh Tuấn", full(1995, 12, 30), Gender::Male, "0987000111"),
        ]);
        let mut scratch = Vec::new();
        let find = |s: Subject| index.best(&Prepared::new(&s), &mut Vec::new());
        // No ID: found by name + year, or by birth date + gender + commune.
        let found = find(subject(None, "Nguyen Thi Lan", full(1990, 3, 7), Gender::Female)).unwrap();
        assert_eq!((found.index, found.decision), (0, Decision::Match));
        let found = find(Subject { phone: None, ..subject(None, "Trần Tuấn", full(1995, 12, 30), Gender::Male) }).unwrap();
        assert_eq!(found.index, 2);
        // One wrong digit, nothing else in common but the name and the birth year: in a registry
        // of three people that is sure (a common name among a hundred million is a clerk's to confirm).
        let rec = Subject {
            phone: None,
            commune: None,
            ..subject(Some("001095007789"), "Tran Minh Tuan", Some(BirthDate::YearOnly(1995)), Gender::Male)
        };
        let found = find(rec).unwrap();
        assert_eq!((found.index, found.decision), (2, Decision::Match));
        assert_eq!(decide(&score(&Prepared::new(&rec_tuan()), &index.people[2], 1e-3), None, 100_000_000), Some(Decision::Review));
        // Someone the registry does not hold, sharing the family phone.
        let rec = Prepared::new(&subject(None, "Nguyễn Văn Bình", full(2015, 8, 8), Gender::Male));
        index.candidates(&rec, &mut scratch);
        assert_eq!(scratch, vec![0, 1], "the family's phone block");
        assert_eq!(index.best(&rec, &mut scratch).map(|f| f.decision), None);
    }
}
