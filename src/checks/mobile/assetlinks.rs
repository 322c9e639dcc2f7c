//! `mobile.assetlinks`: the canonical host serves a Digital Asset Links file naming the
//! Android package and every signing-certificate fingerprint, or app links open the
//! browser (a Play-signed build has a different fingerprint from the upload key).

use serde_json::{Value, json};

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::meta;
use crate::report::Outcome;

pub struct AssetLinks;

const PATH: &str = "/.well-known/assetlinks.json";

impl Check for AssetLinks {
    const META: &'static Meta = meta! {
        id: "mobile.assetlinks",
        title: "assetlinks.json names the Android app and its fingerprints",
        severity: Fail,
        needs: "manifest `web.canonical` and `mobile.android`; HTTPS",
        network: true,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        let android = cx.manifest.mobile.as_ref().and_then(|m| m.android.as_ref());
        super::canonical_plan(cx, android.is_some(), "no `mobile.android` in the manifest")
    }

    async fn run(&self, cx: &Context, host: &str) -> Checked {
        let Some(app) = cx.manifest.mobile.as_ref().and_then(|m| m.android.as_ref()) else {
            return Err(Outcome::skip("no `mobile.android` in the manifest"));
        };
        let doc = match super::fetch_json(cx, host, PATH).await {
            Ok(d) => d,
            Err(o) => return Err(o),
        };
        let published = fingerprints_for(&doc, &app.package);
        let fix = "Add a statement with relation `delegate_permission/common.handle_all_urls`, target namespace `android_app`, your package_name and every SHA-256 fingerprint (Play App Signing's included, from the Play Console).";
        let Some(published) = published else {
            return Err(
                Outcome::fail(format!("{PATH} has no statement for {}", app.package))
                    .details(json!({ "package": app.package }))
                    .remediation(fix),
            );
        };
        if published.is_empty() {
            return Ok(Outcome::fail(format!(
                "{PATH} names {} but publishes no SHA-256 certificate fingerprint: Android cannot verify the app links",
                app.package
            ))
            .details(json!({ "package": app.package, "published": published }))
            .remediation(fix));
        }
        let missing: Vec<&String> = app
            .sha256_fingerprints
            .iter()
            .filter(|f| !published.contains(&normalize(f)))
            .collect();
        let details = json!({ "package": app.package, "published": published, "missing": missing });
        if missing.is_empty() {
            return Ok(Outcome::pass(format!(
                "{PATH} names {} with {} fingerprint(s)",
                app.package,
                app.sha256_fingerprints.len()
            ))
            .details(details));
        }
        Ok(Outcome::fail(format!(
            "{PATH} for {} lacks fingerprint {}",
            app.package,
            missing
                .iter()
                .map(|f| f.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .details(details)
        .remediation(fix))
    }
}

/// The normalized fingerprints of every `android_app` statement for `package`, or
/// `None` when no statement names it.
pub fn fingerprints_for(doc: &Value, package: &str) -> Option<Vec<String>> {
    let statements = doc.as_array()?;
    let mut found = None;
    for st in statements {
        let target = &st["target"];
        if target["namespace"] == "android_app" && target["package_name"] == package {
            let list: &mut Vec<String> = found.get_or_insert_with(Vec::new);
            if let Some(fps) = target["sha256_cert_fingerprints"].as_array() {
                list.extend(fps.iter().filter_map(Value::as_str).map(normalize));
            }
        }
    }
    found
}

/// `14:6d:e9…` and `146DE9…` are the same fingerprint.
pub fn normalize(fp: &str) -> String {
    fp.chars()
        .filter(|c| *c != ':')
        .map(|c| c.to_ascii_uppercase())
        .collect()
}
