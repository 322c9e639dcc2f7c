//! monitoring.coverage against the sandbox: a Better Stack Uptime API fake and an
//! UptimeRobot API fake, told the same scenarios.

use launch_ready::sandbox::api_fake::{Fault, RequestLog, Rule};
use launch_ready::sandbox::betterstack_fake::BetterStackFake;
use launch_ready::sandbox::monitors::{FakeMonitor, Probe, Reported};
use launch_ready::sandbox::random_token;
use launch_ready::sandbox::uptimerobot_fake::UptimeRobotFake;
use launch_ready::sandbox::{Site, World, Zones};

use crate::support::{Project, Run};

const CHECK: &str = "monitoring.coverage";
const CANONICAL: &str = "https://www.acme.app/";
const HEALTH: &str = "https://www.acme.app/api/health";
const HOOK: &str = "https://www.acme.app/api/webhooks/stripe";

#[derive(Clone, Copy, Debug)]
enum Provider {
    BetterStack,
    UptimeRobot,
}
use Provider::*;

const BOTH: [Provider; 2] = [BetterStack, UptimeRobot];

impl Provider {
    fn name(self) -> &'static str {
        match self {
            BetterStack => "betterstack",
            UptimeRobot => "uptimerobot",
        }
    }
    fn var(self) -> &'static str {
        match self {
            BetterStack => "BETTERSTACK_API_TOKEN",
            UptimeRobot => "UPTIMEROBOT_API_KEY",
        }
    }
    fn host(self) -> &'static str {
        match self {
            BetterStack => launch_ready::sandbox::betterstack_fake::HOST,
            UptimeRobot => launch_ready::sandbox::uptimerobot_fake::HOST,
        }
    }
    fn token(self) -> String {
        match self {
            BetterStack => random_token(24),
            UptimeRobot => format!("ur{}-{}", random_token(7), random_token(24)),
        }
    }
}

/// One fake account: its monitors, faults, page cap and host.
struct Account {
    monitors: Vec<FakeMonitor>,
    faults: Vec<Rule>,
    page_cap: Option<usize>,
    host: Option<&'static str>,
    log: RequestLog,
}

impl Account {
    fn new(monitors: Vec<FakeMonitor>) -> Self {
        Self {
            monitors,
            faults: Vec::new(),
            page_cap: None,
            host: None,
            log: RequestLog::new(),
        }
    }
    fn fault(mut self, rule: Rule) -> Self {
        self.faults.push(rule);
        self
    }
    fn pages_of(mut self, n: usize) -> Self {
        self.page_cap = Some(n);
        self
    }

    fn site(self, p: Provider, token: &str) -> Site {
        match p {
            BetterStack => {
                let mut f = BetterStackFake::new(token)
                    .monitors(self.monitors)
                    .log_to(&self.log);
                for r in self.faults {
                    f = f.fault(r);
                }
                if let Some(n) = self.page_cap {
                    f = f.page_cap(n);
                }
                if let Some(h) = self.host {
                    f = f.host(h);
                }
                f.site()
            }
            UptimeRobot => {
                let mut f = UptimeRobotFake::new(token)
                    .monitors(self.monitors)
                    .log_to(&self.log);
                for r in self.faults {
                    f = f.fault(r);
                }
                if let Some(n) = self.page_cap {
                    f = f.page_cap(n);
                }
                if let Some(h) = self.host {
                    f = f.host(h);
                }
                f.site()
            }
        }
    }
}

fn manifest(p: Provider, extra: &str) -> String {
    format!(
        "version: 1\nproject: acme\nenv:\n  files: [.env]\nweb:\n  canonical: https://www.acme.app\n  health: /api/health\nwebhooks:\n  - name: stripe\n    url: {HOOK}\n    provider: stripe\nmonitoring:\n  provider: {}\n  max_interval_s: 300\n{extra}",
        p.name()
    )
}

/// All three targets watched properly: an HTTP monitor, a keyword monitor on the
/// health route, a webhook monitor expecting 405 for its GET.
fn healthy() -> Vec<FakeMonitor> {
    vec![
        FakeMonitor::http(101, "Acme home", "https://WWW.acme.app"),
        FakeMonitor::http(102, "Acme health", "https://www.acme.app/api/health/")
            .probe(Probe::Keyword("ok".into()))
            .every(30),
        FakeMonitor::http(103, "Stripe webhook", HOOK).probe(Probe::Expect(vec![405])),
    ]
}

fn audit_with(p: Provider, account: Account, env_extra: &str, args: &[&str]) -> (Run, String) {
    let token = p.token();
    let served = token.clone();
    let host = account.host.unwrap_or(p.host());
    let env = format!(
        "{}={token}\nMONITORING_API_BASE=https://{host}\n{env_extra}",
        p.var()
    );
    let site = account.site(p, &served);
    let mut all = vec!["--only", CHECK];
    all.extend_from_slice(args);
    let run = Project::new(&manifest(p, ""))
        .file(".env", &env)
        .world(move || World {
            zones: Zones::new(),
            sites: vec![site],
        })
        .audit(&all);
    (run, token)
}

fn audit(p: Provider, account: Account) -> Run {
    audit_with(p, account, "", &[]).0
}

fn statuses(run: &Run) -> [String; 3] {
    [
        run.status(CHECK, CANONICAL),
        run.status(CHECK, HEALTH),
        run.status(CHECK, "stripe"),
    ]
}

#[test]
fn a_watched_production_passes_on_both_providers() {
    for p in BOTH {
        let run = audit(p, Account::new(healthy()));
        assert_eq!(
            statuses(&run),
            ["pass", "pass", "pass"],
            "{p:?}\n{}",
            run.stdout
        );
        let hook = run.result(CHECK, "stripe");
        assert_eq!(hook["details"]["url"], HOOK);
        assert!(
            hook["summary"]
                .as_str()
                .unwrap_or("")
                .contains("Stripe webhook"),
            "{hook}"
        );
    }
}

#[test]
fn missing_slow_and_paused_monitors_fail() {
    for p in BOTH {
        let monitors = vec![
            // The canonical host only pinged: it cannot see an HTTP failure.
            FakeMonitor::http(201, "Ping www", "www.acme.app").probe(Probe::Ping),
            // Health checked every 15 minutes (a free plan's default).
            FakeMonitor::http(202, "Health", HEALTH).every(900),
            FakeMonitor::http(203, "Stripe webhook", HOOK)
                .probe(Probe::Expect(vec![405]))
                .reported(Reported::Paused),
        ];
        let run = audit(p, Account::new(monitors));
        assert_eq!(
            statuses(&run),
            ["fail", "fail", "fail"],
            "{p:?}\n{}",
            run.stdout
        );
        let canonical = run.result(CHECK, CANONICAL);
        assert!(
            canonical["summary"]
                .as_str()
                .unwrap_or("")
                .contains("ping/port"),
            "{canonical}"
        );
        let health = run.result(CHECK, HEALTH)["summary"].to_string();
        assert!(health.contains("every 900 s"), "{health}");
        let hook = run.result(CHECK, "stripe")["summary"].to_string();
        assert!(hook.contains("paused"), "{hook}");
    }
}

#[test]
fn down_fails_and_no_alert_route_warns() {
    for p in BOTH {
        let monitors = vec![
            FakeMonitor::http(301, "Home", CANONICAL).reported(Reported::Down),
            FakeMonitor::http(302, "Health", HEALTH).silent(),
            FakeMonitor::http(303, "Stripe webhook", HOOK).probe(Probe::Expect(vec![405])),
        ];
        let run = audit(p, Account::new(monitors));
        assert_eq!(
            statuses(&run),
            ["fail", "warn", "pass"],
            "{p:?}\n{}",
            run.stdout
        );
        let health = run.result(CHECK, HEALTH)["summary"].to_string();
        assert!(health.contains("no alert route"), "{health}");
    }
}

#[test]
fn provider_misbehaviour_is_an_error_never_a_pass() {
    let faults = [
        Fault::status(401),
        Fault::status(403),
        Fault::status(503),
        Fault::Garbage,
        Fault::Slow(std::time::Duration::from_secs(5)),
    ];
    for p in BOTH {
        for fault in &faults {
            let account = Account::new(healthy()).fault(Rule::new(fault.clone()));
            let run = audit(p, account);
            assert_eq!(
                statuses(&run),
                ["error", "error", "error"],
                "{p:?} {fault:?}\n{}",
                run.stdout
            );
            let text = run.result(CHECK, "stripe").to_string();
            match fault {
                Fault::Status { status: 401, .. } => assert!(text.contains(p.var()), "{text}"),
                Fault::Status { status: 403, .. } => {
                    assert!(text.contains("permission"), "{text}")
                }
                _ => {}
            }
        }
    }
}

#[test]
fn a_wrong_uptimerobot_key_answered_with_stat_fail_is_an_error_naming_the_variable() {
    // UptimeRobot answers 200 {"stat":"fail"} and echoes the key it was sent.
    let token = UptimeRobot.token();
    let wrong = UptimeRobot.token();
    let site = Account::new(healthy()).site(UptimeRobot, &token);
    let run = Project::new(&manifest(UptimeRobot, ""))
        .file(
            ".env",
            &format!(
                "UPTIMEROBOT_API_KEY={wrong}\nMONITORING_API_BASE=https://{}\n",
                UptimeRobot.host()
            ),
        )
        .world(move || World {
            zones: Zones::new(),
            sites: vec![site],
        })
        .audit(&["--only", CHECK]);
    let hook = run.result(CHECK, "stripe");
    assert_eq!(hook["status"], "error", "{}", run.stdout);
    assert!(hook.to_string().contains("UPTIMEROBOT_API_KEY"), "{hook}");
    assert!(!run.stdout.contains(&wrong) && !run.stderr.contains(&wrong));
}

#[test]
fn rate_limits_and_transient_failures_are_retried_into_the_verdict() {
    for p in BOTH {
        let limited = Account::new(healthy()).fault(
            Rule::new(Fault::RateLimited {
                retry_after_secs: 1,
            })
            .times(1),
        );
        assert_eq!(
            statuses(&audit(p, limited)),
            ["pass", "pass", "pass"],
            "{p:?}"
        );
        let flaky = Account::new(healthy()).fault(Rule::new(Fault::status(502)).times(1));
        assert_eq!(
            statuses(&audit(p, flaky)),
            ["pass", "pass", "pass"],
            "{p:?}"
        );
    }
}

#[test]
fn monitors_are_read_across_pages() {
    for p in BOTH {
        // Seven unrelated monitors first: the watched ones are on the last pages.
        let mut monitors: Vec<FakeMonitor> = (0..7)
            .map(|i| FakeMonitor::http(400 + i, "other", &format!("https://other{i}.example.net")))
            .collect();
        monitors.extend(healthy());
        let account = Account::new(monitors).pages_of(3);
        let log = account.log.clone();
        let run = audit(p, account);
        assert_eq!(
            statuses(&run),
            ["pass", "pass", "pass"],
            "{p:?}\n{}",
            run.stdout
        );
        // Ten monitors, three a page: four requests, fetched once for three targets.
        assert_eq!(log.count(), 4, "{p:?}: {:?}", log.requests());
    }
}

#[test]
fn the_token_never_appears_in_any_output() {
    for p in BOTH {
        for account in [
            Account::new(healthy()),
            Account::new(healthy()).fault(Rule::new(Fault::status(401))),
        ] {
            let formats = ["json", "table", "markdown", "html", "sarif", "junit"];
            let outputs: Vec<String> = formats.iter().map(|f| format!("{f}=out.{f}")).collect();
            let mut args: Vec<&str> = Vec::new();
            for o in &outputs {
                args.push("--output");
                args.push(o);
            }
            let (run, token) = audit_with(p, account, "", &args);
            let mut seen = format!("{}{}", run.stdout, run.stderr);
            for f in formats {
                let path = run.dir.path().join(format!("out.{f}"));
                seen += &std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("{f} written"));
            }
            assert!(!seen.contains(&token), "{p:?}: the token leaked");
            assert!(
                !seen.contains(&token[token.len() - 12..]),
                "{p:?}: part of the token leaked"
            );
        }
    }
}

#[test]
fn a_foreign_manifest_base_never_gets_the_token() {
    for p in BOTH {
        let token = p.token();
        let mut account = Account::new(healthy());
        account.host = Some("monitors.evil.sandbox");
        let log = account.log.clone();
        let site = account.site(p, &token);
        let manifest = manifest(p, "  api_base: https://monitors.evil.sandbox\n");
        let run = Project::new(&manifest)
            .file(".env", &format!("{}={token}\n", p.var()))
            .world(move || World {
                zones: Zones::new(),
                sites: vec![site],
            })
            .audit(&["--only", CHECK]);
        let hook = run.result(CHECK, "stripe");
        assert_eq!(hook["status"], "error", "{}", run.stdout);
        assert!(
            hook["summary"].to_string().contains("--allow-api-base"),
            "{hook}"
        );
        assert_eq!(log.count(), 0, "{p:?}: a request reached the foreign base");
        assert!(!log.saw_secret(&token));
    }
}

#[test]
fn no_token_or_no_section_skips() {
    let run = Project::new(&manifest(BetterStack, "")).audit(&["--only", CHECK]);
    let hook = run.result(CHECK, "stripe");
    assert_eq!(hook["status"], "skip", "{}", run.stdout);
    assert!(
        hook["summary"]
            .to_string()
            .contains("BETTERSTACK_API_TOKEN"),
        "{hook}"
    );
    let plain = "version: 1\nproject: acme\nweb:\n  canonical: https://www.acme.app\n";
    let run = Project::new(plain).audit(&["--only", CHECK]);
    assert_eq!(run.status(CHECK, "monitoring"), "skip", "{}", run.stdout);
}

#[test]
fn cover_selects_the_targets() {
    let token = BetterStack.token();
    let site = Account::new(healthy()).site(BetterStack, &token);
    let manifest = manifest(BetterStack, "  cover: [webhooks]\n");
    let run = Project::new(&manifest)
        .file(
            ".env",
            &format!(
                "BETTERSTACK_API_TOKEN={token}\nMONITORING_API_BASE=https://{}\n",
                BetterStack.host()
            ),
        )
        .world(move || World {
            zones: Zones::new(),
            sites: vec![site],
        })
        .audit(&["--only", CHECK]);
    let targets: Vec<&str> = run.report["results"]
        .as_array()
        .map(|rs| rs.iter().filter_map(|r| r["target"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(targets, ["stripe"], "{}", run.stdout);
}

#[test]
fn better_stack_page_links_are_never_followed_to_their_host() {
    // The answer's `pagination.next` names another host: only its page number is
    // taken, and the next page is asked of the configured base.
    let token = BetterStack.token();
    let evil = RequestLog::new();
    let mut monitors: Vec<FakeMonitor> = (0..4)
        .map(|i| FakeMonitor::http(500 + i, "other", &format!("https://other{i}.example.net")))
        .collect();
    monitors.extend(healthy());
    let real = BetterStackFake::new(&token)
        .monitors(monitors)
        .page_cap(2)
        .link_host("links.evil.sandbox")
        .site();
    let decoy = BetterStackFake::new("unused")
        .host("links.evil.sandbox")
        .log_to(&evil)
        .site();
    let run = Project::new(&manifest(BetterStack, ""))
        .file(
            ".env",
            &format!(
                "BETTERSTACK_API_TOKEN={token}\nMONITORING_API_BASE=https://{}\n",
                BetterStack.host()
            ),
        )
        .world(move || World {
            zones: Zones::new(),
            sites: vec![real, decoy],
        })
        .audit(&["--only", CHECK]);
    assert_eq!(statuses(&run), ["pass", "pass", "pass"], "{}", run.stdout);
    assert_eq!(evil.count(), 0, "a request followed the link's host");
}

#[test]
fn a_listing_stopped_at_its_page_cap_proves_only_a_failure() {
    // One monitor a page and 46 monitors: Better Stack's 40-page cap stops the
    // listing before the watched ones. Only the canonical URL's down monitor, read on
    // the first page, proves anything.
    let mut monitors = vec![FakeMonitor::http(600, "Home", CANONICAL).reported(Reported::Down)];
    monitors.extend(
        (0..42).map(|i| FakeMonitor::http(601 + i, "other", &format!("https://o{i}.example.net"))),
    );
    monitors.extend(healthy());
    let account = Account::new(monitors).pages_of(1);
    let log = account.log.clone();
    let run = audit(BetterStack, account);
    assert_eq!(statuses(&run), ["fail", "error", "error"], "{}", run.stdout);
    let hook = run.result(CHECK, "stripe")["summary"].to_string();
    assert!(hook.contains("40-page cap"), "{hook}");
    assert_eq!(log.count(), 40);
}

#[test]
fn a_bad_monitoring_section_is_a_manifest_error() {
    for (extra, says) in [
        ("  max_interval_s: 5\n", "max_interval_s"),
        ("  cover: [canonical, status_page]\n", "status_page"),
    ] {
        let run =
            Project::new(&manifest(BetterStack, "").replace("  max_interval_s: 300\n", extra))
                .audit(&["--only", CHECK]);
        assert_eq!(run.code, 2, "{extra}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{extra}: {}", run.stderr);
    }
}
