use super::draft::ComplaintDraft;
use super::evidence;
use super::{AnswerForm, ComplaintFormData, ComplaintKind, workflow};
use super::{NewComplaintPage, TrackingPage};
use super::{routes, service};
use crate::domain::FieldError;
use crate::form_state::FormState;
use crate::layout::NotFoundPage;
use crate::platform::form_guard::{is_issued_form_key, issue_form_key};
use crate::platform::render::render_page;
use crate::platform::session::{self, Citizen};
use crate::platform::shared_limits::{self, Bucket};
use crate::platform::submission::Submission;
use crate::platform::{AppError, AppState};
use crate::records::PersonView;
use crate::records::service::{in_household, person_of};
use crate::vaccination_sites::service as sites;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use leptos::prelude::*;
use serde::Deserialize;

/// The new-complaint page. `loai=missing_dose` shows the missing-dose form with its site
/// search; the search button submits the form by GET, so what was typed comes back.
#[derive(Deserialize, Default, Clone)]
pub struct NewQuery {
    #[serde(default, rename = "nguoi")]
    person: String,
    #[serde(default, rename = "loai")]
    kind: String,
    #[serde(default, rename = "tinh")]
    province: String,
    #[serde(default, rename = "tim")]
    search: String,
    #[serde(default)]
    site: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    dose_kind: String,
    #[serde(default)]
    given_on: String,
    #[serde(default)]
    product_code: String,
    #[serde(default)]
    lot: String,
    #[serde(default)]
    description: String,
}

/// The person the form is about (`person`, as the form sends it), if they are in the
/// signed-in citizen's household; anyone else is answered as a person that does not exist.
async fn person_in_reach(state: &AppState, me: i64, person: &str) -> Result<PersonView, AppError> {
    let person_id: i64 = person.trim().parse().map_err(|_| AppError::NotFound)?;
    person_of(state, me, person_id).await?.ok_or(AppError::NotFound)
}

/// The form's data about `person`: the product list and, for a missing dose, the site search
/// (the files kept under its key are read only to show the form again: `evidence::pending`).
async fn form_data(
    state: &AppState,
    person: PersonView,
    key: String,
    missing: Option<(&str, &str, &str)>,
) -> Result<ComplaintFormData, AppError> {
    let site_search = match missing {
        Some((province, query, chosen)) => Some(sites::site_search(state, province, query, chosen.trim().parse().ok()).await?),
        None => None,
    };
    Ok(ComplaintFormData { person, evidence: Vec::new(), key, products: sites::products(state).await?, site_search })
}

fn valid_key(state: &AppState, person: i64, key: &str) -> bool {
    is_issued_form_key(&state.settings.secret, person, key)
}

fn new_key(state: &AppState, person: i64) -> String {
    issue_form_key(&state.settings.secret, person)
}

/// Whether this citizen may file one more complaint (when `filing`) and send `files` more
/// files now; if so, the files are counted (a complaint is counted as it is filed, in its
/// transaction). Shared by every server (README, "Security").
async fn within_quota(state: &AppState, person: i64, filing: bool, files: usize) -> Result<bool, AppError> {
    let key = person.to_string();
    let files = files as i64;
    let uploads = [(Bucket::UploadsPerHour, files), (Bucket::UploadsPerDay, files)];
    let mut wanted = uploads.to_vec();
    if filing {
        wanted.extend([(Bucket::ComplaintsPerHour, 1), (Bucket::ComplaintsPerDay, 1)]);
    }
    if !shared_limits::room_for(state, &key, &wanted).await? {
        tracing::warn!(target: "security", event = "citizen_quota", person, "complaint or upload quota reached");
        return Ok(false);
    }
    if files > 0 {
        shared_limits::record_in(state.db.write(), state, &key, &uploads).await?;
    }
    Ok(true)
}

pub async fn new_page(
    State(state): State<AppState>,
    Citizen(me): Citizen,
    uri: Uri,
    headers: HeaderMap,
    Query(query): Query<NewQuery>,
) -> Result<Response, AppError> {
    let key = if valid_key(&state, me.person_id, &query.key) { query.key.clone() } else { new_key(&state, me.person_id) };
    let missing = query.kind == ComplaintKind::MissingDose.code();
    let search = missing.then_some((query.province.as_str(), query.search.as_str(), query.site.as_str()));
    let person = person_in_reach(&state, me.person_id, &query.person).await?;
    let mut data = form_data(&state, person, key, search).await?;
    data.evidence = evidence::pending(&state, &data.key, me.person_id).await?;
    let typed = if missing {
        FormState::with_values([
            ("kind", ComplaintKind::MissingDose.code()),
            ("dose_kind", query.dose_kind.as_str()),
            ("given_on", query.given_on.as_str()),
            ("product_code", query.product_code.as_str()),
            ("lot", query.lot.as_str()),
            ("description", query.description.as_str()),
        ])
    } else {
        FormState::with_values([("kind", ComplaintKind::suggested_by(&data.person.findings).code())])
    };
    Ok(render_page(&state, &uri, &headers, StatusCode::OK, move || {
        provide_context(typed.clone());
        view! { <NewComplaintPage data=data.clone() /> }
    })
    .await)
}

/// The fields the handler reads itself: whom the form is about, its key, the site search.
#[derive(Deserialize)]
pub struct ComplaintForm {
    #[serde(default)]
    person: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    site: String,
    #[serde(default, rename = "tinh")]
    province: String,
    #[serde(default, rename = "tim")]
    search: String,
}

pub async fn submit(
    State(state): State<AppState>,
    Citizen(me): Citizen,
    uri: Uri,
    headers: HeaderMap,
    submission: Submission,
) -> Result<Response, AppError> {
    let form: ComplaintForm = submission.parse()?;
    // Someone outside the household is answered as a person that does not exist, whatever
    // else the form holds; the key must be one this server issued to this citizen.
    let person = person_in_reach(&state, me.person_id, &form.person).await?;
    if !valid_key(&state, me.person_id, &form.key) {
        return Err(AppError::BadRequest);
    }
    let missing = form.kind == ComplaintKind::MissingDose.code();
    let search = missing.then_some((form.province.as_str(), form.search.as_str(), form.site.as_str()));
    let mut typed = FormState::with_values(submission.fields());
    if !within_quota(&state, me.person_id, true, submission.files.len()).await? {
        typed.reject("kind", FieldError::TooManySubmissions);
    // Files first: whatever else is refused, an acceptable file is kept for the next try.
    } else if let Some(problem) = evidence::keep(&state, &form.key, me.person_id, &submission.files).await? {
        typed.reject("evidence", problem);
    }
    let mut data = form_data(&state, person, form.key.clone(), search).await?;
    let today = crate::vietnam::today(state.clock.now());
    let draft = match ComplaintDraft::parse(&submission, &data, today, typed) {
        Ok(draft) => draft,
        Err(typed) => {
            data.evidence = evidence::pending(&state, &form.key, me.person_id).await?;
            return Ok(render_page(&state, &uri, &headers, StatusCode::UNPROCESSABLE_ENTITY, move || {
                provide_context(typed.clone());
                view! { <NewComplaintPage data=data.clone() /> }
            })
            .await);
        }
    };
    // Keep the key the form was rendered with, so a resubmission stays one complaint.
    let reference = service::file(&state, me.person_id, draft.into_complaint(data.person.id, data.key.clone())).await?;
    Ok(Redirect::to(&routes::tracking(&reference)).into_response())
}

pub async fn tracking_page(
    State(state): State<AppState>,
    Citizen(me): Citizen,
    Path(reference): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let Some(view) = service::for_citizen(&state, me.person_id, &reference).await? else {
        return Ok(render_page(&state, &uri, &headers, StatusCode::NOT_FOUND, || view! { <NotFoundPage /> }).await);
    };
    let answer = AnswerForm { key: new_key(&state, me.person_id), pending: Vec::new() };
    Ok(render_page(&state, &uri, &headers, StatusCode::OK, move || view! { <TrackingPage c=view.clone() answer=answer.clone() /> }).await)
}

/// The complaint `reference` if it concerns someone in the citizen's household; otherwise it
/// does not exist for them.
async fn household_complaint(state: &AppState, me: i64, reference: &str) -> Result<service::Loaded, AppError> {
    let loaded = service::load(state, reference).await?.ok_or(AppError::NotFound)?;
    if !in_household(state, me, loaded.person_id).await? {
        return Err(AppError::NotFound);
    }
    Ok(loaded)
}

/// What follows a citizen's action: done (or no longer possible: already answered, window
/// closed) shows the complaint as it is now; refused shows the page again with what was typed.
async fn after_action(
    state: &AppState,
    (me, uri, headers): (i64, &Uri, &HeaderMap),
    loaded: service::Loaded,
    typed: Option<FormState>,
    key: String,
) -> Result<Response, AppError> {
    let Some(typed) = typed else {
        return Ok(Redirect::to(&routes::tracking(&loaded.view.reference)).into_response());
    };
    let view = loaded.view;
    let issued = valid_key(state, me, &key);
    let pending = if issued { evidence::pending(state, &key, me).await? } else { Vec::new() };
    let answer = AnswerForm { key: if issued { key } else { new_key(state, me) }, pending };
    Ok(render_page(state, uri, headers, StatusCode::UNPROCESSABLE_ENTITY, move || {
        provide_context(typed.clone());
        view! { <TrackingPage c=view.clone() answer=answer.clone() /> }
    })
    .await)
}

/// The citizen answers the site's request for information, with files.
pub async fn answer(
    State(state): State<AppState>,
    Citizen(me): Citizen,
    Path(reference): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    submission: Submission,
) -> Result<Response, AppError> {
    let loaded = household_complaint(&state, me.person_id, &reference).await?;
    let key = submission.text("key").to_string();
    if !valid_key(&state, me.person_id, &key) {
        return Err(AppError::BadRequest);
    }
    let mut typed = FormState::with_values(submission.fields());
    let message = submission.message("answer_message", &mut typed);
    if !within_quota(&state, me.person_id, false, submission.files.len()).await? {
        typed.reject("evidence", FieldError::TooManySubmissions);
    } else if let Some(problem) = evidence::keep(&state, &key, me.person_id, &submission.files).await? {
        typed.reject("evidence", problem);
    }
    let refused = match message {
        Some(m) if typed.is_valid() => {
            workflow::answer(&state, loaded.id, &m, Some(&key), me.person_id).await?;
            None
        }
        _ => Some(typed),
    };
    after_action(&state, (me.person_id, &uri, &headers), loaded, refused, key).await
}

/// The citizen confirms the correction.
pub async fn confirm(
    State(state): State<AppState>,
    Citizen(me): Citizen,
    Path(reference): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let loaded = household_complaint(&state, me.person_id, &reference).await?;
    workflow::confirm(&state, loaded.id).await?;
    after_action(&state, (me.person_id, &uri, &headers), loaded, None, String::new()).await
}

/// The citizen reopens a corrected or rejected complaint, with a reason.
pub async fn reopen(
    State(state): State<AppState>,
    Citizen(me): Citizen,
    Path(reference): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    submission: Submission,
) -> Result<Response, AppError> {
    let loaded = household_complaint(&state, me.person_id, &reference).await?;
    let mut typed = FormState::with_values(submission.fields());
    let refused = match submission.message("reopen_reason", &mut typed) {
        Some(reason) => {
            workflow::reopen(&state, loaded.id, &reason).await?;
            None
        }
        None => Some(typed),
    };
    let key = submission.text("key").to_string();
    after_action(&state, (me.person_id, &uri, &headers), loaded, refused, key).await
}

/// An evidence file of a complaint about someone in the citizen's household.
pub async fn evidence_file(
    State(state): State<AppState>,
    Path((reference, token)): Path<(String, String)>,
    jar: CookieJar,
) -> Result<Response, AppError> {
    let Some(me) = session::current(&state, &jar).await? else {
        return Err(AppError::NotFound);
    };
    let Some(loaded) = service::load(&state, &reference).await? else {
        return Err(AppError::NotFound);
    };
    if !in_household(&state, me.person_id, loaded.person_id).await? {
        return Err(AppError::NotFound);
    }
    let (content_type, name, bytes) = evidence::content(&state, loaded.id, &token).await?.ok_or(AppError::NotFound)?;
    Ok(evidence::response(content_type, name, bytes))
}
