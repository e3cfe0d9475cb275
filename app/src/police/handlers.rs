use super::{BatchPage, BatchesPage, DryRunPage, FileRefusal, service};
use crate::platform::render::{attachment, render_page};
use crate::platform::submission::{SPREADSHEET_BYTES, Submission};
use crate::platform::{AppError, AppState};
use crate::staff::handlers::SiteStaff;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;

pub async fn batches_page(
    State(state): State<AppState>,
    SiteStaff { staff, site_id }: SiteStaff,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let view = service::batches(&state, staff, site_id).await?;
    Ok(render_page(&state, &uri, &headers, StatusCode::OK, move || view! { <BatchesPage view=view.clone() /> }).await)
}

/// A new batch of the worklist's view: `nhom` (group code) and `tim` (search), as on the list.
pub async fn create_submit(
    State(state): State<AppState>,
    SiteStaff { staff, site_id }: SiteStaff,
    form: Submission,
) -> Result<Response, AppError> {
    let group = crate::worklist::Group::from_code(form.text("nhom").trim());
    let search: String = form.text("tim").trim().chars().take(60).collect();
    match service::create(&state, &staff, site_id, group, &search).await? {
        Some(id) => Ok(Redirect::to(&super::routes::batch(id)).into_response()),
        // Everything in this view is already with the police: their batches say so.
        None => Ok(Redirect::to(super::routes::BATCHES).into_response()),
    }
}

pub async fn batch_page(
    State(state): State<AppState>,
    SiteStaff { staff, site_id }: SiteStaff,
    Path(id): Path<i64>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let view = service::batch_view(&state, staff, site_id, id).await?.ok_or(AppError::NotFound)?;
    Ok(render_page(&state, &uri, &headers, StatusCode::OK, move || view! { <BatchPage view=view.clone() /> }).await)
}

pub async fn batch_file(
    State(state): State<AppState>,
    SiteStaff { staff, site_id }: SiteStaff,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (number, body) = service::file(&state, site_id, id).await?.ok_or(AppError::NotFound)?;
    let name = format!("lo-{number}-gui-cong-an.xlsx");
    tracing::info!(target: "security", event = "export", staff = staff.id, file = %name, "police batch downloaded");
    Ok(attachment("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &name, body))
}

/// The returned file (`tep`): kept and shown as a dry run, or refused as a whole with the reason.
pub async fn upload_submit(
    State(state): State<AppState>,
    SiteStaff { staff, site_id }: SiteStaff,
    Path(id): Path<i64>,
    uri: Uri,
    headers: HeaderMap,
    form: Submission<SPREADSHEET_BYTES>,
) -> Result<Response, AppError> {
    let mut view = service::batch_view(&state, staff.clone(), site_id, id).await?.ok_or(AppError::NotFound)?;
    let result = match form.files.into_iter().next() {
        None => Err(FileRefusal::NoFile),
        Some(file) if file.too_large => Err(FileRefusal::TooLarge),
        Some(file) => service::upload(&state, &staff, id, &file.file_name, file.bytes).await?,
    };
    match result {
        Ok(upload) => Ok(Redirect::to(&super::routes::dry_run(id, upload)).into_response()),
        Err(refusal) => {
            view.refused = Some(refusal);
            Ok(render_page(&state, &uri, &headers, StatusCode::UNPROCESSABLE_ENTITY, move || view! { <BatchPage view=view.clone() /> })
                .await)
        }
    }
}

/// `?xem=` (an outcome's code: the rows of that kind) and `?tu-dong=` (from that row on).
#[derive(serde::Deserialize, Default)]
pub struct DryRunQuery {
    #[serde(default, rename = "xem")]
    kind: String,
    #[serde(default, rename = "tu-dong")]
    offset: String,
}

impl DryRunQuery {
    pub fn shown(&self) -> super::planning::Shown {
        super::planning::Shown { kind: super::OutcomeKind::from_code(self.kind.trim()), offset: self.offset.trim().parse().unwrap_or(0) }
    }
}

pub async fn dry_run_page(
    State(state): State<AppState>,
    SiteStaff { staff, site_id }: SiteStaff,
    Path((id, upload)): Path<(i64, i64)>,
    uri: Uri,
    headers: HeaderMap,
    axum::extract::Query(query): axum::extract::Query<DryRunQuery>,
) -> Result<Response, AppError> {
    let shown = query.shown();
    let run = service::dry_run(&state, staff, site_id, (id, upload), shown).await?.ok_or(AppError::NotFound)?;
    Ok(render_page(&state, &uri, &headers, StatusCode::OK, move || view! { <DryRunPage run=run.clone() /> }).await)
}

pub async fn apply_submit(
    State(state): State<AppState>,
    SiteStaff { staff, site_id }: SiteStaff,
    Path((id, upload)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    service::apply(&state, &staff, site_id, id, upload).await?.ok_or(AppError::NotFound)?;
    Ok(Redirect::to(&super::routes::dry_run(id, upload)).into_response())
}
