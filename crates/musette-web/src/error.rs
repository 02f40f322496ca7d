//! Errors as the API gives them: `{"error","message"}` with the HTTP status that matches the
//! command line's exit code (2 → 400, 3 → 401 or 423, 4 → 404, 5 → 422, 1 → 500).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use musette_core::ErrorKind;

/// An error of a request.
#[derive(Debug, Clone)]
pub struct WebError {
    /// The HTTP status.
    pub status: StatusCode,
    /// A short machine-readable code (`invalid`, `locked`, `not_found`, `damaged`, …).
    pub code: &'static str,
    /// What is wrong and how to fix it.
    pub message: String,
    /// The vault's error behind it, when there is one: pages say it in their language.
    pub(crate) cause: Option<std::sync::Arc<musette_core::Error>>,
    /// The message from the app's catalogue, when it has one: pages say it in their language
    /// (`message` is its English).
    pub(crate) said: Option<musette_core::i18n::Msg>,
}

impl WebError {
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        WebError {
            status,
            code,
            message: message.into(),
            cause: None,
            said: None,
        }
    }

    /// An error worded by the app's catalogue: its English for the API, its words in the
    /// page's language for pages.
    pub(crate) fn said(
        status: StatusCode,
        code: &'static str,
        msg: musette_core::i18n::Msg,
    ) -> Self {
        WebError {
            status,
            code,
            message: msg.to_string(),
            cause: None,
            said: Some(msg),
        }
    }

    /// Bad input (exit 2), worded by the app's catalogue.
    pub(crate) fn invalid_said(msg: musette_core::i18n::Msg) -> Self {
        WebError::said(StatusCode::BAD_REQUEST, "invalid", msg)
    }

    /// A form or a body the framework could not read: too large (413, with the most this
    /// route takes), or malformed (400).
    pub(crate) fn unreadable_form(
        e: &axum::extract::multipart::MultipartError,
        limit: u64,
    ) -> Self {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return WebError::too_large(limit);
        }
        WebError::invalid_said(musette_core::msg!(
            crate::i18n::WEB,
            "error-form-unreadable",
            why = e.body_text()
        ))
    }

    /// A body larger than `limit` bytes (413).
    pub(crate) fn too_large(limit: u64) -> Self {
        WebError::said(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            musette_core::msg!(crate::i18n::WEB, "error-too-large", mib = limit >> 20),
        )
    }

    /// Bad input (exit 2).
    pub fn invalid(message: impl Into<String>) -> Self {
        WebError::new(StatusCode::BAD_REQUEST, "invalid", message)
    }

    /// The vault is locked (exit 3).
    pub fn locked() -> Self {
        WebError::new(
            StatusCode::LOCKED,
            "locked",
            "the vault is locked: unlock it in the app's first page, or POST the passphrase to /api/v1/unlock",
        )
    }

    /// No credentials, or wrong ones (exit 3).
    pub fn unauthorized(message: impl Into<String>) -> Self {
        WebError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    /// Refused on principle: a foreign host or origin, a CSRF token missing (exit 2).
    pub fn forbidden(message: impl Into<String>) -> Self {
        WebError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    /// Nothing there (exit 4).
    pub fn not_found(message: impl Into<String>) -> Self {
        WebError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// Anything else (exit 1).
    pub fn internal(message: impl Into<String>) -> Self {
        WebError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }
}

impl From<musette_core::Error> for WebError {
    fn from(e: musette_core::Error) -> Self {
        let message = e.to_string();
        let web = match e.kind() {
            ErrorKind::Invalid => WebError::invalid(message),
            ErrorKind::Locked => {
                WebError::new(StatusCode::UNAUTHORIZED, "wrong_passphrase", message)
            }
            ErrorKind::NotFound => WebError::not_found(message),
            ErrorKind::Damaged => {
                WebError::new(StatusCode::UNPROCESSABLE_ENTITY, "damaged", message)
            }
            _ => WebError::internal(message),
        };
        WebError {
            cause: Some(std::sync::Arc::new(e)),
            ..web
        }
    }
}

/// Said when a form's CSRF token is missing or wrong.
pub(crate) const CSRF_STALE: &str =
    "this form's security token is missing or stale: reload the page and try again";
/// Said for an address the app does not serve.
pub(crate) const NO_PAGE: &str = "there is no such page here";
/// Said for a launch link used twice, or not the one printed.
pub(crate) const LINK_USED: &str = "this link was already used, or is not the one `musette ui` printed: run `musette ui` again for a new one";

impl std::fmt::Display for WebError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.code, "message": self.message });
        (self.status, axum::Json(body)).into_response()
    }
}
