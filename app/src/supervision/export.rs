//! The audit's current view as CSV and XLSX. Both carry the same columns as the page and no
//! personal data beyond the complaint's reference. CSV starts with a UTF-8 byte order mark so
//! spreadsheet programs read the Vietnamese text right.

use super::AuditView;
use crate::i18n::Lang;
use crate::platform::AppError;
use rust_xlsxwriter::{Format, Workbook};

const HEADERS: [&str; 9] = [
    "Mã phản ánh",
    "Cơ sở",
    "Loại",
    "Trạng thái",
    "Gửi lúc",
    "Hạn trả lời",
    "Giờ còn lại (âm: quá hạn)",
    "Thời gian từ khi gửi",
    "Đã báo cấp trên",
];

fn cells(view: &AuditView) -> Vec<[String; 9]> {
    view.rows
        .iter()
        .map(|r| {
            [
                r.reference.clone(),
                r.site.clone(),
                r.kind.label(Lang::Vi).to_string(),
                r.status.staff_label(Lang::Vi).to_string(),
                r.filed_at.clone(),
                r.due_at.clone(),
                r.hours_left.to_string(),
                r.age.label(Lang::Vi).to_string(),
                if r.escalated { "Có".to_string() } else { "Không".to_string() },
            ]
        })
        .collect()
}

/// One CSV field: quoted when it holds a comma, quote or line break; a leading = + - @ (or a
/// tab or carriage return, which a spreadsheet skips before reading a formula) is prefixed
/// with ' so a spreadsheet does not run it as a formula.
fn field(value: &str) -> String {
    let safe = if value.starts_with(['=', '+', '@', '\t', '\r']) || (value.starts_with('-') && value.parse::<i64>().is_err()) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if safe.contains([',', '"', '\n', '\r']) { format!("\"{}\"", safe.replace('"', "\"\"")) } else { safe }
}

pub fn csv(view: &AuditView) -> String {
    let mut out = String::from("\u{FEFF}");
    out.push_str(&HEADERS.map(field).join(","));
    out.push_str("\r\n");
    for row in cells(view) {
        out.push_str(&row.map(|c| field(&c)).join(","));
        out.push_str("\r\n");
    }
    out
}

pub fn xlsx(view: &AuditView) -> Result<Vec<u8>, AppError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Quá hạn").map_err(AppError::internal)?;
    let bold = Format::new().set_bold();
    for (col, header) in HEADERS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *header, &bold).map_err(AppError::internal)?;
    }
    for (i, row) in cells(view).iter().enumerate() {
        let r = i as u32 + 1;
        for (col, value) in row.iter().enumerate() {
            if col == 6 {
                sheet.write_number(r, col as u16, value.parse::<f64>().unwrap_or_default()).map_err(AppError::internal)?;
            } else {
                sheet.write_string(r, col as u16, value).map_err(AppError::internal)?;
            }
        }
    }
    sheet.autofit();
    book.save_to_buffer().map_err(AppError::internal)
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("Trạm Y tế Phường Quán Toan"), "Trạm Y tế Phường Quán Toan");
        assert_eq!(field("a, b"), "\"a, b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("-12"), "-12");
        assert_eq!(field("-cmd"), "'-cmd");
        assert_eq!(field("\t=1+1"), "'\t=1+1");
        assert_eq!(field("\r=1+1"), "\"'\r=1+1\"");
    }
}
