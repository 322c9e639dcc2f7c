//! DMARC parsing against cases transcribed from the PyPI `dmarc` package, and the
//! `email.dmarc` audit against in-memory zones.

use launch_ready::email::dmarc::{self, Alignment, Policy};
use launch_ready::email::spf_suite::{SuiteName, SuiteRecord, ZoneDns};
use launch_ready::email::{Level, Problem};
use serde::Deserialize;

#[derive(Deserialize)]
struct Fixture {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    record: String,
    valid: bool,
    policy: Option<Policy>,
    source: String,
    subdomain_policy: Option<Policy>,
    adkim: Option<String>,
    aspf: Option<String>,
    pct: Option<u8>,
    ri: Option<u32>,
    rf: Option<Vec<String>>,
    fo: Option<Vec<String>>,
    rua: Option<Vec<String>>,
    ruf: Option<Vec<String>>,
    testing: Option<bool>,
}

fn alignment(a: Alignment) -> &'static str {
    match a {
        Alignment::Relaxed => "relaxed",
        Alignment::Strict => "strict",
    }
}

#[test]
fn dmarc_package_cases() {
    let fixture: Fixture = serde_json::from_str(include_str!("../../fixtures/dmarc/cases.json"))
        .unwrap_or_else(|e| panic!("cases.json: {e}"));
    assert_eq!(fixture.cases.len(), 25);
    let mut agree = 0;
    for c in &fixture.cases {
        let what = format!("{:?} ({})", c.record, c.source);
        match dmarc::parse_record(&c.record) {
            Err(e) => assert!(!c.valid, "{what}: rejected: {e}"),
            Ok(r) => {
                assert!(c.valid, "{what}: accepted but expected invalid");
                assert_eq!(Some(r.policy), c.policy, "{what}");
                if let Some(sp) = c.subdomain_policy {
                    assert_eq!(r.subdomain_policy, Some(sp), "{what}");
                }
                if let Some(a) = &c.adkim {
                    assert_eq!(alignment(r.adkim), a, "{what}");
                }
                if let Some(a) = &c.aspf {
                    assert_eq!(alignment(r.aspf), a, "{what}");
                }
                if let Some(pct) = c.pct {
                    assert_eq!(r.pct, pct, "{what}");
                }
                if let Some(ri) = c.ri {
                    assert_eq!(r.ri, ri, "{what}");
                }
                if let Some(rf) = &c.rf {
                    assert_eq!(&r.rf, rf, "{what}");
                }
                if let Some(fo) = &c.fo {
                    assert_eq!(&r.fo, fo, "{what}");
                }
                let addresses = |list: &[dmarc::ReportUri]| {
                    list.iter()
                        .filter_map(|u| u.mailto.clone())
                        .collect::<Vec<_>>()
                };
                if let Some(rua) = &c.rua {
                    assert_eq!(&addresses(&r.rua), rua, "{what}");
                }
                if let Some(ruf) = &c.ruf {
                    assert_eq!(&addresses(&r.ruf), ruf, "{what}");
                }
                if let Some(t) = c.testing {
                    assert_eq!(r.testing, t, "{what}");
                }
            }
        }
        agree += 1;
    }
    crate::email_spf_suite::figure(&format!(
        "DMARC fixture: {agree}/{} cases agree",
        fixture.cases.len()
    ));
}

fn zone(txt: &[(&str, &str)]) -> ZoneDns {
    ZoneDns::new(
        txt.iter()
            .map(|(name, text)| SuiteName {
                name: name.to_string(),
                records: vec![SuiteRecord::Txt(vec![text.as_bytes().to_vec()])],
                timeout: false,
            })
            .collect(),
    )
}

fn codes(problems: &[Problem]) -> Vec<&'static str> {
    problems.iter().map(|p| p.code).collect()
}

#[tokio::test]
async fn audit_policy_levels() {
    let cases: &[(&str, Policy, &[&str], Option<Level>)] = &[
        (
            "v=DMARC1; p=reject; rua=mailto:dmarc@acme.app",
            Policy::Quarantine,
            &[],
            None,
        ),
        (
            "v=DMARC1; p=quarantine; rua=mailto:dmarc@acme.app",
            Policy::Quarantine,
            &[],
            None,
        ),
        (
            "v=DMARC1; p=none; rua=mailto:dmarc@acme.app",
            Policy::Quarantine,
            &["dmarc.policy-below-min"],
            Some(Level::Fail),
        ),
        (
            "v=DMARC1; p=none; rua=mailto:dmarc@acme.app",
            Policy::None,
            &["dmarc.policy-none"],
            Some(Level::Warn),
        ),
        (
            "v=DMARC1; p=reject; pct=50; rua=mailto:dmarc@acme.app",
            Policy::Reject,
            &["dmarc.pct"],
            Some(Level::Warn),
        ),
        (
            "v=DMARC1; p=reject",
            Policy::Reject,
            &["dmarc.no-rua"],
            Some(Level::Warn),
        ),
        (
            "v=DMARC1; p=reject; t=y; rua=mailto:dmarc@acme.app",
            Policy::Reject,
            &["dmarc.testing"],
            Some(Level::Warn),
        ),
        (
            "v=DMARC1; p=reject; sp=none; rua=mailto:dmarc@acme.app",
            Policy::Reject,
            &["dmarc.subdomain-policy"],
            Some(Level::Warn),
        ),
        (
            "v=DMARC1; p=rejekt",
            Policy::None,
            &["dmarc.syntax"],
            Some(Level::Fail),
        ),
    ];
    for (record, min, expected, level) in cases {
        let dns = zone(&[("_dmarc.acme.app", record)]);
        let audit = dmarc::audit_dmarc(&dns, "acme.app", *min).await;
        assert_eq!(codes(&audit.problems), *expected, "{record} (min {min:?})");
        assert_eq!(audit.level(), *level, "{record}");
        assert_eq!(audit.record_name.as_deref(), Some("_dmarc.acme.app"));
    }
}

#[tokio::test]
async fn audit_record_discovery() {
    let none = dmarc::audit_dmarc(&zone(&[]), "shop.acme.co.uk", Policy::None).await;
    assert_eq!(codes(&none.problems), ["dmarc.missing"]);
    assert!(
        none.problems[0]
            .message
            .contains("_dmarc.shop.acme.co.uk or _dmarc.acme.co.uk")
    );

    let dns = zone(&[(
        "_dmarc.acme.co.uk",
        "v=DMARC1; p=none; sp=reject; rua=mailto:d@acme.co.uk",
    )]);
    let inherited = dmarc::audit_dmarc(&dns, "shop.acme.co.uk", Policy::Reject).await;
    assert!(inherited.inherited);
    assert_eq!(inherited.record_name.as_deref(), Some("_dmarc.acme.co.uk"));
    assert_eq!(
        inherited.policy,
        Some(Policy::Reject),
        "sp applies to the subdomain"
    );
    assert!(inherited.problems.is_empty(), "{:?}", inherited.problems);

    let two = ZoneDns::new(vec![SuiteName {
        name: "_dmarc.acme.app".into(),
        records: vec![
            SuiteRecord::Txt(vec![b"v=DMARC1; p=reject".to_vec()]),
            SuiteRecord::Txt(vec![b"v=DMARC1; p=none".to_vec()]),
            SuiteRecord::Txt(vec![b"unrelated".to_vec()]),
        ],
        timeout: false,
    }]);
    assert_eq!(
        codes(
            &dmarc::audit_dmarc(&two, "acme.app", Policy::None)
                .await
                .problems
        ),
        ["dmarc.multiple"]
    );

    let dead = ZoneDns::new(vec![SuiteName {
        name: "_dmarc.acme.app".into(),
        records: vec![],
        timeout: true,
    }]);
    let audit = dmarc::audit_dmarc(&dead, "acme.app", Policy::None).await;
    assert_eq!(audit.level(), Some(Level::Error));
}

#[tokio::test]
async fn external_report_addresses_need_authorization() {
    let record = "v=DMARC1; p=reject; rua=mailto:d@acme.app,mailto:x@reports.vendor.io; ruf=mailto:f@other.net,mailto:y@mail.acme.app";
    let dns = zone(&[
        ("_dmarc.acme.app", record),
        ("acme.app._report._dmarc.reports.vendor.io", "v=DMARC1"),
    ]);
    let audit = dmarc::audit_dmarc(&dns, "acme.app", Policy::Reject).await;
    assert_eq!(codes(&audit.problems), ["dmarc.report-unauthorized"]);
    assert!(
        audit.problems[0]
            .message
            .contains("acme.app._report._dmarc.other.net"),
        "{}",
        audit.problems[0].message
    );
}
