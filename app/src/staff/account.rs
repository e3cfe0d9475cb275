//! HTTP endpoints of the staff account: the second step of a sign-in (`/co-so/xac-thuc`),
//! and, signed in, the account page (`/co-so/bao-mat`) to set up the second factor and change
//! the password. Plain forms: they work without JavaScript.

use super::AccountPage;
use super::handlers::Staff;
use super::routes;
use super::second_factor::{self, Needs, PENDING_COOKIE, PENDING_SECS};
use super::{AccountView, EnrolmentView, StaffMember, service};
use crate::domain::{FieldError, NewPassword};
use crate::form_state::FormState;
use crate::platform::render::{lang_of, render_page};
use crate::platform::session::{self, STAFF, forget_secret_cookie, read_secret_cookie, secret_cookie};
use crate::platform::{AppError, AppState, ClientIp};
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use leptos::prelude::*;
use serde::Deserialize;

/// After a right password: straight in, or to the second step behind its own cookie.
pub async fn after_password(state: &AppState, jar: CookieJar, member: &StaffMember, client: &ClientIp) -> Result<Response, AppError> {
    if second_factor::needs(state, member.id, member.role).await? == Needs::Nothing {
        tracing::info!(target: "security", event = "login", staff = member.id, client = %client.0, "staff signed in");
        let jar = session::start_for(state, &STAFF, jar, member.id).await?;
        return Ok((jar, Redirect::to(routes::INBOX)).into_response());
    }
    let token = second_factor::start_pending(state, member.id).await?;
    let jar = jar.add(secret_cookie(state, PENDING_COOKIE, token, PENDING_SECS));
    Ok((jar, Redirect::to(routes::SECOND_STEP)).into_response())
}

async fn pending_member(state: &AppState, jar: &CookieJar) -> Result<Option<(String, StaffMember)>, AppError> {
    let Some(token) = read_secret_cookie(state, jar, PENDING_COOKIE) else { return Ok(None) };
    let Some(staff_id) = second_factor::pending(state, &token).await? else { return Ok(None) };
    Ok(service::member(state, staff_id).await?.map(|m| (token, m)))
}

async fn view_of(state: &AppState, member: &StaffMember, signed_in: bool) -> Result<AccountView, AppError> {
    let enabled = second_factor::enabled(state, member.id).await?;
    let required = member.role.requires_second_factor();
    let enrolment = if enabled || !(signed_in || required) {
        None
    } else {
        let e = second_factor::enrolment(state, member.id).await?;
        Some(EnrolmentView { key: second_factor::grouped(&e.key), uri: second_factor::otpauth_uri(&e.key, &member.full_name) })
    };
    Ok(AccountView { name: member.full_name.clone(), signed_in, second_factor: enabled, required, enrolment, ..AccountView::default() })
}

async fn render(state: &AppState, uri: &Uri, headers: &HeaderMap, status: StatusCode, view: AccountView, typed: FormState) -> Response {
    render_page(state, uri, headers, status, move || {
        provide_context(typed.clone());
        view! { <AccountPage account=view.clone() /> }
    })
    .await
}

pub async fn second_step_page(State(state): State<AppState>, uri: Uri, headers: HeaderMap, jar: CookieJar) -> Result<Response, AppError> {
    let Some((_, member)) = pending_member(&state, &jar).await? else {
        return Ok(Redirect::to(routes::SIGN_IN).into_response());
    };
    let view = view_of(&state, &member, false).await?;
    Ok(render(&state, &uri, &headers, StatusCode::OK, view, FormState::default()).await)
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

/// The code from the app (or a recovery code), or the first code of a key being set up. Five
/// tries per sign-in; then the password is asked again.
pub async fn second_step_submit(
    State(state): State<AppState>,
    client: ClientIp,
    uri: Uri,
    headers: HeaderMap,
    jar: CookieJar,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    let Some((token, member)) = pending_member(&state, &jar).await? else {
        return Ok(Redirect::to(routes::SIGN_IN).into_response());
    };
    if second_factor::locked(&state, member.id).await? {
        return locked_out(&state, (&uri, &headers), jar, &token).await;
    }
    if !second_factor::claim_try(&state, &token).await? {
        tracing::warn!(target: "security", event = "second_factor_locked", staff = member.id, client = %client.0, "second-step tries spent");
        second_factor::finish_pending(&state, &token).await?;
        return Ok(Redirect::to(routes::SIGN_IN).into_response());
    }
    let code = form.code.chars().take(32).collect::<String>();
    let mut view = view_of(&state, &member, false).await?;
    // The view already says what the account needs (`second_factor::needs`, read once).
    let passed = if view.second_factor {
        second_factor::verify(&state, member.id, &code).await?
    } else if view.required {
        match second_factor::confirm_enrolment(&state, member.id, &code).await? {
            Some(codes) => {
                view.recovery_codes = codes;
                view.enrolment = None;
                true
            }
            None => false,
        }
    } else {
        true
    };
    if !passed {
        tracing::warn!(target: "security", event = "second_factor_failed", staff = member.id, client = %client.0, "wrong second-step code");
        // Guesses count per account, over every sign-in: past the allowance the account locks.
        if view.second_factor && second_factor::count_failure(&state, member.id).await? {
            return locked_out(&state, (&uri, &headers), jar, &token).await;
        }
        let mut typed = FormState::default();
        typed.reject("code", FieldError::SecondFactorCode);
        return Ok(render(&state, &uri, &headers, StatusCode::UNPROCESSABLE_ENTITY, view, typed).await);
    }
    second_factor::finish_pending(&state, &token).await?;
    tracing::info!(target: "security", event = "login", staff = member.id, client = %client.0, second_factor = true, "staff signed in");
    let jar = forget_secret_cookie(&state, jar, PENDING_COOKIE);
    let jar = session::start_for(&state, &STAFF, jar, member.id).await?;
    if view.recovery_codes.is_empty() {
        return Ok((jar, Redirect::to(routes::INBOX)).into_response());
    }
    // Just set up: the recovery codes, once, on this answer.
    Ok((jar, render(&state, &uri, &headers, StatusCode::OK, view, FormState::default()).await).into_response())
}

/// The account's second step is locked: this sign-in ends, and the sign-in page says until when.
async fn locked_out(state: &AppState, page: (&Uri, &HeaderMap), jar: CookieJar, token: &str) -> Result<Response, AppError> {
    second_factor::finish_pending(state, token).await?;
    let jar = forget_secret_cookie(state, jar, PENDING_COOKIE);
    let text = second_factor::locked_message(lang_of(&jar));
    Ok((jar, super::handlers::sign_in_refused(state, page, StatusCode::TOO_MANY_REQUESTS, text, FormState::default()).await)
        .into_response())
}

pub async fn account_page(State(state): State<AppState>, Staff(member): Staff, uri: Uri, headers: HeaderMap) -> Result<Response, AppError> {
    let mut view = view_of(&state, &member, true).await?;
    view.password_changed = uri.query().is_some_and(|q| q.contains("da-doi=1"));
    Ok(render(&state, &uri, &headers, StatusCode::OK, view, FormState::default()).await)
}

/// Site staff turn the second factor on from their account page.
pub async fn enrol_submit(
    State(state): State<AppState>,
    Staff(member): Staff,
    uri: Uri,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    let mut view = view_of(&state, &member, true).await?;
    if view.second_factor {
        return Ok(Redirect::to(routes::ACCOUNT).into_response());
    }
    match second_factor::confirm_enrolment(&state, member.id, &form.code.chars().take(32).collect::<String>()).await? {
        Some(codes) => {
            view.recovery_codes = codes;
            view.enrolment = None;
            view.second_factor = true;
            Ok(render(&state, &uri, &headers, StatusCode::OK, view, FormState::default()).await)
        }
        None => {
            let mut typed = FormState::default();
            typed.reject("code", FieldError::SecondFactorCode);
            Ok(render(&state, &uri, &headers, StatusCode::UNPROCESSABLE_ENTITY, view, typed).await)
        }
    }
}

#[derive(Deserialize)]
pub struct PasswordChangeForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

/// A new password, given the current one; every other session of the account ends.
pub async fn password_submit(
    State(state): State<AppState>,
    Staff(member): Staff,
    client: ClientIp,
    uri: Uri,
    headers: HeaderMap,
    jar: CookieJar,
    Form(form): Form<PasswordChangeForm>,
) -> Result<Response, AppError> {
    let mut typed = FormState::default();
    let new = NewPassword::parse(&form.password, &form.confirm).map_err(|(field, e)| typed.reject(field, e)).ok();
    if !service::password_is(&state, member.id, &form.current.chars().take(128).collect::<String>()).await? {
        typed.reject("current", FieldError::WrongPassword);
    }
    if let (Some(new), true) = (new, typed.is_valid()) {
        service::change_password(&state, member.id, new.as_str()).await?;
        tracing::info!(target: "security", event = "password_changed", staff = member.id, client = %client.0, "staff password changed");
        let jar = session::start_for(&state, &STAFF, jar, member.id).await?;
        return Ok((jar, Redirect::to(&format!("{}?da-doi=1", routes::ACCOUNT))).into_response());
    }
    let view = view_of(&state, &member, true).await?;
    Ok(render(&state, &uri, &headers, StatusCode::UNPROCESSABLE_ENTITY, view, typed).await)
}
