//! Email authentication checks over the `email` library: each turns the library's
//! findings (levels and stable codes) into one result for the email domain.

pub mod dkim;
pub mod dmarc;
pub mod mx;
pub mod spf;

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
