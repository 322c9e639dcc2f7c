//! `email.spf`: the domain's SPF record, audited the way a receiver evaluates it
//! (RFC 7208), with the include tree and its DNS lookup count as evidence.

use serde_json::json;

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::email::spf::Qualifier;
use crate::email::{Level, Problem};
use crate::evidence::mail;
use crate::meta;

pub struct Spf;

impl Check for Spf {
    const META: &'static Meta = meta! {
        id: "email.spf",
        title: "SPF record is valid and within the 10-lookup limit",
        severity: Fail,
        needs: "manifest `email.domain`; DNS",
        network: true,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        super::domain_plan(cx)
    }

    async fn run(&self, cx: &Context, domain: &str) -> Checked {
        let audit = cx.get(mail::Spf(domain.to_owned())).await?;
        let dmarc = cx.get(mail::Dmarc(domain.to_owned())).await?;
        let mut problems = audit.problems.clone();
        // `~all` is fine when DMARC enforces; without enforcement a soft fail lets
        // spoofed mail through to the inbox.
        let enforced = matches!(
            dmarc.policy,
            Some(crate::email::dmarc::Policy::Quarantine | crate::email::dmarc::Policy::Reject)
        );
        if audit.all == Some(Qualifier::SoftFail) && !enforced && audit.level() < Some(Level::Fail)
        {
            problems.push(Problem::new(
                Level::Warn,
                "spf.softfail-unenforced",
                "`~all` without an enforcing DMARC policy (quarantine or reject): receivers may still deliver spoofed mail",
            ));
        }
        let details = json!({
            "record": audit.record,
            "lookups": audit.lookups,
            "lookup_limit": crate::email::spf::MAX_DNS_LOOKUPS,
            "void_lookups": audit.void_lookups,
            "dns_queries": audit.dns_queries,
            "include_tree": audit.summary_line(),
            "tree": audit.tree,
        });
        let pass = format!(
            "{} DNS lookups of 10; ends in {}",
            audit.lookups,
            match audit.all {
                Some(Qualifier::Fail) => "-all",
                Some(Qualifier::SoftFail) => "~all (DMARC enforces)",
                _ => "all",
            }
        );
        let mut outcome = super::outcome(&problems, pass, details);
        // The summary names the branch to flatten; the whole tree is in the details.
        if problems.iter().any(|p| p.code == "spf.lookups")
            && let Some(heaviest) = audit.tree.children.iter().max_by_key(|c| c.lookups)
        {
            outcome.summary = format!(
                "{} DNS lookups (limit 10); heaviest branch: {} ({} lookups)",
                audit.lookups, heaviest.term, heaviest.lookups
            );
        }
        Ok(outcome.remediation(
            "Keep one TXT record starting `v=spf1`, ending in `-all` (or `~all` with DMARC enforcing). Over 10 lookups: remove unused includes or replace a deep include with the ip4:/ip6: ranges it resolves to (flatten) — the include tree in the details shows which one costs most.",
        ))
    }
}
