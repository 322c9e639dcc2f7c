//! HubSpot, the first CRM behind `crm.stripe-sync`: contacts found in batches through
//! the CRM search API (`POST /crm/v3/objects/contacts/search`), never one request per
//! customer.
//!
//! Limits respected (HubSpot's search documentation and `@hubspot/api-client` types):
//! at most 5 filter groups of which each is one `IN` filter (OR between groups), 100
//! values per `IN`, pages of at most 100 results followed by `paging.next.after`, at
//! most 10,000 results per query (asking past that is a 400), and about 5 search
//! requests per second per account: searches are paced and a 429 is retried by the
//! API client. A batch whose total passes the result cap is split in two and asked
//! again, so the cap never hides a contact.

use std::future::Future;
use std::time::Duration;

use serde_json::{Value, json};

use super::{Contact, MatchKey};

pub const DEFAULT_API_BASE: &str = "https://api.hubapi.com";
pub const SEARCH_PATH: &str = "/crm/v3/objects/contacts/search";
/// The private-app scope the search needs.
pub const SCOPE: &str = "crm.objects.contacts.read";
pub const VALUES_PER_IN: usize = 100;
pub const GROUPS_PER_SEARCH: usize = 5;
pub const PAGE_LIMIT: usize = 100;
pub const RESULT_CAP: usize = 10_000;
/// 5 searches a second.
pub const SEARCH_INTERVAL: Duration = Duration::from_millis(200);

/// The body of one search page: the keys as IN filters, the match property and the
/// lifecycle stage as the properties returned.
pub fn search_body(property: &str, keys: &[String], after: Option<&str>) -> Value {
    let groups: Vec<Value> = keys
        .chunks(VALUES_PER_IN)
        .map(|chunk| {
            json!({ "filters": [ { "propertyName": property, "operator": "IN", "values": chunk } ] })
        })
        .collect();
    let mut body = json!({
        "filterGroups": groups,
        "properties": [property, "lifecyclestage"],
        "limit": PAGE_LIMIT,
    });
    if let Some(after) = after {
        body["after"] = json!(after);
    }
    body
}

/// One page of search results.
#[derive(Debug)]
pub struct Page {
    pub total: usize,
    pub contacts: Vec<Contact>,
    pub after: Option<String>,
}

/// Read a search response (`CollectionResponseWithTotalSimplePublicObjectForwardPaging`).
pub fn parse_page(body: &Value, property: &str) -> Result<Page, String> {
    let results = body
        .get("results")
        .and_then(Value::as_array)
        .ok_or("HubSpot search answer has no `results` array")?;
    let total = body
        .get("total")
        .and_then(Value::as_u64)
        .map_or(results.len(), |t| usize::try_from(t).unwrap_or(usize::MAX));
    let contacts = results
        .iter()
        .map(|r| {
            let prop = |name: &str| {
                r.pointer(&format!("/properties/{name}"))
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            };
            let id = match r.get("id") {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => return Err("a HubSpot search result has no `id`".to_owned()),
            };
            Ok(Contact {
                id,
                key: prop(property),
                stage: prop("lifecyclestage"),
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let after = body.pointer("/paging/next/after").and_then(|a| match a {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    });
    Ok(Page {
        total,
        contacts,
        after,
    })
}

/// Every contact holding one of `keys` in the match property. `post` sends one
/// search body and returns the answer (or the API client's error, passed through).
/// Requests are paced to [`SEARCH_INTERVAL`]; `max_requests` bounds the whole walk.
pub async fn find_contacts<E, F, Fut>(
    keys: &[String],
    by: &MatchKey,
    max_requests: usize,
    mut post: F,
) -> Result<Found, FindError<E>>
where
    F: FnMut(Value) -> Fut,
    Fut: Future<Output = Result<Value, E>>,
{
    let property = by.property();
    let mut found = Found::default();
    let per_search = VALUES_PER_IN * GROUPS_PER_SEARCH;
    let mut batches: Vec<Vec<String>> = keys.chunks(per_search).map(<[String]>::to_vec).collect();
    let mut last: Option<tokio::time::Instant> = None;
    while let Some(batch) = batches.pop() {
        let mut after: Option<String> = None;
        let mut seen = 0usize;
        loop {
            if found.requests >= max_requests {
                return Err(FindError::Budget(found.requests));
            }
            if let Some(at) = last {
                tokio::time::sleep_until(at + SEARCH_INTERVAL).await;
            }
            last = Some(tokio::time::Instant::now());
            found.requests += 1;
            let answer = post(search_body(property, &batch, after.as_deref()))
                .await
                .map_err(FindError::Api)?;
            let page = parse_page(&answer, property).map_err(FindError::Garbage)?;
            if page.total > RESULT_CAP {
                // More matches than one query may page through: ask in halves.
                if batch.len() < 2 {
                    return Err(FindError::Cap(page.total));
                }
                let (a, b) = batch.split_at(batch.len() / 2);
                batches.push(a.to_vec());
                batches.push(b.to_vec());
                found.splits += 1;
                break;
            }
            seen += page.contacts.len();
            found.contacts.extend(page.contacts);
            match page.after {
                Some(next) if seen < page.total && seen < RESULT_CAP => after = Some(next),
                _ => break,
            }
        }
    }
    Ok(found)
}

#[derive(Debug, Default)]
pub struct Found {
    pub contacts: Vec<Contact>,
    pub requests: usize,
    /// Batches asked again in halves because their results passed the cap.
    pub splits: usize,
}

#[derive(Debug)]
pub enum FindError<E> {
    Api(E),
    Garbage(String),
    /// One key alone matches more contacts than a search can return.
    Cap(usize),
    /// The request budget ran out before every batch was asked.
    Budget(usize),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("user{i}@acme.app")).collect()
    }

    #[test]
    fn a_search_body_holds_five_in_filters_of_a_hundred() {
        let body = search_body("email", &keys(500), Some("100"));
        let groups = body["filterGroups"].as_array().map(Vec::len);
        assert_eq!(groups, Some(5));
        assert_eq!(
            body["filterGroups"][4]["filters"][0]["values"]
                .as_array()
                .map(Vec::len),
            Some(100)
        );
        assert_eq!(body["filterGroups"][0]["filters"][0]["operator"], "IN");
        assert_eq!(body["after"], "100");
        assert_eq!(body["limit"], 100);
    }

    #[test]
    fn pages_read_ids_keys_stages_and_the_cursor() {
        let body = json!({ "total": 2, "results": [
            { "id": "101", "properties": { "email": "Ada@acme.app", "lifecyclestage": "lead",
              "hs_object_id": "101" }, "createdAt": "2026-11-01T00:00:00Z", "archived": false },
            { "id": "102", "properties": { "email": null } } ],
            "paging": { "next": { "after": "2", "link": "?after=2" } } });
        let page = parse_page(&body, "email").expect("page");
        assert_eq!(page.total, 2);
        assert_eq!(page.contacts[0].key.as_deref(), Some("Ada@acme.app"));
        assert_eq!(page.contacts[0].stage.as_deref(), Some("lead"));
        assert_eq!(page.contacts[1].key, None);
        assert_eq!(page.after.as_deref(), Some("2"));
        assert!(parse_page(&json!({ "status": "error" }), "email").is_err());
    }

    #[tokio::test(start_paused = true)]
    async fn batches_are_paced_and_capped_batches_are_split() {
        // A fake that reports more than the cap for any batch larger than 250 keys.
        let all = keys(1000);
        let found = find_contacts::<String, _, _>(&all, &MatchKey::Email, 100, |body| async move {
            let values: Vec<String> = body["filterGroups"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|g| {
                    g["filters"][0]["values"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default()
                })
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect();
            if values.len() > 250 {
                return Ok(json!({ "total": 20_000, "results": [] }));
            }
            let results: Vec<Value> = values
                .iter()
                .map(|e| json!({ "id": e, "properties": { "email": e } }))
                .collect();
            Ok(json!({ "total": results.len(), "results": results }))
        })
        .await
        .expect("found");
        assert_eq!(found.contacts.len(), 1000);
        assert_eq!(found.splits, 2);
    }
}
