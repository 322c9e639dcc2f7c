//! `mobile.aasa`: the canonical host serves an apple-app-site-association file that
//! names every iOS app of the manifest, or universal links open Safari instead.

use serde_json::{Value, json};

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::meta;
use crate::report::Outcome;

pub struct Aasa;

const PATH: &str = "/.well-known/apple-app-site-association";

fn app_ids(cx: &Context) -> Vec<String> {
    cx.manifest
        .mobile
        .as_ref()
        .map(|m| m.ios_app_ids.clone())
        .unwrap_or_default()
}

impl Check for Aasa {
    const META: &'static Meta = meta! {
        id: "mobile.aasa",
        title: "apple-app-site-association names the iOS apps",
        severity: Fail,
        needs: "manifest `web.canonical` and `mobile.ios_app_ids`; HTTPS",
        network: true,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        super::canonical_plan(
            cx,
            !app_ids(cx).is_empty(),
            "no `mobile.ios_app_ids` in the manifest",
        )
    }

    async fn run(&self, cx: &Context, host: &str) -> Checked {
        let doc = match super::fetch_json(cx, host, PATH).await {
            Ok(d) => d,
            Err(o) => return Err(o),
        };
        let listed = listed_app_ids(&doc);
        let missing: Vec<String> = app_ids(cx)
            .into_iter()
            .filter(|id| !listed.contains(id))
            .collect();
        let details =
            json!({ "url": format!("https://{host}{PATH}"), "listed": listed, "missing": missing });
        if missing.is_empty() {
            return Err(
                Outcome::pass(format!("{PATH} lists {}", listed.join(", "))).details(details)
            );
        }
        Ok(Outcome::fail(format!("{PATH} does not list {}", missing.join(", ")))
            .details(details)
            .remediation("Add each app as `TEAMID.bundle.id` under `applinks.details[].appIDs` (or `appID`), then let Apple's CDN refresh (up to a day)."))
    }
}

/// App ids under `applinks.details[]`, in both the old (`appID`) and new (`appIDs`)
/// formats.
pub fn listed_app_ids(doc: &Value) -> Vec<String> {
    let details = doc["applinks"]["details"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut ids = Vec::new();
    for entry in &details {
        if let Some(id) = entry["appID"].as_str() {
            ids.push(id.to_owned());
        }
        if let Some(list) = entry["appIDs"].as_array() {
            ids.extend(list.iter().filter_map(|v| v.as_str().map(str::to_owned)));
        }
    }
    ids.dedup();
    ids
}
