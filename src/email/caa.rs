//! CAA (RFC 8659): property parsing, issuer → CAA domain mapping, and whether a CA
//! may issue for a name. Pure logic: the caller queries the relevant RRset.

use serde::Serialize;

/// One CAA resource record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaaRecord {
    pub flags: u8,
    /// Property tag, lowercased (`issue`, `issuewild`, `iodef`, …).
    pub tag: String,
    pub value: String,
}

impl CaaRecord {
    pub fn new(flags: u8, tag: &str, value: &str) -> CaaRecord {
        CaaRecord {
            flags,
            tag: tag.to_ascii_lowercase(),
            value: value.to_string(),
        }
    }

    /// RFC 8659 §4.1: bit 7 ("issuer critical") of the flags octet.
    pub fn critical(&self) -> bool {
        self.flags & 0x80 != 0
    }

    /// Zone-file presentation form: `0 issue "letsencrypt.org"`.
    pub fn from_presentation(text: &str) -> Result<CaaRecord, String> {
        let mut parts = text.trim().splitn(3, char::is_whitespace);
        let flags = parts.next().and_then(|f| f.parse::<u8>().ok());
        let tag = parts.next().filter(|t| is_tag(t));
        let value = parts.next().map(str::trim);
        match (flags, tag, value) {
            (Some(flags), Some(tag), Some(value)) => {
                let value = value
                    .strip_prefix('"')
                    .and_then(|v| v.strip_suffix('"'))
                    .unwrap_or(value);
                Ok(CaaRecord::new(flags, tag, value))
            }
            _ => Err(format!("not a CAA record: {text:?}")),
        }
    }
}

/// A parsed `issue` / `issuewild` value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IssueValue {
    /// `None` for `";"` (or an empty value): no CA is authorised.
    pub issuer: Option<String>,
    pub parameters: Vec<(String, String)>,
}

fn is_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        && b.first().is_some_and(u8::is_ascii_alphanumeric)
        && b.last().is_some_and(u8::is_ascii_alphanumeric)
}

fn is_tag(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|c| c.is_ascii_alphanumeric())
}

/// RFC 8659 §4.2 issue-value: `[issuer-domain-name] [";" [tag=value *(";" tag=value)]]`.
pub fn parse_issue_value(value: &str) -> Result<IssueValue, String> {
    let (domain, params) = match value.split_once(';') {
        Some((d, p)) => (d.trim(), Some(p)),
        None => (value.trim(), None),
    };
    let issuer = if domain.is_empty() {
        None
    } else if domain.split('.').all(is_label) {
        Some(domain.to_ascii_lowercase())
    } else {
        return Err(format!("invalid issuer domain name {domain:?}"));
    };
    let mut parameters = Vec::new();
    for param in params.into_iter().flat_map(|p| p.split(';')) {
        let param = param.trim();
        if param.is_empty() {
            continue;
        }
        let Some((tag, val)) = param.split_once('=') else {
            return Err(format!("parameter {param:?} is not tag=value"));
        };
        let (tag, val) = (tag.trim(), val.trim());
        if !is_label(tag) || !val.bytes().all(|b| (0x21..=0x7e).contains(&b) && b != b';') {
            return Err(format!("invalid parameter {param:?}"));
        }
        parameters.push((tag.to_ascii_lowercase(), val.to_string()));
    }
    Ok(IssueValue { issuer, parameters })
}

/// RFC 8659 §4.4: `iodef` is a `mailto:` or `http(s):` URL.
pub fn parse_iodef(value: &str) -> Result<String, String> {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    let ok = ["mailto:", "https://", "http://"]
        .iter()
        .any(|p| lower.starts_with(p) && v.len() > p.len());
    if ok {
        Ok(v.to_string())
    } else {
        Err(format!(
            "iodef must be a mailto: or http(s): URL, got {v:?}"
        ))
    }
}

/// Which CAA domain names a CA recognises as its own, from the issuer DN or its
/// organisation (e.g. `C=US, O=Let's Encrypt, CN=R11`), by the CCADB table of
/// `super::caa_issuers`. Empty for an issuer the table does not know.
pub fn ca_domains_for_issuer(issuer_dn_or_org: &str) -> &'static [&'static str] {
    super::caa_issuers::owner_of(issuer_dn_or_org).map_or(&[], |o| o.domains.as_slice())
}

/// RFC 8659 outcome for one CA and one name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum CaaVerdict {
    /// No CAA records: any CA may issue.
    NoCaa,
    /// CAA records exist but none restrict issuance for this kind of name.
    Unrestricted,
    /// A property names the CA. Parameters (accounturi, validationmethods) may
    /// restrict further and cannot be checked from outside.
    Authorized {
        property: String,
        parameters: Vec<(String, String)>,
    },
    /// Issuance is restricted to other CAs (empty: `";"`, nobody).
    Forbidden { allowed: Vec<String> },
    /// An unknown property with the critical flag: CAs must refuse (§4.1).
    UnknownCritical { tag: String },
}

impl CaaVerdict {
    pub fn permits(&self) -> bool {
        matches!(
            self,
            CaaVerdict::NoCaa | CaaVerdict::Unrestricted | CaaVerdict::Authorized { .. }
        )
    }
}

/// Whether a CA known by `ca_domains` may issue, given the relevant CAA RRset.
/// `wildcard`: the name is `*.example.com`, where `issuewild` takes precedence.
pub fn caa_authorizes(records: &[CaaRecord], ca_domains: &[&str], wildcard: bool) -> CaaVerdict {
    if records.is_empty() {
        return CaaVerdict::NoCaa;
    }
    const KNOWN: &[&str] = &[
        "issue",
        "issuewild",
        "iodef",
        "contactemail",
        "contactphone",
        "issuemail",
        "issuevmc",
    ];
    if let Some(r) = records
        .iter()
        .find(|r| r.critical() && !KNOWN.contains(&r.tag.as_str()))
    {
        return CaaVerdict::UnknownCritical { tag: r.tag.clone() };
    }
    let of = |tag: &str| records.iter().filter(|r| r.tag == tag).collect::<Vec<_>>();
    let issuewild = of("issuewild");
    let relevant = if wildcard && !issuewild.is_empty() {
        issuewild
    } else {
        of("issue")
    };
    if relevant.is_empty() {
        return CaaVerdict::Unrestricted;
    }
    let mut allowed = Vec::new();
    for record in relevant {
        // A malformed value still restricts issuance but authorises nobody.
        let Ok(value) = parse_issue_value(&record.value) else {
            continue;
        };
        let Some(issuer) = value.issuer else {
            continue;
        };
        if ca_domains.iter().any(|d| d.eq_ignore_ascii_case(&issuer)) {
            return CaaVerdict::Authorized {
                property: format!("{} \"{}\"", record.tag, record.value),
                parameters: value.parameters,
            };
        }
        if !allowed.contains(&issuer) {
            allowed.push(issuer);
        }
    }
    CaaVerdict::Forbidden { allowed }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rr(list: &[&str]) -> Vec<CaaRecord> {
        list.iter()
            .map(|t| CaaRecord::from_presentation(t).unwrap_or_else(|e| panic!("{e}")))
            .collect()
    }

    const LE: &[&str] = &["letsencrypt.org"];

    #[test]
    fn issue_values() {
        let v = parse_issue_value(
            " letsencrypt.org ; accounturi=https://acme-v02.api.letsencrypt.org/acme/acct/1; validationmethods=dns-01 ",
        );
        let v = v.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(v.issuer.as_deref(), Some("letsencrypt.org"));
        assert_eq!(v.parameters.len(), 2);
        assert_eq!(
            v.parameters[1],
            ("validationmethods".to_string(), "dns-01".to_string())
        );
        assert_eq!(parse_issue_value(";").map(|v| v.issuer), Ok(None));
        assert_eq!(parse_issue_value("").map(|v| v.issuer), Ok(None));
        assert!(parse_issue_value("lets encrypt.org").is_err());
        assert!(parse_issue_value("-bad.org").is_err());
        assert!(parse_issue_value("ca.org; novalue").is_err());
        assert!(parse_iodef("mailto:security@example.com").is_ok());
        assert!(parse_iodef("https://example.com/caa").is_ok());
        assert!(parse_iodef("security@example.com").is_err());
    }

    #[test]
    fn presentation_form() {
        let r = CaaRecord::from_presentation("128 ISSUE \"pki.goog\"")
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(r.critical());
        assert_eq!(r.tag, "issue");
        assert_eq!(r.value, "pki.goog");
        assert!(CaaRecord::from_presentation("issue letsencrypt.org").is_err());
        assert!(CaaRecord::from_presentation("300 issue x").is_err());
    }

    #[test]
    fn rfc8659_semantics() {
        assert_eq!(caa_authorizes(&[], LE, false), CaaVerdict::NoCaa);
        let only_iodef = rr(&["0 iodef \"mailto:sec@example.com\""]);
        assert_eq!(
            caa_authorizes(&only_iodef, LE, false),
            CaaVerdict::Unrestricted
        );
        let le = rr(&["0 issue \"letsencrypt.org\"", "0 issue \"pki.goog\""]);
        assert!(caa_authorizes(&le, LE, false).permits());
        assert!(
            caa_authorizes(&le, LE, true).permits(),
            "issue applies to wildcards without issuewild"
        );
        assert_eq!(
            caa_authorizes(&le, ca_domains_for_issuer("O=DigiCert Inc"), false),
            CaaVerdict::Forbidden {
                allowed: vec!["letsencrypt.org".into(), "pki.goog".into()]
            }
        );
        let nobody = rr(&["0 issue \";\""]);
        assert_eq!(
            caa_authorizes(&nobody, LE, false),
            CaaVerdict::Forbidden { allowed: vec![] }
        );
        // issuewild takes precedence for wildcard names only.
        let wild = rr(&["0 issue \"letsencrypt.org\"", "0 issuewild \";\""]);
        assert!(caa_authorizes(&wild, LE, false).permits());
        assert!(!caa_authorizes(&wild, LE, true).permits());
        let wild_only = rr(&["0 issuewild \"letsencrypt.org\""]);
        assert_eq!(
            caa_authorizes(&wild_only, LE, false),
            CaaVerdict::Unrestricted
        );
        assert!(caa_authorizes(&wild_only, LE, true).permits());
        let critical = rr(&["0 issue \"letsencrypt.org\"", "128 tbs \"x\""]);
        assert_eq!(
            caa_authorizes(&critical, LE, false),
            CaaVerdict::UnknownCritical { tag: "tbs".into() }
        );
        let noncritical = rr(&["0 issue \"letsencrypt.org\"", "0 tbs \"x\""]);
        assert!(caa_authorizes(&noncritical, LE, false).permits());
        let malformed = rr(&["0 issue \"%%%\""]);
        assert!(!caa_authorizes(&malformed, LE, false).permits());
        let case = rr(&["0 issue \"LetsEncrypt.ORG; accounturi=x\""]);
        assert!(
            matches!(caa_authorizes(&case, LE, false), CaaVerdict::Authorized { parameters, .. } if parameters.len() == 1)
        );
    }

    #[test]
    fn issuer_mapping() {
        assert_eq!(
            ca_domains_for_issuer("C=US, O=Let's Encrypt, CN=R11"),
            ["letsencrypt.org"]
        );
        assert_eq!(
            ca_domains_for_issuer("C=US, O=Google Trust Services, CN=WE1"),
            ["pki.goog", "google.com"]
        );
        assert!(
            ca_domains_for_issuer("CN=GeoTrust TLS RSA CA G1, O=DigiCert Inc")
                .contains(&"digicert.com")
        );
        assert!(
            ca_domains_for_issuer(
                "O=Sectigo Limited, CN=Sectigo RSA Domain Validation Secure Server CA"
            )
            .contains(&"comodoca.com")
        );
        assert!(
            ca_domains_for_issuer("O=ZeroSSL, CN=ZeroSSL RSA Domain Secure Site CA")
                .contains(&"sectigo.com")
        );
        assert!(
            ca_domains_for_issuer("O=Amazon, CN=Amazon RSA 2048 M02").contains(&"amazontrust.com")
        );
        assert_eq!(
            ca_domains_for_issuer("O=GlobalSign nv-sa"),
            ["globalsign.com"]
        );
        assert!(ca_domains_for_issuer("O=Buypass AS-983163327").contains(&"buypass.com"));
        assert_eq!(
            ca_domains_for_issuer("O=SSL Corporation, CN=SSL.com TLS RSA CA"),
            ["ssl.com"]
        );
        assert!(ca_domains_for_issuer("O=Entrust, Inc.").contains(&"entrust.net"));
        assert!(
            ca_domains_for_issuer("O=Cloudflare, Inc., CN=Cloudflare Inc ECC CA-3")
                .contains(&"digicert.com")
        );
        assert!(ca_domains_for_issuer("CN=RapidSSL TLS RSA CA G1").contains(&"rapidssl.com"));
        assert!(ca_domains_for_issuer("CN=Some Private CA").is_empty());
    }
}
