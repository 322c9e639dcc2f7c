//! `Strict-Transport-Security` as a user agent processes it (RFC 6797).
//!
//! - §8.1: only the *first* STS header field of a response is processed; later ones
//!   are ignored, whatever they say.
//! - §6.1: directives are separated by `;`; a directive name is a token, its value a
//!   token or quoted-string. A header field that does not conform to the syntax — a
//!   directive repeated (rule 2), a comma-joined second header (`…; includeSubDomains,
//!   max-age=…` makes `includeSubDomains, max-age` a name that is not a token) — is
//!   ignored entirely (rule 4): the browser keeps no HSTS policy from it.
//! - §6.1.1: `max-age` is required and is `1*DIGIT` (optionally quoted): `max-age=abc`
//!   is malformed. §6.1.2: `includeSubDomains` is valueless.
//! - Unknown directives with valid syntax are ignored (rule 5).

/// A policy a browser would store.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Policy {
    pub max_age: u64,
    pub include_subdomains: bool,
    pub preload: bool,
}

/// What the response's STS header fields amount to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sts {
    Absent,
    /// The first field is ignored by browsers, with the reason (RFC 6797 §6.1 rule 4).
    Invalid(String),
    Valid(Policy),
}

/// Judge the STS lines of one response (RFC 6797 §8.1: the first one only).
pub fn effective(lines: &[&str]) -> Sts {
    match lines.first() {
        None => Sts::Absent,
        Some(first) => match parse(first) {
            Ok(p) => Sts::Valid(p),
            Err(why) => Sts::Invalid(why),
        },
    }
}

/// RFC 7230 §3.2.6 `tchar`.
fn is_tchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

fn is_token(s: &str) -> bool {
    !s.is_empty() && s.chars().all(is_tchar)
}

/// A directive value: a token, or a quoted-string (returned unquoted).
fn value(raw: &str) -> Result<String, String> {
    if let Some(inner) = raw.strip_prefix('"') {
        let Some(inner) = inner.strip_suffix('"') else {
            return Err(format!("unterminated quoted value `{raw}`"));
        };
        // quoted-pair: a backslash escapes the next character.
        let mut out = String::new();
        let mut escaped = false;
        for c in inner.chars() {
            match (escaped, c) {
                (false, '\\') => escaped = true,
                (false, '"') => return Err(format!("stray quote in `{raw}`")),
                _ => {
                    out.push(c);
                    escaped = false;
                }
            }
        }
        return Ok(out);
    }
    if is_token(raw) {
        Ok(raw.to_owned())
    } else {
        Err(format!("`{raw}` is neither a token nor a quoted string"))
    }
}

/// Parse one STS header field; `Err` says why a browser ignores it.
pub fn parse(field: &str) -> Result<Policy, String> {
    let mut max_age = None;
    let mut include_subdomains = false;
    let mut preload = false;
    let mut seen: Vec<String> = Vec::new();
    for directive in field.split(';') {
        let directive = directive.trim_matches([' ', '\t']);
        if directive.is_empty() {
            continue;
        }
        let (name, raw) = match directive.split_once('=') {
            Some((n, v)) => (
                n.trim_end_matches([' ', '\t']),
                Some(v.trim_start_matches([' ', '\t'])),
            ),
            None => (directive, None),
        };
        if !is_token(name) {
            return Err(format!(
                "`{name}` is not a directive name (a second header joined with a comma?)"
            ));
        }
        let lower = name.to_ascii_lowercase();
        if seen.contains(&lower) {
            return Err(format!("directive `{lower}` appears twice"));
        }
        seen.push(lower.clone());
        let arg = raw.map(value).transpose()?;
        match (lower.as_str(), arg) {
            ("max-age", Some(a)) => {
                if a.is_empty() || !a.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(format!("max-age `{a}` is not a number of seconds"));
                }
                // Browsers clamp absurdly long ages rather than reject them.
                max_age = Some(a.parse::<u64>().unwrap_or(u64::MAX));
            }
            ("max-age", None) => return Err("max-age has no value".into()),
            ("includesubdomains", None) => include_subdomains = true,
            ("includesubdomains", Some(_)) => {
                return Err("includeSubDomains takes no value".into());
            }
            ("preload", _) => preload = true,
            _ => {}
        }
    }
    let max_age = max_age.ok_or("no max-age directive")?;
    Ok(Policy {
        max_age,
        include_subdomains,
        preload,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::{Sts, effective, parse};

    #[test]
    fn parses_the_usual_forms_and_refuses_malformed_ones() {
        let p = parse("max-age=63072000; includeSubDomains; preload").unwrap();
        assert_eq!(p.max_age, 63_072_000);
        assert!(p.include_subdomains && p.preload);
        assert_eq!(parse("MAX-AGE=\"300\"").unwrap().max_age, 300);
        assert!(parse("max-age=300; foo=\"bar\"").is_ok());
        for bad in [
            "includeSubDomains",
            "max-age=abc",
            "max-age=-1",
            "max-age=1; max-age=2",
            "max-age=31536000; includeSubDomains, max-age=31536000",
            "max-age",
            "",
            "max-age=\"1",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn only_the_first_field_counts() {
        assert_eq!(effective(&[]), Sts::Absent);
        assert!(matches!(
            effective(&["max-age=abc", "max-age=63072000"]),
            Sts::Invalid(_)
        ));
        assert!(matches!(effective(&["max-age=1", "nonsense"]), Sts::Valid(p) if p.max_age == 1));
    }
}
