//! The `email.dmarc` audit: find the record (falling back to the organisational
//! domain), grade the policy, and check external report addresses.

use futures::future::join_all;
use serde::Serialize;

use super::{DmarcRecord, Policy, is_dmarc_candidate, organizational_domain, parse_record};
use crate::email::{Level, Lookup, MailDns, Problem, join_txt, normalize_name, worst};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DmarcAudit {
    pub domain: String,
    /// Where the record was found: `_dmarc.<domain>` or `_dmarc.<org-domain>`.
    pub record_name: Option<String>,
    pub record: Option<String>,
    pub parsed: Option<DmarcRecord>,
    /// The policy that applies to `domain` (`sp` when inherited from the parent).
    pub policy: Option<Policy>,
    pub inherited: bool,
    pub problems: Vec<Problem>,
}

impl DmarcAudit {
    pub fn level(&self) -> Option<Level> {
        worst(&self.problems)
    }
}

enum Found {
    Record(String),
    Nothing,
    Several(usize),
    TempError(String),
}

async fn fetch(dns: &dyn MailDns, name: &str) -> Found {
    match dns.txt(name).await {
        Lookup::Records(txt) => {
            let mut candidates: Vec<String> = txt
                .iter()
                .map(|t| String::from_utf8_lossy(&join_txt(t)).into_owned())
                .filter(|t| is_dmarc_candidate(t))
                .collect();
            match candidates.len() {
                0 => Found::Nothing,
                1 => Found::Record(candidates.remove(0)),
                n => Found::Several(n),
            }
        }
        Lookup::NxDomain | Lookup::NoData => Found::Nothing,
        Lookup::TempError(reason) => Found::TempError(reason),
    }
}

/// The `email.dmarc` check for `domain` against a configured minimum policy.
pub async fn audit_dmarc(dns: &dyn MailDns, domain: &str, min_policy: Policy) -> DmarcAudit {
    let domain = normalize_name(domain);
    let org = organizational_domain(&domain);
    let mut audit = DmarcAudit {
        domain: domain.clone(),
        record_name: None,
        record: None,
        parsed: None,
        policy: None,
        inherited: false,
        problems: Vec::new(),
    };
    let mut policy_domain = domain.clone();
    let mut name = format!("_dmarc.{domain}");
    let mut found = fetch(dns, &name).await;
    if matches!(found, Found::Nothing) && org != domain {
        policy_domain = org.clone();
        name = format!("_dmarc.{org}");
        found = fetch(dns, &name).await;
        audit.inherited = true;
    }
    let text = match found {
        Found::Record(text) => text,
        Found::Nothing => {
            audit.inherited = false;
            let msg = format!(
                "no DMARC record at _dmarc.{domain}{}",
                if org != domain {
                    format!(" or _dmarc.{org}")
                } else {
                    String::new()
                }
            );
            audit
                .problems
                .push(Problem::new(Level::Fail, "dmarc.missing", msg));
            return audit;
        }
        Found::Several(n) => {
            audit.record_name = Some(name.clone());
            audit.problems.push(Problem::new(
                Level::Fail,
                "dmarc.multiple",
                format!("{n} DMARC records at {name}: receivers ignore them all (RFC 7489 §6.6.3)"),
            ));
            return audit;
        }
        Found::TempError(reason) => {
            audit.problems.push(Problem::new(
                Level::Error,
                "dmarc.temperror",
                format!("TXT lookup for {name} failed: {reason}"),
            ));
            return audit;
        }
    };
    audit.record_name = Some(name.clone());
    audit.record = Some(text.clone());
    let record = match parse_record(&text) {
        Ok(r) => r,
        Err(e) => {
            audit.problems.push(Problem::new(
                Level::Fail,
                "dmarc.syntax",
                format!("{name}: {e}"),
            ));
            return audit;
        }
    };
    let policy = if audit.inherited {
        record.subdomain_policy.unwrap_or(record.policy)
    } else {
        record.policy
    };
    audit.policy = Some(policy);
    let source = if audit.inherited {
        format!("inherited from {org} (sp/p)")
    } else {
        format!("p={}", policy.as_str())
    };
    if policy < min_policy {
        audit.problems.push(Problem::new(
            Level::Fail,
            "dmarc.policy-below-min",
            format!(
                "policy {} ({source}) is below the required minimum {}",
                policy.as_str(),
                min_policy.as_str()
            ),
        ));
    } else if policy == Policy::None {
        audit.problems.push(Problem::new(
            Level::Warn,
            "dmarc.policy-none",
            "p=none only monitors: spoofed mail is still delivered",
        ));
    }
    if let Some(sp) = record
        .subdomain_policy
        .filter(|sp| !audit.inherited && *sp < min_policy)
    {
        audit.problems.push(Problem::new(
            Level::Warn,
            "dmarc.subdomain-policy",
            format!(
                "sp={} leaves subdomains below the required minimum {}",
                sp.as_str(),
                min_policy.as_str()
            ),
        ));
    }
    if record.pct < 100 {
        audit.problems.push(Problem::new(Level::Warn, "dmarc.pct", format!("pct={}: the policy applies to only part of failing mail; RFC 9989 (DMARCbis) makes pct historic, so receivers may ignore it", record.pct)));
    }
    if record.testing {
        audit.problems.push(Problem::new(
            Level::Warn,
            "dmarc.testing",
            "t=y: the policy is in testing mode and receivers apply one level less",
        ));
    }
    if record.rua.is_empty() {
        audit.problems.push(Problem::new(
            Level::Warn,
            "dmarc.no-rua",
            "no rua=: you receive no aggregate reports, so failures go unnoticed",
        ));
    }
    audit
        .problems
        .extend(check_report_authorization(dns, &policy_domain, &record).await);
    audit.parsed = Some(record);
    audit.problems.sort_by_key(|p| std::cmp::Reverse(p.level));
    audit
}

/// RFC 7489 §7.1: a report address on another organisation's domain must be
/// authorised by `<policy-domain>._report._dmarc.<other-domain>`. Checked concurrently.
async fn check_report_authorization(
    dns: &dyn MailDns,
    policy_domain: &str,
    record: &DmarcRecord,
) -> Vec<Problem> {
    let org = organizational_domain(policy_domain);
    let mut targets: Vec<String> = Vec::new();
    for uri in record.rua.iter().chain(&record.ruf) {
        if let Some(d) = uri.mailto_domain().map(normalize_name)
            && organizational_domain(&d) != org
            && !targets.contains(&d)
        {
            targets.push(d);
        }
    }
    let checks = targets.iter().map(|other| async move {
        let name = format!("{policy_domain}._report._dmarc.{other}");
        match fetch(dns, &name).await {
            Found::Record(_) | Found::Several(_) => None,
            Found::Nothing => Some(Problem::new(Level::Warn, "dmarc.report-unauthorized", format!("reports go to {other}, which does not authorise them: {name} has no v=DMARC1 record, so receivers drop the reports"))),
            Found::TempError(reason) => Some(Problem::new(Level::Error, "dmarc.report-unverified", format!("could not check {name}: {reason}"))),
        }
    });
    join_all(checks).await.into_iter().flatten().collect()
}
