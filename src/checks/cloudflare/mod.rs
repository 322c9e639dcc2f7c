//! Cloudflare: the zone in front of production (SPEC §4, §7 "Cloudflare"). Zone
//! checks judge only proxied traffic: when no relevant manifest host is proxied,
//! they are `skip`, naming the DNS-only records.

pub mod cache_rules;
pub mod https;
pub mod proxied;
pub mod ssl_mode;
pub mod webhook_access;

use std::sync::Arc;

use serde_json::json;

use crate::checks::Plan;
use crate::cloudflare::{Records, hosts, in_zone};
use crate::context::Context;
use crate::evidence::cloudflare::{DnsRecords, Zone};
use crate::report::Outcome;

/// One target, the zone; or the skip when the manifest has no `cloudflare` section.
pub(crate) fn plan_zone(cx: &Context) -> Plan {
    match &cx.manifest.cloudflare {
        Some(cf) => Plan::Targets(vec![zone_name(cx).unwrap_or_else(|| cf.zone.clone())]),
        None => Plan::skip("cloudflare", "no `cloudflare` section in the manifest"),
    }
}

pub(crate) fn zone_name(cx: &Context) -> Option<String> {
    cx.manifest
        .cloudflare
        .as_ref()
        .map(|cf| cf.zone.trim().trim_end_matches('.').to_ascii_lowercase())
}

/// The zone's records and which of `hosts` (those in the zone) it proxies; `Err` is
/// the early result: `skip` when none is in the zone or none is proxied (naming the
/// DNS-only records), `error` when a partial listing cannot tell.
pub(crate) async fn proxied_hosts(
    cx: &Context,
    hosts: Vec<String>,
) -> Result<(Arc<Records>, Vec<String>), Outcome> {
    let zone = zone_name(cx).unwrap_or_default();
    let hosts: Vec<String> = hosts.into_iter().filter(|h| in_zone(h, &zone)).collect();
    if hosts.is_empty() {
        return Err(Outcome::skip(format!(
            "no manifest host is in the zone {zone}"
        )));
    }
    if let Some(why) = zone_inactive(cx).await? {
        return Err(Outcome::skip(why));
    }
    let records = cx.get(DnsRecords).await?;
    let (proxied, dns_only) = hosts::split_proxied(&records.records, &zone, &hosts);
    if proxied.is_empty() {
        if let Some(stop) = &records.stopped {
            return Err(Outcome::error(format!(
                "the zone's DNS records could not all be read ({stop}): cannot tell which hosts are proxied"
            )));
        }
        return Err(Outcome::skip(format!(
            "no manifest host is proxied by Cloudflare, so its zone settings do not apply to them: {}",
            dns_only.join("; ")
        ))
        .details(json!({ "dns_only": dns_only })));
    }
    Ok((records, proxied))
}

/// Why the zone serves nothing through Cloudflare, if it does not: paused (traffic
/// goes straight to the origin) or not active (its name servers are not Cloudflare's).
pub(crate) async fn zone_inactive(cx: &Context) -> Result<Option<String>, Outcome> {
    let zone = cx.get(Zone).await?;
    if zone.paused {
        return Ok(Some(format!(
            "the zone {} is paused: Cloudflare passes its traffic straight to the origin",
            zone.name
        )));
    }
    Ok(match zone.status.as_deref() {
        None | Some("active") => None,
        Some(status) => Some(format!(
            "the zone {} is {status}, not active: Cloudflare does not serve it (its name servers are not Cloudflare's)",
            zone.name
        )),
    })
}

/// A placeholder zone (`TODO`, from `init`) is `error` before anything is read or
/// judged (SPEC §7 "Placeholders"): the zone is the one value every check reads.
#[allow(clippy::result_large_err)] // the shape of `Checked`, so `?` works in `run`
pub(crate) fn guard(cx: &Context) -> Result<(), Outcome> {
    match &cx.manifest.cloudflare {
        Some(cf) if cf.zone.contains("TODO") || cf.zone.trim().is_empty() => Err(Outcome::error(
            "placeholder in cloudflare.zone",
        )
        .remediation(
            "Set cloudflare.zone to the name of the zone in front of production (e.g. acme.app).",
        )),
        _ => Ok(()),
    }
}

/// Canonical, aliases, further hosts and webhook hosts.
pub(crate) fn all_hosts(cx: &Context) -> Vec<String> {
    cx.web_hosts()
}
