//! Content Security Policy as browsers enforce it (CSP Level 3).
//!
//! - §2.2.2: every `Content-Security-Policy` line, split on commas, is a separate
//!   policy, and every one is enforced; `-Report-Only` enforces nothing. HTML §4.2.5.3:
//!   a `<meta http-equiv>` policy in the head is enforced too, but `frame-ancestors`,
//!   `report-uri` and `sandbox` are ignored there (CSP3 §3.3).
//! - §2.2.1: directives split on `;`, names lower-cased, the first of a repeated
//!   directive wins; a name that is not a directive (`defa`, `frame-anchestors`)
//!   does nothing — a policy made only of those enforces nothing.
//! - §6.1.3 / §6.7.2: `script-src-elem` → `script-src` → `default-src` is the fallback
//!   chain for scripts, `object-src` → `default-src` for plugins; `base-uri` and
//!   `frame-ancestors` have no fallback.
//! - §6.7.3.3: `'unsafe-inline'` is ignored when the list holds a nonce or a hash;
//!   §8.2 `'strict-dynamic'`: host sources, scheme sources, `'self'` and
//!   `'unsafe-inline'` are ignored (backward-compatible fallbacks, not holes).
//! - Several policies: a resource loads only if *every* policy allows it, so a hole
//!   is open only when every policy that restricts scripts leaves it open.

use super::split_values;

/// Directives CSP3 (and its modules: Trusted Types, Mixed Content, Upgrade Insecure
/// Requests) define; any other name is ignored by browsers.
pub const DIRECTIVES: [&str; 28] = [
    "base-uri",
    "block-all-mixed-content",
    "child-src",
    "connect-src",
    "default-src",
    "fenced-frame-src",
    "font-src",
    "form-action",
    "frame-ancestors",
    "frame-src",
    "img-src",
    "manifest-src",
    "media-src",
    "object-src",
    "report-to",
    "report-uri",
    "require-trusted-types-for",
    "sandbox",
    "script-src",
    "script-src-attr",
    "script-src-elem",
    "style-src",
    "style-src-attr",
    "style-src-elem",
    "trusted-types",
    "upgrade-insecure-requests",
    "webrtc",
    "worker-src",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    Header,
    ReportOnly,
    Meta,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct Policy {
    pub delivery: Delivery,
    pub text: String,
    /// Recognised directives (name lower-cased, values as written), first wins.
    pub directives: Vec<(String, Vec<String>)>,
    /// Names browsers ignore (unknown, repeated, or not allowed in `<meta>`).
    pub ignored: Vec<String>,
}

impl Policy {
    pub fn get(&self, name: &str) -> Option<&[String]> {
        self.directives
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_slice())
    }
    pub fn enforced(&self) -> bool {
        self.delivery != Delivery::ReportOnly
    }
    /// Does anything but reporting: a policy of unknown names enforces nothing.
    pub fn restricts_anything(&self) -> bool {
        self.directives
            .iter()
            .any(|(n, _)| n != "report-uri" && n != "report-to")
    }
    /// The source list that governs `<script>` elements (§6.7.2 fallback chain).
    pub fn script_sources(&self) -> Option<&[String]> {
        self.get("script-src-elem")
            .or_else(|| self.get("script-src"))
            .or_else(|| self.get("default-src"))
    }
}

/// Parse one serialized policy (§2.2.1).
pub fn parse_policy(text: &str, delivery: Delivery) -> Policy {
    let mut directives: Vec<(String, Vec<String>)> = Vec::new();
    let mut ignored = Vec::new();
    for token in text.split(';') {
        let mut words = token.split_ascii_whitespace();
        let Some(name) = words.next() else { continue };
        let name = name.to_ascii_lowercase();
        let values: Vec<String> = words.map(str::to_owned).collect();
        let meta_forbidden = delivery == Delivery::Meta
            && matches!(name.as_str(), "frame-ancestors" | "report-uri" | "sandbox");
        if !DIRECTIVES.contains(&name.as_str())
            || meta_forbidden
            || directives.iter().any(|(n, _)| *n == name)
        {
            ignored.push(name);
            continue;
        }
        directives.push((name, values));
    }
    Policy {
        delivery,
        text: text.trim().to_owned(),
        directives,
        ignored,
    }
}

/// Every policy of a response and its document (§2.2.2, HTML §4.2.5.3).
pub fn policies(
    header_lines: &[&str],
    report_only_lines: &[&str],
    metas: &[String],
) -> Vec<Policy> {
    let mut out = Vec::new();
    for (lines, delivery) in [
        (header_lines, Delivery::Header),
        (report_only_lines, Delivery::ReportOnly),
    ] {
        for text in split_values(lines) {
            if !text.trim().is_empty() {
                out.push(parse_policy(&text, delivery));
            }
        }
    }
    for text in metas {
        if !text.trim().is_empty() {
            out.push(parse_policy(text, Delivery::Meta));
        }
    }
    out
}

/// What one source list allows, read as §6.7 and §8.2 say a browser reads it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sources {
    pub strict_dynamic: bool,
    pub nonce_or_hash: bool,
    /// `'unsafe-inline'` that is actually in force.
    pub unsafe_inline: bool,
    pub unsafe_eval: bool,
    /// Sources that let any origin's script in: `*`, `http:`, `https:`, `data:`…
    pub any_origin: Vec<String>,
    /// Host sources fetched over plain HTTP (`http://cdn.example`).
    pub insecure_hosts: Vec<String>,
}

fn keyword(v: &str, k: &str) -> bool {
    v.eq_ignore_ascii_case(k)
}

pub fn sources(list: &[String]) -> Sources {
    let lower: Vec<String> = list.iter().map(|v| v.to_ascii_lowercase()).collect();
    let strict_dynamic = lower.iter().any(|v| keyword(v, "'strict-dynamic'"));
    let nonce_or_hash = lower.iter().any(|v| {
        ["'nonce-", "'sha256-", "'sha384-", "'sha512-"]
            .iter()
            .any(|p| v.starts_with(p))
    });
    let unsafe_inline =
        lower.iter().any(|v| keyword(v, "'unsafe-inline'")) && !nonce_or_hash && !strict_dynamic;
    let unsafe_eval = lower.iter().any(|v| keyword(v, "'unsafe-eval'"));
    let (mut any_origin, mut insecure_hosts) = (Vec::new(), Vec::new());
    if !strict_dynamic {
        for (raw, v) in list.iter().zip(&lower) {
            if matches!(
                v.as_str(),
                "*" | "http:"
                    | "https:"
                    | "data:"
                    | "blob:"
                    | "filesystem:"
                    | "http://*"
                    | "https://*"
            ) {
                any_origin.push(raw.clone());
            } else if v.starts_with("http://") {
                insecure_hosts.push(raw.clone());
            }
        }
    }
    Sources {
        strict_dynamic,
        nonce_or_hash,
        unsafe_inline,
        unsafe_eval,
        any_origin,
        insecure_hosts,
    }
}

/// `frame-ancestors` that lets any site frame the page.
pub fn frame_ancestors_open(values: &[String]) -> bool {
    values.iter().any(|v| {
        matches!(
            v.to_ascii_lowercase().as_str(),
            "*" | "https:" | "http:" | "https://*" | "http://*"
        )
    })
}

/// Who may frame the page by CSP: `None` when no enforced header policy has
/// `frame-ancestors` (then X-Frame-Options decides), `Some(true)` when one restricts.
pub fn frame_ancestors_protects(policies: &[Policy]) -> Option<bool> {
    let lists: Vec<&[String]> = policies
        .iter()
        .filter(|p| p.delivery == Delivery::Header)
        .filter_map(|p| p.get("frame-ancestors"))
        .collect();
    if lists.is_empty() {
        return None;
    }
    // Every policy must allow the framing: one restrictive list is enough.
    Some(lists.iter().any(|l| !frame_ancestors_open(l)))
}

#[cfg(test)]
mod tests {
    use super::{Delivery, frame_ancestors_protects, parse_policy, policies, sources};

    fn s(list: &str) -> Vec<String> {
        list.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn parses_directives_like_browsers() {
        let p = parse_policy("defa 'self'; frame-anchestors 'none'", Delivery::Header);
        assert!(!p.restricts_anything());
        assert_eq!(p.ignored, ["defa", "frame-anchestors"]);
        let p = parse_policy("SCRIPT-SRC 'self'; script-src *", Delivery::Header);
        assert_eq!(p.script_sources().map(<[String]>::len), Some(1));
        let m = parse_policy("frame-ancestors 'none'; default-src 'self'", Delivery::Meta);
        assert!(m.get("frame-ancestors").is_none());
        let all = policies(
            &["default-src 'self', script-src *", "img-src *"],
            &["default-src 'none'"],
            &[],
        );
        assert_eq!(all.len(), 4);
        assert!(!all[3].enforced());
    }

    #[test]
    fn nonce_hash_and_strict_dynamic_neutralise_fallbacks() {
        assert!(sources(&s("'unsafe-inline'")).unsafe_inline);
        assert!(!sources(&s("'nonce-abc' 'unsafe-inline'")).unsafe_inline);
        let sd = sources(&s("'nonce-abc' 'strict-dynamic' https: 'unsafe-inline'"));
        assert!(!sd.unsafe_inline && sd.any_origin.is_empty());
        assert_eq!(
            sources(&s("'self' https: data:")).any_origin,
            ["https:", "data:"]
        );
        assert_eq!(
            sources(&s("http://cdn.example")).insecure_hosts,
            ["http://cdn.example"]
        );
    }

    #[test]
    fn frame_ancestors_star_protects_nothing() {
        let p = |t: &str| vec![parse_policy(t, Delivery::Header)];
        assert_eq!(
            frame_ancestors_protects(&p("frame-ancestors *")),
            Some(false)
        );
        assert_eq!(
            frame_ancestors_protects(&p("frame-ancestors 'self'")),
            Some(true)
        );
        assert_eq!(frame_ancestors_protects(&p("default-src 'self'")), None);
    }
}
