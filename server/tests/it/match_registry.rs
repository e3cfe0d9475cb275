//! `server match-registry`: the bulk matcher on small files it must get right, and the refusal
//! of a malformed file with its line number. (Speed and quality at 1M x 1M: `.ci/bench-match`.)

use server::match_registry::run;

const REGISTRY: &str = "id,national_id,full_name,birth_date,gender,commune,phone
G1,031190012345,Nguyễn Thị Lan,1990-03-07,F,00097,0912345678
G2,031088001122,Nguyễn Văn Hùng,1988-05-01,M,00097,0912345678
G3,001095007788,Trần Minh Tuấn,1995-12-30,M,00070,
G4,079156004455,Phạm Thị Hoà,1956-11-23,F,27427,0987000111
";

fn matched(records: &str) -> Result<String, String> {
    let mut out = Vec::new();
    run(records.as_bytes(), REGISTRY.as_bytes(), &mut out, |_| {})?;
    Ok(String::from_utf8(out).unwrap())
}

#[test]
fn ugly_records_find_their_person_and_strangers_find_no_one() {
    let out = matched(
        "id,national_id,full_name,birth_date,gender,commune
R1,31190012345,NGUYEN THI LAN,1990-03-07,F,00001
R2,,Nguyễn Hùng,1988-05-01,M,00001
R3,001095007878,Trần Minh Tuấn,1995,M,00070
R4,,Phạm Thị Hòa,1956-11-23,F,27427
R5,,Lê Văn Sáu,2001-01-01,M,00001
",
    )
    .unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "record_id,registry_id,score,decision");
    let pick = |r: &str| lines.iter().find(|l| l.starts_with(&format!("{r},"))).map(|l| l.split(',').collect::<Vec<_>>());
    // Lost zeros, capitals, no marks, a 2021 ward against its 2025 successor.
    assert_eq!(pick("R1").map(|l| (l[1].to_string(), l[3].to_string())), Some(("G1".into(), "match".into())));
    // A dropped middle name, found by birth date + gender + commune.
    assert_eq!(pick("R2").map(|l| l[1].to_string()), Some("G2".into()));
    // Two digits swapped, year only.
    assert_eq!(pick("R3").map(|l| l[1].to_string()), Some("G3".into()));
    // Old tone placement, no ID.
    assert_eq!(pick("R4").map(|l| l[1].to_string()), Some("G4".into()));
    assert_eq!(pick("R5"), None, "someone the registry does not hold");
}

#[test]
fn a_malformed_file_is_refused_with_its_line_number() {
    let bad_date = matched("id,national_id,full_name,birth_date,gender,commune\nR1,,Lan,1990-03-07,F,1\nR2,,Lan,07/03/1990,F,1\n");
    assert_eq!(bad_date.unwrap_err(), "records: line 3: birth_date is not YYYY-MM-DD or YYYY");
    let short = matched("id,national_id,full_name,birth_date,gender,commune\nR1,,Lan,1990,F\n");
    assert_eq!(short.unwrap_err(), "records: line 2: 5 columns where the header has 6");
    let no_header = matched("national_id,full_name,birth_date,gender,commune\n,Lan,1990,F,1\n");
    assert_eq!(no_header.unwrap_err(), "records: line 1: the header has no `id` column");
    let bad_gender = matched("id,national_id,full_name,birth_date,gender,commune\nR1,,Lan,1990,X,1\n");
    assert_eq!(bad_gender.unwrap_err(), "records: line 2: gender is not M or F");
}
