//! `monitoring.coverage`: the canonical URL, `web.health` and every webhook URL are
//! each watched by an active monitor checking within `max_interval_s`, that is up
//! and tells someone when it goes down.
//!
//! Only monitors that request the URL count (HTTP status and keyword monitors): a
//! ping or port monitor on the host cannot see a route answering 500, so it is named
//! in the details and never counts. A webhook monitor expecting a 4xx (405 for a GET
//! on a POST-only route) counts like any other: its provider judges the answer.

use serde_json::{Value, json};

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::evidence::monitoring::{Monitors, section};
use crate::manifest::MonitoringCover;
use crate::meta;
use crate::monitoring::{Kind, Monitor, State, normalise_url, same_url};
use crate::net::api::Stop;
use crate::report::Outcome;

pub struct Coverage;

impl Check for Coverage {
    const META: &'static Meta = meta! {
        id: "monitoring.coverage",
        title: "Production URLs are watched by active uptime monitors that alert someone",
        severity: Fail,
        needs: "manifest `monitoring` and `web` or `webhooks`; a Better Stack token or an UptimeRobot key",
        network: true,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        let Ok(mon) = section(cx) else {
            return Plan::skip("monitoring", "no `monitoring` section in the manifest");
        };
        let mut targets = Vec::new();
        if let Some(web) = &cx.manifest.web {
            if mon.covers(MonitoringCover::Canonical) {
                targets.push(web.canonical.as_str().to_owned());
            }
            if mon.covers(MonitoringCover::Health)
                && let Some(url) = web
                    .health
                    .as_deref()
                    .and_then(|p| crate::checks::http::on_canonical(web, p))
            {
                targets.push(url);
            }
        }
        if mon.covers(MonitoringCover::Webhooks) {
            targets.extend(cx.manifest.webhooks.iter().map(|w| w.name.clone()));
        }
        if targets.is_empty() {
            return Plan::skip(
                "monitoring",
                "nothing to cover: no `web.canonical`, `web.health` or `webhooks` among `monitoring.cover`",
            );
        }
        Plan::Targets(targets)
    }

    async fn run(&self, cx: &Context, target: &str) -> Checked {
        let url = cx
            .manifest
            .webhooks
            .iter()
            .find(|w| w.name == target)
            .map_or_else(|| target.to_owned(), |w| w.url.as_str().to_owned());
        let max = section(cx)?.max_interval_s;
        let set = cx.get(Monitors).await?;
        Ok(judge(
            &url,
            &set.monitors,
            u64::from(max),
            set.provider,
            set.stopped.as_ref(),
        ))
    }
}

fn brief(m: &Monitor) -> Value {
    let mut out = json!({
        "id": m.id, "name": m.name, "url": m.url, "type": m.provider_type,
        "state": m.state, "interval_s": m.interval_s, "alert_route": m.alert_route,
    });
    if !m.expected_status.is_empty() {
        out["expected_status"] = json!(m.expected_status);
    }
    if let Some(method) = &m.http_method {
        out["http_method"] = json!(method);
    }
    out
}

fn names(ms: &[&Monitor]) -> String {
    let mut out: Vec<String> = ms.iter().take(3).map(|m| format!("'{}'", m.name)).collect();
    if ms.len() > 3 {
        out.push(format!("{} more", ms.len() - 3));
    }
    out.join(", ")
}

/// The verdict for one URL. `stopped`: the listing ended at a cap, so only a `fail`
/// the monitors read already prove is given (SPEC §7 "Caps").
pub fn judge(
    url: &str,
    monitors: &[Monitor],
    max_interval_s: u64,
    provider: &str,
    stopped: Option<&Stop>,
) -> Outcome {
    let host = url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase));
    let watching: Vec<&Monitor> = monitors
        .iter()
        .filter(|m| m.kind.requests_url() && m.url.as_deref().is_some_and(|u| same_url(u, url)))
        .collect();
    let host_only: Vec<&Monitor> = monitors
        .iter()
        .filter(|m| m.kind == Kind::HostOnly && m.host().is_some() && m.host() == host)
        .collect();
    // Same host, another path or scheme: the likeliest typo.
    let near: Vec<&Monitor> = monitors
        .iter()
        .filter(|m| m.kind.requests_url() && !watching.iter().any(|w| std::ptr::eq(*w, *m)))
        .filter(|m| {
            m.url
                .as_deref()
                .and_then(normalise_url)
                .and_then(|u| url::Url::parse(&u).ok())
                .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
                == host
        })
        .take(5)
        .collect();
    let mut details = json!({
        "url": url,
        "provider": provider,
        "max_interval_s": max_interval_s,
        "monitors": watching.iter().map(|m| brief(m)).collect::<Vec<_>>(),
        "monitors_in_account": monitors.len(),
    });
    if !host_only.is_empty() {
        details["host_only_monitors"] = host_only.iter().map(|m| brief(m)).collect();
    }
    if watching.is_empty() && !near.is_empty() {
        details["same_host_other_urls"] = near.iter().map(|m| brief(m)).collect();
    }
    if let Some(stop) = stopped {
        details["listing_stopped"] = stop.to_string().into();
    }
    let unproven = |details: Value| {
        stopped.map(|stop| {
            Outcome::error(format!(
                "the {provider} monitor listing {stop} before its end: cannot tell whether {url} is watched"
            ))
            .details(details)
            .remediation("Raise --deadline, or use a token scoped to this project's team.")
        })
    };

    let active: Vec<&Monitor> = watching
        .iter()
        .copied()
        .filter(|m| m.state != State::Paused)
        .collect();
    let down: Vec<&Monitor> = active
        .iter()
        .copied()
        .filter(|m| m.state == State::Down)
        .collect();
    if !down.is_empty() {
        return Outcome::fail(format!(
            "{url} is reported down by {} {}",
            provider,
            names(&down)
        ))
        .details(details)
        .remediation("Find out why the monitor sees it down (its last check's answer is in the provider's incident); a monitor that expects the wrong status or keyword is as broken as the route.");
    }
    if let Some(error) = unproven(details.clone()) {
        return error;
    }
    if watching.is_empty() {
        let mut summary = format!("no {provider} monitor watches {url}");
        if !host_only.is_empty() {
            summary += &format!(
                " (only ping/port monitors on the host, {}: they cannot see an HTTP failure)",
                names(&host_only)
            );
        } else if !near.is_empty() {
            summary += &format!(" (same host, other URLs: {})", names(&near));
        }
        return Outcome::fail(summary).details(details).remediation(format!(
            "Add an HTTP or keyword monitor for exactly {url} in {provider}, checking every {max_interval_s} s or more often. For a POST-only webhook route, monitor it with GET and expect its 405."
        ));
    }
    if active.is_empty() {
        return Outcome::fail(format!(
            "{url} is watched only by paused monitors: {}",
            names(&watching)
        ))
        .details(details)
        .remediation("Resume the monitor (a paused monitor checks nothing and alerts nobody), or add an active one.");
    }
    let fast: Vec<&Monitor> = active
        .iter()
        .copied()
        .filter(|m| m.interval_s.is_some_and(|s| s <= max_interval_s))
        .collect();
    if fast.is_empty() {
        let fastest = active.iter().filter_map(|m| m.interval_s).min();
        let every = fastest.map_or("an unknown interval".to_owned(), |s| format!("every {s} s"));
        return Outcome::fail(format!(
            "no active monitor checks {url} within {max_interval_s} s (the fastest checks {every})"
        ))
        .details(details)
        .remediation(format!(
            "Set the monitor's check frequency to {max_interval_s} s or less: an outage between slow checks goes unseen for that long."
        ));
    }
    let up: Vec<&Monitor> = fast
        .iter()
        .copied()
        .filter(|m| m.state == State::Up)
        .collect();
    let Some(best) = up
        .iter()
        .copied()
        .filter(|m| m.alert_route.is_some())
        .min_by_key(|m| m.interval_s)
    else {
        if up.is_empty() {
            let states: Vec<String> = fast.iter().map(|m| state_word(&m.state)).collect();
            return Outcome::warn(format!(
                "{url} is watched by {} but it has not reported up ({})",
                names(&fast),
                states.join(", ")
            ))
            .details(details)
            .remediation("Look at the monitor in the provider: it has not checked yet, is validating, or is in a maintenance window that holds alerts.");
        }
        return Outcome::warn(format!(
            "{url} is watched by {} but no alert route is set: nobody is told when it goes down",
            names(&up)
        ))
        .details(details)
        .remediation(format!(
            "Attach an escalation policy or alert contacts (email, SMS, Slack…) to the monitor in {provider}."
        ));
    };
    let every = best.interval_s.unwrap_or(max_interval_s);
    let route = best.alert_route.as_deref().unwrap_or("");
    Outcome::pass(format!(
        "{url} is watched by '{}' every {every} s (up), alerting via {route}",
        best.name
    ))
    .details(details)
}

fn state_word(s: &State) -> String {
    match s {
        State::Up => "up".to_owned(),
        State::Down => "down".to_owned(),
        State::Paused => "paused".to_owned(),
        State::Pending => "not checked yet".to_owned(),
        State::Maintenance => "in maintenance".to_owned(),
        State::Unknown(w) => format!("status {w}"),
    }
}

#[cfg(test)]
#[path = "coverage_tests.rs"]
mod tests;
