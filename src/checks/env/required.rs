//! `env.required`: every variable the manifest lists under `env.required` is present
//! and not empty. The value is never shown: only where it came from.

use crate::checks::{BoxFuture, Check, Meta, Plan, Severity};
use crate::context::Context;
use crate::report::Outcome;

pub struct Required;

static META: Meta = Meta {
    id: "env.required",
    title: "Required environment variables are set",
    severity: Severity::Fail,
    needs: "manifest `env.required`; dotenv files or the process environment",
    network: false,
    active: false,
    doc: include_str!("../../../checks/env.required.md"),
};

impl Check for Required {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn plan(&self, cx: &Context) -> Plan {
        match &cx.manifest.env {
            Some(env) if !env.required.is_empty() => Plan::Targets(env.required.clone()),
            Some(_) => Plan::skip("env.required", "env.required lists no variables"),
            None => Plan::skip("env", "no `env` section in the manifest"),
        }
    }

    fn run<'a>(&'a self, cx: &'a Context, name: &'a str) -> BoxFuture<'a, Outcome> {
        Box::pin(async move {
            let searched: Vec<String> = cx
                .manifest
                .env
                .iter()
                .flat_map(|e| e.files.iter().cloned())
                .chain(std::iter::once("process environment".to_owned()))
                .collect();
            match cx.env.var(name) {
                None => Outcome::fail(format!("{name} is not set"))
                    .details(serde_json::json!({ "searched": searched }))
                    .remediation(format!(
                        "Set {name} in the deployment's environment (and in the dotenv file the manifest names, for local audits)."
                    )),
                Some(var) if var.value.trim().is_empty() => {
                    Outcome::fail(format!("{name} is set but empty ({})", var.source))
                        .details(serde_json::json!({ "source": var.source.to_string() }))
                        .remediation(format!("Give {name} its value in {}.", var.source))
                }
                Some(var) => Outcome::pass(format!("{name} is set ({})", var.source)).details(
                    serde_json::json!({
                        "source": var.source.to_string(),
                        "length": var.value.chars().count(),
                    }),
                ),
            }
        })
    }
}
