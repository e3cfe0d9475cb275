use super::{ChangeField, ComplaintFormData, ComplaintKind, ComplaintStatus, ComplaintView, DEADLINE_HOURS};
use crate::domain::{COMPLAINT_TEXT_MAX, Gender};
use crate::forms::FormState;
use crate::i18n::{Lang, lang, tr};
use crate::site::{Layout, NotFoundPage};
use leptos::prelude::*;

fn error_text(form: &FormState, field: &str, lang: Lang) -> Option<&'static str> {
    form.error(field).map(|e| e.message(lang))
}

#[component]
pub fn NewComplaintPage() -> impl IntoView {
    let lang = lang();
    let Some(data) = use_context::<ComplaintFormData>() else {
        return view! { <NotFoundPage /> }.into_any();
    };
    let form = use_context::<FormState>().unwrap_or_default();
    let person = data.person.clone();
    let chosen_kind = form.value("kind");
    let gender_now = match person.gender {
        Gender::Male => tr(lang, "Nam", "Male"),
        Gender::Female => tr(lang, "Nữ", "Female"),
    };
    let recorded = move |field: ChangeField| -> String {
        match field {
            ChangeField::FullName => person.full_name.clone(),
            ChangeField::BirthDate => person.birth_date.clone(),
            ChangeField::Gender => gender_now.to_string(),
            ChangeField::NationalId => person.national_id.clone().unwrap_or_else(|| tr(lang, "(chưa có)", "(none)").to_string()),
        }
    };
    let changes_error = error_text(&form, "changes", lang);
    let gender_typed = form.value("gender");
    let dose_typed = form.value("dose");
    let doses = data.person.doses.clone();
    view! {
        <Layout title=tr(lang, "Gửi phản ánh", "Report a problem")>
            <h1>{tr(lang, "Phản ánh sai sót hồ sơ tiêm chủng", "Report a problem with a vaccination record")}</h1>
            <p>
                {tr(lang, "Hồ sơ của: ", "Record of: ")}<strong>{data.person.full_name.clone()}</strong>
            </p>
            <p>
                {tr(
                    lang,
                    "Phản ánh được chuyển ngay tới cơ sở chịu trách nhiệm. Cơ sở phải trả lời trong vòng 48 giờ; bạn theo dõi kết quả bằng mã phản ánh.",
                    "Your report goes straight to the responsible site, which must answer within 48 hours; you follow it with its reference code.",
                )}
            </p>
            <form method="post" action="/phan-anh" novalidate=true class="stack">
                <input type="hidden" name="person" value=data.person.id.to_string() />
                <input type="hidden" name="key" value=data.key.clone() />
                <fieldset aria-describedby="kind-msg">
                    <legend>{tr(lang, "Vấn đề là gì?", "What is wrong?")}</legend>
                    {ComplaintKind::ALL.into_iter().map(|k| {
                        let id = format!("kind-{}", k.code());
                        view! {
                            <div class="choice">
                                <input type="radio" id=id.clone() name="kind" value=k.code() checked=chosen_kind == k.code() />
                                <label for=id>{k.label(lang)}</label>
                            </div>
                        }
                    }).collect_view()}
                    <p id="kind-msg" class="field-error">{error_text(&form, "kind", lang)}</p>
                </fieldset>

                <fieldset aria-describedby="changes-msg">
                    <legend>{tr(lang, "Thông tin đúng (chỉ điền mục cần sửa)", "Correct values (fill in only what needs fixing)")}</legend>
                    <p id="changes-msg" class="field-error">{changes_error}</p>
                    {[ChangeField::FullName, ChangeField::BirthDate, ChangeField::NationalId].into_iter().map(|field| {
                        let name = field.code();
                        let error = form.error(name);
                        let now_id = format!("{name}-now");
                        let msg_id = format!("{name}-msg");
                        view! {
                            <div class="field">
                                <label for=name>{field.label(lang)}</label>
                                <p class="help" id=now_id.clone()>{tr(lang, "Đang ghi: ", "Recorded now: ")}{recorded(field)}</p>
                                <input
                                    type="text"
                                    id=name
                                    name=name
                                    value=form.value(name)
                                    aria-describedby=format!("{now_id} {msg_id}")
                                    aria-invalid=error.is_some().to_string()
                                />
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
                                    <label for=id>{format!("{} · {} · {} · {}", d.kind.label(lang), d.given_on, d.product, d.site)}</label>
                                </div>
                            }
                        }).collect_view()}
                        <p id="dose-msg" class="field-error">{error_text(&form, "dose", lang)}</p>
                    </fieldset>
                })}

                <div class="field">
                    <label for="description">{tr(lang, "Mô tả thêm", "More details")}</label>
                    <p class="help" id="description-help">
                        {tr(
                            lang,
                            "Bắt buộc khi phản ánh về mũi tiêm hoặc vấn đề khác. Không ghi số điện thoại hay mật khẩu.",
                            "Required for a dose or another problem. Do not write phone numbers or passwords.",
                        )}
                    </p>
                    <textarea
                        id="description"
                        name="description"
                        rows="5"
                        maxlength=COMPLAINT_TEXT_MAX.to_string()
                        aria-describedby="description-help description-msg"
                        aria-invalid=form.error("description").is_some().to_string()
                    >
                        {form.value("description")}
                    </textarea>
                    <p id="description-msg" class="field-error">{error_text(&form, "description", lang)}</p>
                </div>
                <button type="submit" class="button">{tr(lang, "Gửi phản ánh", "Send the report")}</button>
            </form>
            <p><a href="/ho-so">{tr(lang, "Quay lại hồ sơ", "Back to the record")}</a></p>
        </Layout>
    }
    .into_any()
}

#[component]
pub fn TrackingPage() -> impl IntoView {
    let lang = lang();
    let Some(c) = use_context::<ComplaintView>() else {
        return view! { <NotFoundPage /> }.into_any();
    };
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
        _ => tr(lang, "Xem diễn biến bên dưới.", "See the timeline below."),
    };
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
                <dt>{tr(lang, "Hạn trả lời", "Answer due by")}</dt>
                <dd>{c.due_at.clone()} " " {format!("({DEADLINE_HOURS} {})", tr(lang, "giờ", "hours"))}</dd>
            </dl>
            <div class=if c.overdue { "status status-problem" } else { "status status-ok" }>
                <h2>{tr(lang, "Điều gì xảy ra tiếp theo", "What happens next")}</h2>
                <p>{next}</p>
            </div>
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
                                <td>{ch.recorded.clone()}</td>
                                <td>{ch.requested.clone()}</td>
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
                                <td>{e.before.clone()}</td>
                                <td>{e.after.clone()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            {(!c.description.is_empty()).then(|| view! {
                <h2>{tr(lang, "Mô tả", "Details")}</h2>
                <p class="prewrap">{c.description.clone()}</p>
            })}
            <h2>{tr(lang, "Diễn biến", "Timeline")}</h2>
            <ol class="timeline">
                {c.events.iter().map(|e| {
                    let what = match e.kind.as_str() {
                        "filed" => tr(lang, "Bạn đã gửi phản ánh; chuyển tới", "You filed the report; sent to"),
                        "corrected" => tr(lang, "Hồ sơ đã được sửa bởi", "The record was corrected by"),
                        _ => tr(lang, "Cập nhật", "Update"),
                    };
                    view! {
                        <li>
                            <strong>{e.at.clone()}</strong>
                            " — "
                            {what}
                            {e.site.clone().map(|s| format!(" {s}"))}
                            {e.message.clone().map(|m| view! { <p class="prewrap">{m}</p> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
            <p><a href="/ho-so">{tr(lang, "Quay lại hồ sơ", "Back to the record")}</a></p>
        </Layout>
    }
    .into_any()
}
