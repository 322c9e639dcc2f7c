//! `vercel.env-targets`: the project's variables are in the right targets and stored
//! the right way — every `env.required` variable in production; live Stripe keys
//! only in production and test keys never there; secrets not stored as `plain`;
//! no secret behind a public prefix. Values are never shown: variable, targets,
//! key prefix and mask only.

use serde_json::{Value, json};

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::evidence::env::SENSITIVE_NOTE;
use crate::evidence::platform::{PlatformEnv, PlatformEnvVars, PlatformVar, StoredAs};
use crate::meta;
use crate::report::Outcome;
use crate::secrets::{classify_value, is_secret_var, mask};
use crate::stripe::keys::{StripeKeyKind, StripeMode, parse_key};

pub struct EnvTargets;

impl Check for EnvTargets {
    const META: &'static Meta = meta! {
        id: "vercel.env-targets",
        title: "Vercel variables are in the right targets and stored safely",
        severity: Fail,
        needs: "manifest `platform` (provider vercel); a Vercel access token",
        network: true,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        match &cx.manifest.platform {
            Some(p) => Plan::Targets(vec![p.project.clone()]),
            None => Plan::skip("platform", "no `platform` section in the manifest"),
        }
    }

    async fn run(&self, cx: &Context, _project: &str) -> Checked {
        let env = cx.get(PlatformEnvVars).await?;
        let rules = Rules {
            required: cx
                .manifest
                .env
                .as_ref()
                .map(|e| e.required.clone())
                .unwrap_or_default(),
            public_prefixes: cx.env.public_prefixes.clone(),
            url_vars: cx.env.url_vars.clone(),
        };
        Ok(judge(&env, &rules))
    }
}

/// What the manifest asks of the project.
pub struct Rules {
    pub required: Vec<String>,
    pub public_prefixes: Vec<String>,
    pub url_vars: Vec<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    Warn,
    Fail,
}

struct Finding {
    level: Level,
    variable: String,
    targets: Vec<String>,
    git_branch: Option<String>,
    problem: String,
    masked: Option<String>,
}

impl Finding {
    fn new(level: Level, var: &PlatformVar, problem: String) -> Self {
        Self {
            level,
            variable: var.key.clone(),
            targets: var.targets.clone(),
            git_branch: var.git_branch.clone(),
            problem,
            masked: None,
        }
    }

    fn to_json(&self) -> Value {
        let mut v = json!({
            "level": if self.level == Level::Fail { "fail" } else { "warn" },
            "variable": self.variable,
            "targets": self.targets,
            "problem": self.problem,
        });
        if let Some(b) = &self.git_branch {
            v["git_branch"] = json!(b);
        }
        if let Some(m) = &self.masked {
            v["masked"] = json!(m);
        }
        v
    }
}

fn is_public(rules: &Rules, name: &str) -> bool {
    rules
        .public_prefixes
        .iter()
        .any(|p| name.starts_with(p.as_str()))
}

/// The findings for one variable whose value was read.
fn judge_value(var: &PlatformVar, value: &str, rules: &Rules, out: &mut Vec<Finding>) {
    let key = parse_key(value).filter(|k| k.kind != StripeKeyKind::WebhookSecret);
    if let Some(key) = &key {
        let outside: Vec<&str> = ["preview", "development"]
            .into_iter()
            .filter(|t| var.in_target(t))
            .collect();
        if key.mode == Some(StripeMode::Live) && !outside.is_empty() {
            let mut f = Finding::new(
                Level::Fail,
                var,
                format!(
                    "live Stripe key ({}) in the {} target",
                    key.prefix(),
                    outside.join(" and ")
                ),
            );
            f.masked = Some(mask(value));
            out.push(f);
        }
        if key.mode == Some(StripeMode::Test) && var.in_target("production") {
            let mut f = Finding::new(
                Level::Fail,
                var,
                format!("test-mode Stripe key ({}) in production", key.prefix()),
            );
            f.masked = Some(mask(value));
            out.push(f);
        }
    }
    let public = is_public(rules, &var.key);
    let exposed_kind = classify_value(value).filter(|k| !k.client_exposure_expected());
    if public && let Some(kind) = exposed_kind {
        let mut f = Finding::new(
            Level::Fail,
            var,
            format!("public-prefixed variable holds a {kind}: it is shipped to browsers"),
        );
        f.masked = Some(mask(value));
        out.push(f);
    } else if var.stored_as == StoredAs::Plain
        && !public
        && is_secret_var(&var.key, value, &rules.public_prefixes, &rules.url_vars)
    {
        out.push(Finding::new(
            Level::Warn,
            var,
            "secret stored as `plain`: readable by anyone with access to the project".to_owned(),
        ));
    }
}

pub fn judge(env: &PlatformEnv, rules: &Rules) -> Outcome {
    let mut findings = Vec::new();
    for name in &rules.required {
        let present = env
            .vars
            .iter()
            .any(|v| &v.key == name && v.in_target("production") && v.git_branch.is_none());
        if !present {
            findings.push(Finding {
                level: Level::Fail,
                variable: name.clone(),
                targets: Vec::new(),
                git_branch: None,
                problem: "required (env.required) but missing from the production target"
                    .to_owned(),
                masked: None,
            });
        }
    }
    let mut sensitive = Vec::new();
    let mut unreadable = Vec::new();
    for var in &env.vars {
        match (&var.stored_as, &var.value) {
            (StoredAs::Sensitive, _) => sensitive.push(json!({
                "variable": var.key, "targets": var.targets, "value_judgement": SENSITIVE_NOTE,
            })),
            (_, None) => unreadable.push(json!({ "variable": var.key, "targets": var.targets })),
            (_, Some(value)) => judge_value(var, value, rules, &mut findings),
        }
    }
    let by_name = |a: &Value, b: &Value| a["variable"].to_string().cmp(&b["variable"].to_string());
    sensitive.sort_by(by_name);
    unreadable.sort_by(by_name);
    findings.sort_by(|a, b| {
        b.level
            .cmp(&a.level)
            .then_with(|| a.variable.cmp(&b.variable))
    });
    let details = json!({
        "project": env.project,
        "project_id": env.project_id,
        "provider": env.provider,
        "variables": env.vars.len(),
        "findings": findings.iter().map(Finding::to_json).collect::<Vec<_>>(),
        "sensitive": sensitive,
        "unreadable": unreadable,
    });
    verdict(&env.project, &findings, !unreadable.is_empty(), details)
}

fn verdict(project: &str, findings: &[Finding], unreadable: bool, details: Value) -> Outcome {
    let Some(first) = findings.first() else {
        if unreadable {
            return Outcome::error(format!(
                "some variables of {project} were not returned decrypted, so they cannot be judged"
            ))
            .details(details)
            .remediation("Use a token whose owner's role can read the project's environment variables (Member or above).");
        }
        return Outcome::pass(format!(
            "{project}: variables are in the right targets and stored safely"
        ))
        .details(details);
    };
    let more = match findings.len() {
        1 => String::new(),
        n => format!(" (and {} more)", n - 1),
    };
    let summary = format!("{}: {}{more}", first.variable, first.problem);
    let fixes = remediation(findings);
    let out = if first.level == Level::Fail {
        Outcome::fail(summary)
    } else {
        Outcome::warn(summary)
    };
    out.details(details).remediation(fixes)
}

fn remediation(findings: &[Finding]) -> String {
    let mut fixes: Vec<&str> = Vec::new();
    for f in findings {
        let fix = if f.problem.starts_with("required") {
            "Add the missing variables to the Production environment (Settings → Environment Variables), then redeploy."
        } else if f.problem.starts_with("live Stripe key") {
            "Give Preview and Development their own test-mode keys (sk_test_/pk_test_), then roll the live key: preview deployments run any branch's code."
        } else if f.problem.starts_with("test-mode") {
            "Put the live keys in the Production target and redeploy: test keys in production take no real payments."
        } else if f.problem.starts_with("public-prefixed") {
            "Roll the exposed secret now, then move it to a variable without the public prefix, read only in server code."
        } else {
            "Re-create secrets as Sensitive variables (write-only: their values cannot be read back from the dashboard or API)."
        };
        if !fixes.contains(&fix) {
            fixes.push(fix);
        }
    }
    fixes.join(" ")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::report::Status;

    fn var(key: &str, stored: StoredAs, targets: &[&str], value: Option<&str>) -> PlatformVar {
        PlatformVar {
            key: key.to_owned(),
            stored_as: stored,
            targets: targets.iter().map(|t| t.to_string()).collect(),
            git_branch: None,
            value: value.map(str::to_owned),
        }
    }

    fn env(vars: Vec<PlatformVar>) -> PlatformEnv {
        PlatformEnv {
            provider: "vercel",
            project: "acme-web".to_owned(),
            project_id: "prj_1".to_owned(),
            vars,
        }
    }

    fn rules(required: &[&str]) -> Rules {
        Rules {
            required: required.iter().map(|r| r.to_string()).collect(),
            public_prefixes: vec!["NEXT_PUBLIC_".to_owned()],
            url_vars: Vec::new(),
        }
    }

    const LIVE: &str = "sk_live_51HqLyjWDarjtT1zdp7dcXYZabcdefghij0123456789";
    const TEST: &str = "sk_test_51HqLyjWDarjtT1zdp7dcXYZabcdefghij0123456789";

    #[test]
    fn a_clean_project_passes_and_sensitive_values_are_noted_not_judged() {
        let e = env(vec![
            var(
                "STRIPE_SECRET_KEY",
                StoredAs::Sensitive,
                &["production"],
                None,
            ),
            var(
                "STRIPE_SECRET_KEY",
                StoredAs::Encrypted,
                &["preview", "development"],
                Some(TEST),
            ),
            var(
                "NEXT_PUBLIC_APP_URL",
                StoredAs::Plain,
                &["production"],
                Some("https://www.acme.app"),
            ),
        ]);
        let out = judge(&e, &rules(&["STRIPE_SECRET_KEY"]));
        assert_eq!(out.status, Status::Pass, "{}", out.summary);
        assert_eq!(
            out.details["sensitive"][0]["value_judgement"],
            SENSITIVE_NOTE
        );
    }

    #[test]
    fn each_failure_class_is_named() {
        let e = env(vec![
            var(
                "STRIPE_SECRET_KEY",
                StoredAs::Encrypted,
                &["production", "preview"],
                Some(LIVE),
            ),
            var(
                "STRIPE_TEST_KEY",
                StoredAs::Encrypted,
                &["production"],
                Some(TEST),
            ),
            var(
                "NEXT_PUBLIC_STRIPE_SECRET",
                StoredAs::Encrypted,
                &["production"],
                Some(LIVE),
            ),
        ]);
        let out = judge(&e, &rules(&["DATABASE_URL"]));
        assert_eq!(out.status, Status::Fail);
        let text = out.details["findings"].to_string();
        for needle in [
            "missing from the production",
            "live Stripe key",
            "test-mode",
            "public-prefixed",
        ] {
            assert!(text.contains(needle), "{needle}: {text}");
        }
        assert!(!out.details.to_string().contains(LIVE));
    }

    #[test]
    fn a_secret_stored_plain_warns_and_unreadable_values_are_an_error() {
        let plain = var(
            "SESSION_SECRET",
            StoredAs::Plain,
            &["production"],
            Some("q8Vt3kLm9Zx2Rp7Wn4Ys"),
        );
        let out = judge(&env(vec![plain]), &rules(&[]));
        assert_eq!(out.status, Status::Warn, "{}", out.summary);
        let hidden = var("API_TOKEN", StoredAs::Encrypted, &["production"], None);
        assert_eq!(judge(&env(vec![hidden]), &rules(&[])).status, Status::Error);
    }
}
