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
use super::routes::{Provider, RouterKind, WebhookRoute, webhook_routes};
use super::verifiers::VerifierKind;
use super::{CodeConfig, FileFinding, Verdict};

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
pub fn check_route(route: &WebhookRoute) -> FileFinding {
    let rel = route.file.rel.as_str();
    let f = match &route.facts {
        Ok(f) => f,
        Err(e) => {
            return FileFinding::new(rel, Verdict::Error, format!("could not analyse: {e}"))
                .with_details(json!({ "error": e, "detected_by": route.detected_by }));
        }
    };
    let verification = route.verification.as_ref();
    let mut d = json!({
        "router": route.kind,
        "provider": route.provider,
        "provider_name": route.provider_name,
        "detected_by": route.detected_by,
        "evidence": route.evidence,
        "file": route.decided_in,
        "verification": verification.map(|v| json!({
            "call": v.found.callee,
            "file": route.decided_in,
            "line": f.line(v.found.start),
            "kind": v.found.kind,
            "via_module": v.via_module.as_ref().map(|(m, _)| m),
            "via_line": v.via_module.as_ref().map(|(_, l)| l).filter(|l| **l > 0),
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
             headers)`, QStash `Receiver.verify`, or an HMAC of the raw body compared with \
             crypto.timingSafeEqual) before trusting the payload."
        }
    };
    let Some(v) = verification else {
        return FileFinding::new(
            rel,
            Verdict::Fail,
            format!(
                "inbound webhook route never verifies the signature ({})",
                route.evidence.join("; ")
            ),
        )
        .with_details(d)
        .with_remediation(fix_verify);
    };
    let vline = f.line(v.found.start);
    let shared_secret = v.found.kind == VerifierKind::PlainCompare
        && !f.calls.iter().any(super::verifiers::is_digest);
    if route.kind == RouterKind::App {
        let parsed = call_on_request(f, &["json", "formData"]);
        d["body_parsed"] = parsed.map(|c| at(f, c)).into();
    }
    if let Some(line) = reserialised_body(f) {
        d["reserialised_body_line"] = line.into();
        return FileFinding::new(
            rel,
            Verdict::Fail,
            format!(
                "raw-body problem: the signature is checked over a re-serialised body \
                 (JSON.stringify of the parsed request, line {line}), so genuine events fail \
                 or a different body is trusted"
            ),
        )
        .with_details(d)
        .with_remediation(
            "Compute and verify the signature over the raw request bytes (`await req.text()` \
             in the App Router; `bodyParser: false` and the raw stream in the Pages Router), \
             then JSON.parse that same text.",
        );
    }
    match route.kind {
        _ if shared_secret => {}
        RouterKind::App => {
            let parsed = call_on_request(f, &["json", "formData"]);
            // A wrapper that verifies before calling the handler it is given
            // (`withQstash(async (req) => …)`, `verifySignatureAppRouter(handler)`) has
            // the handler's body read inside its arguments: that read comes after.
            let wrapper = v.via_module.is_some() || v.found.callee.starts_with("verifySignature");
            let inside = |p: &&CallFact| p.start > v.found.start && p.end <= v.found.end;
            if let Some(p) = parsed.filter(|p| p.start < v.found.end && !(wrapper && inside(p))) {
                let line = f.line(p.start);
                return FileFinding::new(
                    rel,
                    Verdict::Fail,
                    format!(
                        "raw-body problem: body read with {}() on line {line} before \
                         signature verification on line {vline}",
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
    if v.found.kind == VerifierKind::PlainCompare {
        let what = if shared_secret {
            "shared secret"
        } else {
            "signature"
        };
        return FileFinding::new(
            rel,
            Verdict::Warn,
            format!(
                "{what} compared with `{}` on line {vline}: verified, but not in constant time",
                v.found.callee
            ),
        )
        .with_details(d)
        .with_remediation(
            "Compare with crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b)) after \
             checking equal lengths; `===` returns early and leaks how much matched.",
        );
    }
    if v.found.kind == VerifierKind::Hmac && route.provider == Provider::Stripe {
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
        .as_ref()
        .map(|(m, _)| format!(" (in {m})"))
        .unwrap_or_default();
    let in_file = if route.decided_in != route.file.rel {
        format!(" of {}", route.decided_in)
    } else {
        String::new()
    };
    FileFinding::new(
        rel,
        Verdict::Pass,
        format!(
            "signature verified with {}(){via} on line {vline}{in_file}",
            v.found.callee
        ),
    )
    .with_details(d)
}

/// Line of a `JSON.stringify(…)` whose arguments hold the parsed request body
/// (`await req.json()`'s binding, or `req.body` in the Pages Router).
fn reserialised_body(f: &Facts) -> Option<usize> {
    let names = request_names(f);
    let parsed: Vec<&String> = f
        .call_bindings
        .iter()
        .filter(|(_, m, _)| m == "json")
        .map(|(b, _, _)| b)
        .collect();
    f.calls
        .iter()
        .filter(|c| c.callee == "JSON.stringify")
        .find(|c| {
            let inside = |at: u32| at >= c.args_start && at < c.end;
            f.idents
                .iter()
                .any(|(n, at)| inside(*at) && parsed.contains(&n))
                || f.members
                    .iter()
                    .any(|m| inside(m.start) && m.property == "body" && names.contains(&m.object))
                || f.calls.iter().any(|inner| {
                    inside(inner.start)
                        && inner.method == "json"
                        && inner.receiver.as_ref().is_some_and(|r| names.contains(r))
                })
        })
        .map(|c| f.line(c.start))
}

/// `code.webhook-verification`: one finding per inbound webhook route file.
pub fn webhook_verification(cfg: &CodeConfig) -> Vec<FileFinding> {
    webhook_routes(cfg).iter().map(check_route).collect()
}
