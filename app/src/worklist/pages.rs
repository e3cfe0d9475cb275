use super::{GROUPS, StationRecord, Worklist, routes};
use crate::complaints::ChangeField;
use crate::form_state::FormState;
use crate::i18n::{lang, tr};
use crate::layout::Layout;
use crate::staff::StaffRole;
use crate::staff::pages::StaffBar;
use crate::verification::Status;
use leptos::prelude::*;

#[component]
pub fn WorklistPage(list: Worklist) -> impl IntoView {
    let lang = lang();
    let total: i64 = list.counts.iter().map(|(_, n)| n).sum();
    let group = list.group;
    let search = list.search.clone();
    let next = list.next_after.map(|after| routes::worklist(group.map(|g| g.code()), &search, Some(after)));
    view! {
        <Layout title=tr(lang, "Danh sách cần làm sạch", "Records to clean")>
            <StaffBar name=list.staff.full_name.clone() site=list.staff.site_name.clone() manager=list.staff.role == StaffRole::SiteManager />
            <h1>{tr(lang, "Danh sách hồ sơ cần làm sạch", "Records to clean")}</h1>
            <p class="help">
                {tr(
                    lang,
                    "Người cư trú tại xã/phường của cơ sở và người đã tiêm tại cơ sở, có hồ sơ chưa khớp Cơ sở dữ liệu quốc gia về dân cư.",
                    "People living in the site's commune and people vaccinated at the site whose records do not match the National Population Database yet.",
                )}
            </p>
            <nav aria-label=tr(lang, "Nhóm", "Groups")>
                <ul class="filters">
                    <li>
                        <a href=routes::worklist(None, &search, None) aria-current=group.is_none().then_some("page")>
                            {format!("{} ({total})", tr(lang, "Tất cả", "All"))}
                        </a>
                    </li>
                    {list.counts.iter().map(|(g, n)| view! {
                        <li>
                            <a href=routes::worklist(Some(g.code()), &search, None) aria-current=(group == Some(*g)).then_some("page")>
                                {format!("{} ({n})", g.label(lang))}
                            </a>
                        </li>
                    }).collect_view()}
                </ul>
            </nav>
            <form method="get" action=routes::WORKLIST class="filters-form">
                {group.map(|g| view! { <input type="hidden" name="nhom" value=g.code() /> })}
                <div class="field">
                    <label for="tim">{tr(lang, "Tìm theo họ tên hoặc số giấy tờ", "Search by name or ID number")}</label>
                    <input type="search" id="tim" name="tim" value=search.clone() />
                </div>
                <button type="submit" class="button secondary">{tr(lang, "Tìm", "Search")}</button>
            </form>
            <p><a href=routes::export(group.map(|g| g.code()), &search)>{tr(lang, "Tải danh sách này (Excel)", "Download this list (Excel)")}</a></p>
            {if list.rows.is_empty() {
                view! { <p>{tr(lang, "Không có hồ sơ nào trong nhóm này.", "No record in this group.")}</p> }.into_any()
            } else {
                view! {
                    // Wider than a phone: it scrolls, so the keyboard can reach it too.
                    <div class="table-scroll" tabindex="0" role="region" aria-label=tr(lang, "Danh sách hồ sơ", "The records")>
                        <table class="changes">
                            <thead>
                                <tr>
                                    <th scope="col">{tr(lang, "Họ và tên", "Full name")}</th>
                                    <th scope="col">{tr(lang, "Ngày sinh", "Date of birth")}</th>
                                    <th scope="col">{tr(lang, "Giới tính", "Gender")}</th>
                                    <th scope="col">{tr(lang, "Số giấy tờ", "ID number")}</th>
                                    <th scope="col">{tr(lang, "Vấn đề", "Problem")}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list.rows.iter().map(|r| {
                                    let fields = r.fields.iter().map(|f| f.label(lang)).collect::<Vec<_>>().join(", ");
                                    view! {
                                        <tr>
                                            <th scope="row">
                                                <a href=routes::record(r.id)>{r.full_name.clone()}</a>
                                                {(!r.resident).then(|| view! { <span class="help">{tr(lang, " (tiêm tại cơ sở)", " (vaccinated here)")}</span> })}
                                            </th>
                                            <td>{r.birth_date.clone()}</td>
                                            <td>{r.gender.label(lang)}</td>
                                            <td>{r.national_id.clone().unwrap_or_else(|| tr(lang, "(chưa có)", "(none)").to_string())}</td>
                                            <td>{r.status.label(lang)}{(!fields.is_empty()).then(|| format!(": {fields}"))}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            {next.map(|href| view! { <p><a href=href>{tr(lang, "Trang sau", "Next page")}</a></p> })}
            <p class="help">{format!("{}: {}", tr(lang, "Nhóm", "Groups"), GROUPS.iter().map(|g| g.label(lang)).collect::<Vec<_>>().join(" · "))}</p>
        </Layout>
    }
}

/// One record for the station: recorded beside the registry, the verdict, doses, and a direct edit.
#[component]
pub fn StationRecordPage(record: StationRecord) -> impl IntoView {
    let lang = lang();
    let form = use_context::<FormState>().unwrap_or_default();
    let registry = record.registry.clone();
    let fields = record.fields.iter().map(|f| f.label(lang)).collect::<Vec<_>>().join(", ");
    let edit_fields = ChangeField::PERSONAL;
    view! {
        <Layout title=tr(lang, "Hồ sơ cần làm sạch", "Record to clean")>
            <StaffBar name=record.staff.full_name.clone() site=record.staff.site_name.clone() manager=record.staff.role == StaffRole::SiteManager />
            <h1>{record.recorded.iter().find(|(f, _)| *f == ChangeField::FullName).map(|(_, v)| v.clone())}</h1>
            <p class=if record.status == Status::Verified { "status status-ok" } else { "status status-problem" }>
                {record.status.label(lang)}{(!fields.is_empty()).then(|| format!(": {fields}"))}
            </p>
            <table class="changes">
                <thead>
                    <tr>
                        <th scope="col">{tr(lang, "Mục", "Field")}</th>
                        <th scope="col">{tr(lang, "Hồ sơ tiêm ghi", "The record says")}</th>
                        <th scope="col">{tr(lang, "CSDL dân cư ghi", "The registry says")}</th>
                    </tr>
                </thead>
                <tbody>
                    {record.recorded.iter().map(|(field, value)| {
                        let theirs = registry.as_ref().and_then(|r| r.iter().find(|(f, _)| f == field)).map(|(_, v)| v.clone());
                        view! {
                            <tr>
                                <th scope="row">{field.label(lang)}</th>
                                <td>{if value.is_empty() { tr(lang, "(chưa có)", "(none)").to_string() } else { value.clone() }}</td>
                                <td>{theirs.unwrap_or_else(|| tr(lang, "(không tìm thấy theo số này)", "(none under this number)").to_string())}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <h2>{tr(lang, "Các mũi tiêm", "Doses")}</h2>
            <ul>
                {record.doses.iter().map(|d| view! {
                    <li>{format!("{} · {} · {} · {} {} · {}", d.kind.label(lang), d.given_on, d.product, tr(lang, "lô", "lot"), d.lot, d.site)}</li>
                }).collect_view()}
            </ul>
            <h2>{tr(lang, "Sửa hồ sơ", "Correct the record")}</h2>
            <form method="post" action=routes::edit(record.id) novalidate=true class="stack">
                <p class="help">{tr(lang, "Để trống mục không cần sửa. Mọi thay đổi được ghi lại.", "Leave empty what does not change. Every change is recorded.")}</p>
                <p id="changes-msg" class="field-error">{form.error("changes").map(|e| e.message(lang))}</p>
                {edit_fields.into_iter().map(|field| {
                    let name = field.code();
                    let error = form.error(name);
                    let msg = format!("{name}-msg");
                    view! {
                        <div class="field">
                            <label for=name>{field.label(lang)}</label>
                            <input type="text" id=name name=name value=form.value(name) aria-describedby=msg.clone() aria-invalid=error.is_some().to_string() />
                            <p id=msg class="field-error">{error.map(|e| e.message(lang))}</p>
                        </div>
                    }
                }).collect_view()}
                <button type="submit" class="button">{tr(lang, "Lưu và đối chiếu lại", "Save and check again")}</button>
            </form>
            <p><a href=routes::WORKLIST>{tr(lang, "Về danh sách cần làm sạch", "Back to the list")}</a></p>
        </Layout>
    }
}
