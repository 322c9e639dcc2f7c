//! `cloudflare.proxied`: the site's hosts go through Cloudflare. A DNS-only record
//! sends visitors straight to the origin, without Cloudflare's DDoS protection, WAF
//! or cache; and a DNS-only record anywhere in the zone that points at a proxied
//! host's origin address tells attackers where to go around Cloudflare.

use serde_json::json;

use super::zone_name;
use crate::checks::{Check, Checked, Meta, Plan};
use crate::cloudflare::hosts::{HostState, exposing, host_state};
use crate::cloudflare::{Records, in_zone};
use crate::context::Context;
use crate::evidence::cloudflare::DnsRecords;
use crate::meta;
use crate::report::Outcome;

pub struct Proxied;

impl Check for Proxied {
    const META: &'static Meta = meta! {
        id: "cloudflare.proxied",
        title: "Web hosts are proxied and their origin is not exposed",
        severity: Warn,
        needs: "manifest `cloudflare` and `web`; a Cloudflare API token (Zone Read, DNS Read)",
        network: true,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        if cx.manifest.cloudflare.is_none() {
            return Plan::skip("cloudflare", "no `cloudflare` section in the manifest");
        }
        let Some(web) = &cx.manifest.web else {
            return Plan::skip("cloudflare", "no `web` section in the manifest");
        };
        let mut hosts = vec![web.canonical.host().to_ascii_lowercase()];
        hosts.extend(web.aliases.iter().map(|h| h.0.to_ascii_lowercase()));
        hosts.extend(web.hosts.iter().map(|h| h.0.to_ascii_lowercase()));
        let mut seen = std::collections::HashSet::new();
        hosts.retain(|h| seen.insert(h.clone()));
        Plan::Targets(hosts)
    }

    async fn run(&self, cx: &Context, host: &str) -> Checked {
        super::guard(cx)?;
        let zone = zone_name(cx).unwrap_or_default();
        if !in_zone(host, &zone) {
            return Ok(Outcome::skip(format!("{host} is not in the zone {zone}")));
        }
        if let Some(why) = super::zone_inactive(cx).await? {
            return Ok(Outcome::warn(why).remediation(
                "Resume Cloudflare on the zone (Overview → Advanced actions), or activate it by setting the registrar's name servers to the two Cloudflare assigned.",
            ));
        }
        let records = cx.get(DnsRecords).await?;
        Ok(judge(&records, &zone, host))
    }
}

pub(crate) fn judge(records: &Records, zone: &str, host: &str) -> Outcome {
    let partial = records.stopped.as_deref();
    match host_state(&records.records, zone, host) {
        HostState::OutsideZone => Outcome::skip(format!("{host} is not in the zone {zone}")),
        HostState::NoRecord => match partial {
            Some(stop) => Outcome::error(format!("no record for {host} among the DNS records read ({stop})")),
            None => Outcome::warn(format!("the zone has no A, AAAA or CNAME record for {host}: its traffic does not pass through Cloudflare"))
                .remediation(format!("Add a proxied record for {host} in the zone (DNS → Records), or remove the host from the manifest.")),
        },
        HostState::DnsOnly(rs) => {
            let names: Vec<String> = rs.iter().map(|r| r.describe()).collect();
            Outcome::warn(format!(
                "not proxied: {} (no DDoS protection, WAF or cache; the origin address is public)",
                names.join("; ")
            ))
            .details(json!({ "records": rs }))
            .remediation(format!("Turn the proxy on (orange cloud) for {host} in DNS → Records."))
        }
        HostState::Proxied(rs) => {
            let exposed = exposing(&records.records, host);
            let details = json!({ "records": rs, "exposing": exposed });
            if !exposed.is_empty() {
                let names: Vec<String> = exposed.iter().map(|r| r.describe()).collect();
                return Outcome::warn(format!(
                    "origin exposed: {} points at the same address as proxied {host}",
                    names.join("; ")
                ))
                .details(details)
                .remediation("Proxy those records too, or move them to another address; then change the origin's address (the old one is known) and let it accept only Cloudflare's IP ranges.");
            }
            match partial {
                Some(stop) => Outcome::error(format!("{host} is proxied, but the zone's other records could not all be read ({stop}): cannot tell whether its origin is exposed")).details(details),
                None => Outcome::pass(format!("proxied ({})", rs.iter().map(|r| format!("{} {}", r.kind, r.content)).collect::<Vec<_>>().join(", "))).details(details),
            }
        }
    }
}
