//! `email.dmarc`: one valid DMARC record that enforces at least `dmarc_min_policy`,
//! with reports going somewhere that is allowed to receive them.

use serde_json::json;

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::evidence::mail;
use crate::meta;

pub struct Dmarc;

impl Check for Dmarc {
    const META: &'static Meta = meta! {
        id: "email.dmarc",
        title: "DMARC record enforces the minimum policy",
        severity: Fail,
        needs: "manifest `email.domain`; DNS",
        network: true,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        super::domain_plan(cx)
    }

    async fn run(&self, cx: &Context, domain: &str) -> Checked {
        let audit = cx.get(mail::Dmarc(domain.to_owned())).await?;
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
        Ok(super::outcome(&audit.problems, pass, details).remediation(format!(
            "Publish one TXT record at _dmarc.{domain}: `v=DMARC1; p=reject; rua=mailto:dmarc@{domain}` (start with p=quarantine if unsure), and authorize any outside report address with a `<domain>._report._dmarc.<their domain>` record on their side."
        )))
    }
}
