use super::{GROUPS, Worklist, routes};
use crate::i18n::{lang, tr};
use crate::layout::Layout;
use crate::staff::StaffRole;
use crate::staff::pages::StaffBar;
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
                                                {r.full_name.clone()}
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
