//! Errors, mapped to HTTP once.
//!
//! Every refusal the core gives keeps its stable code (`LedgerError::code`,
//! `NotAuthorised::reason`, a `Problem`'s code) and becomes a JSON body:
//!
//! ```json
//! {"error": {"status": 403, "code": "not_authorised", "reason": "not_the_supervisor",
//!            "field": null, "message": "...", "problems": []}}
//! ```
//!
//! The status follows the core's error area (`kinerja::device::ErrorArea`): a
//! caller's mistake is a 4xx, never a 500; only a failure of the service itself
//! (its database, a broken invariant) is a 5xx.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kinerja::Problem;
use kinerja::device::{ErrorArea, ledger_area};
use kinerja::ledger::LedgerError;
use kinerja::org::NotAuthorised;
use serde::Serialize;
use utoipa::ToSchema;

use crate::store::StoreError;

/// An error answered to a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// A stable machine-readable code.
    pub code: String,
    /// For an authorisation refusal, its stable reason (`not_the_supervisor`, ...).
    pub reason: Option<String>,
    /// The field at fault, when one is.
    pub field: Option<String>,
    /// A sentence for people.
    pub message: String,
    /// Every problem, for validation errors.
    pub problems: Vec<Problem>,
    /// The core's refusal as a message (id and typed values), for a page to say
    /// it in the reader's language with the core's renderer. Not part of the
    /// JSON body (its `message` is the same sentence in English).
    pub localized: Option<kinerja::i18n::Message>,
}

/// The JSON body of an error.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// The error inside [`ErrorBody`].
#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// The HTTP status again.
    pub status: u16,
    /// Stable code, e.g. `outside_entry_window`, `not_authorised`, `invalid_input`.
    pub code: String,
    /// For `not_authorised`: why, e.g. `not_the_supervisor`.
    pub reason: Option<String>,
    /// The field at fault.
    pub field: Option<String>,
    /// For people.
    pub message: String,
    /// Every problem found (record, id, field, code, message).
    #[schema(value_type = Vec<Object>)]
    pub problems: Vec<Problem>,
}

impl ApiError {
    /// An error with a status, code and message.
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code: code.to_string(),
            reason: None,
            field: None,
            message: message.into(),
            problems: Vec::new(),
            localized: None,
        }
    }

    /// 400: the request cannot be read.
    pub fn bad_request(code: &str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// 401: no valid session or token.
    pub fn unauthenticated(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated", message)
    }

    /// 403 with a refusal reason.
    pub fn forbidden(reason: &str, message: impl Into<String>) -> ApiError {
        let mut e = ApiError::new(StatusCode::FORBIDDEN, "not_authorised", message);
        e.reason = Some(reason.to_string());
        e
    }

    /// 404.
    pub fn not_found(what: &str, id: impl std::fmt::Display) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", format!("{what} `{id}` not found"))
    }

    /// 422 with the problems found.
    pub fn invalid(code: &str, message: impl Into<String>, problems: Vec<Problem>) -> ApiError {
        let mut e = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message);
        e.field = problems.first().map(|p| p.field.clone()).filter(|f| !f.is_empty());
        e.problems = problems;
        e
    }

    /// 409: the request conflicts with the record's state.
    pub fn conflict(code: &str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, code, message)
    }

    /// 503: the service cannot keep the record right now.
    pub fn unavailable(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", message)
    }

    /// 500: a failure of the service itself.
    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }

    /// Replaces the code.
    pub fn with_code(mut self, code: &str) -> ApiError {
        self.code = code.to_string();
        self
    }

    /// Sets the field.
    pub fn with_field(mut self, field: &str) -> ApiError {
        self.field = Some(field.to_string());
        self
    }

    /// The body sent.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                status: self.status.as_u16(),
                code: self.code.clone(),
                reason: self.reason.clone(),
                field: self.field.clone(),
                message: self.message.clone(),
                problems: self.problems.clone(),
            },
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status.as_u16(), self.code, self.message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status.is_server_error() {
            tracing::error!(code = %self.code, "{}", self.message);
        }
        (self.status, Json(self.body())).into_response()
    }
}

/// The status of a core error area.
pub fn status_of(area: ErrorArea) -> StatusCode {
    match area {
        ErrorArea::NotAuthorised => StatusCode::FORBIDDEN,
        ErrorArea::NotFound => StatusCode::NOT_FOUND,
        ErrorArea::Ledger => StatusCode::CONFLICT,
        ErrorArea::Parse => StatusCode::BAD_REQUEST,
        ErrorArea::Validation
        | ErrorArea::Policy
        | ErrorArea::ActivityRejected
        | ErrorArea::Verification
        | ErrorArea::Attendance => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorArea::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl From<LedgerError> for ApiError {
    fn from(e: LedgerError) -> ApiError {
        let e = match e {
            LedgerError::Replay { .. } => e.root().clone(),
            other => other,
        };
        let area = ledger_area(&e);
        let mut out = ApiError::new(status_of(area), e.code(), e.to_string());
        match &e {
            LedgerError::NotAuthorised(n) => out.reason = Some(n.reason().to_string()),
            LedgerError::Activity(a) => {
                let p = a.to_problem(None);
                out.field = Some(p.field.clone());
                out.problems = vec![p];
            }
            LedgerError::Verification(v) => {
                let p = v.to_problem();
                out.field = Some(p.field.clone());
                out.problems = vec![p];
            }
            LedgerError::Attendance(a) => {
                let p = a.to_problem();
                out.field = Some(p.field.clone());
                out.problems = vec![p];
            }
            LedgerError::Policy(p) => out.problems = p.problems().to_vec(),
            LedgerError::Conflict { field, .. } | LedgerError::WrongMonth { field, .. } => {
                out.field = Some((*field).to_string())
            }
            _ => {}
        }
        out.localized = Some(kinerja::i18n::Localized::message(&e));
        out
    }
}

impl From<NotAuthorised> for ApiError {
    fn from(e: NotAuthorised) -> ApiError {
        let status = match e {
            NotAuthorised::UnknownEmployee { .. } => StatusCode::NOT_FOUND,
            _ => StatusCode::FORBIDDEN,
        };
        let mut out = ApiError::new(status, "not_authorised", e.to_string());
        out.reason = Some(e.reason().to_string());
        out.localized = Some(kinerja::i18n::Localized::message(&e));
        out
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::Damaged { .. } => ApiError::internal(e.to_string()),
            _ => ApiError::unavailable(format!("the record cannot be reached right now: {e}")),
        }
    }
}

impl From<kinerja::ValidationErrors> for ApiError {
    fn from(e: kinerja::ValidationErrors) -> ApiError {
        ApiError::invalid("invalid", e.to_string(), e.problems)
    }
}

impl From<kinerja::dataset::DatasetError> for ApiError {
    fn from(e: kinerja::dataset::DatasetError) -> ApiError {
        match e {
            kinerja::dataset::DatasetError::Invalid(v) => v.into(),
            other => ApiError::invalid("invalid_dataset", other.to_string(), Vec::new()),
        }
    }
}

impl From<kinerja::policy::PolicyError> for ApiError {
    fn from(e: kinerja::policy::PolicyError) -> ApiError {
        let mut out = ApiError::invalid(e.code(), e.to_string(), e.problems().to_vec());
        out.localized = Some(kinerja::i18n::Localized::message(&e));
        out
    }
}

impl From<kinerja::device::DeviceError> for ApiError {
    fn from(e: kinerja::device::DeviceError) -> ApiError {
        let mut out = ApiError::new(status_of(e.area()), e.code(), e.to_string());
        out.problems = e.problems();
        out.field = out.problems.first().map(|p| p.field.clone()).filter(|f| !f.is_empty());
        out.localized = Some(kinerja::i18n::Localized::message(&e));
        out
    }
}

impl From<kinerja::payroll::PayrollError> for ApiError {
    fn from(e: kinerja::payroll::PayrollError) -> ApiError {
        let mut out = match e {
            kinerja::payroll::PayrollError::NotClosed { .. } => ApiError::conflict(e.code(), e.to_string()),
            _ => ApiError::invalid(e.code(), e.to_string(), Vec::new()),
        };
        out.localized = Some(kinerja::i18n::Localized::message(&e));
        out
    }
}

/// What handlers return.
pub type ApiResult<T> = Result<T, ApiError>;
