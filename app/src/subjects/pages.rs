use super::{HEADERS, SubjectsView, routes};
use crate::i18n::{lang, tr};
use crate::layout::Layout;
use crate::police::ImportOf;
use crate::police::pages::Uploads;
use crate::staff::StaffRole;
use crate::staff::pages::StaffBar;
use leptos::prelude::*;

/// The template, what each column means, the upload form and the files uploaded so far.
#[component]
pub fn SubjectsPage(view: SubjectsView) -> impl IntoView {
    let lang = lang();
    let refused = view.refused.map(|r| r.label(lang));
    let meanings = [
        tr(
            lang,
            "ghi nếu có (cột \"Mã hồ sơ\" của danh sách cần làm sạch); nếu để trống, cổng tìm theo họ tên, ngày sinh và số điện thoại",
            "if known (the worklist's \"Record key\"); if empty, the record is found by name, date of birth and phone",
        ),
        tr(lang, "như trên hồ sơ tiêm", "as on the vaccination record"),
        tr(lang, "dd/mm/yyyy, hoặc chỉ năm sinh", "dd/mm/yyyy, or the year only"),
        tr(lang, "Nam hoặc Nữ (không bắt buộc)", "Nam or Nữ (optional)"),
        tr(lang, "số đã khai khi tiêm", "the number given at vaccination"),
        tr(lang, "12 chữ số (CMND: 9), ô định dạng văn bản", "12 digits (old ID: 9), the cell formatted as text"),
        tr(lang, "không bắt buộc", "optional"),
    ];
    view! {
        <Layout title=tr(lang, "Nhập danh sách đối tượng", "Subject import")>
            <StaffBar name=view.staff.full_name.clone() site=view.staff.site_name.clone() manager=view.staff.role == StaffRole::SiteManager />
            <h1>{tr(lang, "Nhập danh sách đối tượng", "Subject import")}</h1>
            <p class="help">
                {tr(
                    lang,
                    "Cập nhật số CCCD/định danh cho người chưa có số hoặc số sai định dạng (nhóm a và b) từ một tệp Excel. Tải lên chưa thay đổi gì: trang sau cho xem trước từng dòng rồi mới cập nhật.",
                    "Update the ID numbers of people with none or a malformed one (groups a and b) from an Excel file. Uploading changes nothing: the next page shows every row first.",
                )}
            </p>
            <p><a href=routes::TEMPLATE class="button secondary">{tr(lang, "Tải tệp mẫu (Excel)", "Download the template (Excel)")}</a></p>
            <h2>{tr(lang, "Các cột của tệp", "The file's columns")}</h2>
            <dl>
                {HEADERS.iter().zip(meanings).map(|(h, m)| view! { <dt>{*h}</dt><dd>{m}</dd> }).collect_view()}
            </dl>
            <form method="post" action=routes::SUBJECTS enctype="multipart/form-data" novalidate=true class="stack">
                <div class="field">
                    <label for="tep">{tr(lang, "Tệp Excel (.xlsx)", "The Excel file (.xlsx)")}</label>
                    <input type="file" id="tep" name="tep" accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" aria-describedby="tep-msg" aria-invalid=refused.is_some().to_string() />
                    <p id="tep-msg" class="field-error" role="alert">{refused}</p>
                </div>
                <p class="help">{tr(lang, "Tệp tối đa 32 MB và 200.000 dòng.", "At most 32 MB and 200,000 rows a file.")}</p>
                <button type="submit" class="button">{tr(lang, "Tải lên và xem trước", "Upload and preview")}</button>
            </form>
            <Uploads uploads=view.uploads.clone() of=ImportOf::Subjects />
            <p><a href=crate::worklist::routes::WORKLIST>{tr(lang, "Về danh sách cần làm sạch", "Back to the worklist")}</a></p>
        </Layout>
    }
}
