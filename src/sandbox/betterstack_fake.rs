//! A Better Stack Uptime API fake: `GET /api/v2/monitors`, JSON:API resources
//! (`data[].{id, type: "monitor", attributes}`) paged with `page`/`per_page` and a
//! `pagination` object of full links, as the Uptime API v2 documents it. Bearer
//! auth; Better Stack's `{"errors": …}` envelope; faults from the kit.

use std::sync::Arc;

use serde_json::{Value, json};

use super::api_fake::{ApiFake, RequestLog, Rule};
use super::monitors::{FakeMonitor, Probe, Reported};
use super::web::{Req, Resp, Site};

/// The fake's host: point `MONITORING_API_BASE` at `https://uptime.betterstack.sandbox`.
pub const HOST: &str = "uptime.betterstack.sandbox";
pub const MONITORS_PATH: &str = "/api/v2/monitors";
/// Better Stack's default and largest page sizes.
const DEFAULT_PER_PAGE: usize = 50;
const MAX_PER_PAGE: usize = 250;

fn errors(status: u16, _code: &str, message: &str) -> Value {
    match status {
        401 => json!({ "errors": "Invalid Team API Token" }),
        403 => json!({ "errors": "Forbidden: this token cannot read monitors" }),
        _ => json!({ "errors": message }),
    }
}

pub struct BetterStackFake {
    host: String,
    token: String,
    monitors: Vec<FakeMonitor>,
    /// The server's own page cap (tests use a small one to page).
    page_cap: usize,
    faults: Vec<Rule>,
    log: RequestLog,
    /// The host the pagination links name (default: the fake's own).
    link_host: Option<String>,
}

impl BetterStackFake {
    pub fn new(token: &str) -> Self {
        Self {
            host: HOST.to_owned(),
            token: token.to_owned(),
            monitors: Vec::new(),
            page_cap: MAX_PER_PAGE,
            faults: Vec::new(),
            log: RequestLog::new(),
            link_host: None,
        }
    }
    /// Name another host in the pagination links (a client must never follow them
    /// there with its token).
    pub fn link_host(mut self, host: &str) -> Self {
        self.link_host = Some(host.to_owned());
        self
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
        let resources: Arc<Vec<Value>> = Arc::new(self.monitors.iter().map(resource).collect());
        let cap = self.page_cap;
        let host = self.link_host.clone().unwrap_or_else(|| self.host.clone());
        let mut fake = ApiFake::new(&self.host)
            .bearer(&self.token)
            .errors(errors)
            .log_to(&self.log);
        for rule in self.faults {
            fake = fake.fault(rule);
        }
        fake.route(
            MONITORS_PATH,
            Some(&["page", "per_page", "url", "pronounceable_name", "team_name"]),
            move |req| page(&resources, cap, &host, req),
        )
        .site()
    }
}

fn number(req: &Req, name: &str, default: usize) -> Result<usize, Resp> {
    match req.query_param(name) {
        None => Ok(default),
        Some(v) => v.parse::<usize>().ok().filter(|n| *n >= 1).ok_or_else(|| {
            Resp::json(
                400,
                &json!({ "errors": { name: ["must be a positive integer"] } }),
            )
        }),
    }
}

fn page(all: &[Value], cap: usize, host: &str, req: &Req) -> Resp {
    let per_page = match number(req, "per_page", DEFAULT_PER_PAGE) {
        Ok(n) if n > MAX_PER_PAGE => {
            return Resp::json(
                400,
                &json!({ "errors": { "per_page": ["must be less than or equal to 250"] } }),
            );
        }
        Ok(n) => n.min(cap),
        Err(resp) => return resp,
    };
    let page = match number(req, "page", 1) {
        Ok(n) => n,
        Err(resp) => return resp,
    };
    let filtered: Vec<&Value> = all
        .iter()
        .filter(|m| {
            req.query_param("url")
                .is_none_or(|u| m["attributes"]["url"].as_str() == Some(u.as_str()))
        })
        .collect();
    let last = filtered.len().div_ceil(per_page).max(1);
    let data: Vec<&Value> = filtered
        .iter()
        .skip((page - 1).saturating_mul(per_page))
        .take(per_page)
        .copied()
        .collect();
    let link = |n: usize| format!("https://{host}{MONITORS_PATH}?page={n}&per_page={per_page}");
    Resp::json(
        200,
        &json!({
            "data": data,
            "pagination": {
                "first": link(1),
                "last": link(last),
                "prev": (page > 1).then(|| link(page - 1)),
                "next": (page < last).then(|| link(page + 1)),
            }
        }),
    )
}

/// One monitor as the Uptime API v2 returns it.
fn resource(m: &FakeMonitor) -> Value {
    let (monitor_type, keyword, codes, port) = match &m.probe {
        Probe::Http => ("status", Value::Null, vec![], Value::Null),
        Probe::Expect(codes) => (
            "expected_status_code",
            Value::Null,
            codes.clone(),
            Value::Null,
        ),
        Probe::Keyword(k) => ("keyword", json!(k), vec![], Value::Null),
        Probe::Ping => ("ping", Value::Null, vec![], Value::Null),
        Probe::Port(p) => ("tcp", Value::Null, vec![], json!(p.to_string())),
    };
    let status = match m.reported {
        Reported::Up => "up",
        Reported::Down => "down",
        Reported::Paused => "paused",
        Reported::Pending => "pending",
        Reported::Maintenance => "maintenance",
    };
    let paused = m.reported == Reported::Paused;
    let stamp = "2026-11-02T09:41:17.311Z";
    json!({
        "id": m.id.to_string(),
        "type": "monitor",
        "attributes": {
            "url": m.url,
            "pronounceable_name": m.name,
            "auth_username": "",
            "auth_password": "",
            "monitor_type": monitor_type,
            "monitor_group_id": null,
            "last_checked_at": (!paused).then_some("2026-12-01T05:58:02.000Z"),
            "status": status,
            "policy_id": m.alerting.then_some("41235"),
            "expiration_policy_id": null,
            "team_name": "Acme",
            "required_keyword": keyword,
            "verify_ssl": true,
            "check_frequency": m.interval_s,
            "call": false,
            "sms": false,
            "email": m.alerting,
            "push": false,
            "critical_alert": false,
            "team_wait": null,
            "http_method": "get",
            "request_timeout": 30,
            "recovery_period": 180,
            "request_headers": [],
            "request_body": "",
            "follow_redirects": true,
            "remember_cookies": true,
            "created_at": stamp,
            "updated_at": stamp,
            "ssl_expiration": null,
            "domain_expiration": null,
            "regions": ["us", "eu", "as", "au"],
            "expected_status_codes": codes,
            "port": port,
            "confirmation_period": 0,
            "paused_at": paused.then_some(stamp),
            "paused": paused,
            "maintenance_from": null,
            "maintenance_to": null,
            "maintenance_timezone": "UTC",
            "maintenance_days": [],
            "ip_version": null,
        }
    })
}
