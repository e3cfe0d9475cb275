use super::{Filter, VerificationList, routes};
use crate::form_state::FormState;
use crate::i18n::{lang, tr};
use crate::layout::Layout;
use crate::staff::StaffRole;
use crate::staff::pages::StaffBar;
use crate::verification::{Source, Status};
use leptos::prelude::*;

/// Every change of status on the station's list in the period, newest first.
#[component]
pub fn VerificationListPage(list: VerificationList) -> impl IntoView {
    let lang = lang();
    let form = use_context::<FormState>().unwrap_or_default();
    let filter = list.filter.clone();
    let shown = move |s: Option<Status>| s.map(|s| s.label(lang)).unwrap_or("—");
    let next = list.next_before.map(|before| routes::list(&filter, Some(before)));
    let with_source = |source: Option<Source>| routes::list(&Filter { source, ..filter.clone() }, None);
    let every_source = with_source(None);
    let sources: Vec<(Source, i64, String)> = list.by_source.iter().map(|(s, n)| (*s, *n, with_source(Some(*s)))).collect();
    let typed_or = |name: &str, day: chrono::NaiveDate| {
        let typed = form.value(name);
        if typed.is_empty() { day.format("%Y-%m-%d").to_string() } else { typed }
    };
    let (from_value, to_value) = (typed_or("tu", filter.from), typed_or("den", filter.to));
    let (from_error, to_error) = (form.error("tu").map(|e| e.message(lang)), form.error("den").map(|e| e.message(lang)));
    view! {
        <Layout title=tr(lang, "Danh sách xác minh thông tin", "Verification list")>
            <StaffBar name=list.staff.full_name.clone() site=list.staff.site_name.clone() manager=list.staff.role == StaffRole::SiteManager />
            <h1>{tr(lang, "Danh sách xác minh thông tin", "Verification list")}</h1>
            <p class="help">
                {tr(
                    lang,
                    "Mọi hồ sơ của cơ sở đã đổi trạng thái đối chiếu trong khoảng thời gian, với trạng thái hiện nay, nguồn thay đổi, người thực hiện và thời điểm.",
                    "Every record of the site whose verification status changed in the period, with its status now, what changed it, who and when.",
                )}
            </p>
            <nav aria-label=tr(lang, "Nguồn", "Sources")>
                <ul class="filters">
                    <li>
                        <a href=every_source aria-current=filter.source.is_none().then_some("page")>
                            {format!("{} ({})", tr(lang, "Mọi nguồn", "Every source"), list.by_source.iter().map(|(_, n)| n).sum::<i64>())}
                        </a>
                    </li>
                    {sources.into_iter().map(|(s, n, href)| view! {
                        <li>
                            <a href=href aria-current=(filter.source == Some(s)).then_some("page")>{format!("{} ({n})", s.label(lang))}</a>
                        </li>
                    }).collect_view()}
                </ul>
            </nav>
            <form method="get" action=routes::LIST class="filters-form">
                {filter.source.map(|s| view! { <input type="hidden" name="nguon" value=s.code() /> })}
                <div class="field">
                    <label for="tu">{tr(lang, "Từ ngày", "From")}</label>
                    <input type="date" id="tu" name="tu" value=from_value aria-describedby="tu-msg" aria-invalid=from_error.is_some().to_string() />
                    <p id="tu-msg" class="field-error">{from_error}</p>
                </div>
                <div class="field">
                    <label for="den">{tr(lang, "Đến ngày", "To")}</label>
                    <input type="date" id="den" name="den" value=to_value aria-describedby="den-msg" aria-invalid=to_error.is_some().to_string() />
                    <p id="den-msg" class="field-error">{to_error}</p>
                </div>
                <div class="field">
                    <label for="nhom">{tr(lang, "Trạng thái hiện nay", "Status now")}</label>
                    <select id="nhom" name="nhom">
                        <option value="" selected=filter.group.is_none()>{tr(lang, "Mọi trạng thái", "Any status")}</option>
                        {Status::ALL.into_iter().map(|s| view! { <option value=s.code() selected=filter.group == Some(s)>{s.label(lang)}</option> }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="button secondary">{tr(lang, "Xem", "Show")}</button>
            </form>
            <p><a href=routes::export(&filter)>{tr(lang, "Tải danh sách này (Excel)", "Download this list (Excel)")}</a></p>
            {if list.rows.is_empty() {
                view! { <p>{tr(lang, "Không có thay đổi nào trong khoảng thời gian này.", "No change in this period.")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" tabindex="0" role="region" aria-label=tr(lang, "Các thay đổi", "The changes")>
                        <table class="changes">
                            <thead>
                                <tr>
                                    <th scope="col">{tr(lang, "Họ và tên", "Full name")}</th>
                                    <th scope="col">{tr(lang, "Thay đổi", "Change")}</th>
                                    <th scope="col">{tr(lang, "Hiện nay", "Now")}</th>
                                    <th scope="col">{tr(lang, "Nguồn", "Source")}</th>
                                    <th scope="col">{tr(lang, "Ai, khi nào", "Who, when")}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list.rows.iter().map(|r| view! {
                                    <tr>
                                        <th scope="row"><a href=crate::worklist::routes::record(r.person_id)>{r.full_name.clone()}</a></th>
                                        <td>{format!("{} → {}", shown(r.old_status), r.new_status.label(lang))}</td>
                                        <td>{shown(r.status_now)}</td>
                                        <td>{r.source.label(lang)}</td>
                                        <td>{format!("{} · {}", r.staff_name.clone().unwrap_or_else(|| tr(lang, "Hệ thống", "System").to_string()), r.at)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            {next.map(|href| view! { <p><a href=href>{tr(lang, "Trang sau", "Next page")}</a></p> })}
        </Layout>
    }
}
