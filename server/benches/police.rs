//! Benchmark (not a test): the Excel round trip with the commune police at full size, timed as
//! a clerk gets it (HTTP requests to the running server, the whole body read), on the seeded
//! database named by BENCH_DATABASE_URL (`.ci/bench-police` seeds it):
//!
//! - a batch of 50,000 records made and downloaded; when it is back, one of 100,000;
//! - the 100,000-row batch filled in as the police would (the registry's values, IDs typed as
//!   numbers, dates as Excel dates) and uploaded, previewed (the dry run) and applied;
//! - reading that file in-process, beside openpyxl reading the same file (OPENPYXL_PYTHON names
//!   a Python with openpyxl), and the peak memory of reading 25,000, 50,000 and 100,000 rows.

mod support;

use rust_xlsxwriter::{Format, Workbook};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Counts the heap: bytes held now and the most held since the last `reset_peak`, so the
/// memory one step needs is measured on its own.
struct Counting;

static HELD: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = HELD.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The rows of a returned file, read as an import reads them (a chunk at a time, each let go).
fn read_rows(file: &[u8]) -> usize {
    use app::police::sheet::{POLICE_LAYOUT, read_table, returned};
    let mut rows = 0;
    read_table(file, &POLICE_LAYOUT, &mut |chunk| {
        rows += chunk.into_iter().filter_map(returned).count();
        true
    })
    .expect("our own file reads");
    rows
}

/// Starts counting the most heap held from now.
fn reset_peak() -> usize {
    let held = HELD.load(Ordering::Relaxed);
    PEAK.store(held, Ordering::Relaxed);
    held
}

/// The most heap held beyond `base` since `reset_peak`, in MB.
fn peak_since(base: usize) -> f64 {
    PEAK.load(Ordering::Relaxed).saturating_sub(base) as f64 / 1_048_576.0
}

/// The heap `work` needed beyond what was held before it, in MB.
fn heap_needed<T>(work: impl FnOnce() -> T) -> (T, f64) {
    let before = reset_peak();
    let out = work();
    (out, peak_since(before))
}

#[derive(sqlx::FromRow)]
struct Line {
    row_key: String,
    full_name: String,
    registry_id: Option<String>,
    registry_name: Option<String>,
    registry_birth: Option<String>,
    registry_gender: Option<String>,
}

/// The returned file: our layout, the police columns filled with the registry's values where
/// the record's ID has an entry (the ID as a number, the date as an Excel date), a note
/// elsewhere.
fn returned_file(lines: &[Line]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let headers = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số giấy tờ đã ghi", "Nơi cư trú", "Vấn đề"]
        .into_iter()
        .chain(app::police::sheet::POLICE_HEADERS)
        .chain([app::police::sheet::KEY_HEADER]);
    for (c, h) in headers.enumerate() {
        sheet.write_string(3, c as u16, h).unwrap();
    }
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
    for (i, l) in lines.iter().enumerate() {
        let r = 4 + i as u32;
        sheet.write_number(r, 0, (i + 1) as f64).unwrap();
        sheet.write_string(r, 1, &l.full_name).unwrap();
        match (&l.registry_id, &l.registry_name, &l.registry_birth, &l.registry_gender) {
            (Some(id), Some(name), Some(birth), Some(gender)) => {
                sheet.write_number(r, 7, id.parse::<f64>().unwrap()).unwrap();
                sheet.write_string(r, 8, name).unwrap();
                match chrono::NaiveDate::parse_from_str(birth, "%Y-%m-%d") {
                    Ok(d) => sheet.write_number_with_format(r, 9, (d - epoch).num_days() as f64, &date).unwrap(),
                    Err(_) => sheet.write_string(r, 9, birth).unwrap(),
                };
                sheet.write_string(r, 10, if gender == "M" { "Nam" } else { "Nữ" }).unwrap();
            }
            _ => {
                sheet.write_string(r, 11, "Không tìm thấy trong CSDL dân cư").unwrap();
            }
        }
        sheet.write_string(r, 12, &l.row_key).unwrap();
    }
    book.save_to_buffer().unwrap()
}

#[tokio::main]
async fn main() {
    let Some(app) = support::open(".ci/bench-police").await else {
        return;
    };
    let state = app.state().clone();
    let db = &state.db;
    let unit: String = sqlx::query_scalar("SELECT s.unit_code FROM staff st JOIN sites s ON s.id = st.site_id WHERE st.email = $1")
        .bind(server::seed::DEMO_STATION_EMAIL)
        .fetch_one(db.read())
        .await
        .expect("the demo station");
    let move_in = |n: i64| {
        let (db, unit) = (db.clone(), unit.clone());
        async move {
            sqlx::query(
                "UPDATE people SET residence_unit = $1 WHERE id IN
                   (SELECT id FROM people WHERE quality <> 'verified' AND merged_into IS NULL AND residence_unit <> $1 ORDER BY id LIMIT $2)",
            )
            .bind(&unit)
            .bind(n)
            .execute(db.write())
            .await
            .expect("move people into the commune");
            sqlx::query("ANALYZE").execute(db.write()).await.expect("analyze");
        }
    };
    let (base, client) = support::serve_as_station(app).await;
    let make_batch = || async {
        let started = Instant::now();
        let r = client.post(format!("{base}/co-so/cong-an/lo-moi")).header("origin", &base).form(&[("tim", "")]).send().await.unwrap();
        let took = started.elapsed();
        let location = r.headers()["location"].to_str().unwrap().to_string();
        (location.rsplit('/').next().unwrap().parse::<i64>().expect("a batch"), took)
    };
    let download = |batch: i64| {
        let c = client.clone();
        let url = format!("{base}/co-so/cong-an/lo/{batch}/danh-sach.xlsx");
        async move {
            let mut times = Vec::new();
            let mut size = 0;
            for _ in 0..3 {
                let started = Instant::now();
                let body = c.get(&url).send().await.unwrap().bytes().await.unwrap();
                times.push(started.elapsed());
                size = body.len();
            }
            (median(times), size)
        }
    };

    println!("| step | rows | size | time |\n| --- | --- | --- | --- |");
    move_in(50_000).await;
    let (small, made) = make_batch().await;
    let rows_small: i64 =
        sqlx::query_scalar("SELECT row_count FROM police_batches WHERE id = $1").bind(small).fetch_one(db.read()).await.unwrap();
    println!("| make a batch (POST, rows recorded) | {rows_small} | | {:.0} ms |", ms(made));
    let (took, size) = download(small).await;
    println!("| download the batch's XLSX (median of 3) | {rows_small} | {} KB | {:.0} ms |", size / 1024, ms(took));

    // Batch A came back; with 50,000 more records moved in, batch B takes A's and the new ones.
    sqlx::query("UPDATE police_batches SET returned_at = created_at WHERE id = $1").bind(small).execute(db.write()).await.unwrap();
    move_in(50_000).await;
    let (big, made) = make_batch().await;
    let rows_big: i64 =
        sqlx::query_scalar("SELECT row_count FROM police_batches WHERE id = $1").bind(big).fetch_one(db.read()).await.unwrap();
    println!("| make a batch (POST, rows recorded) | {rows_big} | | {:.0} ms |", ms(made));
    let (took, size) = download(big).await;
    println!("| download the batch's XLSX (median of 3) | {rows_big} | {} KB | {:.0} ms |", size / 1024, ms(took));

    let lines: Vec<Line> = sqlx::query_as(
        "SELECT r.row_key, p.full_name, g.national_id AS registry_id, g.full_name AS registry_name, g.birth_date AS registry_birth,
                g.gender AS registry_gender
         FROM police_batch_rows r JOIN people p ON p.id = r.person_id LEFT JOIN registry_people g ON g.national_id = p.national_id
         WHERE r.batch_id = $1 ORDER BY r.line",
    )
    .bind(big)
    .fetch_all(db.read())
    .await
    .unwrap();
    let filled = lines.iter().filter(|l| l.registry_id.is_some()).count();
    // Reading, in-process, files of a quarter, a half and all of the rows: time and peak memory.
    let mut memory = Vec::new();
    let mut file = Vec::new();
    for n in [lines.len() / 4, lines.len() / 2, lines.len()] {
        file = returned_file(&lines[..n]);
        let started = Instant::now();
        let (read, needed) = heap_needed(|| read_rows(&file));
        let took = started.elapsed();
        assert_eq!(read, n);
        memory.push((n, file.len() / 1024, took, needed));
    }
    let path = std::env::temp_dir().join("police-bench-returned.xlsx");
    std::fs::write(&path, &file).unwrap();
    let ours = median(
        (0..3)
            .map(|_| {
                let started = Instant::now();
                read_rows(&file);
                started.elapsed()
            })
            .collect(),
    );
    println!("| read the returned file in-process (median of 3) | {} | {} KB | {:.0} ms |", lines.len(), file.len() / 1024, ms(ours));
    let python = std::env::var("OPENPYXL_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = "import sys, time, openpyxl\nt = time.perf_counter()\nwb = openpyxl.load_workbook(sys.argv[1], read_only=True)\nn = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))\nprint(time.perf_counter() - t, n)";
    match std::process::Command::new(&python).args(["-c", script]).arg(&path).output() {
        Ok(out) if out.status.success() => {
            let text = String::from_utf8_lossy(&out.stdout);
            let secs: f64 = text.split_whitespace().next().and_then(|s| s.parse().ok()).unwrap_or(f64::NAN);
            println!(
                "| openpyxl 3 (read_only, values_only) reads the same file | {} | {} KB | {:.0} ms ({:.1}x ours) |",
                lines.len(),
                file.len() / 1024,
                secs * 1000.0,
                secs * 1000.0 / ms(ours)
            );
        }
        other => println!("| openpyxl: not run ({other:?}) | | | |"),
    }

    let upload_started = Instant::now();
    let form = reqwest::multipart::Form::new()
        .part("tep", reqwest::multipart::Part::bytes(file.clone()).file_name("tra-ve.xlsx").mime_str("application/octet-stream").unwrap());
    let r = client.post(format!("{base}/co-so/cong-an/lo/{big}/nhap")).header("origin", &base).multipart(form).send().await.unwrap();
    let uploaded = upload_started.elapsed();
    assert_eq!(r.status().as_u16(), 303, "uploaded");
    let dry_run = r.headers()["location"].to_str().unwrap().to_string();
    println!("| upload: read, check every key, keep the file | {} | {} KB | {:.0} ms |", lines.len(), file.len() / 1024, ms(uploaded));
    let started = Instant::now();
    let heap_before = reset_peak();
    let page = client.get(format!("{base}{dry_run}")).send().await.unwrap().text().await.unwrap();
    let previewed = started.elapsed();
    let dry_run_heap = peak_since(heap_before);
    assert!(page.contains("dòng sẽ cập nhật hồ sơ"));
    println!(
        "| dry run page: every row planned, counts, first 500 rows | {} | {} KB | {:.0} ms |",
        lines.len(),
        page.len() / 1024,
        ms(previewed)
    );
    println!("| **dry run as the clerk waits for it (upload + page)** | {} | | **{:.0} ms** |", lines.len(), ms(uploaded + previewed));
    let started = Instant::now();
    let heap_before = reset_peak();
    let r = client.post(format!("{base}{dry_run}/ap-dung")).header("origin", &base).send().await.unwrap();
    let applied = started.elapsed();
    let apply_heap = peak_since(heap_before);
    assert_eq!(r.status().as_u16(), 303, "applied");
    let changed: i64 =
        sqlx::query_scalar("SELECT changed FROM police_uploads WHERE batch_id = $1").bind(big).fetch_one(db.read()).await.unwrap();
    println!(
        "| **apply: one transaction, {changed} records changed, audited, re-verified** | {} | | **{:.0} ms** |",
        lines.len(),
        ms(applied)
    );
    println!("\n{filled} of {} rows carry the registry's values (the rest a note).\n", lines.len());
    println!("Reading in-process: the heap the reader needs beyond the file's bytes (a counting allocator):\n");
    println!("| rows | file | read | heap needed |\n| --- | --- | --- | --- |");
    for (n, kb, took, needed) in memory {
        println!("| {n} | {kb} KB | {:.0} ms | {needed:.1} MB |", ms(took));
    }
    println!(
        "\nThe whole server process (in this benchmark), most heap held beyond what it held before, for {} rows \
         ({} KB file): the dry run page {dry_run_heap:.1} MB, the apply {apply_heap:.1} MB. Both read the file \
         {} rows at a time, plan and let go each chunk (the dry run keeps only the page it shows).",
        lines.len(),
        file.len() / 1024,
        app::police::sheet::CHUNK_ROWS
    );
}
