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

use super::{Contact, FindError, Found, MatchKey};

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
/// Searches for one audit (5,000 customers need 10 batches of 5 pages).
pub const MAX_SEARCHES: usize = 400;

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
/// Requests are paced to [`SEARCH_INTERVAL`]. The walk stops at `max_requests`, at
/// `until` (the audit's listing deadline) and at a key that alone passes the result
/// cap: what was searched is kept, the rest is named in [`Found::unsearched`] and the
/// cap in [`Found::stopped`] (SPEC §7 "Caps": the caller judges only what is known).
pub async fn find_contacts<E, F, Fut>(
    keys: &[String],
    by: &MatchKey,
    max_requests: usize,
    until: Option<tokio::time::Instant>,
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
    'batches: while let Some(batch) = batches.pop() {
        let mut after: Option<String> = None;
        let mut seen = 0usize;
        loop {
            if let Some(at) = last {
                tokio::time::sleep_until(at + SEARCH_INTERVAL).await;
            }
            let stop = if found.requests >= max_requests {
                Some(format!("the {max_requests}-search cap of one audit"))
            } else if until.is_some_and(|t| tokio::time::Instant::now() >= t) {
                Some("the audit's time cap for listings (--deadline)".to_owned())
            } else {
                None
            };
            if let Some(stop) = stop {
                found.stopped = Some(stop);
                found.unsearched.extend(batch);
                found.unsearched.extend(batches.drain(..).flatten());
                break 'batches;
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
                    // One key alone: its contacts cannot all be read.
                    found.stopped = Some(format!(
                        "HubSpot's {RESULT_CAP}-result search cap (one customer matches {} contacts)",
                        page.total
                    ));
                    found.unsearched.extend(batch);
                    continue 'batches;
                }
                let (a, b) = batch.split_at(batch.len() / 2);
                batches.push(a.to_vec());
                batches.push(b.to_vec());
                found.splits += 1;
                continue 'batches;
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
        let found =
            find_contacts::<String, _, _>(&all, &MatchKey::Email, 100, None, |body| async move {
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

    /// A fake search: `per_key` contacts for each key asked, paged by `after`.
    fn answer(body: &Value, per_key: usize) -> Result<Value, String> {
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
        let all: Vec<Value> = values
            .iter()
            .flat_map(|e| {
                (0..per_key)
                    .map(move |i| json!({ "id": format!("{e}-{i}"), "properties": { "email": e } }))
            })
            .collect();
        let after: usize = body["after"]
            .as_str()
            .and_then(|a| a.parse().ok())
            .unwrap_or(0);
        let page: Vec<Value> = all.iter().skip(after).take(PAGE_LIMIT).cloned().collect();
        let mut out = json!({ "total": all.len(), "results": page });
        if after + PAGE_LIMIT < all.len() {
            out["paging"] = json!({ "next": { "after": (after + PAGE_LIMIT).to_string() } });
        }
        Ok(out)
    }

    #[tokio::test(start_paused = true)]
    async fn the_search_budget_stops_the_walk_and_names_what_was_not_searched() {
        let all = keys(2000);
        let found =
            find_contacts::<String, _, _>(&all, &MatchKey::Email, 3, None, |body| async move {
                answer(&body, 1)
            })
            .await
            .expect("found");
        // 4 batches of 500, 5 pages each: the third request is mid-way through the first batch.
        assert_eq!(found.requests, 3);
        assert!(
            found
                .stopped
                .as_deref()
                .unwrap_or("")
                .contains("3-search cap")
        );
        assert_eq!(found.unsearched.len(), 2000);
        assert_eq!(found.contacts.len(), 300);
    }

    #[tokio::test(start_paused = true)]
    async fn the_listing_deadline_stops_the_walk_between_batches() {
        let all = keys(1500);
        // Paced at 5 a second: 5 pages per batch, so 0.9 s allows the first batch only.
        let until = tokio::time::Instant::now() + Duration::from_millis(900);
        let found = find_contacts::<String, _, _>(
            &all,
            &MatchKey::Email,
            100,
            Some(until),
            |body| async move { answer(&body, 1) },
        )
        .await
        .expect("found");
        assert!(
            found
                .stopped
                .as_deref()
                .unwrap_or("")
                .contains("--deadline"),
            "{:?}",
            found.stopped
        );
        assert_eq!(found.unsearched.len(), 1000);
        assert_eq!(found.contacts.len(), 500);
    }

    #[tokio::test(start_paused = true)]
    async fn one_key_past_the_result_cap_is_left_unsearched_the_others_are_read() {
        let all = keys(3);
        let found =
            find_contacts::<String, _, _>(&all, &MatchKey::Email, 100, None, |body| async move {
                if body["filterGroups"].to_string().contains("user1@") {
                    return Ok(json!({ "total": 12_000, "results": [] }));
                }
                answer(&body, 1)
            })
            .await
            .expect("found");
        assert_eq!(found.unsearched, vec!["user1@acme.app".to_owned()]);
        assert!(
            found
                .stopped
                .as_deref()
                .unwrap_or("")
                .contains("12000 contacts")
        );
        assert_eq!(found.contacts.len(), 2);
    }
}
