//! `email.dmarc`: one valid DMARC record that enforces at least `dmarc_min_policy`,
//! with reports going somewhere that is allowed to receive them.

use serde_json::json;

use crate::checks::{BoxFuture, Check, Meta, Plan, Severity};
use crate::context::Context;
use crate::report::Outcome;

pub struct Dmarc;

static META: Meta = Meta {
    id: "email.dmarc",
    title: "DMARC record enforces the minimum policy",
    severity: Severity::Fail,
    needs: "manifest `email.domain`; DNS",
    network: true,
    active: false,
    doc: include_str!("../../../checks/email.dmarc.md"),
};

impl Check for Dmarc {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn plan(&self, cx: &Context) -> Plan {
        super::domain_plan(cx)
    }

    fn run<'a>(&'a self, cx: &'a Context, domain: &'a str) -> BoxFuture<'a, Outcome> {
        Box::pin(async move {
            let Some(audit) = super::dmarc_audit(cx, domain).await else {
                return super::no_network("network access is off (--offline)");
            };
            let details = json!({
                "record_name": audit.record_name,
                "record": audit.record,
                "policy": audit.policy,
                "inherited_from_organizational_domain": audit.inherited,
            });
            let pass = format!(
                "p={} at {}",
                audit.policy.map(|p| p.as_str()).unwrap_or("?"),
                audit.record_name.as_deref().unwrap_or("_dmarc")
            );
            super::outcome(&audit.problems, pass, details).remediation(format!(
                "Publish one TXT record at _dmarc.{domain}: `v=DMARC1; p=reject; rua=mailto:dmarc@{domain}` (start with p=quarantine if unsure), and authorize any outside report address with a `<domain>._report._dmarc.<their domain>` record on their side."
            ))
        })
    }
}
