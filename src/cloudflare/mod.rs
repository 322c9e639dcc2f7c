//! Cloudflare zones as the checks judge them: the API's shapes (from the official
//! `cloudflare` SDK's types, typed to the fields read here), which manifest hosts
//! the zone proxies, and the Rules language subset that cache, custom and rate-limit
//! rules are evaluated in.

pub mod access;
pub mod caching;
pub mod expr;
pub mod hosts;
pub mod init;
pub mod pagerule;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A zone from `GET /zones?name=` (`Zone` in the SDK).
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct ZoneInfo {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub paused: bool,
}

/// One zone setting (`{id, value, editable, modified_on}`); the value's type varies
/// by setting, so it stays JSON.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct SettingValue {
    pub id: String,
    #[serde(default)]
    pub value: Value,
}

impl SettingValue {
    pub fn text(&self) -> Option<&str> {
        self.value.as_str()
    }
}

/// The settings the zone checks judge.
#[derive(Clone, Debug, Serialize)]
pub struct Settings {
    /// `off | flexible | full | strict | origin_pull`: under automatic SSL/TLS, the
    /// mode Cloudflare applies now.
    pub ssl: String,
    /// `auto | custom`; `None` where the zone has no automatic SSL/TLS setting.
    pub ssl_automatic_mode: Option<String>,
    pub always_use_https: String,
    pub min_tls_version: String,
    pub security_level: String,
}

impl Settings {
    pub fn automatic_ssl(&self) -> bool {
        self.ssl_automatic_mode.as_deref() == Some("auto")
    }
}

/// A DNS record (`RecordResponse`): only address-bearing types can be proxied.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct DnsRecord {
    #[serde(default)]
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub proxied: bool,
}

impl DnsRecord {
    pub fn is_web(&self) -> bool {
        matches!(self.kind.as_str(), "A" | "AAAA" | "CNAME")
    }
    pub fn is_address(&self) -> bool {
        matches!(self.kind.as_str(), "A" | "AAAA")
    }
    /// `www.acme.app (A 203.0.113.10, DNS only)`.
    pub fn describe(&self) -> String {
        let proxy = if self.proxied { "proxied" } else { "DNS only" };
        format!("{} ({} {}, {proxy})", self.name, self.kind, self.content)
    }
}

/// DNS records as read, and where the listing stopped if it did not reach the end.
#[derive(Clone, Debug)]
pub struct Records {
    pub records: Vec<DnsRecord>,
    pub stopped: Option<String>,
}

/// A phase entry-point ruleset (`PhaseGetResponse`).
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Ruleset {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub phase: String,
    #[serde(default)]
    pub rules: Vec<Rule>,
}

/// One rule of a ruleset (the SDK's `BlockRule`, `SkipRule`, `SetCacheSettingsRule`…).
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Rule {
    #[serde(default)]
    pub id: String,
    pub action: String,
    #[serde(default)]
    pub expression: String,
    #[serde(default = "yes")]
    pub enabled: bool,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub action_parameters: Value,
}

fn yes() -> bool {
    true
}

impl Rule {
    /// How a person finds the rule in the dashboard: its description, else its id.
    pub fn label(&self) -> String {
        match self.description.as_deref().map(str::trim) {
            Some(d) if !d.is_empty() => format!("\"{d}\""),
            _ => format!("rule {}", self.id),
        }
    }
}

/// A page rule (`PageRule`): URL patterns and actions, applied by priority.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct PageRule {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub targets: Vec<PageRuleTarget>,
    #[serde(default)]
    pub actions: Vec<PageRuleAction>,
    #[serde(default)]
    pub priority: i64,
    #[serde(default)]
    pub status: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct PageRuleTarget {
    #[serde(default)]
    pub target: Option<String>,
    pub constraint: PageRuleConstraint,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct PageRuleConstraint {
    pub operator: String,
    pub value: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct PageRuleAction {
    pub id: String,
    #[serde(default)]
    pub value: Value,
}

impl PageRule {
    pub fn is_active(&self) -> bool {
        self.status == "active"
    }
    pub fn action(&self, id: &str) -> Option<&Value> {
        self.actions.iter().find(|a| a.id == id).map(|a| &a.value)
    }
    /// The first URL pattern, as the dashboard shows it.
    pub fn label(&self) -> String {
        match self.targets.first() {
            Some(t) => format!("page rule {}", t.constraint.value),
            None => format!("page rule {}", self.id),
        }
    }
}

/// Bot settings (`BotFightModeConfiguration`, `SuperBotFightMode…Configuration`).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct Bots {
    #[serde(default)]
    pub fight_mode: Option<bool>,
    #[serde(default)]
    pub sbfm_definitely_automated: Option<String>,
    #[serde(default)]
    pub sbfm_likely_automated: Option<String>,
}

impl Bots {
    /// Super Bot Fight Mode settings that block or challenge.
    pub fn super_bot_fight_mode(&self) -> Vec<String> {
        [
            ("definitely automated", &self.sbfm_definitely_automated),
            ("likely automated", &self.sbfm_likely_automated),
        ]
        .into_iter()
        .filter_map(|(what, v)| match v.as_deref() {
            Some(a @ ("block" | "managed_challenge")) => Some(format!("{what}: {a}")),
            _ => None,
        })
        .collect()
    }
}

/// The request a rule is judged against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub host: String,
    pub path: String,
    pub method: String,
}

impl Request {
    pub fn new(host: &str, path: &str, method: &str) -> Self {
        Self {
            host: host.to_ascii_lowercase(),
            path: if path.is_empty() {
                "/".to_owned()
            } else {
                path.to_owned()
            },
            method: method.to_owned(),
        }
    }
    pub fn full_uri(&self) -> String {
        format!("https://{}{}", self.host, self.path)
    }
}

/// Whether `host` is the zone or a name under it.
pub fn in_zone(host: &str, zone: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let zone = zone.trim_end_matches('.').to_ascii_lowercase();
    host == zone || host.ends_with(&format!(".{zone}"))
}
