//! The vaccination sites' side: sign-in and its second step, the inbox, a complaint and the
//! five things a site does to it (each its own route), the team, and the account.

use crate::url::fill;

pub const INBOX: &str = "/co-so";
pub const SIGN_IN: &str = "/co-so/dang-nhap";
pub const SIGN_OUT: &str = "/co-so/dang-xuat";
pub const SECOND_STEP: &str = "/co-so/xac-thuc";
pub const COMPLAINT: &str = "/co-so/phan-anh/{reference}";
pub const CORRECT: &str = "/co-so/phan-anh/{reference}/sua";
pub const ASK: &str = "/co-so/phan-anh/{reference}/hoi";
pub const REPLY: &str = "/co-so/phan-anh/{reference}/tra-loi";
pub const REJECT: &str = "/co-so/phan-anh/{reference}/tu-choi";
pub const PASS_ON: &str = "/co-so/phan-anh/{reference}/chuyen";
pub const EVIDENCE: &str = "/co-so/phan-anh/{reference}/tep/{token}";
pub const TEAM: &str = "/co-so/nhan-vien";
pub const DISABLE: &str = "/co-so/nhan-vien/{id}/khoa";
pub const SET_PASSWORD: &str = "/co-so/mat-khau/{token}";
pub const ACCOUNT: &str = "/co-so/bao-mat";
pub const ENROL: &str = "/co-so/bao-mat/xac-thuc";
pub const CHANGE_PASSWORD: &str = "/co-so/bao-mat/mat-khau";

pub const PAGES: &[&str] = &[INBOX, SIGN_IN, COMPLAINT, TEAM, SECOND_STEP, ACCOUNT];

pub fn complaint(reference: &str) -> String {
    fill(COMPLAINT, &[reference])
}

pub fn correct(reference: &str) -> String {
    fill(CORRECT, &[reference])
}

pub fn ask(reference: &str) -> String {
    fill(ASK, &[reference])
}

pub fn reply(reference: &str) -> String {
    fill(REPLY, &[reference])
}

pub fn reject(reference: &str) -> String {
    fill(REJECT, &[reference])
}

pub fn pass_on(reference: &str) -> String {
    fill(PASS_ON, &[reference])
}

pub fn evidence(reference: &str, token: &str) -> String {
    fill(EVIDENCE, &[reference, token])
}

/// The staff of `site` (a manager's own, or any for an administrator).
pub fn team_of(site: i64) -> String {
    format!("{TEAM}?co-so={site}")
}

pub fn disable(staff_id: i64) -> String {
    fill(DISABLE, &[&staff_id.to_string()])
}

pub fn set_password(token: &str) -> String {
    fill(SET_PASSWORD, &[token])
}

#[cfg(feature = "ssr")]
pub fn router() -> axum::Router<crate::platform::AppState> {
    use super::{account, handlers};
    use axum::routing::{get, post};
    axum::Router::new()
        .route(INBOX, get(handlers::inbox_page))
        .route(SIGN_IN, get(handlers::login_page).post(handlers::login_submit))
        .route(SIGN_OUT, post(handlers::logout))
        .route(SECOND_STEP, get(account::second_step_page).post(account::second_step_submit))
        .route(COMPLAINT, get(handlers::complaint_page))
        .route(CORRECT, post(handlers::correct))
        .route(ASK, post(handlers::ask))
        .route(REPLY, post(handlers::reply))
        .route(REJECT, post(handlers::reject))
        .route(PASS_ON, post(handlers::pass_on))
        .route(EVIDENCE, get(handlers::evidence_file))
        .route(TEAM, get(handlers::team_page).post(handlers::invite_submit))
        .route(DISABLE, post(handlers::disable_submit))
        .route(SET_PASSWORD, get(handlers::password_page).post(handlers::password_submit))
        .route(ACCOUNT, get(account::account_page))
        .route(ENROL, post(account::enrol_submit))
        .route(CHANGE_PASSWORD, post(account::password_submit))
}
