use super::audit::{self, EXPORT_ROWS, PAGE_ROWS};
use super::pages::{AuditPage, NumbersPage, SupervisedComplaintPage};
use super::{AuditFilter, AuditQuery, SupervisedComplaint, areas, export, numbers, routes};
use crate::complaints::service::{Loaded, load};
use crate::complaints::workflow;
use crate::domain::FieldError;
use crate::form_state::FormState;
use crate::layout::NotFoundPage;
use crate::platform::render::{attachment, render_page};
use crate::platform::submission::Submission;
use crate::platform::{AppError, AppState, ClientIp};
use crate::staff::StaffMember;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use leptos::prelude::*;
use serde::Deserialize;

/// The signed-in supervisor (or administrator), as a handler argument: without a session the
/// request is sent to sign in; signed in without supervision rights, it is answered 404.
pub struct Supervisor(pub StaffMember);

impl FromRequestParts<AppState> for Supervisor {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        match crate::staff::handlers::signed_in(state, &CookieJar::from_headers(&parts.headers)).await {
            Ok(Some(me)) if audit::scope_of(&me).is_some() => Ok(Supervisor(me)),
            Ok(Some(_)) => Err(AppError::NotFound.into_response()),
            Ok(None) => Err(Redirect::to(crate::staff::routes::SIGN_IN).into_response()),
            Err(e) => Err(e.into_response()),
        }
    }
}

/// A site search on a supervisor's complaint page (`?tinh=&tim=`).
#[derive(Deserialize, Default)]
pub struct SiteSearchQuery {
    #[serde(default, rename = "tinh")]
    province: String,
    #[serde(default, rename = "tim")]
    search: String,
}

/// The period and area of the numbers pages (`?khu-vuc=&tu=&den=`).
#[derive(Deserialize, Default)]
pub struct PeriodQuery {
    #[serde(default, rename = "khu-vuc")]
    area: String,
    #[serde(default, rename = "tu")]
    from: String,
    #[serde(default, rename = "den")]
    to: String,
}

pub async fn audit_page(
    State(state): State<AppState>,
    Supervisor(me): Supervisor,
    uri: Uri,
    headers: HeaderMap,
    Query(query): Query<AuditQuery>,
) -> Result<Response, AppError> {
    let view = audit::audit(&state, &me, AuditFilter::from_query(&query), PAGE_ROWS).await?.ok_or(AppError::NotFound)?;
    Ok(render_page(&state, &uri, &headers, StatusCode::OK, move || view! { <AuditPage view=view.clone() /> }).await)
}

/// The current view as CSV, every matching row.
pub async fn export_csv(
    State(state): State<AppState>,
    Supervisor(me): Supervisor,
    Query(query): Query<AuditQuery>,
) -> Result<Response, AppError> {
    let view = audit::audit(&state, &me, AuditFilter::from_query(&query), EXPORT_ROWS).await?.ok_or(AppError::NotFound)?;
    let body = export::csv(&view).into_bytes();
    Ok(download(&state, &me, &view, ("text/csv; charset=utf-8", "csv"), body))
}

/// The current view as an Excel workbook, every matching row.
pub async fn export_xlsx(
    State(state): State<AppState>,
    Supervisor(me): Supervisor,
    Query(query): Query<AuditQuery>,
) -> Result<Response, AppError> {
    let view = audit::audit(&state, &me, AuditFilter::from_query(&query), EXPORT_ROWS).await?.ok_or(AppError::NotFound)?;
    let body = export::xlsx(&view)?;
    Ok(download(&state, &me, &view, ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"), body))
}

/// An export as a file to keep, named by the day; logged as a security event.
fn download(
    state: &AppState,
    me: &StaffMember,
    view: &super::AuditView,
    (content_type, extension): (&str, &str),
    body: Vec<u8>,
) -> Response {
    let name = format!("phan-anh-qua-han-{}.{extension}", state.clock.now().format("%Y-%m-%d"));
    tracing::info!(target: "security", event = "export", supervisor = me.id, file = %name, rows = view.rows.len(), "overdue complaints exported");
    attachment(content_type, &name, body)
}

/// The complaint, if it is held by a site in the supervisor's area.
async fn in_area(state: &AppState, me: &StaffMember, reference: &str) -> Result<Option<Loaded>, AppError> {
    let Some(loaded) = load(state, reference).await? else {
        return Ok(None);
    };
    Ok(areas::covers(&state.db, me, loaded.site_id).await?.then_some(loaded))
}

async fn supervised(state: &AppState, me: &StaffMember, loaded: Loaded, search: (&str, &str)) -> Result<SupervisedComplaint, AppError> {
    let escalated = audit::escalated_at(state, loaded.id).await?;
    let mut reassign = crate::vaccination_sites::service::site_search(state, search.0, search.1, None).await?;
    reassign.results.retain(|s| s.id != loaded.site_id);
    Ok(SupervisedComplaint { me: me.clone(), complaint: loaded.view, escalated: escalated.is_some(), reassign })
}

pub async fn complaint_page(
    State(state): State<AppState>,
    Supervisor(me): Supervisor,
    Path(reference): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    Query(query): Query<SiteSearchQuery>,
) -> Result<Response, AppError> {
    let Some(loaded) = in_area(&state, &me, &reference).await? else {
        return Ok(render_page(&state, &uri, &headers, StatusCode::NOT_FOUND, || view! { <NotFoundPage /> }).await);
    };
    let view = supervised(&state, &me, loaded, (&query.province, &query.search)).await?;
    Ok(render_page(&state, &uri, &headers, StatusCode::OK, move || view! { <SupervisedComplaintPage sc=view.clone() /> }).await)
}

/// What follows a supervisor's action: done shows the complaint as it is now; refused shows
/// the page again as typed.
async fn after_action(
    state: &AppState,
    me: &StaffMember,
    (uri, headers): (&Uri, &HeaderMap),
    loaded: Loaded,
    form: &Submission,
    refused: Option<FormState>,
) -> Result<Response, AppError> {
    let Some(typed) = refused else {
        return Ok(Redirect::to(&routes::complaint(&loaded.view.reference)).into_response());
    };
    let mut view = supervised(state, me, loaded, (form.text("tinh"), form.text("tim"))).await?;
    if let Ok(id) = form.text("reassign_site").trim().parse::<i64>() {
        view.reassign.chosen = crate::vaccination_sites::service::choice(state, id).await?;
    }
    Ok(render_page(state, uri, headers, StatusCode::UNPROCESSABLE_ENTITY, move || {
        provide_context(typed.clone());
        view! { <SupervisedComplaintPage sc=view.clone() /> }
    })
    .await)
}

/// A note on the complaint's timeline, recorded with who wrote it.
pub async fn note(
    State(state): State<AppState>,
    Supervisor(me): Supervisor,
    Path(reference): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    form: Submission,
) -> Result<Response, AppError> {
    let loaded = in_area(&state, &me, &reference).await?.ok_or(AppError::NotFound)?;
    let mut typed = FormState::with_values(form.fields());
    let refused = match form.message("note", &mut typed) {
        Some(note) => {
            workflow::supervisor_note(&state, &me, loaded.id, &note).await?;
            None
        }
        None => Some(typed),
    };
    after_action(&state, &me, (&uri, &headers), loaded, &form, refused).await
}

/// Pass the complaint to any site, with a reason, recorded with who did it.
pub async fn pass_on(
    State(state): State<AppState>,
    Supervisor(me): Supervisor,
    Path(reference): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    form: Submission,
) -> Result<Response, AppError> {
    let loaded = in_area(&state, &me, &reference).await?.ok_or(AppError::NotFound)?;
    let mut typed = FormState::with_values(form.fields());
    let reason = form.message("reassign_reason", &mut typed);
    let site = form.text("reassign_site").trim().parse::<i64>().ok().filter(|s| *s != loaded.site_id);
    if site.is_none() {
        typed.reject("reassign_site", FieldError::ChooseSite);
    }
    let refused = match (site, reason) {
        (Some(site), Some(reason)) => {
            workflow::supervisor_reassign(&state, &me, loaded.id, loaded.site_id, &reference, site, &reason).await?;
            None
        }
        _ => Some(typed),
    };
    after_action(&state, &me, (&uri, &headers), loaded, &form, refused).await
}

/// A day typed as yyyy-mm-dd (the date input) or dd/mm/yyyy, within the campaign: from 2021
/// to a year after today (chrono reads years up to ±262142, whose next day overflows).
fn parse_day(input: &str, today: chrono::NaiveDate) -> Option<chrono::NaiveDate> {
    let s = input.trim();
    let first = chrono::NaiveDate::from_ymd_opt(2021, 1, 1)?;
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .ok()
        .filter(|d| *d >= first && *d <= today + chrono::Duration::days(366))
}

/// A period typed as `tu` and `den` (days, both included): the last 30 days when nothing is
/// typed; a day that cannot be read, or a period backwards or longer than a year, is refused
/// under its field's name in `typed` and the last 30 days are shown instead.
pub(crate) fn read_period(from: &str, to: &str, today: chrono::NaiveDate, typed: &mut FormState) -> (chrono::NaiveDate, chrono::NaiveDate) {
    let mut day = |name: &str, typed_value: &str, default: chrono::NaiveDate| match Some(typed_value.trim()).filter(|v| !v.is_empty()) {
        None => default,
        Some(v) => parse_day(v, today).unwrap_or_else(|| {
            typed.reject(name, FieldError::PeriodDate);
            default
        }),
    };
    let (from, to) = (day("tu", from, today - chrono::Duration::days(29)), day("den", to, today));
    if from > to || (to - from).num_days() > 366 {
        typed.reject("tu", FieldError::PeriodDate);
        return (today - chrono::Duration::days(29), today);
    }
    (from, to)
}

async fn numbers_for(
    state: &AppState,
    (uri, headers, client): (&Uri, &HeaderMap, &ClientIp),
    subject: numbers::Subject,
    query: &PeriodQuery,
) -> Result<Response, AppError> {
    if !state.limits.allow_numbers(&client.0) {
        return Err(AppError::TooManyRequests);
    }
    let today = crate::vietnam::today(state.clock.now());
    let mut typed = FormState::default();
    let (from, to) = read_period(&query.from, &query.to, today, &mut typed);
    let key = format!("{subject:?}|{from}|{to}");
    let page = state.numbers_cache.get_or_load(key, || numbers::page(state, subject, from, to)).await?.ok_or(AppError::NotFound)?;
    let status = if typed.is_valid() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok(render_page(state, uri, headers, status, move || {
        provide_context(typed.clone());
        view! { <NumbersPage q=page.clone() /> }
    })
    .await)
}

/// `/so-lieu[?khu-vuc=CODE][&tu=&den=]`: the country or an area. Public.
pub async fn numbers_page(
    State(state): State<AppState>,
    client: ClientIp,
    uri: Uri,
    headers: HeaderMap,
    Query(query): Query<PeriodQuery>,
) -> Result<Response, AppError> {
    let subject = match Some(query.area.trim()).filter(|v| !v.is_empty()) {
        // Unit codes are short (2021-P-031): a longer one names nothing and is not kept.
        Some(code) if code.len() > 16 => return Err(AppError::NotFound),
        Some(code) => numbers::Subject::Area(code.to_string()),
        None => numbers::Subject::Country,
    };
    numbers_for(&state, (&uri, &headers, &client), subject, &query).await
}

/// `/so-lieu/co-so/{id}`: one site. Public.
pub async fn site_numbers_page(
    State(state): State<AppState>,
    client: ClientIp,
    Path(site): Path<i64>,
    uri: Uri,
    headers: HeaderMap,
    Query(query): Query<PeriodQuery>,
) -> Result<Response, AppError> {
    numbers_for(&state, (&uri, &headers, &client), numbers::Subject::Site(site), &query).await
}
