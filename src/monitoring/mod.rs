//! Uptime monitors, whatever the provider: the one shape `monitoring.coverage`
//! judges. The provider clients (`net::betterstack`, `net::uptimerobot`) read their
//! API's answers into [`Monitor`]; URL matching lives here so both agree on it.

use serde::Serialize;

/// What a monitor requests, as far as coverage is concerned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Requests the URL and judges the status code (Better Stack `status`,
    /// `expected_status_code`; UptimeRobot HTTP(s)).
    Http,
    /// Requests the URL and looks for a keyword (or its absence) in the body.
    Keyword,
    /// Pings the host or opens a port: it cannot see an HTTP failure of a route, so
    /// it never covers a URL (named in the details so the user sees why).
    HostOnly,
    /// Anything else (heartbeats, DNS, SMTP, browser scripts): not a URL check.
    Other(String),
}

impl Kind {
    pub fn requests_url(&self) -> bool {
        matches!(self, Kind::Http | Kind::Keyword)
    }
}

/// What the monitor last reported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Up,
    Down,
    Paused,
    /// Not checked yet (Better Stack `pending`/`validating`, UptimeRobot 1).
    Pending,
    /// In a maintenance window: checks run, alerts are held.
    Maintenance,
    Unknown(String),
}

/// One monitor, provider-neutral.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Monitor {
    pub id: String,
    pub name: String,
    /// What the monitor requests (a URL, or a host for ping/port monitors).
    pub url: Option<String>,
    pub kind: Kind,
    /// The provider's own word for the type (`status`, `keyword`, `1`, …).
    pub provider_type: String,
    pub state: State,
    /// Seconds between checks.
    pub interval_s: Option<u64>,
    /// How someone hears of an outage (`policy 123`, `email`, `2 alert contacts`);
    /// `None`: nobody is told.
    pub alert_route: Option<String>,
    /// Status codes the monitor counts as up, when it says (a webhook monitor may
    /// expect 405 for a GET on a POST-only route).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub expected_status: Vec<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_method: Option<String>,
}

impl Monitor {
    /// The host a ping/port monitor watches (its "url" is often a bare host).
    pub fn host(&self) -> Option<String> {
        let url = self.url.as_deref()?.trim();
        match url::Url::parse(url) {
            Ok(u) if u.host_str().is_some() => u.host_str().map(str::to_ascii_lowercase),
            _ => {
                let host = url.split(['/', ':']).next().unwrap_or("");
                (!host.is_empty()).then(|| host.to_ascii_lowercase())
            }
        }
    }
}

/// A URL as monitors and manifests are compared: scheme and host lower-cased, the
/// default port dropped, no fragment, no trailing slash (the root path is empty).
/// The query is kept: `/health?deep=1` is another check than `/health`.
pub fn normalise_url(text: &str) -> Option<String> {
    let url = url::Url::parse(text.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    // `url` already lower-cases scheme and host and drops a default port.
    let host = url.host_str()?;
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    let path = url.path().trim_end_matches('/');
    let query = url.query().map(|q| format!("?{q}")).unwrap_or_default();
    Some(format!("{}://{host}{port}{path}{query}", url.scheme()))
}

/// Whether a monitor's URL is `target` after normalisation.
pub fn same_url(monitor_url: &str, target: &str) -> bool {
    match (normalise_url(monitor_url), normalise_url(target)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_match_after_normalising_case_port_and_trailing_slash() {
        assert!(same_url(
            "HTTPS://WWW.Acme.app:443/",
            "https://www.acme.app"
        ));
        assert!(same_url(
            "https://www.acme.app/api/health/",
            "https://www.acme.app/api/health"
        ));
        assert!(same_url(
            "https://www.acme.app/a#frag",
            "https://www.acme.app/a"
        ));
        // The scheme, another port, path case and the query still tell URLs apart.
        assert!(!same_url("http://www.acme.app", "https://www.acme.app"));
        assert!(!same_url(
            "https://www.acme.app:8443",
            "https://www.acme.app"
        ));
        assert!(!same_url(
            "https://www.acme.app/API/health",
            "https://www.acme.app/api/health"
        ));
        assert!(!same_url(
            "https://www.acme.app/h?deep=1",
            "https://www.acme.app/h"
        ));
        assert!(!same_url("not a url", "https://www.acme.app"));
    }

    #[test]
    fn host_of_a_bare_host_or_url() {
        let mut m = Monitor {
            id: "1".into(),
            name: "ping".into(),
            url: Some("WWW.acme.app".into()),
            kind: Kind::HostOnly,
            provider_type: "ping".into(),
            state: State::Up,
            interval_s: Some(60),
            alert_route: None,
            expected_status: Vec::new(),
            http_method: None,
        };
        assert_eq!(m.host().as_deref(), Some("www.acme.app"));
        m.url = Some("https://www.acme.app:8443/x".into());
        assert_eq!(m.host().as_deref(), Some("www.acme.app"));
    }
}
