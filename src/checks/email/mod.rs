//! Email authentication checks over the `email` library: each turns the library's
//! findings (levels and stable codes) into one result for the email domain.

pub mod dkim;
pub mod dmarc;
pub mod mx;
pub mod spf;

use std::sync::Arc;

use serde_json::json;

use crate::checks::Plan;
use crate::context::Context;
use crate::email::{Level, Problem};
use crate::report::Outcome;

/// Every domain check targets `email.domain`.
pub(crate) fn domain_plan(cx: &Context) -> Plan {
    match &cx.manifest.email {
        Some(email) => Plan::Targets(vec![email.domain.0.clone()]),
        None => Plan::skip("email", "no `email` section in the manifest"),
    }
}

/// The worst finding decides the status; the summary is that finding, the details
/// list them all. No finding at all is a pass with `pass_summary`.
pub(crate) fn outcome(
    problems: &[Problem],
    pass_summary: String,
    mut details: serde_json::Value,
) -> Outcome {
    let worst = problems.iter().map(|p| p.level).max();
    if let serde_json::Value::Object(map) = &mut details {
        map.insert("findings".into(), json!(problems));
    }
    let headline = |level: Level| {
        let matching: Vec<&Problem> = problems.iter().filter(|p| p.level == level).collect();
        let first = matching
            .first()
            .map(|p| p.message.clone())
            .unwrap_or_default();
        match matching.len() {
            0 | 1 => first,
            n => format!("{first} (and {} more)", n - 1),
        }
    };
    match worst {
        Some(Level::Error) => Outcome::error(headline(Level::Error)).details(details),
        Some(Level::Fail) => Outcome::fail(headline(Level::Fail)).details(details),
        Some(Level::Warn) => Outcome::warn(headline(Level::Warn)).details(details),
        Some(Level::Info) | None => Outcome::pass(pass_summary).details(details),
    }
}

/// The DMARC audit of the email domain, shared by `email.dmarc`, `email.spf` (is `~all`
/// backed by enforcement?) and `email.mx` (parked domains).
pub(crate) async fn dmarc_audit(
    cx: &Context,
    domain: &str,
) -> Option<Arc<crate::email::dmarc::DmarcAudit>> {
    let net = cx.net().ok()?;
    let min = cx
        .manifest
        .email
        .as_ref()
        .map(|e| e.dmarc_min_policy)
        .unwrap_or_default();
    let policy = match min {
        crate::manifest::DmarcPolicy::None => crate::email::dmarc::Policy::None,
        crate::manifest::DmarcPolicy::Quarantine => crate::email::dmarc::Policy::Quarantine,
        crate::manifest::DmarcPolicy::Reject => crate::email::dmarc::Policy::Reject,
    };
    Some(
        cx.shared(&format!("dmarc:{domain}"), || async {
            crate::email::dmarc::audit_dmarc(net.dns.as_ref(), domain, policy).await
        })
        .await,
    )
}

/// The SPF audit of the email domain, shared by `email.spf` and `email.mx`.
pub(crate) async fn spf_audit(
    cx: &Context,
    domain: &str,
) -> Option<Arc<crate::email::spf::SpfAudit>> {
    let net = cx.net().ok()?;
    Some(
        cx.shared(&format!("spf:{domain}"), || async {
            crate::email::spf::audit(net.dns.as_ref(), domain).await
        })
        .await,
    )
}

pub(crate) fn no_network(e: &str) -> Outcome {
    Outcome::error(e)
}
