//! Grading the policies in force the way CSP graders do (Google's CSP Evaluator,
//! Mozilla Observatory), with launch-ready's levels (SPEC §7 "http.csp"):
//! `fail` when the scripts of the page are still open to injection — an effective
//! `'unsafe-inline'`, or a source that admits any origin's script (`*`, `https:`,
//! `http:`, `data:`) — in every policy that restricts scripts; `warn` for hardening
//! gaps: no enforced policy at all, no script restriction, `'unsafe-eval'`, scripts
//! from plain-HTTP hosts, plugins not switched off (`object-src 'none'`), `base-uri`
//! unrestricted, `frame-ancestors *`.

use super::csp::{Policy, Sources, frame_ancestors_open, frame_ancestors_protects, sources};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Warn,
    Fail,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    pub level: Level,
    pub text: String,
}

fn finding(level: Level, text: impl Into<String>) -> Finding {
    Finding {
        level,
        text: text.into(),
    }
}

/// Would an injected script run despite every enforced policy? `(inline, any_origin)`:
/// an injected inline `<script>` without nonce, and a `<script src>` from an origin the
/// attacker controls. A policy that does not restrict scripts leaves both open.
pub fn script_holes(policies: &[Policy]) -> (bool, bool) {
    let scripts: Vec<Sources> = policies
        .iter()
        .filter(|p| p.enforced())
        .filter_map(|p| p.script_sources())
        .map(sources)
        .collect();
    (
        scripts.iter().all(|s| s.unsafe_inline),
        scripts.iter().all(|s| !s.any_origin.is_empty()),
    )
}

/// Every finding about the policies in force; empty means a strong policy.
pub fn grade(policies: &[Policy]) -> Vec<Finding> {
    let mut out = Vec::new();
    let enforced: Vec<&Policy> = policies
        .iter()
        .filter(|p| p.enforced() && p.restricts_anything())
        .collect();
    if enforced.is_empty() {
        let mut why = "no enforced Content-Security-Policy".to_owned();
        let inert: Vec<&str> = policies
            .iter()
            .filter(|p| p.enforced())
            .flat_map(|p| p.ignored.iter().map(String::as_str))
            .collect();
        if !inert.is_empty() {
            why.push_str(&format!(
                " (the policy sent has no directive browsers know: `{}`)",
                inert.join("`, `")
            ));
        } else if policies.iter().any(|p| !p.enforced()) {
            why.push_str(" (Report-Only enforces nothing)");
        }
        out.push(finding(Level::Warn, why));
        return out;
    }
    let scripts: Vec<Sources> = enforced
        .iter()
        .filter_map(|p| p.script_sources())
        .map(sources)
        .collect();
    if scripts.is_empty() {
        out.push(finding(
            Level::Warn,
            "no script-src or default-src: the policy does not restrict scripts",
        ));
    } else {
        // A hole is open only when every script-restricting policy leaves it open.
        if scripts.iter().all(|s| s.unsafe_inline) {
            out.push(finding(
                Level::Fail,
                "script-src allows 'unsafe-inline' without a nonce, hash or 'strict-dynamic': injected inline scripts run",
            ));
        }
        if scripts.iter().all(|s| !s.any_origin.is_empty()) {
            let mut srcs: Vec<String> = scripts.iter().flat_map(|s| s.any_origin.clone()).collect();
            srcs.dedup();
            out.push(finding(
                Level::Fail,
                format!(
                    "script-src allows scripts from any origin ({})",
                    srcs.join(" ")
                ),
            ));
        }
        if scripts.iter().all(|s| s.unsafe_eval) {
            out.push(finding(Level::Warn, "script-src allows 'unsafe-eval'"));
        }
        if scripts.iter().all(|s| !s.insecure_hosts.is_empty()) {
            let hosts: Vec<String> = scripts
                .iter()
                .flat_map(|s| s.insecure_hosts.clone())
                .collect();
            out.push(finding(
                Level::Warn,
                format!(
                    "script-src allows scripts over plain HTTP ({})",
                    hosts.join(" ")
                ),
            ));
        }
    }
    let objects_off = enforced.iter().any(|p| {
        p.get("object-src")
            .or_else(|| p.get("default-src"))
            .is_some_and(|v| v.is_empty() || (v.len() == 1 && v[0].eq_ignore_ascii_case("'none'")))
    });
    if !objects_off {
        out.push(finding(
            Level::Warn,
            "no object-src 'none' (plugins can still run script)",
        ));
    }
    let base_restricted = enforced
        .iter()
        .any(|p| p.get("base-uri").is_some_and(|v| !frame_ancestors_open(v)));
    if !base_restricted {
        out.push(finding(
            Level::Warn,
            "no base-uri restriction (an injected <base> can redirect relative script URLs)",
        ));
    }
    if frame_ancestors_protects(policies) == Some(false) {
        out.push(finding(
            Level::Warn,
            "frame-ancestors * lets any site frame the page",
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Level, grade};
    use crate::headers::csp::policies;

    fn levels(header: &[&str], metas: &[&str]) -> Vec<Level> {
        let metas: Vec<String> = metas.iter().map(|m| (*m).to_owned()).collect();
        grade(&policies(header, &[], &metas))
            .into_iter()
            .map(|f| f.level)
            .collect()
    }

    #[test]
    fn grades_like_the_graders() {
        let strict = "script-src 'nonce-r4nd' 'strict-dynamic' https: 'unsafe-inline'; object-src 'none'; base-uri 'none'";
        assert!(levels(&[strict], &[]).is_empty());
        assert_eq!(levels(&[], &[]), [Level::Warn]);
        assert_eq!(levels(&["defa 'self'"], &[]), [Level::Warn]);
        assert!(levels(&["default-src 'self' 'unsafe-inline'"], &[]).contains(&Level::Fail));
        // A second policy without the hole closes it: the intersection applies.
        let two = [
            "default-src 'self' 'unsafe-inline'; base-uri 'self'",
            "script-src 'self'; object-src 'none'",
        ];
        assert!(levels(&two, &[]).is_empty());
        // The same through a <meta> policy.
        assert!(
            levels(
                &["default-src * 'unsafe-inline'; object-src 'none'; base-uri 'self'"],
                &["script-src 'self'"]
            )
            .is_empty()
        );
        assert!(
            levels(
                &["script-src https:; object-src 'none'; base-uri 'self'"],
                &[]
            )
            .contains(&Level::Fail)
        );
    }
}
