use serde_json::json;

use super::*;
use crate::cloudflare::{PageRule, Ruleset};

fn ruleset(rules: serde_json::Value) -> Ruleset {
    serde_json::from_value(json!({
        "id": "rs1", "phase": "http_request_cache_settings", "kind": "zone", "name": "default",
        "version": "3", "last_updated": "2026-11-20T10:00:00Z", "rules": rules
    }))
    .expect("ruleset fixture")
}

fn page_rules(rules: serde_json::Value) -> Vec<PageRule> {
    serde_json::from_value(rules).expect("page rule fixture")
}

fn scopes() -> Vec<Scope> {
    vec![
        Scope {
            host: "www.acme.app".into(),
            path: "/api/".into(),
            prefix: true,
            what: "private path /api/".into(),
        },
        Scope {
            host: "www.acme.app".into(),
            path: "/api/webhooks/stripe".into(),
            prefix: false,
            what: "webhook stripe".into(),
        },
    ]
}

#[test]
fn an_edge_ttl_override_on_an_api_subpath_is_found() {
    let rs = ruleset(json!([
        { "id": "c1", "action": "set_cache_settings", "enabled": true, "description": "cache api docs",
          "expression": "starts_with(http.request.uri.path, \"/api/docs\")",
          "action_parameters": { "cache": true, "edge_ttl": { "mode": "override_origin", "default": 3600 } } }
    ]));
    let c = coverage(&rs.rules, &[], &scopes());
    assert_eq!(c.hits.len(), 1, "{c:?}");
    assert!(c.hits[0].overrides_origin);
    assert_eq!(c.hits[0].what, "private path /api/");
}

#[test]
fn eligibility_without_override_is_weaker_and_a_later_bypass_wins() {
    let eligible = json!({ "id": "c1", "action": "set_cache_settings", "enabled": true, "description": "everything",
        "expression": "http.host eq \"www.acme.app\"", "action_parameters": { "cache": true } });
    let bypass = json!({ "id": "c2", "action": "set_cache_settings", "enabled": true, "description": "no api",
        "expression": "starts_with(http.request.uri.path, \"/api/\")", "action_parameters": { "cache": false } });
    let c = coverage(&ruleset(json!([eligible.clone()])).rules, &[], &scopes());
    assert_eq!(c.hits.len(), 2);
    assert!(c.hits.iter().all(|h| !h.overrides_origin));
    let c = coverage(
        &ruleset(json!([eligible.clone(), bypass.clone()])).rules,
        &[],
        &scopes(),
    );
    assert!(c.hits.is_empty(), "{c:?}");
    // Order matters: the bypass first is overridden by the later rule.
    let c = coverage(&ruleset(json!([bypass, eligible])).rules, &[], &scopes());
    assert_eq!(c.hits.len(), 2);
}

#[test]
fn cache_everything_page_rules_fail_unless_a_cache_rule_bypasses() {
    let prs = page_rules(json!([
        { "id": "p1", "priority": 1, "status": "active", "created_on": "2024-01-01T00:00:00Z", "modified_on": "2024-01-01T00:00:00Z",
          "targets": [ { "target": "url", "constraint": { "operator": "matches", "value": "*acme.app/api/*" } } ],
          "actions": [ { "id": "cache_level", "value": "cache_everything" }, { "id": "edge_cache_ttl", "value": 7200 } ] },
        { "id": "p2", "priority": 2, "status": "disabled",
          "targets": [ { "target": "url", "constraint": { "operator": "matches", "value": "*acme.app/api/*" } } ],
          "actions": [ { "id": "cache_level", "value": "bypass" } ] }
    ]));
    let c = coverage(&[], &prs, &scopes());
    assert_eq!(c.hits.len(), 2, "{c:?}");
    assert!(
        c.hits
            .iter()
            .all(|h| h.overrides_origin && h.rule.contains("*acme.app/api/*"))
    );
    let bypass = ruleset(
        json!([{ "id": "c2", "action": "set_cache_settings", "expression": "http.request.uri.path wildcard \"/api/*\"",
        "action_parameters": { "cache": false } }]),
    );
    assert!(coverage(&bypass.rules, &prs, &scopes()).hits.is_empty());
}

#[test]
fn rules_outside_the_subset_are_named_and_other_paths_pass() {
    let rs = ruleset(json!([
        { "id": "c1", "action": "set_cache_settings", "description": "static",
          "expression": "http.request.uri.path.extension in {\"js\" \"css\"}", "action_parameters": { "cache": true } },
        { "id": "c2", "action": "set_cache_settings", "description": "blog",
          "expression": "starts_with(http.request.uri.path, \"/blog/\")", "action_parameters": { "cache": true, "edge_ttl": { "mode": "override_origin", "default": 60 } } },
        { "id": "c3", "action": "set_cache_settings", "description": "disabled", "enabled": false,
          "expression": "true", "action_parameters": { "cache": true } }
    ]));
    let c = coverage(&rs.rules, &[], &scopes());
    assert!(c.hits.is_empty(), "{c:?}");
    assert_eq!(c.unevaluable.len(), 1);
    assert_eq!(c.unevaluable[0].0, "\"static\"");
}
