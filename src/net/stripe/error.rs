//! Stripe API failures, in words a person can act on. Stripe's own error message is
//! kept (it is often the most precise hint) but passed through [`sanitise`], so no
//! key — not even one Stripe masked itself — leaves unmasked.

use serde_json::{Value, json};

use crate::net::NetFailure;
use crate::net::http::Response;
use crate::secrets::mask;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// 401: the key is wrong, revoked or expired.
    /// `key_mask` is `crate::secrets::mask` of the key, never the key.
    BadKey {
        var: String,
        key_mask: String,
    },
    /// 403: a restricted key without the permission this endpoint needs.
    MissingPermission {
        var: String,
        permission: String,
    },
    /// 429 after every retry.
    RateLimited {
        attempts: u32,
    },
    /// 5xx.
    Server {
        status: u16,
    },
    /// Any other non-2xx.
    Rejected {
        status: u16,
    },
    Net(NetFailure),
    Malformed(String),
    TooManyPages {
        pages: usize,
    },
}

/// Stripe's `{"error": {...}}`, sanitised.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ApiError {
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StripeError {
    /// The API path, e.g. `/v1/events`.
    pub path: String,
    pub problem: Problem,
    pub api: Option<ApiError>,
}

impl StripeError {
    pub fn new(path: &str, problem: Problem) -> Self {
        Self {
            path: path.to_owned(),
            problem,
            api: None,
        }
    }

    /// Evidence for a result's `details`.
    pub fn details(&self) -> Value {
        let status = match &self.problem {
            Problem::BadKey { .. } => Some(401),
            Problem::MissingPermission { .. } => Some(403),
            Problem::RateLimited { .. } => Some(429),
            Problem::Server { status } | Problem::Rejected { status } => Some(*status),
            _ => None,
        };
        json!({ "request": format!("GET {}", self.path), "http_status": status, "stripe_error": self.api })
    }

    pub fn remediation(&self) -> String {
        match &self.problem {
            Problem::BadKey { var, .. } => format!(
                "Put a valid live key in {var}: a restricted key (rk_live_…) with read access to Webhook Endpoints and Events is enough (Stripe Dashboard → Developers → API keys)."
            ),
            Problem::MissingPermission { var, permission } => format!(
                "Edit the restricted key in {var} (Stripe Dashboard → Developers → API keys) and grant \"{permission}\"."
            ),
            Problem::RateLimited { .. } => {
                "Stripe rate-limited the audit; run it again in a minute (other jobs share the key's rate limit).".to_owned()
            }
            Problem::Server { .. } => {
                "Stripe could not answer; check https://status.stripe.com and run the audit again.".to_owned()
            }
            Problem::TooManyPages { .. } => {
                "Lower stripe.lookback_hours so the audit reads fewer events.".to_owned()
            }
            _ => "Check the Stripe API base (stripe.api_base or STRIPE_API_BASE) and the network, then run again.".to_owned(),
        }
    }
}

impl std::fmt::Display for StripeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Stripe API GET {}: ", self.path)?;
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
            Problem::Server { status } => write!(f, "Stripe server error ({status})"),
            Problem::Rejected { status } => write!(f, "request rejected ({status})"),
            Problem::Net(e) => write!(f, "{e}"),
            Problem::Malformed(why) => write!(f, "unexpected answer: {why}"),
            Problem::TooManyPages { pages } => write!(
                f,
                "more than {pages} pages of {} items; stopped reading",
                super::PAGE_LIMIT
            ),
        }?;
        if let Some(message) = self.api.as_ref().and_then(|a| a.message.as_ref()) {
            write!(f, " — Stripe says: {message}")?;
        }
        Ok(())
    }
}

/// The permission a restricted key needs for a path, as the Dashboard names it.
pub fn permission_for(path: &str) -> String {
    match path {
        "/v1/webhook_endpoints" => "Webhook Endpoints: Read".to_owned(),
        "/v1/events" => "Events: Read".to_owned(),
        other => format!("read access to {other}"),
    }
}

pub(super) fn from_response(
    path: &str,
    resp: &Response,
    key: &str,
    var: &str,
    attempts: u32,
) -> StripeError {
    let problem = match resp.status {
        401 => Problem::BadKey {
            var: var.to_owned(),
            key_mask: mask(key),
        },
        403 => Problem::MissingPermission {
            var: var.to_owned(),
            permission: permission_for(path),
        },
        429 => Problem::RateLimited { attempts },
        s @ 500..=599 => Problem::Server { status: s },
        s => Problem::Rejected { status: s },
    };
    StripeError {
        path: path.to_owned(),
        problem,
        api: parse_api_error(&resp.body, key),
    }
}

fn parse_api_error(body: &[u8], key: &str) -> Option<ApiError> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let e = value.get("error")?;
    let field = |name: &str| {
        e.get(name)
            .and_then(Value::as_str)
            .map(|s| sanitise(s, key))
    };
    Some(ApiError {
        kind: field("type"),
        code: field("code"),
        message: field("message"),
    })
}

const KEY_PREFIXES: [&str; 7] = ["sk_", "rk_", "pk_", "whsec_", "rak_", "acct_", "ek_"];
const MAX_MESSAGE: usize = 300;

/// Mask the key and every key-looking word (Stripe echoes keys, partly starred);
/// cut to a sane length.
pub fn sanitise(text: &str, key: &str) -> String {
    let text = if key.len() >= 8 {
        text.replace(key, &mask(key))
    } else {
        text.to_owned()
    };
    let mut out = String::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let looks_like_key = KEY_PREFIXES.iter().any(|p| word.starts_with(p))
            && !word.starts_with("rak_")
            && !word.starts_with("acct_");
        if looks_like_key && word.len() > 12 {
            out.push_str(&mask(&word.replace('*', "")));
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '*' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    if out.chars().count() > MAX_MESSAGE {
        out = out.chars().take(MAX_MESSAGE).collect::<String>() + "…";
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{from_response, sanitise};
    use crate::net::http::Response;

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
        let e = from_response("/v1/webhook_endpoints", &response(403, "{}"), key, "K", 1);
        assert!(e.to_string().contains("\"Webhook Endpoints: Read\""), "{e}");
        let e = from_response("/v1/events", &response(503, "not json"), key, "K", 1);
        assert!(e.to_string().contains("503"), "{e}");
    }

    #[test]
    fn sanitise_masks_keys_and_stripe_starred_keys() {
        let key = "sk_live_abcdefghijklmnopqrstuvwxyz1234";
        let text = format!("Invalid API Key provided: {key} or sk_live_***********wxyz");
        let out = sanitise(&text, key);
        assert!(!out.contains(key), "{out}");
        assert!(out.contains("sk_live_…1234"), "{out}");
        assert!(!out.contains("***"), "{out}");
        assert_eq!(
            sanitise("Having the 'rak_webhook_read' permission", key),
            "Having the 'rak_webhook_read' permission"
        );
    }
}
