//! `manifest.valid`: a manifest with errors never gets this far (exit 2); what remains
//! to report are the things that parse but deserve a word.

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::meta;
use crate::report::Outcome;

pub struct Valid;

impl Check for Valid {
    const META: &'static Meta = meta! {
        id: "manifest.valid",
        title: "Manifest is valid",
        severity: Fail,
        needs: "the manifest",
        network: false,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        Plan::Targets(vec![cx.manifest_path.display().to_string()])
    }

    async fn run(&self, cx: &Context, _target: &str) -> Checked {
        let sections: Vec<&str> = [
            ("env", cx.manifest.env.is_some()),
            ("web", cx.manifest.web.is_some()),
            ("tls", cx.manifest.tls.is_some()),
            ("dns", cx.manifest.dns.is_some()),
            ("email", cx.manifest.email.is_some()),
            ("webhooks", !cx.manifest.webhooks.is_empty()),
            ("stripe", cx.manifest.stripe.is_some()),
            ("mobile", cx.manifest.mobile.is_some()),
            ("code", cx.manifest.code.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, present)| present.then_some(name))
        .collect();
        let placeholders: Vec<String> = crate::manifest::placeholders::scan(&cx.manifest)
            .into_iter()
            .map(|p| p.field)
            .collect();
        let mut details = serde_json::json!({
            "sections": sections,
            "missing_env_files": cx.env.missing_files,
        });
        if !placeholders.is_empty() {
            details["placeholders"] = serde_json::json!(placeholders);
            // SPEC §7: reported once, here; the checks that read them are `error`.
            let mut summary = format!(
                "placeholder values (TODO / example.com) in {}: checks that read them did not run",
                placeholders.join(", ")
            );
            if !cx.env.missing_files.is_empty() {
                summary += &format!(
                    "; env file(s) not found: {}",
                    cx.env.missing_files.join(", ")
                );
            }
            return Ok(Outcome::warn(summary).details(details).remediation(
                "Replace each listed value with the real one (`launch-ready init` leaves TODOs and example.com hosts where it could not tell).",
            ));
        }
        Ok(if cx.env.missing_files.is_empty() {
            Outcome::pass(format!(
                "manifest parsed; sections: {}",
                sections.join(", ")
            ))
            .details(details)
        } else {
            Outcome::warn(format!(
                "env file(s) not found: {}",
                cx.env.missing_files.join(", ")
            ))
            .details(details)
            .remediation(
                "Create the listed dotenv files, pass --env-file, or provide the variables through the process environment (as CI does) and drop them from env.files.",
            )
        })
    }
}
