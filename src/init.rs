//! `launch-ready init`: draft a manifest from what a Next.js repository shows — its
//! dotenv files, public variables, app URL, and Stripe webhook routes. A draft, to be
//! read and completed by a person: every guess is marked with a comment.

use std::path::Path;

use crate::failure::{Failure, exit};

mod monitoring;

pub fn run(dir: &Path, force: bool) -> Result<u8, Failure> {
    if !dir.is_dir() {
        return Err(Failure::usage(format!(
            "{} is not a directory",
            dir.display()
        )));
    }
    let target = dir.join("launch-ready.yaml");
    if target.exists() && !force {
        return Err(Failure::usage(format!(
            "{} exists (use --force to overwrite)",
            target.display()
        )));
    }
    let draft = draft(dir);
    std::fs::write(&target, &draft)
        .map_err(|e| Failure::internal(format!("cannot write {}: {e}", target.display())))?;
    eprintln!(
        "wrote {} — read it, complete the TODOs, then run: launch-ready audit {}",
        target.display(),
        target.display()
    );
    Ok(exit::OK)
}

const ENV_FILES: [&str; 4] = [
    ".env.production",
    ".env.production.local",
    ".env",
    ".env.local",
];

/// Build the draft manifest text for a repository.
pub fn draft(dir: &Path) -> String {
    let project = project_name(dir);
    let env_files: Vec<&str> = ENV_FILES
        .iter()
        .copied()
        .filter(|f| dir.join(f).is_file())
        .collect();
    let mut names: Vec<String> = Vec::new();
    for f in &env_files {
        if let Ok(iter) = dotenvy::from_path_iter(dir.join(f)) {
            names.extend(iter.filter_map(Result::ok).map(|(k, _)| k));
        }
    }
    names.sort();
    names.dedup();
    let app_url = env_files.iter().find_map(|f| {
        dotenvy::from_path_iter(dir.join(f))
            .ok()?
            .filter_map(Result::ok)
            .find_map(|(k, v)| {
                (k == "NEXT_PUBLIC_APP_URL" || k == "NEXT_PUBLIC_SITE_URL").then_some(v)
            })
    });
    let canonical = app_url
        .filter(|u| u.starts_with("https://"))
        .unwrap_or_else(|| "https://www.example.com  # TODO: your canonical origin".to_owned());
    let host = canonical
        .split("//")
        .nth(1)
        .and_then(|r| r.split(['/', ' ']).next())
        .unwrap_or("www.example.com")
        .to_owned();
    let apex = crate::context::apex_of(&host);
    let url_vars: Vec<&String> = names
        .iter()
        .filter(|n| n.ends_with("_URL") && !n.contains("DATABASE"))
        .collect();
    let uses_stripe =
        names.iter().any(|n| n.starts_with("STRIPE_")) || dir.join("node_modules/stripe").exists();
    let webhook_routes = find_webhook_routes(dir);

    let mut out = format!(
        "# Drafted by `launch-ready init`; check every line.\nversion: 1\nproject: {project}\nenvironment: production\n\nenv:\n"
    );
    out += &format!(
        "  files: [{}]\n",
        env_files
            .iter()
            .filter(|f| f.contains("production"))
            .copied()
            .collect::<Vec<_>>()
            .join(", ")
    );
    out += &format!(
        "  required: [{}]\n",
        names
            .iter()
            .filter(|n| !n.starts_with("NEXT_PUBLIC_"))
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    );
    out += &format!(
        "  url_vars: [{}]\n",
        url_vars
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    out += &format!(
        "\nweb:\n  canonical: {canonical}\n  aliases: [{apex}]\n  private_paths: [/api/]\n  bundle_scan: true\n"
    );
    out += &format!(
        "\nemail:\n  domain: {apex}\n  sends_mail: true\n  dkim_selectors: []  # TODO: your provider's selectors (e.g. resend, google, s1)\n  dmarc_min_policy: quarantine\n"
    );
    if uses_stripe {
        out += "\nwebhooks:\n";
        if webhook_routes.is_empty() {
            out += &format!(
                "  - name: stripe\n    url: https://{host}/api/webhooks/stripe  # TODO: the URL registered in Stripe\n    provider: stripe\n    secret_env: STRIPE_WEBHOOK_SECRET\n"
            );
        }
        for (i, route) in webhook_routes.iter().enumerate() {
            let name = if i == 0 {
                "stripe".to_owned()
            } else {
                format!("stripe-{}", i + 1)
            };
            out += &format!(
                "  - name: {name}\n    url: https://{host}{route}\n    provider: stripe\n    secret_env: STRIPE_WEBHOOK_SECRET\n"
            );
        }
        out += "\nstripe:\n  secret_key_env: STRIPE_SECRET_KEY\n  required_events: [checkout.session.completed, invoice.paid, customer.subscription.updated]\n";
    }
    out += &monitoring::draft(dir, &names);
    out += &crate::init_platform::draft(dir);
    out += &crate::cloudflare::init::draft(dir, &apex);
    if let Some(token_env) = hubspot_token_env(dir, &names) {
        out += &format!(
            "\n# HubSpot seen in the repository: every paying Stripe customer should be a contact.\ncrm:\n  provider: hubspot\n  token_env: {token_env}  # a private app token with only crm.objects.contacts.read\n  match: email\n  lookback_hours: 168\n"
        );
    }
    out += "\ncode:\n  root: .\n";
    out += &handover_draft();
    out
}

/// Files that list a project's variables without their values.
const ENV_EXAMPLES: [&str; 4] = [
    ".env.example",
    ".env.local.example",
    ".env.sample",
    ".env.template",
];

/// The variable for a drafted `crm` section when the repository uses HubSpot (the
/// SDK in package.json, or `HUBSPOT_` variables in its env files or examples): its
/// own `HUBSPOT_…TOKEN` variable if it has one, else `HUBSPOT_TOKEN`.
fn hubspot_token_env(dir: &Path, names: &[String]) -> Option<String> {
    let mut vars: Vec<String> = names.to_vec();
    for f in ENV_EXAMPLES {
        if let Ok(iter) = dotenvy::from_path_iter(dir.join(f)) {
            vars.extend(iter.filter_map(Result::ok).map(|(k, _)| k));
        }
    }
    let hubspot_vars: Vec<&String> = vars.iter().filter(|v| v.starts_with("HUBSPOT_")).collect();
    let package = std::fs::read_to_string(dir.join("package.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok());
    let in_package = package.is_some_and(|p| {
        ["dependencies", "devDependencies"].iter().any(|section| {
            p.get(section)
                .and_then(serde_json::Value::as_object)
                .is_some_and(|deps| deps.keys().any(|k| k.contains("hubspot")))
        })
    });
    if hubspot_vars.is_empty() && !in_package {
        return None;
    }
    let own = hubspot_vars
        .iter()
        .find(|v| v.contains("TOKEN"))
        .map(|v| v.to_string());
    Some(own.unwrap_or_else(|| "HUBSPOT_TOKEN".to_owned()))
}

/// The manual handover items, open, for a person to own and tick (`by`, `done`, `date`).
fn handover_draft() -> String {
    let mut out = String::from(
        "\n# What only a person can attest; the handover checklist (--format html) lists them.\nhandover:\n",
    );
    for m in crate::manifest::handover::MANUAL_ITEMS {
        let area = serde_json::to_value(m.area)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        out += &format!(
            "  - {{ item: \"{}\", area: {area}, done: false }}  # by: owner, date: YYYY-MM-DD\n",
            m.text
        );
    }
    out
}

fn project_name(dir: &Path) -> String {
    let from_package = std::fs::read_to_string(dir.join("package.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|v| v.get("name").and_then(|n| n.as_str()).map(str::to_owned));
    let name = from_package
        .or_else(|| {
            dir.canonicalize()
                .ok()?
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "my-app".to_owned());
    let clean: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    if clean.is_empty() {
        "my-app".to_owned()
    } else {
        clean
    }
}

/// URL paths of route handlers whose path mentions a webhook.
fn find_webhook_routes(dir: &Path) -> Vec<String> {
    let mut routes = Vec::new();
    for root in ["app", "src/app", "pages/api", "src/pages/api"] {
        let base = dir.join(root);
        for entry in walkdir::WalkDir::new(&base)
            .max_depth(8)
            .into_iter()
            .filter_map(Result::ok)
        {
            let rel = entry
                .path()
                .strip_prefix(&base)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            if !rel.contains("webhook") || !entry.file_type().is_file() {
                continue;
            }
            let is_app_route = root.ends_with("app")
                && rel
                    .rsplit('/')
                    .next()
                    .is_some_and(|f| f.starts_with("route."));
            let is_pages_route =
                root.ends_with("api") && rel.ends_with(".ts") | rel.ends_with(".js");
            if is_app_route {
                let path = rel.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
                let segments: Vec<&str> = path
                    .split('/')
                    .filter(|s| !(s.starts_with('(') && s.ends_with(')')))
                    .collect();
                routes.push(format!("/{}", segments.join("/")));
            } else if is_pages_route {
                let stem = rel
                    .trim_end_matches(".ts")
                    .trim_end_matches(".js")
                    .trim_end_matches("/index");
                routes.push(format!("/api/{stem}"));
            }
        }
    }
    routes.sort();
    routes.dedup();
    routes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft_of(files: &[(&str, &str)]) -> String {
        let dir = tempfile::tempdir().expect("temp dir");
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).expect("write");
        }
        draft(dir.path())
    }

    #[test]
    fn the_hubspot_sdk_drafts_a_crm_section_that_parses() {
        let draft = draft_of(&[(
            "package.json",
            r#"{"name": "shop", "dependencies": {"@hubspot/api-client": "^13.0.0", "stripe": "^17"}}"#,
        )]);
        assert!(
            draft.contains("crm:\n  provider: hubspot\n  token_env: HUBSPOT_TOKEN"),
            "{draft}"
        );
        let parsed = crate::manifest::parse_str(&draft, "draft");
        assert!(
            parsed.is_ok(),
            "{:?}\n{draft}",
            parsed.err().map(|e| e.to_string())
        );
    }

    #[test]
    fn hubspot_variables_in_an_env_example_name_the_token_variable() {
        let draft = draft_of(&[(
            ".env.example",
            "HUBSPOT_PORTAL_ID=\nHUBSPOT_ACCESS_TOKEN=\nSTRIPE_SECRET_KEY=\n",
        )]);
        assert!(draft.contains("token_env: HUBSPOT_ACCESS_TOKEN"), "{draft}");
    }

    #[test]
    fn no_hubspot_no_crm_section() {
        let draft = draft_of(&[("package.json", r#"{"dependencies": {"stripe": "^17"}}"#)]);
        assert!(!draft.contains("crm:"), "{draft}");
    }
}
