//! Subject import (nhập danh sách đối tượng): as on the Ministry's platform, a station imports
//! a file of subjects with their corrected ID numbers (groups a and b of the campaign). Each row
//! finds its record by the record key (mã hồ sơ) or, where the clerk has none, by folded name,
//! birth date and phone among the station's records; a row that could be several records is
//! refused with them listed, never guessed. Then the same dry run and apply as a police batch.

#[cfg(feature = "ssr")]
pub mod handlers;
pub mod pages;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;

pub use pages::SubjectsPage;

use crate::police::{FileRefusal, UploadSummary};
use crate::staff::StaffMember;

/// The template's columns, in order; the ID column is the one a file must have.
pub const HEADERS: [&str; 7] = ["Mã hồ sơ", "Họ và tên", "Ngày sinh", "Giới tính", "Số điện thoại", "Số CCCD/định danh đúng", "Ghi chú"];

/// The import page: the template, the upload form, the files uploaded so far.
#[derive(Debug, Clone)]
pub struct SubjectsView {
    pub staff: StaffMember,
    pub uploads: Vec<UploadSummary>,
    pub refused: Option<FileRefusal>,
}
