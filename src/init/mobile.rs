//! The `mobile` section: app ids from Expo's `app.json`/`app.config.*` (iOS bundle
//! identifier, Android package) and from `public/.well-known/` files the site already
//! serves (apple-app-site-association, assetlinks.json).

use super::Ctx;
use super::repo::read_capped;
use super::yaml::{Section, flow_list, line};

#[derive(Debug, Default)]
struct Found {
    ios_ids: Vec<(String, String)>,
    bundle: Option<(String, String)>,
    package: Option<(String, String)>,
    fingerprints: Vec<String>,
}

/// The first `key: "literal"` in a JS/TS config.
fn literal_after(text: &str, key: &str) -> Option<String> {
    for (at, _) in text.match_indices(key) {
        let rest = text[at + key.len()..].trim_start();
        let Some(rest) = rest.strip_prefix(':') else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(q @ ('"' | '\'')) = rest.chars().next() else {
            continue;
        };
        let v: String = rest[1..].chars().take_while(|c| *c != q).collect();
        if v.contains('.')
            && v.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        {
            return Some(v);
        }
    }
    None
}

fn expo(cx: &Ctx, dir: &str, found: &mut Found) {
    let base = cx.root.join(dir);
    let rel = |f: &str| {
        if dir.is_empty() {
            f.to_owned()
        } else {
            format!("{dir}/{f}")
        }
    };
    if let Some(v) = read_capped(&base.join("app.json"))
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        && let Some(e) = v.get("expo")
    {
        let get = |p: &str| e.pointer(p).and_then(|x| x.as_str()).map(str::to_owned);
        if found.bundle.is_none() {
            found.bundle = get("/ios/bundleIdentifier").map(|b| (b, rel("app.json")));
        }
        if found.package.is_none() {
            found.package = get("/android/package").map(|b| (b, rel("app.json")));
        }
    }
    for ext in ["ts", "js"] {
        let f = format!("app.config.{ext}");
        if let Some(text) = read_capped(&base.join(&f)) {
            if found.bundle.is_none() {
                found.bundle = literal_after(&text, "bundleIdentifier").map(|b| (b, rel(&f)));
            }
            if found.package.is_none() {
                found.package = literal_after(&text, "package").map(|b| (b, rel(&f)));
            }
        }
    }
}

fn well_known(cx: &Ctx, dir: &str, found: &mut Found) {
    let wk = cx.root.join(dir).join("public/.well-known");
    let rel = |f: &str| crate::code::rel_path(&cx.root, &wk.join(f));
    if let Some(v) = read_capped(&wk.join("apple-app-site-association"))
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
    {
        let details = v.pointer("/applinks/details").and_then(|d| d.as_array());
        for d in details.into_iter().flatten() {
            let ids = d.get("appID").and_then(|x| x.as_str()).into_iter().chain(
                d.get("appIDs")
                    .and_then(|x| x.as_array())
                    .into_iter()
                    .flatten()
                    .filter_map(|x| x.as_str()),
            );
            for id in ids {
                found
                    .ios_ids
                    .push((id.to_owned(), rel("apple-app-site-association")));
            }
        }
    }
    if let Some(v) = read_capped(&wk.join("assetlinks.json"))
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
    {
        for s in v.as_array().into_iter().flatten() {
            if let Some(p) = s.pointer("/target/package_name").and_then(|x| x.as_str())
                && found.package.is_none()
            {
                found.package = Some((p.to_owned(), rel("assetlinks.json")));
            }
            let fps = s
                .pointer("/target/sha256_cert_fingerprints")
                .and_then(|x| x.as_array());
            found.fingerprints.extend(
                fps.into_iter()
                    .flatten()
                    .filter_map(|x| x.as_str())
                    .map(str::to_owned),
            );
        }
    }
}

pub fn draft(cx: &Ctx) -> Section {
    let mut s = Section::new("mobile");
    let mut found = Found::default();
    for p in &cx.repo.packages {
        expo(cx, &p.dir, &mut found);
        well_known(cx, &p.dir, &mut found);
    }
    if !found.ios_ids.is_empty() {
        let ids: Vec<&str> = found.ios_ids.iter().map(|(i, _)| i.as_str()).collect();
        s.push(line(
            1,
            &format!("ios_app_ids: {}", flow_list(&ids)),
            &format!("from {}", found.ios_ids[0].1),
        ));
    } else if let Some((b, file)) = &found.bundle {
        s.push(line(
            1,
            &format!("ios_app_ids: [TODO.{b}]"),
            &format!("bundle identifier from {file}; TODO: replace TODO with your Apple Team ID"),
        ));
    }
    if let Some((p, file)) = &found.package {
        let (fps, why) = if found.fingerprints.is_empty() {
            (
                flow_list(&["TODO"]),
                format!(
                    "package from {file}; TODO: signing certificate SHA-256 (Play Console → App integrity)"
                ),
            )
        } else {
            (flow_list(&found.fingerprints), format!("from {file}"))
        };
        s.push(line(
            1,
            &format!("android: {{ package: {p}, sha256_fingerprints: {fps} }}"),
            &why,
        ));
    }
    s
}
