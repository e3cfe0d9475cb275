use super::service::{self, NewComplaint};
use super::{AnswerForm, ChangeField, ComplaintFormData, ComplaintKind, gender_shown, parse_changes, workflow};
use crate::domain::{ComplaintText, FieldError};
use crate::forms::FormState;
use crate::platform::forms::check_origin;
use crate::platform::render::{no_store, render_page};
use crate::platform::session::{self, random_token};
use crate::platform::{AppError, AppState};
use crate::records::service::{household_of, in_household};
use super::evidence;
use crate::platform::submission::Submission;
use crate::sites::service as sites;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use leptos::prelude::provide_context;
use serde::Deserialize;

/// The new-complaint page. `loai=missing_dose` shows the missing-dose form with its site
/// search; the search button submits the form by GET, so what was typed comes back.
#[derive(Deserialize, Default, Clone)]
pub struct NewQuery {
    #[serde(default)]
    nguoi: String,
    #[serde(default)]
    loai: String,
    #[serde(default)]
    tinh: String,
    #[serde(default)]
    tim: String,
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

/// The person the form is about, if they are in the signed-in citizen's household; the
/// product list and, for a missing dose, the site search.
async fn form_data(state: &AppState, me: i64, person: &str, key: String, missing: Option<(&str, &str, &str)>) -> Result<ComplaintFormData, AppError> {
    let person_id: i64 = person.trim().parse().map_err(|_| AppError::NotFound)?;
    let household = household_of(state, me).await?;
    let person = household.people.into_iter().find(|p| p.id == person_id).ok_or(AppError::NotFound)?;
    let site_search = match missing {
        Some((province, query, chosen)) => Some(sites::site_search(state, province, query, chosen.trim().parse().ok()).await?),
        None => None,
    };
    Ok(ComplaintFormData {
        person,
        evidence: evidence::pending(state, &key, me).await?,
        key,
        products: sites::products(state).await?,
        site_search,
    })
}

fn valid_key(key: &str) -> bool {
    key.len() >= 32 && key.len() <= 64 && key.chars().all(|c| c.is_ascii_hexdigit())
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
    let key = if valid_key(&query.key) { query.key.clone() } else { random_token() };
    let missing = query.loai == ComplaintKind::MissingDose.code();
    let search = missing.then_some((query.tinh.as_str(), query.tim.as_str(), query.site.as_str()));
    let data = form_data(&state, me.person_id, &query.nguoi, key, search).await?;
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
    site: String,
    #[serde(default)]
    tinh: String,
    #[serde(default)]
    tim: String,
    #[serde(default)]
    description: String,
}

pub async fn submit(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    jar: CookieJar,
    submission: Submission,
) -> Result<Response, AppError> {
    check_origin(&headers, &state.settings.public_origin)?;
    let Some(me) = session::current(&state, &jar).await? else {
        return Ok(Redirect::to("/tra-cuu").into_response());
    };
    let form: ComplaintForm = submission.parse()?;
    // Keep the key the form was rendered with, so a resubmission stays one complaint.
    if !valid_key(&form.key) {
        return Err(AppError::BadRequest);
    }
    let kind = ComplaintKind::from_code(&form.kind);
    let missing = kind == Some(ComplaintKind::MissingDose);
    let search = missing.then_some((form.tinh.as_str(), form.tim.as_str(), form.site.as_str()));
    let mut typed = FormState::with_values(submission.fields());
    // Files first: whatever else is refused, an acceptable file is kept for the next try.
    if let Some(problem) = evidence::keep(&state, &form.key, me.person_id, &submission.files).await? {
        typed.reject("evidence", problem);
    }
    let mut data = form_data(&state, me.person_id, &form.person, form.key.clone(), search).await?;
    let today = state.clock.now().date_naive();
    let person = &data.person;
    if kind.is_none() {
        typed.reject("kind", FieldError::ChooseOne);
    }

    // "Should be" values, each parsed with its own type; the value already recorded is no change.
    let recorded = |field: ChangeField| match field {
        ChangeField::FullName => person.full_name.clone(),
        ChangeField::BirthDate => person.birth_date.clone(),
        ChangeField::Gender => gender_shown(person.gender).to_string(),
        ChangeField::NationalId => person.national_id.clone().unwrap_or_default(),
        _ => String::new(),
    };
    let mut changes: Vec<(ChangeField, Option<String>, String)> = Vec::new();
    if kind.is_some_and(ComplaintKind::changes_fields) {
        let inputs = ChangeField::PERSONAL.map(|f| (f, submission.text(f.code())));
        changes = parse_changes(inputs, today, &mut typed)
            .into_iter()
            .filter(|c| c.shown != recorded(c.field))
            .map(|c| (c.field, Some(recorded(c.field)).filter(|r| !r.is_empty()), c.shown))
            .collect();
    }

    let mut dose_id = None;
    let mut dose = None;
    if kind == Some(ComplaintKind::WrongDose) {
        dose_id = form.dose.trim().parse::<i64>().ok().filter(|id| person.doses.iter().any(|d| d.id == *id));
        dose = dose_id.and_then(|id| person.doses.iter().find(|d| d.id == id));
        if dose_id.is_none() {
            typed.reject("dose", FieldError::ChooseOne);
        }
    }
    let mut site_id = None;
    if missing {
        site_id = data.site_search.as_ref().and_then(|s| s.chosen.as_ref()).map(|s| s.id);
        if site_id.is_none() {
            typed.reject("site", FieldError::ChooseSite);
        }
    }
    if kind.is_some_and(ComplaintKind::changes_dose) {
        for field in ChangeField::DOSE {
            let input = submission.text(field.code());
            let required = missing && field != ChangeField::Lot;
            if input.trim().is_empty() {
                if required {
                    typed.reject(field.code(), FieldError::Required);
                }
                continue;
            }
            let parsed = match field.parse(input, today) {
                Ok(p) if field == ChangeField::Product => match data.products.iter().find(|(code, _)| *code == p.stored) {
                    Some((_, name)) => name.clone(),
                    None => {
                        typed.reject(field.code(), FieldError::ChooseOne);
                        continue;
                    }
                },
                Ok(p) => p.shown,
                Err(e) => {
                    typed.reject(field.code(), e);
                    continue;
                }
            };
            let now = dose.map(|d| match field {
                ChangeField::DoseKind => d.kind.label(crate::i18n::Lang::Vi).to_string(),
                ChangeField::GivenOn => d.given_on.clone(),
                ChangeField::Product => d.product.clone(),
                _ => d.lot.clone(),
            });
            if now.as_deref() != Some(parsed.as_str()) {
                changes.push((field, now, parsed));
            }
        }
    }
    let needs_changes = kind.is_some_and(ComplaintKind::changes_fields);
    if needs_changes && changes.is_empty() && typed.is_valid() {
        typed.reject("changes", FieldError::NothingToChange);
    }
    let description = if (needs_changes || missing) && form.description.trim().is_empty() {
        Some(String::new())
    } else {
        ComplaintText::parse(&form.description).map(|t| t.as_str().to_string()).map_err(|e| typed.reject("description", e)).ok()
    };

    let (Some(kind), Some(description), true) = (kind, description, typed.is_valid()) else {
        data.evidence = evidence::pending(&state, &form.key, me.person_id).await?;
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
        site_id,
        changes,
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
    let answer = AnswerForm { key: random_token(), pending: Vec::new() };
    Ok(no_store(
        render_page(&state, &uri, &headers, StatusCode::OK, move || {
            provide_context(view.clone());
            provide_context(answer.clone());
        })
        .await,
    ))
}

/// The citizen's actions on their complaint: `tra-loi` (answer a request for information,
/// with files), `xac-nhan` (confirm the correction), `mo-lai` (reopen, with a reason).
pub async fn act(
    State(state): State<AppState>,
    Path((reference, action)): Path<(String, String)>,
    uri: Uri,
    headers: HeaderMap,
    jar: CookieJar,
    submission: Submission,
) -> Result<Response, AppError> {
    check_origin(&headers, &state.settings.public_origin)?;
    let Some(me) = session::current(&state, &jar).await? else {
        return Ok(Redirect::to("/tra-cuu").into_response());
    };
    let Some(loaded) = service::load(&state, &reference).await? else {
        return Err(AppError::NotFound);
    };
    if !in_household(&state, me.person_id, loaded.person_id).await? {
        return Err(AppError::NotFound);
    }
    let mut typed = FormState::with_values(submission.fields());
    let key = submission.text("key").to_string();
    let done = match action.as_str() {
        "tra-loi" => {
            if !valid_key(&key) {
                return Err(AppError::BadRequest);
            }
            let message = submission.message("answer_message", &mut typed);
            if let Some(problem) = evidence::keep(&state, &key, me.person_id, &submission.files).await? {
                typed.reject("evidence", problem);
            }
            match message {
                Some(m) if typed.is_valid() => Some(workflow::answer(&state, loaded.id, &m, Some(&key), me.person_id).await?),
                _ => None,
            }
        }
        "xac-nhan" => Some(workflow::confirm(&state, loaded.id).await?),
        "mo-lai" => match submission.message("reopen_reason", &mut typed) {
            Some(reason) => Some(workflow::reopen(&state, loaded.id, &reason).await?),
            None => None,
        },
        _ => return Err(AppError::NotFound),
    };
    if done.is_some() {
        // Done, or no longer possible (already answered, window closed): show it as it is now.
        return Ok(Redirect::to(&format!("/phan-anh/{reference}")).into_response());
    }
    let view = loaded.view;
    let pending = if valid_key(&key) { evidence::pending(&state, &key, me.person_id).await? } else { Vec::new() };
    let answer = AnswerForm { key: if valid_key(&key) { key } else { random_token() }, pending };
    Ok(no_store(
        render_page(&state, &uri, &headers, StatusCode::UNPROCESSABLE_ENTITY, move || {
            provide_context(view.clone());
            provide_context(answer.clone());
            provide_context(typed.clone());
        })
        .await,
    ))
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
