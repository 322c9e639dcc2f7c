//! Whether Cloudflare lets a webhook sender through. Stripe and other senders cannot
//! solve a challenge, so a block or any challenge on the webhook path loses events.
//! Custom rules run in order and the first matching block/challenge ends the request;
//! a matching skip rule can skip the rest of the custom rules (`ruleset: current`),
//! later phases (`phases`: rate limiting, Super Bot Fight Mode) and legacy products
//! (`products`: `securityLevel`, which is what Under Attack mode is). Managed WAF
//! rulesets (`execute`) are not judged.

use std::collections::BTreeSet;

use serde_json::Value;

use super::expr::{Truth, parse};
use super::{Bots, Request, Rule};

/// Actions that stop a webhook delivery.
pub const BLOCKING: [&str; 4] = ["block", "challenge", "js_challenge", "managed_challenge"];

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Access {
    pub fails: Vec<String>,
    pub warns: Vec<String>,
    /// Rules that could block or challenge the path but could not be evaluated.
    pub unevaluable: Vec<(String, String)>,
    /// Skip rules that cover the path.
    pub skipped_by: Vec<String>,
}

#[derive(Default)]
struct Skips {
    rest_of_custom: bool,
    phases: BTreeSet<String>,
    products: BTreeSet<String>,
}

fn strings(v: Option<&Value>) -> impl Iterator<Item = String> + '_ {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_owned))
}

fn eval(rule: &Rule, req: &Request) -> Truth {
    match parse(&rule.expression) {
        Ok(e) => e.eval(req),
        Err(why) => Truth::Unknown(format!("cannot parse: {why}")),
    }
}

pub fn judge(
    req: &Request,
    security_level: &str,
    custom: &[Rule],
    ratelimit: &[Rule],
    bots: Option<&Bots>,
) -> Access {
    let mut out = Access::default();
    let mut skips = Skips::default();
    let target = format!("{} {}", req.method, req.path);
    for rule in custom.iter().filter(|r| r.enabled) {
        if skips.rest_of_custom {
            break;
        }
        let blocking = BLOCKING.contains(&rule.action.as_str());
        if rule.action != "skip" && !blocking {
            continue;
        }
        match eval(rule, req) {
            Truth::True if rule.action == "skip" => {
                let p = &rule.action_parameters;
                skips.rest_of_custom = p.get("ruleset").and_then(Value::as_str) == Some("current");
                skips.phases.extend(strings(p.get("phases")));
                skips.products.extend(strings(p.get("products")));
                out.skipped_by.push(rule.label());
            }
            Truth::True => {
                out.fails.push(format!(
                    "custom rule {} ({}) matches {target}",
                    rule.label(),
                    rule.action
                ));
                // The first block or challenge ends the request.
                break;
            }
            Truth::False => {}
            Truth::Unknown(why) => out
                .unevaluable
                .push((format!("custom rule {}", rule.label()), why)),
        }
    }
    if security_level == "under_attack" && !skips.products.contains("securityLevel") {
        out.fails.push(
            format!("security level \"I'm Under Attack\" applies to {target}: every request, webhook deliveries included, gets a JavaScript challenge"),
        );
    }
    if !skips.phases.contains("http_ratelimit") {
        for rule in ratelimit
            .iter()
            .filter(|r| r.enabled && BLOCKING.contains(&r.action.as_str()))
        {
            match eval(rule, req) {
                Truth::True => out.fails.push(format!(
                    "rate limiting rule {} ({}) counts {target}: a burst of deliveries (a retry storm after an outage) is refused",
                    rule.label(),
                    rule.action
                )),
                Truth::False => {}
                Truth::Unknown(why) => out.unevaluable.push((format!("rate limiting rule {}", rule.label()), why)),
            }
        }
    }
    if let Some(bots) = bots {
        if bots.fight_mode == Some(true) {
            out.warns.push(
                "Bot Fight Mode is on: it can challenge webhook senders, and no rule can skip it"
                    .to_owned(),
            );
        }
        if !skips.phases.contains("http_request_sbfm") {
            out.warns.extend(
                bots.super_bot_fight_mode()
                    .into_iter()
                    .map(|s| format!("Super Bot Fight Mode ({s}) is not skipped for {target}")),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rule(action: &str, expression: &str, params: Value) -> Rule {
        Rule {
            id: format!("r-{action}"),
            action: action.to_owned(),
            expression: expression.to_owned(),
            enabled: true,
            description: Some(format!("{action} rule")),
            action_parameters: params,
        }
    }

    fn req() -> Request {
        Request::new("www.acme.app", "/api/webhooks/stripe", "POST")
    }

    #[test]
    fn a_challenge_on_the_path_fails_unless_skipped_first() {
        let challenge = rule(
            "managed_challenge",
            "starts_with(http.request.uri.path, \"/api/\")",
            Value::Null,
        );
        let a = judge(
            &req(),
            "medium",
            std::slice::from_ref(&challenge),
            &[],
            None,
        );
        assert_eq!(a.fails.len(), 1, "{a:?}");
        let skip = rule(
            "skip",
            "http.request.uri.path eq \"/api/webhooks/stripe\"",
            json!({"ruleset": "current", "phases": ["http_ratelimit"], "products": ["securityLevel"]}),
        );
        let limit = rule(
            "block",
            "http.request.uri.path wildcard \"/api/*\"",
            Value::Null,
        );
        let a = judge(
            &req(),
            "under_attack",
            &[skip.clone(), challenge.clone()],
            std::slice::from_ref(&limit),
            None,
        );
        assert!(a.fails.is_empty(), "{a:?}");
        assert_eq!(a.skipped_by, vec!["\"skip rule\"".to_owned()]);
        // The skip rule after the challenge comes too late.
        let a = judge(&req(), "medium", &[challenge, skip], &[limit], None);
        assert_eq!(a.fails.len(), 2, "{a:?}");
    }

    #[test]
    fn other_paths_methods_and_log_rules_pass_and_unknowns_are_named() {
        let rules = [
            rule("block", "http.request.uri.path eq \"/admin\"", Value::Null),
            rule(
                "block",
                "http.request.method eq \"GET\" and http.request.uri.path contains \"/api/\"",
                Value::Null,
            ),
            rule("log", "true", Value::Null),
            rule(
                "challenge",
                "ip.geoip.country in {\"US\" \"DE\"}",
                Value::Null,
            ),
        ];
        let a = judge(&req(), "high", &rules, &[], Some(&Bots::default()));
        assert!(a.fails.is_empty() && a.warns.is_empty(), "{a:?}");
        assert_eq!(a.unevaluable.len(), 1);
        assert!(a.unevaluable[0].1.contains("ip.geoip.country"), "{a:?}");
    }

    #[test]
    fn bot_fight_mode_warns() {
        let bots = Bots {
            fight_mode: Some(true),
            sbfm_definitely_automated: Some("managed_challenge".to_owned()),
            sbfm_likely_automated: Some("allow".to_owned()),
        };
        let a = judge(&req(), "medium", &[], &[], Some(&bots));
        assert!(a.fails.is_empty());
        assert_eq!(a.warns.len(), 2, "{a:?}");
    }
}
