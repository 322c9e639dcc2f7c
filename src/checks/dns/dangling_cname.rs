//! `dns.dangling-cname`: a CNAME chain that ends in NXDOMAIN points at a resource that
//! no longer exists (a deleted app, bucket or page) — anyone who can claim that name
//! at the provider serves content on your host (subdomain takeover).

use serde_json::json;

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::evidence::dns::{Addresses, Cname, DnsFailure};
use crate::meta;
use crate::report::Outcome;

pub struct DanglingCname;

const MAX_CHAIN: usize = 8;

impl Check for DanglingCname {
    const META: &'static Meta = meta! {
        id: "dns.dangling-cname",
        title: "No CNAME points at a name that does not exist",
        severity: Fail,
        needs: "manifest `web` or `webhooks`; DNS",
        network: true,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        super::host_plan(cx)
    }

    async fn run(&self, cx: &Context, host: &str) -> Checked {
        let mut chain = vec![host.to_owned()];
        loop {
            let Some(current) = chain.last().cloned() else {
                return Err(Outcome::error("empty CNAME chain"));
            };
            match &*cx.get(Cname(current.clone())).await? {
                Ok(targets) => {
                    let Some(next) = targets.first().cloned() else {
                        return Err(Outcome::error(format!(
                            "{current}: CNAME answer without a target"
                        )));
                    };
                    if chain.contains(&next) {
                        chain.push(next);
                        return Ok(Outcome::fail(format!("CNAME loop: {}", chain.join(" → ")))
                            .details(json!({ "chain": chain }))
                            .remediation(
                                "Point the CNAME at the real host name of your provider.",
                            ));
                    }
                    chain.push(next);
                    if chain.len() > MAX_CHAIN {
                        return Ok(Outcome::fail(format!(
                            "CNAME chain longer than {MAX_CHAIN} names: {}",
                            chain.join(" → ")
                        ))
                        .details(json!({ "chain": chain })));
                    }
                }
                Err(DnsFailure::NoData) => break,
                Err(DnsFailure::NxDomain) if chain.len() == 1 => {
                    return Ok(Outcome::pass(format!(
                        "{host} has no CNAME (the name does not exist; see dns.resolves)"
                    ))
                    .details(json!({ "chain": chain })));
                }
                Err(DnsFailure::NxDomain) => break,
                Err(e) => {
                    return Err(Outcome::error(format!("{current}: {e}"))
                        .details(json!({ "chain": chain, "rcode": e.code() })));
                }
            }
        }
        if chain.len() == 1 {
            return Err(
                Outcome::pass(format!("{host} has no CNAME")).details(json!({ "chain": chain }))
            );
        }
        let end = chain.last().cloned().unwrap_or_default();
        let shown = chain.join(" → ");
        Ok(match &*cx.get(Addresses(end.clone())).await? {
            Ok(ips) => Outcome::pass(format!("{shown} resolves"))
                .details(json!({ "chain": chain, "addresses": ips })),
            Err(DnsFailure::NxDomain) => Outcome::fail(format!("dangling CNAME: {shown} ends in NXDOMAIN (subdomain takeover risk)"))
                .details(json!({ "chain": chain, "rcode": "NXDOMAIN" }))
                .remediation(format!("Delete the CNAME for {host} now, or recreate the resource {end} at your provider. Until then anyone who can claim {end} can serve content on {host}.")),
            Err(DnsFailure::NoData) => Outcome::warn(format!("{shown}: the target exists but has no address"))
                .details(json!({ "chain": chain, "rcode": "NOERROR", "answers": 0 }))
                .remediation(format!("Check that {end} is still provisioned at your provider.")),
            Err(e) => Outcome::error(format!("{end}: {e}")).details(json!({ "chain": chain, "rcode": e.code() })),
        })
    }
}
