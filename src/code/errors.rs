//! `code.webhook-errors`: what a webhook route answers when its work fails.
//!
//! - `fail`: an exception swallowed into a 2xx — a `catch` that answers 2xx (or logs and
//!   falls through to a 2xx) without rethrowing. The provider sees success, never
//!   retries, and the event is lost.
//! - `warn`: a side effect started and not awaited (`processEvent(event);`,
//!   `handle(e).catch(log)`) before the 2xx: on serverless platforms the function may be
//!   frozen as soon as the response is sent.
//! - `pass`: otherwise; `waitUntil(…)`, `after(…)` and awaited queue enqueues are the
//!   right ways to answer fast and finish later.
//!
//! A `catch` around the signature check itself is not judged here (that is
//! `code.webhook-verification`'s business).

use serde_json::json;

use super::facts::{Facts, TryCatch};
use super::routes::{WebhookRoute, webhook_routes};
use super::{CodeConfig, FileFinding, Verdict};

/// Name prefixes of calls that do the webhook's work (lower-cased).
const SIDE_EFFECTS: &[&str] = &[
    "handle",
    "process",
    "send",
    "create",
    "update",
    "upsert",
    "insert",
    "delete",
    "sync",
    "record",
    "enqueue",
    "publish",
    "trigger",
    "notify",
    "save",
    "store",
    "fulfil",
    "provision",
    "grant",
    "charge",
    "refund",
];
/// Calls that only log, measure or answer.
const HARMLESS: &[&str] = &[
    "console",
    "logger",
    "log",
    "res",
    "NextResponse",
    "Response",
    "Sentry",
    "posthog",
    "revalidatePath",
    "revalidateTag",
    "waitUntil",
    "after",
    "captureException",
    "track",
];
/// Calls that keep work alive after the response.
const DEFERRERS: &[&str] = &["waitUntil", "after"];

fn is_2xx(s: u16) -> bool {
    (200..300).contains(&s)
}

/// The first swallowing `catch`: (catch line, response line or None when it falls through).
fn swallowed(f: &Facts, verifier_at: Option<u32>) -> Option<(TryCatch, Option<u32>)> {
    for tc in &f.try_catches {
        let in_try = |o: &u32| *o >= tc.try_start && *o < tc.try_end;
        let in_catch = |o: &u32| *o >= tc.catch_start && *o < tc.catch_end;
        let awaits_in_try = f.awaits.iter().filter(|o| in_try(o)).count();
        if verifier_at.is_some_and(|v| in_try(&v)) && awaits_in_try <= 1 {
            continue;
        }
        // Work handed to waitUntil/after already runs after the response was sent.
        let deferred = f.calls.iter().any(|c| {
            DEFERRERS.contains(&c.method.as_str()) && c.start < tc.try_start && tc.try_end <= c.end
        });
        if deferred {
            continue;
        }
        if f.throws.iter().any(in_catch) {
            continue;
        }
        if let Some((_, at)) = f.responses.iter().find(|(s, o)| in_catch(o) && is_2xx(*s)) {
            return Some((*tc, Some(*at)));
        }
        let returns =
            f.returns.iter().any(in_catch) || f.responses.iter().any(|(_, o)| in_catch(o));
        let later_ok = f
            .responses
            .iter()
            .any(|(s, o)| *o >= tc.catch_end && is_2xx(*s));
        if !returns && awaits_in_try > 0 && later_ok {
            return Some((*tc, None));
        }
    }
    None
}

fn base_name(callee: &str) -> &str {
    let first = callee.split('.').next().unwrap_or(callee);
    first.trim_end_matches("()")
}

pub fn check_route(route: &WebhookRoute) -> FileFinding {
    let rel = route.file.rel.as_str();
    let f = match &route.facts {
        Ok(f) => f,
        Err(e) => {
            return FileFinding::new(rel, Verdict::Error, format!("could not analyse: {e}"))
                .with_details(json!({ "error": e }));
        }
    };
    let verifier_at = route.verification.as_ref().map(|v| v.found.start);
    let deferred: Vec<String> = f
        .calls
        .iter()
        .filter(|c| DEFERRERS.contains(&c.method.as_str()))
        .map(|c| format!("{}() on line {}", c.callee, f.line(c.start)))
        .collect();
    let mut d = json!({ "file": route.decided_in, "deferred_with": deferred });
    if let Some((tc, response)) = swallowed(f, verifier_at) {
        let catch_line = f.line(tc.catch_start);
        d["catch_line"] = catch_line.into();
        d["response_line"] = response.map(|o| f.line(o)).into();
        let how = match response {
            Some(o) => format!("answers 2xx on line {}", f.line(o)),
            None => "logs and falls through to a 2xx".to_string(),
        };
        return FileFinding::new(
            rel,
            Verdict::Fail,
            format!(
                "exception swallowed: the catch on line {catch_line} {how} — the provider \
                 never retries and the event is lost"
            ),
        )
        .with_details(d)
        .with_remediation(
            "Let processing errors reach the provider: rethrow, or answer 500 from the catch \
             (keep 400 for bad signatures). Acknowledge with 2xx only once the work is done or \
             durably queued.",
        );
    }
    let dropped = f.unawaited.iter().find(|c| {
        let name = base_name(&c.callee);
        let lower = name.to_lowercase();
        !HARMLESS.contains(&name)
            && !HARMLESS.contains(&c.root.as_str())
            && !lower.contains("log")
            && SIDE_EFFECTS.iter().any(|p| lower.starts_with(p))
    });
    if let Some(c) = dropped {
        let line = f.line(c.start);
        d["unawaited_call"] = json!({ "call": c.callee, "line": line });
        return FileFinding::new(
            rel,
            Verdict::Warn,
            format!(
                "{}() on line {line} is not awaited: the 2xx may be sent (and the function \
                 frozen) before the work is done",
                c.callee
            ),
        )
        .with_details(d)
        .with_remediation(
            "Await the work before answering, or hand it to `waitUntil(…)` / `after(…)` or an \
             awaited queue enqueue so it survives the response.",
        );
    }
    FileFinding::new(
        rel,
        Verdict::Pass,
        if deferred.is_empty() {
            "no exception swallowed into a 2xx; side effects awaited".to_string()
        } else {
            format!("work deferred with {}", deferred.join(", "))
        },
    )
    .with_details(d)
}

/// `code.webhook-errors`: one finding per inbound webhook route file.
pub fn webhook_errors(cfg: &CodeConfig) -> Vec<FileFinding> {
    webhook_routes(cfg).iter().map(check_route).collect()
}
