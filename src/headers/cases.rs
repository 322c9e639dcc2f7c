//! The data-driven table `fixtures/headers/cases.json` (cases written from the
//! specifications and web-platform-tests, each naming its source) run through the
//! parsers of this module: every case must agree with what the browser does.

use serde_json::{Value, json};

use super::{cookies, cors, csp, csp_grade, hsts, nosniff, referrer, xfo};

const CASES: &str = include_str!("../../fixtures/headers/cases.json");

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// What our parsers say about one case, in the shape of its `expect`.
pub(crate) fn observe(case: &Value) -> Value {
    let lines = strings(&case["lines"]);
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let metas = strings(&case["meta"]);
    match case["family"].as_str().unwrap_or_default() {
        "hsts" => match hsts::effective(&lines) {
            hsts::Sts::Valid(p) => {
                json!({ "valid": true, "max_age": p.max_age, "include_subdomains": p.include_subdomains })
            }
            _ => json!({ "valid": false }),
        },
        "nosniff" => json!({ "nosniff": nosniff::enforced(&lines) }),
        "xfo" => {
            let csp_lines = strings(&case["csp"]);
            let csp_lines: Vec<&str> = csp_lines.iter().map(String::as_str).collect();
            let policies = csp::policies(&csp_lines, &[], &[]);
            let framing = match csp::frame_ancestors_protects(&policies) {
                // frame-ancestors overrides X-Frame-Options (HTML §7.1.1 step 2).
                Some(true) => xfo::Framing::SameOrigin,
                Some(false) => xfo::Framing::Anyone,
                None => xfo::framing(&lines),
            };
            json!({ "framing": framing })
        }
        "referrer" => {
            let e = referrer::effective(&lines, &metas);
            json!({ "policy": e.policy, "leaks": e.leaks_full_url() })
        }
        "csp" => {
            let ro = strings(&case["report_only"]);
            let ro: Vec<&str> = ro.iter().map(String::as_str).collect();
            let policies = csp::policies(&lines, &ro, &metas);
            let (inline, any_origin) = csp_grade::script_holes(&policies);
            let enforced = policies
                .iter()
                .filter(|p| p.enforced() && p.restricts_anything())
                .count();
            json!({ "enforced": enforced, "inline": inline, "any_origin": any_origin,
                    "frame_ancestors_protects": csp::frame_ancestors_protects(&policies) })
        }
        "cookies" => {
            let c = cookies::parse(case["line"].as_str().unwrap_or_default());
            json!({ "stored": cookies::rejected(&c).is_none(), "secure": c.secure,
                    "http_only": c.http_only, "same_site": cookies::same_site(&c) })
        }
        "cors" => {
            let (acao, acac) = (strings(&case["acao"]), strings(&case["acac"]));
            let acao: Vec<&str> = acao.iter().map(String::as_str).collect();
            let acac: Vec<&str> = acac.iter().map(String::as_str).collect();
            let verdict =
                match cors::judge(case["origin"].as_str().unwrap_or_default(), &acao, &acac) {
                    cors::Cors::NotTrusted => "not_trusted",
                    cors::Cors::Invalid { .. } => "invalid",
                    cors::Cors::Wildcard => "wildcard",
                    cors::Cors::WildcardWithCredentials => "wildcard_with_credentials",
                    cors::Cors::Reflected { credentials: true } => "reflected_with_credentials",
                    cors::Cors::Reflected { credentials: false } => "reflected",
                };
            json!({ "verdict": verdict })
        }
        other => json!({ "unknown_family": other }),
    }
}

/// Every key of `expect` equals the observation.
pub(crate) fn agrees(expect: &Value, seen: &Value) -> bool {
    expect.as_object().is_some_and(|m| {
        m.iter()
            .all(|(k, v)| seen.get(k).unwrap_or(&Value::Null) == v)
    })
}

pub(crate) fn all() -> Vec<Value> {
    serde_json::from_str::<Value>(CASES)
        .ok()
        .and_then(|v| v["cases"].as_array().cloned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::{agrees, all, observe};

    #[test]
    fn every_case_of_the_header_table_agrees_with_the_browser() {
        let cases = all();
        assert!(cases.len() >= 100, "the table has {} cases", cases.len());
        let mut per_family: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        let mut wrong = Vec::new();
        for case in &cases {
            let seen = observe(case);
            let ok = agrees(&case["expect"], &seen);
            let e = per_family
                .entry(case["family"].as_str().unwrap_or("?").to_owned())
                .or_default();
            e.0 += 1;
            e.1 += usize::from(ok);
            if !ok {
                wrong.push(format!("{case}\n  saw {seen}"));
            }
        }
        assert!(wrong.is_empty(), "{per_family:?}\n{}", wrong.join("\n"));
    }
}
