use super::charts::BarChart;
use super::routes;
use super::{AgeBucket, AuditView, Level, SortBy, SupervisedComplaint};
use crate::complaints::pages::{ChangesAndEdits, Holders, TextArea, Timeline, deadline_text};
use crate::complaints::{ComplaintKind, ComplaintStatus};
use crate::i18n::{lang, tr};
use crate::layout::Layout;
use crate::staff::pages::StaffBar;
use crate::vaccination_sites::SiteSearchFields;
use leptos::prelude::*;

/// A select of the filter form, with "any" first.
#[component]
fn FilterSelect(
    name: &'static str,
    label: &'static str,
    any: &'static str,
    options: Vec<(String, String)>,
    chosen: String,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=name>{label}</label>
            <select id=name name=name>
                {(!any.is_empty()).then(|| view! { <option value="">{any}</option> })}
                {options.into_iter().map(|(value, text)| {
                    let selected = value == chosen;
                    view! { <option value=value selected=selected>{text}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
pub fn AuditPage(view: AuditView) -> impl IntoView {
    let lang = lang();
    let f = view.filter.clone();
    let query = f.query();
    let scope = view.scope_name.clone().unwrap_or_else(|| tr(lang, "Toàn quốc", "The whole country").to_string());
    let shown = view.rows.len() as i64;
    let bars: Vec<(String, f64)> = view.by_age.iter().map(|(b, n)| (b.label(lang).to_string(), *n as f64)).collect();
    view! {
        <Layout title=tr(lang, "Giám sát phản ánh quá hạn", "Overdue complaints audit")>
            <StaffBar name=view.me.full_name.clone() site=Some(scope.clone()) manager=view.me.role == crate::staff::StaffRole::Admin />
            <h1>{tr(lang, "Phản ánh quá hạn và sắp quá hạn", "Overdue and at-risk complaints")}</h1>
            <p>
                {tr(lang, "Khu vực giám sát: ", "Area: ")}<strong>{scope}</strong>
                " · "
                <a href=routes::numbers_of(view.me.scope_unit.as_deref())>
                    {tr(lang, "Số liệu của khu vực", "The area's numbers")}
                </a>
            </p>
            <form method="get" action=routes::AUDIT class="filters-form">
                <FilterSelect name="muc" label=tr(lang, "Mức", "Show") any=""
                    options=Level::ALL.iter().map(|l| (l.code().to_string(), l.label(lang).to_string())).collect()
                    chosen=f.level.code().to_string() />
                <FilterSelect name="khu-vuc" label=tr(lang, "Khu vực", "Area") any=tr(lang, "Cả khu vực", "The whole area")
                    options=view.areas.clone() chosen=f.area.clone().unwrap_or_default() />
                {(!view.sites.is_empty()).then(|| view! {
                    <FilterSelect name="co-so" label=tr(lang, "Cơ sở", "Site") any=tr(lang, "Mọi cơ sở", "Every site")
                        options=view.sites.iter().map(|(id, n)| (id.to_string(), n.clone())).collect()
                        chosen=f.site.map(|s| s.to_string()).unwrap_or_default() />
                })}
                <FilterSelect name="loai" label=tr(lang, "Loại", "Kind") any=tr(lang, "Mọi loại", "Every kind")
                    options=ComplaintKind::ALL.iter().map(|k| (k.code().to_string(), k.label(lang).to_string())).collect()
                    chosen=f.kind.map(|k| k.code().to_string()).unwrap_or_default() />
                <FilterSelect name="trang-thai" label=tr(lang, "Trạng thái", "Status") any=tr(lang, "Đang mở hoặc chờ người dân", "Open or waiting")
                    options=[ComplaintStatus::Open, ComplaintStatus::WaitingCitizen].iter().map(|s| (s.code().to_string(), s.staff_label(lang).to_string())).collect()
                    chosen=f.status.map(|s| s.code().to_string()).unwrap_or_default() />
                <FilterSelect name="tuoi" label=tr(lang, "Đã gửi được", "Age") any=tr(lang, "Mọi độ tuổi", "Any age")
                    options=AgeBucket::ALL.iter().map(|a| (a.code().to_string(), a.label(lang).to_string())).collect()
                    chosen=f.age.map(|a| a.code().to_string()).unwrap_or_default() />
                <FilterSelect name="sap-xep" label=tr(lang, "Sắp xếp", "Sort") any=""
                    options=SortBy::ALL.iter().map(|s| (s.code().to_string(), s.label(lang).to_string())).collect()
                    chosen=f.sort.code().to_string() />
                <button type="submit" class="button">{tr(lang, "Lọc", "Filter")}</button>
            </form>
            <p>
                {format!("{} {} ", view.total, tr(lang, "phản ánh phù hợp", "complaints match"))}
                {(view.total > shown).then(|| format!("({} {shown}; {})", tr(lang, "hiện", "showing"), tr(lang, "tải tệp để xem hết", "download for all")))}
            </p>
            <p>
                <a href=format!("{}?{query}", routes::EXPORT_CSV)>{tr(lang, "Tải CSV", "Download CSV")}</a>
                " · "
                <a href=format!("{}?{query}", routes::EXPORT_XLSX)>{tr(lang, "Tải Excel (XLSX)", "Download Excel (XLSX)")}</a>
            </p>
            <h2>{tr(lang, "Theo thời gian từ khi gửi", "By time since filing")}</h2>
            <BarChart title=tr(lang, "Số phản ánh theo thời gian từ khi gửi", "Complaints by time since filing").to_string() bars />
            <table class="changes">
                <thead>
                    <tr>
                        <th scope="col">{tr(lang, "Mã", "Reference")}</th>
                        <th scope="col">{tr(lang, "Cơ sở", "Site")}</th>
                        <th scope="col">{tr(lang, "Loại", "Kind")}</th>
                        <th scope="col">{tr(lang, "Hạn", "Due")}</th>
                        <th scope="col">{tr(lang, "Còn / quá (giờ)", "Left / over (h)")}</th>
                        <th scope="col">{tr(lang, "Đã gửi", "Age")}</th>
                    </tr>
                </thead>
                <tbody>
                    {view.rows.into_iter().map(|r| view! {
                        <tr class=if r.hours_left < 0 { "overdue" } else { "" }>
                            <th scope="row"><a href=routes::complaint(&r.reference)>{r.reference.clone()}</a></th>
                            <td>{r.site.clone()}</td>
                            <td>{r.kind.label(lang)}</td>
                            <td>{format!("{}{}", r.due_at, if r.escalated { tr(lang, " · đã báo cấp trên", " · escalated") } else { "" })}</td>
                            <td>{r.hours_left}</td>
                            <td>{r.age.label(lang)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </Layout>
    }
    .into_any()
}

#[component]
pub fn SupervisedComplaintPage(sc: SupervisedComplaint) -> impl IntoView {
    let lang = lang();
    let c = sc.complaint.clone();
    view! {
        <Layout title=tr(lang, "Phản ánh (giám sát)", "Complaint (supervision)")>
            <StaffBar name=sc.me.full_name.clone() site=sc.me.scope_name.clone() />
            <h1>{tr(lang, "Phản ánh ", "Complaint ")}{c.reference.clone()}</h1>
            <dl class="facts">
                <dt>{tr(lang, "Cơ sở đang giữ", "Held by")}</dt>
                <dd>{c.site_name.clone()}</dd>
                <dt>{tr(lang, "Vấn đề", "Problem")}</dt>
                <dd>{c.kind.label(lang)}</dd>
                <dt>{tr(lang, "Trạng thái", "Status")}</dt>
                <dd>{c.status.staff_label(lang)}{sc.escalated.then(|| tr(lang, " · đã báo cấp trên", " · escalated"))}</dd>
                <dt>{tr(lang, "Gửi lúc", "Filed")}</dt>
                <dd>{c.filed_at.clone()}</dd>
                {c.status.is_active().then(|| view! {
                    <dt>{tr(lang, "Hạn trả lời", "Due by")}</dt>
                    <dd>{deadline_text(&c, lang)}</dd>
                })}
            </dl>
            <ChangesAndEdits c=c.clone() />
            <h2>{tr(lang, "Diễn biến", "Timeline")}</h2>
            <Timeline events=c.events.clone() for_staff=true />
            <Holders holders=c.holders.clone() />
            <h2>{tr(lang, "Ghi chú của giám sát", "Supervisor's note")}</h2>
            <form method="post" action=routes::note(&c.reference) class="stack">
                <TextArea name="note" label=tr(lang, "Ghi chú (cơ sở và người dân đều đọc được)", "Note (the site and the citizen both read it)") />
                <button type="submit" class="button secondary">{tr(lang, "Ghi chú", "Add the note")}</button>
            </form>
            {c.status.is_active().then(|| view! {
                <h2>{tr(lang, "Chuyển cho cơ sở khác", "Pass to another site")}</h2>
                <form method="post" action=routes::pass_on(&c.reference) class="stack">
                    <p class="help">{tr(lang, "Hạn trả lời không thay đổi khi chuyển.", "The deadline does not change when passed on.")}</p>
                    <SiteSearchFields search=sc.reassign.clone() search_action=routes::complaint(&c.reference) radio_name="reassign_site"
                        legend=tr(lang, "Cơ sở nhận", "Site to pass it to") />
                    <TextArea name="reassign_reason" label=tr(lang, "Lý do chuyển", "Why it goes there") />
                    <button type="submit" class="button secondary">{tr(lang, "Chuyển phản ánh", "Pass it on")}</button>
                </form>
            })}
            <p><a href=routes::AUDIT>{tr(lang, "Về danh sách giám sát", "Back to the audit")}</a></p>
        </Layout>
    }
    .into_any()
}

fn pct(v: Option<f64>) -> String {
    v.map(|p| format!("{p:.1} %")).unwrap_or_else(|| "—".to_string())
}

fn hours(v: Option<f64>, lang: crate::i18n::Lang) -> String {
    v.map(|h| format!("{h:.1} {}", tr(lang, "giờ", "hours"))).unwrap_or_else(|| "—".to_string())
}

/// The public numbers of a site, an area or the country: who answers on time. No personal
/// data: counts, shares and durations only.
#[component]
pub fn NumbersPage(q: super::NumbersQuery) -> impl IntoView {
    let lang = lang();
    let form = use_context::<crate::form_state::FormState>().unwrap_or_default();
    let n = q.numbers.clone();
    let action = match q.site {
        Some(id) => routes::site_numbers(id),
        None => routes::NUMBERS.to_string(),
    };
    let on_time_bars: Vec<(String, f64)> = q.parts.iter().filter_map(|p| p.on_time_pct.map(|v| (p.name.clone(), v))).collect();
    let period_error = form.error("tu").or(form.error("den")).map(|e| e.message(lang));
    view! {
        <Layout title=tr(lang, "Số liệu xử lý phản ánh", "Complaint numbers")>
            <h1>{tr(lang, "Số liệu xử lý phản ánh: ", "Complaint numbers: ")}{q.title.clone()}</h1>
            <form method="get" action=action class="filters-form">
                {q.area.clone().map(|a| view! { <input type="hidden" name="khu-vuc" value=a /> })}
                <div class="field">
                    <label for="tu">{tr(lang, "Từ ngày", "From")}</label>
                    <input type="date" id="tu" name="tu" value=q.from_iso.clone() aria-describedby="period-msg" />
                </div>
                <div class="field">
                    <label for="den">{tr(lang, "Đến ngày", "To")}</label>
                    <input type="date" id="den" name="den" value=q.to_iso.clone() aria-describedby="period-msg" />
                </div>
                <button type="submit" class="button">{tr(lang, "Xem", "Show")}</button>
                <p id="period-msg" class="field-error">{period_error}</p>
            </form>
            <p>{format!("{} {} – {}", tr(lang, "Giai đoạn", "Period"), q.from, q.to)}</p>
            <dl class="facts">
                <dt>{tr(lang, "Phản ánh nhận được", "Complaints received")}</dt>
                <dd>{n.received}</dd>
                <dt>{tr(lang, "Đã giải quyết (sửa hoặc trả lời từ chối)", "Resolved (corrected or answered with a refusal)")}</dt>
                <dd>{n.resolved}</dd>
                <dt>{tr(lang, "Giải quyết đúng hạn 48 giờ", "Resolved within 48 hours")}</dt>
                <dd>{format!("{} ({})", n.on_time, pct(n.on_time_pct))}</dd>
                <dt>{tr(lang, "Thời gian phản hồi đầu tiên (trung vị)", "Time to first response (median)")}</dt>
                <dd>{hours(n.median_first_response_hours, lang)}</dd>
                <dt>{tr(lang, "Thời gian giải quyết (trung vị)", "Time to resolution (median)")}</dt>
                <dd>{hours(n.median_resolution_hours, lang)}</dd>
                <dt>{tr(lang, "Tỷ lệ bị mở lại", "Reopened")}</dt>
                <dd>{pct(n.reopen_pct)}</dd>
                <dt>{tr(lang, "Đang quá hạn", "Overdue now")}</dt>
                <dd>{n.overdue_now}</dd>
            </dl>
            <h2>{tr(lang, "Kết quả xử lý", "Outcomes")}</h2>
            <BarChart
                title=tr(lang, "Số phản ánh giải quyết đúng hạn, trễ hạn và đang quá hạn", "Complaints resolved on time, late, and overdue now").to_string()
                bars=vec![
                    (tr(lang, "Giải quyết đúng hạn", "Resolved on time").to_string(), n.on_time as f64),
                    (tr(lang, "Giải quyết trễ hạn", "Resolved late").to_string(), (n.resolved - n.on_time) as f64),
                    (tr(lang, "Đang quá hạn", "Overdue now").to_string(), n.overdue_now as f64),
                ]
            />
            {(!on_time_bars.is_empty()).then(|| view! {
                <h2>{tr(lang, "Tỷ lệ giải quyết đúng hạn", "Resolved on time")}</h2>
                <BarChart title=tr(lang, "Tỷ lệ giải quyết đúng hạn theo đơn vị", "Share resolved on time, by unit").to_string() bars=on_time_bars suffix=" %" />
            })}
            {(!q.parts.is_empty()).then(|| view! {
                <div class="table-scroll">
                    <table class="changes">
                        <thead>
                            <tr>
                                <th scope="col">{tr(lang, "Đơn vị", "Unit")}</th>
                                <th scope="col">{tr(lang, "Nhận", "Received")}</th>
                                <th scope="col">{tr(lang, "Giải quyết", "Resolved")}</th>
                                <th scope="col">{tr(lang, "Đúng hạn", "On time")}</th>
                                <th scope="col">{tr(lang, "Đang quá hạn", "Overdue now")}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {q.parts.iter().map(|p| view! {
                                <tr>
                                    <th scope="row"><a href=format!("{}&tu={}&den={}", if p.href.contains('?') { p.href.clone() } else { format!("{}?", p.href) }, q.from_iso, q.to_iso)>{p.name.clone()}</a></th>
                                    <td>{p.received}</td>
                                    <td>{p.resolved}</td>
                                    <td>{pct(p.on_time_pct)}</td>
                                    <td>{p.overdue_now}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
            {q.quality.clone().map(|d| {
                let bars = vec![
                    (tr(lang, "Khớp CSDL dân cư", "Matches the registry").to_string(), d.matches as f64),
                    (tr(lang, "Chưa có số giấy tờ", "No ID number").to_string(), d.no_id as f64),
                    (tr(lang, "Số giấy tờ sai định dạng", "Malformed ID").to_string(), d.malformed as f64),
                    (tr(lang, "Số CCCD mâu thuẫn với hồ sơ", "ID contradicts the record").to_string(), d.id_contradicts as f64),
                    (tr(lang, "Không có trong CSDL dân cư", "Not in the registry").to_string(), d.not_in_registry as f64),
                    (tr(lang, "Họ tên/ngày sinh/giới tính khác", "Name/birth date/gender differ").to_string(), d.differs as f64),
                ];
                let weekly: Vec<(String, f64)> =
                    d.verified_per_week.iter().map(|(week, n)| (format!("{} {week}", tr(lang, "Tuần từ", "Week of")), *n as f64)).collect();
                view! {
                    <h2>{tr(lang, "Chất lượng dữ liệu (người cư trú trong khu vực)", "Data quality (people living in the area)")}</h2>
                    <p>{format!("{} {} · {} {}", d.total, tr(lang, "hồ sơ", "records"), pct(d.matches_pct), tr(lang, "khớp Cơ sở dữ liệu quốc gia về dân cư", "match the National Population Database"))}</p>
                    <BarChart title=tr(lang, "Số hồ sơ theo nhóm làm sạch", "Records by cleaning group").to_string() bars />
                    <h2>{tr(lang, "Tiến độ làm sạch", "Clean-up progress")}</h2>
                    <BarChart
                        title=tr(lang, "Số hồ sơ được xác minh khớp mỗi tuần", "Records verified per week").to_string()
                        bars=weekly
                    />
                    {(!d.stations.is_empty()).then(|| view! {
                        <div class="table-scroll">
                            <table>
                                <caption>{tr(lang, "Theo trạm y tế xã (người cư trú trong xã)", "Per commune station (residents of its commune)")}</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">{tr(lang, "Trạm y tế", "Station")}</th>
                                        <th scope="col">{tr(lang, "Còn cần làm sạch", "Left to clean")}</th>
                                        <th scope="col">{tr(lang, "Đã khớp", "Verified")}</th>
                                        <th scope="col">{tr(lang, "Xác minh trong 7 ngày qua", "Verified in the last 7 days")}</th>
                                        <th scope="col">{tr(lang, "Đang ở công an xã", "With the commune police")}</th>
                                        <th scope="col">{tr(lang, "Thay đổi trạng thái trong 7 ngày qua, theo nguồn", "Status changes in the last 7 days, by source")}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {d.stations.iter().map(|s| view! {
                                        <tr>
                                            <th scope="row">{s.name.clone()}</th>
                                            <td>{s.left}</td>
                                            <td>{s.verified}</td>
                                            <td>{s.verified_this_week}</td>
                                            <td>
                                                {match s.police_days {
                                                    Some(days) => format!("{} {} ({} {days} {})", s.with_police, tr(lang, "hồ sơ", "records"), tr(lang, "lô cũ nhất:", "oldest batch:"), tr(lang, "ngày", "days")),
                                                    None => "0".to_string(),
                                                }}
                                            </td>
                                            <td>
                                                {if s.changes_this_week.is_empty() {
                                                    "0".to_string()
                                                } else {
                                                    s.changes_this_week.iter().map(|(source, n)| format!("{}: {n}", source.label(lang))).collect::<Vec<_>>().join(" · ")
                                                }}
                                            </td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    })}
                }
            })}
            <p><a href=routes::NUMBERS>{tr(lang, "Số liệu toàn quốc", "National numbers")}</a></p>
        </Layout>
    }
    .into_any()
}
