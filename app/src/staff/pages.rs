use super::{Inbox, StaffComplaint};
use crate::complaints::ChangeField;
use crate::forms::{FormState, Notice};
use crate::i18n::{lang, tr};
use crate::lookup::Field;
use crate::site::{Layout, NotFoundPage};
use leptos::prelude::*;

#[component]
pub fn StaffLoginPage() -> impl IntoView {
    let lang = lang();
    let notice = use_context::<Notice>();
    view! {
        <Layout title=tr(lang, "Đăng nhập cơ sở tiêm chủng", "Vaccination site sign-in")>
            <h1>{tr(lang, "Đăng nhập dành cho cơ sở tiêm chủng", "Sign-in for vaccination sites")}</h1>
            {notice.map(|Notice(text)| view! { <div class="notice" role="alert"><p>{text}</p></div> })}
            <form method="post" action="/co-so/dang-nhap" class="stack">
                <Field name="email" label="Email" input_type="email" inputmode="email" autocomplete="username" />
                <div class="field">
                    <label for="password">{tr(lang, "Mật khẩu", "Password")}</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" />
                </div>
                <button type="submit" class="button">{tr(lang, "Đăng nhập", "Sign in")}</button>
            </form>
        </Layout>
    }
}

#[component]
fn StaffBar(name: String, site: Option<String>) -> impl IntoView {
    let lang = lang();
    view! {
        <div class="page-head">
            <p>{name} {site.map(|s| format!(" · {s}"))}</p>
            <form method="post" action="/co-so/dang-xuat">
                <button type="submit" class="link-button">{tr(lang, "Đăng xuất", "Sign out")}</button>
            </form>
        </div>
    }
}

#[component]
pub fn StaffInboxPage() -> impl IntoView {
    let lang = lang();
    let Some(inbox) = use_context::<Inbox>() else {
        return view! { <NotFoundPage /> }.into_any();
    };
    let overdue = inbox.items.iter().filter(|i| i.hours_left < 0).count();
    let total = inbox.items.len();
    view! {
        <Layout title=tr(lang, "Phản ánh cần xử lý", "Complaints to handle")>
            <StaffBar name=inbox.staff.full_name.clone() site=inbox.staff.site_name.clone() />
            <h1>{tr(lang, "Phản ánh cần xử lý", "Complaints to handle")}</h1>
            <p>
                {format!("{total} ")}{tr(lang, "phản ánh đang mở, ", "open, ")}
                {format!("{overdue} ")}{tr(lang, "quá hạn. Sắp xếp theo thời gian còn lại.", "overdue. Sorted by time left.")}
            </p>
            {if inbox.items.is_empty() {
                view! { <p>{tr(lang, "Không có phản ánh nào đang chờ.", "No complaint is waiting.")}</p> }.into_any()
            } else {
                view! {
                    <ol class="inbox">
                        {inbox.items.into_iter().map(|item| {
                            let (class, label) = item.urgency(lang);
                            view! {
                                <li class=class>
                                    <a href=format!("/co-so/phan-anh/{}", item.reference)>{item.reference.clone()}</a>
                                    " · " <strong>{label}</strong> " · " {tr(lang, "hạn ", "due ")} {item.due_at.clone()}
                                    <br />
                                    {item.person_name.clone()} " · " {item.kind.label(lang)} " · " {item.status.label(lang)}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </Layout>
    }
    .into_any()
}

#[component]
pub fn StaffComplaintPage() -> impl IntoView {
    let lang = lang();
    let Some(sc) = use_context::<StaffComplaint>() else {
        return view! { <NotFoundPage /> }.into_any();
    };
    let form = use_context::<FormState>().unwrap_or_default();
    let c = sc.complaint.clone();
    let open = matches!(c.status, crate::complaints::ComplaintStatus::Open | crate::complaints::ComplaintStatus::WaitingCitizen);
    let now = [
        (ChangeField::FullName, sc.record_name.clone()),
        (ChangeField::BirthDate, sc.record_birth_date.clone()),
        (ChangeField::Gender, sc.record_gender.clone()),
        (ChangeField::NationalId, sc.record_national_id.clone()),
    ];
    let changes_error = form.error("changes").map(|e| e.message(lang));
    view! {
        <Layout title=tr(lang, "Xử lý phản ánh", "Handle a complaint")>
            <StaffBar name=sc.staff.full_name.clone() site=sc.staff.site_name.clone() />
            <h1>{tr(lang, "Phản ánh ", "Complaint ")}{c.reference.clone()}</h1>
            <dl class="facts">
                <dt>{tr(lang, "Người được phản ánh", "About")}</dt>
                <dd>{c.person_name.clone()}</dd>
                <dt>{tr(lang, "Vấn đề", "Problem")}</dt>
                <dd>{c.kind.label(lang)}</dd>
                <dt>{tr(lang, "Trạng thái", "Status")}</dt>
                <dd>{c.status.label(lang)}</dd>
                <dt>{tr(lang, "Hạn trả lời", "Due by")}</dt>
                <dd>{c.due_at.clone()}</dd>
            </dl>
            {(!c.description.is_empty()).then(|| view! { <p class="prewrap">{c.description.clone()}</p> })}
            <h2>{tr(lang, "Đề nghị của người dân", "What the citizen asks")}</h2>
            <ul>
                {c.changes.iter().map(|ch| view! {
                    <li>{ch.field.label(lang)} ": " {ch.recorded.clone()} " → " <strong>{ch.requested.clone()}</strong></li>
                }).collect_view()}
            </ul>
            {(!c.edits.is_empty()).then(|| view! {
                <h2>{tr(lang, "Đã sửa", "Corrected")}</h2>
                <ul>
                    {c.edits.iter().map(|e| view! {
                        <li>{e.at.clone()} " · " {e.field.label(lang)} ": " {e.before.clone()} " → " <strong>{e.after.clone()}</strong></li>
                    }).collect_view()}
                </ul>
            })}
            {open.then(|| view! {
                <h2>{tr(lang, "Chấp nhận và sửa hồ sơ", "Accept and correct the record")}</h2>
                <form method="post" action=format!("/co-so/phan-anh/{}/sua", c.reference) class="stack">
                    <p id="changes-msg" class="field-error">{changes_error}</p>
                    {now.into_iter().map(|(field, current)| {
                        let name = field.code();
                        let error = form.error(name);
                        let help = format!("{name}-now");
                        let msg = format!("{name}-msg");
                        view! {
                            <div class="field">
                                <label for=name>{field.label(lang)}</label>
                                <p class="help" id=help.clone()>{tr(lang, "Hồ sơ hiện ghi: ", "Record now: ")}{current}</p>
                                <input type="text" id=name name=name value=form.value(name)
                                    aria-describedby=format!("{help} {msg}") aria-invalid=error.is_some().to_string() />
                                <p id=msg class="field-error">{error.map(|e| e.message(lang))}</p>
                            </div>
                        }
                    }).collect_view()}
                    <div class="field">
                        <label for="note">{tr(lang, "Ghi chú gửi người dân", "Note to the citizen")}</label>
                        <textarea id="note" name="note" rows="3">{form.value("note")}</textarea>
                    </div>
                    <button type="submit" class="button">{tr(lang, "Sửa hồ sơ và hoàn tất phản ánh", "Correct the record and resolve")}</button>
                </form>
            })}
            <p><a href="/co-so">{tr(lang, "Về danh sách phản ánh", "Back to the inbox")}</a></p>
        </Layout>
    }
    .into_any()
}
