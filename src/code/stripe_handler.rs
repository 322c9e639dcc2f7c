//! A Stripe webhook's handler as `stripe.handled-events` reads it: the route file
//! Next.js routes the webhook's path to, the event types that route (or the helpers
//! it calls, a few imports away) handles, and whether the app sells subscriptions.

use std::path::{Path, PathBuf};

use super::CodeConfig;
use super::modules::Modules;
use super::route_map::{RouteMatch, route_for_path};
use super::stripe_events::{HandledEvents, handled_events};
use super::walk::{read_source, source_files};

/// Helper modules followed from the route when it names no event type itself.
const MAX_FOLLOW_DEPTH: usize = 2;
/// Files read when looking for subscription code (a cheap text filter goes first).
const MAX_SUBSCRIPTION_FILES: usize = 2_000;

#[derive(Debug, Clone)]
pub struct StripeHandler {
    pub route: RouteMatch,
    /// The files whose code named the types (the route first).
    pub read: Vec<String>,
    pub events: HandledEvents,
    /// Where the app creates or reads subscriptions (`file: what`), if it does.
    pub subscriptions: Option<String>,
}

/// The handler serving `url_path` under `cfg.root`; `Err` says why it cannot be read.
pub fn stripe_handler(cfg: &CodeConfig, url_path: &str) -> Result<StripeHandler, String> {
    let route = route_for_path(&cfg.root, url_path)
        .ok_or_else(|| format!("no route under code.root serves {url_path} (App Router app/**/route.ts, Pages Router pages/api/**, basePath and rewrites of next.config considered)"))?;
    let mut m = Modules::new(cfg);
    let mut read = vec![route.file.rel.clone()];
    let mut read_abs = vec![route.file.abs.clone()];
    let mut events =
        handled_events(&route.file.abs).map_err(|e| format!("{}: {e}", route.file.rel))?;
    if events.handled.is_empty() {
        let mut frontier = vec![route.file.abs.clone()];
        let mut seen: Vec<PathBuf> = frontier.clone();
        for _ in 0..MAX_FOLLOW_DEPTH {
            let mut next = Vec::new();
            for path in &frontier {
                for child in called(&mut m, path) {
                    if seen.contains(&child) {
                        continue;
                    }
                    seen.push(child.clone());
                    if let Ok(found) = handled_events(&child)
                        && (!found.handled.is_empty() || found.refusal.is_some())
                    {
                        read.push(m.rel(&child));
                        read_abs.push(child.clone());
                        events.merge(found);
                    }
                    next.push(child);
                }
            }
            if !events.handled.is_empty() {
                break;
            }
            frontier = next;
        }
    }
    resolve_spreads(&mut m, &read_abs, &mut events);
    Ok(StripeHandler {
        route,
        read,
        events,
        subscriptions: subscription_code(cfg),
    })
}

/// `[...refundEvents]` where `refundEvents` is imported: read the list from the
/// module it comes from. What cannot be read stays in `unresolved`.
fn resolve_spreads(m: &mut Modules<'_>, files: &[PathBuf], events: &mut HandledEvents) {
    for name in std::mem::take(&mut events.unresolved) {
        let found = files.iter().find_map(|file| {
            let facts = m.facts(file);
            let f = facts.as_ref().as_ref().ok()?;
            let import = f.imports.iter().find(|i| i.names.contains(&name))?;
            let child = m.resolve(file, &import.source)?;
            handled_events(&child).ok()?.lists.get(&name).cloned()
        });
        match found {
            Some(types) => {
                for t in types {
                    events.handled.entry(t).or_insert(0);
                }
            }
            None => events.unresolved.push(name),
        }
    }
}

fn called(m: &mut Modules<'_>, path: &Path) -> Vec<PathBuf> {
    let facts = m.facts(path);
    match facts.as_ref() {
        Ok(f) => m
            .called_imports(path, f)
            .into_iter()
            .map(|(_, p)| p)
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// `stripe.subscriptions.*` calls, or a Checkout Session created in
/// `mode: 'subscription'`: the app sells subscriptions.
fn subscription_code(cfg: &CodeConfig) -> Option<String> {
    let mut m = Modules::new(cfg);
    for file in source_files(&cfg.root)
        .files
        .into_iter()
        .take(MAX_SUBSCRIPTION_FILES)
    {
        let Ok(text) = read_source(&file.abs) else {
            continue;
        };
        if !text.contains("subscription") {
            continue;
        }
        let facts = m.facts(&file.abs);
        let Ok(f) = facts.as_ref() else { continue };
        if let Some(c) = f
            .calls
            .iter()
            .find(|c| c.callee.contains(".subscriptions."))
        {
            return Some(format!("{}: {}()", file.rel, c.callee));
        }
        let checkout = f
            .calls
            .iter()
            .find(|c| c.callee.ends_with("checkout.sessions.create"));
        if let Some(c) = checkout
            && f.strings.iter().any(|s| s == "subscription")
        {
            return Some(format!(
                "{}: {}({{ mode: 'subscription' }})",
                file.rel, c.callee
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_helper_gate_list_with_an_imported_spread_is_read_through() {
        let dir = tempfile::tempdir().unwrap();
        let files = [
            (
                "app/api/stripe/webhook/route.ts",
                "import { processEvent } from './controller';\nexport async function POST(req: Request) { const event = await verify(req); await processEvent(event); return new Response('ok'); }\n",
            ),
            (
                "app/api/stripe/webhook/controller.ts",
                "import { refundEvents } from '../../../../lib/refunds';\nconst allowed = ['invoice.paid', ...refundEvents];\nexport async function processEvent(event) {\n  if (!allowed.includes(event.type)) return;\n  await sync(event);\n}\n",
            ),
            (
                "lib/refunds.ts",
                "export const refundEvents = ['refund.created', 'refund.failed'] as const;\n",
            ),
        ];
        for (rel, text) in files {
            let p = dir.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let h = stripe_handler(&CodeConfig::new(dir.path()), "/api/stripe/webhook").unwrap();
        let handled: Vec<&str> = h.events.handled.keys().map(String::as_str).collect();
        assert_eq!(handled, ["invoice.paid", "refund.created", "refund.failed"]);
        assert!(h.events.unresolved.is_empty());
        assert_eq!(h.read.len(), 2);
        assert!(h.subscriptions.is_none());
    }
}
