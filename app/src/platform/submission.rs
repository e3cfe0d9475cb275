//! A submitted form, URL-encoded or multipart (forms with files), as text fields plus files.
//! Files are read with a size cap; a file over the cap is reported, not silently cut.

use super::AppError;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header::CONTENT_TYPE;
use serde::de::DeserializeOwned;
use std::collections::HashMap;

/// Largest file a citizen may attach (a phone photo of a vaccination card fits easily).
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;
/// Largest text field; every text the portal takes is far shorter.
const MAX_TEXT_BYTES: usize = 64 * 1024;
/// The most parts a form may have: the longest form has about twenty fields and five files.
const MAX_PARTS: usize = 40;
/// The body limit for routes that take files: five files and the text around them.
pub const MAX_UPLOAD_BODY: usize = 5 * MAX_FILE_BYTES + 1024 * 1024;

#[derive(Debug, Clone)]
pub struct FilePart {
    pub file_name: String,
    pub bytes: Vec<u8>,
    /// More than the form's cap arrived; `bytes` holds nothing.
    pub too_large: bool,
}

/// A form; each file may be at most `MAX_FILE` bytes (a citizen's photo by default; a returned
/// spreadsheet takes `SPREADSHEET_BYTES`).
#[derive(Debug, Default)]
pub struct Submission<const MAX_FILE: usize = MAX_FILE_BYTES> {
    fields: HashMap<String, String>,
    pub files: Vec<FilePart>,
}

/// Largest spreadsheet a station may upload: a signed list of 100,000 rows with room to spare.
pub const SPREADSHEET_BYTES: usize = 32 * 1024 * 1024;

impl<const MAX_FILE: usize> Submission<MAX_FILE> {
    /// A form of text fields only, as a browser would send it.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Submission { fields: pairs.into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(), files: Vec::new() }
    }

    pub fn text(&self, name: &str) -> &str {
        self.fields.get(name).map(String::as_str).unwrap_or("")
    }

    /// The text fields, to show a refused form again as typed.
    pub fn fields(&self) -> impl Iterator<Item = (&str, &str)> {
        self.fields.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// A message field (a reason, a note, an answer) parsed as `ComplaintText`; a refusal is
    /// recorded in `form` under the field's name.
    pub fn message(&self, name: &str, form: &mut crate::form_state::FormState) -> Option<String> {
        crate::domain::ComplaintText::parse(self.text(name)).map(|t| t.as_str().to_string()).map_err(|e| form.reject(name, e)).ok()
    }

    /// The text fields as a typed form (missing fields take their `#[serde(default)]`).
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, AppError> {
        let pairs = self.fields.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        T::deserialize(serde::de::value::MapDeserializer::<_, serde::de::value::Error>::new(pairs)).map_err(|_| AppError::BadRequest)
    }
}

impl<S: Send + Sync, const MAX_FILE: usize> FromRequest<S> for Submission<MAX_FILE> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let multipart = req.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("multipart/form-data"));
        if !multipart {
            let axum::Form(pairs) =
                axum::Form::<Vec<(String, String)>>::from_request(req, state).await.map_err(|_| AppError::BadRequest)?;
            return Ok(Submission { fields: pairs.into_iter().collect(), files: Vec::new() });
        }
        let mut parts = Multipart::from_request(req, state).await.map_err(|_| AppError::BadRequest)?;
        let mut submission = Submission::<MAX_FILE>::default();
        let mut count = 0;
        while let Some(mut field) = parts.next_field().await.map_err(|_| AppError::BadRequest)? {
            count += 1;
            if count > MAX_PARTS {
                return Err(AppError::BadRequest);
            }
            let name = field.name().unwrap_or_default().to_string();
            match field.file_name().map(str::to_string) {
                Some(file_name) => {
                    let mut bytes = Vec::new();
                    let mut too_large = false;
                    while let Some(chunk) = field.chunk().await.map_err(|_| AppError::BadRequest)? {
                        if bytes.len() + chunk.len() > MAX_FILE {
                            too_large = true;
                            bytes = Vec::new();
                        }
                        if !too_large {
                            bytes.extend_from_slice(&chunk);
                        }
                    }
                    // An empty file input still sends a part, with no name and no bytes.
                    if !file_name.is_empty() || !bytes.is_empty() {
                        submission.files.push(FilePart { file_name, bytes, too_large });
                    }
                }
                None => {
                    let text = field.text().await.map_err(|_| AppError::BadRequest)?;
                    if text.len() > MAX_TEXT_BYTES {
                        return Err(AppError::BadRequest);
                    }
                    submission.fields.insert(name, text);
                }
            }
        }
        Ok(submission)
    }
}
