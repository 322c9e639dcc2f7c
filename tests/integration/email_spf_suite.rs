//! Runs the OpenSPF RFC 7208 suite (fixtures/spf/rfc7208-tests.yml, from pyspf)
//! against `check_host` and against the auditor's record-validity verdicts.

use std::net::IpAddr;

use std::sync::Arc;
use std::time::Duration;

use launch_ready::email::spf::{self, Level, SpfResult};
use launch_ready::email::spf_suite::{
    SuiteName, SuiteRecord, SuiteSection, zone_records_from_suite,
};
use launch_ready::net::NetConfig;
use launch_ready::net::dns::Dns;
use launch_ready::sandbox::{Behaviour, DnsServer, Zones};

const SUITE: &str = include_str!("../../fixtures/spf/rfc7208-tests.yml");

/// Audit codes that mean "a receiver returns permerror for this record".
const PERMERROR_CODES: &[&str] = &[
    "spf.syntax",
    "spf.multiple",
    "spf.lookups",
    "spf.void-lookups",
    "spf.loop",
    "spf.target-missing",
    "spf.mx-limit",
    "spf.depth",
];

/// Tests expecting only permerror whose error depends on the connection, so an audit
/// without a sender cannot see it. Each entry: (test id, reason).
const IP_DEPENDENT_PERMERRORS: &[(&str, &str)] = &[];

struct Case {
    section: String,
    id: String,
    accepted: Vec<String>,
    got: SpfResult,
    audit: spf::SpfAudit,
}

fn load() -> Vec<SuiteSection> {
    serde_saphyr::from_multiple::<SuiteSection>(SUITE)
        .unwrap_or_else(|e| panic!("suite YAML does not parse: {e}"))
}

/// A section's zone data as the sandbox's authoritative server serves it.
fn zones(names: &[SuiteName]) -> Zones {
    let mut zones = Zones::new().zone(".");
    for n in names {
        for record in &n.records {
            zones = match record {
                SuiteRecord::A(ip) => zones.a(&n.name, &ip.to_string()),
                SuiteRecord::Aaaa(ip) => zones.a(&n.name, &ip.to_string()),
                SuiteRecord::Mx(pref, host) => zones.mx(&n.name, *pref, host),
                SuiteRecord::Txt(strings) => zones.txt_bytes(&n.name, strings),
                // Served as TXT already (the suite's rule); the SPF RR type is obsolete.
                SuiteRecord::Spf(_) => zones,
                SuiteRecord::Ptr(target) => zones.ptr(&n.name, target),
                SuiteRecord::Cname(target) => zones.cname(&n.name, target),
            };
        }
        if n.timeout {
            zones = zones.behave(&n.name, Behaviour::DropWhenEmpty);
        }
    }
    zones
}

/// Each section's zone data is served by a real DNS server on loopback (hickory),
/// queried through the audit's own resolver, exactly as `email.spf` queries.
async fn run_suite() -> Vec<Case> {
    let mut cases = Vec::new();
    for section in load() {
        let names = zone_records_from_suite(&section.zonedata)
            .unwrap_or_else(|e| panic!("{}: {e}", section.description));
        let server = DnsServer::start(zones(&names))
            .await
            .expect("DNS server starts");
        let config = NetConfig {
            nameservers: vec![server.addr],
            timeout: Duration::from_millis(400),
            ..NetConfig::default()
        };
        let dns = Dns::new(&config, Arc::new(tokio::sync::Semaphore::new(64))).expect("resolver");
        for (id, test) in &section.tests {
            let ip: IpAddr = test
                .host
                .parse()
                .unwrap_or_else(|e| panic!("{id}: bad host {}: {e}", test.host));
            let got = spf::check_mail_from(&dns, ip, &test.mailfrom, &test.helo).await;
            let domain = if test.mailfrom.is_empty() {
                test.helo.clone()
            } else {
                let at = test.mailfrom.rfind('@').map_or(0, |p| p + 1);
                test.mailfrom[at..].to_string()
            };
            let audit = spf::audit(&dns, &domain).await;
            cases.push(Case {
                section: section.description.clone(),
                id: id.clone(),
                accepted: test
                    .result
                    .accepted()
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
                got,
                audit,
            });
        }
    }
    cases
}

/// Agreement figures go straight to the process's stderr, past the test harness's
/// capture, so that every `cargo test` run (CI included) prints them.
pub(crate) fn figure(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

fn codes(audit: &spf::SpfAudit) -> Vec<&'static str> {
    audit.problems.iter().map(|p| p.code).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rfc7208_suite_check_host_agreement() {
    let cases = run_suite().await;
    assert_eq!(cases.len(), 203, "the suite has 203 tests");
    let disagreements: Vec<&Case> = cases
        .iter()
        .filter(|c| !c.accepted.iter().any(|a| a == c.got.as_str()))
        .collect();
    let agree = cases.len() - disagreements.len();
    figure(&format!(
        "SPF suite: {agree}/{} check_host verdicts agree",
        cases.len()
    ));
    for c in &disagreements {
        eprintln!(
            "  disagree: {} / {}: expected {:?}, got {}",
            c.section,
            c.id,
            c.accepted,
            c.got.as_str()
        );
    }
    // Every test agrees today; the floor leaves no room for regressions.
    assert_eq!(agree, 203, "check_host agreement fell to {agree}/203");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rfc7208_suite_record_validity() {
    let cases = run_suite().await;
    let only_permerror: Vec<&Case> = cases
        .iter()
        .filter(|c| c.accepted == ["permerror"])
        .collect();
    let mut detected = 0;
    let mut missed = Vec::new();
    for c in &only_permerror {
        let found = c
            .audit
            .problems
            .iter()
            .any(|p| p.level >= Level::Fail && PERMERROR_CODES.contains(&p.code));
        if found {
            detected += 1;
        } else if !IP_DEPENDENT_PERMERRORS.iter().any(|(id, _)| *id == c.id) {
            missed.push(format!(
                "{} / {}: audit codes {:?}",
                c.section,
                c.id,
                codes(&c.audit)
            ));
        }
    }
    figure(&format!(
        "SPF suite: permerror detected by the audit in {detected}/{} permerror-only tests \
         ({} listed as IP-dependent)",
        only_permerror.len(),
        IP_DEPENDENT_PERMERRORS.len()
    ));
    for (id, reason) in IP_DEPENDENT_PERMERRORS {
        eprintln!("  exception {id}: {reason}");
    }
    for m in &missed {
        eprintln!("  missed: {m}");
    }
    assert!(
        missed.is_empty(),
        "{} permerror records not reported failing",
        missed.len()
    );

    let definite = ["pass", "fail", "softfail", "neutral"];
    let mut false_syntax = Vec::new();
    let mut checked = 0;
    for c in cases
        .iter()
        .filter(|c| c.accepted.iter().all(|a| definite.contains(&a.as_str())))
    {
        checked += 1;
        let flagged: Vec<&str> = codes(&c.audit)
            .into_iter()
            .filter(|code| ["spf.syntax", "spf.multiple"].contains(code))
            .collect();
        if !flagged.is_empty() {
            false_syntax.push(format!("{} / {}: {flagged:?}", c.section, c.id));
        }
    }
    figure(&format!(
        "SPF suite: {}/{checked} pass/fail/softfail/neutral records free of syntax findings",
        checked - false_syntax.len()
    ));
    for f in &false_syntax {
        eprintln!("  false syntax finding: {f}");
    }
    assert!(false_syntax.is_empty());
}
