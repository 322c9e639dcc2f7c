//! Page rule URL patterns: `*` matches any run of characters; a pattern without a
//! scheme matches both http and https; the query string is part of the URL. Only the
//! highest-priority active page rule that matches a URL applies.

use super::expr::wildcard;
use super::{PageRule, Request};

/// Whether one page rule's targets match the request.
pub fn matches(rule: &PageRule, req: &Request) -> bool {
    rule.targets.iter().any(|t| {
        let c = &t.constraint;
        let hit = pattern_matches(&c.value, req);
        match c.operator.as_str() {
            "matches" => hit,
            "equals" => {
                c.value.eq_ignore_ascii_case(&req.full_uri()) || c.value == without_scheme(req)
            }
            "contains" => req.full_uri().contains(&c.value),
            "not_equal" => c.value != req.full_uri() && c.value != without_scheme(req),
            "not_contain" => !req.full_uri().contains(&c.value),
            _ => false,
        }
    })
}

fn without_scheme(req: &Request) -> String {
    format!("{}{}", req.host, req.path)
}

fn pattern_matches(pattern: &str, req: &Request) -> bool {
    let pattern = pattern.trim();
    let (scheme, rest) = match pattern.split_once("://") {
        Some((s, r)) => (Some(s.to_ascii_lowercase()), r),
        None => (None, pattern),
    };
    if scheme.as_deref().is_some_and(|s| s != "https" && s != "*") {
        return false;
    }
    // The host part is case-insensitive; the path part is not.
    let (host_pat, path_pat) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/*"),
    };
    let host_pat = host_pat.split(':').next().unwrap_or(host_pat);
    wildcard(&req.host, &host_pat.to_ascii_lowercase()) && wildcard(&req.path, path_pat)
}

/// The page rule that applies to the request: the highest-priority active one
/// that matches (Cloudflare applies one page rule per URL).
pub fn applying<'a>(rules: &'a [PageRule], req: &Request) -> Option<&'a PageRule> {
    let mut active: Vec<&PageRule> = rules.iter().filter(|r| r.is_active()).collect();
    active.sort_by_key(|r| std::cmp::Reverse(r.priority));
    active.into_iter().find(|r| matches(r, req))
}

/// Example paths a pattern is about (its path part, with `*` filled in).
pub fn example_paths(rule: &PageRule) -> Vec<String> {
    rule.targets
        .iter()
        .filter_map(|t| {
            let v = t.constraint.value.trim();
            let rest = v.split_once("://").map_or(v, |(_, r)| r);
            rest.find('/').map(|i| rest[i..].replace('*', "x"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloudflare::{PageRuleAction, PageRuleConstraint, PageRuleTarget};

    fn rule(pattern: &str, priority: i64, cache_level: &str) -> PageRule {
        PageRule {
            id: format!("pr{priority}"),
            targets: vec![PageRuleTarget {
                target: Some("url".to_owned()),
                constraint: PageRuleConstraint {
                    operator: "matches".to_owned(),
                    value: pattern.to_owned(),
                },
            }],
            actions: vec![PageRuleAction {
                id: "cache_level".to_owned(),
                value: serde_json::json!(cache_level),
            }],
            priority,
            status: "active".to_owned(),
        }
    }

    #[test]
    fn patterns_match_like_cloudflare() {
        let req = Request::new("www.acme.app", "/api/webhooks/stripe", "POST");
        for (pattern, hit) in [
            ("*acme.app/api/*", true),
            ("www.acme.app/api/*", true),
            ("https://www.acme.app/api/*", true),
            ("http://www.acme.app/api/*", false),
            ("WWW.ACME.APP/api/*", true),
            ("www.acme.app/API/*", false),
            ("acme.app/api/*", false),
            ("www.acme.app/static/*", false),
            ("*.acme.app/*", true),
            ("www.acme.app", true),
        ] {
            assert_eq!(matches(&rule(pattern, 1, "bypass"), &req), hit, "{pattern}");
        }
    }

    #[test]
    fn the_highest_priority_match_applies() {
        let rules = vec![
            rule("*acme.app/*", 1, "cache_everything"),
            rule("*acme.app/api/*", 2, "bypass"),
        ];
        let req = Request::new("www.acme.app", "/api/x", "GET");
        assert_eq!(applying(&rules, &req).map(|r| r.id.as_str()), Some("pr2"));
        let req = Request::new("www.acme.app", "/about", "GET");
        assert_eq!(applying(&rules, &req).map(|r| r.id.as_str()), Some("pr1"));
        assert_eq!(example_paths(&rules[1]), vec!["/api/x".to_owned()]);
    }
}
