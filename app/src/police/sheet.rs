//! The batch as a spreadsheet, and a returned spreadsheet read back. The file is laid out to be
//! printed and signed (title, STT, the record, empty columns for the police, a signature block);
//! a hidden last column carries each row's key so the file can come back. ID columns are text,
//! never numbers; the header is frozen and repeated on every printed page.
//!
//! Reading is streamed cell by cell (memory stays flat as the file grows) and tolerant: the
//! header row is found by its names (any case, order, diacritics), on any sheet; extra columns,
//! blank and merged rows are passed over.

use super::FileRefusal;
use super::rows::Cell;
use crate::platform::AppError;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};

/// The batch's title block, above the rows.
pub struct BatchHeading {
    pub site_name: String,
    pub commune: String,
    pub number: i64,
    pub date: String,
}

/// One record of the batch as printed.
pub struct BatchLine {
    pub line: i64,
    pub key: String,
    pub full_name: String,
    pub birth_date: String,
    pub gender: String,
    pub national_id: String,
    pub residence: String,
    pub problem: String,
}

const TITLE_ROW: u32 = 0;
const HEADER_ROW: u32 = 3;
/// The columns for the station's data, then the police's, then the hidden key.
const STATION_HEADERS: [&str; 7] = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số giấy tờ đã ghi", "Nơi cư trú", "Vấn đề"];
pub const POLICE_HEADERS: [&str; 5] = ["Số CCCD đã xác minh", "Họ tên đúng", "Ngày sinh đúng", "Giới tính đúng", "Ghi chú của công an"];
pub const KEY_HEADER: &str = "Mã dòng";
const KEY_COL: u16 = (STATION_HEADERS.len() + POLICE_HEADERS.len()) as u16;

pub fn write(heading: &BatchHeading, lines: &[BatchLine]) -> Result<Vec<u8>, AppError> {
    let x = AppError::internal;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(format!("Lô {}", heading.number)).map_err(x)?;
    let title = Format::new().set_bold().set_font_size(13).set_align(FormatAlign::Center);
    let header = Format::new().set_bold().set_text_wrap().set_border(FormatBorder::Thin).set_align(FormatAlign::Center);
    let police_header = header.clone().set_background_color("#FFF2CC");
    let cell = Format::new().set_border(FormatBorder::Thin);
    let text = cell.clone().set_num_format("@");
    let last = KEY_COL - 1;
    sheet.merge_range(TITLE_ROW, 0, TITLE_ROW, last, "DANH SÁCH ĐỀ NGHỊ CÔNG AN XÃ XÁC MINH THÔNG TIN CÔNG DÂN", &title).map_err(x)?;
    let subtitle = format!("{} · {} · Lô số {} · Ngày {}", heading.site_name, heading.commune, heading.number, heading.date);
    sheet.merge_range(TITLE_ROW + 1, 0, TITLE_ROW + 1, last, &subtitle, &Format::new().set_align(FormatAlign::Center)).map_err(x)?;
    for (col, name) in STATION_HEADERS.iter().enumerate() {
        sheet.write_string_with_format(HEADER_ROW, col as u16, *name, &header).map_err(x)?;
    }
    for (i, name) in POLICE_HEADERS.iter().enumerate() {
        sheet.write_string_with_format(HEADER_ROW, (STATION_HEADERS.len() + i) as u16, *name, &police_header).map_err(x)?;
    }
    sheet.write_string(HEADER_ROW, KEY_COL, KEY_HEADER).map_err(x)?;
    for (i, l) in lines.iter().enumerate() {
        let row = HEADER_ROW + 1 + i as u32;
        sheet.write_number_with_format(row, 0, l.line as f64, &cell).map_err(x)?;
        sheet.write_string_with_format(row, 1, &l.full_name, &cell).map_err(x)?;
        sheet.write_string_with_format(row, 2, &l.birth_date, &text).map_err(x)?;
        sheet.write_string_with_format(row, 3, &l.gender, &cell).map_err(x)?;
        sheet.write_string_with_format(row, 4, &l.national_id, &text).map_err(x)?;
        sheet.write_string_with_format(row, 5, &l.residence, &cell).map_err(x)?;
        sheet.write_string_with_format(row, 6, &l.problem, &cell).map_err(x)?;
        // The police's cells: empty, bordered, and text so a typed ID keeps its zeros.
        for col in STATION_HEADERS.len()..KEY_COL as usize {
            sheet.write_blank(row, col as u16, &text).map_err(x)?;
        }
        sheet.write_string(row, KEY_COL, &l.key).map_err(x)?;
    }
    let below = HEADER_ROW + lines.len() as u32 + 2;
    let bold = Format::new().set_bold().set_align(FormatAlign::Center);
    let italic = Format::new().set_italic().set_align(FormatAlign::Center);
    sheet.merge_range(below, 0, below, 3, "NGƯỜI LẬP DANH SÁCH", &bold).map_err(x)?;
    sheet.merge_range(below + 1, 0, below + 1, 3, "(Ký, ghi rõ họ tên)", &italic).map_err(x)?;
    sheet.merge_range(below, 4, below, 6, "XÁC NHẬN CỦA CÔNG AN XÃ", &bold).map_err(x)?;
    sheet.merge_range(below + 1, 4, below + 1, 6, "(Ký, ghi rõ họ tên, đóng dấu)", &italic).map_err(x)?;
    for (col, width) in [5.0, 24.0, 12.0, 9.0, 15.0, 22.0, 26.0, 16.0, 22.0, 13.0, 10.0, 24.0].into_iter().enumerate() {
        sheet.set_column_width(col as u16, width).map_err(x)?;
    }
    sheet.set_column_hidden(KEY_COL).map_err(x)?;
    sheet.set_freeze_panes(HEADER_ROW + 1, 0).map_err(x)?;
    sheet.set_repeat_rows(HEADER_ROW, HEADER_ROW).map_err(x)?;
    sheet.set_landscape().set_paper_size(9).set_print_fit_to_pages(1, 0);
    book.save_to_buffer().map_err(x)
}

/// One data row of a returned file: where it is, its key (empty when none), the police's cells.
#[derive(Debug, Clone)]
pub struct ReturnedRow {
    /// As Excel numbers it (1-based).
    pub sheet_row: u32,
    pub key: String,
    /// The full name as printed, to show the clerk which row this is.
    pub full_name: String,
    /// In the order of `POLICE_HEADERS`.
    pub police: [Cell; 5],
}

/// Compressed files unpack to at most this much: a real list of 100,000 rows is about 40 MB of
/// XML. Counted as each part is really inflated (a part's declared size is only a claim).
pub const MAX_UNPACKED_BYTES: u64 = 400 * 1024 * 1024;
/// One part (a sheet, the shared strings) unpacks to at most this much.
pub const MAX_PART_BYTES: u64 = 256 * 1024 * 1024;
const MAX_ZIP_ENTRIES: usize = 1_000;
/// The shared-strings table (every distinct text of the workbook, which the reader keeps in
/// memory): at most this many strings, declared or present, in at most so many bytes of XML.
pub const MAX_SHARED_STRINGS: u64 = 1_000_000;
pub const MAX_SHARED_STRINGS_BYTES: u64 = 64 * 1024 * 1024;
/// Rows of data a file may hold (stated on the upload pages).
pub const MAX_FILE_ROWS: usize = 200_000;
/// A cell's text is kept to this many characters: a name, an ID or a note is far shorter.
pub const MAX_CELL_CHARS: usize = 300;

/// The columns a spreadsheet is read for, by their header names; the header row is the first
/// that names the `required` one.
pub struct Layout {
    pub headers: &'static [&'static str],
    pub required: usize,
}

/// One row with something in the wanted columns: where it is, and its cells in the layout's
/// order.
#[derive(Debug, Clone)]
pub struct TableRow {
    /// As Excel numbers it (1-based).
    pub sheet_row: u32,
    pub cells: Vec<Cell>,
}

/// A returned police list: the row key, the name as printed, then the police's columns.
pub const POLICE_LAYOUT: Layout = Layout {
    headers: &[
        KEY_HEADER,
        STATION_HEADERS[1],
        POLICE_HEADERS[0],
        POLICE_HEADERS[1],
        POLICE_HEADERS[2],
        POLICE_HEADERS[3],
        POLICE_HEADERS[4],
    ],
    required: 0,
};

/// The turn a site takes to read an uploaded spreadsheet (`HeavyWork::turn`): one at a time.
pub fn reading_turn(site_id: Option<i64>, staff_id: i64) -> String {
    match site_id {
        Some(site) => format!("spreadsheet:site:{site}"),
        None => format!("spreadsheet:staff:{staff_id}"),
    }
}

/// A returned police row from a table row: rows with neither a key nor anything from the
/// police (titles, signatures) are passed over.
pub fn returned(row: TableRow) -> Option<ReturnedRow> {
    let mut cells = row.cells.into_iter();
    let key = cells.next()?.text();
    let full_name = cells.next()?.text();
    let police: [Cell; 5] = std::array::from_fn(|_| cells.next().unwrap_or(Cell::Empty));
    (!key.is_empty() || !police.iter().all(Cell::is_blank)).then_some(ReturnedRow { sheet_row: row.sheet_row, key, full_name, police })
}

/// The rows of a returned police list, a chunk at a time.
pub fn police_rows(bytes: Vec<u8>) -> TableStream {
    TableStream::open(bytes, &POLICE_LAYOUT)
}

/// An import holds at most two chunks of rows at once: the one being planned and the next.
pub const CHUNK_ROWS: usize = 2_000;

/// The rows of a spreadsheet laid out as `layout` says, on the first sheet that has its header
/// row, handed to `each` a chunk (at most `CHUNK_ROWS`) at a time until it returns false; or
/// why the whole file is refused.
pub fn read_table(bytes: &[u8], layout: &Layout, each: &mut dyn FnMut(Vec<TableRow>) -> bool) -> Result<(), FileRefusal> {
    check_container(bytes)?;
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| match e {
        calamine::XlsxError::Password => FileRefusal::Encrypted,
        _ => FileRefusal::Unreadable,
    })?;
    for name in book.sheet_names() {
        let mut cells = book.worksheet_cells_reader(&name).map_err(|_| FileRefusal::Unreadable)?;
        let mut table = Table { layout, columns: None, rows: Vec::new(), read: 0, each: &mut *each, open: true };
        let mut row: Vec<(u32, Cell)> = Vec::new();
        let mut at = 0;
        while let Some(cell) = cells.next_cell().map_err(|_| FileRefusal::Unreadable)? {
            let (r, c) = cell.get_position();
            if r != at && !row.is_empty() {
                table.take(at, std::mem::take(&mut row))?;
                if !table.open {
                    return Ok(());
                }
            }
            at = r;
            // Only the layout's columns are kept (every column until the header is found).
            if !table.wants(c) {
                continue;
            }
            let value = cell_of(cell.get_value());
            if value != Cell::Empty {
                row.push((c, value));
            }
        }
        if !row.is_empty() {
            table.take(at, row)?;
        }
        if table.columns.is_some() {
            table.flush();
            return Ok(());
        }
    }
    Err(FileRefusal::NoKeyColumn)
}

/// A kept file's rows, read on a blocking thread a chunk ahead of the one being worked on.
pub struct TableStream {
    chunks: tokio::sync::mpsc::Receiver<Piece>,
}

enum Piece {
    Rows(Vec<TableRow>),
    End(Result<(), FileRefusal>),
}

impl TableStream {
    pub fn open(bytes: Vec<u8>, layout: &'static Layout) -> Self {
        let (send, chunks) = tokio::sync::mpsc::channel(1);
        tokio::task::spawn_blocking(move || {
            let read = read_table(&bytes, layout, &mut |rows| send.blocking_send(Piece::Rows(rows)).is_ok());
            let _ = send.blocking_send(Piece::End(read));
        });
        TableStream { chunks }
    }

    /// The next chunk; `None` once the whole file was read, or why it could not be.
    pub async fn next(&mut self) -> Result<Option<Vec<TableRow>>, FileRefusal> {
        match self.chunks.recv().await {
            Some(Piece::Rows(rows)) => Ok(Some(rows)),
            Some(Piece::End(Ok(()))) => Ok(None),
            Some(Piece::End(Err(refusal))) => Err(refusal),
            // The reader stopped without saying why (it panicked): never half a file.
            None => Err(FileRefusal::Unreadable),
        }
    }

    /// The next chunk of a file kept because it was read whole once: a refusal now is a fault.
    pub async fn next_kept(&mut self) -> Result<Option<Vec<TableRow>>, AppError> {
        self.next().await.map_err(|refusal| AppError::internal(format!("a kept file no longer reads: {refusal:?}")))
    }
}

/// Refuses what is not an XLSX package, an encrypted workbook, and a zip bomb, before a parser
/// touches the content.
fn check_container(bytes: &[u8]) -> Result<(), FileRefusal> {
    const OLE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if bytes.starts_with(&OLE) {
        // An encrypted XLSX is an OLE container holding "EncryptedPackage"; otherwise an old .xls.
        let marker: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let encrypted = bytes.windows(marker.len()).any(|w| w == marker.as_slice());
        return Err(if encrypted { FileRefusal::Encrypted } else { FileRefusal::NotXlsx });
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(FileRefusal::NotXlsx);
    }
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| FileRefusal::Unreadable)?;
    if archive.len() > MAX_ZIP_ENTRIES {
        return Err(FileRefusal::TooLarge);
    }
    let mut unpacked = 0u64;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|_| FileRefusal::Unreadable)?;
        if entry.encrypted() {
            return Err(FileRefusal::Encrypted);
        }
        unpacked = unpacked.saturating_add(entry.size());
        if unpacked > MAX_UNPACKED_BYTES {
            return Err(FileRefusal::TooLarge);
        }
    }
    if archive.by_name("[Content_Types].xml").is_err() {
        return Err(FileRefusal::NotXlsx);
    }
    inflate_counted(&mut archive).1
}

/// What inflating a package's parts really gave, as far as it went.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Unpacked {
    /// Bytes inflated, over every part.
    pub bytes: u64,
    /// Shared strings: the most declared (`uniqueCount`) and the most present in one table.
    pub strings_declared: u64,
    pub strings: u64,
}

/// The counts of a package's parts inflated within the bounds, and whether they held: for tests
/// and for `check_container`. Anything not a readable package is `Unreadable`.
pub fn unpack_counts(bytes: &[u8]) -> (Unpacked, Result<(), FileRefusal>) {
    match zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
        Ok(mut archive) => inflate_counted(&mut archive),
        Err(_) => (Unpacked::default(), Err(FileRefusal::Unreadable)),
    }
}

/// Inflates every part once, counting the bytes each really gives, before the spreadsheet
/// reader sees any (it inflates the same streams and so gets no more): no part past
/// `MAX_PART_BYTES`, all past `MAX_UNPACKED_BYTES`, and each shared-strings table (whatever it
/// is called) within its bounds, its declared `uniqueCount` included (the reader reserves that
/// many strings up front: 10^14 would abort the process).
fn inflate_counted<R: std::io::Read + std::io::Seek>(archive: &mut zip::ZipArchive<R>) -> (Unpacked, Result<(), FileRefusal>) {
    use std::io::Read;
    let mut counts = Unpacked::default();
    let mut buffer = vec![0u8; 64 * 1024];
    for i in 0..archive.len() {
        let mut part = match archive.by_index(i) {
            Ok(part) => part,
            Err(_) => return (counts, Err(FileRefusal::Unreadable)),
        };
        let Ok(name) = part.name().map(|name| name.to_ascii_lowercase()) else {
            return (counts, Err(FileRefusal::Unreadable));
        };
        let mut strings = name.ends_with("sharedstrings.xml").then(StringCount::default);
        let (limit, mut inflated) = (if strings.is_some() { MAX_SHARED_STRINGS_BYTES } else { MAX_PART_BYTES }, 0u64);
        loop {
            let n = match part.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => n,
                Err(_) => return (counts, Err(FileRefusal::Unreadable)),
            };
            inflated += n as u64;
            counts.bytes += n as u64;
            if inflated > limit || counts.bytes > MAX_UNPACKED_BYTES {
                return (counts, Err(FileRefusal::TooLarge));
            }
            if let Some(strings) = &mut strings {
                strings.feed(&buffer[..n]);
                counts.strings_declared = counts.strings_declared.max(strings.declared.unwrap_or(0));
                counts.strings = counts.strings.max(strings.present);
                if counts.strings_declared > MAX_SHARED_STRINGS || counts.strings > MAX_SHARED_STRINGS {
                    return (counts, Err(FileRefusal::TooLarge));
                }
            }
        }
        if strings.is_some_and(|s| s.declared.is_none() && s.head.len() >= StringCount::HEAD) {
            // No table start in the first 64 KB: not what a spreadsheet program writes.
            return (counts, Err(FileRefusal::Unreadable));
        }
    }
    (counts, Ok(()))
}

/// Counts a shared-strings table as it streams by: its declared `uniqueCount` (from the `sst`
/// start tag, which comes first) and its `si` elements (with or without a namespace prefix).
#[derive(Default)]
struct StringCount {
    head: Vec<u8>,
    declared: Option<u64>,
    present: u64,
    tail: Vec<u8>,
}

impl StringCount {
    const HEAD: usize = 64 * 1024;

    fn feed(&mut self, chunk: &[u8]) {
        if self.declared.is_none() && self.head.len() < Self::HEAD {
            let room = Self::HEAD - self.head.len();
            self.head.extend_from_slice(&chunk[..chunk.len().min(room)]);
            self.declared = declared_strings(&self.head);
        }
        let mut window = std::mem::take(&mut self.tail);
        let old = window.len();
        window.extend_from_slice(chunk);
        let ends = |b: u8| matches!(b, b'>' | b'/' | b' ' | b'\t' | b'\r' | b'\n');
        for i in 1..window.len().saturating_sub(2) {
            if i + 2 >= old && &window[i..i + 2] == b"si" && matches!(window[i - 1], b'<' | b':') && ends(window[i + 2]) {
                self.present += 1;
            }
        }
        self.tail = window[window.len().saturating_sub(3)..].to_vec();
    }
}

/// The `uniqueCount` of the `sst` start tag in `head`, once the whole tag is there (0 when the
/// tag has none). Any run of digits counts, as the reader would parse it: leading zeros and
/// all, past `u64` as `u64::MAX`.
fn declared_strings(head: &[u8]) -> Option<u64> {
    let text = String::from_utf8_lossy(head);
    let start = text.find("<sst").or_else(|| text.find(":sst"))?;
    let tag = &text[start..start + text[start..].find('>')?];
    let Some(at) = tag.find("uniqueCount") else { return Some(0) };
    let digits: String = tag[at..].chars().skip_while(|c| !c.is_ascii_digit()).take_while(char::is_ascii_digit).collect();
    let digits = digits.trim_start_matches('0');
    Some(if digits.len() > 19 { u64::MAX } else { digits.parse().unwrap_or(0) })
}

fn cell_of(value: &calamine::DataRef<'_>) -> Cell {
    use calamine::DataRef;
    match value {
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::String(s) => Cell::Text(s.chars().take(MAX_CELL_CHARS).collect()),
        DataRef::SharedString(s) => Cell::Text(s.chars().take(MAX_CELL_CHARS).collect()),
        DataRef::Bool(b) => Cell::Text(b.to_string()),
        DataRef::DateTime(d) => Cell::Date(d.as_f64()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::Error(_) | DataRef::Empty => Cell::Empty,
    }
}

struct Table<'a> {
    layout: &'a Layout,
    /// Where each of the layout's columns is, once the header row is found.
    columns: Option<Vec<Option<u32>>>,
    rows: Vec<TableRow>,
    /// Data rows read so far (at most `MAX_FILE_ROWS`).
    read: usize,
    each: &'a mut dyn FnMut(Vec<TableRow>) -> bool,
    /// False once `each` wants no more.
    open: bool,
}

impl Table<'_> {
    /// Whether column `c` is read: one of the layout's, or any until the header is found.
    fn wants(&self, c: u32) -> bool {
        self.columns.as_ref().is_none_or(|columns| columns.contains(&Some(c)))
    }

    /// One row of cells, in sheet order: the header row until it is found, then data.
    fn take(&mut self, r: u32, cells: Vec<(u32, Cell)>) -> Result<(), FileRefusal> {
        let Some(columns) = &self.columns else {
            self.columns = header(self.layout, &cells);
            return Ok(());
        };
        let at = |col: &Option<u32>| col.and_then(|c| cells.iter().find(|(k, _)| *k == c)).map_or(Cell::Empty, |(_, v)| v.clone());
        let row: Vec<Cell> = columns.iter().map(at).collect();
        if !row.iter().all(Cell::is_blank) {
            self.read += 1;
            if self.read > MAX_FILE_ROWS {
                return Err(FileRefusal::TooManyRows);
            }
            self.rows.push(TableRow { sheet_row: r + 1, cells: row });
            if self.rows.len() == CHUNK_ROWS {
                self.flush();
            }
        }
        Ok(())
    }

    fn flush(&mut self) {
        if !self.rows.is_empty() && self.open {
            self.open = (self.each)(std::mem::take(&mut self.rows));
        }
    }
}

/// The header row: the one that names the layout's required column. Headers are matched folded
/// (case, diacritics, spaces), so a header retyped or moved still reads.
fn header(layout: &Layout, cells: &[(u32, Cell)]) -> Option<Vec<Option<u32>>> {
    let folded: Vec<(u32, String)> = cells.iter().map(|(c, v)| (*c, crate::domain::fold(&v.text()))).collect();
    let find = |name: &str| {
        let name = crate::domain::fold(name);
        folded.iter().find(|(_, v)| *v == name).map(|(c, _)| *c)
    };
    let columns: Vec<Option<u32>> = layout.headers.iter().map(|h| find(h)).collect();
    columns[layout.required].is_some().then_some(columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A list with `n` rows under its header, on the second sheet, a blank row every 1,000.
    fn list(n: u32) -> Vec<u8> {
        let mut book = Workbook::new();
        book.add_worksheet().write_string(0, 0, "Trang bìa").unwrap();
        let sheet = book.add_worksheet();
        sheet.write_string(1, 0, "mã dòng").unwrap();
        sheet.write_string(1, 1, "HỌ VÀ TÊN").unwrap();
        for i in 0..n {
            let r = 2 + i + i / 1_000;
            sheet.write_string(r, 0, format!("L1-{i}")).unwrap();
            sheet.write_string(r, 1, "Nguyễn Văn A").unwrap();
        }
        book.save_to_buffer().unwrap()
    }

    #[test]
    fn a_table_is_handed_on_in_chunks_every_row_once_in_order() {
        let mut sizes = Vec::new();
        let mut keys = Vec::new();
        read_table(&list(4_500), &POLICE_LAYOUT, &mut |chunk| {
            sizes.push(chunk.len());
            keys.extend(chunk.into_iter().filter_map(returned).map(|r| r.key));
            true
        })
        .unwrap();
        assert_eq!(sizes, vec![CHUNK_ROWS, CHUNK_ROWS, 500]);
        assert_eq!(keys, (0..4_500).map(|i| format!("L1-{i}")).collect::<Vec<_>>());
    }

    #[test]
    fn reading_stops_when_no_more_is_wanted() {
        let mut chunks = 0;
        read_table(&list(4_500), &POLICE_LAYOUT, &mut |_| {
            chunks += 1;
            false
        })
        .unwrap();
        assert_eq!(chunks, 1);
    }

    #[tokio::test]
    async fn a_stream_ends_with_none_after_the_last_chunk_and_refuses_what_is_not_a_list() {
        let mut rows = police_rows(list(2_500));
        assert_eq!(rows.next().await.unwrap().map(|c| c.len()), Some(CHUNK_ROWS));
        assert_eq!(rows.next().await.unwrap().map(|c| c.len()), Some(500));
        assert!(rows.next().await.unwrap().is_none());
        let mut book = Workbook::new();
        book.add_worksheet().write_string(0, 0, "Không phải danh sách").unwrap();
        let mut other = police_rows(book.save_to_buffer().unwrap());
        assert_eq!(other.next().await.err(), Some(FileRefusal::NoKeyColumn));
    }
}
