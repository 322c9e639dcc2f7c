//! `code.logging` (warn level): server code that writes whole webhook events, request
//! bodies or headers, or secret env values to its logs (`console.*`, pino/winston-style
//! `logger.*`). Logs are kept for weeks, shipped to third parties and read by many:
//! events carry customer emails and addresses, headers carry signatures and cookies.
//! Logging ids and types (`event.id`, `event.type`) is fine and is what we suggest.
//!
//! Looked at: every route handler file and `'use server'` module. A result is given for
//! each inbound webhook route (pass or warn) and for any other file that logs such data.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::facts::Facts;
use super::routes::{route_kind, webhook_routes};
use super::verify::request_names;
use super::walk::{load, source_files};
use super::{CodeConfig, FileFinding, Verdict};

const LEVELS: &[&str] = &["log", "info", "warn", "error", "debug", "trace", "fatal"];
const LOGGERS: &[&str] = &["console", "logger", "log", "pino", "winston"];
/// Names a whole webhook event or body usually goes by.
const WHOLE: &[&str] = &[
    "event",
    "evt",
    "payload",
    "webhookEvent",
    "stripeEvent",
    "rawBody",
];
/// Bindings from these calls hold a whole event or body.
const WHOLE_SOURCES: &[&str] = &[
    "constructEvent",
    "constructEventAsync",
    "verify",
    "json",
    "text",
    "formData",
    "arrayBuffer",
];

fn is_log_call(callee: &str, method: &str) -> bool {
    LEVELS.contains(&method)
        && callee
            .split('.')
            .rev()
            .skip(1)
            .any(|seg| LOGGERS.contains(&seg.to_lowercase().as_str()))
}

/// What one file logs that it should not: (line, what) pairs.
pub fn offending_logs(cfg: &CodeConfig, f: &Facts) -> Vec<(usize, String)> {
    let mut whole: Vec<String> = WHOLE.iter().map(|s| (*s).to_string()).collect();
    whole.extend(
        f.call_bindings
            .iter()
            .filter(|(_, m, _)| WHOLE_SOURCES.contains(&m.as_str()))
            .map(|(b, _, _)| b.clone()),
    );
    let reqs = request_names(f);
    let mut out = Vec::new();
    for c in f.calls.iter().filter(|c| is_log_call(&c.callee, &c.method)) {
        let inside = |at: u32| at >= c.args_start && at < c.end;
        let line = f.line(c.start);
        // A bare reference (not `event.type`): the whole object goes to the log.
        let bare = f.idents.iter().find(|(n, at)| {
            inside(*at)
                && whole.contains(n)
                && !f.members.iter().any(|m| m.start == *at && &m.object == n)
        });
        if let Some((n, _)) = bare {
            out.push((line, format!("the whole `{n}`")));
            continue;
        }
        let req_part = f.members.iter().find(|m| {
            inside(m.start)
                && reqs.contains(&m.object)
                && matches!(m.property.as_str(), "body" | "headers")
                && !f.calls.iter().any(|k| {
                    k.start == m.start
                        && k.callee
                            .starts_with(&format!("{}.{}.", m.object, m.property))
                })
        });
        if let Some(m) = req_part {
            out.push((
                line,
                format!("request {} (`{}.{}`)", m.property, m.object, m.property),
            ));
            continue;
        }
        let secret = f
            .env_reads
            .iter()
            .find(|r| inside(r.start) && !cfg.is_public_var(&r.name))
            .map(|r| r.name.clone())
            .or_else(|| {
                f.members
                    .iter()
                    .find(|m| {
                        inside(m.start) && m.object == "env" && !cfg.is_public_var(&m.property)
                    })
                    .map(|m| m.property.clone())
            });
        if let Some(name) = secret {
            out.push((line, format!("the value of env var {name}")));
        }
    }
    out
}

fn finding(cfg: &CodeConfig, rel: &str, f: &Facts) -> FileFinding {
    let found = offending_logs(cfg, f);
    let list: Vec<Value> = found
        .iter()
        .map(|(line, what)| json!({ "line": line, "logs": what }))
        .collect();
    let d = json!({ "findings": list });
    match found.first() {
        None => FileFinding::new(
            rel,
            Verdict::Pass,
            "logs no whole events, bodies, headers or secrets",
        )
        .with_details(d),
        Some((line, what)) => FileFinding::new(
            rel,
            Verdict::Warn,
            format!(
                "line {line} logs {what}{}",
                if found.len() > 1 {
                    format!(" (and {} more)", found.len() - 1)
                } else {
                    String::new()
                }
            ),
        )
        .with_details(d)
        .with_remediation(
            "Log identifiers and types only (event.id, event.type, a request id); never the \
             whole event, request body, headers or env values.",
        ),
    }
}

/// `code.logging`: a result per inbound webhook route, plus a warn for any other route
/// handler or `'use server'` module that logs what it should not.
pub fn logging(cfg: &CodeConfig) -> Vec<FileFinding> {
    let mut out: BTreeMap<String, FileFinding> = BTreeMap::new();
    for route in webhook_routes(cfg) {
        let finding = match &route.facts {
            Ok(f) => finding(cfg, &route.file.rel, f),
            Err(e) => FileFinding::new(
                &route.file.rel,
                Verdict::Error,
                format!("could not analyse: {e}"),
            ),
        };
        out.insert(route.file.rel.clone(), finding);
    }
    for file in source_files(&cfg.root).files {
        if out.contains_key(&file.rel) {
            continue;
        }
        let is_route = route_kind(&file.rel).is_some();
        if !is_route && !std::fs::read_to_string(&file.abs).is_ok_and(|t| t.contains("use server"))
        {
            continue;
        }
        let Ok(f) = load(&file.abs) else { continue };
        if !is_route && !f.has_directive("use server") {
            continue;
        }
        let finding = finding(cfg, &file.rel, &f);
        if finding.verdict == Verdict::Warn {
            out.insert(file.rel.clone(), finding);
        }
    }
    out.into_values().collect()
}
