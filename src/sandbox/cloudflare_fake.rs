//! A Cloudflare API (v4) fake: one zone, its settings, DNS records (paged), phase
//! entry-point rulesets, page rules and bot settings, in the shapes of the official
//! `cloudflare` SDK's types (`Zone`, `RecordResponse`, `PhaseGetResponse`, `PageRule`,
//! `BotFightModeConfiguration`), inside Cloudflare's envelope (`success`, `errors`,
//! `messages`, `result`, `result_info`), pretty-printed. Strict like Cloudflare:
//! unknown query parameters are refused, a phase without rules answers 404, an
//! unknown setting 404; faults (401, 403, 429, 5xx, garbage, slow) come from the kit.

use std::sync::Arc;

use serde_json::{Value, json};

use super::api_fake::{ApiFake, RequestLog, Rule};
use super::web::{Req, Resp, Site};

/// The fake's host in the sandbox; the API's version path is part of the base.
pub const HOST: &str = "api.cloudflare.sandbox";
pub const PREFIX: &str = "/client/v4";
pub const ZONE_ID: &str = "023e105f4ecef8ad9ca31a8372d0c353";
const STAMP: &str = "2026-11-20T09:14:02.147012Z";

/// Cloudflare's error envelope (numeric codes, as the API sends them).
fn cloudflare_error(status: u16, code: &str, message: &str) -> Value {
    let (code, message) = match status {
        401 => (1000, "Invalid API Token".to_owned()),
        403 => (10000, "Authentication error".to_owned()),
        429 => (
            971,
            "Please wait and consider throttling your request speed".to_owned(),
        ),
        404 if code == "resource_missing" => (
            7003,
            "Could not route to the requested path, perhaps your object identifier is invalid?"
                .to_owned(),
        ),
        400 => (1001, message.to_owned()),
        s if s >= 500 => (10001, "Internal Server Error".to_owned()),
        _ => (1002, message.to_owned()),
    };
    json!({ "success": false, "errors": [{ "code": code, "message": message }], "messages": [], "result": null })
}

fn envelope(result: Value) -> Value {
    json!({ "success": true, "errors": [], "messages": [], "result": result })
}

/// A zone with its configuration. Defaults: Full (strict), Always Use HTTPS on,
/// TLS 1.2, security level medium, no automatic SSL/TLS setting, Bot Fight Mode off.
pub struct CloudflareFake {
    host: String,
    token: String,
    zone: String,
    status: &'static str,
    paused: bool,
    settings: Vec<(String, Value)>,
    records: Vec<Value>,
    rulesets: Vec<(String, Vec<Value>)>,
    page_rules: Vec<Value>,
    bots: Value,
    faults: Vec<Rule>,
    log: RequestLog,
}

impl CloudflareFake {
    pub fn new(zone: &str) -> Self {
        Self {
            host: HOST.to_owned(),
            token: String::new(),
            zone: zone.to_owned(),
            status: "active",
            paused: false,
            settings: vec![
                ("ssl".to_owned(), json!("strict")),
                ("always_use_https".to_owned(), json!("on")),
                ("min_tls_version".to_owned(), json!("1.2")),
                ("security_level".to_owned(), json!("medium")),
            ],
            records: Vec::new(),
            rulesets: Vec::new(),
            page_rules: Vec::new(),
            bots: json!({ "fight_mode": false, "enable_js": false, "using_latest_model": true,
                "ai_bots_protection": "disabled", "crawler_protection": "disabled",
                "is_robots_txt_managed": false }),
            faults: Vec::new(),
            log: RequestLog::new(),
        }
    }

    /// The path of a zone endpoint, for faults: `CloudflareFake::path("/pagerules")`.
    pub fn path(suffix: &str) -> String {
        format!("{PREFIX}/zones/{ZONE_ID}{suffix}")
    }

    pub fn with_token(mut self, token: &str) -> Self {
        self.token = token.to_owned();
        self
    }
    pub fn host(mut self, host: &str) -> Self {
        self.host = host.to_owned();
        self
    }
    /// A zone setting's value (`ssl`, `ssl_automatic_mode`, `min_tls_version`…).
    pub fn setting(mut self, id: &str, value: &str) -> Self {
        self.settings.retain(|(k, _)| k != id);
        self.settings.push((id.to_owned(), json!(value)));
        self
    }
    /// A DNS record; `content` is the address or target.
    pub fn record(mut self, name: &str, kind: &str, content: &str, proxied: bool) -> Self {
        let n = self.records.len() + 1;
        self.records.push(json!({
            "id": format!("{:032x}", 0x3f00_0000_u64 + n as u64),
            "name": name, "type": kind, "content": content,
            "proxiable": matches!(kind, "A" | "AAAA" | "CNAME"), "proxied": proxied,
            "ttl": 1, "settings": {}, "meta": {}, "comment": null, "tags": [],
            "created_on": STAMP, "modified_on": STAMP
        }));
        self
    }
    /// A rule in a phase's entry-point ruleset: `action`, `expression`,
    /// `description`, and `action_parameters` when not null.
    pub fn rule(
        mut self,
        phase: &str,
        action: &str,
        description: &str,
        expression: &str,
        params: Value,
    ) -> Self {
        let n = self.rulesets.iter().map(|(_, r)| r.len()).sum::<usize>() + 1;
        let mut rule = json!({
            "id": format!("{:032x}", 0x7a00_0000_u64 + n as u64), "version": "1",
            "action": action, "expression": expression, "description": description,
            "last_updated": STAMP, "ref": format!("{:032x}", 0x7b00_0000_u64 + n as u64), "enabled": true
        });
        if !params.is_null() {
            rule["action_parameters"] = params;
        }
        match self.rulesets.iter_mut().find(|(p, _)| p == phase) {
            Some((_, rules)) => rules.push(rule),
            None => self.rulesets.push((phase.to_owned(), vec![rule])),
        }
        self
    }
    /// A page rule with one URL pattern and its actions (`[{id, value}]`).
    pub fn page_rule(mut self, pattern: &str, priority: i64, actions: Value) -> Self {
        let n = self.page_rules.len() + 1;
        self.page_rules.push(json!({
            "id": format!("{:032x}", 0x9c00_0000_u64 + n as u64),
            "targets": [{ "target": "url", "constraint": { "operator": "matches", "value": pattern } }],
            "actions": actions, "priority": priority, "status": "active",
            "created_on": STAMP, "modified_on": STAMP
        }));
        self
    }
    /// The zone's status (`active`, `pending`, `initializing`, `moved`).
    pub fn status(mut self, status: &'static str) -> Self {
        self.status = status;
        self
    }
    pub fn paused(mut self, paused: bool) -> Self {
        self.paused = paused;
        self
    }
    pub fn bot_fight_mode(mut self, on: bool) -> Self {
        self.bots["fight_mode"] = json!(on);
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
        let mut fake = ApiFake::new(&self.host)
            .bearer(&self.token)
            .errors(cloudflare_error)
            .log_to(&self.log);
        for rule in self.faults {
            fake = fake.fault(rule);
        }
        let mut zone = zone_object(&self.zone);
        zone["status"] = json!(self.status);
        zone["paused"] = json!(self.paused);
        let zone_name = self.zone.clone();
        let zones = move |req: &Req| {
            let found: Vec<Value> = match req.query_param("name") {
                Some(n) if !n.eq_ignore_ascii_case(&zone_name) => Vec::new(),
                _ => vec![zone.clone()],
            };
            let mut body = envelope(json!(found));
            body["result_info"] = json!({ "page": 1, "per_page": 20, "count": found.len(), "total_count": found.len(), "total_pages": 1 });
            Resp::json(200, &body)
        };
        let settings = Arc::new(self.settings);
        let setting = move |req: &Req| {
            let id = req.path.rsplit('/').next().unwrap_or("");
            match settings.iter().find(|(k, _)| k == id) {
                Some((k, v)) => Resp::json(
                    200,
                    &envelope(
                        json!({ "id": k, "value": v, "editable": true, "modified_on": STAMP }),
                    ),
                ),
                None => Resp::json(
                    404,
                    &cloudflare_error(404, "not_found", "Invalid setting name"),
                ),
            }
        };
        let records = Arc::new(self.records);
        let dns = move |req: &Req| dns_page(&records, req);
        let rulesets = Arc::new(self.rulesets);
        let entrypoint = move |req: &Req| {
            let phase = req.path.split('/').rev().nth(1).unwrap_or("");
            match rulesets.iter().find(|(p, _)| p == phase) {
                Some((p, rules)) => Resp::json(
                    200,
                    &envelope(json!({
                    "id": format!("{:032x}", 0x5e00_0000_u64 + p.len() as u64), "name": "default",
                    "description": "", "kind": "zone", "version": "4", "last_updated": STAMP,
                    "phase": p, "rules": rules })),
                ),
                None => Resp::json(
                    404,
                    &json!({ "success": false, "messages": [], "result": null,
                    "errors": [{ "code": 10003, "message": format!("could not find entrypoint ruleset in the {phase} phase") }] }),
                ),
            }
        };
        let page_rules = Arc::new(self.page_rules);
        let bots = self.bots;
        fake.route(
            &format!("{PREFIX}/zones"),
            Some(&[
                "name",
                "status",
                "page",
                "per_page",
                "order",
                "direction",
                "match",
                "account.id",
                "account.name",
            ]),
            zones,
        )
        .route(&Self::path("/settings/*"), Some(&[]), setting)
        .route(
            &Self::path("/dns_records"),
            Some(&[
                "page",
                "per_page",
                "type",
                "name",
                "content",
                "proxied",
                "match",
                "order",
                "direction",
            ]),
            dns,
        )
        .route(&Self::path("/rulesets/phases/*"), Some(&[]), entrypoint)
        .route(
            &Self::path("/pagerules"),
            Some(&["direction", "match", "order", "status"]),
            move |_| Resp::json(200, &envelope(json!(page_rules.as_ref()))),
        )
        .fixture(&Self::path("/bot_management"), &[], envelope(bots))
        .site()
    }
}

fn zone_object(name: &str) -> Value {
    json!({
        "id": ZONE_ID, "name": name, "status": "active", "paused": false, "type": "full",
        "development_mode": 0, "name_servers": ["ada.ns.cloudflare.com", "rex.ns.cloudflare.com"],
        "original_name_servers": ["ns1.dns-host.net", "ns2.dns-host.net"], "original_registrar": "registrar inc",
        "original_dnshost": null, "modified_on": STAMP, "created_on": "2025-03-02T18:01:44.000000Z",
        "activated_on": "2025-03-02T18:20:10.000000Z",
        "meta": { "step": 2, "custom_certificate_quota": 0, "page_rule_quota": 3, "phishing_detected": false },
        "owner": { "id": null, "type": "user", "email": null },
        "account": { "id": "01a7362d577a6c3019a474fd6f485823", "name": "Acme" },
        "tenant": { "id": null, "name": null }, "tenant_unit": { "id": null },
        "permissions": ["#zone:read", "#dns_records:read"],
        "plan": { "id": "0feeeeeeeeeeeeeeeeeeeeeeeeeeeeee", "name": "Free Website", "price": 0, "currency": "USD",
            "frequency": "", "is_subscribed": false, "can_subscribe": false, "legacy_id": "free",
            "legacy_discount": false, "externally_managed": false },
        "vanity_name_servers": [], "cname_suffix": null
    })
}

/// One page of DNS records (`page`, `per_page` up to 5,000,000 in the real API).
fn dns_page(records: &[Value], req: &Req) -> Resp {
    let number = |name: &str, default: usize| -> Result<usize, String> {
        match req.query_param(name) {
            None => Ok(default),
            Some(v) => v.parse::<usize>().ok().filter(|n| *n >= 1).ok_or(v),
        }
    };
    let (page, per_page) = match (number("page", 1), number("per_page", 100)) {
        (Ok(p), Ok(s)) => (p, s.min(5_000_000)),
        (Err(v), _) | (_, Err(v)) => {
            return Resp::json(
                400,
                &cloudflare_error(
                    400,
                    "bad_request",
                    &format!("Invalid page or per_page value `{v}`"),
                ),
            );
        }
    };
    let total = records.len();
    let pages = total.div_ceil(per_page).max(1);
    let items: Vec<&Value> = records
        .iter()
        .skip((page - 1).saturating_mul(per_page))
        .take(per_page)
        .collect();
    let mut body = envelope(json!(items));
    body["result_info"] = json!({ "page": page, "per_page": per_page, "count": items.len(), "total_count": total, "total_pages": pages });
    Resp::json(200, &body)
}
