//! The certificates' addresses.

/// The site's daily signing.
pub const SIGNING: &str = "/co-so/chung-nhan";
pub const SIGN: &str = "/co-so/chung-nhan/ky";
/// The manager's standing approval of the evening signing (`bat` = 1 gives it, 0 withdraws it).
pub const STANDING: &str = "/co-so/chung-nhan/tu-dong";
/// The public trust list and revocation list, for any EU DCC verifier.
pub const TRUST_LIST: &str = "/api/dcc/trust-list";
pub const REVOCATION_LIST: &str = "/api/dcc/revocation-list";

/// A household member's certificate, printable, and its QR as a PNG.
pub const PRINTABLE: &str = "/ho-so/chung-nhan/{person}";
pub const QR_PNG: &str = "/ho-so/chung-nhan/{person}/qr.png";

pub fn printable(person: i64) -> String {
    crate::url::fill(PRINTABLE, &[&person.to_string()])
}

pub fn qr_png(person: i64) -> String {
    crate::url::fill(QR_PNG, &[&person.to_string()])
}

/// The public verification page: anyone checks a certificate's text (`hc1`).
pub const VERIFY: &str = "/kiem-tra";
/// The camera scanner's frames (a JPEG data URL each): the QR's text, or 204 when none is read.
pub const CAMERA_FRAME: &str = "/kiem-tra/khung-hinh";

pub const PAGES: &[&str] = &[SIGNING, VERIFY, PRINTABLE];

/// The signing page after `n` were signed.
pub fn signed(n: usize) -> String {
    format!("{SIGNING}?da-ky={n}")
}

#[cfg(feature = "ssr")]
pub fn router() -> axum::Router<crate::platform::AppState> {
    use super::handlers;
    use axum::extract::DefaultBodyLimit;
    use axum::routing::{get, post};
    axum::Router::new()
        .route(SIGNING, get(handlers::signing_page))
        .route(SIGN, post(handlers::sign_submit))
        .route(STANDING, post(handlers::standing_submit))
        .route(TRUST_LIST, get(handlers::trust_list))
        .route(REVOCATION_LIST, get(handlers::revocation_list))
        .route(
            VERIFY,
            get(handlers::verify_page)
                .post(handlers::verify_submit)
                .layer(DefaultBodyLimit::max(crate::platform::submission::MAX_FILE_BYTES + 64 * 1024)),
        )
        .route(CAMERA_FRAME, post(handlers::camera_frame).layer(DefaultBodyLimit::max(handlers::MAX_FRAME_BYTES)))
        .route(PRINTABLE, get(handlers::printable_page))
        .route(QR_PNG, get(handlers::qr_png))
}
