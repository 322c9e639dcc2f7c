//! `cloudflare.cache-rules`: no cache rule or page rule makes a private path or a
//! webhook cacheable. A rule that overrides the origin's `Cache-Control` (edge TTL
//! override, cache everything) serves one user's answer to the next: `fail`. A rule
//! that only makes the path eligible for caching leaves the origin's headers in
//! charge: `warn`. A rule whose expression is outside the evaluated subset is named
//! (`warn`), never passed silently.

use serde_json::json;

use super::{plan_zone, proxied_hosts};
use crate::checks::{Check, Checked, Meta, Plan};
use crate::cloudflare::caching::{Coverage, Scope, coverage};
use crate::context::Context;
use crate::evidence::cloudflare::{CACHE_PHASE, PageRules, PhaseRules};
use crate::meta;
use crate::report::Outcome;

pub struct CacheRules;

impl Check for CacheRules {
    const META: &'static Meta = meta! {
        id: "cloudflare.cache-rules",
        title: "Cloudflare never caches private or webhook paths",
        severity: Fail,
        needs: "manifest `cloudflare` and `web.private_paths` or `webhooks`; a Cloudflare API token (Zone Read, DNS Read, Cache Rules Read, Page Rules Read)",
        network: true,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        let private = cx
            .manifest
            .web
            .as_ref()
            .is_some_and(|w| !w.private_paths.is_empty());
        if cx.manifest.cloudflare.is_some() && !private && cx.manifest.webhooks.is_empty() {
            return Plan::skip(
                "cloudflare",
                "no `web.private_paths` and no webhooks to keep out of the cache",
            );
        }
        plan_zone(cx)
    }

    async fn run(&self, cx: &Context, _zone: &str) -> Checked {
        super::guard(cx)?;
        let mut hosts = Vec::new();
        if let Some(web) = &cx.manifest.web {
            hosts.push(web.canonical.host().to_ascii_lowercase());
            hosts.extend(web.hosts.iter().map(|h| h.0.to_ascii_lowercase()));
        }
        hosts.extend(
            cx.manifest
                .webhooks
                .iter()
                .map(|w| w.url.host().to_ascii_lowercase()),
        );
        hosts.dedup();
        let (_, proxied) = proxied_hosts(cx, hosts).await?;
        let scopes = scopes(cx, &proxied);
        if scopes.is_empty() {
            return Ok(Outcome::skip(
                "no private path or webhook is on a proxied host",
            ));
        }
        let rules = cx.get(PhaseRules(CACHE_PHASE)).await?;
        let page_rules = cx.get(PageRules).await?;
        let cache_rules = rules
            .as_ref()
            .as_ref()
            .map(|r| r.rules.as_slice())
            .unwrap_or(&[]);
        let found = coverage(cache_rules, &page_rules, &scopes);
        Ok(judge(&found, &scopes, cache_rules.len(), page_rules.len()))
    }
}

fn scopes(cx: &Context, proxied: &[String]) -> Vec<Scope> {
    let mut out = Vec::new();
    if let Some(web) = &cx.manifest.web {
        let mut hosts = vec![web.canonical.host().to_ascii_lowercase()];
        hosts.extend(web.hosts.iter().map(|h| h.0.to_ascii_lowercase()));
        for host in hosts.iter().filter(|h| proxied.contains(h)) {
            for path in &web.private_paths {
                out.push(Scope {
                    host: host.clone(),
                    path: path.clone(),
                    prefix: true,
                    what: format!("private path {path}"),
                });
            }
        }
    }
    for w in &cx.manifest.webhooks {
        let host = w.url.host().to_ascii_lowercase();
        if proxied.contains(&host) {
            out.push(Scope {
                host,
                path: w.url.0.path().to_owned(),
                prefix: false,
                what: format!("webhook {}", w.name),
            });
        }
    }
    out
}

pub(crate) fn judge(
    found: &Coverage,
    scopes: &[Scope],
    cache_rules: usize,
    page_rules: usize,
) -> Outcome {
    let unevaluable: Vec<String> = found
        .unevaluable
        .iter()
        .map(|(rule, why)| format!("{rule}: {why}"))
        .collect();
    let details = json!({
        "cacheable": found.hits,
        "unevaluable_rules": unevaluable,
        "judged": scopes.iter().map(|s| format!("{} on {}", s.what, s.host)).collect::<Vec<_>>(),
        "cache_rules": cache_rules,
        "page_rules": page_rules,
    });
    // One phrase per rule: "page rule X makes private path /api/, webhook stripe cacheable".
    let describe = |overrides: bool| -> Vec<String> {
        let mut by_rule: Vec<(&str, Vec<&str>)> = Vec::new();
        for h in found
            .hits
            .iter()
            .filter(|h| h.overrides_origin == overrides)
        {
            match by_rule.iter_mut().find(|(r, _)| *r == h.rule) {
                Some((_, whats)) => whats.push(&h.what),
                None => by_rule.push((&h.rule, vec![&h.what])),
            }
        }
        by_rule
            .into_iter()
            .map(|(rule, whats)| format!("{rule} makes {} cacheable", whats.join(", ")))
            .collect()
    };
    let overriding = describe(true);
    let eligible = describe(false);
    let cannot = if unevaluable.is_empty() {
        String::new()
    } else {
        format!(
            "; cannot evaluate {}",
            found
                .unevaluable
                .iter()
                .map(|(r, _)| r.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let fix = "Add a cache rule \"Bypass cache\" for these paths (placed last, so it wins), or narrow the rule's expression so it leaves them out; remove \"Cache Everything\" page rules that cover them.";
    if !overriding.is_empty() {
        return Outcome::fail(format!("{}{cannot}", overriding.join("; ")))
            .details(details)
            .remediation(fix);
    }
    if !eligible.is_empty() {
        return Outcome::warn(format!(
            "{}: cached whenever the origin's Cache-Control allows it{cannot}",
            eligible.join("; ")
        ))
        .details(details)
        .remediation(format!(
            "{fix} Until then, make sure these routes answer with Cache-Control: private, no-store."
        ));
    }
    if !unevaluable.is_empty() {
        return Outcome::warn(format!("cannot evaluate {}", unevaluable.join("; ")))
            .details(details)
            .remediation("Check by hand that these rules leave the private and webhook paths out of the cache (launch-ready evaluates http.host, http.request.uri.path, http.request.uri, http.request.full_uri with eq, ne, contains, matches, wildcard, in, starts_with, ends_with).");
    }
    Outcome::pass(format!(
        "no cache rule or page rule makes {} cacheable ({cache_rules} cache rules, {page_rules} page rules evaluated)",
        scopes.iter().map(|s| s.what.as_str()).collect::<std::collections::BTreeSet<_>>().into_iter().collect::<Vec<_>>().join(", ")
    ))
    .details(details)
}
