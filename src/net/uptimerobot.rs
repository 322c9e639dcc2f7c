//! UptimeRobot API v2 on the shared client (`net::api`): `POST /v2/getMonitors` with
//! the key as the form field `api_key` (never in a URL), `offset`/`limit` paging,
//! and UptimeRobot's habit of answering failures with HTTP 200 and
//! `{"stat": "fail", "error": {…}}` — read here into the client's [`ApiError`].

use std::time::Instant;

use serde_json::Value;

use super::Net;
use super::api::{
    ApiClient, ApiError, ApiSpec, Auth, Credential, Listing, Problem, ProviderError, Stop, sanitise,
};
use crate::monitoring::{Kind, Monitor, State};
use crate::secrets::mask;

pub const DEFAULT_API_BASE: &str = "https://api.uptimerobot.com";
pub const MONITORS_PATH: &str = "/v2/getMonitors";
/// UptimeRobot's largest page.
const LIMIT: usize = 50;

pub static SPEC: ApiSpec = ApiSpec {
    name: "UptimeRobot",
    default_base: DEFAULT_API_BASE,
    base_env: "MONITORING_API_BASE",
    base_field: "monitoring.api_base",
    own_hosts: &["api.uptimerobot.com"],
    auth: Auth::FormField("api_key"),
    // A page of 50 monitors with their alert contacts is ~60 KB.
    body_cap: 2 * 1024 * 1024,
    max_pages: 200,
    max_listing_bytes: 32 * 1024 * 1024,
    max_retries: 2,
    should_retry_header: None,
    permission_for,
    key_help: "the account's read-only API key (UptimeRobot → Integrations & API → API → Read-only API key), not a monitor-specific key",
    key_settings: "UptimeRobot → Integrations & API → API",
    status_page: "https://status.uptimerobot.com",
    narrow_hint: "UptimeRobot pages 50 monitors at a time; raise --deadline for a large account.",
};

pub fn permission_for(_path: &str) -> String {
    "read-only API key (getMonitors)".to_owned()
}

pub struct UptimeRobotApi<'a> {
    client: ApiClient<'a>,
}

impl<'a> UptimeRobotApi<'a> {
    pub fn connect(
        net: &'a Net,
        manifest_base: Option<&str>,
        env_base: Option<&str>,
        credential: Credential,
    ) -> Result<Self, String> {
        let client = ApiClient::new(&SPEC, net, manifest_base, env_base, credential)?;
        Ok(Self { client })
    }

    /// Every monitor of the account with its alert contacts, within the caps.
    pub async fn monitors(&self) -> Result<Listing<Monitor>, ApiError> {
        let mut out = Listing {
            items: Vec::new(),
            pages: 0,
            stopped: None,
        };
        let started = Instant::now();
        let mut bytes = 0usize;
        loop {
            if out.pages >= SPEC.max_pages {
                out.stopped = Some(Stop::Pages(SPEC.max_pages));
                return Ok(out);
            }
            if bytes >= SPEC.max_listing_bytes {
                out.stopped = Some(Stop::Size(SPEC.max_listing_bytes));
                return Ok(out);
            }
            if out.pages > 0
                && self
                    .client
                    .listing_deadline()
                    .is_some_and(|t| Instant::now() >= t)
            {
                out.stopped = Some(Stop::Time(started.elapsed()));
                return Ok(out);
            }
            let fields = vec![
                ("format".to_owned(), "json".to_owned()),
                ("alert_contacts".to_owned(), "1".to_owned()),
                ("offset".to_owned(), out.items.len().to_string()),
                ("limit".to_owned(), LIMIT.to_string()),
            ];
            let resp = self.client.post_form(MONITORS_PATH, &fields).await?;
            bytes += resp.body.len();
            out.pages += 1;
            let page: Value = serde_json::from_slice(&resp.body).map_err(|e| {
                malformed(format!(
                    "not JSON (error at line {} column {})",
                    e.line(),
                    e.column()
                ))
            })?;
            let total = read_page(&page, &mut out.items)
                .map_err(|e| e.into_api_error(self.client.token(), self.client.credential_var()))?;
            let read = out.items.len();
            let got_none = page
                .get("monitors")
                .and_then(Value::as_array)
                .is_none_or(Vec::is_empty);
            if read >= total || got_none {
                return Ok(out);
            }
        }
    }
}

fn malformed(why: String) -> ApiError {
    ApiError::new(&SPEC, MONITORS_PATH, Problem::Malformed(why)).sent_with("POST")
}

/// Why a page could not be read.
#[derive(Debug)]
pub enum PageError {
    /// `stat: "fail"`: the provider's error object.
    Fail(Value),
    Malformed(String),
}

impl PageError {
    fn into_api_error(self, token: &str, var: &str) -> ApiError {
        match self {
            PageError::Malformed(why) => malformed(why),
            PageError::Fail(error) => fail_envelope(&error, token, var),
        }
    }
}

/// UptimeRobot's `error` object (`type`, `parameter_name`, `message`; `passed_value`
/// echoes the key and is never read).
fn fail_envelope(error: &Value, token: &str, var: &str) -> ApiError {
    let text = |k: &str| {
        error
            .get(k)
            .and_then(Value::as_str)
            .map(|s| sanitise(s, token))
    };
    let kind = text("type").unwrap_or_default();
    let parameter = text("parameter_name").unwrap_or_default();
    let problem = if parameter == "api_key" || kind.contains("api_key") {
        Problem::BadKey {
            var: var.to_owned(),
            key_mask: mask(token),
        }
    } else if kind == "not_authorized" || kind == "unauthorized" {
        Problem::MissingPermission {
            var: var.to_owned(),
            permission: permission_for(MONITORS_PATH),
        }
    } else {
        Problem::Rejected { status: 200 }
    };
    let mut e = ApiError::new(&SPEC, MONITORS_PATH, problem).sent_with("POST");
    let message = text("message")
        .or_else(|| (!parameter.is_empty()).then(|| format!("{kind}: parameter {parameter}")));
    e.api = Some(Box::new(ProviderError {
        kind: (!kind.is_empty()).then_some(kind),
        code: None,
        message,
    }));
    e
}

/// Read one `getMonitors` answer into `into`; the account's total.
pub fn read_page(page: &Value, into: &mut Vec<Monitor>) -> Result<usize, PageError> {
    match page.get("stat").and_then(Value::as_str) {
        Some("ok") => {}
        Some("fail") => {
            return Err(PageError::Fail(
                page.get("error").cloned().unwrap_or(Value::Null),
            ));
        }
        other => {
            return Err(PageError::Malformed(format!(
                "`stat` is {other:?}, not \"ok\" or \"fail\""
            )));
        }
    }
    let monitors = page
        .get("monitors")
        .and_then(Value::as_array)
        .ok_or_else(|| PageError::Malformed("no `monitors` array".to_owned()))?;
    let base = into.len();
    for (i, m) in monitors.iter().enumerate() {
        let monitor = read_monitor(m)
            .map_err(|why| PageError::Malformed(format!("monitor {}: {why}", base + i + 1)))?;
        into.push(monitor);
    }
    let total = page
        .pointer("/pagination/total")
        .and_then(Value::as_u64)
        .and_then(|t| usize::try_from(t).ok())
        // Without pagination (an old answer), the page is all there is.
        .unwrap_or(into.len());
    Ok(total)
}

/// One monitor object. Types: 1 HTTP(s), 2 keyword, 3 ping, 4 port, 5 heartbeat.
/// Statuses: 0 paused, 1 not checked yet, 2 up, 8 seems down, 9 down.
pub fn read_monitor(m: &Value) -> Result<Monitor, String> {
    let id = match m.get("id") {
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) => s.clone(),
        _ => return Err("no `id`".to_owned()),
    };
    let number = |k: &str| {
        m.get(k).and_then(|v| match v {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.parse().ok(),
            _ => None,
        })
    };
    let kind_code = number("type").ok_or("no `type`")?;
    let status = number("status").ok_or("no `status`")?;
    let contacts = m
        .get("alert_contacts")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    Ok(Monitor {
        id,
        name: m
            .get("friendly_name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned(),
        url: m.get("url").and_then(Value::as_str).map(str::to_owned),
        kind: match kind_code {
            1 => Kind::Http,
            2 => Kind::Keyword,
            3 | 4 => Kind::HostOnly,
            5 => Kind::Other("heartbeat".to_owned()),
            n => Kind::Other(format!("type {n}")),
        },
        provider_type: kind_code.to_string(),
        state: match status {
            0 => State::Paused,
            1 => State::Pending,
            2 => State::Up,
            8 | 9 => State::Down,
            n => State::Unknown(n.to_string()),
        },
        interval_s: number("interval"),
        alert_route: (contacts > 0).then(|| {
            if contacts == 1 {
                "1 alert contact".to_owned()
            } else {
                format!("{contacts} alert contacts")
            }
        }),
        expected_status: Vec::new(),
        http_method: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pages_and_failures_read_like_uptimerobot_writes_them() {
        let page = json!({ "stat": "ok", "pagination": { "offset": 0, "limit": 50, "total": 51 },
            "monitors": [ { "id": 777749809, "friendly_name": "Acme", "url": "https://www.acme.app",
                "type": 2, "status": 9, "interval": 60,
                "alert_contacts": [ { "id": "0993765", "type": 2, "value": "ops@acme.app" } ] } ] });
        let mut out = Vec::new();
        assert_eq!(read_page(&page, &mut out).expect("page"), 51);
        assert_eq!(out[0].kind, Kind::Keyword);
        assert_eq!(out[0].state, State::Down);
        assert_eq!(out[0].alert_route.as_deref(), Some("1 alert contact"));

        let key = "ur1234567-abcdefabcdefabcdefabcdef";
        let fail = json!({ "stat": "fail", "error": { "type": "invalid_parameter",
            "parameter_name": "api_key", "passed_value": key } });
        let Err(e) = read_page(&fail, &mut out) else {
            panic!("a fail envelope must be an error")
        };
        let e = e.into_api_error(key, "UPTIMEROBOT_API_KEY");
        assert!(matches!(e.problem, Problem::BadKey { .. }), "{e}");
        let text = format!("{e} {:?}", e.details());
        assert!(
            !text.contains(key) && text.contains("UPTIMEROBOT_API_KEY"),
            "{text}"
        );
        assert!(text.contains("POST /v2/getMonitors"), "{text}");

        assert!(read_page(&json!({ "stat": "maybe" }), &mut out).is_err());
        assert!(read_page(&json!({ "stat": "ok" }), &mut out).is_err());
    }
}
