//! The fake's HTTP surface: authentication by Bearer key, the account's behaviour,
//! list pages and Stripe's error envelope.

use std::sync::atomic::Ordering;

use serde_json::{Value, json};

use super::{Account, Event, KeyMatch};
use crate::sandbox::api_fake::Scripted;
use crate::sandbox::web::{Req, Resp};

/// The query parameters Stripe knows on each list (anything else is 400
/// `parameter_unknown`, as on Stripe).
pub(super) const ENDPOINT_PARAMS: &[&str] =
    &["limit", "starting_after", "ending_before", "expand[]"];
pub(super) const EVENT_PARAMS: &[&str] = &[
    "limit",
    "starting_after",
    "ending_before",
    "expand[]",
    "created",
    "delivery_success",
    "type",
    "types[]",
];

pub(super) const CUSTOMER_PARAMS: &[&str] = &["expand[]"];

/// Stripe's error envelope: `type` by status, `code` where Stripe sets one.
pub(super) fn stripe_error(status: u16, code: &str, message: &str) -> Value {
    let kind = if status >= 500 {
        "api_error"
    } else {
        "invalid_request_error"
    };
    let mut body = json!({ "type": kind, "message": message });
    if matches!(
        code,
        "rate_limit"
            | "parameter_unknown"
            | "resource_missing"
            | "parameter_invalid_integer"
            | "lock_timeout"
    ) {
        body["code"] = json!(code);
        body["doc_url"] = json!(format!(
            "https://stripe.com/docs/error-codes/{}",
            code.replace('_', "-")
        ));
    }
    json!({ "error": body })
}

fn bearer(req: &Req) -> Option<&str> {
    req.header("authorization")
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::trim)
}

/// Stripe's 401: no key, or an unknown one echoed starred.
pub(super) fn unauthorized(req: &Req) -> Resp {
    match bearer(req) {
        None => error(
            401,
            "invalid_request_error",
            None,
            "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
        ),
        Some(key) => {
            let message = format!("Invalid API Key provided: {}", starred(key));
            error(401, "invalid_request_error", None, &message)
        }
    }
}

pub(super) fn answer(accounts: &[(KeyMatch, Account)], req: &Req) -> Resp {
    let Some((_, account)) =
        bearer(req).and_then(|key| accounts.iter().find(|(m, _)| m.matches(key)))
    else {
        return unauthorized(req);
    };
    account.requests.fetch_add(1, Ordering::SeqCst);
    if account.denied == Some(req.path.as_str()) {
        let message = format!(
            "The provided key '{}' does not have the required permissions for this endpoint on account 'acct_1Fake0000000001'. Having the '{}' permission would allow this request to continue.",
            starred(bearer(req).unwrap_or_default()),
            rak_of(&req.path)
        );
        return error(403, "invalid_request_error", None, &message);
    }
    match account.script.apply(req, stripe_error) {
        Some(Scripted::Replace(resp)) => resp,
        Some(Scripted::Delay(d)) => list(account, req).delay(d),
        None => list(account, req),
    }
}

/// One list page. Objects are serialised for the page only (a real-sized event is
/// ~20 KB of JSON), pretty-printed as Stripe sends them.
fn list(account: &Account, req: &Req) -> Resp {
    if let Some(id) = req.path.strip_prefix("/v1/customers/") {
        return customer(account, id);
    }
    enum Item<'a> {
        Endpoint(&'a super::Endpoint),
        Event(&'a Event),
    }
    let items: Vec<(&str, Item)> = match req.path.as_str() {
        "/v1/webhook_endpoints" => account
            .endpoints
            .iter()
            .map(|e| (e.id.as_str(), Item::Endpoint(e)))
            .collect(),
        "/v1/events" => {
            let filter = EventFilter::of(req);
            let mut events: Vec<&Event> = account
                .events
                .iter()
                .filter(|e| filter.matches(e))
                .collect();
            // Newest first, as Stripe lists them.
            events.sort_by_key(|e| std::cmp::Reverse(e.created));
            events
                .into_iter()
                .map(|e| (e.id.as_str(), Item::Event(e)))
                .collect()
        }
        other => {
            let message = format!("Unrecognized request URL (GET: {other}).");
            return error(404, "invalid_request_error", None, &message);
        }
    };
    let limit = match req.query_param("limit").map(|l| l.parse::<usize>()) {
        None => 10,
        Some(Ok(l)) if (1..=100).contains(&l) => l,
        Some(_) => {
            return error(
                400,
                "invalid_request_error",
                Some("parameter_invalid_integer"),
                "Invalid limit: must be an integer between 1 and 100",
            );
        }
    };
    let start = match req.query_param("starting_after") {
        None => 0,
        Some(id) => match items.iter().position(|(i, _)| *i == id) {
            Some(p) => p + 1,
            None => {
                let message = format!("No such object: '{id}'");
                return error(
                    400,
                    "invalid_request_error",
                    Some("resource_missing"),
                    &message,
                );
            }
        },
    };
    let page: Vec<Value> = items
        .iter()
        .skip(start)
        .take(limit)
        .map(|(_, item)| match item {
            Item::Endpoint(e) => e.to_json(account.livemode),
            Item::Event(e) => e.to_json(account.livemode),
        })
        .collect();
    let has_more = start + page.len() < items.len();
    let body = json!({ "object": "list", "data": page, "has_more": has_more, "url": req.path });
    Resp::new(200)
        .header("content-type", "application/json")
        .header("request-id", "req_fake")
        .body(serde_json::to_vec_pretty(&body).unwrap_or_default())
}

/// The event filters of one request, parsed once (an account can hold thousands
/// of events).
struct EventFilter {
    delivery_success: Option<bool>,
    kind: Option<String>,
    types: Vec<String>,
    created: [Option<i64>; 4],
}

impl EventFilter {
    fn of(req: &Req) -> Self {
        let num = |name: &str| req.query_param(name).and_then(|v| v.parse::<i64>().ok());
        Self {
            delivery_success: match req.query_param("delivery_success").as_deref() {
                Some("false") => Some(false),
                Some("true") => Some(true),
                _ => None,
            },
            kind: req.query_param("type"),
            types: url::form_urlencoded::parse(req.query.as_bytes())
                .filter(|(k, _)| k.starts_with("types["))
                .map(|(_, v)| v.into_owned())
                .collect(),
            created: [
                num("created[gte]"),
                num("created[gt]"),
                num("created[lte]"),
                num("created[lt]"),
            ],
        }
    }

    fn matches(&self, e: &Event) -> bool {
        let kind_is = |t: &str| match t.strip_suffix('*') {
            Some(prefix) => e.kind.starts_with(prefix),
            None => e.kind == t,
        };
        let [gte, gt, lte, lt] = self.created;
        self.delivery_success
            .is_none_or(|ok| ok != e.unsuccessful())
            && self.kind.as_deref().is_none_or(kind_is)
            && (self.types.is_empty() || self.types.iter().any(|t| kind_is(t)))
            && gte.is_none_or(|t| e.created >= t)
            && gt.is_none_or(|t| e.created > t)
            && lte.is_none_or(|t| e.created <= t)
            && lt.is_none_or(|t| e.created < t)
    }
}

/// Stripe's error envelope.
fn error(status: u16, kind: &str, code: Option<&str>, message: &str) -> Resp {
    let mut body = json!({ "type": kind, "message": message });
    if let Some(code) = code {
        body["code"] = json!(code);
    }
    Resp::json(status, &json!({ "error": body }))
}

/// How Stripe echoes a key: the prefix, stars, and the last four characters.
fn starred(key: &str) -> String {
    let prefix_len = key
        .find('_')
        .and_then(|i| key[i + 1..].find('_').map(|j| i + j + 2));
    let prefix = prefix_len.and_then(|n| key.get(..n)).unwrap_or("");
    let tail: String = key
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let stars = key
        .chars()
        .count()
        .saturating_sub(prefix.chars().count() + 4);
    format!("{prefix}{}{tail}", "*".repeat(stars))
}

fn rak_of(path: &str) -> &'static str {
    match path {
        "/v1/webhook_endpoints" => "rak_webhook_read",
        "/v1/events" => "rak_event_read",
        _ => "rak_read",
    }
}

/// `GET /v1/customers/{id}`: the customer object's shape (the fields a reader uses,
/// with Stripe's nullable neighbours).
fn customer(account: &Account, id: &str) -> Resp {
    let Some((id, email)) = account.customers.iter().find(|(c, _)| c == id) else {
        let message = format!("No such customer: '{id}'");
        return error(
            404,
            "invalid_request_error",
            Some("resource_missing"),
            &message,
        );
    };
    let body = json!({
        "id": id,
        "object": "customer",
        "address": null,
        "balance": 0,
        "created": 1_700_000_000,
        "currency": "usd",
        "default_source": null,
        "delinquent": false,
        "description": null,
        "discount": null,
        "email": email,
        "invoice_prefix": "0F1A2B3C",
        "invoice_settings": { "custom_fields": null, "default_payment_method": null,
                              "footer": null, "rendering_options": null },
        "livemode": account.livemode,
        "metadata": {},
        "name": null,
        "phone": null,
        "preferred_locales": [],
        "shipping": null,
        "tax_exempt": "none",
        "test_clock": null,
    });
    Resp::new(200)
        .header("content-type", "application/json")
        .header("request-id", "req_fake")
        .body(serde_json::to_vec_pretty(&body).unwrap_or_default())
}
