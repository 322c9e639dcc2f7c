//! Better Stack Uptime API v2 on the shared client (`net::api`): a bearer token,
//! `GET /api/v2/monitors` paged JSON:API style (`data`, `pagination.next`), read
//! into provider-neutral [`Monitor`]s.

use serde_json::Value;

use super::Net;
use super::api::{ApiClient, ApiError, ApiSpec, Auth, Credential, Listing, Paging, Problem};
use crate::monitoring::{Kind, Monitor, State};

pub const DEFAULT_API_BASE: &str = "https://uptime.betterstack.com";
pub const MONITORS_PATH: &str = "/api/v2/monitors";
/// Better Stack's largest page.
const PER_PAGE: usize = 250;

pub static SPEC: ApiSpec = ApiSpec {
    name: "Better Stack",
    default_base: DEFAULT_API_BASE,
    base_env: "MONITORING_API_BASE",
    base_field: "monitoring.api_base",
    own_hosts: &["uptime.betterstack.com", "betteruptime.com"],
    auth: Auth::Bearer,
    // A page of 250 monitors, pretty-printed, is ~600 KB.
    body_cap: 4 * 1024 * 1024,
    max_pages: 40,
    max_listing_bytes: 64 * 1024 * 1024,
    max_retries: 2,
    should_retry_header: None,
    permission_for,
    key_help: "a Better Stack Uptime API token, read-only where your plan offers it (Better Stack → Uptime → Settings → API tokens)",
    key_settings: "Better Stack → Uptime → Settings → API tokens",
    status_page: "https://status.betterstack.com",
    narrow_hint: "Use a team-scoped token so the listing holds only this team's monitors.",
};

pub fn permission_for(_path: &str) -> String {
    "Uptime API: read monitors".to_owned()
}

pub struct BetterStackApi<'a> {
    client: ApiClient<'a>,
}

impl<'a> BetterStackApi<'a> {
    /// A client for the token in `credential`, if the base rule lets it go to the
    /// base (`MONITORING_API_BASE` from the environment wins over `monitoring.api_base`).
    pub fn connect(
        net: &'a Net,
        manifest_base: Option<&str>,
        env_base: Option<&str>,
        credential: Credential,
    ) -> Result<Self, String> {
        let client = ApiClient::new(&SPEC, net, manifest_base, env_base, credential)?;
        Ok(Self { client })
    }

    /// Every monitor of the token's team, page by page within the caps.
    pub async fn monitors(&self) -> Result<Listing<Monitor>, ApiError> {
        let paging = Paging::NextLink {
            items: "/data",
            next: "/pagination/next",
            param: "page",
            size: ("per_page", PER_PAGE),
        };
        let raw: Listing<Value> = self.client.list(MONITORS_PATH, &[], paging, None).await?;
        let mut monitors = Vec::with_capacity(raw.items.len());
        for (i, item) in raw.items.iter().enumerate() {
            let monitor = read_monitor(item).map_err(|why| {
                ApiError::new(
                    &SPEC,
                    MONITORS_PATH,
                    Problem::Malformed(format!("monitor {} of the listing: {why}", i + 1)),
                )
            })?;
            monitors.push(monitor);
        }
        Ok(Listing {
            items: monitors,
            pages: raw.pages,
            stopped: raw.stopped,
        })
    }
}

/// One JSON:API `monitor` resource.
pub fn read_monitor(item: &Value) -> Result<Monitor, String> {
    let id = match item.get("id") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => return Err("no `id`".to_owned()),
    };
    let kind = item.get("type").and_then(Value::as_str).unwrap_or("");
    if kind != "monitor" {
        return Err(format!("`type` is {kind:?}, not \"monitor\""));
    }
    let a = item
        .get("attributes")
        .filter(|a| a.is_object())
        .ok_or("no `attributes` object")?;
    let text = |k: &str| a.get(k).and_then(Value::as_str).map(str::to_owned);
    let flag = |k: &str| a.get(k).and_then(Value::as_bool).unwrap_or(false);
    let monitor_type = text("monitor_type").unwrap_or_default();
    let status = text("status").unwrap_or_default();
    let state = if flag("paused") {
        State::Paused
    } else {
        match status.as_str() {
            "up" => State::Up,
            "down" => State::Down,
            "paused" => State::Paused,
            "pending" | "validating" => State::Pending,
            "maintenance" => State::Maintenance,
            other => State::Unknown(other.to_owned()),
        }
    };
    let alert_route = match a.get("policy_id") {
        Some(Value::Number(n)) => Some(format!("escalation policy {n}")),
        Some(Value::String(s)) if !s.is_empty() => Some(format!("escalation policy {s}")),
        _ => {
            let channels: Vec<&str> = ["email", "sms", "call", "push"]
                .into_iter()
                .filter(|c| flag(c))
                .collect();
            (!channels.is_empty()).then(|| channels.join(", "))
        }
    };
    Ok(Monitor {
        id,
        name: text("pronounceable_name").unwrap_or_default(),
        url: text("url"),
        kind: match monitor_type.as_str() {
            "status" | "expected_status_code" => Kind::Http,
            "keyword" | "keyword_absence" => Kind::Keyword,
            "ping" | "tcp" | "udp" => Kind::HostOnly,
            other => Kind::Other(other.to_owned()),
        },
        provider_type: monitor_type,
        state,
        interval_s: a.get("check_frequency").and_then(Value::as_u64),
        alert_route,
        expected_status: a
            .get("expected_status_codes")
            .and_then(Value::as_array)
            .map(|codes| {
                codes
                    .iter()
                    .filter_map(|c| c.as_u64().and_then(|c| u16::try_from(c).ok()))
                    .collect()
            })
            .unwrap_or_default(),
        http_method: text("http_method"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_monitor_resource_reads_into_the_neutral_shape() {
        let item = json!({ "id": "2210", "type": "monitor", "attributes": {
            "url": "https://www.acme.app/api/webhooks/stripe", "pronounceable_name": "Stripe webhook",
            "monitor_type": "expected_status_code", "status": "up", "paused": false,
            "check_frequency": 60, "expected_status_codes": [405], "http_method": "get",
            "policy_id": null, "email": false, "sms": true, "call": false, "push": false } });
        let m = read_monitor(&item).expect("monitor");
        assert_eq!(m.kind, Kind::Http);
        assert_eq!(m.expected_status, vec![405]);
        assert_eq!(m.alert_route.as_deref(), Some("sms"));
        assert_eq!(m.interval_s, Some(60));

        let paused = json!({ "id": 7, "type": "monitor", "attributes": {
            "monitor_type": "ping", "status": "up", "paused": true, "policy_id": 98 } });
        let m = read_monitor(&paused).expect("monitor");
        assert_eq!(m.state, State::Paused);
        assert_eq!(m.kind, Kind::HostOnly);
        assert_eq!(m.alert_route.as_deref(), Some("escalation policy 98"));

        assert!(
            read_monitor(&json!({ "id": "1", "type": "heartbeat", "attributes": {} })).is_err()
        );
        assert!(read_monitor(&json!({ "id": "1", "type": "monitor" })).is_err());
    }
}
