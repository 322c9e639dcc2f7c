pub mod public_exposure;
pub mod required;
pub mod stripe_keys;
pub mod urls;

use std::sync::Arc;

use crate::checks::Plan;
use crate::context::Context;
use crate::evidence::Unavailable;
use crate::evidence::env::{AuditedEnv, EnvValues, SENSITIVE_NOTE};
use crate::report::Outcome;

/// The audited environment for a check whose targets come from its values: when
/// it cannot be had, a skip plan, or one target whose run reports the error.
pub(crate) async fn values_for_plan(cx: &Context) -> Result<Arc<EnvValues>, Plan> {
    let target = || {
        cx.manifest
            .platform
            .as_ref()
            .map_or_else(|| "env".to_owned(), |p| p.project.clone())
    };
    match cx.get(AuditedEnv).await {
        Ok(values) => Ok(values),
        Err(Unavailable::Skip(reason)) => Err(Plan::skip(target(), reason)),
        Err(Unavailable::Error { .. }) => Err(Plan::Targets(vec![target()])),
    }
}

/// The value-dependent judgement of a variable stored as sensitive: not made, and
/// said so (SPEC §7: never a pass, never an error).
pub(crate) fn sensitive(name: &str, source: &str) -> Outcome {
    Outcome::skip(format!(
        "{name} is stored as sensitive: its value cannot be read back, so it is not judged (good practice)"
    ))
    .details(serde_json::json!({
        "variable": name,
        "source": source,
        "value_judgement": SENSITIVE_NOTE,
    }))
}

/// A variable whose clear value the platform did not return: cannot tell.
pub(crate) fn unreadable(name: &str, source: &str) -> Outcome {
    Outcome::error(format!(
        "{name}: the platform did not return its value decrypted, so it cannot be judged"
    ))
    .details(serde_json::json!({ "variable": name, "source": source }))
    .remediation("Give the token's owner a role that can read the project's environment variables, or audit with env.source: dotenv.")
}
