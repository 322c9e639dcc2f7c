//! `code.webhook-idempotency` (warn level): does the webhook route store or check the
//! processed event id, so a redelivered event is not handled twice?
//!
//! The heuristic, honestly: we look for the event id (`event.id`, or an alias such as
//! `const eventId = event.id` / `const { id } = event`) appearing *inside the arguments*
//! of a call that looks like storage — a database/KV method (`create`, `insert`,
//! `upsert`, `findUnique`, `set`, `sadd`, …), an SQL tagged template (`sql\`…${event.id}\``),
//! or any call whose name mentions processed/idempotency/dedup. "The event" is any
//! binding assigned from a verifier call (`constructEvent`…) plus the usual names
//! `event`, `evt`, `stripeEvent`. We cannot see through helpers in other files that
//! receive the whole event (`await handleEvent(event)`), nor know that a unique index
//! exists: such code gets a `warn` it may not deserve, which is why this is warn level.

use serde_json::json;

use super::facts::Facts;
use super::resolve::resolve_import;
use super::routes::{WebhookRoute, webhook_routes};
use super::walk::{load, rel_path};
use super::{CodeConfig, FileFinding, Verdict};

const EVENT_NAMES: &[&str] = &["event", "evt", "stripeEvent", "webhookEvent"];
const VERIFIER_METHODS: &[&str] = &[
    "constructEvent",
    "constructEventAsync",
    "verify",
    "verifyWebhook",
];
/// Storage-looking method names (lower-cased).
const STORE_METHODS: &[&str] = &[
    "create",
    "createmany",
    "insert",
    "insertinto",
    "values",
    "upsert",
    "findunique",
    "findfirst",
    "findone",
    "findbyid",
    "exists",
    "get",
    "set",
    "setnx",
    "sadd",
    "sismember",
    "hset",
    "hsetnx",
    "put",
    "putitem",
    "query",
    "execute",
    "run",
    "sql",
    "eq",
    "add",
    "doc",
    "incr",
    "save",
    "update",
    "select",
    "count",
];
/// Callee fragments that signal an idempotency store (lower-cased).
const HINTS: &[&str] = &[
    "processed",
    "idempot",
    "dedup",
    "webhookevent",
    "stripeevent",
    "eventlog",
];
/// Calls that only log or respond; the id inside them is not "stored".
const NOT_STORAGE_ROOTS: &[&str] = &[
    "console",
    "logger",
    "log",
    "JSON",
    "NextResponse",
    "Response",
    "res",
];

fn event_names(f: &Facts) -> Vec<String> {
    let mut names: Vec<String> = EVENT_NAMES.iter().map(|s| (*s).to_string()).collect();
    names.extend(
        f.call_bindings
            .iter()
            .filter(|(_, m, _)| VERIFIER_METHODS.contains(&m.as_str()))
            .map(|(b, _, _)| b.clone()),
    );
    names
}

/// Offsets where the event id is used: `event.id` and references to its aliases.
fn id_uses(f: &Facts) -> Vec<u32> {
    let events = event_names(f);
    let aliases: Vec<&String> = f
        .id_aliases
        .iter()
        .filter(|(_, obj)| events.contains(obj))
        .map(|(alias, _)| alias)
        .collect();
    let mut uses: Vec<u32> = f
        .members
        .iter()
        .filter(|m| {
            matches!(m.property.as_str(), "id" | "eventId" | "event_id")
                && events.contains(&m.object)
        })
        .map(|m| m.start)
        .collect();
    uses.extend(
        f.idents
            .iter()
            .filter(|(n, _)| aliases.contains(&n))
            .map(|(_, s)| *s),
    );
    uses
}

/// The first storage-looking call that receives the event id.
fn store_call(f: &Facts) -> Option<&super::facts::CallFact> {
    let uses = id_uses(f);
    f.calls.iter().find(|c| {
        let callee = c.callee.to_lowercase();
        let method = c.method.to_lowercase();
        let storage_like =
            STORE_METHODS.contains(&method.as_str()) || HINTS.iter().any(|h| callee.contains(h));
        // Analytics calls carry the id too, but drop nothing.
        let analytics = ["track", "capture", "log"]
            .iter()
            .any(|w| callee.contains(w));
        storage_like
            && !analytics
            && !NOT_STORAGE_ROOTS.contains(&c.root.as_str())
            && uses.iter().any(|u| *u >= c.args_start && *u < c.end)
    })
}

/// A helper the route hands the whole event to (`await recordEvent(event)`) that stores
/// its id: (helper file, line).
fn helper_store(cfg: &CodeConfig, route: &WebhookRoute, f: &Facts) -> Option<(String, usize)> {
    let events = event_names(f);
    let from = cfg.root.join(&route.decided_in);
    for import in f.imports.iter().filter(|i| !i.type_only) {
        let hands_event = f.calls.iter().any(|c| {
            import.names.contains(&c.root)
                && f.idents
                    .iter()
                    .any(|(n, at)| events.contains(n) && *at >= c.args_start && *at < c.end)
        });
        if !hands_event {
            continue;
        }
        let Some(path) = resolve_import(&cfg.root, &from, &import.source) else {
            continue;
        };
        if let Ok(helper) = load(&path)
            && let Some(c) = store_call(&helper)
        {
            return Some((rel_path(&cfg.root, &path), helper.line(c.start)));
        }
    }
    None
}

pub fn check_route(cfg: &CodeConfig, route: &WebhookRoute) -> FileFinding {
    let rel = route.file.rel.as_str();
    let f = match &route.facts {
        Ok(f) => f,
        Err(e) => {
            return FileFinding::new(rel, Verdict::Error, format!("could not analyse: {e}"))
                .with_details(json!({ "error": e }));
        }
    };
    let uses = id_uses(f);
    let store = store_call(f);
    if store.is_none()
        && let Some((file, line)) = helper_store(cfg, route, f)
    {
        return FileFinding::new(
            rel,
            Verdict::Pass,
            format!("event id recorded by a helper ({file}, line {line})"),
        )
        .with_details(
            json!({ "stored_by": { "file": file, "line": line }, "file": route.decided_in }),
        );
    }
    // `deduplicationId: event.id` / `idempotencyKey: …`: a queue or API that drops
    // repeats keyed on the event id.
    let dedup_key = uses
        .iter()
        .find(|u| f.dedup_values.iter().any(|(s, e)| **u >= *s && **u < *e));
    if store.is_none()
        && let Some(at) = dedup_key
    {
        let line = f.line(*at);
        return FileFinding::new(
            rel,
            Verdict::Pass,
            format!("event id used as a deduplication key on line {line}"),
        )
        .with_details(json!({ "dedup_key_line": line, "file": route.decided_in }));
    }
    let lines: Vec<usize> = uses.iter().map(|u| f.line(*u)).collect();
    let d = json!({
        "event_id_lines": lines,
        "stored_by": store.map(|c| json!({ "call": c.callee, "line": f.line(c.start) })),
        "file": route.decided_in,
        "heuristic": "event id passed to a storage-looking call or used as a dedup key",
    });
    match store {
        Some(c) => FileFinding::new(
            rel,
            Verdict::Pass,
            format!(
                "event id recorded via {}() on line {}",
                c.callee,
                f.line(c.start)
            ),
        )
        .with_details(d),
        None => FileFinding::new(
            rel,
            Verdict::Warn,
            if uses.is_empty() {
                "no sign that processed event ids are stored or checked".to_string()
            } else {
                "event.id is read but never stored or checked in a database call".to_string()
            },
        )
        .with_details(d)
        .with_remediation(
            "Providers retry and may deliver an event twice: record event.id (e.g. a \
             processed_events table with a unique key, `upsert`/`insert … on conflict do \
             nothing`) and skip events already processed.",
        ),
    }
}

/// `code.webhook-idempotency`: one finding per webhook route file.
pub fn webhook_idempotency(cfg: &CodeConfig) -> Vec<FileFinding> {
    webhook_routes(cfg)
        .iter()
        .map(|r| check_route(cfg, r))
        .collect()
}
