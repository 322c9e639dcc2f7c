//! `dns.dangling-cname`: a CNAME chain that ends in NXDOMAIN points at a resource that
//! no longer exists (a deleted app, bucket or page) — anyone who can claim that name
//! at the provider serves content on your host (subdomain takeover).

use hickory_resolver::proto::rr::RecordType;
use serde_json::json;

use crate::checks::{BoxFuture, Check, Meta, Plan, Severity};
use crate::context::Context;
use crate::net::dns::DnsFailure;
use crate::report::Outcome;

pub struct DanglingCname;

static META: Meta = Meta {
    id: "dns.dangling-cname",
    title: "No CNAME points at a name that does not exist",
    severity: Severity::Fail,
    needs: "manifest `web` or `webhooks`; DNS",
    network: true,
    active: false,
    doc: include_str!("../../../checks/dns.dangling-cname.md"),
};

const MAX_CHAIN: usize = 8;

impl Check for DanglingCname {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn plan(&self, cx: &Context) -> Plan {
        super::host_plan(cx)
    }

    fn run<'a>(&'a self, cx: &'a Context, host: &'a str) -> BoxFuture<'a, Outcome> {
        Box::pin(async move {
            let net = match cx.net() {
                Ok(n) => n,
                Err(e) => return Outcome::error(e),
            };
            let mut chain = vec![host.to_owned()];
            loop {
                let Some(current) = chain.last().cloned() else {
                    return Outcome::error("empty CNAME chain");
                };
                match net.dns.names(&current, RecordType::CNAME).await {
                    Ok(targets) => {
                        let Some(next) = targets.into_iter().next() else {
                            return Outcome::error(format!(
                                "{current}: CNAME answer without a target"
                            ));
                        };
                        if chain.contains(&next) {
                            chain.push(next);
                            return Outcome::fail(format!("CNAME loop: {}", chain.join(" → ")))
                                .details(json!({ "chain": chain }))
                                .remediation(
                                    "Point the CNAME at the real host name of your provider.",
                                );
                        }
                        chain.push(next);
                        if chain.len() > MAX_CHAIN {
                            return Outcome::fail(format!(
                                "CNAME chain longer than {MAX_CHAIN} names: {}",
                                chain.join(" → ")
                            ))
                            .details(json!({ "chain": chain }));
                        }
                    }
                    Err(DnsFailure::NoData) => break,
                    Err(DnsFailure::NxDomain) if chain.len() == 1 => {
                        return Outcome::pass(format!(
                            "{host} has no CNAME (the name does not exist; see dns.resolves)"
                        ))
                        .details(json!({ "chain": chain }));
                    }
                    Err(DnsFailure::NxDomain) => break,
                    Err(e) => {
                        return Outcome::error(format!("{current}: {e}"))
                            .details(json!({ "chain": chain, "rcode": e.code() }));
                    }
                }
            }
            if chain.len() == 1 {
                return Outcome::pass(format!("{host} has no CNAME"))
                    .details(json!({ "chain": chain }));
            }
            let end = chain.last().cloned().unwrap_or_default();
            let shown = chain.join(" → ");
            match net.dns.ips(&end).await {
                Ok(ips) => Outcome::pass(format!("{shown} resolves"))
                    .details(json!({ "chain": chain, "addresses": ips })),
                Err(DnsFailure::NxDomain) => Outcome::fail(format!("dangling CNAME: {shown} ends in NXDOMAIN (subdomain takeover risk)"))
                    .details(json!({ "chain": chain, "rcode": "NXDOMAIN" }))
                    .remediation(format!("Delete the CNAME for {host} now, or recreate the resource {end} at your provider. Until then anyone who can claim {end} can serve content on {host}.")),
                Err(DnsFailure::NoData) => Outcome::warn(format!("{shown}: the target exists but has no address"))
                    .details(json!({ "chain": chain, "rcode": "NOERROR", "answers": 0 }))
                    .remediation(format!("Check that {end} is still provisioned at your provider.")),
                Err(e) => Outcome::error(format!("{end}: {e}")).details(json!({ "chain": chain, "rcode": e.code() })),
            }
        })
    }
}
