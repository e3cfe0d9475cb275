use super::{GROUPS, MergeView, RegistryView, StationRecord, Worklist, routes};
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
    let total = list.total;
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
            <form method="post" action=crate::police::routes::NEW_BATCH class="stack">
                {group.map(|g| view! { <input type="hidden" name="nhom" value=g.code() /> })}
                <input type="hidden" name="tim" value=search.clone() />
                <p class="help">
                    {tr(
                        lang,
                        "Gửi công an xã: lập một lô đánh số gồm các hồ sơ đang xem (trừ hồ sơ đang ở công an), để in, ký và nhận lại.",
                        "Send to the commune police: a numbered batch of the records in this view (except those already with the police), to print, sign and import back.",
                    )}
                    " "
                    <a href=crate::police::routes::BATCHES>{tr(lang, "Các lô đã gửi", "Batches sent")}</a>
                    " · "
                    <a href=crate::subjects::routes::SUBJECTS>{tr(lang, "Nhập danh sách đối tượng", "Subject import")}</a>
                </p>
                <button type="submit" class="button secondary">{tr(lang, "Lập lô gửi công an xã", "Make a batch for the commune police")}</button>
            </form>
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
                                            <td>
                                                {r.status.label(lang)}{(!fields.is_empty()).then(|| format!(": {fields}"))}
                                                {r.with_police.map(|n| view! { <span class="help">{format!(" · {} {n}", tr(lang, "đang ở công an xã, lô", "with the commune police, batch"))}</span> })}
                                            </td>
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
                        let theirs = match &registry {
                            RegistryView::Shown(values) => values.iter().find(|(f, _)| f == field).map(|(_, v)| v.clone()).unwrap_or_default(),
                            RegistryView::Elsewhere if record.fields.contains(field) => tr(lang, "Khác", "Differs").to_string(),
                            RegistryView::Elsewhere => tr(lang, "Khớp", "Matches").to_string(),
                            RegistryView::Missing => tr(lang, "(không tìm thấy theo số này)", "(none under this number)").to_string(),
                        };
                        view! {
                            <tr>
                                <th scope="row">{field.label(lang)}</th>
                                <td>{if value.is_empty() { tr(lang, "(chưa có)", "(none)").to_string() } else { value.clone() }}</td>
                                <td>{theirs}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {(registry == RegistryView::Elsewhere).then(|| view! {
                <p class="help">{tr(
                    lang,
                    "Người mang số này không ở xã của cơ sở: chỉ cho biết từng mục khớp hay khác với CSDL dân cư.",
                    "The person under this number lives outside the station's commune: only whether each field matches the registry is shown.",
                )}</p>
            })}
            <h2>{tr(lang, "Các mũi tiêm", "Doses")}</h2>
            <ul>
                {record.doses.iter().map(|d| view! {
                    <li>{format!("{} · {} · {} · {} {} · {}", d.kind.label(lang), d.given_on, d.product, tr(lang, "lô", "lot"), d.lot, d.site)}</li>
                }).collect_view()}
            </ul>
            <Candidates record=record.clone() />
            {(!record.twins.is_empty()).then(|| view! {
                <h2>{tr(lang, "Có thể cùng một người", "Possibly the same person")}</h2>
                <p class="help">{tr(lang, "Các hồ sơ này trùng tên, năm sinh và số điện thoại, hoặc trùng số định danh với hồ sơ này.", "These records share the name, birth year and phone, or the ID number, with this one.")}</p>
                <ul>
                    {record.twins.iter().map(|t| view! {
                        <li>
                            {format!("{} · {} · {} ", t.full_name, t.birth_date, t.national_id.clone().unwrap_or_else(|| tr(lang, "(chưa có số)", "(no ID)").to_string()))}
                            <a href=routes::merge(record.id, t.id)>{tr(lang, "So sánh và gộp", "Compare and merge")}</a>
                        </li>
                    }).collect_view()}
                </ul>
            })}
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
            <h2>{tr(lang, "Kiểm tra với tổ dân phố/thôn", "Checked with the village team")}</h2>
            <ul>
                {record.checks.iter().map(|c| view! { <li>{format!("{} · {}: {}", c.at, c.staff_name, c.note)}</li> }).collect_view()}
            </ul>
            <form method="post" action=routes::check(record.id) novalidate=true class="stack">
                <div class="field">
                    <label for="ghi_chu">{tr(lang, "Ghi chú của tổ (đã gặp ai, thông tin gì)", "The team's note (whom they met, what they found)")}</label>
                    <textarea id="ghi_chu" name="ghi_chu" rows="3" aria-describedby="ghi_chu-msg" aria-invalid=form.error("ghi_chu").is_some().to_string()>{form.value("ghi_chu")}</textarea>
                    <p id="ghi_chu-msg" class="field-error">{form.error("ghi_chu").map(|e| e.message(lang))}</p>
                </div>
                <button type="submit" class="button secondary">{tr(lang, "Ghi nhận đã kiểm tra", "Record the check")}</button>
            </form>
            <p><a href=routes::WORKLIST>{tr(lang, "Về danh sách cần làm sạch", "Back to the list")}</a></p>
        </Layout>
    }
}

/// The registry people the record might be, with the score, why, and a one-click confirm.
#[component]
fn Candidates(record: StationRecord) -> impl IntoView {
    use crate::verification::matching::Decision;
    let lang = lang();
    let form = use_context::<FormState>().unwrap_or_default();
    if record.status == Status::Verified {
        return None;
    }
    Some(view! {
        <h2>{tr(lang, "Gợi ý từ CSDL dân cư", "Candidates from the registry")}</h2>
        <p id="candidates-msg" class="field-error">{form.error("candidates").map(|e| e.message(lang))}</p>
        {record.candidates.is_empty().then(|| view! {
            <p>{tr(lang, "Không tìm thấy ai trong CSDL dân cư giống hồ sơ này.", "No one in the registry resembles this record.")}</p>
        })}
        <ol class="candidates">
            {record.candidates.iter().map(|c| {
                let why = c.why.iter().filter(|p| p.level != crate::verification::matching::Level::Unknown)
                    .map(|p| format!("{}: {} ({:+.1})", p.field.label(lang), p.level.label(lang), p.weight))
                    .collect::<Vec<_>>().join(" · ");
                let decision = match c.decision {
                    Decision::Match => tr(lang, "Chắc chắn", "Sure"),
                    Decision::Review => tr(lang, "Cần xác nhận", "To confirm"),
                };
                let held = c.held_by;
                view! {
                    <li class="candidate">
                        <p><strong>{format!("{} · {} · {} · {}", c.full_name, c.birth_date, c.gender.label(lang), c.national_id)}</strong></p>
                        <p>{format!("{decision} · {} {:.1}", tr(lang, "điểm", "score"), c.score)}</p>
                        <p class="help">{why}</p>
                        {held.map(|other| view! {
                            <p class="help">{tr(lang, "Số này đã có ở một hồ sơ khác: xác nhận sẽ mở màn hình gộp hồ sơ.", "Another record already carries this number: confirming opens the merge screen.")}</p>
                            <p><a href=routes::merge(record.id, other)>{tr(lang, "So sánh hai hồ sơ", "Compare the two records")}</a></p>
                        })}
                        <form method="post" action=routes::confirm(record.id)>
                            <input type="hidden" name="so" value=c.national_id.clone() />
                            <button type="submit" class="button">{tr(lang, "Xác nhận đúng người này", "Confirm: this is the person")}</button>
                        </form>
                    </li>
                }
            }).collect_view()}
        </ol>
    })
}

/// Two records of possibly one person, side by side: merge (choosing the record kept) or not.
#[component]
pub fn MergePage(merge: MergeView) -> impl IntoView {
    let lang = lang();
    let [a, b] = merge.sides.clone();
    let action = routes::merge(a.id, b.id);
    let side = move |s: &super::MergeSide| {
        view! {
            <section class="merge-side">
                <h2>{format!("{} {}", tr(lang, "Hồ sơ số", "Record"), s.id)}</h2>
                <p class="status">{s.status.label(lang)}</p>
                <dl>
                    {s.recorded.iter().map(|(f, v)| view! {
                        <dt>{f.label(lang)}</dt>
                        <dd>{if v.is_empty() { tr(lang, "(chưa có)", "(none)").to_string() } else { v.clone() }}</dd>
                    }).collect_view()}
                </dl>
                <h3>{tr(lang, "Các mũi tiêm", "Doses")}</h3>
                <ul>
                    {s.doses.iter().map(|d| view! {
                        <li>{format!("{} · {} · {} · {} {} · {}", d.kind.label(lang), d.given_on, d.product, tr(lang, "lô", "lot"), d.lot, d.site)}</li>
                    }).collect_view()}
                </ul>
            </section>
        }
    };
    view! {
        <Layout title=tr(lang, "Gộp hồ sơ", "Merge records")>
            <StaffBar name=merge.staff.full_name.clone() site=merge.staff.site_name.clone() manager=merge.staff.role == StaffRole::SiteManager />
            <h1>{tr(lang, "Một người, hai hồ sơ?", "One person, two records?")}</h1>
            <div class="merge">{side(&a)}{side(&b)}</div>
            {(!merge.twins).then(|| view! {
                <p class="notice" role="alert">{tr(
                    lang,
                    "Không thể gộp: hai hồ sơ không cùng một người theo dữ liệu (cùng số giấy tờ, hoặc cùng họ tên và ngày sinh kèm cùng số điện thoại hay một hồ sơ chưa có số giấy tờ). Nếu đúng là một người, hãy sửa hồ sơ cho khớp trước.",
                    "These cannot be merged: the data does not make them one person (the same ID number, or the same name and birth date with the same phone or one record without an ID). If they are one person, correct the records to match first.",
                )}</p>
            })}
            <form method="post" action=action class="stack" hidden=!merge.twins>
                <fieldset>
                    <legend>{tr(lang, "Giữ hồ sơ nào (các mũi tiêm của hồ sơ kia chuyển sang)", "Which record to keep (the other's doses move to it)")}</legend>
                    {[&a, &b].into_iter().enumerate().map(|(i, s)| {
                        let id = format!("giu-{}", s.id);
                        view! {
                            <div class="choice">
                                <input type="radio" id=id.clone() name="giu" value=s.id.to_string() checked=i == 0 />
                                <label for=id>{format!("{} {}", tr(lang, "Giữ hồ sơ số", "Keep record"), s.id)}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <p class="help">{tr(lang, "Hồ sơ còn lại được đánh dấu đã gộp, không bị xoá. Mọi mũi tiêm chuyển sang đều được ghi lại.", "The other record is marked merged, never deleted. Every dose moved is recorded.")}</p>
                <button type="submit" class="button">{tr(lang, "Gộp hai hồ sơ", "Merge the two records")}</button>
            </form>
            <form method="post" action=routes::not_same(a.id, b.id)>
                <button type="submit" class="button secondary">{tr(lang, "Không phải cùng một người", "Not the same person")}</button>
            </form>
            <p><a href=routes::record(a.id)>{tr(lang, "Về hồ sơ", "Back to the record")}</a></p>
        </Layout>
    }
}
