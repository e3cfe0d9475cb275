use super::{WorklistPage, service};
use crate::platform::render::render_page;
use crate::platform::{AppError, AppState};
use crate::staff::handlers::Staff;
use crate::verification::Status;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
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

pub async fn worklist_page(
    State(state): State<AppState>,
    Staff(staff): Staff,
    uri: Uri,
    headers: HeaderMap,
    Query(query): Query<WorklistQuery>,
) -> Result<Response, AppError> {
    // Supervisors and administrators hold no site: their view is the numbers of their area.
    let Some(site_id) = staff.site_id else {
        return Err(AppError::NotFound);
    };
    let group = Status::from_code(query.group.trim()).filter(|s| *s != Status::Verified);
    let search: String = query.search.trim().chars().take(60).collect();
    let after = query.after.trim().parse().ok();
    let list = service::worklist(&state, staff, site_id, group, &search, after).await?;
    Ok(render_page(&state, &uri, &headers, StatusCode::OK, move || view! { <WorklistPage list=list.clone() /> }).await)
}
