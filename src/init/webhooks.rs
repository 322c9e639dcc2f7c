//! The `webhooks` section: every inbound webhook route the code analysis classifies
//! (SPEC §7: from what the route does, not its path alone), at its real URL — the
//! app's origin, its `basePath`, the Next.js route path. A dynamic segment is never
//! written literally: such a route is listed as a TODO. Non-Stripe providers are
//! `provider: generic`, the detected provider in a comment.

use std::collections::BTreeSet;

use super::Ctx;
use super::yaml::{Section, comment, line, scalar};
use crate::code::InboundWebhook;

/// A short, unique-ish name from the URL path: `/api/stripe/connect/webhook` →
/// `stripe-connect`.
fn name_for(path: &str, provider: &str) -> String {
    let parts: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty() && !matches!(*s, "api" | "webhook" | "webhooks"))
        .map(|s| {
            s.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_ascii_lowercase()
                    } else {
                        '-'
                    }
                })
                .collect::<String>()
        })
        .collect();
    let name = parts.join("-");
    if name.is_empty() {
        provider.to_owned()
    } else {
        name
    }
}

/// The provider a person would name: the detected one, or the path's word for it.
fn provider_word(w: &InboundWebhook, path: &str) -> String {
    if !matches!(w.provider_name, "unknown" | "hmac") {
        return w.provider_name.to_owned();
    }
    let from_path = path
        .split('/')
        .find(|s| !s.is_empty() && !matches!(*s, "api" | "webhook" | "webhooks" | "callback"))
        .unwrap_or("");
    match (w.provider_name, from_path) {
        (_, "") => w.provider_name.to_owned(),
        ("hmac", p) => format!("{p} (HMAC)"),
        (_, p) => p.to_owned(),
    }
}

fn secret_env(cx: &Ctx, w: &InboundWebhook, stripe: bool) -> Option<(String, String)> {
    if let Some(v) = w.secret_vars.first() {
        return Some((v.clone(), format!("read by {}", w.decided_in)));
    }
    if stripe {
        let names = cx.env_names();
        let found = names
            .iter()
            .find(|n| n.contains("STRIPE") && n.contains("WEBHOOK") && n.contains("SECRET"))?;
        return Some((
            found.clone(),
            "a Stripe webhook secret variable the project names".into(),
        ));
    }
    None
}

/// Drafted: routes whose path names a webhook, and routes of an external provider.
/// Routes that only verify a QStash or home-made signature under a path that names no
/// webhook are the app's own queue jobs and signed links (`/api/cron/…`), not URLs
/// registered with a provider.
fn drafted(w: &InboundWebhook, path: &str) -> bool {
    path.to_ascii_lowercase().contains("webhook")
        || !matches!(w.provider_name, "qstash" | "hmac" | "unknown")
}

pub fn draft(cx: &Ctx) -> Section {
    let mut s = Section::new("webhooks");
    let mut names = BTreeSet::new();
    let jobs: Vec<&str> = cx
        .webhooks
        .iter()
        .filter(|w| w.route.as_ref().is_some_and(|r| !drafted(w, &r.path)))
        .map(|w| w.file.as_str())
        .collect();
    if !jobs.is_empty() {
        let shown: Vec<&str> = jobs.iter().take(3).copied().collect();
        s.note(&format!(
            "not drafted: {} signature-verified route(s) whose path names no webhook (queue jobs, signed links), e.g. {}",
            jobs.len(),
            shown.join(", ")
        ));
    }
    for w in &cx.webhooks {
        let Some(route) = &w.route else { continue };
        if !drafted(w, &route.path) {
            continue;
        }
        let stripe = w.stripe || (w.provider_name == "unknown" && route.path.contains("stripe"));
        if route.dynamic {
            s.note(&format!(
                "TODO: {} serves a dynamic path ({}): add one entry per URL registered with the provider",
                w.file, route.path
            ));
            continue;
        }
        let (origin, origin_note) = cx.origin_for_app(&route.app);
        let base = match cx.repo.package(&route.app).map(|p| &p.base_path) {
            Some(Ok(Some(bp))) => bp.clone(),
            Some(Err(file)) => {
                s.push(comment(
                    1,
                    &format!(
                        "TODO: basePath is computed in {file}; add it to the URL below if set"
                    ),
                ));
                String::new()
            }
            _ => String::new(),
        };
        let word = provider_word(w, &route.path);
        let mut name = name_for(&route.path, &word);
        let stem = name.clone();
        let mut n = 2;
        while !names.insert(name.clone()) {
            name = format!("{stem}-{n}");
            n += 1;
        }
        s.push(comment(
            1,
            &format!("{}: {}", w.file, w.evidence.join("; ")),
        ));
        s.push(line(1, &format!("- name: {}", scalar(&name)), ""));
        s.push(line(
            2,
            &format!("url: {origin}{base}{}", route.path),
            &origin_note,
        ));
        if stripe {
            s.push(line(2, "provider: stripe", ""));
        } else {
            s.push(line(
                2,
                "provider: generic",
                &format!("detected provider: {word}"),
            ));
        }
        match secret_env(cx, w, stripe) {
            Some((var, why)) => s.push(line(2, &format!("secret_env: {var}"), &why)),
            None => s.push(comment(
                2,
                "secret_env: TODO: the variable holding this webhook's signing secret",
            )),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::name_for;

    #[test]
    fn names_come_from_the_path() {
        assert_eq!(name_for("/api/webhooks/stripe", "stripe"), "stripe");
        assert_eq!(
            name_for("/api/stripe/connect/v2/webhook", "stripe"),
            "stripe-connect-v2"
        );
        assert_eq!(name_for("/api/webhooks", "stripe"), "stripe");
        assert_eq!(
            name_for("/api/billing/stripe-webhook", "stripe"),
            "billing-stripe-webhook"
        );
    }
}
