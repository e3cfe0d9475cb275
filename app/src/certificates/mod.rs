//! Vaccine certificates (hộ chiếu vắc xin) in the EU Digital COVID Certificate format: a site
//! signs its verified records daily, the citizen sees the QR on the record page, a record that
//! changes has its certificate revoked at once and re-issued at the next signing, and anyone
//! can check a certificate against the public trust list.
//!
//! - `dcc.rs` encodes and decodes the certificate exactly as the specification says (no SQL);
//! - `keys.rs` holds the Document Signer and the signers a verifier trusts (no SQL);
//! - `qr_reader.rs` reads a certificate's QR from a photo or camera frame, its work bounded;
//! - `service.rs` decides what is ready, signs, stores and revokes.

#[cfg(feature = "ssr")]
pub mod dcc;
#[cfg(feature = "ssr")]
pub mod handlers;
pub mod islands;
#[cfg(feature = "ssr")]
pub mod keys;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod qr_reader;
#[cfg(feature = "ssr")]
pub mod revocation_list;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod schedule;
#[cfg(feature = "ssr")]
pub mod service;

pub use pages::{CertificateBlock, PrintablePage, SigningPage, VerifyPage};

crate::codes::coded! {
    /// Why a certificate stopped being in force.
    pub enum RevokedReason {
        /// A field or a dose of the record changed after signing.
        RecordChanged => "record_changed",
        /// The record no longer matches the population registry.
        NotVerified => "not_verified",
        /// The record was merged into another (its doses moved there).
        Merged => "merged",
    }
}

impl RevokedReason {
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        use crate::i18n::tr;
        match self {
            RevokedReason::RecordChanged => tr(lang, "Hồ sơ đã được sửa sau khi ký", "The record was corrected after signing"),
            RevokedReason::NotVerified => tr(lang, "Hồ sơ không còn khớp CSDL dân cư", "The record no longer matches the registry"),
            RevokedReason::Merged => tr(lang, "Hồ sơ đã được gộp vào hồ sơ khác", "The record was merged into another"),
        }
    }
}

/// The site's signing page.
#[derive(Debug, Clone)]
pub struct SigningView {
    pub staff: crate::staff::StaffMember,
    pub ready: Ready,
    /// How many the last signing signed (after the redirect).
    pub just_signed: Option<i64>,
    /// The manager's standing approval of the evening signing, if given.
    pub standing: Option<Standing>,
}

/// The evening job signs from 20:00 Vietnam time, once the day's doses are entered.
pub const SIGNING_HOUR: u32 = 20;

/// A site's standing approval of its evening signing, as its signing page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub approved_by: String,
    /// `14:05 22/11/2026`
    pub approved_at: String,
    /// When it lapses unless given again (90 days on).
    pub lapses_on: String,
    /// The last evening the job signed (dd/mm/yyyy), if it has run.
    pub last_run_on: Option<String>,
}

/// The records a site may sign now.
#[derive(Debug, Clone, Default)]
pub struct Ready {
    pub total: i64,
    /// Per day of the latest dose, newest first.
    pub days: Vec<ReadyDay>,
    /// Certificates the site signed today.
    pub signed_today: i64,
}

#[derive(Debug, Clone)]
pub struct ReadyDay {
    /// yyyy-mm-dd
    pub day: String,
    /// dd/mm/yyyy
    pub shown: String,
    pub count: i64,
}

/// What one signing did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Signed {
    pub count: usize,
    /// Ready records that could not be signed (no dose with a readable date).
    pub skipped: usize,
}

/// Where a person's certificate stands, as the record page shows it.
#[derive(Debug, Clone)]
pub enum CertificateState {
    /// The record is not verified: its findings say what stops it and who fixes it.
    NotYet {
        revoked: Option<RevokedReason>,
    },
    /// No dose on record: nothing to certify.
    NoDose,
    /// Verified: waiting for `site`'s daily signing (after a revocation, the new certificate).
    Ready {
        site: String,
        revoked: Option<RevokedReason>,
        /// The last certificate expired on this day (it is renewed at the next signing).
        expired_on: Option<String>,
    },
    Signed(SignedCertificate),
}

#[derive(Debug, Clone)]
pub struct SignedCertificate {
    pub hc1: String,
    /// The QR, drawn on the server (an `<svg>` element).
    pub qr_svg: String,
    pub uvci: String,
    pub issued_on: String,
    pub expires_on: String,
    pub site: String,
}

/// What the public verification page found in a pasted certificate.
#[derive(Debug, Clone)]
pub struct Verification {
    /// What was pasted, shown back in the field.
    pub text: String,
    pub outcome: VerifyOutcome,
    /// What the QR itself says (never read from our database).
    pub holder: Option<Holder>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerifyOutcome {
    Valid,
    NotACertificate,
    /// A photo was sent, but no QR code could be read in it.
    UnreadablePhoto,
    BadSignature,
    UnknownSigner,
    Revoked,
    Expired,
}

impl VerifyOutcome {
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        use crate::i18n::tr;
        match self {
            VerifyOutcome::Valid => tr(
                lang,
                "Hợp lệ: chữ ký đúng, do cổng này cấp, chưa hết hạn, chưa bị thu hồi",
                "Valid: the signature is right, issued by this portal, not expired, not revoked",
            ),
            VerifyOutcome::NotACertificate => tr(
                lang,
                "Không phải chứng nhận EU DCC (nội dung phải bắt đầu bằng HC1:)",
                "Not an EU DCC certificate (the text must start with HC1:)",
            ),
            VerifyOutcome::UnreadablePhoto => tr(
                lang,
                "Không đọc được mã QR trong ảnh: chụp lại rõ nét, đủ sáng, cả mã nằm trong khung (ảnh PNG hoặc JPEG, tối đa 5 MB), hoặc dán nội dung mã",
                "No QR code could be read in the photo: take it again sharp, well lit, the whole code in the frame (PNG or JPEG, at most 5 MB), or paste the text",
            ),
            VerifyOutcome::BadSignature => {
                tr(lang, "Không hợp lệ: chữ ký sai (nội dung đã bị sửa)", "Invalid: the signature is wrong (the content was altered)")
            }
            VerifyOutcome::UnknownSigner => {
                tr(lang, "Không hợp lệ: người ký không có trong danh sách tin cậy", "Invalid: the signer is not on the trust list")
            }
            VerifyOutcome::Revoked => tr(
                lang,
                "Đã bị thu hồi: hồ sơ đã được sửa, chứng nhận mới thay thế chứng nhận này",
                "Revoked: the record was corrected and a new certificate replaces this one",
            ),
            VerifyOutcome::Expired => tr(lang, "Đã hết hạn", "Expired"),
        }
    }
}

/// The holder and the dose as the QR holds them.
#[derive(Debug, Clone)]
pub struct Holder {
    pub name: String,
    pub birth: String,
    /// e.g. "2/2 · 01/09/2021 · EU/1/20/1528"
    pub dose: String,
    pub uvci: String,
}
