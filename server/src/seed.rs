//! Reproducible demo data: households with Vietnamese names, CCCD numbers consistent with
//! birth year and gender, shared phones, doses of real products in 2021-2022 at sites over
//! real communes, and the three cleaning groups at realistic rates:
//! (a) no ID, (b) malformed ID, (c) name / birth date / gender differing from the registry.

use crate::reference_data::{code_2021_commune, code_2021_district, code_2021_province};
use app::platform::db::values_list;
use app::platform::{Backend, Db};
use app::staff::StaffRole;
use app::staff::service::{Placement, create_staff};
use chrono::{Duration, NaiveDate};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sqlx::Any;
use std::collections::HashSet;

/// Rates per person, after the reports from Hải Phòng (~200k of ~2M people with no or a
/// malformed ID, >200k with wrong basic data).
const NO_ID_RATE: f64 = 0.05;
const MALFORMED_ID_RATE: f64 = 0.05;
const WRONG_DATA_RATE: f64 = 0.10;

const FAMILY: [(&str, u32); 14] = [
    ("Nguyễn", 380),
    ("Trần", 110),
    ("Lê", 95),
    ("Phạm", 70),
    ("Hoàng", 30),
    ("Huỳnh", 21),
    ("Phan", 45),
    ("Vũ", 39),
    ("Võ", 20),
    ("Đặng", 21),
    ("Bùi", 20),
    ("Đỗ", 14),
    ("Hồ", 13),
    ("Ngô", 13),
];
const MIDDLE_M: [&str; 8] = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Thành", "Xuân"];
const MIDDLE_F: [&str; 8] = ["Thị", "Ngọc", "Thu", "Thanh", "Phương", "Kim", "Mai", "Thuỳ"];
const GIVEN_M: [&str; 16] =
    ["An", "Bình", "Cường", "Dũng", "Đạt", "Hùng", "Huy", "Khôi", "Long", "Nam", "Phong", "Quân", "Sơn", "Thắng", "Tuấn", "Việt"];
const GIVEN_F: [&str; 16] =
    ["Anh", "Châu", "Dung", "Giang", "Hà", "Hằng", "Hoà", "Hương", "Lan", "Linh", "Mai", "Ngân", "Nhung", "Thảo", "Trang", "Yến"];
const PRODUCTS: [(&str, u32); 7] = [("AZ", 34), ("VERO", 26), ("PFZ", 25), ("MOD", 9), ("SPV", 2), ("ABD", 3), ("CVS", 1)];

pub struct SeedReport {
    pub people: u64,
    pub doses: u64,
    pub sites: u64,
    /// The demo household's commune health station and district centre.
    pub demo_station: i64,
    pub demo_district_centre: i64,
}

#[derive(Clone)]
struct Person {
    id: i64,
    national_id: Option<String>,
    full_name: String,
    birth_date: String,
    gender: &'static str,
    phone: Option<String>,
    email: Option<String>,
    residence: String,
    guardian_id: Option<i64>,
}

struct Dose {
    person_id: i64,
    kind: &'static str,
    given_on: String,
    product: &'static str,
    lot: String,
    site_id: i64,
}

struct Registry {
    national_id: String,
    full_name: String,
    birth_date: String,
    gender: &'static str,
    commune: String,
    phone: Option<String>,
}

struct Site {
    id: i64,
    code: String,
    name: String,
    site_type: &'static str,
    unit_code: String,
}

struct Commune {
    province_code: String,
    unit_code: String,
    station_id: i64,
    district_site_id: i64,
}

pub async fn has_people(db: &Db) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM people").fetch_one(db.read()).await?;
    Ok(n > 0)
}

/// Writes `people` people (the demo household first) and their doses, from `seed`.
pub async fn generate(db: &Db, people: u64, seed: u64) -> Result<SeedReport, sqlx::Error> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (sites, communes) = build_sites(&mut rng, people);
    let backend = db.backend;
    let mut tx = db.begin().await?;
    if db.backend == Backend::Sqlite {
        // Room for the whole load in the page cache: with the default 2 MB, pages spill to the
        // WAL and are rewritten again and again, and the load slows down quadratically.
        sqlx::query("PRAGMA cache_size = -1048576").execute(&mut *tx).await?;
    }
    for chunk in sites.chunks(1000) {
        let sql = format!("INSERT INTO sites (id, code, name, site_type, unit_code) VALUES {}", values_list(backend, chunk.len(), 5));
        let mut q = sqlx::query(&sql);
        for s in chunk {
            q = q.bind(s.id).bind(&s.code).bind(&s.name).bind(s.site_type).bind(&s.unit_code);
        }
        q.execute(&mut *tx).await?;
    }
    if db.backend == Backend::Postgres {
        sqlx::query("SELECT setval(pg_get_serial_sequence('sites', 'id'), (SELECT MAX(id) FROM sites))").execute(&mut *tx).await?;
    }

    let mut generator = Generator { rng, used_ids: HashSet::new(), next_person: 1, next_phone: 0 };
    let mut batch_people = Vec::with_capacity(4096);
    let mut batch_doses = Vec::with_capacity(12_000);
    let mut batch_registry = Vec::with_capacity(4096);
    let (mut total_people, mut total_doses) = (0u64, 0u64);

    let demo = demo_household(&communes[0]);
    for (person, registry, doses) in demo {
        generator.next_person = generator.next_person.max(person.id + 1);
        if let Some(registry) = registry {
            generator.used_ids.insert(registry.national_id.clone());
            batch_registry.push(registry);
        }
        batch_people.push(person);
        batch_doses.extend(doses);
    }
    while total_people + (batch_people.len() as u64) < people {
        let remaining = people - total_people - batch_people.len() as u64;
        let commune = communes.choose(&mut generator.rng).expect("at least one commune");
        generator.household(commune, remaining, &mut batch_people, &mut batch_registry, &mut batch_doses);
        if batch_people.len() >= 4000 {
            total_people += batch_people.len() as u64;
            total_doses += batch_doses.len() as u64;
            flush(backend, &mut tx, &mut batch_people, &mut batch_registry, &mut batch_doses).await?;
        }
    }
    total_people += batch_people.len() as u64;
    total_doses += batch_doses.len() as u64;
    flush(backend, &mut tx, &mut batch_people, &mut batch_registry, &mut batch_doses).await?;
    if db.backend == Backend::Postgres {
        for table in ["people", "doses"] {
            sqlx::query(&format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"))
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await?;
    app::supervision::areas::refresh(db).await.map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    create_demo_staff(db, &communes[0]).await?;
    // Statistics for the planner first: without them PostgreSQL took the 10M pending records
    // for a few hundred and read them all for each batch of the engine.
    sqlx::query("ANALYZE").execute(db.write()).await?;
    // Every record graded by the verification engine, as the portal's writers do.
    app::verification::service::verify_pending(db, chrono::Utc::now().timestamp())
        .await
        .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    // Fresh statistics after a bulk load, so the planners pick the indexes.
    sqlx::query("ANALYZE").execute(db.write()).await?;
    Ok(SeedReport {
        people: total_people,
        doses: total_doses,
        sites: sites.len() as u64,
        demo_station: communes[0].station_id,
        demo_district_centre: communes[0].district_site_id,
    })
}

async fn flush(
    backend: Backend,
    tx: &mut sqlx::Transaction<'_, Any>,
    people: &mut Vec<Person>,
    registry: &mut Vec<Registry>,
    doses: &mut Vec<Dose>,
) -> Result<(), sqlx::Error> {
    for chunk in people.chunks(500) {
        let sql = format!(
            "INSERT INTO people (id, national_id, full_name, birth_date, gender, phone, email, residence_unit, guardian_id) VALUES {}",
            values_list(backend, chunk.len(), 9)
        );
        let mut q = sqlx::query(&sql);
        for p in chunk {
            q = q
                .bind(p.id)
                .bind(&p.national_id)
                .bind(&p.full_name)
                .bind(&p.birth_date)
                .bind(p.gender)
                .bind(&p.phone)
                .bind(&p.email)
                .bind(&p.residence)
                .bind(p.guardian_id);
        }
        q.execute(&mut **tx).await?;
    }
    for chunk in registry.chunks(1000) {
        let sql = format!(
            "INSERT INTO registry_people (national_id, full_name, birth_date, gender, commune, phone, name_key) VALUES {}",
            values_list(backend, chunk.len(), 7)
        );
        let mut q = sqlx::query(&sql);
        for r in chunk {
            q = q.bind(&r.national_id).bind(&r.full_name).bind(&r.birth_date).bind(r.gender);
            q = q.bind(&r.commune).bind(&r.phone).bind(app::domain::name_key(&r.full_name));
        }
        q.execute(&mut **tx).await?;
    }
    for chunk in doses.chunks(1000) {
        let sql = format!(
            "INSERT INTO doses (person_id, dose_kind, given_on, product_code, lot, site_id) VALUES {}",
            values_list(backend, chunk.len(), 6)
        );
        let mut q = sqlx::query(&sql);
        for d in chunk {
            q = q.bind(d.person_id).bind(d.kind).bind(&d.given_on).bind(d.product).bind(&d.lot).bind(d.site_id);
        }
        q.execute(&mut **tx).await?;
    }
    people.clear();
    registry.clear();
    doses.clear();
    Ok(())
}

/// One commune health station per chosen commune, one health centre per district, and a
/// provincial CDC per province. About one commune per 100 people, at most every commune.
fn build_sites(rng: &mut ChaCha8Rng, people: u64) -> (Vec<Site>, Vec<Commune>) {
    let mut rows: Vec<csv::StringRecord> = csv::Reader::from_reader(crate::reference_data::UNITS_2021_CSV.as_bytes())
        .into_records()
        .map(|r| r.expect("bundled CSV"))
        .collect();
    // The demo household lives in Hải Phòng: keep its first commune first.
    let demo_index = rows.iter().position(|r| &r[0] == "031").unwrap_or(0);
    let demo = rows.remove(demo_index);
    let wanted = ((people / 100).clamp(20, rows.len() as u64)) as usize;
    let mut chosen: Vec<csv::StringRecord> = rows.choose_multiple(rng, wanted.saturating_sub(1)).cloned().collect();
    chosen.insert(0, demo);

    let mut sites = Vec::new();
    let mut communes = Vec::new();
    let mut district_sites = std::collections::HashMap::new();
    let mut province_sites = std::collections::HashSet::new();
    for r in &chosen {
        if province_sites.insert(r[0].to_string()) {
            let id = sites.len() as i64 + 1;
            sites.push(Site {
                id,
                code: format!("CDC-{}", &r[0]),
                name: format!("Trung tâm Kiểm soát bệnh tật {}", r[1].trim_start_matches("Thành phố ").trim_start_matches("Tỉnh ")),
                site_type: "provincial_cdc",
                unit_code: code_2021_province(&r[0]),
            });
        }
        let district_site_id = *district_sites.entry(r[2].to_string()).or_insert_with(|| {
            let id = sites.len() as i64 + 1;
            sites.push(Site {
                id,
                code: format!("TTYT-{}", &r[2]),
                name: format!("Trung tâm Y tế {}", &r[3]),
                site_type: "district_centre",
                unit_code: code_2021_district(&r[2]),
            });
            id
        });
        let station_id = sites.len() as i64 + 1;
        sites.push(Site {
            id: station_id,
            code: format!("TYT-{}", &r[5]),
            name: format!("Trạm Y tế {}", &r[6]),
            site_type: "commune_station",
            unit_code: code_2021_commune(&r[5]),
        });
        communes.push(Commune { province_code: r[0].to_string(), unit_code: code_2021_commune(&r[5]), station_id, district_site_id });
    }
    (sites, communes)
}

struct Generator {
    rng: ChaCha8Rng,
    used_ids: HashSet<String>,
    next_person: i64,
    next_phone: u64,
}

impl Generator {
    fn household(&mut self, commune: &Commune, max: u64, people: &mut Vec<Person>, registry: &mut Vec<Registry>, doses: &mut Vec<Dose>) {
        let size = self.rng.random_range(1..=5u64).min(max);
        let phone = (self.rng.random::<f64>() > 0.04).then(|| self.phone());
        let email = (self.rng.random::<f64>() < 0.15).then(|| format!("giadinh{}@example.vn", self.next_person));
        let family = weighted(&mut self.rng, &FAMILY).to_string();
        let head_year = self.rng.random_range(1950..=2000);
        let mut head_id = None;
        for i in 0..size {
            let (year, gender) = match i {
                0 => (head_year, if self.rng.random() { "M" } else { "F" }),
                1 => (head_year + self.rng.random_range(-3..=3), if self.rng.random() { "M" } else { "F" }),
                2 if head_year < 1975 => (head_year - self.rng.random_range(20..=30), if self.rng.random() { "M" } else { "F" }),
                _ => ((head_year + self.rng.random_range(20..=32)).min(2016), if self.rng.random() { "M" } else { "F" }),
            };
            let year = year.max(1925);
            let family_name = if i == 1 { weighted(&mut self.rng, &FAMILY).to_string() } else { family.clone() };
            let minor = year > 2004;
            let id = self.next_person;
            self.next_person += 1;
            if i == 0 {
                head_id = Some(id);
            }
            let (person, reg, person_doses) =
                self.person(id, commune, &family_name, year, gender, phone.clone(), email.clone(), minor.then_some(head_id).flatten());
            people.push(person);
            registry.push(reg);
            doses.extend(person_doses);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn person(
        &mut self,
        id: i64,
        commune: &Commune,
        family: &str,
        year: i32,
        gender: &'static str,
        phone: Option<String>,
        email: Option<String>,
        guardian_id: Option<i64>,
    ) -> (Person, Registry, Vec<Dose>) {
        let rng = &mut self.rng;
        let (middle, given) = if gender == "M" { (&MIDDLE_M[..], &GIVEN_M[..]) } else { (&MIDDLE_F[..], &GIVEN_F[..]) };
        let true_name = format!("{family} {} {}", middle.choose(rng).unwrap(), given.choose(rng).unwrap());
        let birth = NaiveDate::from_ymd_opt(year, 1, 1).unwrap() + Duration::days(rng.random_range(0..365));
        let national_id = loop {
            let candidate = cccd(rng, &commune.province_code, gender, year);
            if self.used_ids.insert(candidate.clone()) {
                break candidate;
            }
        };
        let registry = Registry {
            national_id: national_id.clone(),
            full_name: true_name.clone(),
            birth_date: birth.format("%Y-%m-%d").to_string(),
            gender,
            commune: commune.unit_code.clone(),
            phone: phone.clone(),
        };
        let mut person = Person {
            id,
            national_id: Some(national_id.clone()),
            full_name: true_name,
            birth_date: registry.birth_date.clone(),
            gender,
            phone,
            email,
            residence: commune.unit_code.clone(),
            guardian_id,
        };
        let roll: f64 = rng.random();
        if roll < NO_ID_RATE {
            person.national_id = None;
        } else if roll < NO_ID_RATE + MALFORMED_ID_RATE {
            person.national_id = Some(malformed(rng, &national_id));
        } else if roll < NO_ID_RATE + MALFORMED_ID_RATE + WRONG_DATA_RATE {
            match rng.random_range(0..4) {
                0 => person.full_name = app::domain::fold(&person.full_name).to_uppercase(),
                1 => person.birth_date = year.to_string(),
                2 => person.birth_date = (birth + Duration::days(rng.random_range(1..40))).format("%Y-%m-%d").to_string(),
                _ => person.gender = if gender == "M" { "F" } else { "M" },
            }
        }
        let doses = doses_for(rng, id, year, commune);
        (person, registry, doses)
    }

    fn phone(&mut self) -> String {
        self.next_phone += 1;
        let prefix =
            ["090", "093", "094", "096", "097", "098", "032", "035", "038", "070", "077", "081", "085"].choose(&mut self.rng).unwrap();
        // Distinct numbers (091 is kept for the demo household): a counter scrambled over the 7 free digits.
        let n = (self.next_phone * 2_654_435_761) % 10_000_000;
        format!("{prefix}{n:07}")
    }
}

fn cccd(rng: &mut ChaCha8Rng, province: &str, gender: &str, year: i32) -> String {
    let century = match year {
        1900..=1999 => 0,
        2000..=2099 => 2,
        _ => 8,
    };
    let digit = century + if gender == "F" { 1 } else { 0 };
    format!("{province}{digit}{:02}{:06}", year % 100, rng.random_range(0..1_000_000))
}

/// The malformed IDs seen on real records: a dropped digit, leading zeros lost by a
/// spreadsheet, a letter O for a zero.
fn malformed(rng: &mut ChaCha8Rng, id: &str) -> String {
    match rng.random_range(0..3) {
        0 => {
            let cut = rng.random_range(0..id.len());
            format!("{}{}", &id[..cut], &id[cut + 1..])
        }
        1 => id.trim_start_matches('0').to_string() + if id.starts_with('0') { "" } else { "5" },
        _ => id.replacen('0', "O", 1) + if id.contains('0') { "" } else { "O" },
    }
}

fn doses_for(rng: &mut ChaCha8Rng, person_id: i64, birth_year: i32, commune: &Commune) -> Vec<Dose> {
    let count = weighted(rng, &[(0usize, 4), (1, 6), (2, 40), (3, 38), (4, 12)]);
    let product = weighted(rng, &PRODUCTS);
    let child = birth_year > 2003;
    let mut day = if child {
        NaiveDate::from_ymd_opt(2021, 11, 1).unwrap() + Duration::days(rng.random_range(0..120))
    } else {
        NaiveDate::from_ymd_opt(2021, 6, 1).unwrap() + Duration::days(rng.random_range(0..200))
    };
    let kinds = ["1", "2", "n1", "n2"];
    (0..count)
        .map(|i| {
            if i > 0 {
                day += Duration::days(if i == 1 { rng.random_range(28..90) } else { rng.random_range(90..200) });
            }
            let product = if child {
                "PFZ"
            } else if i >= 2 {
                weighted(rng, &[("PFZ", 5), ("MOD", 3), ("AZ", 2)])
            } else {
                product
            };
            let site_id = if rng.random::<f64>() < 0.75 { commune.station_id } else { commune.district_site_id };
            Dose {
                person_id,
                kind: kinds[i],
                given_on: day.format("%Y-%m-%d").to_string(),
                product,
                lot: format!("{}{:04}", ["A", "FG", "PV", "2021B", "NT"].choose(rng).unwrap(), rng.random_range(0..10_000)),
                site_id,
            }
        })
        .collect()
}

/// One of `items`, each as likely as its weight.
pub(crate) fn weighted<T: Copy>(rng: &mut ChaCha8Rng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut pick = rng.random_range(0..total);
    for (item, w) in items {
        if pick < *w {
            return *item;
        }
        pick -= w;
    }
    items[0].0
}

/// The demo household the README and the browser tests use. Lives in the first commune.
fn demo_household(commune: &Commune) -> Vec<(Person, Option<Registry>, Vec<Dose>)> {
    let phone = Some("0912345678".to_string());
    let email = Some("lan.nguyen@example.vn".to_string());
    let dose = |person_id, kind, given_on: &str, product, lot: &str, site_id| Dose {
        person_id,
        kind,
        given_on: given_on.into(),
        product,
        lot: lot.into(),
        site_id,
    };
    let person =
        |id, national_id: Option<&str>, name: &str, birth: &str, gender, phone: &Option<String>, email: &Option<String>, guardian| Person {
            id,
            national_id: national_id.map(str::to_string),
            full_name: name.into(),
            birth_date: birth.into(),
            gender,
            phone: phone.clone(),
            email: email.clone(),
            residence: commune.unit_code.clone(),
            guardian_id: guardian,
        };
    let reg = |id: &str, name: &str, birth: &str, gender| {
        Some(Registry {
            national_id: id.into(),
            full_name: name.into(),
            birth_date: birth.into(),
            gender,
            commune: commune.unit_code.clone(),
            phone: phone.clone(),
        })
    };
    let (station, district) = (commune.station_id, commune.district_site_id);
    vec![
        (
            person(1, Some(DEMO_ID), "Nguyễn Thị Lan", "1990-03-07", "F", &phone, &email, None),
            reg(DEMO_ID, "Nguyễn Thị Lan", "1990-03-07", "F"),
            vec![
                dose(1, "1", "2021-08-14", "AZ", "A1045", station),
                dose(1, "2", "2021-10-20", "AZ", "A1187", station),
                dose(1, "n1", "2022-03-02", "PFZ", "FG3530", district),
            ],
        ),
        (
            // Birth date typed 02/05 instead of 20/05 at the mobile team.
            person(2, Some("031212004821"), "Trần Minh Khôi", "2012-05-02", "M", &phone, &None, Some(1)),
            reg("031212004821", "Trần Minh Khôi", "2012-05-20", "M"),
            vec![dose(2, "1", "2022-04-16", "PFZ", "FK5618", station), dose(2, "2", "2022-05-14", "PFZ", "FK5618", station)],
        ),
        (
            // Vaccinated without a card: no ID on the record, year of birth only.
            person(3, None, "Phạm Thị Hoà", "1956", "F", &phone, &None, None),
            reg("031156007311", "Phạm Thị Hoà", "1956-11-23", "F"),
            vec![dose(3, "1", "2021-08-02", "VERO", "202107B2145", station), dose(3, "2", "2021-09-01", "VERO", "202107B2145", station)],
        ),
        (
            // The same grandmother split: her booster, given when she brought her card, went on a
            // second record that carries her ID (no phone). The station merges the two.
            person(4, Some("031156007311"), "Phạm Thị Hoà", "1956-11-23", "F", &None, &None, None),
            None,
            vec![dose(4, "n1", "2022-03-10", "PFZ", "FK8891", station)],
        ),
    ]
}

/// Staff for the demo household's commune station (its manager) and district centre, and
/// supervisors for that district, its province and the country; password
/// `DEMO_STAFF_PASSWORD`. Development data only: `make run` prints these.
async fn create_demo_staff(db: &Db, commune: &Commune) -> Result<(), sqlx::Error> {
    let now = chrono::Utc::now().timestamp();
    for (email, name, role, site) in [
        // The station's demo account manages its staff too.
        (DEMO_STATION_EMAIL, "Nguyễn Văn Trạm", StaffRole::SiteManager, commune.station_id),
        ("ttyt.demo@example.vn", "Lê Thị Trung Tâm", StaffRole::SiteStaff, commune.district_site_id),
    ] {
        create_staff(db, email, name, DEMO_STAFF_PASSWORD, role, Placement::Site(site), now)
            .await
            .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    }
    // Supervisors of the demo commune's district and province, and of the whole country.
    let district: Option<String> =
        sqlx::query_scalar("SELECT parent_code FROM admin_units WHERE code = $1").bind(&commune.unit_code).fetch_one(db.read()).await?;
    let province: Option<String> =
        sqlx::query_scalar("SELECT parent_code FROM admin_units WHERE code = $1").bind(&district).fetch_one(db.read()).await?;
    for (email, name, area) in [
        (DEMO_DISTRICT_SUPERVISOR_EMAIL, "Vũ Văn Giám Sát", district),
        (DEMO_PROVINCE_SUPERVISOR_EMAIL, "Hoàng Thị Sở Y Tế", province),
        (DEMO_COUNTRY_SUPERVISOR_EMAIL, "Bùi Văn Bộ Y Tế", None),
    ] {
        create_staff(db, email, name, DEMO_STAFF_PASSWORD, StaffRole::Supervisor, Placement::Area(area), now)
            .await
            .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    }
    Ok(())
}

pub const DEMO_STATION_EMAIL: &str = "tram.demo@example.vn";
pub const DEMO_DISTRICT_SUPERVISOR_EMAIL: &str = "giamsat.huyen@example.vn";
pub const DEMO_PROVINCE_SUPERVISOR_EMAIL: &str = "giamsat.tinh@example.vn";
pub const DEMO_COUNTRY_SUPERVISOR_EMAIL: &str = "giamsat.bo@example.vn";
pub use app::staff::DEMO_STAFF_PASSWORD;

/// The demo citizen's CCCD number (date of birth 07/03/1990).
pub const DEMO_ID: &str = "031190012345";

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::{Gender, NationalId};

    #[test]
    fn cccd_encodes_gender_and_year() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let id = NationalId::parse(&cccd(&mut rng, "031", "F", 2005)).unwrap();
        assert_eq!(id.encoded_gender_and_year(), Some((Gender::Female, 2005)));
        let id = NationalId::parse(&cccd(&mut rng, "001", "M", 1961)).unwrap();
        assert_eq!(id.encoded_gender_and_year(), Some((Gender::Male, 1961)));
    }

    #[test]
    fn malformed_ids_do_not_parse() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for _ in 0..200 {
            let id = cccd(&mut rng, "031", "M", 1980);
            let bad = malformed(&mut rng, &id);
            assert!(NationalId::parse(&bad).is_err(), "{id} -> {bad} parsed");
        }
    }
}
