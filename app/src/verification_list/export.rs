//! The verification list as Excel: the period in the title, one row per change, header frozen.

use super::{Filter, StatusChange};
use crate::i18n::Lang;
use crate::platform::AppError;
use rust_xlsxwriter::{Format, Workbook};

const HEADERS: [&str; 8] = ["Thời điểm", "Họ và tên", "Mã hồ sơ", "Trước", "Sau", "Hiện nay", "Nguồn", "Người thực hiện"];

pub fn xlsx(filter: &Filter, rows: &[StatusChange]) -> Result<Vec<u8>, AppError> {
    let x = AppError::internal;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Danh sách xác minh").map_err(x)?;
    let bold = Format::new().set_bold();
    let title = format!("DANH SÁCH XÁC MINH THÔNG TIN · {} - {}", filter.from.format("%d/%m/%Y"), filter.to.format("%d/%m/%Y"));
    sheet.write_string_with_format(0, 0, &title, &bold).map_err(x)?;
    for (col, header) in HEADERS.iter().enumerate() {
        sheet.write_string_with_format(2, col as u16, *header, &bold).map_err(x)?;
    }
    sheet.set_freeze_panes(3, 0).map_err(x)?;
    let label = |s: Option<crate::verification::Status>| s.map(|s| s.label(Lang::Vi)).unwrap_or("");
    for (i, r) in rows.iter().enumerate() {
        let row = 3 + i as u32;
        sheet.write_string(row, 0, &r.at).map_err(x)?;
        sheet.write_string(row, 1, &r.full_name).map_err(x)?;
        sheet.write_number(row, 2, r.person_id as f64).map_err(x)?;
        sheet.write_string(row, 3, label(r.old_status)).map_err(x)?;
        sheet.write_string(row, 4, r.new_status.label(Lang::Vi)).map_err(x)?;
        sheet.write_string(row, 5, label(r.status_now)).map_err(x)?;
        sheet.write_string(row, 6, r.source.label(Lang::Vi)).map_err(x)?;
        sheet.write_string(row, 7, r.staff_name.as_deref().unwrap_or("")).map_err(x)?;
    }
    sheet.autofit();
    book.save_to_buffer().map_err(x)
}
