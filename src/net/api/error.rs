//! API failures, in words a person can act on. The provider's own error message is
//! kept (it is often the most precise hint) but passed through [`sanitise`], so no
//! token — not even one the provider masked itself — leaves unmasked.

use serde_json::{Value, json};

use super::ApiSpec;
use super::sanitise::sanitise;
use crate::net::NetFailure;
use crate::net::http::Response;
use crate::secrets::mask;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// 401: the token is wrong, revoked or expired.
    /// `key_mask` is `crate::secrets::mask` of the token, never the token.
    BadKey {
        var: String,
        key_mask: String,
    },
    /// 403: a token without the permission (scope) this endpoint needs.
    MissingPermission {
        var: String,
        permission: String,
    },
    /// 429 after every retry the budget allowed.
    RateLimited {
        attempts: u32,
    },
    /// 5xx after every retry the budget allowed.
    Server {
        status: u16,
        attempts: u32,
    },
    /// Any other non-2xx.
    Rejected {
        status: u16,
    },
    /// No answer (timeout, refused or reset connection, DNS, TLS).
    Net {
        failure: NetFailure,
        attempts: u32,
    },
    Malformed(String),
    /// One answer was larger than the API's size cap.
    TooLarge {
        cap: usize,
    },
    TooManyPages {
        pages: usize,
    },
    /// The listing reached the audit's deadline.
    OutOfTime {
        secs: u64,
    },
}

/// The provider's error envelope, sanitised: Stripe `{"error": {type, code,
/// message}}`, Vercel `{"error": {code, message}}`, Cloudflare `{"errors": [{code,
/// message}]}`, HubSpot `{"category", "message"}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ProviderError {
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub spec: &'static ApiSpec,
    /// `GET`, or `POST` for the APIs that read through a POST (HubSpot's search,
    /// UptimeRobot's `getMonitors`).
    pub method: &'static str,
    /// The API path, e.g. `/v1/events`.
    pub path: String,
    pub problem: Problem,
    /// Boxed: errors travel in `Result`s and should stay small.
    pub api: Option<Box<ProviderError>>,
}

impl ApiError {
    pub fn new(spec: &'static ApiSpec, path: &str, problem: Problem) -> Self {
        Self {
            spec,
            method: "GET",
            path: path.to_owned(),
            problem,
            api: None,
        }
    }

    /// The same error, for a request sent with `method`.
    pub fn sent_with(mut self, method: &'static str) -> Self {
        self.method = method;
        self
    }

    pub fn status(&self) -> Option<u16> {
        match &self.problem {
            Problem::BadKey { .. } => Some(401),
            Problem::MissingPermission { .. } => Some(403),
            Problem::RateLimited { .. } => Some(429),
            Problem::Server { status, .. } | Problem::Rejected { status } => Some(*status),
            _ => None,
        }
    }

    /// Evidence for a result's `details`.
    pub fn details(&self) -> Value {
        let key = format!("{}_error", self.spec.name.to_ascii_lowercase());
        json!({
            "request": format!("{} {}", self.method, self.path),
            "http_status": self.status(),
            key: self.api,
        })
    }

    pub fn remediation(&self) -> String {
        let spec = self.spec;
        match &self.problem {
            Problem::BadKey { var, .. } => format!("Put a valid key in {var}: {}.", spec.key_help),
            Problem::MissingPermission { var, permission } => format!(
                "Edit the token in {var} ({}) and grant \"{permission}\".",
                spec.key_settings
            ),
            Problem::RateLimited { .. } => format!(
                "{} rate-limited the audit; run it again in a minute (other jobs share the token's rate limit).",
                spec.name
            ),
            Problem::Server { .. } => format!(
                "{} could not answer; check {} and run the audit again.",
                spec.name, spec.status_page
            ),
            Problem::TooManyPages { .. } | Problem::TooLarge { .. } | Problem::OutOfTime { .. } => {
                spec.narrow_hint.to_owned()
            }
            _ => format!(
                "Check the {} API base ({} or {}) and the network, then run again.",
                spec.name, spec.base_field, spec.base_env
            ),
        }
    }
}

fn attempts_note(attempts: u32) -> String {
    if attempts > 1 {
        format!(" (after {attempts} attempts)")
    } else {
        String::new()
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} API {} {}: ", self.spec.name, self.method, self.path)?;
        match &self.problem {
            Problem::BadKey { var, key_mask } => write!(
                f,
                "the key in {var} ({key_mask}) was rejected as invalid (401)"
            ),
            Problem::MissingPermission { var, permission } => write!(
                f,
                "the key in {var} lacks the permission \"{permission}\" (403)"
            ),
            Problem::RateLimited { attempts } => {
                write!(f, "rate limited (429) on all {attempts} attempts")
            }
            Problem::Server { status, attempts } => write!(
                f,
                "{} server error ({status}){}",
                self.spec.name,
                attempts_note(*attempts)
            ),
            Problem::Rejected { status } => write!(f, "request rejected ({status})"),
            Problem::Net { failure, attempts } => {
                write!(f, "{failure}{}", attempts_note(*attempts))
            }
            Problem::Malformed(why) => write!(f, "unexpected answer: {why}"),
            Problem::TooLarge { cap } => write!(
                f,
                "the answer exceeded the {} MiB size cap",
                cap / (1024 * 1024)
            ),
            Problem::TooManyPages { pages } => {
                write!(f, "more than {pages} pages; stopped reading")
            }
            Problem::OutOfTime { secs } => write!(
                f,
                "the listing was still going after {secs} s, close to --deadline; stopped reading"
            ),
        }?;
        if let Some(message) = self.api.as_ref().and_then(|a| a.message.as_ref()) {
            write!(f, " — {} says: {message}", self.spec.name)?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// The error for a non-2xx answer.
pub(super) fn from_response(
    spec: &'static ApiSpec,
    path: &str,
    resp: &Response,
    token: &str,
    var: &str,
    attempts: u32,
) -> ApiError {
    let problem = match resp.status {
        401 => Problem::BadKey {
            var: var.to_owned(),
            key_mask: mask(token),
        },
        403 => Problem::MissingPermission {
            var: var.to_owned(),
            permission: (spec.permission_for)(path),
        },
        429 => Problem::RateLimited { attempts },
        s @ 500..=599 => Problem::Server {
            status: s,
            attempts,
        },
        s => Problem::Rejected { status: s },
    };
    ApiError {
        spec,
        method: "GET",
        path: path.to_owned(),
        problem,
        api: provider_error(&resp.body, token).map(Box::new),
    }
}

fn provider_error(body: &[u8], token: &str) -> Option<ProviderError> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let envelope = value
        .get("error")
        .filter(|e| e.is_object())
        .or_else(|| value.get("errors").and_then(|e| e.get(0)))
        .unwrap_or(&value);
    let field = |names: &[&str]| {
        names.iter().find_map(|n| {
            envelope.get(*n).and_then(|v| match v {
                Value::String(s) => Some(sanitise(s, token)),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
        })
    };
    let found = ProviderError {
        kind: field(&["type", "category"]),
        code: field(&["code"]),
        message: field(&["message"]),
    };
    (found != ProviderError::default()).then_some(found)
}

#[cfg(test)]
mod tests {
    use super::from_response;
    use crate::net::http::Response;
    use crate::net::stripe::SPEC;

    fn response(status: u16, body: &str) -> Response {
        Response {
            url: "https://api.stripe.com/v1/events".to_owned(),
            status,
            headers: Vec::new(),
            body: body.as_bytes().to_vec(),
            truncated: false,
            elapsed: std::time::Duration::ZERO,
        }
    }

    #[test]
    fn errors_name_the_variable_or_permission_never_the_key() {
        let key = "rk_live_abcdefghijklmnopqrstuvwxyz1234";
        let body = format!(
            r#"{{"error": {{"type": "invalid_request_error", "message": "Invalid API Key provided: {key}"}}}}"#
        );
        let e = from_response(
            &SPEC,
            "/v1/events",
            &response(401, &body),
            key,
            "STRIPE_SECRET_KEY",
            1,
        );
        let text = format!("{e} {:?} {}", e, e.details());
        assert!(
            !text.contains(key) && !text.contains("abcdefghijklmnop"),
            "{text}"
        );
        assert!(
            text.contains("STRIPE_SECRET_KEY") && text.contains("rk_live_…1234"),
            "{text}"
        );
        assert_eq!(e.details()["stripe_error"]["type"], "invalid_request_error");
        let e = from_response(
            &SPEC,
            "/v1/webhook_endpoints",
            &response(403, "{}"),
            key,
            "K",
            1,
        );
        assert!(e.to_string().contains("\"Webhook Endpoints: Read\""), "{e}");
        assert!(e.remediation().contains("Webhook Endpoints: Read"));
        let e = from_response(&SPEC, "/v1/events", &response(503, "not json"), key, "K", 3);
        assert!(
            e.to_string().contains("503") && e.to_string().contains("3 attempts"),
            "{e}"
        );
    }

    #[test]
    fn other_providers_error_envelopes_are_read() {
        let cloudflare =
            r#"{"success": false, "errors": [{"code": 10000, "message": "Authentication error"}]}"#;
        let e = from_response(
            &SPEC,
            "/zones",
            &response(403, cloudflare),
            "t0k3n-value-xyz",
            "CF",
            1,
        );
        let api = e.api.unwrap();
        assert_eq!(api.code.as_deref(), Some("10000"));
        assert_eq!(api.message.as_deref(), Some("Authentication error"));
        let hubspot = r#"{"status": "error", "message": "This app hasn't been granted all required scopes", "category": "MISSING_SCOPES"}"#;
        let e = from_response(
            &SPEC,
            "/crm",
            &response(403, hubspot),
            "t0k3n-value-xyz",
            "HS",
            1,
        );
        assert_eq!(e.api.unwrap().kind.as_deref(), Some("MISSING_SCOPES"));
    }
}
