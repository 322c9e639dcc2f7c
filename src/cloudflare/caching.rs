//! Which cache rules and page rules make a private or webhook path cacheable.
//! Cache rules (`http_request_cache_settings`) all run, in order, and a later
//! matching rule overrides an earlier one's settings; they take precedence over
//! page rules, of which only the highest-priority match applies. A private path is a
//! prefix, so it is tried on example paths: the prefix itself, a child, and every
//! path the rules themselves name under it.

use serde_json::Value;

use super::expr::{Expr, Truth, parse};
use super::{PageRule, Request, Rule, pagerule};

/// What must never be cached: a private path prefix or a webhook URL.
#[derive(Clone, Debug)]
pub struct Scope {
    pub host: String,
    pub path: String,
    /// A prefix (`/api/`) rather than one exact path.
    pub prefix: bool,
    /// As the result names it: `private path /api/`, `webhook stripe`.
    pub what: String,
}

/// A rule that makes something in a scope cacheable.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Hit {
    pub what: String,
    pub url: String,
    pub rule: String,
    /// The rule overrides the origin's `Cache-Control` (edge TTL override, cache
    /// everything): `fail`; otherwise the origin's headers still decide: `warn`.
    pub overrides_origin: bool,
}

#[derive(Debug, Default)]
pub struct Coverage {
    pub hits: Vec<Hit>,
    /// Rules that could make a scope cacheable but could not be evaluated.
    pub unevaluable: Vec<(String, String)>,
}

struct Parsed<'a> {
    rule: &'a Rule,
    expr: Result<Expr, String>,
}

pub fn coverage(cache_rules: &[Rule], page_rules: &[PageRule], scopes: &[Scope]) -> Coverage {
    let parsed: Vec<Parsed> = cache_rules
        .iter()
        .filter(|r| r.enabled && r.action == "set_cache_settings")
        .map(|rule| Parsed {
            rule,
            expr: parse(&rule.expression),
        })
        .collect();
    let mut literals: Vec<String> = parsed
        .iter()
        .filter_map(|p| p.expr.as_ref().ok())
        .flat_map(Expr::literals)
        .collect();
    literals.extend(page_rules.iter().flat_map(pagerule::example_paths));
    let mut out = Coverage::default();
    for scope in scopes {
        for path in candidates(scope, &literals) {
            let req = Request::new(&scope.host, &path, "GET");
            judge_request(&parsed, page_rules, scope, &req, &mut out);
        }
    }
    out.hits
        .dedup_by(|a, b| a.what == b.what && a.rule == b.rule);
    let mut seen = std::collections::HashSet::new();
    out.hits
        .retain(|h| seen.insert((h.what.clone(), h.rule.clone())));
    out.unevaluable.sort();
    out.unevaluable.dedup();
    out
}

fn judge_request(
    parsed: &[Parsed],
    page_rules: &[PageRule],
    scope: &Scope,
    req: &Request,
    out: &mut Coverage,
) {
    let mut cache: Option<(bool, String)> = None;
    let mut edge_override: Option<(bool, String)> = None;
    // Rules that could not be evaluated matter only if no later rule bypasses.
    let mut unknown: Vec<(String, String)> = Vec::new();
    for p in parsed {
        let params = &p.rule.action_parameters;
        let sets_cache = params.get("cache").and_then(Value::as_bool);
        let edge_mode = params.pointer("/edge_ttl/mode").and_then(Value::as_str);
        let truth = match &p.expr {
            Ok(e) => e.eval(req),
            Err(why) => Truth::Unknown(format!("cannot parse: {why}")),
        };
        match truth {
            Truth::True => {
                if let Some(c) = sets_cache {
                    cache = Some((c, p.rule.label()));
                    if !c {
                        unknown.clear();
                    }
                }
                if let Some(mode) = edge_mode {
                    edge_override = Some((mode == "override_origin", p.rule.label()));
                }
            }
            Truth::False => {}
            Truth::Unknown(why) => {
                if sets_cache == Some(true) || edge_mode == Some("override_origin") {
                    unknown.push((p.rule.label(), why));
                }
            }
        }
    }
    out.unevaluable.extend(unknown);
    match cache {
        Some((true, rule)) => {
            let overrides = edge_override.as_ref().is_some_and(|(o, _)| *o);
            let rule = match edge_override {
                Some((true, edge_rule)) if edge_rule != rule => format!("{rule} with {edge_rule}"),
                _ => rule,
            };
            out.hits.push(Hit {
                what: scope.what.clone(),
                url: req.full_uri(),
                rule: format!("cache rule {rule}"),
                overrides_origin: overrides,
            });
        }
        // A cache rule's bypass wins over any page rule.
        Some((false, _)) => {}
        None => {
            if let Some(pr) = pagerule::applying(page_rules, req)
                && pr.action("cache_level").and_then(Value::as_str) == Some("cache_everything")
            {
                out.hits.push(Hit {
                    what: scope.what.clone(),
                    url: req.full_uri(),
                    rule: format!("{} (cache level: cache everything)", pr.label()),
                    overrides_origin: true,
                });
            }
        }
    }
}

/// Example paths for a scope: the path itself, and for a prefix a child and every
/// path under it that the rules name (`*` filled in).
fn candidates(scope: &Scope, literals: &[String]) -> Vec<String> {
    let mut out = vec![scope.path.clone()];
    if scope.prefix {
        let base = if scope.path.ends_with('/') {
            scope.path.clone()
        } else {
            format!("{}/", scope.path)
        };
        out.push(format!("{base}x"));
        for lit in literals {
            let path = match lit.split_once("://") {
                Some((_, rest)) => rest.find('/').map(|i| &rest[i..]).unwrap_or("/"),
                None if lit.starts_with('/') => lit.as_str(),
                None => continue,
            };
            let path = path.replace('*', "x");
            if path.starts_with(&scope.path)
                || path.starts_with(base.trim_end_matches('/')) && path.len() > base.len()
            {
                out.push(format!("{}/x", path.trim_end_matches('/')));
                out.push(path);
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests;
