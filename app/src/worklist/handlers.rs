use super::{MergePage, StationRecordPage, WorklistPage, service};
use crate::complaints::{ChangeField, parse_changes};
use crate::domain::FieldError;
use crate::form_state::FormState;
use crate::platform::render::{attachment, render_page};
use crate::platform::shared_limits::{self, Bucket};
use crate::platform::submission::Submission;
use crate::platform::{AppError, AppState};
use crate::staff::handlers::SiteStaff;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;
use serde::Deserialize;

/// `?nhom=` (a group's code), `?tim=` (a name or ID number), `?sau=` (the page after this id).
#[derive(Deserialize, Default)]
pub struct WorklistQuery {
    #[serde(default, rename = "nhom")]
    group: String,
    #[serde(default, rename = "tim")]
    search: String,
    #[serde(default, rename = "sau")]
    after: String,
}

impl WorklistQuery {
    fn read(&self) -> (Option<super::Group>, String, Option<i64>) {
        let group = super::Group::from_code(self.group.trim());
        (group, self.search.trim().chars().take(60).collect(), self.after.trim().parse().ok())
    }
}

/// The current view (group and search) as an Excel file with every row.
pub async fn export_xlsx(
    State(state): State<AppState>,
    SiteStaff { staff, site_id }: SiteStaff,
    Query(query): Query<WorklistQuery>,
) -> Result<Response, AppError> {
    let (group, search, _) = query.read();
    let rows = service::rows(&state, site_id, group, &search, None, super::EXPORT_ROWS).await?;
    let body = super::export::xlsx(&rows)?;
    let name = format!("can-lam-sach-{}.xlsx", state.clock.now().format("%Y-%m-%d"));
    tracing::info!(target: "security", event = "export", staff = staff.id, file = %name, rows = rows.len(), "worklist exported");
    Ok(attachment("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &name, body))
}

pub async fn worklist_page(
    State(state): State<AppState>,
    SiteStaff { staff, site_id }: SiteStaff,
    uri: Uri,
    headers: HeaderMap,
    Query(query): Query<WorklistQuery>,
) -> Result<Response, AppError> {
    let (group, search, after) = query.read();
    let list = service::worklist(&state, staff, site_id, group, &search, after).await?;
    Ok(render_page(&state, &uri, &headers, StatusCode::OK, move || view! { <WorklistPage list=list.clone() /> }).await)
}

/// One record of the list, for the site's staff: recorded beside registry values, the verdict,
/// the doses, and the form to edit it.
pub async fn record_page(
    State(state): State<AppState>,
    SiteStaff { staff, site_id }: SiteStaff,
    Path(id): Path<i64>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    within_allowance(&state, &staff, Bucket::RecordViews).await?;
    let record = service::record_for(&state, staff, site_id, id).await?.ok_or(AppError::NotFound)?;
    Ok(render_page(&state, &uri, &headers, StatusCode::OK, move || view! { <StationRecordPage record=record.clone() /> }).await)
}

/// Counts one more record opened (or edited) by this staff account, across servers; past the
/// hour's allowance the request is refused and a security event logged.
async fn within_allowance(state: &AppState, staff: &crate::staff::StaffMember, bucket: Bucket) -> Result<(), AppError> {
    if shared_limits::take(state, bucket, &staff.id.to_string()).await? {
        return Ok(());
    }
    tracing::warn!(target: "security", event = "record_allowance_spent", staff = staff.id, bucket = ?bucket, "a staff account opened or edited too many records");
    Err(AppError::TooManyRequests)
}

/// The record page again with what was typed and why it was refused.
async fn refused(state: &AppState, uri: &Uri, headers: &HeaderMap, record: super::StationRecord, typed: FormState) -> Response {
    render_page(state, uri, headers, StatusCode::UNPROCESSABLE_ENTITY, move || {
        provide_context(typed.clone());
        view! { <StationRecordPage record=record.clone() /> }
    })
    .await
}

/// The station's direct edit: empty fields stay as they are.
pub async fn edit_submit(
    State(state): State<AppState>,
    SiteStaff { staff, site_id }: SiteStaff,
    Path(id): Path<i64>,
    uri: Uri,
    headers: HeaderMap,
    form: Submission,
) -> Result<Response, AppError> {
    within_allowance(&state, &staff, Bucket::RecordEdits).await?;
    let record = service::record_for(&state, staff.clone(), site_id, id).await?.ok_or(AppError::NotFound)?;
    let mut typed = FormState::with_values(form.fields());
    let today = crate::vietnam::today(state.clock.now());
    let inputs = ChangeField::PERSONAL.map(|f| (f, form.text(f.code())));
    let changes = parse_changes(inputs, today, &mut typed);
    if changes.is_empty() && typed.is_valid() {
        typed.reject("changes", FieldError::NothingToChange);
    }
    if !typed.is_valid() {
        return Ok(refused(&state, &uri, &headers, record, typed).await);
    }
    // An ID another record carries: the two may be one person, shown side by side to merge.
    let done = match service::edit(&state, &staff, id, &changes).await? {
        service::Confirmed::HeldBy(other) => super::routes::merge(id, other),
        _ => super::routes::record(id),
    };
    Ok(Redirect::to(&done).into_response())
}

/// The station confirms a registry candidate (`so`: its ID number). When another record already
/// carries that number the two are one person split: the merge screen opens.
pub async fn confirm_submit(
    State(state): State<AppState>,
    SiteStaff { staff, site_id }: SiteStaff,
    Path(id): Path<i64>,
    uri: Uri,
    headers: HeaderMap,
    form: Submission,
) -> Result<Response, AppError> {
    let record = service::record_for(&state, staff.clone(), site_id, id).await?.ok_or(AppError::NotFound)?;
    match service::confirm(&state, &staff, (site_id, id), form.text("so").trim()).await? {
        service::Confirmed::Done => Ok(Redirect::to(&super::routes::record(id)).into_response()),
        service::Confirmed::HeldBy(other) => Ok(Redirect::to(&super::routes::merge(id, other)).into_response()),
        service::Confirmed::NotACandidate => {
            let mut typed = FormState::default();
            typed.reject("candidates", FieldError::NotACandidate);
            Ok(refused(&state, &uri, &headers, record, typed).await)
        }
    }
}

/// "Checked with the village team", with the team's note (`ghi_chu`).
pub async fn check_submit(
    State(state): State<AppState>,
    SiteStaff { staff, site_id }: SiteStaff,
    Path(id): Path<i64>,
    uri: Uri,
    headers: HeaderMap,
    form: Submission,
) -> Result<Response, AppError> {
    let record = service::record_for(&state, staff.clone(), site_id, id).await?.ok_or(AppError::NotFound)?;
    match crate::domain::ComplaintText::parse(form.text("ghi_chu")) {
        Ok(note) => {
            service::village_check(&state, &staff, id, note.as_str()).await?;
            Ok(Redirect::to(&super::routes::record(id)).into_response())
        }
        Err(e) => {
            let mut typed = FormState::with_values(form.fields());
            typed.reject("ghi_chu", e);
            Ok(refused(&state, &uri, &headers, record, typed).await)
        }
    }
}

/// Two records side by side.
pub async fn merge_page(
    State(state): State<AppState>,
    SiteStaff { staff, site_id }: SiteStaff,
    Path((id, other)): Path<(i64, i64)>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let merge = super::merge::view(&state, staff, site_id, id, other).await?.ok_or(AppError::NotFound)?;
    Ok(render_page(&state, &uri, &headers, StatusCode::OK, move || view! { <MergePage merge=merge.clone() /> }).await)
}

/// Merges the pair; `giu` names the record kept (one of the two).
pub async fn merge_submit(
    State(state): State<AppState>,
    SiteStaff { staff, site_id }: SiteStaff,
    Path((id, other)): Path<(i64, i64)>,
    uri: Uri,
    headers: HeaderMap,
    form: Submission,
) -> Result<Response, AppError> {
    let keep: i64 = form.text("giu").trim().parse().map_err(|_| AppError::NotFound)?;
    let retire = match keep {
        k if k == id => other,
        k if k == other => id,
        _ => return Err(AppError::NotFound),
    };
    if !super::merge::merge(&state, &staff, site_id, keep, retire).await? {
        // Both on the list but not proposed as one person: the page again, saying why.
        let merge = super::merge::view(&state, staff, site_id, id, other).await?.ok_or(AppError::NotFound)?;
        return Ok(render_page(
            &state,
            &uri,
            &headers,
            StatusCode::UNPROCESSABLE_ENTITY,
            move || view! { <MergePage merge=merge.clone() /> },
        )
        .await);
    }
    Ok(Redirect::to(&super::routes::record(keep)).into_response())
}

/// The pair is two people: not proposed again.
pub async fn not_same_submit(
    State(state): State<AppState>,
    SiteStaff { staff, site_id }: SiteStaff,
    Path((id, other)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    if !super::merge::not_same(&state, &staff, site_id, id, other).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&super::routes::record(id)).into_response())
}
