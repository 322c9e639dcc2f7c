//! Which manifest fields a check reads for a target — one table for every check, so
//! that a placeholder (SPEC §7) stops exactly the checks that would read it, before
//! they run: no request ever goes to `example.com`, no `TODO` is ever judged, and such
//! a result is `error` ("placeholder in <field>"), never `pass`.
//!
//! Two rules, applied to every (check, target) the plans produce:
//! - the target itself is a placeholder (a host under example.com, a `TODO` name), or
//! - a field the check's area reads is one (the table below; an area not listed reads
//!   its own section, so a new provider section needs no entry).

use crate::manifest::Manifest;
use crate::manifest::placeholders::{Placeholder, is_placeholder, reserved_host};

/// Field-path prefixes read, per check id (exact) or area (`area.`). `{w}` is the
/// manifest index of the webhook the target names; `webhooks[` is every webhook.
const READS: &[(&str, &[&str])] = &[
    ("manifest.", &[]),
    ("dns.", &[]),
    ("tls.", &[]),
    ("env.urls", &["env.url_vars", "web.canonical"]),
    (
        "env.stripe-keys",
        &["stripe.secret_key_env", "stripe.publishable_key_env"],
    ),
    ("env.", &[]),
    ("http.", &["web.canonical"]),
    ("web.", &["web.canonical"]),
    ("mobile.", &["mobile.", "web.canonical"]),
    ("email.dkim", &["email."]),
    ("email.", &["email.domain", "email.sends_mail"]),
    ("webhook.", &["webhooks[{w}]."]),
    ("stripe.endpoint", &["webhooks[{w}].", "stripe."]),
    ("stripe.endpoint-events", &["webhooks[{w}].", "stripe."]),
    ("stripe.", &["stripe.", "webhooks["]),
    ("crm.", &["crm.", "stripe."]),
    ("code.", &["code."]),
    (
        "monitoring.",
        &["monitoring.", "web.canonical", "web.health", "webhooks["],
    ),
    (
        "cloudflare.webhook-access",
        &["cloudflare.", "web.canonical", "webhooks[{w}]."],
    ),
    (
        "cloudflare.cache-rules",
        &["cloudflare.", "web.", "webhooks["],
    ),
    ("cloudflare.proxied", &["cloudflare.", "web."]),
    ("cloudflare.", &["cloudflare.", "web.canonical"]),
    ("vercel.", &["platform.", "env.required"]),
];

fn prefixes(check: &str) -> Vec<String> {
    let exact = READS.iter().find(|(k, _)| *k == check);
    let area = READS
        .iter()
        .find(|(k, _)| k.ends_with('.') && check.starts_with(k));
    match exact.or(area) {
        Some((_, fields)) => fields.iter().map(|f| (*f).to_owned()).collect(),
        None => {
            let section = check.split('.').next().unwrap_or(check);
            vec![format!("{section}.")]
        }
    }
}

fn under(field: &str, prefix: &str) -> bool {
    // `stripe.` also covers `stripe` itself; `web.canonical` covers `web.canonical`.
    field == prefix.trim_end_matches('.')
        || field.starts_with(prefix)
        || (!prefix.ends_with('.')
            && !prefix.ends_with('[')
            && field.starts_with(&format!("{prefix}[")))
}

/// The placeholder fields that stop `check` on `target`; empty when it may run.
pub fn placeholders_read(
    check: &str,
    target: &str,
    manifest: &Manifest,
    found: &[Placeholder],
) -> Vec<String> {
    if found.is_empty() || check.starts_with("manifest.") {
        return Vec::new();
    }
    let webhook = manifest.webhooks.iter().position(|w| w.name == target);
    let mut out: Vec<String> = Vec::new();
    for p in prefixes(check) {
        let p = match (p.contains("{w}"), webhook) {
            (true, Some(i)) => p.replace("{w}", &i.to_string()),
            (true, None) => continue,
            (false, _) => p,
        };
        out.extend(
            found
                .iter()
                .filter(|f| under(&f.field, &p))
                .map(|f| f.field.clone()),
        );
    }
    if out.is_empty() && (is_placeholder(target) || reserved_host(target)) {
        // Name the fields the target came from (a host, its apex, a URL's host).
        let t = target.trim_end_matches('.').to_ascii_lowercase();
        let from: Vec<String> = found
            .iter()
            .filter(|f| {
                f.host.as_deref().is_some_and(|h| {
                    h == t || h.ends_with(&format!(".{t}")) || t.ends_with(&format!(".{h}"))
                })
            })
            .map(|f| f.field.clone())
            .collect();
        if from.is_empty() {
            out.push(format!("target {target}"));
        } else {
            out.extend(from);
        }
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::placeholders::scan;

    fn manifest(text: &str) -> Manifest {
        crate::manifest::parse_str(text, "m.yaml").unwrap()
    }

    #[test]
    fn each_check_stops_on_the_fields_it_reads() {
        let m = manifest(
            "version: 1\nproject: p\nweb:\n  canonical: https://www.example.com\nemail:\n  domain: acme.app\n  dkim_selectors: [TODO]\nwebhooks:\n  - { name: real, url: \"https://acme.app/api/webhooks/stripe\" }\n  - { name: todo, url: \"https://www.example.com/api/hook\" }\n",
        );
        let found = scan(&m);
        let read = |check: &str, target: &str| placeholders_read(check, target, &m, &found);
        assert_eq!(read("http.hsts", "www.example.com"), ["web.canonical"]);
        assert_eq!(
            read("dns.ns", "example.com"),
            ["web.canonical", "webhooks[1].url"]
        );
        assert!(
            read("dns.resolves", "acme.app").is_empty(),
            "a real host still runs"
        );
        assert_eq!(
            read("email.dkim", "TODO._domainkey.acme.app"),
            ["email.dkim_selectors[0]"]
        );
        assert!(
            read("email.spf", "acme.app").is_empty(),
            "SPF reads no selector"
        );
        assert!(read("webhook.reachable", "real").is_empty());
        assert_eq!(read("webhook.reachable", "todo"), ["webhooks[1].url"]);
        assert_eq!(read("stripe.deliveries", "stripe"), ["webhooks[1].url"]);
        assert!(read("code.webhook-verification", "app/api/x/route.ts").is_empty());
        assert!(read("manifest.valid", "m.yaml").is_empty());
        assert_eq!(read("cloudflare.ssl-mode", "acme.app"), ["web.canonical"]);
        // Zone rules are judged against the webhook paths: a placeholder webhook
        // stops only its own access result, and the cache-rules result.
        assert!(read("cloudflare.webhook-access", "real").contains(&"web.canonical".to_owned()));
        assert!(read("cloudflare.webhook-access", "todo").contains(&"webhooks[1].url".to_owned()));
        assert!(read("cloudflare.cache-rules", "acme.app").contains(&"webhooks[1].url".to_owned()));
    }
}
