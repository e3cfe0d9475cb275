use super::routes;
use super::{
    AnswerForm, ChangeField, ComplaintFormData, ComplaintKind, ComplaintStatus, ComplaintView, DEADLINE_HOURS, EventKind, EventView,
    EvidenceView, HolderView, REOPEN_DAYS,
};
use crate::domain::COMPLAINT_TEXT_MAX;
use crate::form_state::FormState;
use crate::i18n::{Lang, lang, tr};
use crate::layout::Layout;
use crate::records::DoseKind;
use crate::vaccination_sites::SiteSearchFields;
use leptos::prelude::*;

fn error_text(form: &FormState, field: &str, lang: Lang) -> Option<&'static str> {
    form.error(field).map(|e| e.message(lang))
}

/// A text area with its label, help, message and the value as typed.
#[component]
pub fn TextArea(name: &'static str, label: &'static str, #[prop(optional)] help: Option<&'static str>) -> impl IntoView {
    let lang = lang();
    let form = use_context::<FormState>().unwrap_or_default();
    let error = form.error(name);
    let help_id = format!("{name}-help");
    let msg_id = format!("{name}-msg");
    view! {
        <div class="field">
            <label for=name>{label}</label>
            {help.map(|h| view! { <p class="help" id=help_id.clone()>{h}</p> })}
            <textarea
                id=name
                name=name
                rows="4"
                maxlength=COMPLAINT_TEXT_MAX.to_string()
                aria-describedby=format!("{help_id} {msg_id}")
                aria-invalid=error.is_some().to_string()
            >
                {form.value(name)}
            </textarea>
            <p id=msg_id class="field-error">{error.map(|e| e.message(lang))}</p>
        </div>
    }
}

/// The file input for photos or PDFs of the vaccination card, with the files already kept.
#[component]
pub fn EvidenceInput(pending: Vec<EvidenceView>) -> impl IntoView {
    let lang = lang();
    let form = use_context::<FormState>().unwrap_or_default();
    let error = form.error("evidence");
    view! {
        <div class="field">
            <label for="evidence">{tr(lang, "Ảnh hoặc tệp PDF phiếu/thẻ tiêm chủng (không bắt buộc)", "Photos or PDF of the vaccination card (optional)")}</label>
            <p class="help" id="evidence-help">
                {tr(
                    lang,
                    "Ảnh JPG, PNG, WebP hoặc PDF, tối đa 5 tệp, mỗi tệp tối đa 5 MB. Chỉ bạn và cơ sở xử lý xem được.",
                    "JPG, PNG, WebP or PDF, up to 5 files of 5 MB each. Only you and the site handling it can see them.",
                )}
            </p>
            {(!pending.is_empty()).then(|| view! {
                <p class="help">
                    {format!(
                        "{}{}",
                        tr(lang, "Đã nhận (không cần chọn lại): ", "Already received (no need to choose again): "),
                        pending.iter().map(|e| format!("{} ({} KB)", e.file_name, e.size_kb)).collect::<Vec<_>>().join(", "),
                    )}
                </p>
            })}
            <input
                type="file"
                id="evidence"
                name="evidence"
                multiple=true
                accept="image/jpeg,image/png,image/webp,application/pdf"
                aria-describedby="evidence-help evidence-msg"
                aria-invalid=error.is_some().to_string()
            />
            <p id="evidence-msg" class="field-error">{error.map(|e| e.message(lang))}</p>
        </div>
    }
}

/// Inputs for a dose: which dose, date, vaccine, lot. Names are `{prefix}{field}`.
#[component]
pub fn DoseInputs(
    prefix: String,
    products: Vec<(String, String)>,
    #[prop(optional)] current: Option<String>,
    /// A new dose (every field but the lot needed) rather than a change (empty = unchanged).
    #[prop(optional)]
    new_dose: bool,
) -> impl IntoView {
    let lang = lang();
    let form = use_context::<FormState>().unwrap_or_default();
    let name = |f: ChangeField| format!("{prefix}{}", f.code());
    let select_kind = name(ChangeField::DoseKind);
    let select_product = name(ChangeField::Product);
    let kind_typed = form.value(&select_kind);
    let product_typed = form.value(&select_product);
    let keep = if new_dose { tr(lang, "— Chọn —", "— Choose —") } else { tr(lang, "(không đổi)", "(no change)") };
    let text_input = |field: ChangeField, help: &'static str| {
        let n = name(field);
        let error = form.error(&n);
        let msg = format!("{n}-msg");
        view! {
            <div class="field">
                <label for=n.clone()>{field.label(lang)}</label>
                <p class="help" id=format!("{n}-help")>{help}</p>
                <input type="text" id=n.clone() name=n.clone() value=form.value(&n)
                    aria-describedby=format!("{n}-help {msg}") aria-invalid=error.is_some().to_string() />
                <p id=msg class="field-error">{error.map(|e| e.message(lang))}</p>
            </div>
        }
    };
    view! {
        {current.map(|c| view! { <p class="help">{tr(lang, "Đang ghi: ", "Recorded now: ")}{c}</p> })}
        <div class="field">
            <label for=select_kind.clone()>{ChangeField::DoseKind.label(lang)}</label>
            <select id=select_kind.clone() name=select_kind.clone() aria-describedby=format!("{select_kind}-msg")>
                <option value="" selected=kind_typed.is_empty()>{keep}</option>
                {DoseKind::ALL.into_iter().map(|k| view! {
                    <option value=k.code() selected=kind_typed == k.code()>{k.label(lang)}</option>
                }).collect_view()}
            </select>
            <p id=format!("{select_kind}-msg") class="field-error">{error_text(&form, &select_kind, lang)}</p>
        </div>
        {text_input(ChangeField::GivenOn, tr(lang, "Ngày/tháng/năm, ví dụ 12/08/2021", "Day/month/year, e.g. 12/08/2021"))}
        <div class="field">
            <label for=select_product.clone()>{ChangeField::Product.label(lang)}</label>
            <select id=select_product.clone() name=select_product.clone() aria-describedby=format!("{select_product}-msg")>
                <option value="" selected=product_typed.is_empty()>{keep}</option>
                {products.into_iter().map(|(code, product)| {
                    let selected = product_typed == code;
                    view! { <option value=code selected=selected>{product}</option> }
                }).collect_view()}
            </select>
            <p id=format!("{select_product}-msg") class="field-error">{error_text(&form, &select_product, lang)}</p>
        </div>
        {text_input(ChangeField::Lot, tr(lang, "Như in trên phiếu tiêm, ví dụ ABV1234", "As printed on the card, e.g. ABV1234"))}
    }
}

#[component]
pub fn NewComplaintPage(data: ComplaintFormData) -> impl IntoView {
    let lang = lang();
    let intro = tr(
        lang,
        "Phản ánh được chuyển ngay tới cơ sở chịu trách nhiệm. Cơ sở phải trả lời trong vòng 48 giờ; bạn theo dõi kết quả bằng mã phản ánh.",
        "Your report goes straight to the responsible site, which must answer within 48 hours; you follow it with its reference code.",
    );
    let body = if data.site_search.is_some() {
        view! { <MissingDoseForm data=data.clone() /> }.into_any()
    } else {
        view! { <CorrectionForm data=data.clone() /> }.into_any()
    };
    view! {
        <Layout title=tr(lang, "Gửi phản ánh", "Report a problem")>
            <h1>{tr(lang, "Phản ánh sai sót hồ sơ tiêm chủng", "Report a problem with a vaccination record")}</h1>
            <p>{tr(lang, "Hồ sơ của: ", "Record of: ")}<strong>{data.person.full_name.clone()}</strong></p>
            <p>{intro}</p>
            {body}
            <p><a href=crate::records::routes::RECORD>{tr(lang, "Quay lại hồ sơ", "Back to the record")}</a></p>
        </Layout>
    }
    .into_any()
}

/// Everything but a missing dose: the kind, "should be" values, the dose concerned.
#[component]
fn CorrectionForm(data: ComplaintFormData) -> impl IntoView {
    let lang = lang();
    let form = use_context::<FormState>().unwrap_or_default();
    let person = data.person.clone();
    let chosen_kind = form.value("kind");
    let gender_now = person.gender.label(lang);
    let recorded = move |field: ChangeField| -> String {
        match field {
            ChangeField::FullName => person.full_name.clone(),
            ChangeField::BirthDate => person.birth_date.clone(),
            ChangeField::Gender => gender_now.to_string(),
            ChangeField::NationalId => person.national_id.clone().unwrap_or_else(|| tr(lang, "(chưa có)", "(none)").to_string()),
            _ => String::new(),
        }
    };
    let gender_typed = form.value("gender");
    let dose_typed = form.value("dose");
    let doses = data.person.doses.clone();
    let person_id = data.person.id;
    view! {
        <form method="post" action=routes::FILE enctype="multipart/form-data" novalidate=true class="stack">
            <input type="hidden" name="person" value=data.person.id.to_string() />
            <input type="hidden" name="key" value=data.key.clone() />
            <fieldset aria-describedby="kind-msg">
                <legend>{tr(lang, "Vấn đề là gì?", "What is wrong?")}</legend>
                {ComplaintKind::ALL.into_iter().filter(|k| *k != ComplaintKind::MissingDose).map(|k| {
                    let id = format!("kind-{}", k.code());
                    view! {
                        <div class="choice">
                            <input type="radio" id=id.clone() name="kind" value=k.code() checked=chosen_kind == k.code() />
                            <label for=id>{k.label(lang)}</label>
                        </div>
                    }
                }).collect_view()}
                <p class="help">
                    <a href=routes::missing_dose_about(person_id)>
                        {tr(lang, "Đã tiêm nhưng hồ sơ thiếu mũi? Dùng mẫu báo thiếu mũi tiêm.", "Given a dose that is not recorded? Use the missing-dose form.")}
                    </a>
                </p>
                <p id="kind-msg" class="field-error">{error_text(&form, "kind", lang)}</p>
            </fieldset>

            <fieldset aria-describedby="changes-msg">
                <legend>{tr(lang, "Thông tin đúng (chỉ điền mục cần sửa)", "Correct values (fill in only what needs fixing)")}</legend>
                <p id="changes-msg" class="field-error">{error_text(&form, "changes", lang)}</p>
                {[ChangeField::FullName, ChangeField::BirthDate, ChangeField::NationalId].into_iter().map(|field| {
                    let name = field.code();
                    let error = form.error(name);
                    let now_id = format!("{name}-now");
                    let msg_id = format!("{name}-msg");
                    view! {
                        <div class="field">
                            <label for=name>{field.label(lang)}</label>
                            <p class="help" id=now_id.clone()>{tr(lang, "Đang ghi: ", "Recorded now: ")}{recorded(field)}</p>
                            <input type="text" id=name name=name value=form.value(name)
                                aria-describedby=format!("{now_id} {msg_id}") aria-invalid=error.is_some().to_string() />
                            <p id=msg_id class="field-error">{error.map(|e| e.message(lang))}</p>
                        </div>
                    }
                }).collect_view()}
                <div class="field">
                    <label for="gender">{ChangeField::Gender.label(lang)}</label>
                    <p class="help" id="gender-now">{tr(lang, "Đang ghi: ", "Recorded now: ")}{recorded(ChangeField::Gender)}</p>
                    <select id="gender" name="gender" aria-describedby="gender-now gender-msg">
                        <option value="" selected=gender_typed.is_empty()>{tr(lang, "(không đổi)", "(no change)")}</option>
                        <option value="Nam" selected=gender_typed == "Nam">{tr(lang, "Nam", "Male")}</option>
                        <option value="Nữ" selected=gender_typed == "Nữ">{tr(lang, "Nữ", "Female")}</option>
                    </select>
                    <p id="gender-msg" class="field-error">{error_text(&form, "gender", lang)}</p>
                </div>
            </fieldset>

            {(!doses.is_empty()).then(|| view! {
                <fieldset aria-describedby="dose-msg">
                    <legend>{tr(lang, "Mũi tiêm bị sai (nếu phản ánh về mũi tiêm)", "The wrong dose (if the problem is a dose)")}</legend>
                    {doses.iter().map(|d| {
                        let id = format!("dose-{}", d.id);
                        let value = d.id.to_string();
                        let checked = dose_typed == value;
                        view! {
                            <div class="choice">
                                <input type="radio" id=id.clone() name="dose" value=value checked=checked />
                                <label for=id>{format!("{} · {} · {} · {} {} · {}", d.kind.label(lang), d.given_on, d.product, tr(lang, "lô", "lot"), d.lot, d.site)}</label>
                            </div>
                        }
                    }).collect_view()}
                    <p id="dose-msg" class="field-error">{error_text(&form, "dose", lang)}</p>
                    <p class="help">{tr(lang, "Thông tin đúng của mũi tiêm đó (chỉ điền mục sai):", "The dose's correct details (only what is wrong):")}</p>
                    <DoseInputs prefix=String::new() products=data.products.clone() />
                </fieldset>
            })}

            <TextArea
                name="description"
                label=tr(lang, "Mô tả thêm", "More details")
                help=tr(
                    lang,
                    "Bắt buộc khi phản ánh về mũi tiêm hoặc vấn đề khác. Không ghi số điện thoại hay mật khẩu.",
                    "Required for a dose or another problem. Do not write phone numbers or passwords.",
                )
            />
            <EvidenceInput pending=data.evidence.clone() />
            <button type="submit" class="button">{tr(lang, "Gửi phản ánh", "Send the report")}</button>
        </form>
    }
}

/// A dose that was given but is not on the record: where (site search), which dose, when,
/// which vaccine. It goes to the site named.
#[component]
fn MissingDoseForm(data: ComplaintFormData) -> impl IntoView {
    let lang = lang();
    let search = data.site_search.clone().unwrap_or_default();
    view! {
        <h2>{tr(lang, "Báo thiếu mũi tiêm", "Report a missing dose")}</h2>
        <p>{tr(
            lang,
            "Phản ánh được gửi tới cơ sở đã tiêm cho bạn. Chọn tỉnh rồi bấm “Tìm cơ sở”; những gì bạn đã nhập được giữ lại.",
            "The report goes to the site that gave the dose. Choose the province and press “Find sites”; what you typed is kept.",
        )}</p>
        <form method="post" action=routes::FILE enctype="multipart/form-data" novalidate=true class="stack">
            <input type="hidden" name="person" value=data.person.id.to_string() />
            <input type="hidden" name="nguoi" value=data.person.id.to_string() />
            <input type="hidden" name="key" value=data.key.clone() />
            <input type="hidden" name="kind" value=ComplaintKind::MissingDose.code() />
            <input type="hidden" name="loai" value=ComplaintKind::MissingDose.code() />
            <SiteSearchFields
                search
                search_action=routes::NEW.to_string()
                radio_name="site"
                legend=tr(lang, "Nơi đã tiêm", "Where the dose was given")
            />
            <fieldset>
                <legend>{tr(lang, "Mũi tiêm bị thiếu", "The missing dose")}</legend>
                <DoseInputs prefix=String::new() products=data.products.clone() new_dose=true />
            </fieldset>
            <TextArea name="description" label=tr(lang, "Mô tả thêm (không bắt buộc)", "More details (optional)") />
            <EvidenceInput pending=data.evidence.clone() />
            <button type="submit" class="button">{tr(lang, "Gửi phản ánh", "Send the report")}</button>
        </form>
    }
}

/// The timeline, worded for the citizen or for staff.
#[component]
pub fn Timeline(events: Vec<EventView>, for_staff: bool) -> impl IntoView {
    let lang = lang();
    view! {
        <ol class="timeline">
            {events.into_iter().map(|e| {
                let what = match (e.kind, for_staff) {
                    (EventKind::Filed, false) => tr(lang, "Bạn đã gửi phản ánh; chuyển tới", "You filed the report; sent to"),
                    (EventKind::Filed, true) => tr(lang, "Người dân gửi phản ánh tới", "The citizen filed it with"),
                    (EventKind::InfoRequested, _) => tr(lang, "Cơ sở đề nghị bổ sung thông tin (tạm dừng hạn):", "The site asked for more information (clock paused):"),
                    (EventKind::CitizenAnswered, false) => tr(lang, "Bạn đã bổ sung thông tin (hạn tiếp tục tính):", "You answered (the clock runs again):"),
                    (EventKind::CitizenAnswered, true) => tr(lang, "Người dân đã bổ sung (hạn tiếp tục tính):", "The citizen answered (the clock runs again):"),
                    (EventKind::SiteReplied, _) => tr(lang, "Cơ sở trả lời:", "The site replied:"),
                    (EventKind::Corrected, _) => tr(lang, "Hồ sơ đã được sửa bởi", "The record was corrected by"),
                    (EventKind::Rejected, _) => tr(lang, "Cơ sở từ chối, lý do:", "The site rejected it, because:"),
                    (EventKind::Reassigned, _) => tr(lang, "Chuyển tới", "Passed to"),
                    (EventKind::Confirmed, false) => tr(lang, "Bạn đã xác nhận kết quả.", "You confirmed the result."),
                    (EventKind::Confirmed, true) => tr(lang, "Người dân đã xác nhận kết quả.", "The citizen confirmed the result."),
                    (EventKind::Escalated, _) => tr(lang, "Quá hạn trả lời: phản ánh được chuyển lên cơ quan giám sát.", "Past the deadline: escalated to the supervising authority."),
                    (EventKind::SupervisorNote, _) => tr(lang, "Ghi chú của cơ quan giám sát:", "Supervisor's note:"),
                    (EventKind::AutoConfirmed, _) => tr(lang, "Tự động hoàn tất sau 7 ngày không có ý kiến.", "Closed automatically after 7 days without objection."),
                    (EventKind::Reopened, false) => tr(lang, "Bạn đã mở lại phản ánh:", "You reopened the report:"),
                    (EventKind::Reopened, true) => tr(lang, "Người dân mở lại phản ánh (hạn mới 48 giờ):", "The citizen reopened it (a new 48 hours):"),
                };
                let site = matches!(e.kind, EventKind::Filed | EventKind::Corrected | EventKind::Reassigned).then_some(e.site).flatten();
                view! {
                    <li>
                        <strong>{e.at.clone()}</strong>
                        " — "
                        {what}
                        {site.map(|s| format!(" {s}"))}
                        {e.message.clone().map(|m| view! { <p class="prewrap">{m}</p> })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// Links to the complaint's files; `link` builds a file's address on this side (citizen or site).
#[component]
pub fn EvidenceList(evidence: Vec<EvidenceView>, reference: String, link: fn(&str, &str) -> String) -> impl IntoView {
    let lang = lang();
    (!evidence.is_empty()).then(|| {
        view! {
            <h2>{tr(lang, "Ảnh và tệp đính kèm", "Attached photos and files")}</h2>
            <ul>
                {evidence.into_iter().map(|e| view! {
                    <li>
                        <a href=link(&reference, &e.token)>{e.file_name.clone()}</a>
                        {format!(" ({} KB{})", e.size_kb, if e.is_image { "" } else { ", PDF" })}
                    </li>
                }).collect_view()}
            </ul>
        }
    })
}

/// Who held the complaint and for how long: passing it on does not reset the clock.
#[component]
pub fn Holders(holders: Vec<HolderView>) -> impl IntoView {
    let lang = lang();
    (holders.len() > 1).then(|| {
        view! {
            <h2>{tr(lang, "Các cơ sở đã xử lý", "Sites that held it")}</h2>
            <ul>
                {holders.into_iter().map(|h| view! {
                    <li>{format!("{} · {}{} · {} {}", h.site, tr(lang, "từ ", "from "), h.from, h.hours, tr(lang, "giờ", "hours"))}</li>
                }).collect_view()}
            </ul>
        }
    })
}

/// The deadline line: the time, or that the clock is paused and how much will be left.
pub fn deadline_text(c: &ComplaintView, lang: Lang) -> String {
    match c.paused_minutes_left {
        Some(left) => format!(
            "{} {}{}",
            tr(lang, "Tạm dừng, chờ bổ sung thông tin. Cơ sở còn", "Paused, waiting for information. The site will have"),
            ComplaintView::duration_text(left, lang),
            tr(lang, " sau khi có trả lời.", " left after the answer."),
        ),
        None => format!("{} ({DEADLINE_HOURS} {})", c.due_at, tr(lang, "giờ", "hours")),
    }
}

#[component]
pub fn TrackingPage(c: ComplaintView, answer: AnswerForm) -> impl IntoView {
    let lang = lang();
    let next = match c.status {
        ComplaintStatus::Open if c.overdue => tr(
            lang,
            "Cơ sở đã quá hạn trả lời. Phản ánh được báo lên cơ quan y tế cấp trên theo dõi.",
            "The site is past its deadline. The report is flagged to the supervising health authority.",
        ),
        ComplaintStatus::Open => tr(
            lang,
            "Cơ sở sẽ kiểm tra và sửa hồ sơ, hỏi thêm thông tin hoặc trả lời lý do trước hạn dưới đây. Kết quả hiện trên trang này.",
            "The site will check and correct the record, ask you for more information, or give its reasons before the deadline below. The outcome appears on this page.",
        ),
        ComplaintStatus::WaitingCitizen => tr(
            lang,
            "Cơ sở cần bạn bổ sung thông tin (xem yêu cầu trong diễn biến bên dưới). Thời hạn xử lý tạm dừng cho tới khi bạn trả lời.",
            "The site needs more information (see its request in the timeline below). The deadline is paused until you answer.",
        ),
        ComplaintStatus::Resolved => tr(
            lang,
            "Hồ sơ đã được sửa. Hãy kiểm tra thông tin trước và sau khi sửa, rồi xác nhận, hoặc mở lại nếu vẫn chưa đúng.",
            "The record was corrected. Check what changed, then confirm, or reopen if it is still wrong.",
        ),
        ComplaintStatus::Rejected => tr(
            lang,
            "Cơ sở đã từ chối và nêu lý do. Nếu bạn không đồng ý, hãy mở lại và giải thích thêm.",
            "The site rejected it and gave its reason. If you disagree, reopen it and explain.",
        ),
        ComplaintStatus::Confirmed => tr(lang, "Phản ánh đã hoàn tất.", "This report is closed."),
    };
    let problem = c.overdue || c.status == ComplaintStatus::WaitingCitizen;
    view! {
        <Layout title=tr(lang, "Theo dõi phản ánh", "Track a report")>
            <h1>{tr(lang, "Phản ánh ", "Report ")}{c.reference.clone()}</h1>
            <dl class="facts">
                <dt>{tr(lang, "Hồ sơ của", "Record of")}</dt>
                <dd>{c.person_name.clone()}</dd>
                <dt>{tr(lang, "Vấn đề", "Problem")}</dt>
                <dd>{c.kind.label(lang)}</dd>
                <dt>{tr(lang, "Trạng thái", "Status")}</dt>
                <dd>{c.status.label(lang)}</dd>
                <dt>{tr(lang, "Nơi xử lý", "Handled by")}</dt>
                <dd>{c.site_name.clone()}</dd>
                <dt>{tr(lang, "Gửi lúc", "Filed")}</dt>
                <dd>{c.filed_at.clone()}</dd>
                {c.status.is_active().then(|| view! {
                    <dt>{tr(lang, "Hạn trả lời", "Answer due by")}</dt>
                    <dd>{deadline_text(&c, lang)}</dd>
                })}
            </dl>
            <div class=if problem { "status status-problem" } else { "status status-ok" }>
                <h2>{tr(lang, "Điều gì xảy ra tiếp theo", "What happens next")}</h2>
                <p>{next}</p>
                {c.reopen_until.clone().map(|until| view! {
                    <p>{tr(lang, "Bạn có thể mở lại phản ánh đến ", "You can reopen it until ")}{until}{format!(" ({REOPEN_DAYS} {}).", tr(lang, "ngày", "days"))}</p>
                })}
            </div>
            {(c.status == ComplaintStatus::WaitingCitizen).then(|| view! { <AnswerSection reference=c.reference.clone() answer=answer.clone() /> })}
            {matches!(c.status, ComplaintStatus::Resolved | ComplaintStatus::Confirmed).then(|| view! {
                <crate::certificates::CertificateBlock person=c.person_id state=c.certificate.clone() />
            })}
            {(c.status == ComplaintStatus::Resolved).then(|| view! {
                <form method="post" action=routes::confirm(&c.reference)>
                    <button type="submit" class="button">{tr(lang, "Xác nhận hồ sơ đã đúng", "Confirm the record is right")}</button>
                </form>
            })}
            {c.reopen_until.is_some().then(|| view! {
                <h2>{tr(lang, "Chưa đúng? Mở lại phản ánh", "Still wrong? Reopen the report")}</h2>
                <form method="post" action=routes::reopen(&c.reference) class="stack">
                    <TextArea name="reopen_reason" label=tr(lang, "Lý do mở lại", "Why you are reopening it") />
                    <button type="submit" class="button secondary">{tr(lang, "Mở lại (cơ sở có thêm 48 giờ)", "Reopen (the site gets another 48 hours)")}</button>
                </form>
            })}
            <ChangesAndEdits c=c.clone() />
            {(!c.description.is_empty()).then(|| view! {
                <h2>{tr(lang, "Mô tả", "Details")}</h2>
                <p class="prewrap">{c.description.clone()}</p>
            })}
            <EvidenceList evidence=c.evidence.clone() reference=c.reference.clone() link=routes::evidence />
            <h2>{tr(lang, "Diễn biến", "Timeline")}</h2>
            <Timeline events=c.events.clone() for_staff=false />
            <Holders holders=c.holders.clone() />
            <p><a href=crate::records::routes::RECORD>{tr(lang, "Quay lại hồ sơ", "Back to the record")}</a></p>
        </Layout>
    }
    .into_any()
}

#[component]
fn AnswerSection(reference: String, answer: AnswerForm) -> impl IntoView {
    let lang = lang();
    view! {
        <h2>{tr(lang, "Bổ sung thông tin cho cơ sở", "Answer the site")}</h2>
        <form method="post" action=routes::answer(&reference) enctype="multipart/form-data" novalidate=true class="stack">
            <input type="hidden" name="key" value=answer.key.clone() />
            <TextArea name="answer_message" label=tr(lang, "Nội dung trả lời", "Your answer") />
            <EvidenceInput pending=answer.pending.clone() />
            <button type="submit" class="button">{tr(lang, "Gửi trả lời", "Send the answer")}</button>
        </form>
    }
}

/// What was asked for and what was changed, as two tables.
#[component]
pub fn ChangesAndEdits(c: ComplaintView) -> impl IntoView {
    let lang = lang();
    view! {
        {(!c.changes.is_empty()).then(|| view! {
            <h2>{tr(lang, "Thông tin đề nghị sửa", "Corrections asked for")}</h2>
            <table class="changes">
                <thead>
                    <tr>
                        <th scope="col">{tr(lang, "Mục", "Field")}</th>
                        <th scope="col">{tr(lang, "Đang ghi", "Recorded")}</th>
                        <th scope="col">{tr(lang, "Đề nghị", "Should be")}</th>
                    </tr>
                </thead>
                <tbody>
                    {c.changes.iter().map(|ch| view! {
                        <tr>
                            <th scope="row">{ch.field.label(lang)}</th>
                            <td>{ch.recorded.as_ref().map(|v| v.shown(lang))}</td>
                            <td>{ch.requested.shown(lang)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
        {(!c.edits.is_empty()).then(|| view! {
            <h2>{tr(lang, "Hồ sơ đã được sửa", "The record was corrected")}</h2>
            <table class="changes">
                <thead>
                    <tr>
                        <th scope="col">{tr(lang, "Mục", "Field")}</th>
                        <th scope="col">{tr(lang, "Trước", "Before")}</th>
                        <th scope="col">{tr(lang, "Sau", "After")}</th>
                    </tr>
                </thead>
                <tbody>
                    {c.edits.iter().map(|e| view! {
                        <tr>
                            <th scope="row">{e.field.label(lang)}</th>
                            <td>{e.before.as_ref().map(|v| v.shown(lang))}</td>
                            <td>{e.after.as_ref().map(|v| v.shown(lang))}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
    }
}
