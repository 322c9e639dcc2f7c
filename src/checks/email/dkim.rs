//! `email.dkim`: each configured selector publishes a usable key: present, not
//! revoked, parsable, strong enough, and not in testing mode.

use serde_json::json;

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::meta;
use crate::report::Outcome;

pub struct Dkim;

impl Check for Dkim {
    const META: &'static Meta = meta! {
        id: "email.dkim",
        title: "DKIM selectors publish strong keys",
        severity: Fail,
        needs: "manifest `email.dkim_selectors`; DNS",
        network: true,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        match &cx.manifest.email {
            None => Plan::skip("email", "no `email` section in the manifest"),
            Some(e) if e.dkim_selectors.is_empty() => Plan::skip(
                e.domain.0.clone(),
                "no DKIM selectors: list your provider's selectors in `email.dkim_selectors` (e.g. resend, google, s1) — selectors cannot be discovered from DNS",
            ),
            Some(e) => Plan::Targets(
                e.dkim_selectors
                    .iter()
                    .map(|s| format!("{s}._domainkey.{}", e.domain.0))
                    .collect(),
            ),
        }
    }

    async fn run(&self, cx: &Context, target: &str) -> Checked {
        let Some((selector, domain)) = target.split_once("._domainkey.") else {
            return Err(Outcome::error(format!(
                "`{target}` is not a DKIM record name"
            )));
        };
        let audit = cx
            .get(crate::evidence::mail::Dkim {
                selector: selector.to_owned(),
                domain: domain.to_owned(),
            })
            .await?;
        let details = json!({
            "name": audit.name,
            "cname_chain": audit.cname_chain,
            "record": audit.record,
            "key": audit.key,
        });
        let pass = match &audit.key {
            Some(k) => format!(
                "{} key{}",
                k.key_type,
                k.bits.map(|b| format!(" of {b} bits")).unwrap_or_default()
            ),
            None => "key published".to_owned(),
        };
        Ok(super::outcome(&audit.problems, pass, details).remediation(
            "Publish the selector's record exactly as your email provider shows it (often a CNAME to the provider). Rotate to a 2048-bit RSA (or ed25519 alongside RSA) key; remove `t=y` once signing works.",
        ))
    }
}
