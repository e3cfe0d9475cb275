//! HTTP endpoints of the lookup flow. Plain HTML forms posting here work without JavaScript;
//! a rejected form is rendered again with what was typed and a reason per field.

use super::service::{self, CodeRefused, LookupRefused};
use super::{CODE_TTL_SECS, Identifier};
use super::{CodePage, LookupPage};
use crate::domain::{BirthDate, FieldError};
use crate::form_state::{FormState, Notice};
use crate::i18n::tr;
use crate::platform::render::{lang_of, render_page};
use crate::platform::session::{self, forget_secret_cookie, read_secret_cookie, secret_cookie};
use crate::platform::{AppError, AppState};
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use leptos::prelude::*;
use serde::Deserialize;

/// Binds the code form to the lookup that asked for the code.
pub const LOOKUP_COOKIE: &str = "tra_cuu";

#[derive(Deserialize)]
pub struct LookupForm {
    #[serde(default)]
    identifier: String,
    #[serde(default)]
    birth_date: String,
}

pub async fn lookup_page(State(state): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    render_page(&state, &uri, &headers, StatusCode::OK, || view! { <LookupPage /> }).await
}

pub async fn lookup_submit(
    State(state): State<AppState>,
    client: crate::platform::ClientIp,
    uri: Uri,
    headers: HeaderMap,
    jar: CookieJar,
    Form(form): Form<LookupForm>,
) -> Result<Response, AppError> {
    let mut typed = FormState::with_values([("identifier", form.identifier.as_str()), ("birth_date", form.birth_date.as_str())]);
    let identifier = Identifier::parse(&form.identifier).map_err(|e| typed.reject("identifier", e)).ok();
    let today = crate::vietnam::today(state.clock.now());
    let birth_date = BirthDate::parse(&form.birth_date, today).map_err(|e| typed.reject("birth_date", e)).ok();
    let (Some(identifier), Some(birth_date)) = (identifier, birth_date) else {
        return Ok(render_page(&state, &uri, &headers, StatusCode::UNPROCESSABLE_ENTITY, move || {
            provide_context(typed.clone());
            view! { <LookupPage /> }
        })
        .await);
    };
    match service::start(&state, &identifier, birth_date, &client.0).await? {
        Ok(token) => {
            let jar = jar.add(secret_cookie(&state, LOOKUP_COOKIE, token, CODE_TTL_SECS));
            Ok((jar, Redirect::to(super::routes::CODE)).into_response())
        }
        Err(LookupRefused::TooManyRequests) => {
            let lang = lang_of(&jar);
            let notice = Notice(
                tr(
                    lang,
                    "Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau ít phút.",
                    "Too many lookups. Please try again in a few minutes.",
                )
                .to_string(),
            );
            Ok(render_page(&state, &uri, &headers, StatusCode::TOO_MANY_REQUESTS, move || {
                provide_context(typed.clone());
                view! { <LookupPage notice=notice.clone() /> }
            })
            .await)
        }
    }
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

pub async fn code_page(State(state): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    render_page(&state, &uri, &headers, StatusCode::OK, || view! { <CodePage /> }).await
}

pub async fn code_submit(
    State(state): State<AppState>,
    client: crate::platform::ClientIp,
    uri: Uri,
    headers: HeaderMap,
    jar: CookieJar,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    let lang = lang_of(&jar);
    let mut typed = FormState::with_values([("code", form.code.as_str())]);
    let code: String = form.code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        typed.reject("code", FieldError::CodeFormat);
        return Ok(render_page(&state, &uri, &headers, StatusCode::UNPROCESSABLE_ENTITY, move || {
            provide_context(typed.clone());
            view! { <CodePage /> }
        })
        .await);
    }
    let token = read_secret_cookie(&state, &jar, LOOKUP_COOKIE).unwrap_or_default();
    let outcome = service::verify(&state, &token, &code, &client.0).await?;
    let (status, message) = match outcome {
        Ok(person_id) => {
            let jar = forget_secret_cookie(&state, jar, LOOKUP_COOKIE);
            let jar = session::start(&state, jar, person_id).await?;
            return Ok((jar, Redirect::to(crate::records::routes::RECORD)).into_response());
        }
        Err(CodeRefused::Wrong { tries_left }) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            match lang {
                crate::i18n::Lang::Vi => {
                    format!("Mã xác thực không đúng. Bạn còn {tries_left} lần thử.")
                }
                crate::i18n::Lang::En => {
                    format!("That code is not right. You have {tries_left} tries left.")
                }
            },
        ),
        Err(CodeRefused::Locked) => (
            StatusCode::TOO_MANY_REQUESTS,
            tr(
                lang,
                "Bạn đã nhập sai mã quá 5 lần. Vui lòng tra cứu lại để nhận mã mới.",
                "The code was wrong 5 times. Please look up again to get a new code.",
            )
            .to_string(),
        ),
        Err(CodeRefused::Expired) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            tr(
                lang,
                "Mã đã hết hạn hoặc đã được dùng. Vui lòng tra cứu lại để nhận mã mới.",
                "The code has expired or was already used. Please look up again to get a new code.",
            )
            .to_string(),
        ),
        Err(CodeRefused::TooManyRequests) => (
            StatusCode::TOO_MANY_REQUESTS,
            tr(lang, "Bạn đã thử quá nhiều lần. Vui lòng thử lại sau ít phút.", "Too many tries. Please try again in a few minutes.")
                .to_string(),
        ),
    };
    let notice = Notice(message);
    Ok(render_page(&state, &uri, &headers, status, move || {
        provide_context(typed.clone());
        view! { <CodePage notice=notice.clone() /> }
    })
    .await)
}
