//! Event evidence for reports: ids, types and times (RFC 3339) — never payloads —
//! and the busiest window of failures.

use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::evidence::stripe::Event;

/// Events listed in `details`; the count is always complete.
pub(crate) const MAX_LISTED: usize = 50;

pub(crate) fn rfc3339(unix: i64) -> String {
    OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| unix.to_string())
}

pub(crate) fn event_json(e: &Event) -> Value {
    json!({
        "id": e.id,
        "type": e.kind,
        "created": rfc3339(e.created),
        "pending_webhooks": e.pending_webhooks,
    })
}

/// Newest first, at most [`MAX_LISTED`].
pub(crate) fn listed(events: &[&Event]) -> Value {
    let mut sorted: Vec<&&Event> = events.iter().collect();
    sorted.sort_by_key(|e| std::cmp::Reverse(e.created));
    Value::Array(
        sorted
            .into_iter()
            .take(MAX_LISTED)
            .map(|e| event_json(e))
            .collect(),
    )
}

/// Count per event type, sorted by type.
pub(crate) fn by_type(events: &[&Event]) -> Value {
    let mut counts = std::collections::BTreeMap::<&str, usize>::new();
    for e in events {
        *counts.entry(e.kind.as_str()).or_default() += 1;
    }
    json!(counts)
}

/// The window of `span_secs` (half-open: `[start, start + span)`) holding the most
/// events, as the events inside it, oldest first. Empty for no events.
pub(crate) fn busiest_window<'a>(events: &[&'a Event], span_secs: i64) -> Vec<&'a Event> {
    let mut sorted: Vec<&Event> = events.to_vec();
    sorted.sort_by_key(|e| (e.created, e.id.clone()));
    let mut best = (0, 0);
    let mut end = 0;
    for start in 0..sorted.len() {
        end = end.max(start);
        while end < sorted.len() && sorted[end].created - sorted[start].created < span_secs {
            end += 1;
        }
        if end - start > best.1 - best.0 {
            best = (start, end);
        }
    }
    sorted[best.0..best.1].to_vec()
}

/// "2 h 5 min" style ages.
pub(crate) fn age(secs: i64) -> String {
    let mins = secs.max(0) / 60;
    match (mins / 60, mins % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(id: &str, created: i64) -> Event {
        Event {
            id: id.to_owned(),
            kind: "invoice.paid".to_owned(),
            created,
            livemode: true,
            pending_webhooks: 0,
        }
    }

    #[test]
    fn busiest_window_is_half_open() {
        let events = [
            ev("a", 0),
            ev("b", 100),
            ev("c", 599),
            ev("d", 600),
            ev("e", 5000),
        ];
        let refs: Vec<&Event> = events.iter().collect();
        let ids: Vec<&str> = busiest_window(&refs, 600)
            .iter()
            .map(|e| e.id.as_str())
            .collect();
        assert_eq!(ids, ["a", "b", "c"]);
        assert!(busiest_window(&[], 600).is_empty());
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(age(3 * 3600 + 300), "3 h 5 min");
    }
}
