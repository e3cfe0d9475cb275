use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// One error type for the server side. Internal details are logged, never shown, and no
/// variant carries personal data.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("bad request")]
    BadRequest,
    #[error("not signed in")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("too many requests")]
    TooManyRequests,
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn internal(e: impl std::fmt::Display) -> Self {
        AppError::Internal(e.to_string())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest => StatusCode::BAD_REQUEST,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::internal(e)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(detail) = &self {
            tracing::error!(%detail, "internal error");
        }
        let text = match self {
            AppError::BadRequest => "Yêu cầu không hợp lệ. / The request was not valid.",
            AppError::Unauthorized => "Bạn cần tra cứu lại. / Please look up your record again.",
            AppError::Forbidden => "Yêu cầu bị từ chối. / The request was refused.",
            AppError::NotFound => "Không tìm thấy trang. / Page not found.",
            AppError::TooManyRequests => "Quá nhiều yêu cầu, vui lòng thử lại sau. / Too many requests, try again later.",
            AppError::Internal(_) => "Hệ thống đang gặp sự cố, vui lòng thử lại sau. / Something went wrong, please try again later.",
        };
        let body = format!(
            "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{text}</title></head><body><main><h1>{text}</h1><p><a href=\"/\">Trang chủ / Home</a></p></main></body></html>"
        );
        (self.status(), Html(body)).into_response()
    }
}
