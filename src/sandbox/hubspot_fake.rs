//! A HubSpot CRM fake: the contacts search (`POST /crm/v3/objects/contacts/search`)
//! with HubSpot's own strictness, so the client is tried against the real limits.
//!
//! Shapes follow `@hubspot/api-client` (`PublicObjectSearchRequest`,
//! `CollectionResponseWithTotalSimplePublicObjectForwardPaging`, `SimplePublicObject`)
//! and HubSpot's error envelope (`status`, `message`, `correlationId`, `category`).
//! Refused like HubSpot refuses them: unknown body fields, more than 5 filter groups,
//! more than 25 filters (10 per group), more than 100 `IN` values, `limit` above 200,
//! paging past the 10,000-result cap.

use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

use super::api_fake::{ApiFake, RequestLog, Rule};
use super::web::{Resp, Site};

/// The fake's host in the sandbox.
pub const HOST: &str = "api.hubapi.sandbox";

pub const SEARCH_PATH: &str = "/crm/v3/objects/contacts/search";
const MAX_GROUPS: usize = 5;
const MAX_FILTERS: usize = 25;
const MAX_FILTERS_PER_GROUP: usize = 10;
const MAX_IN_VALUES: usize = 100;
const MAX_LIMIT: u64 = 200;
const RESULT_CAP: usize = 10_000;

/// One stored contact.
#[derive(Clone, Debug)]
pub struct FakeContact {
    pub id: u64,
    /// Property name → value (`email`, `lifecyclestage`, custom properties).
    pub properties: Vec<(String, String)>,
}

impl FakeContact {
    pub fn new(id: u64, email: &str, stage: &str) -> Self {
        Self {
            id,
            properties: vec![
                ("email".to_owned(), email.to_owned()),
                ("lifecyclestage".to_owned(), stage.to_owned()),
            ],
        }
    }

    pub fn with(mut self, name: &str, value: &str) -> Self {
        self.properties.push((name.to_owned(), value.to_owned()));
        self
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.properties
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// HubSpot's error envelope.
pub fn error(status: u16, category: &str, message: &str) -> (u16, Value) {
    (
        status,
        json!({
            "status": "error",
            "message": message,
            "correlationId": "3f1c7a52-1d0e-4a55-9d7b-5c9b1f0e2a11",
            "category": category,
        }),
    )
}

/// The kit's error shape, in HubSpot's envelope: 401 `INVALID_AUTHENTICATION`,
/// 403 `MISSING_SCOPES` (naming the scope), 429 `RATE_LIMIT`.
fn hubspot_error(status: u16, _code: &str, message: &str) -> Value {
    match status {
        401 => {
            error(
                401,
                "INVALID_AUTHENTICATION",
                "Authentication credentials not found. This API supports OAuth 2.0 authentication.",
            )
            .1
        }
        403 => {
            let mut body = error(
                403,
                "MISSING_SCOPES",
                "This app hasn't been granted all required scopes to make this call.",
            )
            .1;
            body["errors"] = json!([{ "message": "One or more of the following scopes are required.",
                "context": { "requiredGranularScopes": ["crm.objects.contacts.read"] } }]);
            body
        }
        429 => json!({ "status": "error", "message": "You have reached your secondly limit.",
            "errorType": "RATE_LIMIT", "correlationId": "3f1c7a52-1d0e-4a55-9d7b-5c9b1f0e2a12",
            "policyName": "SECONDLY" }),
        _ => error(status, "INTERNAL_ERROR", message).1,
    }
}

/// A HubSpot account: its contacts, the token it accepts, its faults.
pub struct HubSpotFake {
    host: String,
    token: String,
    contacts: Vec<FakeContact>,
    faults: Vec<Rule>,
    log: RequestLog,
    /// Answer 403 MISSING_SCOPES to every search (a token without the scope).
    no_scope: bool,
    searches: Arc<Mutex<usize>>,
}

impl Default for HubSpotFake {
    fn default() -> Self {
        Self::new()
    }
}

impl HubSpotFake {
    /// An account with no contacts; set its token with [`HubSpotFake::with_token`].
    pub fn new() -> Self {
        Self {
            host: HOST.to_owned(),
            token: String::new(),
            contacts: Vec::new(),
            faults: Vec::new(),
            log: RequestLog::new(),
            no_scope: false,
            searches: Arc::new(Mutex::new(0)),
        }
    }
    pub fn with_token(mut self, token: &str) -> Self {
        self.token = token.to_owned();
        self
    }
    pub fn host(mut self, host: &str) -> Self {
        self.host = host.to_owned();
        self
    }
    pub fn contact(mut self, contact: FakeContact) -> Self {
        self.contacts.push(contact);
        self
    }
    pub fn contacts(mut self, contacts: impl IntoIterator<Item = FakeContact>) -> Self {
        self.contacts.extend(contacts);
        self
    }
    pub fn fault(mut self, rule: Rule) -> Self {
        self.faults.push(rule);
        self
    }
    pub fn without_scope(mut self) -> Self {
        self.no_scope = true;
        self
    }
    pub fn log_to(mut self, log: &RequestLog) -> Self {
        self.log = log.clone();
        self
    }
    /// Counts the searches answered (clone before the fake moves into a world).
    pub fn search_counter(&self) -> Arc<Mutex<usize>> {
        self.searches.clone()
    }

    pub fn site(self) -> Site {
        let contacts = Arc::new(self.contacts);
        let no_scope = self.no_scope;
        let searches = self.searches;
        let mut fake = ApiFake::new(&self.host)
            .bearer(&self.token)
            .errors(hubspot_error)
            .compact()
            .log_to(&self.log);
        for rule in self.faults {
            fake = fake.fault(rule);
        }
        fake.post(SEARCH_PATH, move |req| {
            if no_scope {
                return Resp::json(403, &hubspot_error(403, "", ""));
            }
            if let Ok(mut n) = searches.lock() {
                *n += 1;
            }
            match search(&contacts, &req.body) {
                Ok(page) => Resp::json(200, &page),
                Err((status, body)) => Resp::json(status, &body),
            }
        })
        .site()
    }
}

fn invalid(message: &str) -> (u16, Value) {
    error(400, "VALIDATION_ERROR", message)
}

/// Answer one search request body.
pub fn search(contacts: &[FakeContact], body: &[u8]) -> Result<Value, (u16, Value)> {
    let request: Value = serde_json::from_slice(body)
        .map_err(|_| invalid("Invalid input JSON on line 1: the request body is not JSON"))?;
    let Some(fields) = request.as_object() else {
        return Err(invalid("the request body must be a JSON object"));
    };
    const KNOWN: &[&str] = &[
        "filterGroups",
        "properties",
        "limit",
        "after",
        "sorts",
        "query",
    ];
    if let Some(unknown) = fields.keys().find(|k| !KNOWN.contains(&k.as_str())) {
        return Err(invalid(&format!("Unrecognized field \"{unknown}\"")));
    }
    let groups = request
        .get("filterGroups")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if groups.len() > MAX_GROUPS {
        return Err(invalid(&format!(
            "Too many filter groups ({}). The maximum number of filter groups is {MAX_GROUPS}.",
            groups.len()
        )));
    }
    let mut total_filters = 0;
    let mut parsed = Vec::new();
    for g in &groups {
        let filters = g
            .get("filters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if filters.len() > MAX_FILTERS_PER_GROUP {
            return Err(invalid(
                "Too many filters in a filter group. The maximum is 10.",
            ));
        }
        total_filters += filters.len();
        let mut group = Vec::new();
        for f in &filters {
            group.push(Filter::read(f)?);
        }
        parsed.push(group);
    }
    if total_filters > MAX_FILTERS {
        return Err(invalid(
            "Too many filters. The maximum number of filters is 25.",
        ));
    }
    let limit = match request.get("limit") {
        None => 10,
        Some(v) => v
            .as_u64()
            .filter(|l| (1..=MAX_LIMIT).contains(l))
            .ok_or_else(|| invalid("limit must be a number between 1 and 200"))?,
    };
    let after = match request.get("after") {
        None => 0,
        Some(Value::String(s)) => s
            .parse::<usize>()
            .map_err(|_| invalid("after must be a number"))?,
        Some(Value::Number(n)) => n
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(0),
        Some(_) => return Err(invalid("after must be a number")),
    };
    let wanted: Vec<String> = request
        .get("properties")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|p| p.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let matching: Vec<&FakeContact> = contacts
        .iter()
        .filter(|c| parsed.is_empty() || parsed.iter().any(|g| g.iter().all(|f| f.matches(c))))
        .collect();
    let limit = usize::try_from(limit).unwrap_or(10);
    if after.saturating_add(limit) > RESULT_CAP && after < matching.len() {
        return Err(invalid(
            "The search API is limited to 10,000 total results for any given query.",
        ));
    }
    let page: Vec<Value> = matching
        .iter()
        .skip(after)
        .take(limit)
        .map(|c| object(c, &wanted))
        .collect();
    let mut out = json!({ "total": matching.len(), "results": page });
    let next = after + limit;
    if next < matching.len() {
        out["paging"] = json!({ "next": { "after": next.to_string(),
            "link": format!("?after={next}") } });
    }
    Ok(out)
}

struct Filter {
    property: String,
    operator: String,
    value: Option<String>,
    /// Lower-cased once: a search of 500 values over thousands of contacts stays fast.
    values: std::collections::HashSet<String>,
}

impl Filter {
    fn read(f: &Value) -> Result<Self, (u16, Value)> {
        let property = f
            .get("propertyName")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid("a filter needs propertyName"))?
            .to_owned();
        let operator = f
            .get("operator")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid("a filter needs operator"))?
            .to_owned();
        let values: Vec<String> = f
            .get("values")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        if values.len() > MAX_IN_VALUES {
            return Err(invalid(
                "Too many values for the IN operator. The maximum is 100.",
            ));
        }
        let value = f.get("value").and_then(Value::as_str).map(str::to_owned);
        match operator.as_str() {
            "EQ" | "IN" => {}
            other => {
                return Err(invalid(&format!(
                    "operator {other} is not supported by this fake"
                )));
            }
        }
        Ok(Self {
            property,
            operator,
            value,
            values: values.iter().map(|v| v.to_lowercase()).collect(),
        })
    }

    /// HubSpot compares string properties case-insensitively for `EQ`/`IN`.
    fn matches(&self, c: &FakeContact) -> bool {
        let Some(have) = c.get(&self.property) else {
            return false;
        };
        let have = have.to_lowercase();
        match self.operator.as_str() {
            "EQ" => self
                .value
                .as_deref()
                .is_some_and(|v| v.to_lowercase() == have),
            _ => self.values.contains(&have),
        }
    }
}

fn object(c: &FakeContact, wanted: &[String]) -> Value {
    let mut props = serde_json::Map::new();
    let stamp = "2026-11-20T09:14:03.512Z";
    props.insert("createdate".into(), json!(stamp));
    props.insert("hs_object_id".into(), json!(c.id.to_string()));
    props.insert("lastmodifieddate".into(), json!(stamp));
    for name in wanted {
        props.insert(name.clone(), c.get(name).map_or(Value::Null, |v| json!(v)));
    }
    json!({
        "id": c.id.to_string(),
        "properties": props,
        "createdAt": stamp,
        "updatedAt": stamp,
        "archived": false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> Vec<FakeContact> {
        (0..250)
            .map(|i| FakeContact::new(i, &format!("User{i}@Acme.app"), "customer"))
            .collect()
    }

    #[test]
    fn in_filters_match_case_insensitively_and_page_with_after() {
        let body = json!({ "filterGroups": [ { "filters": [ { "propertyName": "email",
            "operator": "IN", "values": ["user1@acme.app", "user2@acme.app", "nobody@acme.app"] } ] } ],
            "properties": ["email", "lifecyclestage"], "limit": 2 });
        let page = search(&store(), body.to_string().as_bytes()).expect("page");
        assert_eq!(page["total"], 2);
        assert_eq!(
            page["results"][0]["properties"]["lifecyclestage"],
            "customer"
        );
        assert!(page.get("paging").is_none());
    }

    #[test]
    fn hubspot_limits_are_refused() {
        let too_many: Vec<String> = (0..101).map(|i| format!("u{i}@a.b")).collect();
        let body = json!({ "filterGroups": [ { "filters": [ { "propertyName": "email",
            "operator": "IN", "values": too_many } ] } ] });
        assert_eq!(
            search(&store(), body.to_string().as_bytes())
                .map_err(|e| e.0)
                .err(),
            Some(400)
        );
        let body = json!({ "limit": 500 });
        assert!(search(&store(), body.to_string().as_bytes()).is_err());
        let body = json!({ "filterGroups": [], "unknownField": 1 });
        assert!(search(&store(), body.to_string().as_bytes()).is_err());
        let six: Vec<Value> = (0..6).map(|_| json!({ "filters": [] })).collect();
        assert!(
            search(
                &store(),
                json!({ "filterGroups": six }).to_string().as_bytes()
            )
            .is_err()
        );
        assert!(search(&store(), b"garbage").is_err());
    }
}
