//! DKIM key records (RFC 6376 §3.6.1, RFC 8463 for ed25519) and the `email.dkim` audit.

use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde::Serialize;
use x509_parser::prelude::FromDer;
use x509_parser::public_key::{PublicKey, RSAPublicKey};
use x509_parser::x509::SubjectPublicKeyInfo;

use super::{Level, Lookup, MailDns, Problem, join_txt, normalize_name, worst};

/// Provider delegations are one CNAME deep in practice; the bound stops loops.
const MAX_CNAME_HOPS: usize = 5;

/// What the key record says, as far as it could be read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DkimKey {
    /// `k=` (default `rsa`).
    pub key_type: String,
    /// RSA modulus size; 256 for a well-formed ed25519 key.
    pub bits: Option<u32>,
    pub testing: bool,
    pub revoked: bool,
}

/// Verdict on one key record's text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DkimCheck {
    pub key: Option<DkimKey>,
    pub problems: Vec<Problem>,
}

fn fail(code: &'static str, message: impl Into<String>) -> Problem {
    Problem::new(Level::Fail, code, message)
}

/// RFC 6376 §3.2 tag-list: `name=value` pairs split by ';', names unique.
pub fn parse_tags(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut tags: Vec<(String, String)> = Vec::new();
    let trimmed = text.trim().trim_end_matches(';');
    for spec in trimmed.split(';') {
        let Some((name, value)) = spec.split_once('=') else {
            return Err(format!("{:?} is not a tag=value pair", spec.trim()));
        };
        let name = name.trim();
        let valid = name.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !valid {
            return Err(format!("invalid tag name {name:?}"));
        }
        if tags.iter().any(|(n, _)| n == name) {
            return Err(format!(
                "tag {name} appears twice (the whole record is invalid)"
            ));
        }
        tags.push((name.to_string(), value.trim().to_string()));
    }
    Ok(tags)
}

/// Check one key record's text as a verifier would read it.
pub fn check_key_record(text: &str) -> DkimCheck {
    let mut check = DkimCheck::default();
    let tags = match parse_tags(text) {
        Ok(t) => t,
        Err(e) => {
            check.problems.push(fail("dkim.syntax", e));
            return check;
        }
    };
    let get = |name: &str| {
        tags.iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    if let Some(pos) = tags.iter().position(|(n, _)| n == "v") {
        // RFC 6376 §3.6.1: if present, v= must be first and exactly "DKIM1".
        if pos != 0 || tags[pos].1 != "DKIM1" {
            check.problems.push(fail(
                "dkim.version",
                format!(
                    "v={} must be the first tag and exactly v=DKIM1",
                    tags[pos].1
                ),
            ));
            return check;
        }
    }
    let key_type = get("k").unwrap_or("rsa").to_string();
    let mut key = DkimKey {
        key_type: key_type.clone(),
        testing: get("t").is_some_and(|t| t.split(':').any(|f| f.trim() == "y")),
        ..DkimKey::default()
    };
    if key.testing {
        check.problems.push(Problem::new(
            Level::Warn,
            "dkim.testing",
            "t=y: the domain is testing DKIM, verifiers may treat signatures as unsigned",
        ));
    }
    if let Some(s) = get("s")
        && !s.split(':').any(|v| matches!(v.trim(), "*" | "email"))
    {
        check.problems.push(fail(
            "dkim.service",
            format!("s={s}: the key is not for email signatures"),
        ));
    }
    if let Some(h) = get("h")
        && !h.split(':').any(|v| v.trim() == "sha256")
    {
        check.problems.push(Problem::new(
            Level::Warn,
            "dkim.hash",
            format!("h={h}: sha256 not allowed, verifiers no longer accept sha1"),
        ));
    }
    let Some(p) = get("p") else {
        check
            .problems
            .push(fail("dkim.syntax", "required tag p= is missing"));
        return check;
    };
    let p: String = p.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    if p.is_empty() {
        key.revoked = true;
        check.problems.push(fail(
            "dkim.revoked",
            "p= is empty: the key has been revoked",
        ));
        check.key = Some(key);
        return check;
    }
    if !matches!(key_type.as_str(), "rsa" | "ed25519") {
        check.problems.push(fail(
            "dkim.key-type",
            format!("k={key_type}: unknown key type (rsa or ed25519)"),
        ));
        check.key = Some(key);
        return check;
    }
    let config =
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
    let der = match GeneralPurpose::new(&base64::alphabet::STANDARD, config).decode(p.as_bytes()) {
        Ok(bytes) => bytes,
        Err(e) => {
            check.problems.push(fail(
                "dkim.key-unparsable",
                format!("p= is not valid base64: {e}"),
            ));
            check.key = Some(key);
            return check;
        }
    };
    let measured = if key_type == "rsa" {
        rsa_bits(&der)
    } else {
        ed25519_bits(&der)
    };
    match measured {
        Err(e) => check.problems.push(fail("dkim.key-unparsable", e)),
        Ok(bits) => {
            key.bits = Some(bits);
            if key_type == "rsa" && bits < 1024 {
                check.problems.push(fail(
                    "dkim.key-weak",
                    format!(
                        "RSA key of {bits} bits: verifiers reject keys under 1024 bits (RFC 8301)"
                    ),
                ));
            } else if key_type == "rsa" && bits < 2048 {
                check.problems.push(Problem::new(
                    Level::Warn,
                    "dkim.key-weak",
                    format!("RSA key of {bits} bits: rotate to 2048 bits"),
                ));
            }
        }
    }
    check.key = Some(key);
    check
}

/// Modulus size of an RSA key given as SubjectPublicKeyInfo (the standard form) or as
/// a bare PKCS#1 RSAPublicKey (what some providers publish).
pub fn rsa_bits(der: &[u8]) -> Result<u32, String> {
    if let Ok((rest, spki)) = SubjectPublicKeyInfo::from_der(der) {
        if !rest.is_empty() {
            return Err("trailing bytes after the public key".to_string());
        }
        return match spki.parsed() {
            Ok(PublicKey::RSA(rsa)) => modulus_bits(rsa.modulus),
            Ok(_) => Err("p= holds a public key that is not RSA".to_string()),
            Err(e) => Err(format!("unparsable RSA key: {e}")),
        };
    }
    match RSAPublicKey::from_der(der) {
        Ok(([], rsa)) => modulus_bits(rsa.modulus),
        Ok(_) => Err("trailing bytes after the public key".to_string()),
        Err(_) => {
            Err("p= is neither a SubjectPublicKeyInfo nor a PKCS#1 RSA public key".to_string())
        }
    }
}

fn modulus_bits(modulus: &[u8]) -> Result<u32, String> {
    // DER integers carry a leading zero when the top bit is set: count significant bits.
    let significant: &[u8] = match modulus.iter().position(|b| *b != 0) {
        Some(start) => &modulus[start..],
        None => return Err("RSA modulus is zero".to_string()),
    };
    let top = significant.first().map_or(0, |b| 8 - b.leading_zeros());
    let bits = (significant.len() - 1)
        .saturating_mul(8)
        .saturating_add(top as usize);
    u32::try_from(bits).map_err(|_| "RSA modulus too large".to_string())
}

/// RFC 8463: the raw 32-byte public key, not wrapped in SubjectPublicKeyInfo.
fn ed25519_bits(key: &[u8]) -> Result<u32, String> {
    if key.len() == 32 {
        Ok(256)
    } else {
        Err(format!(
            "ed25519 key is {} bytes, RFC 8463 requires 32",
            key.len()
        ))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DkimAudit {
    pub selector: String,
    pub domain: String,
    /// `<selector>._domainkey.<domain>`.
    pub name: String,
    /// CNAME targets followed, in order (provider delegation).
    pub cname_chain: Vec<String>,
    pub record: Option<String>,
    pub key: Option<DkimKey>,
    pub problems: Vec<Problem>,
}

impl DkimAudit {
    pub fn level(&self) -> Option<Level> {
        worst(&self.problems)
    }
}

enum Fetched {
    Records(Vec<String>),
    Nothing,
    TempError(String),
}

async fn fetch_txt(dns: &dyn MailDns, name: &str) -> Fetched {
    match dns.txt(name).await {
        Lookup::Records(r) if !r.is_empty() => Fetched::Records(
            r.iter()
                .map(|t| String::from_utf8_lossy(&join_txt(t)).into_owned())
                .collect(),
        ),
        Lookup::TempError(reason) => Fetched::TempError(reason),
        _ => Fetched::Nothing,
    }
}

/// The `email.dkim` check for one selector.
pub async fn audit_dkim(dns: &dyn MailDns, domain: &str, selector: &str) -> DkimAudit {
    let domain = normalize_name(domain);
    let name = format!(
        "{}._domainkey.{domain}",
        selector.trim_end_matches('.').to_ascii_lowercase()
    );
    let mut audit = DkimAudit {
        selector: selector.to_string(),
        domain,
        name: name.clone(),
        cname_chain: Vec::new(),
        record: None,
        key: None,
        problems: Vec::new(),
    };
    let mut current = name.clone();
    let records = loop {
        match fetch_txt(dns, &current).await {
            Fetched::Records(r) => break r,
            Fetched::TempError(reason) => {
                audit.problems.push(Problem::new(
                    Level::Error,
                    "dkim.temperror",
                    format!("TXT lookup for {current} failed: {reason}"),
                ));
                return audit;
            }
            Fetched::Nothing => {}
        }
        // A resolver normally follows the CNAME itself; asking explicitly also covers
        // resolvers that do not and lets the report show the delegation.
        let next = match dns.cname(&current).await {
            Lookup::Records(targets) => targets.first().map(|t| normalize_name(t)),
            Lookup::TempError(reason) => {
                audit.problems.push(Problem::new(
                    Level::Error,
                    "dkim.temperror",
                    format!("CNAME lookup for {current} failed: {reason}"),
                ));
                return audit;
            }
            _ => None,
        };
        match next {
            Some(target)
                if audit.cname_chain.len() < MAX_CNAME_HOPS
                    && !audit.cname_chain.contains(&target)
                    && target != name =>
            {
                audit.cname_chain.push(target.clone());
                current = target;
            }
            Some(target) => {
                audit.problems.push(fail(
                    "dkim.missing",
                    format!("{name}: CNAME chain loops or is too long at {target}"),
                ));
                return audit;
            }
            None => {
                let via = if audit.cname_chain.is_empty() {
                    String::new()
                } else {
                    format!(" (CNAME → {current})")
                };
                audit.problems.push(fail("dkim.missing", format!("no DKIM key at {name}{via}: mail signed with selector {selector} fails verification")));
                return audit;
            }
        }
    };
    let keys: Vec<&String> = records.iter().filter(|r| r.contains("p=")).collect();
    let Some(text) = keys.first() else {
        audit.record = records.first().cloned();
        audit.problems.push(fail(
            "dkim.missing",
            format!("TXT at {current} is not a DKIM key record (no p= tag)"),
        ));
        return audit;
    };
    if keys.len() > 1 {
        audit.problems.push(Problem::new(
            Level::Warn,
            "dkim.multiple",
            format!(
                "{} key records at {current}: verifiers may pick either",
                keys.len()
            ),
        ));
    }
    audit.record = Some((*text).clone());
    let check = check_key_record(text);
    audit.key = check.key;
    audit.problems.extend(check.problems);
    audit.problems.sort_by_key(|p| std::cmp::Reverse(p.level));
    audit
}
