use super::qr_reader::{self, QrRead, Source};
use super::{CertificateState, Holder, PrintablePage, SigningPage, SigningView, Verification, VerifyOutcome, VerifyPage, service};
use crate::platform::client::ClientIp;
use crate::platform::render::render_page;
use crate::platform::session::Citizen;
use crate::platform::submission::Submission;
use crate::platform::{AppError, AppState};
use crate::staff::handlers::SiteStaff;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use leptos::prelude::*;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct SigningQuery {
    #[serde(default, rename = "da-ky")]
    signed: String,
}

/// The records the site may sign, per day, and the button that signs them.
pub async fn signing_page(
    State(state): State<AppState>,
    SiteStaff { staff, site_id }: SiteStaff,
    uri: Uri,
    headers: HeaderMap,
    Query(query): Query<SigningQuery>,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    let midnight = crate::vietnam::midnight(crate::vietnam::today(now));
    let ready = service::ready(&mut *state.db.read().acquire().await?, site_id, (now.timestamp(), midnight)).await?;
    let standing = super::schedule::standing(&mut *state.db.read().acquire().await?, site_id, state.clock.now().timestamp()).await?;
    let view = SigningView { staff, ready, just_signed: query.signed.trim().parse().ok(), standing };
    Ok(render_page(&state, &uri, &headers, StatusCode::OK, move || view! { <SigningPage view=view.clone() /> }).await)
}

/// Signs every record ready at the site, approved by the signed-in member.
pub async fn sign_submit(State(state): State<AppState>, SiteStaff { staff, site_id }: SiteStaff) -> Result<Response, AppError> {
    let signed =
        service::sign_site(&state.db, &state.signer, site_id, service::Approval::Manager(staff.id), state.clock.now().timestamp()).await?;
    Ok(Redirect::to(&super::routes::signed(signed.count)).into_response())
}

/// The site manager gives (`bat=1`) or withdraws (`bat=0`) the standing approval of the
/// evening signing. Other staff sign by hand only.
pub async fn standing_submit(
    State(state): State<AppState>,
    SiteStaff { staff, site_id }: SiteStaff,
    form: Submission,
) -> Result<Response, AppError> {
    if staff.role != crate::staff::StaffRole::SiteManager {
        return Err(AppError::Forbidden);
    }
    match form.text("bat") {
        "1" => super::schedule::approve(&state.db, site_id, staff.id, state.clock.now().timestamp()).await?,
        "0" => super::schedule::withdraw(&state.db, site_id, staff.id).await?,
        _ => return Err(AppError::BadRequest),
    }
    Ok(Redirect::to(super::routes::SIGNING).into_response())
}

/// The signers any EU DCC verifier can be configured to trust: kid, country, certificate (DER,
/// base64) and its validity.
pub async fn trust_list(State(state): State<AppState>) -> Response {
    let signer = state.signer.trusted();
    let when = |t: i64| chrono::DateTime::from_timestamp(t, 0).map(|t| t.to_rfc3339()).unwrap_or_default();
    Json(serde_json::json!([{
        "kid": STANDARD.encode(signer.kid),
        "country": signer.country,
        "certificateType": "DSC",
        "certificate": STANDARD.encode(&signer.certificate),
        "notBefore": when(signer.not_before),
        "notAfter": when(signer.not_after),
    }]))
    .into_response()
}

/// The revoked certificates, each as the SHA-256 of its UVCI (hex), with when.
pub async fn revocation_list(State(state): State<AppState>, client: ClientIp, headers: HeaderMap) -> Result<Response, AppError> {
    if !state.limits.allow_list(&client.0) {
        return Err(AppError::TooManyRequests);
    }
    let list = super::revocation_list::current(&state).await?;
    // Public data, the same for everyone: verifiers and caches keep it five minutes and then
    // ask whether it changed.
    let cached = [
        (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300")),
        (header::ETAG, HeaderValue::from_str(&list.etag).map_err(AppError::internal)?),
    ];
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| tags.split(',').any(|tag| tag.trim().trim_start_matches("W/") == list.etag));
    if unchanged {
        return Ok((StatusCode::NOT_MODIFIED, cached).into_response());
    }
    Ok((cached, [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], list.body).into_response())
}

/// The most a pasted certificate text may be (a real one is under 1,000 characters).
const MAX_HC1: usize = 4_096;

#[derive(Deserialize, Default)]
pub struct VerifyQuery {
    #[serde(default)]
    hc1: String,
}

/// `/kiem-tra[?hc1=HC1:...]`: the form, and the check of a text given in the address.
pub async fn verify_page(
    State(state): State<AppState>,
    client: ClientIp,
    uri: Uri,
    headers: HeaderMap,
    Query(query): Query<VerifyQuery>,
) -> Result<Response, AppError> {
    verify(&state, &client, (&uri, &headers), Given::Text(query.hc1)).await
}

/// The form's check of a pasted text, or of a photo of the QR (read on the server).
pub async fn verify_submit(
    State(state): State<AppState>,
    client: ClientIp,
    uri: Uri,
    headers: HeaderMap,
    form: Submission,
) -> Result<Response, AppError> {
    let text = form.text("hc1").to_string();
    let given = match form.files.into_iter().find(|f| f.too_large || !f.bytes.is_empty()) {
        Some(photo) => Given::Photo(photo),
        None => Given::Text(text),
    };
    verify(&state, &client, (&uri, &headers), given).await
}

/// What someone gave the check: a certificate's text, or a photo of its QR.
enum Given {
    Text(String),
    Photo(crate::platform::submission::FilePart),
}

/// The page, with the check of what was given (none for an empty text); rate-limited per client.
async fn verify(state: &AppState, client: &ClientIp, (uri, headers): (&Uri, &HeaderMap), given: Given) -> Result<Response, AppError> {
    let verification = match given {
        Given::Text(text) if text.trim().is_empty() => None,
        given => {
            let text = match given {
                Given::Text(text) => {
                    if !state.limits.allow_verification(&client.0) {
                        return Err(AppError::TooManyRequests);
                    }
                    Some(text.trim().to_string())
                }
                Given::Photo(photo) => {
                    if !state.limits.allow_qr_read(&client.0) {
                        return Err(AppError::TooManyRequests);
                    }
                    if photo.too_large { None } else { read_qr(state, photo.bytes, Source::Photo).await? }
                }
            };
            Some(match text {
                Some(text) => check(state, &text).await?,
                None => Verification { text: String::new(), outcome: VerifyOutcome::UnreadablePhoto, holder: None },
            })
        }
    };
    let mut page =
        render_page(state, uri, headers, StatusCode::OK, move || view! { <VerifyPage verification=verification.clone() /> }).await;
    // The one page that may use the camera (its scanner); every other page may not.
    page.headers_mut().insert(crate::platform::render::PERMISSIONS_POLICY, crate::platform::render::camera_allowed());
    Ok(page)
}

/// The most a camera frame may be, as a data URL (the scanner sends JPEGs at most 640 pixels wide).
pub const MAX_FRAME_BYTES: usize = 512 * 1024;

/// One frame of the camera scanner (`data:image/jpeg;base64,...`): the text of the QR read in
/// it (200), or 204 when there is none yet. Read by the same reader as an uploaded photo.
pub async fn camera_frame(State(state): State<AppState>, client: ClientIp, body: String) -> Result<Response, AppError> {
    if !state.limits.allow_qr_read(&client.0) {
        return Err(AppError::TooManyRequests);
    }
    let encoded = body.split_once(";base64,").map(|(_, data)| data).ok_or(AppError::BadRequest)?;
    let jpeg = STANDARD.decode(encoded.trim()).map_err(|_| AppError::BadRequest)?;
    let text = read_qr(&state, jpeg, Source::Frame).await?;
    Ok(match text {
        Some(text) if text.len() <= MAX_HC1 => text.into_response(),
        _ => StatusCode::NO_CONTENT.into_response(),
    })
}

/// The QR's text in a photo or frame, read under the server's bound on heavy work (503 when
/// no place frees in time); a picture refused or too costly to search has none.
async fn read_qr(state: &AppState, bytes: Vec<u8>, source: Source) -> Result<Option<String>, AppError> {
    let read = state.heavy.run(move || qr_reader::read(&bytes, source)).await?;
    if matches!(read, QrRead::WorkCapReached | QrRead::TooLarge | QrRead::Crashed) {
        tracing::warn!(target: "security", event = "qr_read_refused", outcome = ?read, "a picture refused by the QR reader's bounds");
    }
    Ok(read.text())
}

/// The signature against the trust list, then the revocation list, then the expiry.
async fn check(state: &AppState, text: &str) -> Result<Verification, AppError> {
    use super::dcc::{self, Check};
    let shown: String = text.chars().take(MAX_HC1).collect();
    let decoded = match (text.len() <= MAX_HC1).then(|| dcc::decode(text)) {
        Some(Ok(decoded)) => decoded,
        _ => return Ok(Verification { text: shown, outcome: VerifyOutcome::NotACertificate, holder: None }),
    };
    let outcome = match decoded.check(&[state.signer.trusted()], state.clock.now().timestamp()) {
        Check::UnknownSigner => VerifyOutcome::UnknownSigner,
        Check::BadSignature => VerifyOutcome::BadSignature,
        checked => {
            let revoked = match decoded.uvci() {
                Some(uvci) => service::is_revoked(&mut *state.db.read().acquire().await?, uvci).await?,
                None => false,
            };
            match (revoked, checked) {
                (true, _) => VerifyOutcome::Revoked,
                (false, Check::Expired) => VerifyOutcome::Expired,
                _ => VerifyOutcome::Valid,
            }
        }
    };
    // Who the certificate names is shown only under a signature that checked out: a forged or
    // unknown-signer QR could name anyone.
    let signed = matches!(outcome, VerifyOutcome::Valid | VerifyOutcome::Expired | VerifyOutcome::Revoked);
    Ok(Verification { text: shown, outcome, holder: signed.then(|| holder_of(&decoded.payload)).flatten() })
}

/// The certificate in force of `person`, if the signed-in citizen's household holds them.
async fn household_certificate(state: &AppState, me: i64, person: i64) -> Result<super::SignedCertificate, AppError> {
    if !crate::records::service::in_household(state, me, person).await? {
        return Err(AppError::NotFound);
    }
    match service::state_of(&mut *state.db.read().acquire().await?, person, Some("verified"), state.clock.now().timestamp()).await? {
        CertificateState::Signed(c) => Ok(c),
        _ => Err(AppError::NotFound),
    }
}

/// The certificate on a page of its own, laid out to print: what the QR holds, the QR, its text.
pub async fn printable_page(
    State(state): State<AppState>,
    Citizen(citizen): Citizen,
    Path(person): Path<i64>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let certificate = household_certificate(&state, citizen.person_id, person).await?;
    let payload = super::dcc::decode(&certificate.hc1).map_err(AppError::internal)?.payload;
    let holder = holder_of(&payload);
    Ok(render_page(&state, &uri, &headers, StatusCode::OK, move || {
        view! { <PrintablePage person=person certificate=certificate.clone() holder=holder.clone() /> }
    })
    .await)
}

/// The QR as a PNG download.
pub async fn qr_png(State(state): State<AppState>, Citizen(citizen): Citizen, Path(person): Path<i64>) -> Result<Response, AppError> {
    let certificate = household_certificate(&state, citizen.person_id, person).await?;
    let png = super::dcc::qr_png(&certificate.hc1, 8).ok_or_else(|| AppError::internal("QR"))?;
    Ok(crate::platform::render::attachment("image/png", &format!("chung-nhan-tiem-chung-{person}.png"), png))
}

/// The holder and the dose as a payload holds them.
fn holder_of(p: &super::dcc::Payload) -> Option<Holder> {
    p.v.first().map(|v| Holder {
        name: [p.nam.family.as_deref(), p.nam.given.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" "),
        birth: p.dob.clone(),
        dose: format!("{}/{} · {} · {}", v.dn, v.sd, v.dt, v.mp),
        uvci: v.ci.clone(),
    })
}
