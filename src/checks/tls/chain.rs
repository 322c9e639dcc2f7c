//! Naming what is wrong with a served chain. webpki stops at the first failure and
//! calls a self-signed leaf and a missing intermediate both `UnknownIssuer`, so the
//! chain is read here with x509-parser and every problem is named on its own.

use x509_parser::prelude::X509Certificate;

/// One named certificate problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    Expired { not_after: String },
    NotYetValid { not_before: String },
    HostnameMismatch { names: Vec<String> },
    SelfSigned,
    IncompleteChain { missing_issuer: String },
    UntrustedRoot { root: String },
}

impl Problem {
    /// A stable short name, for `details` and tests.
    pub fn code(&self) -> &'static str {
        match self {
            Problem::Expired { .. } => "expired",
            Problem::NotYetValid { .. } => "not-yet-valid",
            Problem::HostnameMismatch { .. } => "hostname-mismatch",
            Problem::SelfSigned => "self-signed",
            Problem::IncompleteChain { .. } => "incomplete-chain",
            Problem::UntrustedRoot { .. } => "untrusted-root",
        }
    }

    pub fn describe(&self, host: &str) -> String {
        match self {
            Problem::Expired { not_after } => format!("expired on {not_after}"),
            Problem::NotYetValid { not_before } => format!("not valid before {not_before}"),
            Problem::HostnameMismatch { names } if names.is_empty() => {
                format!("hostname mismatch: no DNS names, {host} not covered")
            }
            Problem::HostnameMismatch { names } => {
                format!(
                    "hostname mismatch: issued for {}, not {host}",
                    names.join(", ")
                )
            }
            Problem::SelfSigned => "self-signed".into(),
            Problem::IncompleteChain { missing_issuer } => {
                format!("incomplete chain: issuer `{missing_issuer}` neither sent nor trusted")
            }
            Problem::UntrustedRoot { root } => format!("untrusted root `{root}`"),
        }
    }
}

/// Every problem of `chain` (leaf first) for `host` at Unix time `now`, given the
/// subjects (DER) of the trust anchors.
pub fn problems(
    chain: &[impl AsRef<[u8]>],
    host: &str,
    now: i64,
    anchors: &[Vec<u8>],
) -> Option<Vec<Problem>> {
    let parsed: Vec<X509Certificate<'_>> = chain
        .iter()
        .map(|c| super::parse(c.as_ref()))
        .collect::<Option<_>>()?;
    let leaf = parsed.first()?;
    let mut found = Vec::new();
    let validity = leaf.validity();
    if now > validity.not_after.timestamp() {
        found.push(Problem::Expired {
            not_after: super::date(validity.not_after.timestamp()),
        });
    }
    if now < validity.not_before.timestamp() {
        found.push(Problem::NotYetValid {
            not_before: super::date(validity.not_before.timestamp()),
        });
    }
    let names = super::dns_names(leaf);
    if !names.iter().any(|n| name_matches(n, host)) {
        found.push(Problem::HostnameMismatch { names });
    }
    found.extend(path_problem(&parsed, anchors));
    Some(found)
}

/// Walk from the leaf through the sent certificates toward a trust anchor.
fn path_problem(parsed: &[X509Certificate<'_>], anchors: &[Vec<u8>]) -> Option<Problem> {
    let trusted = |name: &[u8]| {
        let inner = der_contents(name);
        anchors
            .iter()
            .any(|a| a == name || Some(a.as_slice()) == inner)
    };
    let self_signed = |c: &X509Certificate<'_>| c.subject().as_raw() == c.issuer().as_raw();
    let mut current = parsed.first()?;
    for _ in 0..parsed.len() {
        if trusted(current.issuer().as_raw()) {
            return None;
        }
        if self_signed(current) {
            return Some(if std::ptr::eq(current, &parsed[0]) {
                Problem::SelfSigned
            } else {
                Problem::UntrustedRoot {
                    root: current.subject().to_string(),
                }
            });
        }
        match parsed[1..]
            .iter()
            .find(|c| c.subject().as_raw() == current.issuer().as_raw())
        {
            Some(next) => current = next,
            None => break,
        }
    }
    Some(Problem::IncompleteChain {
        missing_issuer: current.issuer().to_string(),
    })
}

/// RFC 6125: exact match, or a wildcard standing for exactly the left-most label.
pub fn name_matches(pattern: &str, host: &str) -> bool {
    let (pattern, host) = (pattern.to_ascii_lowercase(), host.to_ascii_lowercase());
    match pattern.strip_prefix("*.") {
        Some(suffix) => host
            .split_once('.')
            .is_some_and(|(label, rest)| !label.is_empty() && rest == suffix),
        None => pattern == host,
    }
}

/// The contents of a DER TLV (trust anchors store a name without its SEQUENCE header).
fn der_contents(tlv: &[u8]) -> Option<&[u8]> {
    let first = *tlv.get(1)?;
    let (len, start) = match first {
        n if n < 0x80 => (n as usize, 2),
        0x81 => (*tlv.get(2)? as usize, 3),
        0x82 => (u16::from_be_bytes([*tlv.get(2)?, *tlv.get(3)?]) as usize, 4),
        _ => return None,
    };
    tlv.get(start..start + len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_cover_one_label() {
        assert!(name_matches("*.acme.app", "www.acme.app"));
        assert!(!name_matches("*.acme.app", "acme.app"));
        assert!(!name_matches("*.acme.app", "a.b.acme.app"));
        assert!(name_matches("WWW.acme.app", "www.acme.app"));
        assert!(!name_matches("www.acme.app", "api.acme.app"));
    }

    #[test]
    fn der_contents_strips_the_header() {
        assert_eq!(der_contents(&[0x30, 2, 1, 2]), Some(&[1u8, 2][..]));
        assert_eq!(der_contents(&[0x30, 5, 1]), None);
        assert_eq!(der_contents(&[0x30]), None);
    }
}
