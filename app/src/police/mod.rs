//! The Excel round trip with the commune police (danh sách gửi công an xã): the station sends a
//! numbered batch of its worklist as a spreadsheet to print and sign, the police fill in what
//! they verified, and the station imports the file back: a dry run that shows every row's
//! outcome, then one transaction that applies it, audited with the batch and re-verified.
//!
//! - `sheet.rs` writes the batch file and reads a returned one (no SQL);
//! - `rows.rs` turns a returned row's cells into typed values, with a reason a clerk understands
//!   when they cannot be (no SQL);
//! - `service.rs` records batches, plans an import against the records and applies it.

#[cfg(feature = "ssr")]
pub mod handlers;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod planning;
pub mod routes;
pub mod rows;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod sheet;

pub use pages::{BatchPage, BatchesPage, DryRunPage};

use crate::complaints::ChangeField;
use crate::domain::FieldError;
use crate::i18n::{Lang, tr};
use crate::staff::StaffMember;

/// The most records one batch holds (a large commune's whole list).
pub const MAX_BATCH_ROWS: i64 = 100_000;
/// The body limit of the upload route: one spreadsheet and the form around it.
#[cfg(feature = "ssr")]
pub const MAX_UPLOAD_BODY: usize = crate::platform::submission::SPREADSHEET_BYTES + 64 * 1024;

/// A batch as the station sees it.
#[derive(Debug, Clone)]
pub struct BatchSummary {
    pub id: i64,
    pub number: i64,
    pub created_by: String,
    pub created_at: String,
    pub rows: i64,
    /// When the signed list came back (was first applied).
    pub returned_at: Option<String>,
    /// Days since it went out.
    pub days_out: i64,
}

#[derive(Debug, Clone)]
pub struct BatchesView {
    pub staff: StaffMember,
    pub batches: Vec<BatchSummary>,
}

/// One batch with the files uploaded for it.
#[derive(Debug, Clone)]
pub struct BatchView {
    pub staff: StaffMember,
    pub batch: BatchSummary,
    pub uploads: Vec<UploadSummary>,
    /// Why the last upload was refused as a whole (the form is shown again with it).
    pub refused: Option<FileRefusal>,
}

#[derive(Debug, Clone)]
pub struct UploadSummary {
    pub id: i64,
    pub file_name: String,
    pub uploaded_at: String,
    pub uploaded_by: String,
    pub applied_at: Option<String>,
    pub changed: Option<i64>,
}

/// Rows of a dry run a page shows.
pub const DRY_RUN_ROWS: usize = 500;

/// What importing a file would do, row by row, before anything changes: the counts of every
/// outcome, and one page of the rows of one kind (or of every kind).
#[derive(Debug, Clone)]
pub struct DryRun {
    pub staff: StaffMember,
    pub of: ImportOf,
    pub upload: UploadSummary,
    /// Rows that update a record, that change nothing, that are refused.
    pub counts: [usize; 3],
    pub kind: Option<OutcomeKind>,
    pub rows: Vec<RowPlan>,
    /// Where this page starts among the rows shown, and where the next one starts.
    pub offset: usize,
    pub next: Option<usize>,
    /// The same file was applied before (when): applying it again changes nothing.
    pub applied_before: Option<String>,
}

/// What a file is imported into: a police batch, or the station's records (subject import).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportOf {
    Batch { id: i64, number: i64 },
    Subjects,
}

impl ImportOf {
    /// The dry run's rows of one kind (or every kind), from row `offset`.
    pub fn dry_run(self, upload: i64, kind: Option<OutcomeKind>, offset: usize) -> String {
        let path = match self {
            ImportOf::Batch { id, .. } => routes::dry_run(id, upload),
            ImportOf::Subjects => crate::subjects::routes::dry_run(upload),
        };
        let mut query = Vec::new();
        if let Some(kind) = kind {
            query.push(format!("xem={}", kind.code()));
        }
        if offset > 0 {
            query.push(format!("tu-dong={offset}"));
        }
        if query.is_empty() { path } else { format!("{path}?{}", query.join("&")) }
    }

    pub fn apply(self, upload: i64) -> String {
        match self {
            ImportOf::Batch { id, .. } => routes::apply(id, upload),
            ImportOf::Subjects => crate::subjects::routes::apply(upload),
        }
    }

    /// Where the clerk goes back to, and what it is called.
    pub fn back(self, lang: Lang) -> (String, &'static str) {
        match self {
            ImportOf::Batch { id, .. } => (routes::batch(id), tr(lang, "Về trang của lô", "Back to the batch")),
            ImportOf::Subjects => {
                (crate::subjects::routes::SUBJECTS.to_string(), tr(lang, "Về trang nhập danh sách", "Back to the import page"))
            }
        }
    }

    pub fn title(self, lang: Lang) -> String {
        match self {
            ImportOf::Batch { number, .. } => format!("{} {number}", tr(lang, "Lô số", "Batch")),
            ImportOf::Subjects => tr(lang, "Nhập danh sách đối tượng", "Subject import").to_string(),
        }
    }
}

crate::codes::coded! {
    /// The rows of a dry run to show.
    pub enum OutcomeKind {
        Update => "cap-nhat",
        NoChange => "khong-doi",
        Refused => "tu-choi",
    }
}

impl OutcomeKind {
    pub fn of(outcome: &Outcome) -> Self {
        match outcome {
            Outcome::Update(_) => OutcomeKind::Update,
            Outcome::NoChange => OutcomeKind::NoChange,
            Outcome::Refused(_) => OutcomeKind::Refused,
        }
    }

    /// "N rows ..." on the dry run.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            OutcomeKind::Update => tr(lang, "dòng sẽ cập nhật hồ sơ", "rows will update a record"),
            OutcomeKind::NoChange => tr(lang, "dòng không thay đổi", "rows change nothing"),
            OutcomeKind::Refused => tr(lang, "dòng bị từ chối (xem lý do)", "rows refused (see why)"),
        }
    }
}

/// One row of a returned file and what importing it does.
#[derive(Debug, Clone)]
pub struct RowPlan {
    /// The row's number in the spreadsheet (as Excel shows it).
    pub sheet_row: u32,
    /// The row's number in the batch (STT), when its key is known.
    pub line: Option<i64>,
    pub full_name: String,
    /// The record the row is about, when it found one.
    pub person_id: Option<i64>,
    pub outcome: Outcome,
    pub police_note: Option<String>,
    /// The records the row could be, when it could be more than one (shown with the refusal).
    pub candidates: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Update(Vec<FieldChange>),
    NoChange,
    Refused(Refusal),
}

impl Outcome {
    pub fn is_refused(&self) -> bool {
        matches!(self, Outcome::Refused(_))
    }
}

/// One field a row changes: as recorded, as the police wrote it (both as shown), and the value
/// stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: ChangeField,
    pub before: String,
    pub after: String,
    pub stored_before: Option<String>,
    pub stored: String,
}

/// Why one row is not imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No row key, or one that is not in this batch (altered, or copied from another list).
    UnknownKey,
    /// The same row key twice in the file.
    RepeatedKey,
    /// The police filled nothing in.
    EmptyRow,
    /// The verified ID number breaks the CCCD/CMND rules.
    Id(FieldError),
    /// The CCCD's digits encode another gender or birth year than the record's.
    IdContradicts,
    /// Another record already carries this ID number (or another row of the file gives it).
    IdHeld,
    BirthDate(FieldError),
    Name(FieldError),
    Gender(FieldError),
    /// The record was merged into another since the batch went out (the one thing checked:
    /// the batch's rows stay the station's to correct).
    RecordGone,
    /// A subject row's record key that is not on the station's list.
    NotOnList,
    /// No record on the station's list has the subject's name, birth date and phone.
    NoRecord,
    /// More than one record does: the row names none of them (its candidates are listed).
    Ambiguous,
    /// A subject row without an ID number.
    NoId,
}

impl Refusal {
    pub fn label(self, lang: Lang) -> String {
        let field = |what: &str, e: FieldError| format!("{what}: {}", e.message(lang));
        match self {
            Refusal::UnknownKey => tr(
                lang,
                "Mã dòng không thuộc lô này (đã bị sửa hoặc chép từ danh sách khác)",
                "Row key not in this batch (altered or copied)",
            )
            .into(),
            Refusal::RepeatedKey => tr(lang, "Dòng này lặp lại một dòng phía trên", "This row repeats an earlier row").into(),
            Refusal::EmptyRow => tr(lang, "Công an chưa điền thông tin nào", "The police filled nothing in").into(),
            Refusal::Id(e) => field(tr(lang, "Số CCCD đã xác minh", "Verified ID number"), e),
            Refusal::IdContradicts => tr(
                lang,
                "Số CCCD không khớp giới tính hoặc năm sinh (các chữ số 4-6 mã hoá giới tính và năm sinh)",
                "The ID does not fit the gender or birth year (digits 4-6 encode them)",
            )
            .into(),
            Refusal::IdHeld => tr(lang, "Số CCCD này đã thuộc hồ sơ của người khác", "Another person's record already has this ID").into(),
            Refusal::BirthDate(e) => field(tr(lang, "Ngày sinh đúng", "Correct date of birth"), e),
            Refusal::Name(e) => field(tr(lang, "Họ tên đúng", "Correct full name"), e),
            Refusal::Gender(e) => field(tr(lang, "Giới tính đúng", "Correct gender"), e),
            Refusal::NotOnList => tr(lang, "Mã hồ sơ không thuộc danh sách của cơ sở", "The record key is not on the site's list").into(),
            Refusal::NoRecord => tr(
                lang,
                "Không tìm thấy hồ sơ nào cùng họ tên, ngày sinh và số điện thoại trong danh sách của cơ sở",
                "No record on the site's list has this name, date of birth and phone",
            )
            .into(),
            Refusal::Ambiguous => tr(
                lang,
                "Nhiều hồ sơ cùng họ tên, ngày sinh và số điện thoại: hãy ghi mã hồ sơ đúng vào cột \"Mã hồ sơ\"",
                "Several records have this name, date of birth and phone: write the right one's key in \"Record key\"",
            )
            .into(),
            Refusal::NoId => tr(lang, "Dòng chưa có số CCCD/định danh", "The row has no ID number").into(),
            Refusal::RecordGone => tr(
                lang,
                "Hồ sơ này đã được gộp vào một hồ sơ khác sau khi lập lô: hãy sửa hồ sơ được giữ lại",
                "The record was merged into another after the batch was made: correct the record kept",
            )
            .into(),
        }
    }
}

/// Why a whole file is refused; nothing changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileRefusal {
    NoFile,
    NotXlsx,
    Encrypted,
    /// Over the upload limit, or a compressed file that would unpack to far more (a zip bomb).
    TooLarge,
    Unreadable,
    /// No sheet has the row-key column: not a list the portal made.
    NoKeyColumn,
    /// The rows belong to another batch (of this station or another).
    OtherBatch,
    /// More rows than a file may hold (`sheet::MAX_FILE_ROWS`).
    TooManyRows,
    /// Another file of the same site is being read.
    Busy,
}

impl FileRefusal {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            FileRefusal::NoFile => tr(lang, "Hãy chọn tệp Excel công an đã trả lại.", "Choose the Excel file the police returned."),
            FileRefusal::NotXlsx => tr(
                lang,
                "Tệp không phải Excel .xlsx. Hãy mở tệp trong Excel hoặc LibreOffice và lưu lại dạng .xlsx.",
                "Not an .xlsx file. Open it in Excel or LibreOffice and save it as .xlsx.",
            ),
            FileRefusal::Encrypted => tr(
                lang,
                "Tệp được đặt mật khẩu. Hãy bỏ mật khẩu rồi tải lên lại.",
                "The file is password-protected. Remove the password and upload it again.",
            ),
            FileRefusal::TooLarge => tr(
                lang,
                "Tệp quá lớn để nhập (tối đa 400 MB khi giải nén, 1 triệu chuỗi chữ khác nhau). Hãy chia danh sách thành nhiều tệp nhỏ hơn.",
                "The file is too large to import (at most 400 MB unpacked, 1 million distinct texts). Split the list into smaller files.",
            ),
            FileRefusal::Busy => tr(
                lang,
                "Một tệp khác của cơ sở đang được đọc. Vui lòng đợi ít phút rồi tải lên lại.",
                "Another file of this site is being read. Wait a few minutes and upload again.",
            ),
            FileRefusal::TooManyRows => tr(
                lang,
                "Tệp có hơn 200.000 dòng. Hãy chia danh sách thành nhiều tệp, mỗi tệp không quá 200.000 dòng, rồi nhập lần lượt.",
                "The file has more than 200,000 rows. Split the list into files of at most 200,000 rows and import them one by one.",
            ),
            FileRefusal::Unreadable => tr(lang, "Không đọc được tệp (tệp bị hỏng?).", "The file cannot be read (damaged?)."),
            FileRefusal::NoKeyColumn => tr(
                lang,
                "Không tìm thấy cột \"Mã dòng\": hãy dùng đúng tệp đã tải từ lô này, không xoá cột ẩn.",
                "No \"Row key\" column: use the file downloaded for this batch and keep its hidden column.",
            ),
            FileRefusal::OtherBatch => tr(lang, "Tệp này là danh sách của một lô khác.", "This file is the list of another batch."),
        }
    }
}
