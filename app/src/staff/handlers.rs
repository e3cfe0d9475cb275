use super::service::{self, Correction};
use crate::complaints::{ChangeField, parse_changes};
use crate::domain::FieldError;
use crate::forms::{FormState, Notice};
use crate::i18n::tr;
use crate::platform::ClientIp;
use crate::platform::forms::check_origin;
use crate::platform::render::{lang_of, no_store, render_page};
use crate::platform::session::{self, STAFF};
use crate::platform::{AppError, AppState};
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use leptos::prelude::provide_context;
use serde::Deserialize;

async fn signed_in(state: &AppState, jar: &CookieJar) -> Result<Option<super::StaffMember>, AppError> {
    match session::current_for(state, &STAFF, jar).await? {
        Some(id) => service::member(state, id).await,
        None => Ok(None),
    }
}

pub async fn login_page(State(state): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    render_page(&state, &uri, &headers, StatusCode::OK, || provide_context(FormState::default())).await
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

pub async fn login_submit(
    State(state): State<AppState>,
    client: ClientIp,
    uri: Uri,
    headers: HeaderMap,
    jar: CookieJar,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    check_origin(&headers, &state.settings.public_origin)?;
    let lang = lang_of(&jar);
    let typed = FormState::with_values([("email", form.email.as_str())]);
    let message = if !state.limits.allow_staff_login(&client.0, &form.email.trim().to_lowercase()) {
        Some((StatusCode::TOO_MANY_REQUESTS, tr(lang, "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau.", "Too many failed sign-ins. Please try again later.")))
    } else {
        match service::authenticate(&state, &form.email, &form.password).await? {
            Some(staff_id) => {
                let jar = session::start_for(&state, &STAFF, jar, staff_id).await?;
                return Ok((jar, Redirect::to("/co-so")).into_response());
            }
            None => Some((StatusCode::UNPROCESSABLE_ENTITY, tr(lang, "Email hoặc mật khẩu không đúng.", "Wrong email or password."))),
        }
    };
    let (status, text) = message.expect("a refusal");
    let notice = Notice(text.to_string());
    Ok(render_page(&state, &uri, &headers, status, move || {
        provide_context(typed.clone());
        provide_context(notice.clone());
    })
    .await)
}

pub async fn logout(State(state): State<AppState>, headers: HeaderMap, jar: CookieJar) -> Result<Response, AppError> {
    check_origin(&headers, &state.settings.public_origin)?;
    let jar = session::end_for(&state, &STAFF, jar).await?;
    Ok((jar, Redirect::to("/co-so/dang-nhap")).into_response())
}

pub async fn inbox_page(State(state): State<AppState>, uri: Uri, headers: HeaderMap, jar: CookieJar) -> Result<Response, AppError> {
    let Some(staff) = signed_in(&state, &jar).await? else {
        return Ok(Redirect::to("/co-so/dang-nhap").into_response());
    };
    let inbox = service::inbox(&state, staff).await?;
    Ok(no_store(render_page(&state, &uri, &headers, StatusCode::OK, move || provide_context(inbox.clone())).await))
}

pub async fn complaint_page(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    jar: CookieJar,
) -> Result<Response, AppError> {
    let Some(staff) = signed_in(&state, &jar).await? else {
        return Ok(Redirect::to("/co-so/dang-nhap").into_response());
    };
    let Some(complaint) = service::complaint_for(&state, &staff, &reference).await? else {
        return Ok(render_page(&state, &uri, &headers, StatusCode::NOT_FOUND, || ()).await);
    };
    let requested: Vec<(String, String)> =
        complaint.complaint.changes.iter().map(|c| (c.field.code().to_string(), c.requested.clone())).collect();
    let typed = FormState::with_values(requested.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    Ok(no_store(
        render_page(&state, &uri, &headers, StatusCode::OK, move || {
            provide_context(complaint.clone());
            provide_context(typed.clone());
        })
        .await,
    ))
}

#[derive(Deserialize)]
pub struct CorrectForm {
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    birth_date: String,
    #[serde(default)]
    gender: String,
    #[serde(default)]
    national_id: String,
    #[serde(default)]
    note: String,
}

/// Accept the complaint and correct the record (personal data), in one transaction.
pub async fn correct_submit(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    jar: CookieJar,
    Form(form): Form<CorrectForm>,
) -> Result<Response, AppError> {
    check_origin(&headers, &state.settings.public_origin)?;
    let Some(staff) = signed_in(&state, &jar).await? else {
        return Ok(Redirect::to("/co-so/dang-nhap").into_response());
    };
    let Some(complaint) = service::complaint_for(&state, &staff, &reference).await? else {
        return Err(AppError::NotFound);
    };
    let mut typed = FormState::with_values([
        ("full_name", form.full_name.as_str()),
        ("birth_date", form.birth_date.as_str()),
        ("gender", form.gender.as_str()),
        ("national_id", form.national_id.as_str()),
        ("note", form.note.as_str()),
    ]);
    let today = state.clock.now().date_naive();
    let inputs = [
        (ChangeField::FullName, form.full_name.as_str()),
        (ChangeField::BirthDate, form.birth_date.as_str()),
        (ChangeField::Gender, form.gender.as_str()),
        (ChangeField::NationalId, form.national_id.as_str()),
    ];
    let corrections: Vec<Correction> = parse_changes(inputs, today, &mut typed).into_iter().map(|c| (c.field, c.stored)).collect();
    if corrections.is_empty() && typed.is_valid() {
        typed.reject("changes", FieldError::NothingToChange);
    }
    if !typed.is_valid() {
        return Ok(no_store(
            render_page(&state, &uri, &headers, StatusCode::UNPROCESSABLE_ENTITY, move || {
                provide_context(complaint.clone());
                provide_context(typed.clone());
            })
            .await,
        ));
    }
    if !service::correct(&state, &staff, &reference, &corrections, form.note.trim()).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!("/co-so/phan-anh/{reference}")).into_response())
}
