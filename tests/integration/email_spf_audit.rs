//! The `email.spf` auditor: lookup counting, the include tree, severities, concurrency
//! and hostile records.

use std::net::IpAddr;
use std::time::Duration;

use launch_ready::email::spf::{self, Level, Qualifier, SpfAudit, SpfResult};
use launch_ready::email::spf_suite::{SuiteName, SuiteRecord, ZoneDns};
use launch_ready::email::{BoxFuture, Lookup, MailDns};

/// A zone from (name, TXT strings) plus optional A records.
fn zone(txt: &[(&str, &str)], a: &[(&str, [u8; 4])]) -> ZoneDns {
    let mut names: Vec<SuiteName> = Vec::new();
    let mut push = |name: &str, record: SuiteRecord| match names.iter_mut().find(|n| n.name == name)
    {
        Some(n) => n.records.push(record),
        None => names.push(SuiteName {
            name: name.to_string(),
            records: vec![record],
            timeout: false,
        }),
    };
    for (name, text) in txt {
        push(name, SuiteRecord::Txt(vec![text.as_bytes().to_vec()]));
    }
    for (name, ip) in a {
        push(name, SuiteRecord::A((*ip).into()));
    }
    ZoneDns::new(names)
}

fn codes(a: &SpfAudit) -> Vec<&'static str> {
    a.problems.iter().map(|p| p.code).collect()
}

#[tokio::test]
async fn counts_nested_lookups_and_renders_the_tree() {
    let dns = zone(
        &[
            (
                "example.com",
                "v=spf1 include:_spf.a.com include:_spf.b.com mx a -all",
            ),
            (
                "_spf.a.com",
                "v=spf1 include:_n1.a.com include:_n2.a.com ~all",
            ),
            ("_n1.a.com", "v=spf1 ip4:192.0.2.0/24 ~all"),
            ("_n2.a.com", "v=spf1 a:x.a.com ~all"),
            (
                "_spf.b.com",
                "v=spf1 include:_c.b.com exists:%{i}._e.b.com -all",
            ),
            ("_c.b.com", "v=spf1 include:_d.b.com -all"),
            ("_d.b.com", "v=spf1 include:_f.b.com -all"),
            ("_f.b.com", "v=spf1 ip4:198.51.100.1 -all"),
        ],
        &[("example.com", [192, 0, 2, 1]), ("x.a.com", [192, 0, 2, 2])],
    );
    let audit = spf::audit(&dns, "Example.com.").await;
    assert_eq!(audit.domain, "example.com");
    // _spf.a (1 + 2 includes + a) = 4; _spf.b (1 + 3 chained includes + exists) = 5; mx, a.
    assert_eq!(audit.lookups, 11);
    let top: Vec<(String, u32)> = audit
        .tree
        .children
        .iter()
        .map(|c| (c.term.clone(), c.lookups))
        .collect();
    assert_eq!(
        top,
        [
            ("include:_spf.a.com".to_string(), 4),
            ("include:_spf.b.com".to_string(), 5),
            ("mx".to_string(), 1),
            ("a".to_string(), 1)
        ]
    );
    let line = audit.summary_line();
    assert!(
        line.starts_with(
            "11 DNS lookups (limit 10): include:_spf.a.com (4) → [include:_n1.a.com (1)"
        ),
        "{line}"
    );
    assert!(codes(&audit).contains(&"spf.lookups"));
    assert_eq!(audit.level(), Some(Level::Fail));
    // mx: example.com has no MX → one void lookup, below the limit.
    assert_eq!(audit.void_lookups, 1);
    assert!(!codes(&audit).contains(&"spf.void-lookups"));
    let exists = &audit.tree.children[1].children[1];
    assert!(
        exists
            .note
            .as_deref()
            .is_some_and(|n| n.contains("depends on the sender"))
    );
    let tree = audit.render_tree();
    assert!(tree.starts_with("example.com (11 lookups)\n"), "{tree}");
    assert!(
        tree.contains("\n        include:_f.b.com (1 lookup)\n"),
        "{tree}"
    );
    let json = serde_json::to_value(&audit).unwrap_or_default();
    assert_eq!(json["tree"]["children"][0]["lookups"], 4);
    assert_eq!(json["problems"][0]["level"], "fail");
}

#[tokio::test]
async fn all_qualifier_findings() {
    let cases: &[(&str, Option<&str>, Option<Qualifier>)] = &[
        ("v=spf1 +all", Some("spf.all-pass"), Some(Qualifier::Pass)),
        (
            "v=spf1 a ?all",
            Some("spf.all-neutral"),
            Some(Qualifier::Neutral),
        ),
        ("v=spf1 a", Some("spf.no-all"), None),
        (
            "v=spf1 a ~all",
            Some("spf.softfail-all"),
            Some(Qualifier::SoftFail),
        ),
        ("v=spf1 a -all", None, Some(Qualifier::Fail)),
        (
            "v=spf1 redirect=_spf.other.com",
            None,
            Some(Qualifier::Fail),
        ),
    ];
    for (record, code, all) in cases {
        let dns = zone(
            &[("example.com", record), ("_spf.other.com", "v=spf1 -all")],
            &[("example.com", [192, 0, 2, 1])],
        );
        let audit = spf::audit(&dns, "example.com").await;
        assert_eq!(audit.all, *all, "{record}");
        match code {
            Some(code) => assert!(
                codes(&audit).contains(code),
                "{record}: {:?}",
                codes(&audit)
            ),
            None => assert_eq!(audit.level(), None, "{record}: {:?}", audit.problems),
        }
    }
    let softfail = spf::audit(&zone(&[("example.com", "v=spf1 ~all")], &[]), "example.com").await;
    assert_eq!(softfail.level(), Some(Level::Info));
}

#[tokio::test]
async fn record_level_findings() {
    let dns = zone(&[("none.com", "google-site-verification=abc")], &[]);
    assert_eq!(codes(&spf::audit(&dns, "none.com").await), ["spf.missing"]);
    assert_eq!(
        codes(&spf::audit(&dns, "nxdomain.com").await),
        ["spf.missing"]
    );

    let dns = zone(
        &[("two.com", "v=spf1 -all"), ("two.com", "v=spf1 ~all")],
        &[],
    );
    assert_eq!(codes(&spf::audit(&dns, "two.com").await), ["spf.multiple"]);

    let dns = zone(&[("ptr.com", "v=spf1 ptr -all")], &[]);
    let audit = spf::audit(&dns, "ptr.com").await;
    assert_eq!(codes(&audit), ["spf.ptr"]);
    assert_eq!(audit.level(), Some(Level::Warn));
    assert_eq!(audit.lookups, 1);

    let long = format!(
        "v=spf1 {} -all",
        (0..40)
            .map(|i| format!("ip4:192.0.2.{i}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let dns = zone(&[("long.com", &long)], &[]);
    assert_eq!(codes(&spf::audit(&dns, "long.com").await), ["spf.too-long"]);

    let dns = zone(
        &[
            ("inc.com", "v=spf1 include:gone.com -all"),
            ("bad.com", "v=spf1 include:broken.com -all"),
            ("broken.com", "v=spf1 foo:bar -all"),
        ],
        &[],
    );
    assert_eq!(
        codes(&spf::audit(&dns, "inc.com").await),
        ["spf.target-missing"]
    );
    assert_eq!(codes(&spf::audit(&dns, "bad.com").await), ["spf.syntax"]);

    let dns = zone(
        &[(
            "void.com",
            "v=spf1 a:n1.void.com a:n2.void.com mx:n3.void.com -all",
        )],
        &[],
    );
    let audit = spf::audit(&dns, "void.com").await;
    assert_eq!(audit.void_lookups, 3);
    assert_eq!(codes(&audit), ["spf.void-lookups"]);

    let after = zone(
        &[("after.com", "v=spf1 -all include:x.com redirect=y.com")],
        &[],
    );
    let audit = spf::audit(&after, "after.com").await;
    assert_eq!(audit.lookups, 0, "terms after all are never evaluated");
    assert!(codes(&audit).contains(&"spf.after-all"));
    assert!(codes(&audit).contains(&"spf.redirect-ignored"));
}

#[tokio::test]
async fn temperror_is_an_error_never_a_pass() {
    let mut names = vec![SuiteName {
        name: "dead.example.com".to_string(),
        records: Vec::new(),
        timeout: true,
    }];
    names.push(SuiteName {
        name: "example.com".to_string(),
        records: vec![SuiteRecord::Txt(vec![
            b"v=spf1 ip4:192.0.2.1 include:dead.example.com -all".to_vec(),
        ])],
        timeout: false,
    });
    let dns = ZoneDns::new(names);
    let audit = spf::audit(&dns, "example.com").await;
    assert_eq!(audit.level(), Some(Level::Error));
    assert!(codes(&audit).contains(&"spf.temperror"));
    let root_dead = spf::audit(&dns, "dead.example.com").await;
    assert_eq!(codes(&root_dead), ["spf.temperror"]);
    let ip: IpAddr = [192, 0, 2, 9].into();
    assert_eq!(
        spf::check_host(&dns, ip, "example.com", "a@example.com", "h.example.com").await,
        SpfResult::TempError
    );
}

#[tokio::test]
async fn loops_end_and_are_reported() {
    let dns = zone(
        &[
            ("a.com", "v=spf1 include:b.com -all"),
            ("b.com", "v=spf1 include:c.com -all"),
            ("c.com", "v=spf1 include:a.com -all"),
            ("r.com", "v=spf1 redirect=r.com"),
        ],
        &[],
    );
    let audit = spf::audit(&dns, "a.com").await;
    let looped = audit.problems.iter().find(|p| p.code == "spf.loop");
    assert!(
        looped.is_some_and(|p| p.message.contains("a.com → b.com → c.com → a.com")),
        "{:?}",
        audit.problems
    );
    assert!(codes(&spf::audit(&dns, "r.com").await).contains(&"spf.loop"));
    let ip: IpAddr = [192, 0, 2, 9].into();
    assert_eq!(
        spf::check_host(&dns, ip, "a.com", "x@a.com", "h.a.com").await,
        SpfResult::PermError
    );
}

#[tokio::test]
async fn include_bomb_is_bounded() {
    // Every record includes ten others: the full tree would be 10^depth queries.
    let mut txt = Vec::new();
    let records: Vec<(String, String)> = (0..30)
        .map(|i| {
            let terms: Vec<String> = (1..=10)
                .map(|k| format!("include:n{}.bomb.com", (i + k) % 30))
                .collect();
            (
                format!("n{i}.bomb.com"),
                format!("v=spf1 {} -all", terms.join(" ")),
            )
        })
        .collect();
    for (n, r) in &records {
        txt.push((n.as_str(), r.as_str()));
    }
    let dns = zone(&txt, &[]);
    let audit = spf::audit(&dns, "n0.bomb.com").await;
    assert!(dns.queries() <= 60, "{} queries", dns.queries());
    assert!(audit.lookups > 10);
    assert!(codes(&audit).contains(&"spf.lookups"));
    assert!(codes(&audit).contains(&"spf.budget"));
    assert_eq!(audit.level(), Some(Level::Error));
    let ip: IpAddr = [192, 0, 2, 9].into();
    assert_eq!(
        spf::check_host(&dns, ip, "n0.bomb.com", "x@n0.bomb.com", "h.bomb.com").await,
        SpfResult::PermError
    );
}

#[tokio::test]
async fn garbage_and_huge_records_do_not_panic() {
    let mut names = Vec::new();
    let garbage: Vec<Vec<Vec<u8>>> = vec![
        vec![vec![0xff, 0xfe, 0x00, b'v']],
        vec![b"v=spf1 ".to_vec(), vec![0x80, 0x81, b'%', b'{']],
        vec![],
        vec![vec![b'v'; 70_000]],
        vec![b"v=spf1 a:%{".to_vec()],
        vec![b"v=spf1 exists:%{l9999999999999999999999r+-.}.x.com ip4:999.1.1.1".to_vec()],
    ];
    for (i, strings) in garbage.iter().enumerate() {
        names.push(SuiteName {
            name: format!("g{i}.example.com"),
            records: vec![SuiteRecord::Txt(strings.clone())],
            timeout: false,
        });
    }
    let bomb: Vec<SuiteRecord> = (0..2000)
        .map(|i| SuiteRecord::Txt(vec![format!("junk {i}").into_bytes()]))
        .collect();
    names.push(SuiteName {
        name: "bomb.example.com".to_string(),
        records: bomb,
        timeout: false,
    });
    let huge = format!("v=spf1 {}", "a:x.example.com ".repeat(5000));
    names.push(SuiteName {
        name: "huge.example.com".to_string(),
        records: vec![SuiteRecord::Txt(
            huge.as_bytes().chunks(255).map(<[u8]>::to_vec).collect(),
        )],
        timeout: false,
    });
    // Expands to megabytes per term: must stay linear.
    let expander = format!(
        "v=spf1 exists:{}x.com a:{}x.com -all",
        "%{s}.".repeat(6000),
        "%{d}.".repeat(6000)
    );
    names.push(SuiteName {
        name: "expand.example.com".to_string(),
        records: vec![SuiteRecord::Txt(
            expander
                .as_bytes()
                .chunks(255)
                .map(<[u8]>::to_vec)
                .collect(),
        )],
        timeout: false,
    });
    let dns = ZoneDns::new(names);
    let ip: IpAddr = [192, 0, 2, 9].into();
    let started = std::time::Instant::now();
    let long_sender = format!("{}@example.com", "x".repeat(60));
    let r = spf::check_host(
        &dns,
        ip,
        "expand.example.com",
        &long_sender,
        "h.example.com",
    )
    .await;
    assert_eq!(r, SpfResult::Fail);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    for name in (0..garbage.len())
        .map(|i| format!("g{i}.example.com"))
        .chain(["bomb.example.com".into(), "huge.example.com".into()])
    {
        let audit = spf::audit(&dns, &name).await;
        assert!(
            audit.level() >= Some(Level::Warn),
            "{name}: {:?}",
            audit.problems
        );
        let _ = spf::check_host(&dns, ip, &name, "x@example.com", "h.example.com").await;
    }
    let huge = spf::audit(&dns, "huge.example.com").await;
    assert!(codes(&huge).contains(&"spf.too-long"));
    assert!(dns.queries() < 200, "{} queries", dns.queries());
}

/// Answers every query after a fixed delay (virtual time: the runtime is paused).
struct Slow(ZoneDns);

const DELAY: Duration = Duration::from_millis(100);

impl MailDns for Slow {
    fn txt<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Lookup<Vec<Vec<u8>>>> {
        Box::pin(async move {
            tokio::time::sleep(DELAY).await;
            self.0.txt(name).await
        })
    }
    fn a<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Lookup<IpAddr>> {
        Box::pin(async move {
            tokio::time::sleep(DELAY).await;
            self.0.a(name).await
        })
    }
    fn aaaa<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Lookup<IpAddr>> {
        Box::pin(async move {
            tokio::time::sleep(DELAY).await;
            self.0.aaaa(name).await
        })
    }
    fn mx<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Lookup<(u16, String)>> {
        Box::pin(async move {
            tokio::time::sleep(DELAY).await;
            self.0.mx(name).await
        })
    }
    fn ptr<'a>(&'a self, ip: IpAddr) -> BoxFuture<'a, Lookup<String>> {
        Box::pin(async move {
            tokio::time::sleep(DELAY).await;
            self.0.ptr(ip).await
        })
    }
    fn cname<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Lookup<String>> {
        Box::pin(async move {
            tokio::time::sleep(DELAY).await;
            self.0.cname(name).await
        })
    }
}

#[tokio::test(start_paused = true)]
async fn wall_time_follows_tree_depth_not_term_count() {
    // Root + 8 includes, each with one nested include and an `a`: 25 queries, depth 3.
    let mut txt: Vec<(String, String)> = vec![(
        "example.com".into(),
        format!(
            "v=spf1 {} -all",
            (0..8)
                .map(|i| format!("include:i{i}.example.com"))
                .collect::<Vec<_>>()
                .join(" ")
        ),
    )];
    for i in 0..8 {
        txt.push((
            format!("i{i}.example.com"),
            format!("v=spf1 include:j{i}.example.com a -all"),
        ));
        txt.push((
            format!("j{i}.example.com"),
            "v=spf1 ip4:192.0.2.0/24 -all".into(),
        ));
    }
    let refs: Vec<(&str, &str)> = txt.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let dns = Slow(zone(&refs, &[]));
    let start = tokio::time::Instant::now();
    let audit = spf::audit(&dns, "example.com").await;
    let elapsed = start.elapsed();
    assert_eq!(audit.lookups, 24);
    assert!(dns.0.queries() >= 25);
    assert!(
        elapsed <= DELAY * 3,
        "took {elapsed:?}: includes were not resolved concurrently"
    );
}
