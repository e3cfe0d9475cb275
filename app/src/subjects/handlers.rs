use super::{SubjectsPage, service};
use crate::platform::render::{attachment, render_page};
use crate::platform::submission::{SPREADSHEET_BYTES, Submission};
use crate::platform::{AppError, AppState};
use crate::police::handlers::DryRunQuery;
use crate::police::{DryRunPage, FileRefusal};
use crate::staff::handlers::SiteStaff;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;

pub async fn subjects_page(
    State(state): State<AppState>,
    SiteStaff { staff, site_id }: SiteStaff,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let view = service::view(&state, staff, site_id).await?;
    Ok(render_page(&state, &uri, &headers, StatusCode::OK, move || view! { <SubjectsPage view=view.clone() /> }).await)
}

pub async fn template(_: SiteStaff) -> Result<Response, AppError> {
    Ok(attachment("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "mau-nhap-doi-tuong.xlsx", service::template()?))
}

/// The file (`tep`): kept and shown as a dry run, or refused as a whole with the reason.
pub async fn upload_submit(
    State(state): State<AppState>,
    SiteStaff { staff, site_id }: SiteStaff,
    uri: Uri,
    headers: HeaderMap,
    form: Submission<SPREADSHEET_BYTES>,
) -> Result<Response, AppError> {
    let result = match form.files.into_iter().next() {
        None => Err(FileRefusal::NoFile),
        Some(file) if file.too_large => Err(FileRefusal::TooLarge),
        Some(file) => service::upload(&state, &staff, site_id, &file.file_name, file.bytes).await?,
    };
    match result {
        Ok(upload) => Ok(Redirect::to(&super::routes::dry_run(upload)).into_response()),
        Err(refusal) => {
            let mut view = service::view(&state, staff, site_id).await?;
            view.refused = Some(refusal);
            Ok(render_page(&state, &uri, &headers, StatusCode::UNPROCESSABLE_ENTITY, move || view! { <SubjectsPage view=view.clone() /> })
                .await)
        }
    }
}

pub async fn dry_run_page(
    State(state): State<AppState>,
    SiteStaff { staff, site_id }: SiteStaff,
    Path(upload): Path<i64>,
    uri: Uri,
    headers: HeaderMap,
    Query(query): Query<DryRunQuery>,
) -> Result<Response, AppError> {
    let run = service::dry_run(&state, staff, site_id, upload, query.shown()).await?.ok_or(AppError::NotFound)?;
    Ok(render_page(&state, &uri, &headers, StatusCode::OK, move || view! { <DryRunPage run=run.clone() /> }).await)
}

pub async fn apply_submit(
    State(state): State<AppState>,
    SiteStaff { staff, site_id }: SiteStaff,
    Path(upload): Path<i64>,
) -> Result<Response, AppError> {
    service::apply(&state, &staff, site_id, upload).await?.ok_or(AppError::NotFound)?;
    Ok(Redirect::to(&super::routes::dry_run(upload)).into_response())
}
