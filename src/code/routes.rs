//! Finding the inbound webhook routes of a Next.js app (or of every app of a monorepo).
//!
//! Route files: App Router `…/app/**/route.{ts,tsx,js,jsx,mjs,cjs}` and Pages Router
//! `…/pages/api/**`, anywhere under the root. A route is an *inbound* webhook (SPEC §7)
//! when it verifies a signature (itself, through a helper, or in the route it
//! re-exports), reads a signature header, handles POST with a provider's event shape,
//! or when its path names a webhook and it has no session/token authentication and is
//! not a CRUD resource (`webhooks/[id]`, GET/PATCH/DELETE handlers): routes that manage
//! a product's *outgoing* webhooks, token-authenticated APIs and cron jobs that send
//! webhooks are not inbound. Each route says which evidence classified it.

use std::path::{Path, PathBuf};

use super::CodeConfig;
use super::facts::Facts;
use super::modules::Modules;
use super::verifiers::{Found, VerifierKind, is_digest, local_verifier, provider_name};
use super::walk::{SourceFile, source_files};

const ROUTE_EXTS: &[&str] = &["ts", "tsx", "js", "jsx", "mjs", "cjs"];
/// Re-export hops followed from a route file (`export { POST } from "../route"`).
const MAX_REEXPORT_HOPS: usize = 3;

/// Which Next.js router a route file belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RouterKind {
    App,
    Pages,
}

/// Which verifier a webhook route is held to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Stripe,
    Generic,
}

/// Where a route verifies: the call in the deciding module, and the helper module when
/// the verifier itself lives elsewhere.
#[derive(Debug, Clone)]
pub struct RouteVerification {
    pub found: Found,
    /// (file, line) of the verifier inside a helper module.
    pub via_module: Option<(String, usize)>,
}

/// An inbound webhook route with its parse result.
#[derive(Debug)]
pub struct WebhookRoute {
    pub file: SourceFile,
    pub kind: RouterKind,
    pub provider: Provider,
    /// `stripe`, `svix`, `qstash`, `workos`, `hmac`, … (`unknown` when nothing says).
    pub provider_name: &'static str,
    /// `"path"` or `"content"`: the strongest reason the file counts as a webhook route.
    pub detected_by: &'static str,
    /// Every reason, in words.
    pub evidence: Vec<String>,
    /// The module whose code is judged: the route file, or the route it re-exports.
    pub decided_in: String,
    pub facts: Result<Facts, String>,
    pub verification: Option<RouteVerification>,
}

/// The router kind of a path relative to the root, if it is a route file.
pub fn route_kind(rel: &str) -> Option<RouterKind> {
    let segs: Vec<&str> = rel.split('/').collect();
    let (name, dirs) = segs.split_last()?;
    let (stem, ext) = name.rsplit_once('.')?;
    if !ROUTE_EXTS.contains(&ext) || stem.ends_with(".test") || stem.ends_with(".spec") {
        return None;
    }
    if stem == "route" && dirs.contains(&"app") {
        return Some(RouterKind::App);
    }
    if dirs.windows(2).any(|w| w[0] == "pages" && w[1] == "api") {
        return Some(RouterKind::Pages);
    }
    None
}

fn signature_header(f: &Facts) -> Option<&String> {
    const KNOWN: &[&str] = &[
        "svix-id",
        "webhook-id",
        "x-shopify-hmac-sha256",
        "paypal-transmission-sig",
        "x-hub-signature-256",
    ];
    f.strings.iter().find(|s| {
        s.len() < 48
            && !s.contains([' ', '/']) // `./verify-signature` is a module, not a header
            && (KNOWN.contains(&s.as_str()) || s.ends_with("-signature") || s.ends_with("-sig"))
    })
}

fn event_shape(f: &Facts) -> bool {
    const PREFIXES: &[&str] = &[
        "checkout.session.",
        "customer.subscription.",
        "invoice.",
        "payment_intent.",
        "charge.",
    ];
    f.strings
        .iter()
        .any(|s| PREFIXES.iter().any(|p| s.starts_with(p)) && !s.contains(' '))
}

/// Session, API-key, bearer-token or cron authentication.
fn authentication(f: &Facts) -> Option<String> {
    const WRAPPER_WORDS: &[&str] = &[
        "auth",
        "session",
        "workspace",
        "cron",
        "user",
        "admin",
        "apikey",
        "api",
        "permission",
        "team",
        "protected",
        "guard",
    ];
    const AUTH_CALLS: &[&str] = &[
        "getserversession",
        "getsession",
        "currentuser",
        "teamaccess",
        "requireauth",
        "requireuser",
        "authenticate",
        "apikey",
        "getuser",
        "verifycron",
    ];
    if let Some((_, Some(w))) = f.route_handlers.iter().find(|(_, w)| {
        w.as_ref().is_some_and(|w| {
            let l = w.to_lowercase();
            l.starts_with("with") && WRAPPER_WORDS.iter().any(|k| l.contains(k))
        })
    }) {
        return Some(format!("handler wrapped in {w}()"));
    }
    if let Some(c) = f.calls.iter().find(|c| {
        let m = c.method.to_lowercase();
        m == "auth" || AUTH_CALLS.iter().any(|k| m.contains(k))
    }) {
        return Some(format!("calls {}()", c.callee));
    }
    f.strings
        .iter()
        .any(|s| s == "authorization" || s.starts_with("bearer "))
        .then(|| "reads the Authorization header".to_string())
}

/// `webhooks/[id]` resources and GET/PATCH/PUT/DELETE handlers: an API that manages
/// webhooks, not one that receives them.
fn crud(rel: &str, f: &Facts) -> Option<String> {
    let segs: Vec<&str> = rel.split('/').collect();
    if let Some(i) = segs.iter().position(|s| s.contains("webhook"))
        && segs[i + 1..]
            .iter()
            .any(|s| s.starts_with('[') && !s.starts_with("[..."))
    {
        return Some("a resource under a dynamic segment".to_string());
    }
    let methods: Vec<&str> = f.route_handlers.iter().map(|(n, _)| n.as_str()).collect();
    let mutating = ["PATCH", "PUT", "DELETE"]
        .iter()
        .any(|m| methods.contains(m));
    (mutating || (methods.contains(&"GET") && !methods.contains(&"POST")))
        .then(|| format!("exports {}", methods.join("/")))
}

/// Follow `export { POST } from "../route"` (and `import { POST } …; export { POST }`)
/// to the module that holds the handler.
fn delegate(m: &mut Modules<'_>, file: &SourceFile) -> (PathBuf, Result<Facts, String>) {
    let mut path = file.abs.clone();
    for _ in 0..MAX_REEXPORT_HOPS {
        let facts = m.facts(&path);
        let Ok(f) = facts.as_ref() else { break };
        let own = f.route_handlers.iter().any(|(n, _)| is_handler_name(n));
        if own {
            break;
        }
        let target = f.imports.iter().find(|i| {
            !i.type_only
                && (i.reexport
                    || i.names
                        .iter()
                        .any(|n| is_handler_name(n) && f.exported_names.contains(n)))
        });
        let Some(next) = target.and_then(|i| m.resolve(&path, &i.source)) else {
            break;
        };
        path = next;
    }
    let facts = m.facts(&path);
    (path, facts.as_ref().clone())
}

fn is_handler_name(n: &str) -> bool {
    matches!(n, "POST" | "GET" | "PUT" | "PATCH" | "DELETE" | "default")
}

/// The verification of a route: in its own code, or in a helper it calls.
pub fn route_verification(
    m: &mut Modules<'_>,
    path: &Path,
    f: &Facts,
) -> Option<RouteVerification> {
    let local = local_verifier(f);
    if let Some(v) = local
        .as_ref()
        .filter(|v| v.kind != VerifierKind::PlainCompare)
    {
        return Some(RouteVerification {
            found: v.clone(),
            via_module: None,
        });
    }
    let hmac = f.calls.iter().any(is_digest);
    for (names, child) in m.called_imports(path, f) {
        let caps = m.caps(&child, 1);
        let call = f.calls.iter().find(|c| names.contains(&c.root));
        let at = |kind| Found {
            callee: call
                .map(|c| c.callee.clone())
                .unwrap_or_else(|| names.join(", ")),
            start: call.map_or(0, |c| c.start),
            end: call.map_or(0, |c| c.end),
            kind,
        };
        if hmac && caps.timing_safe && call.is_some() {
            let via = Some((m.rel(&child), 0));
            return Some(RouteVerification {
                found: at(VerifierKind::Hmac),
                via_module: via,
            });
        }
        if let Some((inner, file, line)) = caps.verifier {
            return Some(RouteVerification {
                found: at(inner.kind),
                via_module: Some((file, line)),
            });
        }
    }
    local.map(|found| RouteVerification {
        found,
        via_module: None,
    })
}

fn classify(m: &mut Modules<'_>, file: SourceFile, kind: RouterKind) -> Option<WebhookRoute> {
    let by_path = file
        .rel
        .to_lowercase()
        .split('/')
        .any(|s| s.contains("webhook"));
    let (decided_abs, facts) = delegate(m, &file);
    let decided_in = m.rel(&decided_abs);
    let mut evidence = Vec::new();
    if decided_abs != file.abs {
        evidence.push(format!("re-exports the handler of {decided_in}"));
    }
    let f = match &facts {
        Ok(f) => f,
        Err(_) => {
            // Unparsable: a route whose path names a webhook still shows up (as
            // `error`) instead of silently disappearing.
            return by_path.then(|| WebhookRoute {
                file,
                kind,
                provider: Provider::Generic,
                provider_name: "unknown",
                detected_by: "path",
                evidence: vec!["path names a webhook".into()],
                decided_in,
                facts,
                verification: None,
            });
        }
    };
    let verification = route_verification(m, &decided_abs, f);
    let header = signature_header(f);
    let auth = authentication(f);
    // A user-facing route that calls a helper which happens to verify something else
    // (an authenticated sync endpoint) is not thereby a webhook.
    let strong = verification.as_ref().filter(|v| {
        (v.found.kind != VerifierKind::PlainCompare || f.calls.iter().any(is_digest))
            && (v.via_module.is_none() || auth.is_none() || header.is_some())
    });
    if let Some(v) = strong {
        evidence.push(format!("verifies with {}", v.found.callee));
    }
    if let Some(h) = header {
        evidence.push(format!("reads the {h} header"));
    }
    let handles_post =
        kind == RouterKind::Pages || f.route_handlers.iter().any(|(n, _)| n == "POST");
    let shape = handles_post && event_shape(f);
    if shape {
        evidence.push("handles POST with a provider's event types".into());
    }
    let content = strong.is_some() || header.is_some() || shape;
    let path_ok = by_path && {
        let crud = crud(&file.rel, f);
        match (auth, crud) {
            (None, None) => {
                evidence.push("path names a webhook; no session/token authentication".into());
                true
            }
            _ => false,
        }
    };
    if !content && !path_ok {
        return None;
    }
    let mut name = provider_name(f, verification.as_ref().map(|v| &v.found));
    // The helper that verifies knows its provider better than the route.
    if let Some(v) = &verification
        && let Some((file, _)) = &v.via_module
        && matches!(name, "unknown" | "hmac")
    {
        let helper = m.facts(&m.cfg.root.join(file));
        if let Ok(h) = helper.as_ref() {
            name = provider_name(h, Some(&v.found));
        }
    }
    Some(WebhookRoute {
        provider: if name == "stripe" {
            Provider::Stripe
        } else {
            Provider::Generic
        },
        provider_name: name,
        detected_by: if content { "content" } else { "path" },
        evidence,
        decided_in,
        file,
        kind,
        facts,
        verification,
    })
}

/// All inbound webhook routes under the root, parsed, in path order.
pub fn webhook_routes(cfg: &CodeConfig) -> Vec<WebhookRoute> {
    let mut m = Modules::new(cfg);
    source_files(&cfg.root)
        .files
        .into_iter()
        .filter_map(|f| {
            let kind = route_kind(&f.rel)?;
            classify(&mut m, f, kind)
        })
        .collect()
}

/// Absolute paths of the webhook route files under `cfg.root`.
pub fn find_webhook_routes(cfg: &CodeConfig) -> Vec<PathBuf> {
    webhook_routes(cfg)
        .into_iter()
        .map(|r| r.file.abs)
        .collect()
}
