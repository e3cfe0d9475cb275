//! The worklist as an Excel file, as stations keep their lists: ID numbers written as text
//! (never numbers, which would lose their leading zeros), the header frozen.

use super::WorkRow;
use crate::i18n::Lang;
use crate::platform::AppError;
use rust_xlsxwriter::{Format, Workbook};

const HEADERS: [&str; 7] = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số giấy tờ", "Vấn đề", "Cư trú hay tiêm tại cơ sở"];

pub fn xlsx(rows: &[WorkRow]) -> Result<Vec<u8>, AppError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Cần làm sạch").map_err(AppError::internal)?;
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    for (col, header) in HEADERS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *header, &bold).map_err(AppError::internal)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(AppError::internal)?;
    for (i, r) in rows.iter().enumerate() {
        let line = i as u32 + 1;
        let problem = crate::verification::problem(r.status, &r.fields, Lang::Vi);
        sheet.write_number(line, 0, f64::from(line)).map_err(AppError::internal)?;
        sheet.write_string(line, 1, &r.full_name).map_err(AppError::internal)?;
        sheet.write_string(line, 2, &r.birth_date).map_err(AppError::internal)?;
        sheet.write_string(line, 3, r.gender.label(Lang::Vi)).map_err(AppError::internal)?;
        sheet.write_string_with_format(line, 4, r.national_id.as_deref().unwrap_or(""), &text).map_err(AppError::internal)?;
        sheet.write_string(line, 5, &problem).map_err(AppError::internal)?;
        sheet.write_string(line, 6, if r.resident { "Cư trú" } else { "Tiêm tại cơ sở" }).map_err(AppError::internal)?;
    }
    sheet.autofit();
    book.save_to_buffer().map_err(AppError::internal)
}
