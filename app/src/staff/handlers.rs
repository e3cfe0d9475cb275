use super::correction::CorrectionDraft;
use super::routes;
use super::service;
use super::{InboxFilter, Invited, StaffRole, second_factor, team};
use super::{SetPasswordPage, SitePickerPage, StaffComplaintPage, StaffInboxPage, StaffLoginPage, TeamPage};
use crate::complaints::{ComplaintKind, ComplaintStatus, evidence, workflow};
use crate::domain::{Email, FieldError, NewPassword, PersonName};
use crate::form_state::{FormState, Notice};
use crate::i18n::tr;
use crate::layout::NotFoundPage;
use crate::platform::ClientIp;
use crate::platform::render::{lang_of, render_page};
use crate::platform::session::{self, STAFF};
use crate::platform::shared_limits::{self, Bucket};
use crate::platform::submission::Submission;
use crate::platform::{AppError, AppState};
use axum::extract::{Form, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use leptos::prelude::*;
use serde::Deserialize;

/// The signed-in staff member, as a handler argument: without a live staff session the
/// request is sent to sign in, before any body is read.
pub struct Staff(pub super::StaffMember);

impl FromRequestParts<AppState> for Staff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        match signed_in(state, &CookieJar::from_headers(&parts.headers)).await {
            Ok(Some(member)) => Ok(Staff(member)),
            Ok(None) => Err(Redirect::to(routes::SIGN_IN).into_response()),
            Err(e) => Err(e.into_response()),
        }
    }
}

/// A signed-in member of a site's staff, with the site. The station's pages (worklist, police
/// batches, subject import, verification list) do not exist for supervisors and administrators,
/// who hold no site: 404.
pub struct SiteStaff {
    pub staff: super::StaffMember,
    pub site_id: i64,
}

impl FromRequestParts<AppState> for SiteStaff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Staff(staff) = Staff::from_request_parts(parts, state).await?;
        let site_id = staff.site_id.ok_or_else(|| AppError::NotFound.into_response())?;
        Ok(SiteStaff { staff, site_id })
    }
}

/// The member a live staff session names, if any (files answer 404 rather than redirect).
pub(crate) async fn signed_in(state: &AppState, jar: &CookieJar) -> Result<Option<super::StaffMember>, AppError> {
    match session::current_for(state, &STAFF, jar).await? {
        Some(id) => service::member(state, id).await,
        None => Ok(None),
    }
}

pub async fn login_page(State(state): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    render_page(&state, &uri, &headers, StatusCode::OK, || view! { <StaffLoginPage /> }).await
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
    let lang = lang_of(&jar);
    let typed = FormState::with_values([("email", form.email.as_str())]);
    // An address longer than any email names no account: it is never hashed or stored.
    let account = form.email.trim().to_lowercase();
    let account = (account.len() <= 254).then_some(account);
    let throttled = !state.limits.allow_staff_login(&client.0)
        || match &account {
            Some(account) => shared_limits::count(&state, Bucket::LoginFailures, account).await? >= Bucket::LoginFailures.max(),
            None => false,
        };
    let message = if throttled {
        tracing::warn!(target: "security", event = "login_throttled", client = %client.0, "sign-in refused: too many failures");
        Some((
            StatusCode::TOO_MANY_REQUESTS,
            tr(lang, "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau.", "Too many failed sign-ins. Please try again later."),
        ))
    } else {
        match account.as_deref() {
            Some(account) => match service::authenticate(&state, account, &form.password).await? {
                Some(staff_id) if second_factor::locked(&state, staff_id).await? => {
                    tracing::warn!(target: "security", event = "second_factor_lock_refused", staff = staff_id, client = %client.0, "sign-in refused: second step locked");
                    Some((StatusCode::TOO_MANY_REQUESTS, second_factor::locked_message(lang)))
                }
                Some(staff_id) => {
                    let member = service::member(&state, staff_id).await?.ok_or(AppError::NotFound)?;
                    return super::account::after_password(&state, jar, &member, &client).await;
                }
                None => {
                    let failures = shared_limits::record(&state, Bucket::LoginFailures, account, 1).await?;
                    tracing::warn!(target: "security", event = "login_failed", client = %client.0, failures, "wrong email or password");
                    Some((StatusCode::UNPROCESSABLE_ENTITY, tr(lang, "Email hoặc mật khẩu không đúng.", "Wrong email or password.")))
                }
            },
            None => Some((StatusCode::UNPROCESSABLE_ENTITY, tr(lang, "Email hoặc mật khẩu không đúng.", "Wrong email or password."))),
        }
    };
    let (status, text) = message.expect("a refusal");
    Ok(sign_in_refused(&state, (&uri, &headers), status, text, typed).await)
}

/// The sign-in page again with why it was refused, the email as typed.
pub(super) async fn sign_in_refused(
    state: &AppState,
    (uri, headers): (&Uri, &HeaderMap),
    status: StatusCode,
    text: &str,
    typed: FormState,
) -> Response {
    let notice = Notice(text.to_string());
    render_page(state, uri, headers, status, move || {
        provide_context(typed.clone());
        view! { <StaffLoginPage notice=notice.clone() /> }
    })
    .await
}

pub async fn logout(State(state): State<AppState>, jar: CookieJar) -> Result<Response, AppError> {
    let jar = session::end_for(&state, &STAFF, jar).await?;
    Ok((jar, Redirect::to(routes::SIGN_IN)).into_response())
}

#[derive(Deserialize)]
pub struct InboxQuery {
    #[serde(default, rename = "trang-thai")]
    status: String,
    #[serde(default, rename = "loai")]
    kind: String,
}

pub async fn inbox_page(
    State(state): State<AppState>,
    Staff(staff): Staff,
    uri: Uri,
    headers: HeaderMap,
    Query(query): Query<InboxQuery>,
) -> Result<Response, AppError> {
    // Supervisors and administrators hold no site's inbox: their page is the audit.
    if staff.site_id.is_none() && matches!(staff.role, StaffRole::Supervisor | StaffRole::Admin) {
        return Ok(Redirect::to(crate::supervision::routes::AUDIT).into_response());
    }
    let filter = InboxFilter { status: ComplaintStatus::from_code(&query.status), kind: ComplaintKind::from_code(&query.kind) };
    let inbox = service::inbox(&state, staff, filter).await?;
    Ok(render_page(&state, &uri, &headers, StatusCode::OK, move || view! { <StaffInboxPage inbox=inbox.clone() /> }).await)
}

#[derive(Deserialize, Default)]
pub struct ComplaintQuery {
    #[serde(default, rename = "tinh")]
    province: String,
    #[serde(default, rename = "tim")]
    search: String,
}

/// The complaint page: what the citizen asks, the record, evidence, history and the actions.
/// `?tinh=&tim=` searches for a site to pass it to.
pub async fn complaint_page(
    State(state): State<AppState>,
    Staff(staff): Staff,
    Path(reference): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    Query(query): Query<ComplaintQuery>,
) -> Result<Response, AppError> {
    let Some(complaint) = service::complaint_for(&state, &staff, &reference, (&query.province, &query.search)).await? else {
        return Ok(render_page(&state, &uri, &headers, StatusCode::NOT_FOUND, || view! { <NotFoundPage /> }).await);
    };
    let typed = CorrectionDraft::prefilled(&complaint);
    Ok(render_page(&state, &uri, &headers, StatusCode::OK, move || {
        provide_context(typed.clone());
        view! { <StaffComplaintPage sc=complaint.clone() /> }
    })
    .await)
}

/// What follows a site's action: done (or overtaken: someone else acted first, the complaint
/// is closed) shows the complaint as it is now; refused shows the page again as typed.
async fn after_action(
    state: &AppState,
    staff: &super::StaffMember,
    (uri, headers): (&Uri, &HeaderMap),
    reference: &str,
    form: &Submission,
    refused: Option<FormState>,
) -> Result<Response, AppError> {
    let Some(typed) = refused else {
        return Ok(Redirect::to(&routes::complaint(reference)).into_response());
    };
    let search = (form.text("tinh").to_string(), form.text("tim").to_string());
    let mut complaint = service::complaint_for(state, staff, reference, (&search.0, &search.1)).await?.ok_or(AppError::NotFound)?;
    // The site already chosen stays offered and chosen.
    if let Ok(id) = form.text("reassign_site").trim().parse::<i64>() {
        complaint.reassign.chosen = crate::vaccination_sites::service::choice(state, id).await?.filter(|s| Some(s.id) != staff.site_id);
    }
    Ok(render_page(state, uri, headers, StatusCode::UNPROCESSABLE_ENTITY, move || {
        provide_context(typed.clone());
        view! { <StaffComplaintPage sc=complaint.clone() /> }
    })
    .await)
}

/// The complaint `reference` if this site holds it; otherwise it does not exist for them.
async fn held(state: &AppState, staff: &super::StaffMember, reference: &str) -> Result<crate::complaints::service::Loaded, AppError> {
    service::held_by(state, staff, reference).await?.ok_or(AppError::NotFound)
}

/// Correct the record and resolve the complaint.
pub async fn correct(
    State(state): State<AppState>,
    Staff(staff): Staff,
    Path(reference): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    form: Submission,
) -> Result<Response, AppError> {
    let loaded = held(&state, &staff, &reference).await?;
    let today = crate::vietnam::today(state.clock.now());
    let doses = service::doses_on_record(&state, loaded.person_id).await?;
    let products = crate::vaccination_sites::service::products(&state).await?;
    let refused = match CorrectionDraft::parse(&form, &doses, &products, today) {
        Ok(draft) => {
            service::correct(&state, &staff, &reference, &draft.corrections, &draft.dose_edits, form.text("note").trim()).await?;
            None
        }
        Err(typed) => Some(typed),
    };
    after_action(&state, &staff, (&uri, &headers), &reference, &form, refused).await
}

/// One message to the citizen through `act` (ask, reply, reject), read from the form's field `field`.
async fn message_action<F, Fut>(
    (state, staff, uri, headers): (&AppState, &super::StaffMember, &Uri, &HeaderMap),
    reference: &str,
    form: &Submission,
    field: &str,
    act: F,
) -> Result<Response, AppError>
where
    F: FnOnce(i64, String) -> Fut,
    Fut: std::future::Future<Output = Result<bool, AppError>>,
{
    let loaded = held(state, staff, reference).await?;
    let mut typed = FormState::with_values(form.fields());
    let refused = match form.message(field, &mut typed) {
        Some(message) => {
            act(loaded.id, message).await?;
            None
        }
        None => Some(typed),
    };
    after_action(state, staff, (uri, headers), reference, form, refused).await
}

/// Ask the citizen for information (the clock stops until they answer).
pub async fn ask(
    State(state): State<AppState>,
    Staff(staff): Staff,
    Path(reference): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    form: Submission,
) -> Result<Response, AppError> {
    let (st, sf, rf) = (&state, &staff, reference.as_str());
    let act = move |id, m: String| async move { workflow::ask_for_information(st, sf, id, rf, &m).await };
    message_action((&state, &staff, &uri, &headers), &reference, &form, "ask_message", act).await
}

/// Reply to the citizen without closing anything.
pub async fn reply(
    State(state): State<AppState>,
    Staff(staff): Staff,
    Path(reference): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    form: Submission,
) -> Result<Response, AppError> {
    let (st, sf, rf) = (&state, &staff, reference.as_str());
    let act = move |id, m: String| async move { workflow::reply(st, sf, id, rf, &m).await };
    message_action((&state, &staff, &uri, &headers), &reference, &form, "reply_message", act).await
}

/// Reject, with a reason the citizen reads.
pub async fn reject(
    State(state): State<AppState>,
    Staff(staff): Staff,
    Path(reference): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    form: Submission,
) -> Result<Response, AppError> {
    let (st, sf, rf) = (&state, &staff, reference.as_str());
    let act = move |id, m: String| async move { workflow::reject(st, sf, id, rf, &m).await };
    message_action((&state, &staff, &uri, &headers), &reference, &form, "reject_reason", act).await
}

/// Pass the complaint to another site of the province, with a reason.
pub async fn pass_on(
    State(state): State<AppState>,
    Staff(staff): Staff,
    Path(reference): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    form: Submission,
) -> Result<Response, AppError> {
    let loaded = held(&state, &staff, &reference).await?;
    let mut typed = FormState::with_values(form.fields());
    let mut site = form.text("reassign_site").trim().parse::<i64>().ok().filter(|id| Some(*id) != staff.site_id);
    if site.is_none() {
        typed.reject("reassign_site", FieldError::ChooseSite);
    }
    if let (Some(to), Some(from)) = (site, staff.site_id)
        && !crate::vaccination_sites::service::same_province(&state, from, to).await?
    {
        typed.reject("reassign_site", FieldError::OutsideProvince);
        site = None;
    }
    let refused = match (site, form.message("reassign_reason", &mut typed)) {
        (Some(site), Some(reason)) if typed.is_valid() => {
            if workflow::reassign(&state, &staff, loaded.id, &reference, site, &reason).await? {
                // It is no longer this site's: back to the inbox.
                return Ok(Redirect::to(routes::INBOX).into_response());
            }
            None
        }
        _ => Some(typed),
    };
    after_action(&state, &staff, (&uri, &headers), &reference, &form, refused).await
}

/// An evidence file of a complaint this site holds.
pub async fn evidence_file(
    State(state): State<AppState>,
    Path((reference, token)): Path<(String, String)>,
    jar: CookieJar,
) -> Result<Response, AppError> {
    let Some(staff) = signed_in(&state, &jar).await? else {
        return Err(AppError::NotFound);
    };
    let Some(loaded) = service::held_by(&state, &staff, &reference).await? else {
        return Err(AppError::NotFound);
    };
    let (content_type, name, bytes) = evidence::content(&state, loaded.id, &token).await?.ok_or(AppError::NotFound)?;
    Ok(evidence::response(content_type, name, bytes))
}

#[derive(Deserialize, Default)]
pub struct TeamQuery {
    #[serde(default, rename = "co-so")]
    site: String,
    /// An administrator looking for a site: province code and name.
    #[serde(default, rename = "tinh")]
    province: String,
    #[serde(default, rename = "tim")]
    search: String,
}

/// The site whose staff are managed: the manager's own, or for an administrator any site.
fn team_site(staff: &super::StaffMember, asked: &str) -> Option<i64> {
    asked.trim().parse().ok().or(staff.site_id)
}

async fn render_team(
    state: &AppState,
    uri: &Uri,
    headers: &HeaderMap,
    status: StatusCode,
    team: super::TeamView,
    typed: FormState,
) -> Response {
    render_page(state, uri, headers, status, move || {
        provide_context(typed.clone());
        view! { <TeamPage team=team.clone() /> }
    })
    .await
}

pub async fn team_page(
    State(state): State<AppState>,
    Staff(staff): Staff,
    uri: Uri,
    headers: HeaderMap,
    Query(query): Query<TeamQuery>,
) -> Result<Response, AppError> {
    let Some(site) = team_site(&staff, &query.site) else {
        if staff.role != StaffRole::Admin {
            return Err(AppError::NotFound);
        }
        // An administrator without a site chooses one first: province, then name.
        let picker = super::SitePicker {
            me: staff,
            search: crate::vaccination_sites::service::site_search(&state, &query.province, &query.search, None).await?,
        };
        return Ok(render_page(&state, &uri, &headers, StatusCode::OK, move || view! { <SitePickerPage picker=picker.clone() /> }).await);
    };
    let team = team::team(&state, &staff, site).await?.ok_or(AppError::NotFound)?;
    Ok(render_team(&state, &uri, &headers, StatusCode::OK, team, FormState::default()).await)
}

#[derive(Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    site: String,
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

pub async fn invite_submit(
    State(state): State<AppState>,
    Staff(staff): Staff,
    uri: Uri,
    headers: HeaderMap,
    Form(form): Form<InviteForm>,
) -> Result<Response, AppError> {
    let Some(site) = team_site(&staff, &form.site) else {
        return Err(AppError::NotFound);
    };
    let team_view = team::team(&state, &staff, site).await?.ok_or(AppError::NotFound)?;
    let mut typed =
        FormState::with_values([("full_name", form.full_name.as_str()), ("email", form.email.as_str()), ("role", form.role.as_str())]);
    let full_name = PersonName::parse(&form.full_name).map_err(|e| typed.reject("full_name", e)).ok();
    let email = Email::parse(&form.email).map_err(|e| typed.reject("email", e)).ok();
    let role = StaffRole::from_code(&form.role).unwrap_or(StaffRole::SiteStaff);
    if let (Some(full_name), Some(email)) = (full_name, email) {
        team::invite(&state, &staff, site, team::Invitation { full_name, email, role }).await?;
        return Ok(Redirect::to(&routes::team_of(site)).into_response());
    }
    Ok(render_team(&state, &uri, &headers, StatusCode::UNPROCESSABLE_ENTITY, team_view, typed).await)
}

pub async fn disable_submit(State(state): State<AppState>, Staff(staff): Staff, Path(staff_id): Path<i64>) -> Result<Response, AppError> {
    let site = team::site_of(&state, staff_id).await?;
    if !team::disable(&state, &staff, staff_id).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&routes::team_of(site.unwrap_or_default())).into_response())
}

pub async fn password_page(
    State(state): State<AppState>,
    Path(token): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let invited = Invited(team::invited(&state, &token).await?);
    let status = if invited.0.is_some() { StatusCode::OK } else { StatusCode::NOT_FOUND };
    Ok(render_page(&state, &uri, &headers, status, move || view! { <SetPasswordPage invited=invited.clone() /> }).await)
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

pub async fn password_submit(
    State(state): State<AppState>,
    Path(token): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    let invited = Invited(team::invited(&state, &token).await?);
    if invited.0.is_none() {
        return Err(AppError::NotFound);
    }
    let mut typed = FormState::default();
    match NewPassword::parse(&form.password, &form.confirm) {
        Ok(password) if team::set_password(&state, &token, password.as_str()).await? => {
            return Ok(Redirect::to(routes::SIGN_IN).into_response());
        }
        Ok(_) => {}
        Err((field, error)) => typed.reject(field, error),
    }
    Ok(render_page(&state, &uri, &headers, StatusCode::UNPROCESSABLE_ENTITY, move || {
        provide_context(typed.clone());
        view! { <SetPasswordPage invited=invited.clone() /> }
    })
    .await)
}
