//! Referrer Policy (W3C Referrer Policy §8.1 "parse a referrer policy from a
//! Referrer-Policy header"; HTML §4.2.5.3 `<meta name="referrer">`).
//!
//! - The header's values are split on commas across every line; the *last* value that
//!   is a known policy wins, unknown tokens are ignored (that is how a site sends a
//!   new policy with a fallback for older browsers: `no-referrer, strict-origin`).
//! - A `<meta name="referrer">` in the document overrides the header (each one, in
//!   order, sets the document's policy); it accepts the legacy names `never`,
//!   `default`, `always` and `origin-when-crossorigin`.
//! - With no valid policy the browser default is `strict-origin-when-cross-origin`
//!   (Referrer Policy §3, Fetch §4.1): fine, not a finding.
//! - `unsafe-url` and `no-referrer-when-downgrade` send the full URL (path and query)
//!   to other origins (§3.2, §3.7): those leak.

use super::split_values;

/// The policies of Referrer Policy §3.
pub const POLICIES: [&str; 8] = [
    "no-referrer",
    "no-referrer-when-downgrade",
    "same-origin",
    "origin",
    "strict-origin",
    "origin-when-cross-origin",
    "strict-origin-when-cross-origin",
    "unsafe-url",
];

/// The browser default when nothing valid is set.
pub const DEFAULT: &str = "strict-origin-when-cross-origin";

/// Where the effective policy came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Header,
    Meta,
    Default,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Effective {
    pub policy: &'static str,
    pub source: Source,
    /// Tokens the browser ignored (unknown names), for the evidence.
    pub ignored: Vec<String>,
}

impl Effective {
    /// The full URL goes to other origins (and, for `unsafe-url`, to http: pages).
    pub fn leaks_full_url(&self) -> bool {
        matches!(self.policy, "unsafe-url" | "no-referrer-when-downgrade")
    }
}

fn known(token: &str) -> Option<&'static str> {
    POLICIES
        .iter()
        .copied()
        .find(|p| p.eq_ignore_ascii_case(token))
}

/// The policy the header lines set, if any, and the tokens ignored.
pub fn from_header(lines: &[&str]) -> (Option<&'static str>, Vec<String>) {
    let mut policy = None;
    let mut ignored = Vec::new();
    for token in split_values(lines) {
        match known(&token) {
            Some(p) => policy = Some(p),
            None if token.is_empty() => {}
            None => ignored.push(token),
        }
    }
    (policy, ignored)
}

/// The policy one `<meta name="referrer" content>` sets (HTML §4.2.5.3).
pub fn from_meta(content: &str) -> Option<&'static str> {
    let value = content.trim().to_ascii_lowercase();
    let value = match value.as_str() {
        "never" => "no-referrer",
        "default" => DEFAULT,
        "always" => "unsafe-url",
        "origin-when-crossorigin" => "origin-when-cross-origin",
        other => other,
    };
    known(value)
}

/// The document's policy: header, then each meta in document order, else default.
pub fn effective(header_lines: &[&str], metas: &[String]) -> Effective {
    let (mut policy, ignored) = from_header(header_lines);
    let mut source = policy.map(|_| Source::Header);
    for content in metas {
        if let Some(p) = from_meta(content) {
            policy = Some(p);
            source = Some(Source::Meta);
        }
    }
    Effective {
        policy: policy.unwrap_or(DEFAULT),
        source: source.unwrap_or(Source::Default),
        ignored,
    }
}

#[cfg(test)]
mod tests {
    use super::{Source, effective};

    #[test]
    fn last_valid_token_wins_and_meta_overrides() {
        let e = effective(&["no-referrer, foo, unsafe-url"], &[]);
        assert_eq!(e.policy, "unsafe-url");
        assert!(e.leaks_full_url());
        let e = effective(&["unsafe-url", "strict-origin, bogus"], &[]);
        assert_eq!(e.policy, "strict-origin");
        assert_eq!(e.ignored, ["bogus"]);
        let e = effective(&["no-referrer"], &["always".to_owned()]);
        assert_eq!((e.policy, e.source), ("unsafe-url", Source::Meta));
        let e = effective(&[], &[]);
        assert_eq!(
            (e.policy, e.source),
            ("strict-origin-when-cross-origin", Source::Default)
        );
        assert!(!e.leaks_full_url());
        assert_eq!(effective(&["nonsense"], &[]).source, Source::Default);
    }
}
