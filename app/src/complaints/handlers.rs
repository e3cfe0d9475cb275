use super::service::{self, NewComplaint};
use super::{ChangeField, ComplaintFormData, ComplaintKind, gender_shown, parse_changes};
use crate::domain::{ComplaintText, FieldError};
use crate::forms::FormState;
use crate::platform::forms::check_origin;
use crate::platform::render::{no_store, render_page};
use crate::platform::session::{self, random_token};
use crate::platform::{AppError, AppState};
use crate::records::service::household_of;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use leptos::prelude::provide_context;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct NewQuery {
    #[serde(default)]
    nguoi: String,
}

/// The person the form is about, if they are in the signed-in citizen's household.
async fn form_data(state: &AppState, me: i64, person: &str) -> Result<ComplaintFormData, AppError> {
    let person_id: i64 = person.trim().parse().map_err(|_| AppError::NotFound)?;
    let household = household_of(state, me).await?;
    let person = household.people.into_iter().find(|p| p.id == person_id).ok_or(AppError::NotFound)?;
    Ok(ComplaintFormData { person, key: random_token() })
}

pub async fn new_page(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    jar: CookieJar,
    Query(query): Query<NewQuery>,
) -> Result<Response, AppError> {
    let Some(me) = session::current(&state, &jar).await? else {
        return Ok(Redirect::to("/tra-cuu").into_response());
    };
    let data = form_data(&state, me.person_id, &query.nguoi).await?;
    let suggested = ComplaintKind::suggested_by(&data.person.findings);
    let typed = FormState::with_values([("kind", suggested.code())]);
    Ok(no_store(
        render_page(&state, &uri, &headers, StatusCode::OK, move || {
            provide_context(typed.clone());
            provide_context(data.clone());
        })
        .await,
    ))
}

#[derive(Deserialize)]
pub struct ComplaintForm {
    #[serde(default)]
    person: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    dose: String,
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    birth_date: String,
    #[serde(default)]
    gender: String,
    #[serde(default)]
    national_id: String,
    #[serde(default)]
    description: String,
}

pub async fn submit(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    jar: CookieJar,
    Form(form): Form<ComplaintForm>,
) -> Result<Response, AppError> {
    check_origin(&headers, &state.settings.public_origin)?;
    let Some(me) = session::current(&state, &jar).await? else {
        return Ok(Redirect::to("/tra-cuu").into_response());
    };
    let mut data = form_data(&state, me.person_id, &form.person).await?;
    // Keep the key the form was rendered with, so a resubmission stays one complaint.
    if form.key.len() >= 32 && form.key.chars().all(|c| c.is_ascii_hexdigit()) {
        data.key = form.key.clone();
    } else {
        return Err(AppError::BadRequest);
    }
    let mut typed = FormState::with_values([
        ("kind", form.kind.as_str()),
        ("dose", form.dose.as_str()),
        ("full_name", form.full_name.as_str()),
        ("birth_date", form.birth_date.as_str()),
        ("gender", form.gender.as_str()),
        ("national_id", form.national_id.as_str()),
        ("description", form.description.as_str()),
    ]);
    let today = state.clock.now().date_naive();
    let person = &data.person;
    let kind = ComplaintKind::from_code(&form.kind);
    if kind.is_none() {
        typed.reject("kind", FieldError::ChooseOne);
    }

    // "Should be" values, each parsed with its own type; the value already recorded is no change.
    let recorded = |field: ChangeField| match field {
        ChangeField::FullName => person.full_name.clone(),
        ChangeField::BirthDate => person.birth_date.clone(),
        ChangeField::Gender => gender_shown(person.gender).to_string(),
        ChangeField::NationalId => person.national_id.clone().unwrap_or_default(),
    };
    let inputs = [
        (ChangeField::FullName, form.full_name.as_str()),
        (ChangeField::BirthDate, form.birth_date.as_str()),
        (ChangeField::Gender, form.gender.as_str()),
        (ChangeField::NationalId, form.national_id.as_str()),
    ];
    let changes: Vec<_> = parse_changes(inputs, today, &mut typed)
        .into_iter()
        .filter(|c| c.shown != recorded(c.field))
        .map(|c| (c.field, Some(recorded(c.field)).filter(|r| !r.is_empty()), c.shown))
        .collect();

    let mut dose_id = None;
    if kind == Some(ComplaintKind::WrongDose) {
        dose_id = form.dose.trim().parse::<i64>().ok().filter(|id| person.doses.iter().any(|d| d.id == *id));
        if dose_id.is_none() {
            typed.reject("dose", FieldError::ChooseOne);
        }
    }
    let needs_changes = kind.is_some_and(ComplaintKind::changes_fields);
    if needs_changes && changes.is_empty() && typed.is_valid() {
        typed.reject("changes", FieldError::NothingToChange);
    }
    let description = if needs_changes && form.description.trim().is_empty() {
        Some(String::new())
    } else {
        ComplaintText::parse(&form.description).map(|t| t.as_str().to_string()).map_err(|e| typed.reject("description", e)).ok()
    };

    let (Some(kind), Some(description), true) = (kind, description, typed.is_valid()) else {
        return Ok(no_store(
            render_page(&state, &uri, &headers, StatusCode::UNPROCESSABLE_ENTITY, move || {
                provide_context(typed.clone());
                provide_context(data.clone());
            })
            .await,
        ));
    };
    let complaint = NewComplaint {
        person_id: data.person.id,
        kind,
        dose_id,
        changes: if kind.changes_fields() { changes } else { Vec::new() },
        description,
        idempotency_key: data.key.clone(),
    };
    let reference = service::file(&state, me.person_id, complaint).await?;
    Ok(Redirect::to(&format!("/phan-anh/{reference}")).into_response())
}

pub async fn tracking_page(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    jar: CookieJar,
) -> Result<Response, AppError> {
    let Some(me) = session::current(&state, &jar).await? else {
        return Ok(Redirect::to("/tra-cuu").into_response());
    };
    let Some(view) = service::for_citizen(&state, me.person_id, &reference).await? else {
        return Ok(render_page(&state, &uri, &headers, StatusCode::NOT_FOUND, || ()).await);
    };
    Ok(no_store(render_page(&state, &uri, &headers, StatusCode::OK, move || provide_context(view.clone())).await))
}
