//! Recognising signature verification in one module's facts: provider SDK verifiers,
//! certificate checks, hand-rolled HMAC (compared in constant time or not) and shared
//! secrets compared with `===`.

use super::facts::{CallFact, Facts};

/// Packages whose `.verify(…)` checks a webhook signature: Svix / Standard Webhooks
/// (Resend, Clerk), Octokit, Upstash QStash `Receiver`.
const VERIFY_PACKAGES: &[&str] = &[
    "svix",
    "standardwebhooks",
    "@octokit/webhooks",
    "@upstash/qstash",
    "@upstash/qstash/nextjs",
];

/// Methods that verify whatever their receiver: Stripe (`constructEvent[Async]`,
/// thin events `parseThinEvent`/`parseEventNotification`, `verifyHeader`), WorkOS
/// (`webhooks.constructEvent`), Apple App Store (`verifyAndDecodeNotification`).
const SDK_METHODS: &[&str] = &[
    "constructEvent",
    "constructEventAsync",
    "verifyHeader",
    "verifyHeaderAsync",
    "parseThinEvent",
    "parseEventNotification",
    "verifyAndDecodeNotification",
    "verifySignatureAppRouter",
    "verifySignatureEdge",
];

/// How a verification was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VerifierKind {
    /// A provider SDK verifier.
    Sdk,
    /// Hand-rolled HMAC compared in constant time (`timingSafeEqual`).
    Hmac,
    /// A certificate/public-key signature check (`crypto.createVerify`, PayPal).
    Certificate,
    /// A signature or shared secret compared with `===`/`!==`: verified, but the
    /// comparison leaks timing.
    PlainCompare,
}

/// The call (or comparison) where a module verifies.
#[derive(Debug, Clone)]
pub struct Found {
    pub callee: String,
    pub start: u32,
    pub end: u32,
    pub kind: VerifierKind,
}

impl Found {
    fn of(c: &CallFact, kind: VerifierKind) -> Self {
        Self {
            callee: c.callee.clone(),
            start: c.start,
            end: c.end,
            kind,
        }
    }
}

fn imports_any(f: &Facts, pred: impl Fn(&str) -> bool) -> bool {
    f.imports.iter().any(|i| pred(&i.source))
}

/// Receivers whose `.verify(…)` is a webhook verifier even when the SDK is imported
/// elsewhere (`export const receiver = new Receiver(…)` in `lib/qstash.ts`).
fn verifier_receiver(root: &str) -> bool {
    let r = root.to_lowercase();
    r.contains("receiver") || r.contains("webhook") || r == "wh" || r.contains("svix")
}

/// `createHmac`, or `createHash` over secret + body (HubSpot v1 style).
pub fn is_digest(c: &CallFact) -> bool {
    c.method == "createHmac" || c.method == "createHash"
}

pub fn is_sdk_verifier(f: &Facts, c: &CallFact) -> bool {
    (SDK_METHODS.contains(&c.method.as_str()))
        || (c.method == "verify"
            && (imports_any(f, |s| VERIFY_PACKAGES.contains(&s)) || verifier_receiver(&c.root)))
        || (c.method == "verifyWebhook" && imports_any(f, |s| s.starts_with("@clerk/")))
}

pub fn is_timing_safe(c: &CallFact) -> bool {
    c.method == "timingSafeEqual" || c.callee.ends_with("subtle.verify")
}

fn sig_like(path: &str) -> bool {
    let l = path.to_lowercase();
    ["sig", "hash", "digest", "hmac"]
        .iter()
        .any(|w| l.contains(w))
}

fn secret_like(path: &str) -> bool {
    let u = path.to_uppercase();
    ["SECRET", "TOKEN", "CLIENT_STATE", "SIGNING", "WEBHOOK_KEY"]
        .iter()
        .any(|w| u.contains(w))
}

/// An env value (`process.env.X`, `env.X`, or an alias `const x = env.X`) whose name
/// looks like a secret.
fn env_secret(f: &Facts, path: &str) -> bool {
    let direct = |p: &str| {
        (p.starts_with("process.env.") || p.starts_with("env.") || p.contains(".env."))
            && secret_like(p)
    };
    direct(path)
        || f.value_bindings
            .iter()
            .any(|(name, target)| name == path && direct(target))
}

/// The first verification in the module itself.
pub fn local_verifier(f: &Facts) -> Option<Found> {
    if let Some(c) = f.calls.iter().find(|c| is_sdk_verifier(f, c)) {
        return Some(Found::of(c, VerifierKind::Sdk));
    }
    if let Some(c) = f.calls.iter().find(|c| {
        c.method == "createVerify"
            || c.callee == "crypto.verify"
            || c.callee.ends_with("subtle.verify")
    }) {
        return Some(Found::of(c, VerifierKind::Certificate));
    }
    let hmac = f.calls.iter().find(|c| c.method == "createHmac");
    let digest = f.calls.iter().find(|c| is_digest(c));
    if let (Some(_), Some(c)) = (hmac, f.calls.iter().find(|c| is_timing_safe(c))) {
        return Some(Found::of(c, VerifierKind::Hmac));
    }
    if let Some(h) = digest
        && let Some(cmp) = f
            .comparisons
            .iter()
            .find(|c| sig_like(&c.left) || sig_like(&c.right))
    {
        return Some(Found {
            callee: format!("{} === {}", cmp.left, cmp.right),
            start: h.start.min(cmp.start),
            end: cmp.start,
            kind: VerifierKind::PlainCompare,
        });
    }
    f.comparisons
        .iter()
        .find(|c| env_secret(f, &c.left) || env_secret(f, &c.right))
        .map(|cmp| Found {
            callee: format!("{} === {}", cmp.left, cmp.right),
            start: cmp.start,
            end: cmp.start,
            kind: VerifierKind::PlainCompare,
        })
}

/// A provider name for the details and for `init`'s comment.
pub fn provider_name(f: &Facts, found: Option<&Found>) -> &'static str {
    let imports = |p: &str| imports_any(f, |s| s == p || s.starts_with(&format!("{p}/")));
    let string = |s: &str| f.strings.iter().any(|x| x == s);
    let callee = found.map(|v| v.callee.to_lowercase()).unwrap_or_default();
    if callee.contains("workos") || imports("@workos-inc/node") {
        "workos"
    } else if string("stripe-signature")
        || imports("stripe")
        || f.strings
            .iter()
            .any(|s| s.starts_with("checkout.session.") || s.starts_with("customer.subscription."))
        || callee.contains("stripe")
        || callee.contains("parsethinevent")
    {
        "stripe"
    } else if imports("svix") || string("svix-signature") {
        "svix"
    } else if imports("@upstash/qstash") || string("upstash-signature") {
        "qstash"
    } else if imports("@clerk/nextjs") && callee.contains("verifywebhook") {
        "clerk"
    } else if imports("@octokit/webhooks") || string("x-hub-signature-256") {
        "github"
    } else if string("paypal-transmission-sig") {
        "paypal"
    } else if found.is_some_and(|v| v.kind != VerifierKind::Sdk) {
        "hmac"
    } else {
        "unknown"
    }
}
