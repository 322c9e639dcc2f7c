//! What the canonical document itself declares: `<meta http-equiv=
//! "Content-Security-Policy">` and `<meta name="referrer">` in the head (HTML
//! §4.2.5.3 processes them only there), and the subresources it loads (for SRI and
//! mixed content). A tolerant scan, never an error: markup it cannot read is skipped.

use crate::checks::web::scripts::{decode_entities, tags_named};

/// One start tag, attribute names lower-cased, values entity-decoded.
#[derive(Clone, Debug)]
pub struct Tag {
    pub name: String,
    pub attrs: Vec<(String, String)>,
}

impl Tag {
    pub fn get(&self, attr: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == attr)
            .map(|(_, v)| v.as_str())
    }
    pub fn has(&self, attr: &str) -> bool {
        self.attrs.iter().any(|(k, _)| k == attr)
    }
}

pub fn tags(html: &str, names: &[&str]) -> Vec<Tag> {
    tags_named(html, names)
        .into_iter()
        .map(|(name, attrs)| Tag {
            name,
            attrs: attrs
                .into_iter()
                .map(|(k, v)| (k, decode_entities(&v)))
                .collect(),
        })
        .collect()
}

/// The head: everything before `<body` (all of it when there is no body tag).
fn head(html: &str) -> &str {
    let lower = html.to_ascii_lowercase();
    match lower.find("<body") {
        Some(at) => html.get(..at).unwrap_or(html),
        None => html,
    }
}

fn metas<'a>(html: &'a str) -> impl Iterator<Item = Tag> + 'a {
    tags(head(html), &["meta"]).into_iter()
}

/// `content` of every `<meta http-equiv="Content-Security-Policy">` in the head.
pub fn meta_csp(html: &str) -> Vec<String> {
    metas(html)
        .filter(|t| {
            t.get("http-equiv")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("content-security-policy"))
        })
        .filter_map(|t| t.get("content").map(str::to_owned))
        .collect()
}

/// `content` of every `<meta name="referrer">` in the head.
pub fn meta_referrer(html: &str) -> Vec<String> {
    metas(html)
        .filter(|t| {
            t.get("name")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("referrer"))
        })
        .filter_map(|t| t.get("content").map(str::to_owned))
        .collect()
}

/// A subresource the page loads.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Subresource {
    /// `script`, `stylesheet`, `preload`, `img`, `iframe`, …
    pub kind: String,
    pub url: String,
    /// Subresource Integrity applies to it (W3C SRI §3.3: scripts and stylesheets,
    /// and preloads of them).
    pub integrity_applies: bool,
    pub integrity: Option<String>,
}

/// Every subresource reference, in document order.
pub fn subresources(html: &str) -> Vec<Subresource> {
    let names = [
        "script", "link", "img", "iframe", "source", "video", "audio", "embed", "object", "track",
    ];
    let mut out = Vec::new();
    for tag in tags(html, &names) {
        let (kind, url, sri) = match tag.name.as_str() {
            "script" => ("script".to_owned(), tag.get("src"), true),
            "link" => {
                let rel = tag.get("rel").unwrap_or_default().to_ascii_lowercase();
                let rels: Vec<&str> = rel.split_ascii_whitespace().collect();
                let as_ = tag.get("as").unwrap_or_default().to_ascii_lowercase();
                if rels.contains(&"stylesheet") {
                    ("stylesheet".to_owned(), tag.get("href"), true)
                } else if rels.contains(&"modulepreload") {
                    ("modulepreload".to_owned(), tag.get("href"), true)
                } else if rels.contains(&"preload") {
                    let sri = as_ == "script" || as_ == "style";
                    (format!("preload as={as_}"), tag.get("href"), sri)
                } else if rels.iter().any(|r| matches!(*r, "icon" | "manifest")) {
                    (rel.clone(), tag.get("href"), false)
                } else {
                    // dns-prefetch, preconnect, canonical, alternate…: not loads.
                    continue;
                }
            }
            "object" => ("object".to_owned(), tag.get("data"), false),
            other => (other.to_owned(), tag.get("src"), false),
        };
        let Some(url) = url.map(str::trim).filter(|u| !u.is_empty()) else {
            continue;
        };
        out.push(Subresource {
            kind,
            url: url.to_owned(),
            integrity_applies: sri,
            integrity: tag
                .get("integrity")
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{meta_csp, meta_referrer, subresources};

    #[test]
    fn reads_head_metas_and_subresources() {
        let html = r#"<html><head><meta http-equiv="Content-Security-Policy" content="script-src 'self'">
<meta name=referrer content="no-referrer"><link rel="stylesheet" href="https://cdn.example/a.css" integrity="sha384-x">
<link rel=preconnect href="https://cdn.example"></head><body><meta name="referrer" content="unsafe-url">
<script src="http://cdn.example/a.js"></script><img src="/a.png"></body>"#;
        assert_eq!(meta_csp(html), ["script-src 'self'"]);
        assert_eq!(meta_referrer(html), ["no-referrer"]);
        let subs = subresources(html);
        assert_eq!(subs.len(), 3);
        assert_eq!(subs[0].integrity.as_deref(), Some("sha384-x"));
        assert_eq!(subs[1].kind, "script");
        assert!(subs[1].integrity.is_none());
    }
}
