use super::routes;
use super::{AccountView, Inbox, InboxFilter, Invited, StaffComplaint, StaffRole, TeamView};
use crate::complaints::pages::{ChangesAndEdits, DoseInputs, EvidenceList, Holders, TextArea, Timeline, deadline_text};
use crate::complaints::{ChangeField, ComplaintStatus};
use crate::form_state::{FormState, Notice};
use crate::i18n::{lang, tr};
use crate::layout::Layout;
use crate::lookup::Field;
use crate::vaccination_sites::{SiteFinderInputs, SiteSearchFields};
use leptos::prelude::*;

#[component]
pub fn StaffLoginPage(#[prop(optional)] notice: Option<Notice>) -> impl IntoView {
    let lang = lang();
    view! {
        <Layout title=tr(lang, "Đăng nhập cơ sở tiêm chủng", "Vaccination site sign-in")>
            <h1>{tr(lang, "Đăng nhập dành cho cơ sở tiêm chủng", "Sign-in for vaccination sites")}</h1>
            {notice.map(|Notice(text)| view! { <div class="notice" role="alert"><p>{text}</p></div> })}
            <form method="post" action=routes::SIGN_IN class="stack">
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
                " · " <a href=crate::worklist::routes::WORKLIST>{tr(lang, "Làm sạch dữ liệu", "Data clean-up")}</a>
                " · " <a href=crate::police::routes::BATCHES>{tr(lang, "Gửi công an xã", "Commune police")}</a>
                " · " <a href=crate::verification_list::routes::LIST>{tr(lang, "Danh sách xác minh", "Verification list")}</a>
                " · " <a href=crate::certificates::routes::SIGNING>{tr(lang, "Ký chứng nhận", "Sign certificates")}</a>
                {manager.then(|| view! { " · " <a href=routes::TEAM>{tr(lang, "Nhân viên", "Staff")}</a> })}
                " · " <a href=routes::ACCOUNT>{tr(lang, "Bảo mật", "Security")}</a>
            </p>
            <form method="post" action=routes::SIGN_OUT>
                <button type="submit" class="link-button">{tr(lang, "Đăng xuất", "Sign out")}</button>
            </form>
        </div>
    }
}

#[component]
pub fn StaffInboxPage(inbox: Inbox) -> impl IntoView {
    let lang = lang();
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
                                    <a href=routes::complaint(&item.reference)>{item.reference.clone()}</a>
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
pub fn StaffComplaintPage(sc: StaffComplaint) -> impl IntoView {
    let lang = lang();
    let c = sc.complaint.clone();
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
            {(c.kind == crate::complaints::ComplaintKind::SplitRecord).then(|| view! {
                <p>
                    {tr(lang, "Một người bị tách thành hai hồ sơ: ", "One person split over two records: ")}
                    <a href=crate::worklist::routes::record(sc.person_id)>{tr(lang, "mở hồ sơ để tìm và gộp hồ sơ còn lại", "open the record to find and merge the other one")}</a>
                </p>
            })}
            <ChangesAndEdits c=c.clone() />
            <EvidenceList evidence=c.evidence.clone() reference=c.reference.clone() link=routes::evidence />
            <h2>{tr(lang, "Diễn biến", "Timeline")}</h2>
            <Timeline events=c.events.clone() for_staff=true />
            <Holders holders=c.holders.clone() />
            {open.then(|| view! { <Actions sc=sc.clone() /> })}
            <p><a href=routes::INBOX>{tr(lang, "Về danh sách phản ánh", "Back to the inbox")}</a></p>
        </Layout>
    }
    .into_any()
}

/// The actions on an open complaint: correct and resolve, ask, reply, reject, pass on.
#[component]
fn Actions(sc: StaffComplaint) -> impl IntoView {
    let reference = sc.complaint.reference.clone();
    let lang = lang();
    let form = use_context::<FormState>().unwrap_or_default();
    let now: Vec<(ChangeField, String)> = [
        (ChangeField::FullName, sc.record_name.clone()),
        (ChangeField::BirthDate, sc.record_birth_date.clone()),
        (ChangeField::Gender, sc.record_gender.label(lang).to_string()),
        (ChangeField::NationalId, sc.record_national_id.clone()),
    ]
    .into_iter()
    .filter(|(field, _)| sc.editable_fields.contains(field))
    .collect();
    let personal = !now.is_empty();
    let changes_error = form.error("changes").map(|e| e.message(lang));
    let waiting = sc.complaint.status == ComplaintStatus::WaitingCitizen;
    view! {
        <h2>{tr(lang, "Chấp nhận và sửa hồ sơ", "Accept and correct the record")}</h2>
        <form method="post" action=routes::correct(&reference) novalidate=true class="stack">
            <p class="help">{tr(lang, "Để trống mục không cần sửa.", "Leave empty what does not change.")}</p>
            <p id="changes-msg" class="field-error">{changes_error}</p>
            {personal.then(|| view! {
            <fieldset>
                <legend>{tr(lang, "Thông tin cá nhân (mục phản ánh nêu)", "Personal data (what the complaint is about)")}</legend>
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
            })}
            {sc.doses.iter().map(|d| {
                let remove = format!("dose-{}-remove", d.id);
                let concerned = sc.dose_id == Some(d.id);
                if !d.editable {
                    // Another site gave it and the complaint is not about it: that site corrects it.
                    return view! {
                        <p class="help">
                            {d.kind.label(lang)} " · " {d.given_on.clone()} " · " {d.site.clone()}
                            {tr(lang, " (do cơ sở khác tiêm: chuyển phản ánh cho cơ sở đó nếu cần sửa)", " (given by another site: pass the complaint to it if this needs a fix)")}
                        </p>
                    }.into_any();
                }
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
                }.into_any()
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
            <form method="post" action=routes::ask(&reference) class="stack">
                <TextArea name="ask_message" label=tr(lang, "Cần bổ sung gì?", "What do you need?")
                    help=tr(lang, "Thời hạn tạm dừng cho tới khi người dân trả lời.", "The clock stops until the citizen answers.") />
                <button type="submit" class="button secondary">{tr(lang, "Gửi yêu cầu bổ sung", "Ask")}</button>
            </form>
        })}

        <h2>{tr(lang, "Trả lời người dân", "Reply to the citizen")}</h2>
        <form method="post" action=routes::reply(&reference) class="stack">
            <TextArea name="reply_message" label=tr(lang, "Nội dung", "Message") />
            <button type="submit" class="button secondary">{tr(lang, "Gửi trả lời", "Send")}</button>
        </form>

        <h2>{tr(lang, "Từ chối", "Reject")}</h2>
        <form method="post" action=routes::reject(&reference) class="stack">
            <TextArea name="reject_reason" label=tr(lang, "Lý do (người dân sẽ đọc)", "Reason (the citizen reads it)") />
            <button type="submit" class="button secondary">{tr(lang, "Từ chối phản ánh", "Reject the complaint")}</button>
        </form>

        <h2>{tr(lang, "Chuyển cho cơ sở khác", "Pass to another site")}</h2>
        <form method="post" action=routes::pass_on(&reference) class="stack">
            <p class="help">{tr(lang, "Hạn trả lời không thay đổi khi chuyển.", "The deadline does not change when passed on.")}</p>
            <SiteSearchFields
                search=sc.reassign.clone()
                search_action=routes::complaint(&reference)
                radio_name="reassign_site"
                legend=tr(lang, "Cơ sở nhận", "Site to pass it to")
            />
            <TextArea name="reassign_reason" label=tr(lang, "Lý do chuyển", "Why it goes there") />
            <button type="submit" class="button secondary">{tr(lang, "Chuyển phản ánh", "Pass it on")}</button>
        </form>
    }
}

/// The site's staff: who has an account, invitations waiting, and adding or disabling one.
#[component]
pub fn TeamPage(team: TeamView) -> impl IntoView {
    let lang = lang();
    let admin = team.me.role == StaffRole::Admin;
    let my_id = team.me.id;
    let role_typed = use_context::<FormState>().unwrap_or_default().value("role");
    view! {
        <Layout title=tr(lang, "Nhân viên cơ sở", "Site staff")>
            <StaffBar name=team.me.full_name.clone() site=team.me.site_name.clone() manager=true />
            <h1>{tr(lang, "Nhân viên của ", "Staff of ")}{team.site_name.clone()}</h1>
            <table class="changes">
                <thead>
                    <tr>
                        <th scope="col">{tr(lang, "Họ tên", "Name")}</th>
                        <th scope="col">"Email"</th>
                        <th scope="col">{tr(lang, "Vai trò", "Role")}</th>
                        <th scope="col">{tr(lang, "Tình trạng", "State")}</th>
                    </tr>
                </thead>
                <tbody>
                    {team.members.into_iter().map(|m| {
                        let state = if m.disabled {
                            tr(lang, "Đã khoá", "Disabled")
                        } else if m.invited {
                            tr(lang, "Chờ đặt mật khẩu", "Invitation sent")
                        } else {
                            tr(lang, "Đang hoạt động", "Active")
                        };
                        let can_disable = !m.disabled && m.id != my_id;
                        view! {
                            <tr>
                                <th scope="row">{m.full_name.clone()}</th>
                                <td>{m.email.clone()}</td>
                                <td>{m.role.label(lang)}</td>
                                <td>
                                    {state}
                                    {can_disable.then(|| view! {
                                        <form method="post" action=routes::disable(m.id)>
                                            <button type="submit" class="link-button">{tr(lang, "Khoá tài khoản", "Disable")}</button>
                                        </form>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <h2>{tr(lang, "Thêm nhân viên", "Add a staff member")}</h2>
            <p>{tr(
                lang,
                "Người được thêm nhận email có đường dẫn để tự đặt mật khẩu (hiệu lực 72 giờ).",
                "They get an email with a link to set their own password (valid 72 hours).",
            )}</p>
            <form method="post" action=routes::TEAM novalidate=true class="stack">
                <input type="hidden" name="site" value=team.site_id.to_string() />
                <Field name="full_name" label=tr(lang, "Họ và tên", "Full name") autocomplete="off" />
                <Field name="email" label="Email" input_type="email" inputmode="email" />
                {admin.then(|| view! {
                    <div class="field">
                        <label for="role">{tr(lang, "Vai trò", "Role")}</label>
                        <select id="role" name="role">
                            <option value="site_staff" selected=role_typed != "site_manager">{StaffRole::SiteStaff.label(lang)}</option>
                            <option value="site_manager" selected=role_typed == "site_manager">{StaffRole::SiteManager.label(lang)}</option>
                        </select>
                    </div>
                })}
                <button type="submit" class="button">{tr(lang, "Gửi lời mời", "Send the invitation")}</button>
            </form>
            <p><a href=routes::INBOX>{tr(lang, "Về danh sách phản ánh", "Back to the inbox")}</a></p>
        </Layout>
    }
    .into_any()
}

#[component]
pub fn SetPasswordPage(invited: Invited) -> impl IntoView {
    let lang = lang();
    let invited = invited.0;
    let form = use_context::<FormState>().unwrap_or_default();
    let Some(name) = invited else {
        return view! {
            <Layout title=tr(lang, "Đường dẫn hết hạn", "Link expired")>
                <h1>{tr(lang, "Đường dẫn đã được dùng hoặc đã hết hạn", "This link was used or has expired")}</h1>
                <p>{tr(lang, "Hãy đề nghị quản lý cơ sở gửi lời mời mới.", "Ask your site manager for a new invitation.")}</p>
            </Layout>
        }
        .into_any();
    };
    let password_error = form.error("password").map(|e| e.message(lang));
    let confirm_error = form.error("confirm").map(|e| e.message(lang));
    view! {
        <Layout title=tr(lang, "Đặt mật khẩu", "Set your password")>
            <h1>{tr(lang, "Đặt mật khẩu cho ", "Set the password for ")}{name}</h1>
            <form method="post" class="stack" novalidate=true>
                <div class="field">
                    <label for="password">{tr(lang, "Mật khẩu mới (ít nhất 12 ký tự)", "New password (12 characters at least)")}</label>
                    <input id="password" name="password" type="password" autocomplete="new-password" aria-describedby="password-msg"
                        aria-invalid=password_error.is_some().to_string() />
                    <p id="password-msg" class="field-error">{password_error}</p>
                </div>
                <div class="field">
                    <label for="confirm">{tr(lang, "Nhập lại mật khẩu", "Repeat the password")}</label>
                    <input id="confirm" name="confirm" type="password" autocomplete="new-password" aria-describedby="confirm-msg"
                        aria-invalid=confirm_error.is_some().to_string() />
                    <p id="confirm-msg" class="field-error">{confirm_error}</p>
                </div>
                <button type="submit" class="button">{tr(lang, "Lưu mật khẩu", "Save the password")}</button>
            </form>
        </Layout>
    }
    .into_any()
}

/// An administrator finds a site by province and name (a plain GET form), then opens its staff.
#[component]
pub fn SitePickerPage(picker: super::SitePicker) -> impl IntoView {
    let lang = lang();
    let search = picker.search;
    let searched = !search.province.is_empty();
    view! {
        <Layout title=tr(lang, "Nhân viên cơ sở", "Site staff")>
            <StaffBar name=picker.me.full_name.clone() site=None />
            <h1>{tr(lang, "Chọn cơ sở để quản lý nhân viên", "Choose a site to manage its staff")}</h1>
            <form method="get" action=routes::TEAM class="stack">
                <SiteFinderInputs search=search.clone() province_label=tr(lang, "Tỉnh/thành phố", "Province") />
                <button type="submit" class="button">{tr(lang, "Tìm cơ sở", "Find sites")}</button>
            </form>
            {if search.results.is_empty() {
                searched.then(|| view! { <p>{tr(lang, "Không tìm thấy cơ sở phù hợp. Thử bỏ bớt từ tìm kiếm.", "No site matches. Try fewer words.")}</p> }).into_any()
            } else {
                view! {
                    <ul class="site-list">
                        {search.results.into_iter().map(|site| view! {
                            <li><a href=routes::team_of(site.id)>{site.name}</a>{format!(" · {}", site.place)}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <p><a href=crate::supervision::routes::AUDIT>{tr(lang, "Về trang giám sát", "Back to supervision")}</a></p>
        </Layout>
    }
}

/// The second step of a staff sign-in (`/co-so/xac-thuc`) and the account page
/// (`/co-so/bao-mat`): the code from the authenticator app, setting one up, recovery codes,
/// and (signed in) changing the password.
#[component]
pub fn AccountPage(account: AccountView) -> impl IntoView {
    let lang = lang();
    let form = use_context::<FormState>().unwrap_or_default();
    let code_error = form.error("code").map(|e| e.message(lang));
    let action = if account.signed_in { routes::ENROL } else { routes::SECOND_STEP };
    let title = if account.signed_in {
        tr(lang, "Tài khoản và bảo mật", "Account and security")
    } else {
        tr(lang, "Xác thực hai bước", "Two-step sign-in")
    };
    let codes = account.recovery_codes.clone();
    let next = if account.signed_in { routes::ACCOUNT } else { routes::INBOX };
    let code_form = move |label: &'static str| {
        view! {
            <form method="post" action=action class="stack" novalidate=true>
                <div class="field">
                    <label for="code">{label}</label>
                    <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code"
                        aria-describedby="code-msg" aria-invalid=code_error.is_some().to_string() />
                    <p id="code-msg" class="field-error">{code_error}</p>
                </div>
                <button type="submit" class="button">{tr(lang, "Xác nhận", "Confirm")}</button>
            </form>
        }
    };
    let second_factor = if !codes.is_empty() {
        view! {
            <h2>{tr(lang, "Mã khôi phục", "Recovery codes")}</h2>
            <p>{tr(lang, "Xác thực hai bước đã bật. Hãy in hoặc chép 10 mã dưới đây và cất ở nơi an toàn: mỗi mã dùng được một lần khi bạn không có điện thoại. Các mã chỉ hiện một lần này.", "Two-step sign-in is on. Print or copy these 10 codes and keep them safe: each works once when you do not have your phone. They are shown only this once.")}</p>
            <ul class="recovery-codes">{codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}</ul>
            <p><a class="button" href=next>{tr(lang, "Tôi đã cất mã, tiếp tục", "I have kept them, continue")}</a></p>
        }
        .into_any()
    } else if let Some(enrolment) = account.enrolment.clone() {
        view! {
            <h2>{tr(lang, "Bật xác thực hai bước", "Turn on two-step sign-in")}</h2>
            {account.required.then(|| view! { <p>{tr(lang, "Tài khoản giám sát và quản trị cần xác thực hai bước trước khi dùng.", "Supervisor and administrator accounts need two-step sign-in before use.")}</p> })}
            <ol>
                <li>{tr(lang, "Mở ứng dụng xác thực trên điện thoại (Google Authenticator, Microsoft Authenticator, FreeOTP...).", "Open an authenticator app on your phone (Google Authenticator, Microsoft Authenticator, FreeOTP...).")}</li>
                <li>
                    {tr(lang, "Thêm tài khoản bằng khoá sau (nhập tay), hoặc mở ", "Add an account with this key (typed in), or open ")}
                    <a href=enrolment.uri.clone()>{tr(lang, "liên kết này trên điện thoại", "this link on the phone")}</a>":"
                    <p><code class="totp-key">{enrolment.key.clone()}</code></p>
                </li>
                <li>{tr(lang, "Nhập mã 6 chữ số ứng dụng hiện ra.", "Enter the 6-digit code the app shows.")}</li>
            </ol>
            {code_form(tr(lang, "Mã 6 chữ số", "6-digit code"))}
        }
        .into_any()
    } else if account.signed_in {
        view! {
            <h2>{tr(lang, "Xác thực hai bước", "Two-step sign-in")}</h2>
            <p>{tr(lang, "Đã bật. Khi đăng nhập, bạn nhập mã từ ứng dụng xác thực sau mật khẩu.", "On. After your password, you enter the code from your authenticator app.")}</p>
        }
        .into_any()
    } else {
        view! {
            <p>{tr(lang, "Nhập mã 6 chữ số trong ứng dụng xác thực của bạn, hoặc một mã khôi phục.", "Enter the 6-digit code from your authenticator app, or a recovery code.")}</p>
            {code_form(tr(lang, "Mã xác thực hoặc mã khôi phục", "Code or recovery code"))}
        }
        .into_any()
    };
    view! {
        <Layout title=title>
            <h1>{title}</h1>
            <p>{account.name.clone()}</p>
            {second_factor}
            {account.signed_in.then(|| view! { <PasswordChange changed=account.password_changed /> })}
        </Layout>
    }
    .into_any()
}

#[component]
fn PasswordChange(changed: bool) -> impl IntoView {
    let lang = lang();
    let form = use_context::<FormState>().unwrap_or_default();
    let field = move |name: &'static str, label: &'static str, autocomplete: &'static str| {
        let error = form.error(name).map(|e| e.message(lang));
        let msg = format!("{name}-msg");
        view! {
            <div class="field">
                <label for=name>{label}</label>
                <input id=name name=name type="password" autocomplete=autocomplete aria-describedby=msg.clone()
                    aria-invalid=error.is_some().to_string() />
                <p id=msg class="field-error">{error}</p>
            </div>
        }
    };
    view! {
        <h2>{tr(lang, "Đổi mật khẩu", "Change the password")}</h2>
        {changed.then(|| view! { <div class="notice" role="status"><p>{tr(lang, "Đã đổi mật khẩu. Các phiên đăng nhập khác đã kết thúc.", "The password was changed. Other signed-in sessions have ended.")}</p></div> })}
        <form method="post" action=routes::CHANGE_PASSWORD class="stack" novalidate=true>
            {field("current", tr(lang, "Mật khẩu hiện tại", "Current password"), "current-password")}
            {field("password", tr(lang, "Mật khẩu mới (ít nhất 12 ký tự, không dùng mật khẩu phổ biến)", "New password (12 characters at least, not a common one)"), "new-password")}
            {field("confirm", tr(lang, "Nhập lại mật khẩu mới", "Repeat the new password"), "new-password")}
            <button type="submit" class="button">{tr(lang, "Đổi mật khẩu", "Change the password")}</button>
        </form>
    }
}
