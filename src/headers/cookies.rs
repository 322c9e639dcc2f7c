//! `Set-Cookie` as RFC 6265bis (draft-ietf-httpbis-rfc6265bis) has browsers read it.
//!
//! - §5.6: the name/value pair runs to the first `;`; attribute names are
//!   case-insensitive and, when repeated, the last one wins.
//! - §5.6.7 `SameSite`: `Strict`, `Lax` and `None` (case-insensitive); any other value
//!   is ignored, as if the attribute were absent (browsers then apply their default).
//! - §5.7 (storage model): a `SameSite=None` cookie without `Secure` is ignored
//!   entirely; `__Secure-` needs `Secure`; `__Host-` needs `Secure`, no `Domain` and
//!   `Path=/` (§4.1.3) — otherwise the browser drops the cookie and whatever needed
//!   it breaks. Prefixes match case-insensitively.
//! - A cookie sent with `Max-Age` ≤ 0 deletes itself and is not judged.

use super::csp_grade::Level;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Cookie {
    pub name: String,
    pub secure: bool,
    pub http_only: bool,
    /// The attribute as written (`None` when absent).
    pub same_site: Option<String>,
    pub domain: Option<String>,
    pub path: Option<String>,
    pub deletes: bool,
}

/// Parse one `Set-Cookie` line (§5.6). The value is never kept: it may be a secret.
pub fn parse(line: &str) -> Cookie {
    let mut parts = line.split(';');
    let pair = parts.next().unwrap_or_default();
    let name = match pair.split_once('=') {
        Some((n, _)) => n.trim().to_owned(),
        None => String::new(),
    };
    let mut c = Cookie {
        name,
        secure: false,
        http_only: false,
        same_site: None,
        domain: None,
        path: None,
        deletes: false,
    };
    for attr in parts {
        let (key, value) = match attr.split_once('=') {
            Some((k, v)) => (k.trim(), Some(v.trim())),
            None => (attr.trim(), None),
        };
        match key.to_ascii_lowercase().as_str() {
            "secure" => c.secure = true,
            "httponly" => c.http_only = true,
            "samesite" => c.same_site = Some(value.unwrap_or_default().to_owned()),
            "domain" => c.domain = value.map(str::to_owned).filter(|d| !d.is_empty()),
            "path" => c.path = value.map(str::to_owned),
            "max-age" => {
                c.deletes = value
                    .and_then(|v| v.parse::<i64>().ok())
                    .is_some_and(|age| age <= 0);
            }
            _ => {}
        }
    }
    c
}

/// `SameSite` as enforced: `Some("strict"|"lax"|"none")`, `None` when absent or ignored.
pub fn same_site(c: &Cookie) -> Option<&'static str> {
    let v = c.same_site.as_deref()?.to_ascii_lowercase();
    ["strict", "lax", "none"].into_iter().find(|k| *k == v)
}

/// A cookie that carries a login: browsers should never hand it to scripts.
pub fn looks_like_session(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    if n.contains("csrf") || n.contains("xsrf") {
        // Double-submit tokens must be readable by the page's own script.
        return false;
    }
    [
        "sess", "sid", "auth", "token", "jwt", "login", "remember", "__client", "user_id",
    ]
    .iter()
    .any(|k| n.contains(k))
}

/// Starts with `prefix`, ASCII case-insensitively.
fn has_prefix(name: &str, prefix: &str) -> bool {
    name.get(..prefix.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
}

/// Why a browser would refuse to store the cookie at all (§5.7), if it would.
pub fn rejected(c: &Cookie) -> Option<&'static str> {
    if has_prefix(&c.name, "__Host-")
        && (!c.secure || c.domain.is_some() || c.path.as_deref() != Some("/"))
    {
        return Some("__Host- prefix rules broken");
    }
    if has_prefix(&c.name, "__Secure-") && !c.secure {
        return Some("__Secure- prefix without Secure");
    }
    if same_site(c) == Some("none") && !c.secure {
        return Some("SameSite=None without Secure");
    }
    None
}

/// What is wrong with one cookie set by an `https` (or not) page.
pub fn findings(c: &Cookie, https: bool) -> Vec<(Level, String)> {
    let mut out = Vec::new();
    if c.deletes {
        return out;
    }
    let name = &c.name;
    if has_prefix(name, "__Host-") {
        let mut broken = Vec::new();
        if !c.secure {
            broken.push("no Secure");
        }
        if c.domain.is_some() {
            broken.push("a Domain attribute");
        }
        if c.path.as_deref() != Some("/") {
            broken.push("a Path other than /");
        }
        if !broken.is_empty() {
            out.push((
                Level::Fail,
                format!(
                    "`{name}` breaks the __Host- prefix rules ({}): browsers drop it",
                    broken.join(", ")
                ),
            ));
        }
    } else if has_prefix(name, "__Secure-") && !c.secure {
        out.push((
            Level::Fail,
            format!("`{name}` has the __Secure- prefix without Secure: browsers drop it"),
        ));
    }
    let ss = same_site(c);
    if ss == Some("none") && !c.secure {
        out.push((
            Level::Fail,
            format!("`{name}` is SameSite=None without Secure: browsers reject it"),
        ));
    } else if https && !c.secure {
        out.push((
            Level::Fail,
            format!("`{name}` has no Secure attribute: it is also sent over plain HTTP"),
        ));
    }
    if looks_like_session(name) && !c.http_only {
        out.push((
            Level::Warn,
            format!(
                "`{name}` looks like a session cookie but has no HttpOnly: scripts can read it"
            ),
        ));
    }
    match (ss, c.same_site.as_deref()) {
        (Some(_), _) => {}
        (None, None) => out.push((Level::Warn, format!("`{name}` has no SameSite attribute"))),
        (None, Some(v)) => out.push((
            Level::Warn,
            format!("`{name}` has SameSite={v}, which browsers ignore"),
        )),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Level, findings, parse};

    fn worst(line: &str) -> Option<Level> {
        findings(&parse(line), true)
            .into_iter()
            .map(|(l, _)| l)
            .max()
    }

    #[test]
    fn judges_like_6265bis() {
        assert_eq!(worst("sid=1; Secure; HttpOnly; SameSite=Lax; Path=/"), None);
        assert_eq!(worst("sid=1; HttpOnly; SameSite=Lax"), Some(Level::Fail));
        assert_eq!(worst("theme=dark; Secure; SameSite=Lax"), None);
        assert_eq!(worst("session=1; Secure; SameSite=Lax"), Some(Level::Warn));
        assert_eq!(worst("a=1; Secure; SameSite=Bogus"), Some(Level::Warn));
        assert_eq!(worst("a=1; SameSite=None"), Some(Level::Fail));
        assert_eq!(
            worst("__Host-a=1; Secure; Path=/; Domain=acme.app; SameSite=Lax"),
            Some(Level::Fail)
        );
        assert_eq!(worst("__host-a=1; Secure; Path=/; SameSite=Lax"), None);
        assert_eq!(worst("__Secure-a=1; SameSite=Lax"), Some(Level::Fail));
        assert_eq!(worst("sid=; Max-Age=0"), None);
        let c = parse("a=1; SECURE; samesite=strict; SameSite=none");
        assert_eq!(c.same_site.as_deref(), Some("none"));
    }
}
