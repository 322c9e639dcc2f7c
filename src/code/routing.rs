//! Next.js routing: the URL path a route file serves, and the inventory of inbound
//! webhook routes that `launch-ready init` drafts from.
//!
//! App Router: `<app>/app/a/(group)/b/route.ts` serves `/a/b` (route groups and
//! parallel-route slots do not appear in the URL; `_private` folders are not routable).
//! Pages Router: `<app>/pages/api/a/index.ts` serves `/api/a`. `src/app` and `src/pages`
//! count the same. Dynamic segments (`[id]`, `[...slug]`, `[[...slug]]`) are kept as
//! written and flagged: a URL with a literal `[id]` is not a URL anyone registered.

use std::path::Path;

use super::CodeConfig;
use super::facts::Facts;
use super::modules::Modules;
use super::routes::{Provider, RouterKind, route_kind, webhook_routes};

/// The URL a route file serves, and the app (monorepo package) that serves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutePath {
    /// The app's directory relative to the root (`""` for the root, `apps/web`).
    pub app: String,
    /// URL path without basePath, e.g. `/api/webhooks/stripe`.
    pub path: String,
    /// Some segment is dynamic (`[id]`): the path is not a literal URL.
    pub dynamic: bool,
}

fn is_app_root(root: &Path, dir: &str) -> bool {
    let d = root.join(dir);
    d.join("package.json").is_file()
        || ["js", "mjs", "cjs", "ts"]
            .iter()
            .any(|e| d.join(format!("next.config.{e}")).is_file())
}

/// The URL path `rel` (relative to `root`) serves, when it is a route file.
pub fn url_path(root: &Path, rel: &str) -> Option<RoutePath> {
    let kind = route_kind(rel)?;
    let segs: Vec<&str> = rel.split('/').collect();
    let marker = if kind == RouterKind::App {
        "app"
    } else {
        "pages"
    };
    // The router directory is the first `app`/`pages` directly under an app root (or
    // its `src/`); a folder named `app` deeper in the tree is an ordinary segment.
    let candidates: Vec<usize> = (0..segs.len() - 1).filter(|&i| segs[i] == marker).collect();
    let at = candidates
        .iter()
        .copied()
        .find(|&i| {
            let base = if i > 0 && segs[i - 1] == "src" {
                i - 1
            } else {
                i
            };
            is_app_root(root, &segs[..base].join("/"))
        })
        .or_else(|| candidates.first().copied())?;
    let app_end = if at > 0 && segs[at - 1] == "src" {
        at - 1
    } else {
        at
    };
    let app = segs[..app_end].join("/");
    let mut parts: Vec<String> = Vec::new();
    let inner = &segs[at + 1..];
    let (file, dirs) = inner.split_last()?;
    for d in dirs {
        if d.starts_with('_') {
            return None; // private folder: not routable
        }
        if (d.starts_with('(') && d.ends_with(')')) || d.starts_with('@') {
            continue;
        }
        parts.push((*d).to_owned());
    }
    if kind == RouterKind::Pages {
        let stem = file.rsplit_once('.').map_or(*file, |(s, _)| s);
        if stem != "index" {
            parts.push(stem.to_owned());
        }
    }
    let dynamic = parts.iter().any(|p| p.starts_with('['));
    Some(RoutePath {
        app,
        path: format!("/{}", parts.join("/")),
        dynamic,
    })
}

/// One inbound webhook route, as `init` drafts it.
#[derive(Debug, Clone)]
pub struct InboundWebhook {
    /// Route file, relative to the root.
    pub file: String,
    /// The module whose code decided it (a re-exported handler lives elsewhere).
    pub decided_in: String,
    pub route: Option<RoutePath>,
    pub stripe: bool,
    /// `stripe`, `svix`, `qstash`, `workos`, `hmac`, … or `unknown`.
    pub provider_name: &'static str,
    /// Why it counts as an inbound webhook.
    pub evidence: Vec<String>,
    /// Stripe event types the handler names (`checkout.session.completed`).
    pub event_types: Vec<String>,
    /// Environment variables read by the handler that look like its signing secret.
    pub secret_vars: Vec<String>,
}

/// First segments of Stripe event types (`<resource>.<action>`).
const STRIPE_EVENT_ROOTS: &[&str] = &[
    "account",
    "application_fee",
    "balance",
    "billing",
    "billing_portal",
    "capability",
    "charge",
    "checkout",
    "coupon",
    "credit_note",
    "customer",
    "entitlements",
    "identity",
    "invoice",
    "invoiceitem",
    "mandate",
    "payment_intent",
    "payment_link",
    "payment_method",
    "payout",
    "plan",
    "price",
    "product",
    "promotion_code",
    "quote",
    "radar",
    "refund",
    "review",
    "setup_intent",
    "subscription_schedule",
    "tax_rate",
    "topup",
    "transfer",
];

fn stripe_event_types(f: &Facts) -> Vec<String> {
    let mut out: Vec<String> = f
        .strings
        .iter()
        .filter(|s| {
            let parts: Vec<&str> = s.split('.').collect();
            parts.len() >= 2
                && STRIPE_EVENT_ROOTS.contains(&parts[0])
                && parts.iter().all(|p| {
                    !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
                })
        })
        .cloned()
        .collect();
    out.sort();
    out.dedup();
    out
}

fn secret_vars(f: &Facts) -> Vec<String> {
    let looks = |n: &str| {
        n.contains("SECRET")
            && (n.contains("WEBHOOK") || n.contains("SIGNING") || n.contains("ENDPOINT"))
    };
    let mut out: Vec<String> = f
        .env_reads
        .iter()
        .map(|r| r.name.clone())
        .chain(
            // `env.STRIPE_WEBHOOK_SECRET` (t3 env, a config object)
            f.members.iter().map(|m| m.property.clone()),
        )
        .filter(|n| looks(n))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Every inbound webhook route under the root, with its URL and what its handler
/// shows (event types, secret variable), in path order.
pub fn inbound_webhooks(cfg: &CodeConfig) -> Vec<InboundWebhook> {
    let routes = webhook_routes(cfg);
    let mut m = Modules::new(cfg);
    routes
        .into_iter()
        .map(|r| {
            let decided = cfg.root.join(&r.decided_in);
            let mut event_types = Vec::new();
            let mut secrets = Vec::new();
            if let Ok(f) = &r.facts {
                event_types = stripe_event_types(f);
                secrets = secret_vars(f);
                // A handler that dispatches to helpers names the types there.
                for (_, child) in m.called_imports(&decided, f) {
                    if let Ok(h) = m.facts(&child).as_ref() {
                        if event_types.is_empty() && r.provider == Provider::Stripe {
                            event_types = stripe_event_types(h);
                        }
                        if secrets.is_empty() {
                            secrets = secret_vars(h);
                        }
                    }
                }
            }
            InboundWebhook {
                route: url_path(&cfg.root, &r.file.rel),
                file: r.file.rel,
                decided_in: r.decided_in,
                stripe: r.provider == Provider::Stripe,
                provider_name: r.provider_name,
                evidence: r.evidence,
                event_types,
                secret_vars: secrets,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for f in files {
            let p = dir.path().join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "{}").unwrap();
        }
        dir
    }

    #[test]
    fn app_and_pages_routes_map_to_their_urls() {
        let d = tree(&["apps/web/package.json", "package.json"]);
        let at = |rel: &str| url_path(d.path(), rel);
        let r = at("apps/web/app/(ee)/api/stripe/webhook/route.ts").unwrap();
        assert_eq!(
            (r.app.as_str(), r.path.as_str(), r.dynamic),
            ("apps/web", "/api/stripe/webhook", false)
        );
        let r = at("apps/web/src/app/api/app/webhook/route.ts").unwrap();
        assert_eq!(
            r.path, "/api/app/webhook",
            "a nested folder named app is a segment"
        );
        let r = at("pages/api/webhooks/index.ts").unwrap();
        assert_eq!((r.app.as_str(), r.path.as_str()), ("", "/api/webhooks"));
        let r = at("src/pages/api/stripe/webhook.ts").unwrap();
        assert_eq!(r.path, "/api/stripe/webhook");
        let r = at("app/api/webhooks/[id]/route.ts").unwrap();
        assert!(r.dynamic);
        assert_eq!(
            at("app/api/_lib/route.ts"),
            None,
            "private folders are not routable"
        );
        assert_eq!(
            at("app/@modal/api/hook/route.ts").unwrap().path,
            "/api/hook"
        );
        assert_eq!(at("lib/stripe.ts"), None);
    }
}
