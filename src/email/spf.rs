//! SPF (RFC 7208). This file holds the record grammar; `spf/eval.rs` is the receiver's
//! `check_host()`, `spf/audit.rs` the auditor's recursive walk without a sender.

mod audit;
mod eval;
mod macros;
mod report;

use std::net::{Ipv4Addr, Ipv6Addr};

use serde::Serialize;

pub use audit::{audit, audit_with_limits};
pub use eval::{SpfResult, check_host, check_mail_from};
pub use macros::{MacroContext, MacroString, ip_dotted};
pub use report::{AuditLimits, Level, SpfAudit, SpfNode, SpfProblem};

/// RFC 7208 §4.6.4: DNS-querying terms allowed per evaluation.
pub const MAX_DNS_LOOKUPS: u32 = 10;
/// RFC 7208 §4.6.4: void lookups (NXDOMAIN / empty answer) allowed per evaluation.
pub const MAX_VOID_LOOKUPS: u32 = 2;
/// RFC 7208 §4.6.4: address lookups per `mx` / `ptr` term.
pub const MAX_NAMES_PER_TERM: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Qualifier {
    Pass,
    Fail,
    SoftFail,
    Neutral,
}

impl Qualifier {
    pub fn symbol(self) -> char {
        match self {
            Qualifier::Pass => '+',
            Qualifier::Fail => '-',
            Qualifier::SoftFail => '~',
            Qualifier::Neutral => '?',
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Mechanism {
    All,
    Include {
        domain: MacroString,
    },
    A {
        domain: Option<MacroString>,
        cidr4: u8,
        cidr6: u8,
    },
    Mx {
        domain: Option<MacroString>,
        cidr4: u8,
        cidr6: u8,
    },
    Ptr {
        domain: Option<MacroString>,
    },
    Ip4 {
        network: Ipv4Addr,
        prefix: u8,
    },
    Ip6 {
        network: Ipv6Addr,
        prefix: u8,
    },
    Exists {
        domain: MacroString,
    },
}

impl Mechanism {
    /// The terms RFC 7208 §4.6.4 counts toward the 10-lookup limit (with `redirect`).
    pub fn queries_dns(&self) -> bool {
        matches!(
            self,
            Mechanism::Include { .. }
                | Mechanism::A { .. }
                | Mechanism::Mx { .. }
                | Mechanism::Ptr { .. }
                | Mechanism::Exists { .. }
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Directive {
    pub qualifier: Qualifier,
    pub mechanism: Mechanism,
    /// The term as written in the record, for reports.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpfRecord {
    pub directives: Vec<Directive>,
    pub redirect: Option<MacroString>,
    pub exp: Option<MacroString>,
    pub unknown_modifiers: Vec<(String, String)>,
}

impl SpfRecord {
    pub fn all(&self) -> Option<Qualifier> {
        self.directives
            .iter()
            .find(|d| d.mechanism == Mechanism::All)
            .map(|d| d.qualifier)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("{message}")]
pub struct SpfSyntaxError {
    pub message: String,
}

fn syntax<T>(message: impl Into<String>) -> Result<T, SpfSyntaxError> {
    Err(SpfSyntaxError {
        message: message.into(),
    })
}

/// RFC 7208 §4.5: `v=spf1` (any case) followed by a space or the end of the record.
pub fn is_spf_record(text: &[u8]) -> bool {
    text.len() >= 6
        && text[..6].eq_ignore_ascii_case(b"v=spf1")
        && text.get(6).is_none_or(|b| *b == b' ')
}

/// Outcome of selecting the SPF record among a name's TXT records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selected {
    None,
    One(Vec<u8>),
    /// Several `v=spf1` records: a permerror for every receiver.
    Many(Vec<Vec<u8>>),
}

pub fn select_record(txt: &[Vec<Vec<u8>>]) -> Selected {
    let mut found: Vec<Vec<u8>> = txt
        .iter()
        .map(|strings| super::join_txt(strings))
        .filter(|t| is_spf_record(t))
        .collect();
    match found.len() {
        0 => Selected::None,
        1 => Selected::One(found.remove(0)),
        _ => Selected::Many(found),
    }
}

/// Parse a whole record; any error anywhere is a permerror (RFC 7208 §4.6).
pub fn parse_record(text: &[u8]) -> Result<SpfRecord, SpfSyntaxError> {
    if let Some(bad) = text.iter().find(|b| !(0x20..=0x7e).contains(*b)) {
        return syntax(format!(
            "record contains byte 0x{bad:02x}: only printable US-ASCII is allowed"
        ));
    }
    if !is_spf_record(text) {
        return syntax("record does not start with v=spf1");
    }
    // Checked above: all bytes are ASCII, so this cannot fail.
    let text = String::from_utf8_lossy(&text[6..]);
    let mut record = SpfRecord {
        directives: Vec::new(),
        redirect: None,
        exp: None,
        unknown_modifiers: Vec::new(),
    };
    for term in text.split(' ').filter(|t| !t.is_empty()) {
        parse_term(term, &mut record)?;
    }
    Ok(record)
}

fn parse_term(term: &str, record: &mut SpfRecord) -> Result<(), SpfSyntaxError> {
    // RFC 7208 §4.6.1: a modifier is a name followed by '=' before any ':' or '/'.
    let first_sep = term.find(['=', ':', '/']);
    if let Some(pos) = first_sep.filter(|p| term.as_bytes()[*p] == b'=') {
        return parse_modifier(&term[..pos], &term[pos + 1..], record);
    }
    let (qualifier, body) = match term.as_bytes()[0] {
        b'+' => (Qualifier::Pass, &term[1..]),
        b'-' => (Qualifier::Fail, &term[1..]),
        b'~' => (Qualifier::SoftFail, &term[1..]),
        b'?' => (Qualifier::Neutral, &term[1..]),
        _ => (Qualifier::Pass, term),
    };
    let split = body.find([':', '/']).unwrap_or(body.len());
    let (name, rest) = body.split_at(split);
    let mechanism = match name.to_ascii_lowercase().as_str() {
        "all" if rest.is_empty() => Mechanism::All,
        "all" => return syntax(format!("'all' takes no argument: {term}")),
        "include" => Mechanism::Include {
            domain: required_domain(rest, term)?,
        },
        "exists" => Mechanism::Exists {
            domain: required_domain(rest, term)?,
        },
        "ptr" => Mechanism::Ptr {
            domain: optional_domain(rest, term)?,
        },
        "a" | "mx" => {
            let (spec, cidr4, cidr6) = split_dual_cidr(rest, term)?;
            let domain = optional_domain(spec, term)?;
            if name.eq_ignore_ascii_case("a") {
                Mechanism::A {
                    domain,
                    cidr4,
                    cidr6,
                }
            } else {
                Mechanism::Mx {
                    domain,
                    cidr4,
                    cidr6,
                }
            }
        }
        "ip4" => {
            let (addr, prefix) = split_ip(rest, 32, term)?;
            match addr.parse::<Ipv4Addr>() {
                Ok(network) => Mechanism::Ip4 { network, prefix },
                Err(_) => return syntax(format!("invalid IPv4 address in {term}")),
            }
        }
        "ip6" => {
            let (addr, prefix) = split_ip(rest, 128, term)?;
            match addr.parse::<Ipv6Addr>() {
                Ok(network) => Mechanism::Ip6 { network, prefix },
                Err(_) => return syntax(format!("invalid IPv6 address in {term}")),
            }
        }
        _ => return syntax(format!("unknown mechanism: {term}")),
    };
    record.directives.push(Directive {
        qualifier,
        mechanism,
        text: term.to_string(),
    });
    Ok(())
}

fn parse_modifier(name: &str, value: &str, record: &mut SpfRecord) -> Result<(), SpfSyntaxError> {
    let valid_name = name.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
    if !valid_name {
        return syntax(format!("invalid modifier name: {name}="));
    }
    let lower = name.to_ascii_lowercase();
    let slot = match lower.as_str() {
        "redirect" => &mut record.redirect,
        "exp" => &mut record.exp,
        _ => {
            MacroString::parse(value, false)
                .or_else(|e| syntax(format!("modifier {name}: {e}")))?;
            record
                .unknown_modifiers
                .push((name.to_string(), value.to_string()));
            return Ok(());
        }
    };
    if slot.is_some() {
        return syntax(format!("modifier {lower}= appears more than once"));
    }
    *slot = Some(domain_spec(value, &format!("{name}={value}"))?);
    Ok(())
}

fn domain_spec(spec: &str, term: &str) -> Result<MacroString, SpfSyntaxError> {
    let parsed = MacroString::parse(spec, false).or_else(|e| syntax(format!("{term}: {e}")))?;
    if !parsed.is_domain_spec() {
        return syntax(format!(
            "{term}: domain must end in a valid top-level label or a macro"
        ));
    }
    Ok(parsed)
}

fn required_domain(rest: &str, term: &str) -> Result<MacroString, SpfSyntaxError> {
    match rest.strip_prefix(':') {
        Some(spec) if !spec.is_empty() => domain_spec(spec, term),
        _ => syntax(format!("{term}: a domain is required after ':'")),
    }
}

fn optional_domain(rest: &str, term: &str) -> Result<Option<MacroString>, SpfSyntaxError> {
    if rest.is_empty() {
        return Ok(None);
    }
    required_domain(rest, term).map(Some)
}

/// `/24`, `//64`, `/24//64` at the end of an `a`/`mx` argument.
fn split_dual_cidr<'t>(rest: &'t str, term: &str) -> Result<(&'t str, u8, u8), SpfSyntaxError> {
    let mut spec = rest;
    let mut cidr6 = 128;
    let mut cidr4 = 32;
    if let Some(pos) = spec.rfind("//")
        && let Some(n) = cidr_digits(&spec[pos + 2..], 128, term)?
    {
        cidr6 = n;
        spec = &spec[..pos];
    }
    if let Some(pos) = spec.rfind('/')
        && let Some(n) = cidr_digits(&spec[pos + 1..], 32, term)?
    {
        cidr4 = n;
        spec = &spec[..pos];
    }
    Ok((spec, cidr4, cidr6))
}

/// `None` when the text is not a run of digits (so it is part of the domain-spec);
/// an error for leading zeros or an out-of-range length (RFC 7208 §5.6).
fn cidr_digits(text: &str, max: u8, term: &str) -> Result<Option<u8>, SpfSyntaxError> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    if text.len() > 1 && text.starts_with('0') {
        return syntax(format!("{term}: CIDR length with a leading zero"));
    }
    match text.parse::<u8>() {
        Ok(n) if n <= max => Ok(Some(n)),
        _ => syntax(format!("{term}: CIDR length out of range 0-{max}")),
    }
}

fn split_ip<'t>(rest: &'t str, max: u8, term: &str) -> Result<(&'t str, u8), SpfSyntaxError> {
    let Some(arg) = rest.strip_prefix(':').filter(|a| !a.is_empty()) else {
        return syntax(format!("{term}: an address is required"));
    };
    match arg.rfind('/') {
        Some(pos) => match cidr_digits(&arg[pos + 1..], max, term)? {
            Some(n) => Ok((&arg[..pos], n)),
            None => syntax(format!("{term}: invalid CIDR length")),
        },
        None => Ok((arg, max)),
    }
}

#[cfg(test)]
mod tests;
