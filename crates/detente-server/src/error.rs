//! Every failure as a JSON body `{ "error": "…", … }` with the status that
//! says whose fault it is: 4xx for the request (with the engine's own
//! message when the engine refused it), 503 when the server is busy or the
//! deadline passed, 500 only for a bug.

use std::time::Duration;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

/// An error answer: a status and a JSON body that always has `error`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    body: Value,
    retry_after: Option<u64>,
}

impl ApiError {
    /// A status and a message, nothing more.
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError { status, body: json!({ "error": message.into() }), retry_after: None }
    }

    /// The request itself is malformed (bad JSON, a `set` that does not parse).
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    /// The engine refused the work (too many outcomes, not applicable): 422
    /// with the engine's message, which says what limit was met.
    pub fn refused(message: impl std::fmt::Display) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, message.to_string())
    }

    /// The scenario text has errors: 422 with the diagnostics document of
    /// `POST /api/check`, so the page can show them where they are.
    pub fn invalid_scenario(check: Value) -> ApiError {
        let errors =
            check["diagnostics"].as_array().map_or(0, |d| d.iter().filter(|d| d["severity"] == "error").count());
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            body: json!({
                "error": format!("the scenario has {errors} error{}", if errors == 1 { "" } else { "s" }),
                "check": check,
            }),
            retry_after: None,
        }
    }

    /// Every computation slot is taken: 503 with `Retry-After`.
    pub fn busy(slots: usize) -> ApiError {
        ApiError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            body: json!({ "error": format!("busy: all {slots} computation slots are in use; try again in a moment") }),
            retry_after: Some(1),
        }
    }

    /// The computation ran past the deadline and was cancelled.
    pub fn deadline(deadline: Duration) -> ApiError {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "the computation took longer than the server's deadline of {} s and was stopped; \
                 try a coarser resolution or a smaller scenario",
                deadline.as_secs_f64()
            ),
        )
    }

    /// A bug (a panic in the engine): the request gets an answer anyway.
    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body)).into_response();
        if let Some(seconds) = self.retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
