//! `manifest.waiver-expired`: a waiver is a promise with a date; past it, the waiver
//! stops hiding the finding and becomes a finding itself.

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::meta;
use crate::report::Outcome;

pub struct WaiverExpired;

/// How a waiver is named in results: `email.dmarc@acme.app` or `email.dmarc`.
pub fn waiver_target(check: &str, target: Option<&str>) -> String {
    match target {
        Some(t) => format!("{check}@{t}"),
        None => check.to_owned(),
    }
}

impl Check for WaiverExpired {
    const META: &'static Meta = meta! {
        id: "manifest.waiver-expired",
        title: "No waiver is past its expiry date",
        severity: Fail,
        needs: "manifest `waivers`",
        network: false,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        if cx.manifest.waivers.is_empty() {
            return Plan::skip("waivers", "no waivers in the manifest");
        }
        Plan::Targets(
            cx.manifest
                .waivers
                .iter()
                .map(|w| waiver_target(&w.check, w.target.as_deref()))
                .collect(),
        )
    }

    async fn run(&self, cx: &Context, target: &str) -> Checked {
        let Some(waiver) = cx
            .manifest
            .waivers
            .iter()
            .find(|w| waiver_target(&w.check, w.target.as_deref()) == target)
        else {
            return Err(Outcome::error("waiver disappeared from the manifest"));
        };
        let today = cx.today();
        let days = (waiver.expires.0 - today).whole_days();
        let details = serde_json::json!({
            "check": waiver.check,
            "target": waiver.target,
            "reason": waiver.reason,
            "expires": waiver.expires.to_string(),
            "today": crate::manifest::DateField(today).to_string(),
        });
        Ok(if days < 0 {
            Outcome::fail(format!(
                "waiver expired on {} ({} days ago): \"{}\"",
                waiver.expires,
                -days,
                waiver.reason
            ))
            .details(details)
            .remediation(
                "Fix the finding the waiver covered, or extend `expires` with a reason someone has agreed to.",
            )
        } else {
            Outcome::pass(format!(
                "waiver holds until {} ({days} days left)",
                waiver.expires
            ))
            .details(details)
        })
    }
}
