//! The fake's HTTP surface: authentication by Bearer key, the account's behaviour,
//! list pages and Stripe's error envelope.

use std::sync::atomic::Ordering;

use serde_json::{Value, json};

use super::{Account, Behaviour, Event, KeyMatch};
use crate::sandbox::web::{Req, Resp};

pub(super) fn answer(accounts: &[(KeyMatch, Account)], req: &Req) -> Resp {
    let Some(key) = req
        .header("authorization")
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::trim)
    else {
        return error(
            401,
            "invalid_request_error",
            None,
            "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
        );
    };
    let Some((_, account)) = accounts.iter().find(|(m, _)| m.matches(key)) else {
        let message = format!("Invalid API Key provided: {}", starred(key));
        return error(401, "invalid_request_error", None, &message);
    };
    account.requests.fetch_add(1, Ordering::SeqCst);
    if req.method != "GET" {
        return error(405, "invalid_request_error", None, "The fake is read-only.");
    }
    let resp = match &account.behaviour {
        Behaviour::Deny(path) if *path == req.path => {
            let message = format!("The provided key '{}' does not have the required permissions for this endpoint on account 'acct_1Fake0000000001'. Having the '{}' permission would allow this request to continue.", starred(key), rak_of(path));
            error(403, "invalid_request_error", None, &message)
        }
        Behaviour::RateLimited(n) if account.requests.load(Ordering::SeqCst) <= *n => error(
            429,
            "invalid_request_error",
            Some("rate_limit"),
            "Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.",
        )
        .header("retry-after", "1"),
        Behaviour::ServerError(status) => error(
            *status,
            "api_error",
            None,
            "An unknown error occurred",
        ),
        Behaviour::Garbage => Resp::html("<html><body>502 Bad Gateway</body></html>"),
        _ => list(account, req),
    };
    match &account.behaviour {
        Behaviour::Slow(d) => resp.delay(*d),
        _ => resp,
    }
}

fn list(account: &Account, req: &Req) -> Resp {
    let items: Vec<(String, Value)> = match req.path.as_str() {
        "/v1/webhook_endpoints" => account
            .endpoints
            .iter()
            .map(|e| (e.id.clone(), e.to_json(account.livemode)))
            .collect(),
        "/v1/events" => {
            let mut events: Vec<&Event> = account
                .events
                .iter()
                .filter(|e| event_matches(e, req))
                .collect();
            // Newest first, as Stripe lists them.
            events.sort_by_key(|e| std::cmp::Reverse(e.created));
            events
                .into_iter()
                .map(|e| (e.id.clone(), e.to_json(account.livemode)))
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
        .map(|(_, v)| v.clone())
        .collect();
    let has_more = start + page.len() < items.len();
    Resp::json(
        200,
        &json!({ "object": "list", "url": req.path, "has_more": has_more, "data": page }),
    )
}

fn event_matches(e: &Event, req: &Req) -> bool {
    let num = |name: &str| req.query_param(name).and_then(|v| v.parse::<i64>().ok());
    let delivery_ok = match req.query_param("delivery_success").as_deref() {
        Some("false") => e.unsuccessful(),
        Some("true") => !e.unsuccessful(),
        _ => true,
    };
    let type_ok = match req.query_param("type") {
        Some(t) => match t.strip_suffix('*') {
            Some(prefix) => e.kind.starts_with(prefix),
            None => e.kind == t,
        },
        None => true,
    };
    delivery_ok
        && type_ok
        && num("created[gte]").is_none_or(|t| e.created >= t)
        && num("created[gt]").is_none_or(|t| e.created > t)
        && num("created[lte]").is_none_or(|t| e.created <= t)
        && num("created[lt]").is_none_or(|t| e.created < t)
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
