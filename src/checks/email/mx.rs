//! `email.mx`: a domain that sends or receives mail has MX records whose targets
//! resolve; a parked domain says so everywhere (null MX, `v=spf1 -all`, `p=reject`).

use serde_json::json;

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::email::{Level, MxStatus, Problem};
use crate::evidence::dns::{Addresses, DnsFailure};
use crate::evidence::mail;
use crate::meta;

pub struct Mx;

impl Check for Mx {
    const META: &'static Meta = meta! {
        id: "email.mx",
        title: "MX records fit how the domain uses mail",
        severity: Fail,
        needs: "manifest `email.domain` and `email.sends_mail`; DNS",
        network: true,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        super::domain_plan(cx)
    }

    async fn run(&self, cx: &Context, domain: &str) -> Checked {
        let sends = cx.manifest.email.as_ref().is_none_or(|e| e.sends_mail);
        let mx = cx
            .get(mail::Mx {
                domain: domain.to_owned(),
                sends_mail: sends,
            })
            .await?;
        let (status, mut problems) = (mx.0.clone(), mx.1.clone());
        if let MxStatus::Hosts { hosts } = &status {
            let lookups = hosts.iter().map(|h| async move {
                let answer = cx.get(Addresses(h.exchange.clone())).await;
                (h.exchange.clone(), answer)
            });
            for (host, answer) in futures::future::join_all(lookups).await {
                match &*answer? {
                    Ok(_) => {}
                    Err(e @ (DnsFailure::NxDomain | DnsFailure::NoData)) => {
                        problems.push(Problem::new(
                            Level::Fail,
                            "mx.target-unresolvable",
                            format!("MX target {host} does not resolve ({})", e.code()),
                        ))
                    }
                    Err(e) => problems.push(Problem::new(
                        Level::Error,
                        "mx.temperror",
                        format!("MX target {host}: {e}"),
                    )),
                }
            }
        }
        if !sends {
            parked_domain_problems(cx, domain, &mut problems).await;
        }
        let pass = match &status {
            MxStatus::Hosts { hosts } => format!(
                "MX: {}",
                hosts
                    .iter()
                    .map(|h| format!("{} {}", h.preference, h.exchange))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            MxStatus::NullMx => {
                "null MX, SPF -all and DMARC reject: the domain is parked correctly".to_owned()
            }
            _ => "MX records fit the manifest".to_owned(),
        };
        Ok(super::outcome(&problems, pass, json!({ "mx": status, "sends_mail": sends })).remediation(if sends {
            "Publish the MX records your mail provider gives you and make sure every target resolves."
        } else {
            "For a domain that never sends or receives mail publish `MX 0 .` (RFC 7505), the TXT record `v=spf1 -all`, and `_dmarc` with `v=DMARC1; p=reject;`."
        }))
    }
}

/// A parked domain must also refuse all mail in SPF and DMARC, or it can be spoofed.
async fn parked_domain_problems(cx: &Context, domain: &str, problems: &mut Vec<Problem>) {
    if let Ok(spf) = cx.get(mail::Spf(domain.to_owned())).await {
        let strict = spf
            .record
            .as_deref()
            .map(|r| r.split_whitespace().collect::<Vec<_>>() == ["v=spf1", "-all"])
            .unwrap_or(false);
        if spf.level() == Some(Level::Error) {
            problems.push(Problem::new(
                Level::Error,
                "mx.parked-spf-unknown",
                "the SPF record could not be read",
            ));
        } else if !strict {
            problems.push(Problem::new(
                Level::Fail,
                "mx.parked-spf",
                "a parked domain must publish exactly `v=spf1 -all`, so nobody can send as it",
            ));
        }
    }
    if let Ok(dmarc) = cx.get(mail::Dmarc(domain.to_owned())).await {
        if dmarc.level() == Some(Level::Error) {
            problems.push(Problem::new(
                Level::Error,
                "mx.parked-dmarc-unknown",
                "the DMARC record could not be read",
            ));
        } else if dmarc.policy != Some(crate::email::dmarc::Policy::Reject) {
            problems.push(Problem::new(
                Level::Fail,
                "mx.parked-dmarc",
                "a parked domain must publish DMARC `p=reject`",
            ));
        }
    }
}
