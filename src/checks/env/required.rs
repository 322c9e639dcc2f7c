//! `env.required`: every variable the manifest lists under `env.required` is present
//! and not empty, in the audited environment (`env.source`). The value is never
//! shown: only where it came from. A variable stored as sensitive is present.

use serde_json::json;

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::evidence::env::{AuditedEnv, EnvValues, Reading};
use crate::meta;
use crate::report::Outcome;

pub struct Required;

impl Check for Required {
    const META: &'static Meta = meta! {
        id: "env.required",
        title: "Required environment variables are set",
        severity: Fail,
        needs: "manifest `env.required`; dotenv files or the process environment (or the platform's production environment with env.source: platform)",
        network: false,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        match &cx.manifest.env {
            Some(env) if !env.required.is_empty() => Plan::Targets(env.required.clone()),
            Some(_) => Plan::skip("env.required", "env.required lists no variables"),
            None => Plan::skip("env", "no `env` section in the manifest"),
        }
    }

    async fn run(&self, cx: &Context, name: &str) -> Checked {
        let env = cx.get(AuditedEnv).await?;
        Ok(judge(&env, name))
    }
}

fn judge(env: &EnvValues, name: &str) -> Outcome {
    let Some(var) = env.var(name) else {
        return Outcome::fail(format!("{name} is not set"))
            .details(json!({ "searched": env.searched }))
            .remediation(env.where_to_set(name));
    };
    let source = &var.source;
    match &var.reading {
        Reading::Value(v) if v.trim().is_empty() => {
            Outcome::fail(format!("{name} is set but empty ({source})"))
                .details(json!({ "source": source }))
                .remediation(format!("Give {name} its value in {source}."))
        }
        Reading::Value(v) => Outcome::pass(format!("{name} is set ({source})"))
            .details(json!({ "source": source, "length": v.chars().count() })),
        Reading::Sensitive => Outcome::pass(format!("{name} is set ({source}, stored as sensitive)"))
            .details(json!({ "source": source, "stored_as": "sensitive" })),
        Reading::Unreadable => Outcome::pass(format!("{name} is set ({source})")).details(json!({
            "source": source,
            "note": "the platform did not return the value decrypted: only its presence was checked",
        })),
    }
}
