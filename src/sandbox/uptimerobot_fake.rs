//! An UptimeRobot API v2 fake: `POST /v2/getMonitors` with a form body
//! (`api_key`, `offset`, `limit` ≤ 50, `alert_contacts=1` to list each monitor's
//! contacts), answering `{"stat": "ok", "pagination": {offset, limit, total},
//! "monitors": […]}` — and, as UptimeRobot does, HTTP 200 with `{"stat": "fail",
//! "error": {type, parameter_name, passed_value}}` for a bad key or parameter.

use std::sync::Arc;

use serde_json::{Value, json};

use super::api_fake::{ApiFake, RequestLog, Rule};
use super::monitors::{FakeMonitor, Probe, Reported};
use super::web::{Resp, Site};

/// The fake's host: point `MONITORING_API_BASE` at `https://api.uptimerobot.sandbox`.
pub const HOST: &str = "api.uptimerobot.sandbox";
pub const MONITORS_PATH: &str = "/v2/getMonitors";
const MAX_LIMIT: usize = 50;
/// The body fields `getMonitors` knows (of those a reader would send).
const KNOWN: &[&str] = &[
    "api_key",
    "format",
    "alert_contacts",
    "offset",
    "limit",
    "monitors",
    "types",
    "statuses",
    "search",
    "logs",
];

/// The kit's faults in UptimeRobot's envelope (401/403/429/5xx carry it too).
fn errors(status: u16, _code: &str, message: &str) -> Value {
    let kind = match status {
        401 => "unauthorized",
        403 => "not_authorized",
        429 => "rate_limit",
        _ => "internal",
    };
    json!({ "stat": "fail", "error": { "type": kind, "message": message } })
}

fn fail(kind: &str, parameter: &str, passed: &str) -> Resp {
    Resp::json(
        200,
        &json!({ "stat": "fail", "error": { "type": kind, "parameter_name": parameter,
            "passed_value": passed } }),
    )
}

pub struct UptimeRobotFake {
    host: String,
    key: String,
    monitors: Vec<FakeMonitor>,
    page_cap: usize,
    faults: Vec<Rule>,
    log: RequestLog,
}

impl UptimeRobotFake {
    pub fn new(key: &str) -> Self {
        Self {
            host: HOST.to_owned(),
            key: key.to_owned(),
            monitors: Vec::new(),
            page_cap: MAX_LIMIT,
            faults: Vec::new(),
            log: RequestLog::new(),
        }
    }
    pub fn host(mut self, host: &str) -> Self {
        self.host = host.to_owned();
        self
    }
    pub fn monitor(mut self, m: FakeMonitor) -> Self {
        self.monitors.push(m);
        self
    }
    pub fn monitors(mut self, ms: impl IntoIterator<Item = FakeMonitor>) -> Self {
        self.monitors.extend(ms);
        self
    }
    /// The server's own page cap (tests use a small one to page).
    pub fn page_cap(mut self, n: usize) -> Self {
        self.page_cap = n.max(1);
        self
    }
    pub fn fault(mut self, rule: Rule) -> Self {
        self.faults.push(rule);
        self
    }
    pub fn log_to(mut self, log: &RequestLog) -> Self {
        self.log = log.clone();
        self
    }

    pub fn site(self) -> Site {
        let monitors = Arc::new(self.monitors);
        let key = self.key;
        let cap = self.page_cap;
        let mut fake = ApiFake::new(&self.host).errors(errors).log_to(&self.log);
        for rule in self.faults {
            fake = fake.fault(rule);
        }
        fake.post(MONITORS_PATH, move |req| {
            get_monitors(&monitors, &key, cap, &req.body)
        })
        .site()
    }
}

fn get_monitors(all: &[FakeMonitor], key: &str, cap: usize, body: &[u8]) -> Resp {
    let form: Vec<(String, String)> = url::form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    if let Some((name, value)) = form.iter().find(|(k, _)| !KNOWN.contains(&k.as_str())) {
        return fail("invalid_parameter", name, value);
    }
    match field("api_key") {
        None => return fail("missing_parameter", "api_key", ""),
        Some(k) if k != key => return fail("invalid_parameter", "api_key", &k),
        Some(_) => {}
    }
    let number = |name: &str, default: usize| match field(name) {
        None => Ok(default),
        Some(v) => v
            .parse::<usize>()
            .map_err(|_| fail("invalid_parameter", name, &v)),
    };
    let offset = match number("offset", 0) {
        Ok(n) => n,
        Err(resp) => return resp,
    };
    let limit = match number("limit", MAX_LIMIT) {
        Ok(n) if (1..=MAX_LIMIT).contains(&n) => n.min(cap),
        Ok(n) => return fail("invalid_parameter", "limit", &n.to_string()),
        Err(resp) => return resp,
    };
    let contacts = field("alert_contacts").as_deref() == Some("1");
    let page: Vec<Value> = all
        .iter()
        .skip(offset)
        .take(limit)
        .map(|m| monitor(m, contacts))
        .collect();
    Resp::json(
        200,
        &json!({
            "stat": "ok",
            "pagination": { "offset": offset, "limit": limit, "total": all.len() },
            "monitors": page,
        }),
    )
}

/// One monitor as `getMonitors` returns it.
fn monitor(m: &FakeMonitor, with_contacts: bool) -> Value {
    let (kind, keyword, port) = match &m.probe {
        Probe::Http | Probe::Expect(_) => (1, "", String::new()),
        Probe::Keyword(k) => (2, k.as_str(), String::new()),
        Probe::Ping => (3, "", String::new()),
        Probe::Port(p) => (4, "", p.to_string()),
    };
    let status = match m.reported {
        Reported::Paused => 0,
        Reported::Pending | Reported::Maintenance => 1,
        Reported::Up => 2,
        Reported::Down => 9,
    };
    let mut out = json!({
        "id": m.id,
        "friendly_name": m.name,
        "url": m.url,
        "type": kind,
        "sub_type": if kind == 4 { "99" } else { "" },
        "keyword_type": if kind == 2 { json!(2) } else { Value::Null },
        "keyword_case_type": 0,
        "keyword_value": keyword,
        "http_username": "",
        "http_password": "",
        "port": port,
        "interval": m.interval_s,
        "timeout": 30,
        "status": status,
        "create_datetime": 1_761_984_000,
    });
    if with_contacts {
        out["alert_contacts"] = if m.alerting {
            json!([{ "id": "0993765", "value": "ops@acme.app", "type": 2,
                "threshold": 0, "recurrence": 0 }])
        } else {
            json!([])
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(body: &str) -> Value {
        let monitors = [FakeMonitor::http(1, "a", "https://a.example.net")];
        let resp = get_monitors(&monitors, "ur-key", 50, body.as_bytes());
        serde_json::from_slice(&resp.body).expect("json")
    }

    #[test]
    fn strict_like_uptimerobot() {
        let ok = answer("api_key=ur-key&format=json&alert_contacts=1&offset=0&limit=50");
        assert_eq!(ok["stat"], "ok");
        assert_eq!(ok["monitors"][0]["alert_contacts"][0]["type"], 2);
        assert!(
            answer("api_key=ur-key")["monitors"][0]
                .get("alert_contacts")
                .is_none()
        );
        let unknown = answer("api_key=ur-key&colour=blue");
        assert_eq!(unknown["error"]["parameter_name"], "colour");
        assert_eq!(answer("api_key=ur-key&limit=51")["stat"], "fail");
        assert_eq!(
            answer("api_key=wrong")["error"]["parameter_name"],
            "api_key"
        );
        assert_eq!(answer("")["error"]["type"], "missing_parameter");
    }
}
