//! The EU Digital COVID Certificate, encoded and decoded exactly as the specification says (no
//! SQL, no HTTP): the payload (schema 1.3.0) in CWT claims {1 iss, 6 iat, 4 exp, -260: {1:
//! payload}}, a COSE_Sign1 with protected header {alg ES256, kid}, the raw 64-byte r‖s
//! signature, then zlib, Base45 and the `HC1:` prefix; the QR in alphanumeric mode, error
//! correction Q. Kept crates do the COSE, CBOR, ECDSA, Base45, zlib and QR work.

use super::keys::{DocumentSigner, TrustedSigner};
use crate::domain::BirthDate;
use chrono::NaiveDate;
use coset::cwt::{ClaimsSet, ClaimsSetBuilder, Timestamp};
use coset::{CborSerializable, CoseSign1, CoseSign1Builder, HeaderBuilder, TaggedCborSerializable, iana};
use p256::ecdsa::signature::{Signer, Verifier};
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};

/// The claim that holds the health certificate (hcert, -260), and the key of the DCC inside it.
const HCERT_CLAIM: iana::CwtClaimName = iana::CwtClaimName::Hcert;
const DCC_KEY: i64 = 1;
pub const PREFIX: &str = "HC1:";
/// SNOMED CT: COVID-19.
pub const TARGET_DISEASE: &str = "840539006";
pub const SCHEMA_VERSION: &str = "1.3.0";
/// A compressed certificate is a few hundred bytes: more than this is not one.
const MAX_INFLATED: u64 = 64 * 1024;

/// The EU DCC payload, as the schema names its fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Payload {
    pub ver: String,
    pub nam: Names,
    pub dob: String,
    pub v: Vec<VaccinationEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Names {
    #[serde(rename = "fn", skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    pub fnt: String,
    #[serde(rename = "gn", skip_serializing_if = "Option::is_none")]
    pub given: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gnt: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VaccinationEntry {
    pub tg: String,
    pub vp: String,
    pub mp: String,
    pub ma: String,
    pub dn: u32,
    pub sd: u32,
    pub dt: String,
    pub co: String,
    pub is: String,
    pub ci: String,
}

/// A vaccine product as the EU value sets code it.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductCodes {
    /// vaccine-prophylaxis
    pub vp: String,
    /// vaccine-medicinal-product
    pub mp: String,
    /// vaccine-mah-manf
    pub ma: String,
}

/// What a certificate says: the person and their latest dose.
#[derive(Debug, Clone)]
pub struct Content {
    pub full_name: String,
    pub birth: BirthDate,
    pub product: ProductCodes,
    /// The latest dose's number, and the doses of the series (a booster: dn = sd = 3).
    pub dose_number: u32,
    pub series_doses: u32,
    pub given_on: NaiveDate,
    pub issuer: String,
    pub uvci: String,
}

impl Content {
    pub fn payload(&self) -> Payload {
        // Vietnamese names are family name first: "Nguyễn Thị Lan" is Nguyễn, then Thị Lan.
        let name = self.full_name.split_whitespace().collect::<Vec<_>>();
        let (family, given) = match name.split_first() {
            Some((family, given)) if !given.is_empty() => (family.to_string(), Some(given.join(" "))),
            _ => (name.join(" "), None),
        };
        Payload {
            ver: SCHEMA_VERSION.into(),
            nam: Names { fnt: icao(&family), gnt: given.as_deref().map(icao), family: Some(family), given },
            dob: self.birth.stored(),
            v: vec![VaccinationEntry {
                tg: TARGET_DISEASE.into(),
                vp: self.product.vp.clone(),
                mp: self.product.mp.clone(),
                ma: self.product.ma.clone(),
                dn: self.dose_number,
                sd: self.series_doses,
                dt: self.given_on.format("%Y-%m-%d").to_string(),
                co: "VN".into(),
                is: self.issuer.clone(),
                ci: self.uvci.clone(),
            }],
        }
    }
}

/// A name as ICAO 9303 machine-readable zones write it: Latin capitals, `<` between words,
/// Vietnamese diacritics dropped and Đ written D (`Nguyễn Thị` → `NGUYEN<THI`).
pub fn icao(name: &str) -> String {
    let mut out = String::new();
    for c in crate::domain::fold(name).chars() {
        if c.is_ascii_alphabetic() {
            out.push(c.to_ascii_uppercase());
        } else if c == '\'' {
            // Apostrophes are left out, not turned into a filler.
        } else if !out.is_empty() && !out.ends_with('<') {
            out.push('<');
        }
    }
    out.trim_end_matches('<').chars().take(80).collect()
}

/// A new unique certificate identifier: `URN:UVCI:01:VN:` and 24 random letters and digits.
pub fn new_uvci() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    let id: String = (0..24).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect();
    format!("URN:UVCI:01:VN:{id}")
}

#[derive(Debug, thiserror::Error)]
pub enum EncodeError {
    #[error("CBOR: {0}")]
    Cbor(String),
    #[error("zlib: {0}")]
    Zlib(#[from] std::io::Error),
}

/// The signed certificate as the `HC1:` text: `payload` in CWT claims issued `iat` and
/// expiring `exp` (Unix seconds), signed by `signer`.
pub fn sign(signer: &DocumentSigner, payload: &Payload, iat: i64, exp: i64) -> Result<String, EncodeError> {
    let cbor = |e: coset::CoseError| EncodeError::Cbor(e.to_string());
    let dcc = ciborium::Value::serialized(payload).map_err(|e| EncodeError::Cbor(e.to_string()))?;
    let hcert = ciborium::Value::Map(vec![(ciborium::Value::Integer(DCC_KEY.into()), dcc)]);
    let claims = ClaimsSetBuilder::new()
        .issuer(signer.country.clone())
        .issued_at(Timestamp::WholeSeconds(iat))
        .expiration_time(Timestamp::WholeSeconds(exp))
        .claim(HCERT_CLAIM, hcert)
        .build()
        .to_vec()
        .map_err(cbor)?;
    let protected = HeaderBuilder::new().algorithm(iana::Algorithm::ES256).key_id(signer.kid.to_vec()).build();
    let sign1 = CoseSign1Builder::new()
        .protected(protected)
        .payload(claims)
        .create_signature(&[], |tbs| {
            let signature: p256::ecdsa::Signature = signer.key().sign(tbs);
            signature.to_bytes().to_vec()
        })
        .build();
    let cose = sign1.to_tagged_vec().map_err(cbor)?;
    let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    zlib.write_all(&cose)?;
    Ok(format!("{PREFIX}{}", base45::encode(zlib.finish()?)))
}

/// A certificate read back from its `HC1:` text, before any signature is checked.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub kid: Vec<u8>,
    pub issuer: Option<String>,
    pub issued_at: Option<i64>,
    pub expires_at: Option<i64>,
    pub payload: Payload,
    sign1: CoseSign1,
}

/// Why a text is not a certificate at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("not HC1")]
    NotHc1,
    #[error("not Base45")]
    Base45,
    #[error("not zlib")]
    Zlib,
    #[error("not COSE_Sign1")]
    Cose,
    #[error("not ES256")]
    Algorithm,
    #[error("no CWT claims")]
    Claims,
    #[error("no EU DCC payload")]
    Payload,
}

/// Reads an `HC1:` text down to its payload (the QR's text; spaces around it are forgiven).
pub fn decode(text: &str) -> Result<Decoded, DecodeError> {
    let body = text.trim().strip_prefix(PREFIX).ok_or(DecodeError::NotHc1)?;
    let compressed = base45::decode(body).map_err(|_| DecodeError::Base45)?;
    let mut cose = Vec::new();
    flate2::read::ZlibDecoder::new(compressed.as_slice()).take(MAX_INFLATED + 1).read_to_end(&mut cose).map_err(|_| DecodeError::Zlib)?;
    if cose.len() as u64 > MAX_INFLATED {
        return Err(DecodeError::Zlib);
    }
    let sign1 = CoseSign1::from_tagged_slice(&cose).or_else(|_| CoseSign1::from_slice(&cose)).map_err(|_| DecodeError::Cose)?;
    if sign1.protected.header.alg != Some(coset::RegisteredLabelWithPrivate::Assigned(iana::Algorithm::ES256)) {
        return Err(DecodeError::Algorithm);
    }
    let kid =
        if sign1.protected.header.key_id.is_empty() { sign1.unprotected.key_id.clone() } else { sign1.protected.header.key_id.clone() };
    let claims = ClaimsSet::from_slice(sign1.payload.as_deref().ok_or(DecodeError::Claims)?).map_err(|_| DecodeError::Claims)?;
    let seconds = |t: &Option<Timestamp>| match t {
        Some(Timestamp::WholeSeconds(s)) => Some(*s),
        Some(Timestamp::FractionalSeconds(s)) => Some(*s as i64),
        None => None,
    };
    let hcert = claims
        .rest
        .iter()
        .find(|(label, _)| *label == coset::cwt::ClaimName::Assigned(HCERT_CLAIM))
        .map(|(_, value)| value)
        .ok_or(DecodeError::Payload)?;
    let dcc = hcert
        .as_map()
        .and_then(|m| m.iter().find(|(k, _)| k.as_integer() == Some(DCC_KEY.into())))
        .map(|(_, v)| v)
        .ok_or(DecodeError::Payload)?;
    let payload: Payload = dcc.deserialized().map_err(|_| DecodeError::Payload)?;
    Ok(Decoded {
        kid,
        issuer: claims.issuer.clone(),
        issued_at: seconds(&claims.issued_at),
        expires_at: seconds(&claims.expiration_time),
        payload,
        sign1,
    })
}

/// What checking a certificate found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    Valid,
    UnknownSigner,
    BadSignature,
    Expired,
}

impl Decoded {
    /// The signature checked against the trusted signer named by the kid, then the expiry at
    /// `now` (Unix seconds). Revocation is the caller's: it needs the revocation list.
    pub fn check(&self, trusted: &[TrustedSigner], now: i64) -> Check {
        let Some(signer) = trusted.iter().find(|t| t.kid.as_slice() == self.kid.as_slice()) else {
            return Check::UnknownSigner;
        };
        let verified = self.sign1.verify_signature(&[], |signature, tbs| {
            let signature = p256::ecdsa::Signature::from_slice(signature).map_err(|_| ())?;
            signer.key.verify(tbs, &signature).map_err(|_| ())
        });
        if verified.is_err() {
            return Check::BadSignature;
        }
        match self.expires_at {
            Some(exp) if exp > now => Check::Valid,
            _ => Check::Expired,
        }
    }

    /// The UVCI of the certificate's (first) vaccination entry.
    pub fn uvci(&self) -> Option<&str> {
        self.payload.v.first().map(|v| v.ci.as_str())
    }
}

/// The QR of an `HC1:` text as SVG, alphanumeric mode (the Base45 alphabet is QR's), error
/// correction Q, at least `size` pixels square with its quiet zone.
pub fn qr_svg(hc1: &str, size: u32) -> Option<String> {
    let code = qrcode::QrCode::with_error_correction_level(hc1.as_bytes(), qrcode::EcLevel::Q).ok()?;
    Some(code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(size, size).quiet_zone(true).build())
}

/// The same QR as a PNG (black on white, `scale` pixels a module, a 4-module quiet zone), for
/// a download that prints or sends as an image. The QR code is the crate's; this only paints it.
pub fn qr_png(hc1: &str, scale: usize) -> Option<Vec<u8>> {
    let code = qrcode::QrCode::with_error_correction_level(hc1.as_bytes(), qrcode::EcLevel::Q).ok()?;
    let (modules, colors) = (code.width(), code.to_colors());
    let side = (modules + 8) * scale;
    let mut pixels = vec![255u8; side * side];
    for (i, color) in colors.iter().enumerate() {
        if *color == qrcode::Color::Dark {
            let (x, y) = ((i % modules + 4) * scale, (i / modules + 4) * scale);
            for row in y..y + scale {
                pixels[row * side + x..row * side + x + scale].fill(0);
            }
        }
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, side as u32, side as u32);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.write_header().ok()?.write_image_data(&pixels).ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_transliterated_as_icao_9303_writes_them() {
        assert_eq!(icao("Nguyễn"), "NGUYEN");
        assert_eq!(icao("Thị Lan"), "THI<LAN");
        assert_eq!(icao("Đặng  Văn-Đức"), "DANG<VAN<DUC");
        assert_eq!(icao("Lê\u{0302} Va\u{0306}n"), "LE<VAN");
        assert!(icao("Trần Thị Ngọc Ánh").chars().all(|c| c.is_ascii_uppercase() || c == '<'));
    }

    #[test]
    fn a_uvci_is_unique_and_in_the_countrys_namespace() {
        let (a, b) = (new_uvci(), new_uvci());
        assert!(a.starts_with("URN:UVCI:01:VN:") && a.len() == 39, "{a}");
        assert_ne!(a, b);
    }

    fn content() -> Content {
        Content {
            full_name: "Nguyễn Thị Lan".into(),
            birth: BirthDate::YearOnly(1990),
            product: ProductCodes { vp: "1119349007".into(), mp: "EU/1/20/1528".into(), ma: "ORG-100030215".into() },
            dose_number: 2,
            series_doses: 2,
            given_on: NaiveDate::from_ymd_opt(2021, 9, 1).unwrap(),
            issuer: "Ministry of Health of Viet Nam".into(),
            uvci: new_uvci(),
        }
    }

    #[test]
    fn a_signed_certificate_decodes_to_its_payload_and_checks_against_its_signer_only() {
        let signer = DocumentSigner::generate_for_tests();
        let payload = content().payload();
        assert_eq!(payload.nam.fnt, "NGUYEN");
        assert_eq!(payload.nam.gnt.as_deref(), Some("THI<LAN"));
        assert_eq!(payload.dob, "1990");
        let hc1 = sign(&signer, &payload, 1_700_000_000, 1_800_000_000).unwrap();
        assert!(hc1.starts_with("HC1:"));
        let decoded = decode(&hc1).unwrap();
        assert_eq!(decoded.payload, payload);
        assert_eq!((decoded.issued_at, decoded.expires_at), (Some(1_700_000_000), Some(1_800_000_000)));
        assert_eq!(decoded.kid, signer.kid.to_vec());
        let trusted = [signer.trusted()];
        assert_eq!(decoded.check(&trusted, 1_750_000_000), Check::Valid);
        assert_eq!(decoded.check(&trusted, 1_800_000_001), Check::Expired);
        let other = DocumentSigner::generate_for_tests();
        assert_eq!(decoded.check(&[other.trusted()], 1_750_000_000), Check::UnknownSigner);
        // The other signer under our kid: the signature does not verify.
        let mut impostor = other.trusted();
        impostor.kid = signer.kid;
        assert_eq!(decoded.check(&[impostor], 1_750_000_000), Check::BadSignature);
        assert!(qr_svg(&hc1, 300).unwrap().starts_with("<?xml"));
        let png = qr_png(&hc1, 4).unwrap();
        assert!(png.starts_with(b"\x89PNG"));
        let read = |bytes: &[u8]| super::super::qr_reader::read(bytes, super::super::qr_reader::Source::Photo);
        assert_eq!(read(&png), super::super::qr_reader::QrRead::Text(hc1.clone()), "another QR reader reads our QR back");
        assert_eq!(read(b"not an image"), super::super::qr_reader::QrRead::NotAPicture);
    }

    #[test]
    fn a_tampered_certificate_fails_its_signature_and_rubbish_is_not_a_certificate() {
        let signer = DocumentSigner::generate_for_tests();
        let mut payload = content().payload();
        let hc1 = sign(&signer, &payload, 1_700_000_000, 1_800_000_000).unwrap();
        // Re-encode with another birth date but the original signature.
        let mut decoded = decode(&hc1).unwrap();
        payload.dob = "1991".into();
        let other = sign(&signer, &payload, 1_700_000_000, 1_800_000_000).unwrap();
        decoded.sign1.payload = decode(&other).unwrap().sign1.payload;
        let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        zlib.write_all(&decoded.sign1.clone().to_tagged_vec().unwrap()).unwrap();
        let tampered = decode(&format!("{PREFIX}{}", base45::encode(zlib.finish().unwrap()))).unwrap();
        assert_eq!(tampered.payload.dob, "1991");
        assert_eq!(tampered.check(&[signer.trusted()], 1_750_000_000), Check::BadSignature);
        assert_eq!(decode("HC1:not base45 !!").unwrap_err(), DecodeError::Base45);
        assert_eq!(decode("hello").unwrap_err(), DecodeError::NotHc1);
    }
}
