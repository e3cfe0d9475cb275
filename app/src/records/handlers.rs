use super::RecordPage;
use super::service::household_of;
use crate::platform::render::render_page;
use crate::platform::session::Citizen;
use crate::platform::{AppError, AppState};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use leptos::prelude::*;

/// The household's record page. Only for a signed-in citizen; never cached, it holds
/// personal data.
pub async fn record_page(
    State(state): State<AppState>,
    Citizen(citizen): Citizen,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let household = household_of(&state, citizen.person_id).await?;
    Ok(render_page(&state, &uri, &headers, StatusCode::OK, move || view! { <RecordPage household=household.clone() /> }).await)
}
