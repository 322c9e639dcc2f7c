//! DMARC (RFC 7489, with DMARCbis notes): record parsing here, the `email.dmarc`
//! audit in `dmarc/audit.rs`.

mod audit;

use serde::{Deserialize, Serialize};

pub use audit::{DmarcAudit, audit_dmarc};

use super::normalize_name;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Policy {
    None,
    Quarantine,
    Reject,
}

impl Policy {
    pub fn parse(value: &str) -> Option<Policy> {
        match value.to_ascii_lowercase().as_str() {
            "none" => Some(Policy::None),
            "quarantine" => Some(Policy::Quarantine),
            "reject" => Some(Policy::Reject),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Policy::None => "none",
            Policy::Quarantine => "quarantine",
            Policy::Reject => "reject",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Alignment {
    Relaxed,
    Strict,
}

/// A `rua`/`ruf` entry: the URI, and for `mailto:` the lowercased address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportUri {
    pub uri: String,
    pub mailto: Option<String>,
}

impl ReportUri {
    pub fn mailto_domain(&self) -> Option<&str> {
        let address = self.mailto.as_deref()?;
        address.rfind('@').map(|at| &address[at + 1..])
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DmarcRecord {
    pub policy: Policy,
    pub subdomain_policy: Option<Policy>,
    /// DMARCbis `np`: policy for non-existent subdomains.
    pub nonexistent_policy: Option<Policy>,
    pub pct: u8,
    pub rua: Vec<ReportUri>,
    pub ruf: Vec<ReportUri>,
    pub adkim: Alignment,
    pub aspf: Alignment,
    pub fo: Vec<String>,
    pub rf: Vec<String>,
    pub ri: u32,
    /// DMARCbis `t=y`: policy in testing mode.
    pub testing: bool,
    pub unknown_tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("{0}")]
pub struct DmarcSyntaxError(pub String);

fn syntax<T>(message: impl Into<String>) -> Result<T, DmarcSyntaxError> {
    Err(DmarcSyntaxError(message.into()))
}

/// Whether a TXT record is a DMARC record candidate. Deliberately looser than the
/// parser (any case, spaces around '='), so a mis-typed record is reported as a
/// syntax error rather than as "no record".
pub fn is_dmarc_candidate(text: &str) -> bool {
    let t = text.trim_start();
    let Some(rest) = t.strip_prefix(['v', 'V']) else {
        return false;
    };
    let Some(rest) = rest.trim_start().strip_prefix('=') else {
        return false;
    };
    rest.trim_start()
        .get(..6)
        .is_some_and(|v| v.eq_ignore_ascii_case("dmarc1"))
}

/// Parse a record strictly (RFC 7489 §6.3–6.4): `v=DMARC1` first and exact, `p` next
/// (required), every known tag's value valid, unknown tags kept but ignored.
pub fn parse_record(text: &str) -> Result<DmarcRecord, DmarcSyntaxError> {
    let parts: Vec<&str> = text.trim_end_matches([' ', '\t', ';']).split(';').collect();
    if parts.len() < 2 {
        return syntax(format!(
            "{text:?} is not a valid record: tags are separated by ';'"
        ));
    }
    let mut record = DmarcRecord {
        policy: Policy::None,
        subdomain_policy: None,
        nonexistent_policy: None,
        pct: 100,
        rua: Vec::new(),
        ruf: Vec::new(),
        adkim: Alignment::Relaxed,
        aspf: Alignment::Relaxed,
        fo: vec!["0".to_string()],
        rf: vec!["afrf".to_string()],
        ri: 86400,
        testing: false,
        unknown_tags: Vec::new(),
    };
    let mut seen: Vec<String> = Vec::new();
    let mut has_p = false;
    for (i, part) in parts.iter().enumerate() {
        let Some((name, value)) = part.split_once('=') else {
            return syntax(format!("{:?} is not a tag=value pair", part.trim()));
        };
        let name = name.trim().to_ascii_lowercase();
        let value = value.trim();
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return syntax(format!("invalid tag name {name:?}"));
        }
        if i == 0 {
            if name != "v" || value != "DMARC1" {
                return syntax("record must start with v=DMARC1 (exact case)");
            }
            continue;
        }
        if seen.contains(&name) {
            return syntax(format!("tag {name} appears more than once"));
        }
        seen.push(name.clone());
        let bad = || DmarcSyntaxError(format!("invalid value for {name}: {value:?}"));
        match name.as_str() {
            "v" => return syntax("v= must be the first tag only"),
            "p" => {
                record.policy = Policy::parse(value).ok_or_else(bad)?;
                has_p = true;
            }
            "sp" => record.subdomain_policy = Some(Policy::parse(value).ok_or_else(bad)?),
            "np" => record.nonexistent_policy = Some(Policy::parse(value).ok_or_else(bad)?),
            "adkim" => record.adkim = alignment(value).ok_or_else(bad)?,
            "aspf" => record.aspf = alignment(value).ok_or_else(bad)?,
            "pct" => record.pct = value.parse().ok().filter(|p| *p <= 100).ok_or_else(bad)?,
            "ri" => record.ri = value.parse().map_err(|_| bad())?,
            "t" | "psd" => {
                let ok: &[&str] = if name == "t" {
                    &["y", "n"]
                } else {
                    &["y", "n", "u"]
                };
                let v = value.to_ascii_lowercase();
                if !ok.contains(&v.as_str()) {
                    return Err(bad());
                }
                record.testing = name == "t" && v == "y";
            }
            "fo" => record.fo = list(value, ':', &["0", "1", "d", "s"]).ok_or_else(bad)?,
            "rf" => record.rf = list(value, ',', &["afrf", "iodef"]).ok_or_else(bad)?,
            "rua" => record.rua = uris(value).ok_or_else(bad)?,
            "ruf" => record.ruf = uris(value).ok_or_else(bad)?,
            _ => record.unknown_tags.push(name.clone()),
        }
    }
    if !has_p {
        return syntax("required tag p is missing");
    }
    Ok(record)
}

fn alignment(value: &str) -> Option<Alignment> {
    match value.to_ascii_lowercase().as_str() {
        "r" => Some(Alignment::Relaxed),
        "s" => Some(Alignment::Strict),
        _ => None,
    }
}

fn list(value: &str, sep: char, allowed: &[&str]) -> Option<Vec<String>> {
    value
        .split(sep)
        .map(|v| v.trim().to_ascii_lowercase())
        .map(|v| allowed.contains(&v.as_str()).then_some(v))
        .collect()
}

/// `dmarc-uri *(*WSP "," *WSP dmarc-uri)`, each `URI [ "!" size ]`.
fn uris(value: &str) -> Option<Vec<ReportUri>> {
    value
        .split(',')
        .map(|raw| {
            let uri = raw.trim();
            let (target, _size) = uri.split_once('!').unwrap_or((uri, ""));
            let (scheme, rest) = target.split_once(':')?;
            if scheme.is_empty()
                || rest.is_empty()
                || !scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
            {
                return None;
            }
            let mailto = if scheme.eq_ignore_ascii_case("mailto") {
                let address = rest.to_ascii_lowercase();
                let (local, domain) = address.rsplit_once('@')?;
                if local.is_empty() || !domain.contains('.') {
                    return None;
                }
                Some(address)
            } else {
                None
            };
            Some(ReportUri {
                uri: uri.to_string(),
                mailto,
            })
        })
        .collect()
}

/// Common two-level public suffixes. A heuristic, not the Public Suffix List: it gets
/// `example.co.uk` right but would treat `example.pvt.k12.ma.us` as its own
/// organisation. Good enough to find a parent DMARC record and to tell internal from
/// external report addresses.
const TWO_LEVEL_SUFFIXES: &[&str] = &[
    "co.uk", "org.uk", "ac.uk", "gov.uk", "me.uk", "ltd.uk", "plc.uk", "net.uk", "com.au",
    "net.au", "org.au", "edu.au", "gov.au", "co.nz", "org.nz", "net.nz", "co.jp", "ne.jp", "or.jp",
    "ac.jp", "com.br", "net.br", "org.br", "co.za", "org.za", "com.cn", "net.cn", "org.cn",
    "com.mx", "co.in", "net.in", "org.in", "com.sg", "com.tr", "co.kr", "com.tw", "com.hk",
    "co.il", "com.ar", "com.co", "co.id", "com.my", "com.ph", "com.ua", "co.at",
];

/// Organisational domain by the heuristic above: the last two labels, or three when
/// the last two form a common two-level public suffix.
pub fn organizational_domain(domain: &str) -> String {
    let domain = normalize_name(domain);
    let labels: Vec<&str> = domain.split('.').collect();
    let n = labels.len();
    let keep = if n >= 3 && TWO_LEVEL_SUFFIXES.contains(&labels[n - 2..].join(".").as_str()) {
        3
    } else {
        2
    };
    labels[n.saturating_sub(keep)..].join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organisational_domain_heuristic() {
        assert_eq!(
            organizational_domain("mail.news.example.com"),
            "example.com"
        );
        assert_eq!(organizational_domain("example.com"), "example.com");
        assert_eq!(organizational_domain("a.b.example.co.uk."), "example.co.uk");
        assert_eq!(
            organizational_domain("shop.example.com.au"),
            "example.com.au"
        );
        assert_eq!(organizational_domain("com"), "com");
        assert_eq!(organizational_domain(""), "");
    }

    #[test]
    fn candidate_selection_is_loose() {
        assert!(is_dmarc_candidate("v=DMARC1; p=none"));
        assert!(is_dmarc_candidate(" V = dmarc1; p=none"));
        assert!(!is_dmarc_candidate("v=spf1 -all"));
        assert!(!is_dmarc_candidate("v=DMA"));
    }

    #[test]
    fn report_uris() -> Result<(), DmarcSyntaxError> {
        let r =
            parse_record("v=DMARC1; p=none; rua=mailto:a@x.example.com!10m, mailto:B@Other.org")?;
        assert_eq!(r.rua.len(), 2);
        assert_eq!(r.rua[0].mailto_domain(), Some("x.example.com"));
        assert_eq!(r.rua[1].mailto_domain(), Some("other.org"));
        assert!(parse_record("v=DMARC1; p=none; rua=reports@example.com").is_err());
        assert!(parse_record("v=DMARC1; p=none; rua=mailto:nobody").is_err());
        assert!(parse_record("v=DMARC1; p=none; pct=101").is_err());
        assert!(parse_record("v=DMARC1; p=none; p=reject").is_err());
        Ok(())
    }
}
