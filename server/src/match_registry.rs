//! `server match-registry --records R.csv --registry G.csv --out L.csv`: finds each record's
//! person in a registry extract with the verification engine's matcher
//! (`app::verification::matching`), for the whole database at once and for benchmarking.
//! Both inputs are UTF-8 CSV with a header: `id,national_id,full_name,birth_date,gender,commune`
//! (birth_date `YYYY-MM-DD` or `YYYY`, gender `M`/`F`, national_id possibly empty or malformed).
//! Output: `record_id,registry_id,score,decision`, one line per record that has a candidate
//! worth a look, in the records' order. The registry is held in memory; the records stream
//! through in chunks matched on every core. A malformed line refuses the file with its number.

use crate::extract_csv::Columns;
use app::domain::{BirthDate, Gender};
use app::verification::matching::{Found, Index, Prepared, Subject};
use rayon::prelude::*;
use std::io::{Read, Write};

/// Lines per chunk: parsed on one thread, prepared and matched on all.
const CHUNK: usize = 50_000;

/// What a run did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct MatchReport {
    pub registry: u64,
    pub records: u64,
    pub matched: u64,
    pub review: u64,
}

/// One line of either file, checked.
struct Line {
    id: String,
    national_id: String,
    full_name: String,
    birth: BirthDate,
    gender: Gender,
    commune: String,
    phone: String,
}

impl Line {
    fn subject(&self) -> Subject<'_> {
        fn some(s: &str) -> Option<&str> {
            Some(s).filter(|s| !s.is_empty())
        }
        Subject {
            national_id: some(&self.national_id),
            full_name: &self.full_name,
            birth: Some(self.birth),
            gender: Some(self.gender),
            commune: some(&self.commune),
            phone: some(&self.phone),
        }
    }
}

fn parse_line(record: &csv::StringRecord, columns: &Columns) -> Result<Line, String> {
    let get = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("").trim();
    let id = get(columns.id);
    if id.is_empty() {
        return Err("id is empty".into());
    }
    let full_name = get(Some(columns.full_name));
    if full_name.is_empty() {
        return Err("full_name is empty".into());
    }
    Ok(Line {
        id: id.to_string(),
        national_id: get(Some(columns.national_id)).to_string(),
        full_name: full_name.to_string(),
        birth: BirthDate::from_stored(get(Some(columns.birth_date))).ok_or("birth_date is not YYYY-MM-DD or YYYY")?,
        gender: Gender::from_code(get(Some(columns.gender))).ok_or("gender is not M or F")?,
        commune: get(columns.commune).to_string(),
        phone: get(columns.phone).to_string(),
    })
}

/// Reads a file chunk by chunk, `each` getting the checked lines of one chunk.
fn read_chunks(name: &str, reader: impl Read, mut each: impl FnMut(Vec<Line>) -> Result<(), String>) -> Result<u64, String> {
    let mut csv = csv::ReaderBuilder::new().from_reader(reader);
    let header = csv.headers().map_err(|e| format!("{name}: line 1: {e}"))?.clone();
    let columns = Columns::from_header(&header).map_err(|e| format!("{name}: {e}"))?;
    if columns.id.is_none() {
        return Err(format!("{name}: line 1: the header has no `id` column"));
    }
    let mut record = csv::StringRecord::new();
    let (mut chunk, mut lines) = (Vec::with_capacity(CHUNK), 0u64);
    loop {
        let line = csv.position().line();
        match csv.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) if record.iter().all(|f| f.trim().is_empty()) => continue,
            Ok(true) => chunk.push(parse_line(&record, &columns).map_err(|e| format!("{name}: line {line}: {e}"))?),
            Err(e) => return Err(format!("{name}: line {line}: {}", short(&e))),
        }
        lines += 1;
        if chunk.len() == CHUNK {
            each(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK)))?;
        }
    }
    if !chunk.is_empty() {
        each(chunk)?;
    }
    Ok(lines)
}

fn short(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => format!("{len} columns where the header has {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "not UTF-8 text".into(),
        _ => e.to_string(),
    }
}

/// Matches every record of `records` against `registry`, writing the list to `out`;
/// `progress` hears what is happening.
pub fn run(records: impl Read, registry: impl Read, out: impl Write, mut progress: impl FnMut(String)) -> Result<MatchReport, String> {
    let mut report = MatchReport::default();
    let (mut ids, mut people) = (Vec::new(), Vec::new());
    report.registry = read_chunks("registry", registry, |chunk| {
        people.par_extend(chunk.par_iter().map(|l| Prepared::new(&l.subject())));
        ids.extend(chunk.into_iter().map(|l| l.id));
        progress(format!("registry: {} lines read", ids.len()));
        Ok(())
    })?;
    let index = Index::build(people);
    progress(format!("registry: {} people indexed", index.len()));
    let mut out = std::io::BufWriter::with_capacity(1 << 20, out);
    let write_err = |e: std::io::Error| format!("output: {e}");
    writeln!(out, "record_id,registry_id,score,decision").map_err(write_err)?;
    report.records = read_chunks("records", records, |chunk| {
        let found: Vec<Option<Found>> =
            chunk.par_iter().map_init(Vec::new, |scratch, line| index.best(&Prepared::new(&line.subject()), scratch)).collect();
        for (line, found) in chunk.iter().zip(found) {
            let Some(f) = found else { continue };
            match f.decision {
                app::verification::matching::Decision::Match => report.matched += 1,
                app::verification::matching::Decision::Review => report.review += 1,
            }
            writeln!(out, "{},{},{:.2},{}", csv_field(&line.id), csv_field(&ids[f.index as usize]), f.score, f.decision.code())
                .map_err(write_err)?;
        }
        progress(format!("records: {} matched, {} for review", report.matched, report.review));
        Ok(())
    })?;
    out.flush().map_err(write_err)?;
    Ok(report)
}

/// An id as a CSV field (quoted when it holds a comma or a quote).
fn csv_field(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")).into() } else { s.into() }
}
