//! `dns.ns`: a zone with fewer than two name servers has a single point of failure;
//! RFC 1034 §4.1 asks for at least two.

use serde_json::json;

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::evidence::dns::{Answer, DnsFailure, NameServers};
use crate::meta;
use crate::report::Outcome;

pub struct Ns;

impl Check for Ns {
    const META: &'static Meta = meta! {
        id: "dns.ns",
        title: "Zones have at least two name servers",
        severity: Fail,
        needs: "manifest `web`, `webhooks` or `email`; DNS",
        network: true,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        let apexes = cx.apexes();
        if apexes.is_empty() {
            Plan::skip("dns", "no hosts or email domain in the manifest")
        } else {
            Plan::Targets(apexes)
        }
    }

    async fn run(&self, cx: &Context, apex: &str) -> Checked {
        let answer = cx.get(NameServers(apex.to_owned())).await?;
        Ok(judge(apex, &answer))
    }
}

/// The verdict on a zone's NS answer.
pub(crate) fn judge(apex: &str, answer: &Answer<Vec<String>>) -> Outcome {
    match answer {
        Ok(servers) => {
            let mut servers = servers.clone();
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
        Err(e) => Outcome::error(format!("{apex}: {e}")).details(json!({ "rcode": e.code() })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Status;

    fn servers(json: &str) -> Answer<Vec<String>> {
        Ok(serde_json::from_str(json).expect("fixture"))
    }

    #[test]
    fn two_name_servers_pass_one_fails() {
        let two = judge(
            "acme.app",
            &servers(r#"["ns2.dns.test.", "ns1.dns.test.", "ns1.dns.test."]"#),
        );
        assert_eq!(two.status, Status::Pass);
        assert_eq!(
            two.details["name_servers"],
            json!(["ns1.dns.test.", "ns2.dns.test."])
        );
        let one = judge("acme.app", &servers(r#"["ns1.dns.test."]"#));
        assert_eq!(one.status, Status::Fail);
        assert!(one.remediation.is_some());
    }

    #[test]
    fn only_answers_are_verdicts() {
        assert_eq!(
            judge("acme.app", &Err(DnsFailure::NxDomain)).status,
            Status::Fail
        );
        assert_eq!(
            judge("acme.app", &Err(DnsFailure::NoData)).status,
            Status::Fail
        );
        let servfail = judge("acme.app", &Err(DnsFailure::ServFail));
        assert_eq!(servfail.status, Status::Error);
        assert_eq!(servfail.details["rcode"], "SERVFAIL");
    }
}
