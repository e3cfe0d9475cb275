//! Vietnamese by default, English on request. Texts sit beside each other at the call site
//! (`tr(lang, "vi", "en")`) so a missing translation is visible in review.

use crate::domain::FieldError;

pub const LANG_COOKIE: &str = "lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }
}

pub fn tr(lang: Lang, vi: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

/// The current language from the render context.
pub fn lang() -> Lang {
    leptos::prelude::use_context::<Lang>().unwrap_or_default()
}

impl FieldError {
    pub fn message(self, lang: Lang) -> &'static str {
        use FieldError::*;
        match self {
            Required => tr(lang, "Vui lòng nhập thông tin này.", "Please fill in this field."),
            IdNotDigits => tr(lang, "Số giấy tờ chỉ gồm chữ số.", "An ID number has digits only."),
            IdLength => {
                tr(lang, "Số CCCD/mã định danh có 12 chữ số, số CMND có 9 chữ số.", "A CCCD/personal ID code has 12 digits, a CMND has 9.")
            }
            IdProvince => tr(
                lang,
                "3 chữ số đầu của số CCCD không phải mã tỉnh hợp lệ. Vui lòng kiểm tra lại.",
                "The first 3 digits of the CCCD are not a valid province code. Please check it.",
            ),
            NameTooLong => tr(lang, "Họ tên quá dài (tối đa 100 ký tự).", "The name is too long (100 characters at most)."),
            NameBadChars => tr(lang, "Họ tên chỉ gồm chữ cái và khoảng trắng.", "A name has letters and spaces only."),
            DateFormat => tr(
                lang,
                "Nhập ngày sinh dạng ngày/tháng/năm, ví dụ 07/03/1990, hoặc chỉ năm sinh, ví dụ 1956.",
                "Enter the date of birth as day/month/year, e.g. 07/03/1990, or just the year, e.g. 1956.",
            ),
            DateInFuture => tr(lang, "Ngày sinh không thể ở tương lai.", "A date of birth cannot be in the future."),
            DateTooOld => tr(lang, "Năm sinh quá xa, vui lòng kiểm tra lại.", "That year is too long ago, please check it."),
            PhoneFormat => tr(
                lang,
                "Số điện thoại gồm 10 chữ số, bắt đầu bằng 0, ví dụ 0912345678.",
                "A phone number has 10 digits starting with 0, e.g. 0912345678.",
            ),
            EmailFormat => {
                tr(lang, "Địa chỉ email chưa đúng, ví dụ ten@example.com.", "That email address is not valid, e.g. name@example.com.")
            }
            GenderUnknown => tr(lang, "Chọn Nam hoặc Nữ.", "Choose male or female."),
            IdOrPhone => tr(
                lang,
                "Nhập số CCCD/CMND/mã định danh (9 hoặc 12 chữ số) hoặc số điện thoại (10 chữ số, bắt đầu bằng 0).",
                "Enter a CCCD/CMND/personal ID code (9 or 12 digits) or a phone number (10 digits starting with 0).",
            ),
            CodeFormat => tr(lang, "Mã xác thực gồm 6 chữ số.", "The code has 6 digits."),
            TextTooShort => tr(lang, "Vui lòng mô tả rõ hơn (ít nhất 5 ký tự).", "Please say a little more (5 characters at least)."),
            TextTooLong => tr(lang, "Nội dung quá dài (tối đa 2.000 ký tự).", "The text is too long (2,000 characters at most)."),
            ChooseOne => tr(lang, "Vui lòng chọn một mục.", "Please choose one."),
            NotACandidate => tr(
                lang,
                "Người này không còn nằm trong danh sách gợi ý của hồ sơ. Hãy xem lại danh sách bên dưới.",
                "That person is no longer among the record's candidates. Look at the list below again.",
            ),
            NothingToChange => tr(
                lang,
                "Nhập ít nhất một thông tin đúng khác với thông tin đang ghi trong hồ sơ.",
                "Enter at least one correct value that differs from what the record says.",
            ),
            FileType => tr(
                lang,
                "Chỉ nhận ảnh JPG, PNG, WebP hoặc tệp PDF. Một tệp khác loại chưa được lưu.",
                "Only JPG, PNG or WebP photos and PDF files are accepted. A file of another type was not kept.",
            ),
            PdfActive => tr(
                lang,
                "Tệp PDF này có chứa mã chạy hoặc tệp đính kèm nên không được nhận. Hãy gửi ảnh chụp phiếu tiêm hoặc in lại ra PDF.",
                "This PDF runs code or carries other files, so it cannot be taken. Send a photo of the card, or print it to a new PDF.",
            ),
            FileTooLarge => tr(
                lang,
                "Mỗi tệp tối đa 5 MB. Một tệp lớn hơn chưa được lưu; hãy chụp lại với độ phân giải thấp hơn.",
                "Each file can be 5 MB at most. A larger file was not kept; take the photo again at a lower resolution.",
            ),
            TooManyFiles => tr(lang, "Tối đa 5 tệp cho mỗi phản ánh.", "At most 5 files per report."),
            DoseDateFormat => tr(
                lang,
                "Nhập ngày tiêm dạng ngày/tháng/năm, ví dụ 12/08/2021.",
                "Enter the date of the dose as day/month/year, e.g. 12/08/2021.",
            ),
            DoseDateRange => tr(
                lang,
                "Ngày tiêm phải từ 08/03/2021 (ngày bắt đầu tiêm vắc xin COVID-19) đến hôm nay.",
                "The date must be between 08/03/2021 (when COVID-19 vaccination began) and today.",
            ),
            LotFormat => tr(
                lang,
                "Số lô gồm chữ cái, chữ số và dấu gạch, tối đa 20 ký tự.",
                "A lot number has letters, digits and dashes, 20 characters at most.",
            ),
            ChooseSite => tr(lang, "Vui lòng tìm và chọn cơ sở tiêm.", "Please search for and choose the vaccination site."),
            PasswordTooShort => tr(lang, "Mật khẩu cần ít nhất 12 ký tự.", "A password needs 12 characters at least."),
            PasswordTooLong => tr(lang, "Mật khẩu tối đa 128 ký tự.", "A password has 128 characters at most."),
            PasswordCommon => tr(
                lang,
                "Mật khẩu này quá phổ biến, dễ bị đoán. Hãy dùng một câu dài mà chỉ bạn biết.",
                "This password is too common and easy to guess. Use a long sentence only you know.",
            ),
            SecondFactorCode => tr(
                lang,
                "Mã không đúng hoặc đã dùng. Nhập mã 6 chữ số đang hiện trong ứng dụng xác thực, hoặc một mã khôi phục.",
                "That code is not right or was used. Enter the 6-digit code your authenticator app shows now, or a recovery code.",
            ),
            WrongPassword => tr(lang, "Mật khẩu hiện tại không đúng.", "The current password is not right."),
            PasswordsDiffer => tr(lang, "Hai lần nhập mật khẩu không giống nhau.", "The two passwords differ."),
            OutsideProvince => tr(
                lang,
                "Chỉ chuyển được cho cơ sở trong cùng tỉnh. Cần chuyển sang tỉnh khác, hãy báo giám sát viên.",
                "You can pass it on only to a site in the same province. For another province, ask a supervisor.",
            ),
            TooManySubmissions => tr(
                lang,
                "Bạn đã gửi nhiều phản ánh hoặc tệp trong thời gian ngắn. Nội dung đã nhập được giữ lại; vui lòng gửi lại sau một giờ.",
                "You have sent many reports or files in a short time. What you typed is kept; please send it again in an hour.",
            ),
            PeriodDate => tr(
                lang,
                "Nhập ngày dạng ngày/tháng/năm; ngày bắt đầu không sau ngày kết thúc, tối đa 366 ngày.",
                "Enter dates as day/month/year; the start no later than the end, 366 days at most.",
            ),
        }
    }
}
