use super::{Inbox, InboxFilter, StaffComplaint, StaffRole};
use crate::complaints::pages::{ChangesAndEdits, DoseInputs, EvidenceList, Holders, SiteSearchFields, TextArea, Timeline, deadline_text};
use crate::complaints::{ChangeField, ComplaintStatus};
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
pub fn StaffBar(name: String, site: Option<String>, #[prop(optional)] manager: bool) -> impl IntoView {
    let lang = lang();
    view! {
        <div class="page-head">
            <p>
                {name} {site.map(|s| format!(" · {s}"))}
                {manager.then(|| view! { " · " <a href="/co-so/nhan-vien">{tr(lang, "Nhân viên", "Staff")}</a> })}
            </p>
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
    let filter = inbox.filter;
    let overdue = inbox.items.iter().filter(|i| i.status == ComplaintStatus::Open && i.hours_left < 0).count();
    let active: i64 = inbox.status_counts.iter().filter(|(s, _)| s.is_active()).map(|(_, n)| n).sum();
    let active_link = InboxFilter::href(None, filter.kind);
    let status_links = inbox.status_counts.clone();
    let kind_links = inbox.kind_counts.clone();
    view! {
        <Layout title=tr(lang, "Phản ánh cần xử lý", "Complaints to handle")>
            <StaffBar name=inbox.staff.full_name.clone() site=inbox.staff.site_name.clone() manager=inbox.staff.role == StaffRole::SiteManager />
            <h1>{tr(lang, "Phản ánh của cơ sở", "The site's complaints")}</h1>
            <p>
                {format!("{} ", inbox.items.len())}{tr(lang, "phản ánh trong danh sách, ", "listed, ")}
                {format!("{overdue} ")}{tr(lang, "quá hạn. Đang mở: sắp xếp theo thời gian còn lại.", "overdue. Open ones are sorted by time left.")}
            </p>
            <nav class="filters" aria-label=tr(lang, "Lọc theo trạng thái", "Filter by status")>
                <p>{tr(lang, "Trạng thái: ", "Status: ")}
                    <a href=active_link aria-current=filter.status.is_none().then_some("page")>
                        {format!("{} ({active})", tr(lang, "Đang mở", "Open"))}
                    </a>
                    {status_links.into_iter().map(|(status, n)| view! {
                        " · "
                        <a href=InboxFilter::href(Some(status), filter.kind) aria-current=(filter.status == Some(status)).then_some("page")>
                            {format!("{} ({n})", status.staff_label(lang))}
                        </a>
                    }).collect_view()}
                </p>
            </nav>
            <nav class="filters" aria-label=tr(lang, "Lọc theo loại", "Filter by kind")>
                <p>{tr(lang, "Loại: ", "Kind: ")}
                    <a href=InboxFilter::href(filter.status, None) aria-current=filter.kind.is_none().then_some("page")>{tr(lang, "Tất cả", "All")}</a>
                    {kind_links.into_iter().map(|(kind, n)| view! {
                        " · "
                        <a href=InboxFilter::href(filter.status, Some(kind)) aria-current=(filter.kind == Some(kind)).then_some("page")>
                            {format!("{} ({n})", kind.label(lang))}
                        </a>
                    }).collect_view()}
                </p>
            </nav>
            {if inbox.items.is_empty() {
                view! { <p>{tr(lang, "Không có phản ánh nào trong mục này.", "No complaint here.")}</p> }.into_any()
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
                                    {item.person_name.clone()} " · " {item.kind.label(lang)} " · " {item.status.staff_label(lang)}
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
    let c = sc.complaint.clone();
    let base = format!("/co-so/phan-anh/{}", c.reference);
    let open = c.status.is_active();
    view! {
        <Layout title=tr(lang, "Xử lý phản ánh", "Handle a complaint")>
            <StaffBar name=sc.staff.full_name.clone() site=sc.staff.site_name.clone() manager=sc.staff.role == StaffRole::SiteManager />
            <h1>{tr(lang, "Phản ánh ", "Complaint ")}{c.reference.clone()}</h1>
            <dl class="facts">
                <dt>{tr(lang, "Người được phản ánh", "About")}</dt>
                <dd>{c.person_name.clone()}</dd>
                <dt>{tr(lang, "Vấn đề", "Problem")}</dt>
                <dd>{c.kind.label(lang)}</dd>
                <dt>{tr(lang, "Trạng thái", "Status")}</dt>
                <dd>{c.status.staff_label(lang)}</dd>
                {open.then(|| view! {
                    <dt>{tr(lang, "Hạn trả lời", "Due by")}</dt>
                    <dd>{deadline_text(&c, lang)}</dd>
                })}
            </dl>
            {(!c.description.is_empty()).then(|| view! { <p class="prewrap">{c.description.clone()}</p> })}
            <ChangesAndEdits c=c.clone() />
            <EvidenceList evidence=c.evidence.clone() base=base.clone() />
            <h2>{tr(lang, "Diễn biến", "Timeline")}</h2>
            <Timeline events=c.events.clone() for_staff=true />
            <Holders holders=c.holders.clone() />
            {open.then(|| view! { <Actions sc=sc.clone() base=base.clone() /> })}
            <p><a href="/co-so">{tr(lang, "Về danh sách phản ánh", "Back to the inbox")}</a></p>
        </Layout>
    }
    .into_any()
}

/// The actions on an open complaint: correct and resolve, ask, reply, reject, pass on.
#[component]
fn Actions(sc: StaffComplaint, base: String) -> impl IntoView {
    let lang = lang();
    let form = use_context::<FormState>().unwrap_or_default();
    let now = [
        (ChangeField::FullName, sc.record_name.clone()),
        (ChangeField::BirthDate, sc.record_birth_date.clone()),
        (ChangeField::Gender, sc.record_gender.clone()),
        (ChangeField::NationalId, sc.record_national_id.clone()),
    ];
    let changes_error = form.error("changes").map(|e| e.message(lang));
    let waiting = sc.complaint.status == ComplaintStatus::WaitingCitizen;
    view! {
        <h2>{tr(lang, "Chấp nhận và sửa hồ sơ", "Accept and correct the record")}</h2>
        <form method="post" action=format!("{base}/sua") novalidate=true class="stack">
            <p class="help">{tr(lang, "Để trống mục không cần sửa.", "Leave empty what does not change.")}</p>
            <p id="changes-msg" class="field-error">{changes_error}</p>
            <fieldset>
                <legend>{tr(lang, "Thông tin cá nhân", "Personal data")}</legend>
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
            </fieldset>
            {sc.doses.iter().map(|d| {
                let remove = format!("dose-{}-remove", d.id);
                let concerned = sc.dose_id == Some(d.id);
                view! {
                    <fieldset class=if concerned { "concerned" } else { "" }>
                        <legend>
                            {d.kind.label(lang)} " · " {d.given_on.clone()}
                            {concerned.then(|| tr(lang, " (mũi được phản ánh)", " (the dose complained about)"))}
                        </legend>
                        <DoseInputs
                            prefix=format!("dose-{}-", d.id)
                            products=sc.products.clone()
                            current=format!("{} · {} · {} {} · {}", d.kind.label(lang), d.given_on, d.product, tr(lang, "lô", "lot"), d.lot)
                        />
                        <div class="choice">
                            <input type="checkbox" id=remove.clone() name=remove.clone() value="1" checked=form.value(&remove) == "1" />
                            <label for=remove>{tr(lang, "Xoá mũi này khỏi hồ sơ (ghi trùng hoặc sai người)", "Remove this dose (a duplicate or someone else's)")}</label>
                        </div>
                    </fieldset>
                }
            }).collect_view()}
            <fieldset>
                <legend>{tr(lang, "Thêm mũi tiêm (do cơ sở này tiêm)", "Add a dose (given by this site)")}</legend>
                <DoseInputs prefix="add-".to_string() products=sc.products.clone() new_dose=true />
            </fieldset>
            <TextArea name="note" label=tr(lang, "Ghi chú gửi người dân", "Note to the citizen") />
            <button type="submit" class="button">{tr(lang, "Sửa hồ sơ và hoàn tất phản ánh", "Correct the record and resolve")}</button>
        </form>

        {(!waiting).then(|| view! {
            <h2>{tr(lang, "Hỏi thêm thông tin người dân", "Ask the citizen for information")}</h2>
            <form method="post" action=format!("{base}/hoi") class="stack">
                <TextArea name="ask_message" label=tr(lang, "Cần bổ sung gì?", "What do you need?")
                    help=tr(lang, "Thời hạn tạm dừng cho tới khi người dân trả lời.", "The clock stops until the citizen answers.") />
                <button type="submit" class="button secondary">{tr(lang, "Gửi yêu cầu bổ sung", "Ask")}</button>
            </form>
        })}

        <h2>{tr(lang, "Trả lời người dân", "Reply to the citizen")}</h2>
        <form method="post" action=format!("{base}/tra-loi") class="stack">
            <TextArea name="reply_message" label=tr(lang, "Nội dung", "Message") />
            <button type="submit" class="button secondary">{tr(lang, "Gửi trả lời", "Send")}</button>
        </form>

        <h2>{tr(lang, "Từ chối", "Reject")}</h2>
        <form method="post" action=format!("{base}/tu-choi") class="stack">
            <TextArea name="reject_reason" label=tr(lang, "Lý do (người dân sẽ đọc)", "Reason (the citizen reads it)") />
            <button type="submit" class="button secondary">{tr(lang, "Từ chối phản ánh", "Reject the complaint")}</button>
        </form>

        <h2>{tr(lang, "Chuyển cho cơ sở khác", "Pass to another site")}</h2>
        <form method="post" action=format!("{base}/chuyen") class="stack">
            <p class="help">{tr(lang, "Hạn trả lời không thay đổi khi chuyển.", "The deadline does not change when passed on.")}</p>
            <SiteSearchFields
                search=sc.reassign.clone()
                search_action=base.clone()
                radio_name="reassign_site"
                legend=tr(lang, "Cơ sở nhận", "Site to pass it to")
            />
            <TextArea name="reassign_reason" label=tr(lang, "Lý do chuyển", "Why it goes there") />
            <button type="submit" class="button secondary">{tr(lang, "Chuyển phản ánh", "Pass it on")}</button>
        </form>
    }
}
