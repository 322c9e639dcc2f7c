//! Which endpoints an undelivered event concerns. Stripe reports delivery per
//! event (`pending_webhooks`, `delivery_success=false`), across every endpoint that
//! receives its type, never per endpoint: a forgotten staging endpoint failing
//! makes the events look undelivered while the app's own endpoint got them. So an
//! event counts against the manifest's webhooks only when one of their endpoints
//! receives its type (SPEC §7 "Stripe deliveries"); the others are named instead.

use serde_json::{Value, json};

use super::matching;
use crate::context::Context;
use crate::evidence::stripe::{Event, WebhookEndpoint};

pub(crate) const PER_EVENT_NOTE: &str = "Stripe reports delivery per event, not per endpoint: an event counts as undelivered when any endpoint receiving its type has not acknowledged it; the candidate endpoints are those enabled and subscribed to its type (or *).";

pub(crate) const CONNECT_NOTE: &str = "is a Connect endpoint: it receives connected accounts' events, which the platform's event list (GET /v1/events) does not include, so its deliveries are not judged here";

/// The account's endpoints, and those registered for the manifest's Stripe webhooks
/// (at the exact URL, else a near miss: Stripe posts there, and stripe.endpoint
/// names the difference).
pub(crate) struct Scope<'a> {
    all: &'a [WebhookEndpoint],
    manifest: Vec<&'a WebhookEndpoint>,
}

/// Whether Stripe sends the platform's events of `kind` to `e`. Connect endpoints
/// get connected accounts' events, which the platform's listing does not hold.
pub(crate) fn receives(e: &WebhookEndpoint, kind: &str) -> bool {
    e.is_enabled()
        && e.application.is_none()
        && e.enabled_events.iter().any(|t| t == "*" || t == kind)
}

impl<'a> Scope<'a> {
    pub(crate) fn new(cx: &Context, all: &'a [WebhookEndpoint]) -> Self {
        let mut manifest: Vec<&WebhookEndpoint> = Vec::new();
        for webhook in super::stripe_webhooks(cx) {
            let found = matching::find(&webhook.url.0, all);
            let mine: Vec<&WebhookEndpoint> = if found.exact.is_empty() {
                found.near.iter().map(|(e, _)| *e).collect()
            } else {
                found.exact
            };
            for e in mine {
                if !manifest.iter().any(|m| m.id == e.id) {
                    manifest.push(e);
                }
            }
        }
        Self { all, manifest }
    }

    /// Whether an enabled manifest endpoint receives events of `kind`.
    pub(crate) fn is_ours(&self, kind: &str) -> bool {
        self.manifest.iter().any(|e| receives(e, kind))
    }

    /// The events an enabled manifest endpoint receives, and the rest.
    pub(crate) fn split<'e>(&self, events: &[&'e Event]) -> (Vec<&'e Event>, Vec<&'e Event>) {
        events.iter().partition(|e| self.is_ours(&e.kind))
    }

    /// The endpoints, not the manifest's, that receive any of these events' types.
    pub(crate) fn others_for(&self, events: &[&Event]) -> Vec<&'a WebhookEndpoint> {
        self.all
            .iter()
            .filter(|e| !self.manifest.iter().any(|m| m.id == e.id))
            .filter(|e| events.iter().any(|ev| receives(e, &ev.kind)))
            .collect()
    }

    /// "we_1 (https://…), we_2 (https://…)", or what to say when none receives them.
    pub(crate) fn name_others(&self, events: &[&Event]) -> String {
        let others = self.others_for(events);
        if others.is_empty() {
            return "no enabled endpoint receives their types now".to_owned();
        }
        let named: Vec<String> = others
            .iter()
            .map(|e| format!("{} ({})", e.id, e.url))
            .collect();
        format!(
            "only other endpoints receive their types: {}",
            named.join(", ")
        )
    }

    /// The candidate endpoints of these events and the per-event caveat, for details.
    pub(crate) fn details(&self, events: &[&Event]) -> Value {
        let candidates: Vec<Value> = self
            .all
            .iter()
            .filter(|e| events.iter().any(|ev| receives(e, &ev.kind)))
            .map(|e| {
                let mut types: Vec<&str> = events
                    .iter()
                    .filter(|ev| receives(e, &ev.kind))
                    .map(|ev| ev.kind.as_str())
                    .collect();
                types.sort_unstable();
                types.dedup();
                json!({
                    "id": e.id,
                    "url": e.url,
                    "manifest": self.manifest.iter().any(|m| m.id == e.id),
                    "types": types,
                })
            })
            .collect();
        json!({
            "manifest_endpoints": self.manifest.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
            "candidate_endpoints": candidates,
            "note": PER_EVENT_NOTE,
        })
    }

    /// "Endpoint we_x is a Connect endpoint: …" for each manifest endpoint that is one.
    pub(crate) fn connect_notes(&self) -> Vec<String> {
        self.manifest
            .iter()
            .filter(|e| e.application.is_some())
            .map(|e| format!("endpoint {} {CONNECT_NOTE}", e.id))
            .collect()
    }
}

impl Scope<'_> {
    /// What `stripe.deliveries` and `stripe.pending` add to their details once they
    /// have events to attribute: the candidate endpoints, the per-event caveat, the
    /// Connect notes and where a listing stopped.
    pub(crate) fn attribute(
        &self,
        details: &mut Value,
        events: &[&Event],
        stopped: Option<&impl std::fmt::Display>,
    ) {
        merge(details, self.details(events));
        let connect = self.connect_notes();
        if !connect.is_empty() {
            details["connect"] = json!(connect);
        }
        if let Some(stop) = stopped {
            details["listing_stopped"] = json!(stop.to_string());
        }
    }
}

/// A pass with nothing to attribute: the endpoint list only adds the Connect note,
/// so a list that could not be read leaves the summary as it is. Returns the
/// summary (with the first note) and every note, for details.
pub(crate) fn with_connect_note(
    cx: &Context,
    endpoints: &crate::evidence::Got<Vec<WebhookEndpoint>>,
    summary: String,
) -> (String, Vec<String>) {
    let connect = match endpoints {
        Ok(all) => Scope::new(cx, all).connect_notes(),
        Err(_) => Vec::new(),
    };
    let summary = match connect.first() {
        Some(note) => format!("{summary} ({note})"),
        None => summary,
    };
    (summary, connect)
}

/// "event" or "events".
pub(crate) fn events_word(n: usize) -> &'static str {
    if n == 1 { "event" } else { "events" }
}

/// Copy the scope's details into a result's details object.
pub(crate) fn merge(details: &mut Value, extra: Value) {
    if let (Some(d), Value::Object(extra)) = (details.as_object_mut(), extra) {
        d.extend(extra);
    }
}
