//! The Document Signer (an ECDSA P-256 key and its X.509 certificate, issued by a country
//! signing CA) and the trusted signers a verifier checks against. In development the pair is
//! created once beside the database; in production both come from files named in the
//! environment. The private key is held here only: never logged, rendered or stored.

use p256::ecdsa::{SigningKey, VerifyingKey};
use p256::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use x509_cert::Certificate;
use x509_cert::builder::{Builder, CertificateBuilder, Profile};
use x509_cert::der::{Decode, DecodePem, Encode};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::SubjectPublicKeyInfoOwned;
use x509_cert::time::Validity;

/// Marks the development signer's certificate; the server refuses it behind an https address.
pub const DEVELOPMENT_MARK: &str = "DEVELOPMENT ONLY";
const DSC_DAYS: u64 = 2 * 365;
const CSCA_DAYS: u64 = 10 * 365;

/// The key that signs certificates, with its certificate.
pub struct DocumentSigner {
    key: SigningKey,
    pub certificate: Vec<u8>,
    /// The first 8 bytes of the SHA-256 of the DER certificate.
    pub kid: [u8; 8],
    pub country: String,
    pub not_before: i64,
    pub not_after: i64,
    pub subject: String,
}

impl std::fmt::Debug for DocumentSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the key.
        f.debug_struct("DocumentSigner").field("subject", &self.subject).field("kid", &hex::encode(self.kid)).finish()
    }
}

/// A signer a verifier trusts: what the trust list publishes.
#[derive(Debug, Clone)]
pub struct TrustedSigner {
    pub kid: [u8; 8],
    pub key: VerifyingKey,
    pub certificate: Vec<u8>,
    pub country: String,
    pub not_before: i64,
    pub not_after: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("{path}: {message}")]
    File { path: String, message: String },
    #[error("certificate: {0}")]
    Certificate(String),
    #[error("the certificate is not for this key")]
    Mismatch,
}

fn file_error(path: &Path, message: impl std::fmt::Display) -> KeyError {
    KeyError::File { path: path.display().to_string(), message: message.to_string() }
}

impl DocumentSigner {
    pub(super) fn key(&self) -> &SigningKey {
        &self.key
    }

    /// The signer from a PKCS#8 PEM private key and its certificate (PEM or DER).
    pub fn load(key_path: &Path, certificate_path: &Path) -> Result<Self, KeyError> {
        let pem = std::fs::read_to_string(key_path).map_err(|e| file_error(key_path, e))?;
        let key = SigningKey::from_pkcs8_pem(&pem).map_err(|e| file_error(key_path, e))?;
        let bytes = std::fs::read(certificate_path).map_err(|e| file_error(certificate_path, e))?;
        let certificate = if bytes.starts_with(b"-----BEGIN") {
            Certificate::from_pem(&bytes).map_err(|e| file_error(certificate_path, e))?
        } else {
            Certificate::from_der(&bytes).map_err(|e| file_error(certificate_path, e))?
        };
        Self::new(key, &certificate)
    }

    fn new(key: SigningKey, certificate: &Certificate) -> Result<Self, KeyError> {
        let trusted = TrustedSigner::from_certificate(certificate)?;
        if trusted.key != *key.verifying_key() {
            return Err(KeyError::Mismatch);
        }
        Ok(DocumentSigner {
            key,
            certificate: trusted.certificate,
            kid: trusted.kid,
            country: trusted.country,
            not_before: trusted.not_before,
            not_after: trusted.not_after,
            subject: certificate.tbs_certificate.subject.to_string(),
        })
    }

    /// The development signer kept in `dir`, created there the first time: a country signing CA
    /// (its key is thrown away once it has signed) and a Document Signer it certified.
    pub fn development(dir: &Path) -> Result<Self, KeyError> {
        let (key_path, certificate_path) = (dir.join(KEY_FILE), dir.join(CERTIFICATE_FILE));
        if !key_path.exists() {
            create_files(dir, DEVELOPMENT_MARK)?;
        }
        Self::load(&key_path, &certificate_path)
    }

    /// A fresh development signer held in memory only.
    pub fn generate_for_tests() -> Self {
        let (key, certificate, _) = generate(DEVELOPMENT_MARK).expect("a development signer");
        Self::new(key, &certificate).expect("its own certificate")
    }

    /// Whether this is a development signer (it must not sign for a public https address).
    pub fn is_development(&self) -> bool {
        self.subject.contains(DEVELOPMENT_MARK)
    }

    /// The signer as a verifier trusts it.
    pub fn trusted(&self) -> TrustedSigner {
        TrustedSigner {
            kid: self.kid,
            key: *self.key.verifying_key(),
            certificate: self.certificate.clone(),
            country: self.country.clone(),
            not_before: self.not_before,
            not_after: self.not_after,
        }
    }
}

impl TrustedSigner {
    pub fn from_certificate(certificate: &Certificate) -> Result<Self, KeyError> {
        let der = certificate.to_der().map_err(|e| KeyError::Certificate(e.to_string()))?;
        let spki = certificate.tbs_certificate.subject_public_key_info.subject_public_key.raw_bytes();
        let key = VerifyingKey::from_sec1_bytes(spki).map_err(|e| KeyError::Certificate(e.to_string()))?;
        let validity = &certificate.tbs_certificate.validity;
        let digest = Sha256::digest(&der);
        let country = certificate
            .tbs_certificate
            .subject
            .0
            .iter()
            .flat_map(|rdn| rdn.0.iter())
            .find(|atv| atv.oid == x509_cert::der::oid::db::rfc4519::C)
            .and_then(|atv| atv.value.decode_as::<x509_cert::der::asn1::PrintableStringRef<'_>>().ok().map(|s| s.to_string()))
            .unwrap_or_else(|| "VN".into());
        Ok(TrustedSigner {
            kid: digest[..8].try_into().expect("8 bytes"),
            key,
            certificate: der,
            country,
            not_before: validity.not_before.to_unix_duration().as_secs() as i64,
            not_after: validity.not_after.to_unix_duration().as_secs() as i64,
        })
    }
}

const KEY_FILE: &str = "dsc.key.pem";
const CERTIFICATE_FILE: &str = "dsc.crt.der";

/// Creates a signer's files in `dir`: the key (PKCS#8 PEM, readable by its owner only), its
/// certificate and the CA certificate that signed it (DER), both named with `label`. Returns
/// the key's and the certificate's paths.
pub fn create_files(dir: &Path, label: &str) -> Result<(PathBuf, PathBuf), KeyError> {
    let (key_path, certificate_path) = (dir.join(KEY_FILE), dir.join(CERTIFICATE_FILE));
    std::fs::create_dir_all(dir).map_err(|e| file_error(dir, e))?;
    let (key, certificate, csca) = generate(label)?;
    let pem = key.to_pkcs8_pem(LineEnding::LF).map_err(|e| file_error(&key_path, e))?;
    write_private(&key_path, pem.as_bytes())?;
    let der = |c: &Certificate| c.to_der().map_err(|e| KeyError::Certificate(e.to_string()));
    std::fs::write(&certificate_path, der(&certificate)?).map_err(|e| file_error(&certificate_path, e))?;
    let csca_path = dir.join("csca.crt.der");
    std::fs::write(&csca_path, der(&csca)?).map_err(|e| file_error(&csca_path, e))?;
    Ok((key_path, certificate_path))
}

/// Where the development signer lives: beside an SQLite database file, else in `data/`.
pub fn development_dir(database_url: &str) -> PathBuf {
    let file =
        database_url.strip_prefix("sqlite://").or_else(|| database_url.strip_prefix("sqlite:")).map(|f| f.split('?').next().unwrap_or(f));
    match file.map(Path::new).and_then(Path::parent) {
        Some(dir) if !dir.as_os_str().is_empty() => dir.join("dcc-signer"),
        _ => PathBuf::from("data/dcc-signer"),
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<(), KeyError> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(|e| file_error(path, e))?;
    file.write_all(bytes).map_err(|e| file_error(path, e))
}

fn random_key() -> SigningKey {
    use rand::RngCore;
    loop {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        if let Ok(key) = SigningKey::from_slice(&bytes) {
            return key;
        }
    }
}

/// A Document Signer named with `label`: its key, its certificate, and the CA certificate that
/// signed it.
fn generate(label: &str) -> Result<(SigningKey, Certificate, Certificate), KeyError> {
    let x = |e: x509_cert::builder::Error| KeyError::Certificate(e.to_string());
    let name = |s: &str| Name::from_str(s).map_err(|e| KeyError::Certificate(e.to_string()));
    let spki =
        |key: &SigningKey| SubjectPublicKeyInfoOwned::from_key(*key.verifying_key()).map_err(|e| KeyError::Certificate(e.to_string()));
    let serial = || {
        use rand::RngCore;
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        bytes[0] &= 0x7f;
        SerialNumber::new(&bytes).map_err(|e| KeyError::Certificate(e.to_string()))
    };
    let days = |n: u64| Validity::from_now(std::time::Duration::from_secs(n * 86_400)).map_err(|e| KeyError::Certificate(e.to_string()));
    let csca_key = random_key();
    let csca_name = name(&format!("CN=Viet Nam CSCA {label},O=Cong lam sach du lieu tiem chung,C=VN"))?;
    let csca = CertificateBuilder::new(Profile::Root, serial()?, days(CSCA_DAYS)?, csca_name.clone(), spki(&csca_key)?, &csca_key)
        .map_err(x)?
        .build::<p256::ecdsa::DerSignature>()
        .map_err(x)?;
    let key = random_key();
    let profile = Profile::Leaf { issuer: csca_name, enable_key_agreement: false, enable_key_encipherment: false };
    let subject = name(&format!("CN=Viet Nam DSC {label},O=Cong lam sach du lieu tiem chung,C=VN"))?;
    let certificate = CertificateBuilder::new(profile, serial()?, days(DSC_DAYS)?, subject, spki(&key)?, &csca_key)
        .map_err(x)?
        .build::<p256::ecdsa::DerSignature>()
        .map_err(x)?;
    Ok((key, certificate, csca))
}
