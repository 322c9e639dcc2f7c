//! `dns.ns`: a zone with fewer than two name servers has a single point of failure;
//! RFC 1034 §4.1 asks for at least two.

use hickory_resolver::proto::rr::RecordType;
use serde_json::json;

use crate::checks::{BoxFuture, Check, Meta, Plan, Severity};
use crate::context::Context;
use crate::net::dns::DnsFailure;
use crate::report::Outcome;

pub struct Ns;

static META: Meta = Meta {
    id: "dns.ns",
    title: "Zones have at least two name servers",
    severity: Severity::Fail,
    needs: "manifest `web`, `webhooks` or `email`; DNS",
    network: true,
    active: false,
    doc: include_str!("../../../checks/dns.ns.md"),
};

impl Check for Ns {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn plan(&self, cx: &Context) -> Plan {
        let apexes = cx.apexes();
        if apexes.is_empty() {
            Plan::skip("dns", "no hosts or email domain in the manifest")
        } else {
            Plan::Targets(apexes)
        }
    }

    fn run<'a>(&'a self, cx: &'a Context, apex: &'a str) -> BoxFuture<'a, Outcome> {
        Box::pin(async move {
            let net = match cx.net() {
                Ok(n) => n,
                Err(e) => return Outcome::error(e),
            };
            match net.dns.names(apex, RecordType::NS).await {
                Ok(mut servers) => {
                    servers.sort();
                    servers.dedup();
                    let details = json!({ "name_servers": servers });
                    if servers.len() >= 2 {
                        Outcome::pass(format!(
                            "{} name servers: {}",
                            servers.len(),
                            servers.join(", ")
                        ))
                        .details(details)
                    } else {
                        Outcome::fail(format!("only {} name server: {}", servers.len(), servers.join(", ")))
                            .details(details)
                            .remediation("Publish at least two NS records, ideally on separate networks (most DNS providers give you two to four).")
                    }
                }
                Err(DnsFailure::NxDomain) => {
                    Outcome::fail(format!("{apex}: NXDOMAIN, the zone does not exist"))
                        .details(json!({ "rcode": "NXDOMAIN" }))
                }
                Err(DnsFailure::NoData) => Outcome::fail(format!("{apex}: no NS records"))
                    .details(json!({ "rcode": "NOERROR", "answers": 0 }))
                    .remediation("Publish at least two NS records for the zone."),
                Err(e) => {
                    Outcome::error(format!("{apex}: {e}")).details(json!({ "rcode": e.code() }))
                }
            }
        })
    }
}
