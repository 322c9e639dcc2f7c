//! Placeholder values (SPEC §7): a value containing `TODO`, or a host under
//! `example.com`, `example.net` or `example.org`, is a value nobody has filled in yet —
//! typically left by `launch-ready init`. They are found generically, by walking the
//! manifest's serialised form, so that a new section needs no code here.

use serde_json::Value;

use super::Manifest;

/// One placeholder: where it is, and the host it names (when it is a host or URL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    /// Field path: `web.canonical`, `webhooks[0].url`, `email.dkim_selectors[0]`.
    pub field: String,
    pub host: Option<String>,
}

const RESERVED: [&str; 3] = ["example.com", "example.net", "example.org"];

/// `host` is under a documentation domain (RFC 2606).
pub fn reserved_host(host: &str) -> bool {
    let h = host.trim_end_matches('.').to_ascii_lowercase();
    RESERVED
        .iter()
        .any(|r| h == *r || h.ends_with(&format!(".{r}")))
}

/// The host a value names: a URL's host, an email address's domain, or the value
/// itself when it looks like a bare host name.
fn host_of(value: &str) -> Option<String> {
    if value.contains("://") {
        return url::Url::parse(value)
            .ok()
            .and_then(|u| u.host_str().map(str::to_ascii_lowercase));
    }
    let candidate = value.rsplit_once('@').map_or(value, |(_, d)| d);
    let hostish = candidate.contains('.')
        && candidate
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    hostish.then(|| candidate.to_ascii_lowercase())
}

/// Whether a single value is a placeholder.
pub fn is_placeholder(value: &str) -> bool {
    value.contains("TODO") || host_of(value).is_some_and(|h| reserved_host(&h))
}

/// Every placeholder value in the manifest, in field order.
pub fn scan(m: &Manifest) -> Vec<Placeholder> {
    let mut out = Vec::new();
    if let Ok(v) = serde_json::to_value(m) {
        walk(&v, String::new(), &mut out);
    }
    out
}

fn walk(v: &Value, path: String, out: &mut Vec<Placeholder>) {
    match v {
        Value::String(s) if is_placeholder(s) => out.push(Placeholder {
            field: path,
            host: host_of(s),
        }),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, format!("{path}[{i}]"), out);
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                walk(item, p, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_todo_values_and_reserved_hosts_with_their_paths() {
        let m = crate::manifest::parse_str(
            "version: 1\nproject: p\nweb:\n  canonical: https://www.example.com\n  aliases: [acme.app, example.org]\nemail:\n  domain: acme.app\n  dkim_selectors: [resend, TODO]\nwebhooks:\n  - { name: s, url: \"https://acme.app/api/webhooks/stripe\" }\n  - { name: t, url: \"https://acme.app/hook\", secret_env: TODO_SECRET }\n",
            "m.yaml",
        )
        .unwrap();
        let fields: Vec<String> = scan(&m).into_iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            [
                "web.canonical",
                "web.aliases[1]",
                "email.dkim_selectors[1]",
                "webhooks[1].secret_env"
            ]
        );
        assert!(!is_placeholder("https://notexample.com/x"));
        assert!(is_placeholder("owner@example.net"));
        assert!(!is_placeholder("/api/todos"));
    }
}
