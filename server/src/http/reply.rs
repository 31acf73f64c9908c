//! Responses: CBOR bodies, and errors as one sentence of text with their status.

use axum::{
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use mrc_core::sync::wire::WireError;

use crate::{tokens::Refusal, ServerError};

/// The media type of every protocol body.
pub const CBOR: &str = "application/cbor";

/// A CBOR body with status 200.
pub fn cbor(body: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, HeaderValue::from_static(CBOR))], body).into_response()
}

/// A refused or failed request.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }

    /// 401 with the refusal's code first (`revoked: …`), so a device can tell revoked from expired or unknown.
    pub fn unauthorized(refusal: Refusal) -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            format!("{}: {}", refusal.code(), refusal.message()),
        )
    }

    /// An internal failure: logged here (the message names no person, note or token), answered generically.
    pub fn internal(detail: &dyn std::fmt::Display) -> ApiError {
        tracing::error!(error = %detail, "internal error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal server error; the server log has the details",
        )
    }
}

impl From<ServerError> for ApiError {
    fn from(err: ServerError) -> ApiError {
        let status = match &err {
            ServerError::BadRequest(_) | ServerError::Invalid(_) => StatusCode::BAD_REQUEST,
            ServerError::Forbidden(_) => StatusCode::FORBIDDEN,
            ServerError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ServerError::Store(_) | ServerError::Internal(_) => return ApiError::internal(&err),
        };
        ApiError::new(status, err.to_string())
    }
}

impl From<WireError> for ApiError {
    fn from(err: WireError) -> ApiError {
        match err {
            WireError::Version(_) => ApiError::new(StatusCode::CONFLICT, err.to_string()),
            WireError::Malformed(detail) => ApiError::new(
                StatusCode::BAD_REQUEST,
                format!("the body is not a valid CBOR message of this protocol: {detail}"),
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (
            self.status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            )],
            format!("{}\n", self.message),
        )
            .into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}
