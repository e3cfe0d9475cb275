use super::{BatchSummary, BatchView, BatchesView, DryRun, ImportOf, Outcome, OutcomeKind, routes};
use crate::i18n::{Lang, lang, tr};
use crate::layout::Layout;
use crate::staff::StaffRole;
use crate::staff::pages::StaffBar;
use leptos::prelude::*;

fn batch_state(b: &BatchSummary, lang: Lang) -> String {
    match &b.returned_at {
        Some(at) => format!("{} {at}", tr(lang, "Đã nhận lại", "Returned")),
        None => format!("{} ({} {})", tr(lang, "Đang ở công an xã", "With the commune police"), b.days_out, tr(lang, "ngày", "days")),
    }
}

/// The station's batches for the commune police.
#[component]
pub fn BatchesPage(view: BatchesView) -> impl IntoView {
    let lang = lang();
    view! {
        <Layout title=tr(lang, "Danh sách gửi công an xã", "Lists for the commune police")>
            <StaffBar name=view.staff.full_name.clone() site=view.staff.site_name.clone() manager=view.staff.role == StaffRole::SiteManager />
            <h1>{tr(lang, "Danh sách gửi công an xã xác minh", "Lists for the commune police to verify")}</h1>
            <p class="help">
                {tr(
                    lang,
                    "Tạo lô từ danh sách cần làm sạch (nút \"Gửi công an xã\"), tải tệp Excel, in và gửi công an xã. Khi nhận lại tệp đã điền, tải lên ở trang của lô: cổng cho xem trước từng dòng rồi mới cập nhật.",
                    "Make a batch from the worklist (\"Send to the commune police\"), download the Excel file, print it and send it. When the filled file comes back, upload it on the batch's page: every row is shown before anything changes.",
                )}
            </p>
            {if view.batches.is_empty() {
                view! { <p>{tr(lang, "Chưa có lô nào.", "No batch yet.")}</p> }.into_any()
            } else {
                view! {
                    <table class="changes">
                        <thead>
                            <tr>
                                <th scope="col">{tr(lang, "Lô", "Batch")}</th>
                                <th scope="col">{tr(lang, "Ngày lập", "Made")}</th>
                                <th scope="col">{tr(lang, "Số hồ sơ", "Records")}</th>
                                <th scope="col">{tr(lang, "Tình trạng", "State")}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {view.batches.iter().map(|b| view! {
                                <tr>
                                    <th scope="row"><a href=routes::batch(b.id)>{format!("{} {}", tr(lang, "Lô số", "Batch"), b.number)}</a></th>
                                    <td>{format!("{} · {}", b.created_at, b.created_by)}</td>
                                    <td>{b.rows}</td>
                                    <td>{batch_state(b, lang)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <p><a href=crate::worklist::routes::WORKLIST>{tr(lang, "Về danh sách cần làm sạch", "Back to the worklist")}</a></p>
        </Layout>
    }
}

/// One batch: its file, the upload form, and the files uploaded so far.
#[component]
pub fn BatchPage(view: BatchView) -> impl IntoView {
    let lang = lang();
    let b = view.batch.clone();
    let refused = view.refused.map(|r| r.label(lang));
    view! {
        <Layout title=tr(lang, "Lô gửi công an xã", "Batch for the commune police")>
            <StaffBar name=view.staff.full_name.clone() site=view.staff.site_name.clone() manager=view.staff.role == StaffRole::SiteManager />
            <h1>{format!("{} {}", tr(lang, "Lô gửi công an xã số", "Batch for the commune police no."), b.number)}</h1>
            <p>{format!("{} {} · {} {} · {}", b.rows, tr(lang, "hồ sơ", "records"), tr(lang, "lập", "made"), b.created_at, b.created_by)}</p>
            <p class="status">{batch_state(&b, lang)}</p>
            <p><a href=routes::batch_file(b.id) class="button secondary">{tr(lang, "Tải danh sách để in (Excel)", "Download the list to print (Excel)")}</a></p>
            <h2>{tr(lang, "Nhập tệp công an đã điền", "Import the file the police filled in")}</h2>
            <form method="post" action=routes::upload(b.id) enctype="multipart/form-data" novalidate=true class="stack">
                <div class="field">
                    <label for="tep">{tr(lang, "Tệp Excel (.xlsx) đã điền", "The filled Excel file (.xlsx)")}</label>
                    <input type="file" id="tep" name="tep" accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" aria-describedby="tep-msg" aria-invalid=refused.is_some().to_string() />
                    <p id="tep-msg" class="field-error" role="alert">{refused}</p>
                </div>
                <p class="help">{tr(lang, "Chưa có gì thay đổi khi tải lên: trang sau cho xem trước từng dòng. Tệp tối đa 32 MB và 200.000 dòng.", "Uploading changes nothing: the next page shows every row first. At most 32 MB and 200,000 rows a file.")}</p>
                <button type="submit" class="button">{tr(lang, "Tải lên và xem trước", "Upload and preview")}</button>
            </form>
            <Uploads uploads=view.uploads.clone() of=ImportOf::Batch { id: b.id, number: b.number } />
            <p><a href=routes::BATCHES>{tr(lang, "Tất cả các lô", "All batches")}</a></p>
        </Layout>
    }
}

/// The files uploaded for a batch or a site's subject import, each with its dry run and whether
/// it was applied.
#[component]
pub fn Uploads(uploads: Vec<super::UploadSummary>, of: ImportOf) -> impl IntoView {
    let lang = lang();
    (!uploads.is_empty()).then(|| {
        view! {
            <h2>{tr(lang, "Các tệp đã tải lên", "Files uploaded")}</h2>
            <ul>
                {uploads.iter().map(|u| view! {
                    <li>
                        <a href=of.dry_run(u.id, None, 0)>{u.file_name.clone()}</a>
                        {format!(" · {} · {}", u.uploaded_at, u.uploaded_by)}
                        {match (&u.applied_at, u.changed) {
                            (Some(at), Some(n)) => format!(" · {} {at}: {n} {}", tr(lang, "đã cập nhật", "applied"), tr(lang, "hồ sơ thay đổi", "records changed")),
                            _ => format!(" · {}", tr(lang, "chưa cập nhật", "not applied")),
                        }}
                    </li>
                }).collect_view()}
            </ul>
        }
    })
}

/// Every row's outcome before anything changes, and the button that applies it.
#[component]
pub fn DryRunPage(run: DryRun) -> impl IntoView {
    let lang = lang();
    let of = run.of;
    let [updates, unchanged, refused] = run.counts;
    let applied = run.upload.applied_at.clone();
    let (upload_id, kind) = (run.upload.id, run.kind);
    let next = run.next.map(|offset| of.dry_run(upload_id, kind, offset));
    let (back, back_label) = of.back(lang);
    view! {
        <Layout title=tr(lang, "Xem trước khi cập nhật", "Preview before applying")>
            <StaffBar name=run.staff.full_name.clone() site=run.staff.site_name.clone() manager=run.staff.role == StaffRole::SiteManager />
            <h1>{format!("{} · {}", of.title(lang), run.upload.file_name)}</h1>
            {match (&applied, run.upload.changed) {
                (Some(at), Some(n)) => view! {
                    <p class="status status-ok" role="status">
                        {format!("{} {at}: {n} {}", tr(lang, "Đã cập nhật lúc", "Applied at"), tr(lang, "hồ sơ thay đổi và được đối chiếu lại.", "records changed and were checked again."))}
                    </p>
                }.into_any(),
                _ => ().into_any(),
            }}
            {run.applied_before.clone().filter(|_| applied.is_none()).map(|at| view! {
                <p class="status">{format!("{} {at}. {}", tr(lang, "Tệp này đã được cập nhật lúc", "This file was applied at"), tr(lang, "Cập nhật lại sẽ không thay đổi gì.", "Applying it again changes nothing."))}</p>
            })}
            <nav aria-label=tr(lang, "Kết quả", "Outcomes")>
                <ul class="filters">
                    <li>
                        <a href=of.dry_run(upload_id, None, 0) aria-current=kind.is_none().then_some("page")>
                            {format!("{} ({})", tr(lang, "Mọi dòng", "Every row"), updates + unchanged + refused)}
                        </a>
                    </li>
                    {OutcomeKind::ALL.into_iter().zip(run.counts).map(|(k, n)| view! {
                        <li>
                            <a href=of.dry_run(upload_id, Some(k), 0) aria-current=(kind == Some(k)).then_some("page")>
                                {format!("{n} {}", k.label(lang))}
                            </a>
                        </li>
                    }).collect_view()}
                </ul>
            </nav>
            <div class="table-scroll" tabindex="0" role="region" aria-label=tr(lang, "Từng dòng", "Every row")>
                <table class="changes">
                    <thead>
                        <tr>
                            <th scope="col">{tr(lang, "Dòng", "Row")}</th>
                            <th scope="col">{tr(lang, "STT", "No.")}</th>
                            <th scope="col">{tr(lang, "Họ và tên", "Full name")}</th>
                            <th scope="col">{tr(lang, "Kết quả", "Outcome")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {run.rows.iter().map(|r| {
                            let outcome = match &r.outcome {
                                Outcome::Update(changes) => view! {
                                    <ul>
                                        {changes.iter().map(|c| view! {
                                            <li>{format!("{}: {} → {}", c.field.label(lang), if c.before.is_empty() { tr(lang, "(trống)", "(empty)").to_string() } else { c.before.clone() }, c.after)}</li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any(),
                                Outcome::NoChange => view! { <span>{tr(lang, "Không thay đổi", "No change")}</span> }.into_any(),
                                Outcome::Refused(why) => view! {
                                    <span class="field-error">{format!("{}: {}", tr(lang, "Từ chối", "Refused"), why.label(lang))}</span>
                                    {(!r.candidates.is_empty()).then(|| view! { <ul>{r.candidates.iter().map(|c| view! { <li>{c.clone()}</li> }).collect_view()}</ul> })}
                                }.into_any(),
                            };
                            view! {
                                <tr>
                                    <td>{r.sheet_row}</td>
                                    <td>{r.line.map(|l| l.to_string()).unwrap_or_default()}</td>
                                    <th scope="row">{r.full_name.clone()}</th>
                                    <td>
                                        {outcome}
                                        {r.police_note.clone().map(|n| view! { <p class="help">{format!("{}: {n}", if matches!(of, ImportOf::Subjects) { tr(lang, "Ghi chú", "Note") } else { tr(lang, "Ghi chú của công an", "Police note") })}</p> })}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {next.map(|href| view! { <p><a href=href>{tr(lang, "Các dòng tiếp theo", "Next rows")}</a></p> })}
            {applied.is_none().then(|| view! {
                <form method="post" action=of.apply(upload_id) class="stack">
                    <p class="help">{tr(lang, "Cập nhật các dòng trên cùng một lúc; mọi thay đổi được ghi lại với lô này và hồ sơ được đối chiếu lại. Dòng bị từ chối không thay đổi gì.", "Applies the rows above at once; every change is recorded with this batch and the records are checked again. Refused rows change nothing.")}</p>
                    <button type="submit" class="button">{format!("{} ({updates})", tr(lang, "Cập nhật hồ sơ", "Apply"))}</button>
                </form>
            })}
            <p><a href=back>{back_label}</a></p>
        </Layout>
    }
}
