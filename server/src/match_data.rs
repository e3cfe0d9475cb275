//! Benchmark data for `server match-registry` (`server make-match-data`): a registry extract of
//! households in six real provinces (2025 wards), the vaccination records made of it in 2021
//! (2021 wards) with the corruptions the seeds report, people the registry does not hold, and
//! the truth file the benchmark scores both matchers against. Deterministic for a seed.
//!
//! What goes wrong on a record, each independently: the ID left out, its leading zeros lost, one
//! digit wrong, two swapped, one dropped, typed with spaces, an old 9-digit CMND, or a family
//! member's ID; the name in NFD, with Ð, in the old tone placement, without diacritics, in
//! capitals, without its middle name, or with a typo in the given name; the birth date as a year,
//! with day and month swapped, or off by a year; the gender flipped; the commune of another
//! ward; no phone. About one person in a hundred has two records (dose 1 and dose 2 apart).

use crate::reference_data::UNITS_2021_CSV;
use crate::seed::weighted;
use app::verification::communes::COMMUNES;
use rand::prelude::*;
use rand_chacha::ChaCha8Rng;
use std::collections::HashSet;
use std::io::Write;
use unicode_normalization::UnicodeNormalization;

const PROVINCES: [&str; 6] = ["001", "031", "036", "038", "040", "079"];

/// Surnames with their shares per thousand (national survey).
const SURNAMES: [(&str, u32); 24] = [
    ("Nguyễn", 384),
    ("Trần", 121),
    ("Lê", 95),
    ("Phạm", 70),
    ("Hoàng", 30),
    ("Huỳnh", 21),
    ("Phan", 45),
    ("Vũ", 20),
    ("Võ", 19),
    ("Đặng", 21),
    ("Bùi", 20),
    ("Đỗ", 14),
    ("Hồ", 13),
    ("Ngô", 13),
    ("Dương", 10),
    ("Lý", 5),
    ("Đinh", 4),
    ("Đào", 4),
    ("Trịnh", 3),
    ("Mai", 3),
    ("Trương", 3),
    ("Lương", 2),
    ("Lưu", 2),
    ("Tạ", 1),
];
const MIDDLE_M: [(&str, u32); 16] = [
    ("Văn", 400),
    ("Đức", 80),
    ("Minh", 80),
    ("Quang", 50),
    ("Hữu", 50),
    ("Công", 40),
    ("Thành", 40),
    ("Xuân", 30),
    ("Ngọc", 30),
    ("Anh", 30),
    ("Duy", 30),
    ("Hoàng", 30),
    ("Mạnh", 20),
    ("Tuấn", 20),
    ("Trọng", 20),
    ("Đình", 50),
];
const MIDDLE_F: [(&str, u32); 14] = [
    ("Thị", 550),
    ("Ngọc", 60),
    ("Thu", 50),
    ("Thanh", 50),
    ("Hồng", 40),
    ("Minh", 30),
    ("Kim", 30),
    ("Phương", 30),
    ("Bích", 20),
    ("Mỹ", 20),
    ("Hoài", 20),
    ("Khánh", 20),
    ("Diệu", 15),
    ("Bảo", 15),
];
const GIVEN_M: [&str; 60] = [
    "Hùng", "Dũng", "Tuấn", "Minh", "Nam", "Hải", "Long", "Sơn", "Thắng", "Cường", "Hiếu", "Huy", "Đức", "Trung", "Tùng", "Phong", "Quân",
    "Thành", "Việt", "An", "Bình", "Đạt", "Khôi", "Khoa", "Hoàng", "Hưng", "Kiên", "Lâm", "Lộc", "Mạnh", "Nghĩa", "Nhân", "Phúc", "Quang",
    "Tài", "Tâm", "Thái", "Thịnh", "Toàn", "Trí", "Tú", "Vinh", "Vũ", "Bảo", "Công", "Duy", "Giang", "Hào", "Hiển", "Khải", "Lực", "Ngọc",
    "Phát", "Quý", "Sang", "Thông", "Thuận", "Tiến", "Trọng", "Xuân",
];
const GIVEN_F: [&str; 60] = [
    "Lan", "Hương", "Hoa", "Linh", "Trang", "Mai", "Hà", "Thảo", "Ngọc", "Hằng", "Huyền", "Nhung", "Phương", "Yến", "Anh", "Dung", "Giang",
    "Hạnh", "Hiền", "Hồng", "Lệ", "Loan", "Ly", "Nga", "Ngân", "Nhi", "Oanh", "Quyên", "Quỳnh", "Tâm", "Thanh", "Thu", "Thủy", "Thúy",
    "Trâm", "Tuyết", "Uyên", "Vân", "Vy", "Xuân", "Bích", "Châu", "Diệp", "Duyên", "Gấm", "Hòa", "Khánh", "Kiều", "Liên", "Mơ", "My",
    "Nguyệt", "Nhàn", "Như", "Sen", "Tuyền", "Thơ", "Thoa", "Trinh", "Vui",
];
/// The old tone placement some keyboards still type (hoà for hòa, thuỷ for thủy).
const OLD_TONES: [(&str, &str); 6] = [("òa", "oà"), ("óa", "oá"), ("ủy", "uỷ"), ("úy", "uý"), ("ùy", "uỳ"), ("ọa", "oạ")];

struct Ward {
    province: &'static str,
    code_2021: &'static str,
    code_2025: &'static str,
}

struct Person {
    registry_id: String,
    national_id: String,
    name: String,
    gender: char,
    year: i32,
    month: u32,
    day: u32,
    ward: usize,
    phone: Option<String>,
}

/// What `generate` wrote.
pub struct MatchData {
    pub registry: u64,
    pub records: u64,
    pub not_in_registry: u64,
}

pub fn generate(people: u64, seed: u64, dir: &std::path::Path) -> std::io::Result<MatchData> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let wards = wards();
    let mut ids = HashSet::new();
    let mut phones = 0u64;
    // The registry, household by household; about 8% of households are not in it.
    let (mut registry, mut outside) = (Vec::with_capacity(people as usize), Vec::new());
    while (registry.len() as u64) < people {
        let household = household(&mut rng, &wards, &mut ids, &mut phones);
        if rng.random_bool(0.08) { outside.extend(household) } else { registry.extend(household) }
    }
    registry.truncate(people as usize);
    for (n, p) in registry.iter_mut().enumerate() {
        p.registry_id = format!("G{:07}", n + 1);
    }
    let file = |name: &str| std::fs::File::create(dir.join(name)).map(|f| std::io::BufWriter::with_capacity(1 << 20, f));
    let mut g = file("registry.csv")?;
    writeln!(g, "id,national_id,full_name,birth_date,gender,commune,phone")?;
    for p in &registry {
        let phone = p.phone.as_deref().filter(|_| rng.random_bool(0.9)).unwrap_or("");
        let w = &wards[p.ward];
        writeln!(
            g,
            "{},{},{},{:04}-{:02}-{:02},{},{},{phone}",
            p.registry_id, p.national_id, p.name, p.year, p.month, p.day, p.gender, w.code_2025
        )?;
    }
    g.flush()?;
    let (mut r, mut t) = (file("records.csv")?, file("truth.csv")?);
    writeln!(r, "id,national_id,full_name,birth_date,gender,commune,phone")?;
    writeln!(t, "record_id,registry_id")?;
    let mut n = 0u64;
    let mut write = |rng: &mut ChaCha8Rng, p: &Person, family: Option<&Person>, truth: &str| -> std::io::Result<()> {
        n += 1;
        let rec = corrupt(rng, p, family, &wards);
        writeln!(r, "R{n:07},{}", rec)?;
        writeln!(t, "R{n:07},{truth}")
    };
    let records_of = |rng: &mut ChaCha8Rng| if rng.random_bool(0.01) { 2 } else { 1 };
    let mut not_in_registry = 0;
    for (i, p) in registry.iter().enumerate() {
        if rng.random_bool(0.08) {
            continue; // not vaccinated, or vaccinated elsewhere
        }
        let family = registry.get(i + 1).filter(|f| f.phone.is_some() && f.phone == p.phone);
        for _ in 0..records_of(&mut rng) {
            write(&mut rng, p, family, &p.registry_id)?;
        }
        // The people outside the registry are vaccinated among the others.
        if rng.random_bool(0.085)
            && let Some(o) = outside.pop()
        {
            write(&mut rng, &o, None, "")?;
            not_in_registry += 1;
        }
    }
    r.flush()?;
    t.flush()?;
    Ok(MatchData { registry: registry.len() as u64, records: n, not_in_registry })
}

fn wards() -> Vec<Ward> {
    let mut out = Vec::new();
    for line in UNITS_2021_CSV.lines().skip(1) {
        let cols: Vec<&'static str> = line.split(',').collect();
        let (province, ward) = (cols[0], cols[5]);
        if PROVINCES.contains(&province)
            && let Some(next) = COMMUNES.successors(ward).first()
        {
            out.push(Ward { province, code_2021: ward, code_2025: next });
        }
    }
    out
}

fn surname(rng: &mut ChaCha8Rng) -> usize {
    let picked = weighted(rng, &SURNAMES);
    SURNAMES.iter().position(|s| s.0 == picked).unwrap_or(0)
}

/// A given name, the common ones more often (the commonest about one in fifteen).
fn given(rng: &mut ChaCha8Rng, names: &[&'static str]) -> &'static str {
    let x: f64 = rng.random();
    names[(x.powf(1.5) * names.len() as f64) as usize]
}

fn household(rng: &mut ChaCha8Rng, wards: &[Ward], ids: &mut HashSet<String>, phones: &mut u64) -> Vec<Person> {
    let ward = rng.random_range(0..wards.len());
    let size = weighted(rng, &[(1, 15), (2, 20), (3, 25), (4, 25), (5, 10), (6, 5)]);
    *phones += 1;
    let phone = rng.random_bool(0.85).then(|| format!("09{:08}", (*phones * 2_654_435_761) % 100_000_000));
    let family_name = surname(rng);
    let head_year = rng.random_range(1935..=1998);
    let mut names = HashSet::new();
    (0..size)
        .map(|i| {
            let gender = if rng.random_bool(0.5) { 'M' } else { 'F' };
            // The head and a spouse; then their children, who carry the head's surname.
            let (year, surname) = match i {
                0 => (head_year, family_name),
                1 => (head_year + rng.random_range(-5..=5), surname(rng)),
                _ => ((head_year + rng.random_range(20..=35)).min(2015), family_name),
            };
            // No family gives two of its members one given name.
            let (middle, first) = loop {
                let (middle, first) = match gender {
                    'M' => (weighted(rng, &MIDDLE_M), given(rng, &GIVEN_M)),
                    _ => (weighted(rng, &MIDDLE_F), given(rng, &GIVEN_F)),
                };
                if names.insert(first) {
                    break (middle, first);
                }
            };
            let mut name = format!("{} {middle} {first}", SURNAMES[surname].0);
            if rng.random_bool(0.1) {
                let extra = if gender == 'M' { weighted(rng, &MIDDLE_M) } else { weighted(rng, &MIDDLE_F) };
                if extra != middle {
                    name = format!("{} {middle} {extra} {first}", SURNAMES[surname].0);
                }
            }
            let national_id = loop {
                let century = if year >= 2000 { 2 } else { 0 } + if gender == 'F' { 1 } else { 0 };
                let id = format!("{}{century}{:02}{:06}", wards[ward].province, year % 100, rng.random_range(0..1_000_000));
                if ids.insert(id.clone()) {
                    break id;
                }
            };
            let (month, day) = (rng.random_range(1..=12), rng.random_range(1..=28));
            Person { registry_id: String::new(), national_id, name, gender, year, month, day, ward, phone: phone.clone() }
        })
        .collect()
}

/// A record line (without its id) for `p`, as the 2021 platform holds it.
fn corrupt(rng: &mut ChaCha8Rng, p: &Person, family: Option<&Person>, wards: &[Ward]) -> String {
    let id = &p.national_id;
    let national_id = match rng.random_range(0..1000) {
        0..150 => String::new(),
        150..230 => id.trim_start_matches('0').to_string(),
        230..270 => {
            let i = rng.random_range(3..12);
            let mut d: Vec<u8> = id.bytes().collect();
            d[i] = b'0' + (d[i] - b'0' + rng.random_range(1..10)) % 10;
            String::from_utf8(d).unwrap()
        }
        270..300 => {
            let i = rng.random_range(3..11);
            let mut d: Vec<u8> = id.bytes().collect();
            d.swap(i, i + 1);
            String::from_utf8(d).unwrap()
        }
        300..330 => {
            let i = rng.random_range(3..12);
            format!("{}{}", &id[..i], &id[i + 1..])
        }
        330..350 => format!("{} {} {}", &id[..3], &id[3..6], &id[6..]),
        350..380 => format!("{:09}", rng.random_range(10_000_000..400_000_000)),
        380..395 if family.is_some() => family.unwrap().national_id.clone(),
        _ => id.clone(),
    };
    let name = match rng.random_range(0..1000) {
        0..80 => p.name.nfd().collect(),
        80..100 => p.name.replace('Đ', "Ð"),
        100..150 => OLD_TONES.iter().fold(p.name.clone(), |n, (new, old)| n.replace(new, old)),
        150..190 => app::domain::fold(&p.name).split(' ').map(capitalise).collect::<Vec<_>>().join(" "),
        190..220 => p.name.to_uppercase(),
        220..260 => {
            let words: Vec<&str> = p.name.split(' ').collect();
            format!("{} {}", words[0], words[words.len() - 1])
        }
        260..275 => {
            let mut words: Vec<String> = p.name.split(' ').map(str::to_string).collect();
            let last = words.last_mut().unwrap();
            last.pop();
            words.join(" ")
        }
        _ => p.name.clone(),
    };
    let (y, m, d) = (p.year, p.month, p.day);
    let birth = match rng.random_range(0..1000) {
        0..80 => format!("{y:04}"),
        80..130 if d <= 12 && d != m => format!("{y:04}-{d:02}-{m:02}"),
        130..140 => format!("{:04}-{m:02}-{d:02}", y + if rng.random_bool(0.5) { 1 } else { -1 }),
        _ => format!("{y:04}-{m:02}-{d:02}"),
    };
    let gender = if rng.random_bool(0.02) { if p.gender == 'M' { 'F' } else { 'M' } } else { p.gender };
    let ward = if rng.random_bool(0.04) { &wards[rng.random_range(0..wards.len())] } else { &wards[p.ward] };
    let phone = p.phone.as_deref().filter(|_| rng.random_bool(0.9)).unwrap_or("");
    format!("{national_id},{name},{birth},{gender},{},{phone}", ward.code_2021)
}

fn capitalise(word: &str) -> String {
    let mut c = word.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}
