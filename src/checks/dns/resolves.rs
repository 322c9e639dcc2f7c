//! `dns.resolves`: each host has A or AAAA records. NXDOMAIN, NODATA and a server
//! that cannot answer are different problems with different fixes, so they are named
//! apart; a server that cannot answer is `error`, never a verdict.

use serde_json::json;

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::evidence::dns::{Addresses, DnsFailure};
use crate::meta;
use crate::report::Outcome;

pub struct Resolves;

impl Check for Resolves {
    const META: &'static Meta = meta! {
        id: "dns.resolves",
        title: "Hosts resolve to addresses",
        severity: Fail,
        needs: "manifest `web` or `webhooks`; DNS",
        network: true,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        super::host_plan(cx)
    }

    async fn run(&self, cx: &Context, host: &str) -> Checked {
        let answer = cx.get(Addresses(host.to_owned())).await?;
        Ok(match &*answer {
            Ok(ips) => {
                let list: Vec<String> = ips.iter().map(|ip| ip.to_string()).collect();
                Outcome::pass(format!("{host} resolves to {}", list.join(", ")))
                    .details(json!({ "addresses": list }))
            }
            Err(DnsFailure::NxDomain) => Outcome::fail(format!("{host}: NXDOMAIN, the name does not exist"))
                .details(json!({ "rcode": "NXDOMAIN" }))
                .remediation(format!("Create the DNS records for {host} at your DNS provider, or remove it from the manifest.")),
            Err(DnsFailure::NoData) => Outcome::fail(format!("{host}: NODATA, the name exists but has no A or AAAA record"))
                .details(json!({ "rcode": "NOERROR", "answers": 0 }))
                .remediation(format!("Add an A/AAAA record (or a CNAME to your host) for {host}.")),
            Err(e) => Outcome::error(format!("{host}: {e}"))
                .details(json!({ "rcode": e.code() }))
                .remediation("The name servers could not answer; check the zone's delegation and name servers, then run again."),
        })
    }
}
