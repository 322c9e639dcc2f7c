//! `env.required`: every variable the manifest lists under `env.required` is present
//! and not empty. The value is never shown: only where it came from.

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::meta;
use crate::report::Outcome;

pub struct Required;

impl Check for Required {
    const META: &'static Meta = meta! {
        id: "env.required",
        title: "Required environment variables are set",
        severity: Fail,
        needs: "manifest `env.required`; dotenv files or the process environment",
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
        let searched: Vec<String> = cx
            .manifest
            .env
            .iter()
            .flat_map(|e| e.files.iter().cloned())
            .chain(std::iter::once("process environment".to_owned()))
            .collect();
        Ok(match cx.env.var(name) {
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
        })
    }
}
