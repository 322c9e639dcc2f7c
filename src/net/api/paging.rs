//! Bounded pagination. A listing that reaches its page, size or time cap keeps
//! what it fetched and says where it stopped ([`Listing::stopped`]): a check can
//! still prove `fail` from the part ("at least N", SPEC §7 "Caps") and is `error`
//! naming the cap otherwise.

use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{ApiClient, ApiError, Problem};

/// How an API pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paging {
    /// Stripe: `limit`, then `starting_after=<id of the last item>` while `has_more`;
    /// items in `data` of an `object: "list"`.
    StripeList { limit: usize },
    /// A cursor the answer carries at the JSON pointer `next` (HubSpot
    /// `/paging/next/after`, Vercel `/pagination/next`), sent back as `param`;
    /// items at the pointer `items`.
    Cursor {
        items: &'static str,
        next: &'static str,
        param: &'static str,
        limit: (&'static str, usize),
    },
    /// A link to the next page at the JSON pointer `next` (Better Stack
    /// `/pagination/next`, a full URL or null). Only the link's `param` value is
    /// taken and sent to the client's own base: a token never follows a link.
    NextLink {
        items: &'static str,
        next: &'static str,
        param: &'static str,
        size: (&'static str, usize),
    },
    /// Numbered pages from 1 (Cloudflare `page`/`per_page`, the count at
    /// `/result_info/total_pages`).
    Numbered {
        items: &'static str,
        page_param: &'static str,
        size: (&'static str, usize),
        total_pages: &'static str,
    },
}

/// Why a listing stopped before its end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stop {
    Pages(usize),
    /// The listing's byte budget, or one page above the API's size cap.
    Size(usize),
    Time(Duration),
}

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stop::Pages(n) => write!(f, "stopped at the {n}-page cap"),
            Stop::Size(bytes) => write!(f, "stopped at the {} MiB size cap", bytes / (1024 * 1024)),
            Stop::Time(d) => write!(f, "stopped at the {} s time cap", d.as_secs()),
        }
    }
}

/// The items read, and where the listing stopped if it did not reach the end.
#[derive(Clone, Debug)]
pub struct Listing<T> {
    pub items: Vec<T>,
    pub pages: usize,
    pub stopped: Option<Stop>,
}

impl<T> Listing<T> {
    pub fn is_partial(&self) -> bool {
        self.stopped.is_some()
    }
}

enum Next {
    Done,
    Query(String, String),
}

impl ApiClient<'_> {
    /// Every item of a listing, page by page, within the API's caps and `until`
    /// (default: the audit's listing deadline, from `--deadline`). Items are typed page by page, so a
    /// long listing never holds more than one page of raw JSON; an item that does
    /// not fit `T` is malformed (use `serde_json::Value` for raw items).
    pub async fn list<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(String, String)],
        paging: Paging,
        until: Option<Instant>,
    ) -> Result<Listing<T>, ApiError> {
        let spec = self.spec;
        let malformed = |why: String| ApiError::new(spec, path, Problem::Malformed(why));
        let mut out = Listing {
            items: Vec::new(),
            pages: 0,
            stopped: None,
        };
        let started = Instant::now();
        let mut bytes = 0usize;
        let mut next: Option<(String, String)> = None;
        loop {
            if out.pages > 0 {
                let stop = if out.pages >= spec.max_pages {
                    Some(Stop::Pages(spec.max_pages))
                } else if bytes >= spec.max_listing_bytes {
                    Some(Stop::Size(spec.max_listing_bytes))
                } else if until
                    .or(self.listing_deadline)
                    .is_some_and(|t| Instant::now() >= t)
                {
                    Some(Stop::Time(started.elapsed()))
                } else {
                    None
                };
                if stop.is_some() {
                    out.stopped = stop;
                    return Ok(out);
                }
            }
            let mut q = query.to_vec();
            q.extend(first_query(paging));
            q.extend(next.take());
            let resp = match self.get(path, &q).await {
                Ok(resp) => resp,
                Err(e) if matches!(e.problem, Problem::TooLarge { .. }) && out.pages > 0 => {
                    out.stopped = Some(Stop::Size(spec.body_cap));
                    return Ok(out);
                }
                Err(e) => return Err(e),
            };
            bytes += resp.body.len();
            let page: Value = serde_json::from_slice(&resp.body).map_err(|e| {
                malformed(format!(
                    "not a {} list object (JSON error at line {} column {})",
                    spec.name,
                    e.line(),
                    e.column()
                ))
            })?;
            drop(resp);
            out.pages += 1;
            let (items, after) = read_page(paging, page, out.pages).map_err(malformed)?;
            for value in items {
                let n = out.items.len() + 1;
                let item = serde_json::from_value(value)
                    .map_err(|e| malformed(format!("item {n} of the listing: {e}")))?;
                out.items.push(item);
            }
            match after {
                Next::Done => return Ok(out),
                Next::Query(k, v) => next = Some((k, v)),
            }
        }
    }
}

fn first_query(paging: Paging) -> Vec<(String, String)> {
    match paging {
        Paging::StripeList { limit } => vec![("limit".to_owned(), limit.to_string())],
        Paging::Cursor { limit, .. } => vec![(limit.0.to_owned(), limit.1.to_string())],
        Paging::Numbered { size, .. } | Paging::NextLink { size, .. } => {
            vec![(size.0.to_owned(), size.1.to_string())]
        }
    }
}

fn items_at(page: &mut Value, pointer: &str) -> Result<Vec<Value>, String> {
    match page.pointer_mut(pointer).map(Value::take) {
        Some(Value::Array(items)) => Ok(items),
        _ => Err(format!("no item array at `{pointer}`")),
    }
}

fn read_page(paging: Paging, mut page: Value, number: usize) -> Result<(Vec<Value>, Next), String> {
    match paging {
        Paging::StripeList { .. } => {
            let object = page.get("object").and_then(Value::as_str).unwrap_or("");
            if object != "list" {
                return Err(format!("`object` is {object:?}, not \"list\""));
            }
            let has_more = page
                .get("has_more")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let items = items_at(&mut page, "/data")?;
            if !has_more {
                return Ok((items, Next::Done));
            }
            let last = items
                .last()
                .and_then(|i| i.get("id"))
                .and_then(Value::as_str);
            match last {
                Some(id) => {
                    let next = Next::Query("starting_after".to_owned(), id.to_owned());
                    Ok((items, next))
                }
                None => Err("`has_more` on a page without a last item id".to_owned()),
            }
        }
        Paging::Cursor {
            items, next, param, ..
        } => {
            let cursor = match page.pointer(next) {
                Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => None,
            };
            let items = items_at(&mut page, items)?;
            Ok((
                items,
                cursor.map_or(Next::Done, |c| Next::Query(param.to_owned(), c)),
            ))
        }
        Paging::NextLink {
            items, next, param, ..
        } => {
            let link = match page.pointer(next) {
                Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
                None | Some(Value::Null) => None,
                Some(other) => return Err(format!("`{next}` is {other}, not a link or null")),
            };
            let items = items_at(&mut page, items)?;
            let Some(link) = link else {
                return Ok((items, Next::Done));
            };
            let value = url::Url::parse(&link)
                .ok()
                .and_then(|u| {
                    u.query_pairs()
                        .find(|(k, _)| k == param)
                        .map(|(_, v)| v.into_owned())
                })
                .filter(|v| !v.is_empty())
                .ok_or_else(|| format!("the next-page link has no `{param}`"))?;
            // A link back to a page already read would loop until the page cap.
            if value.parse::<usize>().is_ok_and(|p| p <= number) {
                return Err(format!("the next-page link points back to page {value}"));
            }
            Ok((items, Next::Query(param.to_owned(), value)))
        }
        Paging::Numbered {
            items,
            page_param,
            total_pages,
            ..
        } => {
            let total = page
                .pointer(total_pages)
                .and_then(Value::as_u64)
                .unwrap_or(1);
            let items = items_at(&mut page, items)?;
            let next = if (number as u64) < total && !items.is_empty() {
                Next::Query(page_param.to_owned(), (number + 1).to_string())
            } else {
                Next::Done
            };
            Ok((items, next))
        }
    }
}
