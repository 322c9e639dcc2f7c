//! SPF macro strings (RFC 7208 §7): syntax checking and expansion.

use std::net::IpAddr;

use serde::Serialize;

/// A parsed macro-string, e.g. the `%{ir}.%{v}._spf.%{d}` of `exists:`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(into = "String")]
pub struct MacroString {
    raw: String,
    parts: Vec<Part>,
}

impl From<MacroString> for String {
    fn from(m: MacroString) -> String {
        m.raw
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    Expand(Expand),
    /// `%%`, `%_`, `%-`: a fixed character, but a macro-expand for the domain-end rule.
    Escape(&'static str),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Expand {
    letter: u8,
    url_escape: bool,
    keep: Option<usize>,
    reverse: bool,
    delimiters: Vec<u8>,
}

/// What macros expand to during one `check_host()` evaluation.
#[derive(Debug, Clone)]
pub struct MacroContext<'a> {
    pub sender: &'a str,
    pub local_part: &'a str,
    pub sender_domain: &'a str,
    pub domain: &'a str,
    pub ip: IpAddr,
    pub helo: &'a str,
    /// The `%{p}` value; computed by the caller only when a term uses it.
    pub validated_name: Option<&'a str>,
}

const DELIMITERS: &[u8] = b".-+,/_=";

impl MacroString {
    /// Parse a macro-string. `exp_letters` allows `c`, `r` and `t`, which RFC 7208
    /// §7.2 reserves for explanation text.
    pub fn parse(raw: &str, exp_letters: bool) -> Result<MacroString, String> {
        let bytes = raw.as_bytes();
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b != b'%' {
                if !(0x21..=0x7e).contains(&b) {
                    return Err(format!("character 0x{b:02x} not allowed in {raw:?}"));
                }
                literal.push(char::from(b));
                i += 1;
                continue;
            }
            if !literal.is_empty() {
                parts.push(Part::Literal(std::mem::take(&mut literal)));
            }
            match bytes.get(i + 1) {
                Some(b'%') => parts.push(Part::Escape("%")),
                Some(b'_') => parts.push(Part::Escape(" ")),
                Some(b'-') => parts.push(Part::Escape("%20")),
                Some(b'{') => {
                    let close = raw[i..]
                        .find('}')
                        .map(|p| p + i)
                        .ok_or_else(|| format!("unterminated macro in {raw:?}"))?;
                    parts.push(Part::Expand(parse_expand(&raw[i + 2..close], exp_letters)?));
                    i = close + 1;
                    continue;
                }
                _ => {
                    return Err(format!(
                        "'%' must be followed by '{{', '%', '_' or '-' in {raw:?}"
                    ));
                }
            }
            i += 2;
        }
        if !literal.is_empty() {
            parts.push(Part::Literal(literal));
        }
        Ok(MacroString {
            raw: raw.to_string(),
            parts,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// RFC 7208 §7.1 domain-end: ends with a macro-expand or with `.toplabel` and an
    /// optional trailing dot.
    pub fn is_domain_spec(&self) -> bool {
        let Some(last) = self.parts.last() else {
            return false;
        };
        let Part::Literal(text) = last else {
            return true;
        };
        let text = text.strip_suffix('.').unwrap_or(text);
        match text.rfind('.') {
            Some(dot) => is_toplabel(&text[dot + 1..]),
            None => false,
        }
    }

    /// True when expansion needs a connection (sender, IP, HELO): such terms can be
    /// counted by an auditor but not resolved.
    pub fn needs_sender(&self) -> bool {
        self.parts
            .iter()
            .any(|p| matches!(p, Part::Expand(e) if e.letter != b'd'))
    }

    pub fn uses_validated_name(&self) -> bool {
        self.parts
            .iter()
            .any(|p| matches!(p, Part::Expand(e) if e.letter == b'p'))
    }

    /// Expand with only `%{d}` known, for the auditor; `None` if other macros are used.
    pub fn expand_domain_only(&self, domain: &str) -> Option<String> {
        if self.needs_sender() {
            return None;
        }
        let ctx = MacroContext {
            sender: "",
            local_part: "",
            sender_domain: "",
            domain,
            ip: IpAddr::from([0, 0, 0, 0]),
            helo: "",
            validated_name: None,
        };
        Some(self.expand_domain(&ctx))
    }

    /// Expand as a target name: RFC 7208 §7.3 trims left-hand labels past 253 octets.
    pub fn expand_domain(&self, ctx: &MacroContext<'_>) -> String {
        let out = self.expand(ctx);
        if out.len() <= 253 {
            return out;
        }
        // One pass over the dots (not a loop of re-allocations): hostile records can
        // expand to megabytes.
        let cut = out
            .match_indices('.')
            .map(|(dot, _)| dot + 1)
            .find(|start| out.len() - start <= 253);
        match cut {
            Some(start) => out[start..].to_string(),
            None => out,
        }
    }

    pub fn expand(&self, ctx: &MacroContext<'_>) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Literal(text) => out.push_str(text),
                Part::Escape(text) => out.push_str(text),
                Part::Expand(e) => out.push_str(&e.expand(ctx)),
            }
        }
        out
    }
}

fn parse_expand(body: &str, exp_letters: bool) -> Result<Expand, String> {
    let bytes = body.as_bytes();
    let Some(&first) = bytes.first() else {
        return Err("empty macro %{}".to_string());
    };
    let letter = first.to_ascii_lowercase();
    let allowed: &[u8] = if exp_letters {
        b"slodiphvcrt"
    } else {
        b"slodiphv"
    };
    if !allowed.contains(&letter) {
        return Err(format!("invalid macro letter {:?}", char::from(first)));
    }
    let mut i = 1;
    let digits_start = i;
    while bytes.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let keep = if i > digits_start {
        // Saturate rather than overflow: any count above the label count keeps all.
        let n = body[digits_start..i].parse::<usize>().unwrap_or(usize::MAX);
        if n == 0 {
            return Err("macro transformer digit must be nonzero".to_string());
        }
        Some(n)
    } else {
        None
    };
    let reverse = matches!(bytes.get(i), Some(b'r' | b'R'));
    if reverse {
        i += 1;
    }
    let delimiters = bytes[i..].to_vec();
    if let Some(bad) = delimiters.iter().find(|d| !DELIMITERS.contains(d)) {
        return Err(format!("invalid macro delimiter {:?}", char::from(*bad)));
    }
    Ok(Expand {
        letter,
        url_escape: first.is_ascii_uppercase(),
        keep,
        reverse,
        delimiters,
    })
}

impl Expand {
    fn expand(&self, ctx: &MacroContext<'_>) -> String {
        let value = match self.letter {
            b's' => ctx.sender.to_string(),
            b'l' => ctx.local_part.to_string(),
            b'o' => ctx.sender_domain.to_string(),
            b'd' => ctx.domain.to_string(),
            b'i' => ip_dotted(ctx.ip),
            b'p' => ctx.validated_name.unwrap_or("unknown").to_string(),
            b'v' => match ctx.ip {
                IpAddr::V4(_) => "in-addr".to_string(),
                IpAddr::V6(_) => "ip6".to_string(),
            },
            b'h' => ctx.helo.to_string(),
            // c, r, t only occur in explanation text, which is never expanded here.
            _ => String::new(),
        };
        let delims: &[u8] = if self.delimiters.is_empty() {
            b"."
        } else {
            &self.delimiters
        };
        let mut pieces: Vec<&str> = value
            .split(|c: char| c.is_ascii() && delims.contains(&(c as u8)))
            .collect();
        if self.reverse {
            pieces.reverse();
        }
        if let Some(keep) = self.keep {
            let skip = pieces.len().saturating_sub(keep);
            pieces.drain(..skip);
        }
        let joined = pieces.join(".");
        if self.url_escape {
            url_escape(&joined)
        } else {
            joined
        }
    }
}

/// `%{i}`: dotted quad, or 32 dot-separated nibbles for IPv6 (RFC 7208 §7.3).
pub fn ip_dotted(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => v6
            .octets()
            .iter()
            .flat_map(|b| [b >> 4, b & 0xf])
            .map(|n| format!("{n:x}"))
            .collect::<Vec<_>>()
            .join("."),
    }
}

fn url_escape(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// RFC 7208 toplabel: alphanumeric with at least one letter, or LDH with an inner hyphen.
fn is_toplabel(label: &str) -> bool {
    let b = label.as_bytes();
    let (Some(first), Some(last)) = (b.first(), b.last()) else {
        return false;
    };
    if !b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-') {
        return false;
    }
    if !first.is_ascii_alphanumeric() || !last.is_ascii_alphanumeric() {
        return false;
    }
    b.iter().any(|c| c.is_ascii_alphabetic() || *c == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(ip: IpAddr) -> MacroContext<'static> {
        MacroContext {
            sender: "strong-bad@email.example.com",
            local_part: "strong-bad",
            sender_domain: "email.example.com",
            domain: "email.example.com",
            ip,
            helo: "mx.example.org",
            validated_name: None,
        }
    }

    fn exp(raw: &str, ip: IpAddr) -> String {
        match MacroString::parse(raw, false) {
            Ok(m) => m.expand(&ctx(ip)),
            Err(e) => panic!("{raw}: {e}"),
        }
    }

    #[test]
    fn rfc7208_section_7_4_examples() {
        let v4 = IpAddr::from([192, 0, 2, 3]);
        assert_eq!(exp("%{s}", v4), "strong-bad@email.example.com");
        assert_eq!(exp("%{o}", v4), "email.example.com");
        assert_eq!(exp("%{d4}", v4), "email.example.com");
        assert_eq!(exp("%{d3}", v4), "email.example.com");
        assert_eq!(exp("%{d2}", v4), "example.com");
        assert_eq!(exp("%{d1}", v4), "com");
        assert_eq!(exp("%{dr}", v4), "com.example.email");
        assert_eq!(exp("%{d2r}", v4), "example.email");
        assert_eq!(exp("%{l}", v4), "strong-bad");
        assert_eq!(exp("%{l-}", v4), "strong.bad");
        assert_eq!(exp("%{lr}", v4), "strong-bad");
        assert_eq!(exp("%{lr-}", v4), "bad.strong");
        assert_eq!(exp("%{l1r-}", v4), "strong");
        assert_eq!(
            exp("%{ir}.%{v}._spf.%{d2}", v4),
            "3.2.0.192.in-addr._spf.example.com"
        );
        assert_eq!(
            exp("%{lr-}.lp._spf.%{d2}", v4),
            "bad.strong.lp._spf.example.com"
        );
        let v6: IpAddr = "2001:db8::cb01".parse().unwrap_or(v4);
        assert_eq!(
            exp("%{ir}.%{v}._spf.%{d2}", v6),
            "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com"
        );
        assert_eq!(exp("%%%_%-", v4), "% %20");
        assert_eq!(exp("%{S}", v4), "strong-bad%40email.example.com");
    }

    #[test]
    fn syntax_errors() {
        for bad in [
            "%{x}", "%{d0}", "%{", "%{}", "%a", "%", "%{d*}", "%{c}", "a b",
        ] {
            assert!(MacroString::parse(bad, false).is_err(), "{bad} should fail");
        }
        assert!(MacroString::parse("%{c}", true).is_ok());
        assert!(MacroString::parse("%{d99999999999999999999999}", false).is_ok());
    }

    #[test]
    fn domain_end_rule() {
        let ok = |s: &str| MacroString::parse(s, false).is_ok_and(|m| m.is_domain_spec());
        assert!(ok("example.com"));
        assert!(ok("example.com."));
        assert!(ok("%{d}"));
        assert!(ok("foo.%{d}"));
        assert!(ok("x.1-2"));
        assert!(!ok("foo-bar"));
        assert!(!ok("1.2.3.4"));
        assert!(!ok("example.com-"));
        assert!(!ok("%{d}com"));
    }

    #[test]
    fn long_expansion_is_trimmed() {
        let long = "a".repeat(60);
        let raw = format!("{long}.{long}.{long}.{long}.{long}.example.com");
        let m = MacroString::parse(&raw, false).unwrap_or_else(|e| panic!("{e}"));
        let out = m.expand_domain(&ctx(IpAddr::from([1, 2, 3, 4])));
        assert!(out.len() <= 253);
        assert!(out.ends_with(".example.com"));
    }
}
