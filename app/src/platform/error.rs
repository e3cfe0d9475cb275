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
    /// Heavy work (reading a photo) has no free place on this server right now.
    #[error("busy")]
    Busy,
    /// The database failed; the error is kept with its source chain for the log.
    #[error("database")]
    Database(#[from] sqlx::Error),
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
            AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Database(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match &self {
            AppError::Internal(detail) => tracing::error!(%detail, "internal error"),
            AppError::Database(e) => {
                let sources =
                    std::iter::successors(std::error::Error::source(e), |s| s.source()).map(|s| s.to_string()).collect::<Vec<_>>();
                tracing::error!(error = %e, ?sources, "database error");
            }
            _ => {}
        }
        error_page(self.status())
    }
}

/// The portal's own page for an error status, in both languages, without any detail.
pub fn error_page(status: StatusCode) -> Response {
    let text = match status {
        StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY | StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            "Yêu cầu không hợp lệ. / The request was not valid."
        }
        StatusCode::UNAUTHORIZED => "Bạn cần tra cứu lại. / Please look up your record again.",
        StatusCode::FORBIDDEN => "Yêu cầu bị từ chối. / The request was refused.",
        StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED => "Không tìm thấy trang. / Page not found.",
        StatusCode::PAYLOAD_TOO_LARGE => "Nội dung gửi lên quá lớn. / What was sent is too large.",
        StatusCode::TOO_MANY_REQUESTS => "Quá nhiều yêu cầu, vui lòng thử lại sau. / Too many requests, try again later.",
        StatusCode::SERVICE_UNAVAILABLE => {
            "Hệ thống đang bận, vui lòng thử lại sau ít phút. / The portal is busy, please try again in a minute."
        }
        _ => "Hệ thống đang gặp sự cố, vui lòng thử lại sau. / Something went wrong, please try again later.",
    };
    let body = format!(
        "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{text}</title></head><body><main><h1>{text}</h1><p><a href=\"/\">Trang chủ / Home</a></p></main></body></html>"
    );
    (status, Html(body)).into_response()
}

/// A layer's function: errors the framework answers by itself (a form or path it cannot
/// parse, a body too large, a wrong method) come as plain text naming Rust types; they get
/// the portal's page instead. Pages and files the portal writes are left as they are.
pub async fn framework_errors_as_pages(response: Response) -> Response {
    let status = response.status();
    let plain =
        response.headers().get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_none_or(|v| v.starts_with("text/plain"));
    if (status.is_client_error() || status.is_server_error()) && plain {
        return error_page(status);
    }
    response
}

/// For the catch-panic layer: a handler that panicked answers 500 with the portal's page;
/// the panic is logged (never shown).
pub fn panic_page(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("a panic without a message");
    tracing::error!(%detail, "a request handler panicked");
    error_page(StatusCode::INTERNAL_SERVER_ERROR)
}
