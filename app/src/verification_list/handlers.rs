use super::{Filter, VerificationListPage, service};
use crate::form_state::FormState;
use crate::platform::render::{attachment, render_page};
use crate::platform::{AppError, AppState};
use crate::staff::handlers::SiteStaff;
use crate::verification::{Source, Status};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use leptos::prelude::*;
use serde::Deserialize;

/// `?tu=&den=` (the period), `?nguon=` (a source's code), `?nhom=` (a status's code), `?truoc=`
/// (the page before this change).
#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default, rename = "tu")]
    from: String,
    #[serde(default, rename = "den")]
    to: String,
    #[serde(default, rename = "nguon")]
    source: String,
    #[serde(default, rename = "nhom")]
    group: String,
    #[serde(default, rename = "truoc")]
    before: String,
}

impl ListQuery {
    fn read(&self, state: &AppState, typed: &mut FormState) -> (Filter, Option<i64>) {
        let today = crate::vietnam::today(state.clock.now());
        let (from, to) = crate::supervision::handlers::read_period(&self.from, &self.to, today, typed);
        let filter = Filter { from, to, source: Source::from_code(self.source.trim()), group: Status::from_code(self.group.trim()) };
        (filter, self.before.trim().parse().ok())
    }
}

pub async fn list_page(
    State(state): State<AppState>,
    SiteStaff { staff, site_id }: SiteStaff,
    uri: Uri,
    headers: HeaderMap,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let mut typed = FormState::with_values([("tu", query.from.as_str()), ("den", query.to.as_str())]);
    let (filter, before) = query.read(&state, &mut typed);
    let list = service::list(&state, staff, site_id, filter, before).await?;
    let status = if typed.is_valid() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok(render_page(&state, &uri, &headers, status, move || {
        provide_context(typed.clone());
        view! { <VerificationListPage list=list.clone() /> }
    })
    .await)
}

/// The current view as Excel, every row.
pub async fn export_xlsx(
    State(state): State<AppState>,
    SiteStaff { staff, site_id }: SiteStaff,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let (filter, _) = query.read(&state, &mut FormState::default());
    let rows = service::changes(&state, site_id, &filter, None, super::EXPORT_ROWS).await?;
    let body = super::export::xlsx(&filter, &rows)?;
    let name = format!("danh-sach-xac-minh-{}-{}.xlsx", filter.from.format("%Y-%m-%d"), filter.to.format("%Y-%m-%d"));
    tracing::info!(target: "security", event = "export", staff = staff.id, file = %name, rows = rows.len(), "verification list exported");
    Ok(attachment("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &name, body))
}
