//! Finding the JavaScript a page loads, without an HTML parser: a tolerant scan of
//! `<script src>` and `<link rel=modulepreload|preload as=script href>` tags, plus
//! Next.js chunk paths (`/_next/static/chunks/….js`, `static/chunks/….js`) written
//! anywhere in the text (RSC payloads, `__NEXT_DATA__`, `_buildManifest.js`).
//!
//! Malformed markup never fails: the scanner skips what it cannot read.

/// Script URLs as written in the page (relative or absolute), in order, de-duplicated.
pub fn script_refs(html: &str) -> Vec<String> {
    let mut out = Unique::default();
    for (name, attrs) in tags(html) {
        let get = |key: &str| {
            attrs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
        };
        let url = match name.as_str() {
            "script" => get("src"),
            "link" => {
                let rel = get("rel").unwrap_or_default().to_ascii_lowercase();
                let as_script = get("as").is_some_and(|a| a.eq_ignore_ascii_case("script"));
                let rels: Vec<&str> = rel.split_ascii_whitespace().collect();
                (rels.contains(&"modulepreload") || (rels.contains(&"preload") && as_script))
                    .then(|| get("href"))
                    .flatten()
            }
            _ => None,
        };
        if let Some(url) = url.map(str::trim).filter(|u| !u.is_empty()) {
            out.push(decode_entities(url));
        }
    }
    let mut all = out.list;
    all.extend(chunk_refs(html));
    dedup(all)
}

/// Next.js chunk paths mentioned anywhere in `text`, made root-relative
/// (`static/chunks/x.js` → `/_next/static/chunks/x.js`); absolute URLs stay absolute.
pub fn chunk_refs(text: &str) -> Vec<String> {
    const MARK: &str = "static/chunks/";
    let bytes = text.as_bytes();
    let mut out = Unique::default();
    let mut from = 0;
    while let Some(found) = text.get(from..).and_then(|t| t.find(MARK)) {
        let at = from + found;
        let mut start = at;
        // Never walk back past the previous token, nor further than a URL can be long:
        // keeps the scan linear on text made of nothing but URL characters.
        let floor = from.max(at.saturating_sub(512));
        while start > floor && bytes.get(start - 1).is_some_and(|&b| url_byte(b)) {
            start -= 1;
        }
        let mut end = at + MARK.len();
        while bytes.get(end).is_some_and(|&b| url_byte(b)) {
            end += 1;
        }
        from = end;
        let token = text.get(start..end).unwrap_or_default();
        let token = token.trim_end_matches(['.', ',', ')']);
        if !token.ends_with(".js") || token.len() > 512 {
            continue;
        }
        let path = if token.starts_with("static/") {
            format!("/_next/{token}")
        } else if token.starts_with("_next/") {
            format!("/{token}")
        } else {
            token.to_owned()
        };
        out.push(path);
        if out.list.len() >= MAX_REFS {
            break;
        }
    }
    out.list
}

fn url_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'-' | b'_'
                | b'.'
                | b'/'
                | b':'
                | b'~'
                | b'%'
                | b'@'
                | b'+'
                | b'['
                | b']'
                | b'('
                | b')'
        )
}

/// References kept per document: far above any real page, and a bound on the work a
/// hostile page (hundreds of thousands of tags) can cause.
const MAX_REFS: usize = 2_000;

/// First-seen order, no duplicates, linear time.
#[derive(Default)]
struct Unique {
    list: Vec<String>,
    seen: std::collections::HashSet<String>,
}

impl Unique {
    fn push(&mut self, item: String) {
        if self.list.len() < MAX_REFS && self.seen.insert(item.clone()) {
            self.list.push(item);
        }
    }
}

fn dedup(list: Vec<String>) -> Vec<String> {
    let mut out = Unique::default();
    for item in list {
        out.push(item);
    }
    out.list
}

pub(crate) fn decode_entities(value: &str) -> String {
    value
        .replace("&amp;", "&")
        .replace("&#x2F;", "/")
        .replace("&#47;", "/")
        .replace("&quot;", "\"")
}

/// Every `<script …>` and `<link …>` start tag: its name and attributes (names
/// lower-cased). Comments are not special-cased: a commented-out script is still a
/// file the server may serve, so scanning it costs little and may find something.
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    tags_named(html, &["script", "link"])
}

/// Every start tag named in `names` (lower-case): its name and attributes.
pub(crate) fn tags_named(html: &str, names: &[&str]) -> Vec<(String, Vec<(String, String)>)> {
    let lower = html.to_ascii_lowercase();
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(found) = lower.get(i..).and_then(|t| t.find('<')) {
        let start = i + found + 1;
        let name_end = start
            + lower
                .get(start..)
                .unwrap_or_default()
                .find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(0);
        let name = lower.get(start..name_end).unwrap_or_default().to_owned();
        i = name_end.max(start);
        if !names.contains(&name.as_str()) {
            continue;
        }
        let (attrs, end) = attributes(bytes, name_end);
        i = end;
        out.push((name, attrs));
    }
    out
}

/// Attributes from `at` to the closing `>`; returns them and the index after it.
fn attributes(b: &[u8], mut at: usize) -> (Vec<(String, String)>, usize) {
    let mut attrs = Vec::new();
    let text = |from: usize, to: usize| {
        String::from_utf8_lossy(b.get(from..to).unwrap_or_default()).into_owned()
    };
    loop {
        while b
            .get(at)
            .is_some_and(|c| c.is_ascii_whitespace() || *c == b'/')
        {
            at += 1;
        }
        match b.get(at) {
            None => return (attrs, at),
            Some(b'>') => return (attrs, at + 1),
            _ => {}
        }
        let name_start = at;
        while b
            .get(at)
            .is_some_and(|c| !c.is_ascii_whitespace() && !matches!(c, b'=' | b'>' | b'/'))
        {
            at += 1;
        }
        let name = text(name_start, at).to_ascii_lowercase();
        while b.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        if b.get(at) != Some(&b'=') {
            attrs.push((name, String::new()));
            continue;
        }
        at += 1;
        while b.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        let value = match b.get(at) {
            Some(&q) if q == b'"' || q == b'\'' => {
                let from = at + 1;
                let to = (from..b.len())
                    .find(|&j| b.get(j) == Some(&q))
                    .unwrap_or(b.len());
                at = to + 1;
                text(from, to)
            }
            _ => {
                let from = at;
                while b
                    .get(at)
                    .is_some_and(|c| !c.is_ascii_whitespace() && *c != b'>')
                {
                    at += 1;
                }
                text(from, at)
            }
        };
        attrs.push((name, value));
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::{chunk_refs, script_refs};

    #[test]
    fn finds_script_sources_in_messy_markup() {
        let html = r#"<html><head>
            <SCRIPT src="/a.js"></SCRIPT>
            <script defer src='/_next/static/chunks/main-1.js'></script>
            <script async src=https://js.stripe.com/v3 ></script>
            <script>var inline = 1;</script>
            <link rel="modulepreload" href="/m.js">
            <link rel="preload" as="script" href="/p.js?v=1&amp;x=2">
            <link rel="stylesheet" href="/s.css">
            <script src="/a.js"></script>
            <script src="/unterminated.js
        "#;
        assert_eq!(
            script_refs(html),
            [
                "/a.js",
                "/_next/static/chunks/main-1.js",
                "https://js.stripe.com/v3",
                "/m.js",
                "/p.js?v=1&x=2",
                "/unterminated.js",
            ]
        );
    }

    #[test]
    fn finds_next_chunks_in_payloads_and_build_manifests() {
        let text = r#"self.__next_f.push([1,"2:I[\"static/chunks/app/page-abc.js\"]"]);
            self.__BUILD_MANIFEST={"/":["static/chunks/pages/index-9f.js"],"/blog/[slug]":["static/chunks/pages/blog/[slug]-1.js"]};
            "https://cdn.example.com/_next/static/chunks/cdn-2.js" "/_next/static/chunks/x.css" "#;
        assert_eq!(
            chunk_refs(text),
            [
                "/_next/static/chunks/app/page-abc.js",
                "/_next/static/chunks/pages/index-9f.js",
                "/_next/static/chunks/pages/blog/[slug]-1.js",
                "https://cdn.example.com/_next/static/chunks/cdn-2.js",
            ]
        );
    }

    #[test]
    fn a_page_of_a_hundred_thousand_tags_is_bounded() {
        let page: String = (0..100_000)
            .map(|i| format!("<script src=/{i}.js></script>"))
            .collect();
        let refs = script_refs(&page);
        assert_eq!(refs.len(), super::MAX_REFS);
        let chunks = "static/chunks/".repeat(200_000);
        assert!(chunk_refs(&chunks).is_empty());
    }

    #[test]
    fn garbage_never_panics() {
        for text in [
            "<",
            "<script",
            "<script src=",
            "<script src=\"",
            "<link rel=",
            "static/chunks/",
            "é<scrİpt src=x>",
        ] {
            let _ = script_refs(text);
        }
    }
}
