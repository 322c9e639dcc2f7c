//! `code.webhook-verification`: a webhook route must verify the provider's signature,
//! and the signature must be checked over the raw body.
//!
//! App Router: the handler must not read the body with `req.json()` / `req.formData()`
//! before verifying (the signature covers the exact bytes; `req.text()` or
//! `req.arrayBuffer()` are right). Pages Router: the route must export
//! `config = { api: { bodyParser: false } }`, or Next.js parses and re-serialises the
//! body before the handler sees it.

use serde_json::{Value, json};

use super::facts::{CallFact, Facts};
use super::resolve::{is_local, resolve_import};
use super::routes::{Provider, RouterKind, WebhookRoute, webhook_routes};
use super::walk::{load, rel_path};
use super::{CodeConfig, FileFinding, Verdict};

/// Packages whose `.verify(…)` checks a webhook signature (Svix / Standard Webhooks,
/// Octokit).
const VERIFY_PACKAGES: &[&str] = &["svix", "standardwebhooks", "@octokit/webhooks"];

/// How a verification was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerifierKind {
    /// A provider SDK verifier (`constructEvent`, `verifyHeader`, svix `verify`).
    Sdk,
    /// Hand-rolled HMAC (`createHmac` + `timingSafeEqual`).
    Hmac,
}

/// The call where the signature gets verified.
#[derive(Debug, Clone)]
pub struct Verification {
    pub call: CallFact,
    pub kind: VerifierKind,
    /// Set when the verifier lives in an imported local module (`lib/stripe.ts`).
    pub via_module: Option<String>,
}

fn is_sdk_verifier(f: &Facts, c: &CallFact) -> bool {
    matches!(
        c.method.as_str(),
        "constructEvent" | "constructEventAsync" | "verifyHeader" | "verifyHeaderAsync"
    ) || (c.method == "verify"
        && f.imports
            .iter()
            .any(|i| VERIFY_PACKAGES.contains(&i.source.as_str())))
        || (c.method == "verifyWebhook"
            && f.imports.iter().any(|i| i.source.starts_with("@clerk/")))
}

/// The first verifier call in the file itself.
pub fn local_verifier(f: &Facts) -> Option<Verification> {
    if let Some(c) = f.calls.iter().find(|c| is_sdk_verifier(f, c)) {
        return Some(Verification {
            call: c.clone(),
            kind: VerifierKind::Sdk,
            via_module: None,
        });
    }
    let hmac = f.calls.iter().any(|c| c.method == "createHmac");
    let cmp = f.calls.iter().find(|c| c.method == "timingSafeEqual");
    match (hmac, cmp) {
        (true, Some(c)) => Some(Verification {
            call: c.clone(),
            kind: VerifierKind::Hmac,
            via_module: None,
        }),
        _ => None,
    }
}

/// A verifier in a directly imported local module (`verifyStripeEvent` from
/// `@/lib/stripe`): the verification point is the route's call into that import,
/// preferring callee names that look like verification.
fn imported_verifier(cfg: &CodeConfig, route: &WebhookRoute, f: &Facts) -> Option<Verification> {
    for import in f
        .imports
        .iter()
        .filter(|i| !i.type_only && is_local(&i.source))
    {
        let Some(path) = resolve_import(&cfg.root, &route.file.abs, &import.source) else {
            continue;
        };
        let Ok(module) = load(&path) else { continue };
        let Some(inner) = local_verifier(&module) else {
            continue;
        };
        let calls: Vec<&CallFact> = f
            .calls
            .iter()
            .filter(|c| import.names.contains(&c.root))
            .collect();
        let looks_like = |c: &&&CallFact| {
            let l = c.callee.to_lowercase();
            ["verif", "construct", "webhook", "signature", "event"]
                .iter()
                .any(|k| l.contains(k))
        };
        let Some(call) = calls.iter().find(looks_like).or(calls.first()) else {
            continue;
        };
        return Some(Verification {
            call: (*call).clone(),
            kind: inner.kind,
            via_module: Some(rel_path(&cfg.root, &path)),
        });
    }
    None
}

/// Names the request object goes by: first parameters of exported handlers,
/// plus the conventional `req` / `request`.
pub fn request_names(f: &Facts) -> Vec<String> {
    let mut names = f.handler_params.clone();
    names.extend(["req".to_string(), "request".to_string()]);
    names
}

fn call_on_request<'f>(f: &'f Facts, methods: &[&str]) -> Option<&'f CallFact> {
    let names = request_names(f);
    f.calls.iter().find(|c| {
        methods.contains(&c.method.as_str())
            && c.receiver.as_ref().is_some_and(|r| names.contains(r))
    })
}

fn raw_body_read(f: &Facts) -> Option<String> {
    if let Some(c) = call_on_request(f, &["text", "arrayBuffer", "blob", "on"]) {
        return Some(c.callee.clone());
    }
    if let Some(c) = f.calls.iter().find(|c| {
        matches!(
            c.method.as_str(),
            "buffer" | "getRawBody" | "rawBody" | "raw" | "arrayBuffer"
        )
    }) {
        return Some(c.callee.clone());
    }
    let names = request_names(f);
    f.for_await_over
        .iter()
        .find(|n| names.contains(n))
        .map(|n| format!("for await (… of {n})"))
}

fn at(f: &Facts, c: &CallFact) -> Value {
    json!({ "call": c.callee, "line": f.line(c.start) })
}

/// The verification outcome of one webhook route.
pub fn check_route(cfg: &CodeConfig, route: &WebhookRoute) -> FileFinding {
    let rel = route.file.rel.as_str();
    let f = match &route.facts {
        Ok(f) => f,
        Err(e) => {
            return FileFinding::new(rel, Verdict::Error, format!("could not analyse: {e}"))
                .with_details(json!({ "error": e, "detected_by": route.detected_by }));
        }
    };
    let verification = local_verifier(f).or_else(|| imported_verifier(cfg, route, f));
    let mut d = json!({
        "router": route.kind,
        "provider": route.provider,
        "detected_by": route.detected_by,
        "verification": verification.as_ref().map(|v| json!({
            "call": v.call.callee,
            "line": f.line(v.call.start),
            "kind": match v.kind { VerifierKind::Sdk => "sdk", VerifierKind::Hmac => "hmac" },
            "via_module": v.via_module,
        })),
        "raw_body_read": raw_body_read(f),
    });
    let fix_verify = match route.provider {
        Provider::Stripe => {
            "Verify every event with stripe.webhooks.constructEvent(rawBody, \
             req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET) and \
             return 400 when it throws."
        }
        Provider::Generic => {
            "Verify the provider's signature (e.g. svix `new Webhook(secret).verify(rawBody, \
             headers)`) before trusting the payload."
        }
    };
    let Some(v) = verification else {
        return FileFinding::new(
            rel,
            Verdict::Fail,
            "webhook route never verifies the signature",
        )
        .with_details(d)
        .with_remediation(fix_verify);
    };
    let vline = f.line(v.call.start);
    match route.kind {
        RouterKind::App => {
            let parsed = call_on_request(f, &["json", "formData"]);
            d["body_parsed"] = parsed.map(|c| at(f, c)).into();
            if let Some(p) = parsed.filter(|p| p.start < v.call.end) {
                let line = f.line(p.start);
                return FileFinding::new(
                    rel,
                    Verdict::Fail,
                    format!(
                        "body read with {}() on line {line} before signature verification \
                         on line {vline}",
                        p.callee
                    ),
                )
                .with_details(d)
                .with_remediation(
                    "Read the raw body with `const body = await req.text()` and pass that \
                     string to constructEvent; the signature is computed over the exact bytes.",
                );
            }
        }
        RouterKind::Pages => {
            let exported = f.body_parser_exported_inline
                || (f.body_parser_false.is_some()
                    && f.exported_names.iter().any(|n| n == "config"));
            d["body_parser_disabled"] = exported.into();
            if !exported {
                return FileFinding::new(
                    rel,
                    Verdict::Fail,
                    "Pages Router webhook does not export config = { api: { bodyParser: false } }",
                )
                .with_details(d)
                .with_remediation(
                    "Add `export const config = { api: { bodyParser: false } }` and read the \
                     raw body (e.g. `await buffer(req)` from `micro`) before constructEvent.",
                );
            }
            if d["raw_body_read"].is_null() {
                return FileFinding::new(
                    rel,
                    Verdict::Warn,
                    "bodyParser is disabled but no raw body read (buffer(req)) was found",
                )
                .with_details(d)
                .with_remediation("Pass `await buffer(req)` (from `micro`) to constructEvent.");
            }
        }
    }
    if v.kind == VerifierKind::Hmac && route.provider == Provider::Stripe {
        return FileFinding::new(
            rel,
            Verdict::Warn,
            format!("hand-rolled HMAC check on line {vline} instead of stripe constructEvent"),
        )
        .with_details(d)
        .with_remediation(
            "Use stripe.webhooks.constructEvent, which also enforces the timestamp \
             tolerance that stops replayed events.",
        );
    }
    let via = v
        .via_module
        .map(|m| format!(" (in {m})"))
        .unwrap_or_default();
    FileFinding::new(
        rel,
        Verdict::Pass,
        format!(
            "signature verified with {}(){via} on line {vline}",
            v.call.callee
        ),
    )
    .with_details(d)
}

/// `code.webhook-verification`: one finding per webhook route file.
pub fn webhook_verification(cfg: &CodeConfig) -> Vec<FileFinding> {
    webhook_routes(cfg)
        .iter()
        .map(|r| check_route(cfg, r))
        .collect()
}
