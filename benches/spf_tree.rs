//! Wall time of the `email.spf` audit on 4-level include trees, through the audit's
//! own resolver (`net::dns::Dns`) against the sandbox DNS server with 20 ms added to
//! every answer. Run with `cargo bench --bench spf_tree`; prints a table, asserts
//! nothing.
//!
//! The walker resolves the terms of one record concurrently, so the wall time should
//! follow the depth of the tree (one round trip per level, plus the root's own TXT
//! query), not the number of terms or queries.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use std::net::IpAddr;
use std::sync::atomic::{AtomicU32, Ordering};

use launch_ready::email::{BoxFuture, Lookup, MailDns, spf};
use launch_ready::net::NetConfig;
use launch_ready::net::dns::Dns;
use launch_ready::sandbox::{DnsServer, Zones};

const LATENCY: Duration = Duration::from_millis(20);
const LEVELS: u32 = 4;
const FANOUT: u32 = 3;
const RUNS: usize = 20;
const APEX: &str = "bench.test";

/// Root includes 3, each of those 3 more, down 4 levels (120 includes in all). The
/// audit stops at its query budget, so it resolves only part of the last level.
fn wide(zones: Zones) -> Zones {
    fn node(zones: Zones, name: &str, level: u32, id: u32) -> Zones {
        let ip = format!("ip4:192.0.2.{}", id % 250 + 1);
        if level == LEVELS {
            return zones.txt(name, &[&format!("v=spf1 {ip} ip4:198.51.100.0/24 -all")]);
        }
        let children: Vec<String> = (0..FANOUT).map(|i| format!("n{i}.{name}")).collect();
        let includes: Vec<String> = children.iter().map(|c| format!("include:{c}")).collect();
        let mut zones = zones.txt(name, &[&format!("v=spf1 {ip} {} -all", includes.join(" "))]);
        for (i, child) in (0u32..).zip(&children) {
            zones = node(zones, child, level + 1, id * FANOUT + i + 1);
        }
        zones
    }
    node(zones, &format!("wide.{APEX}"), 0, 0)
}

/// A chain of 4 nested includes: root → c1 → c2 → c3 → c4.
fn chain(mut zones: Zones) -> Zones {
    let name = |level: u32| {
        if level == 0 {
            format!("chain.{APEX}")
        } else {
            format!("c{level}.chain.{APEX}")
        }
    };
    for level in 0..=LEVELS {
        let record = if level == LEVELS {
            format!("v=spf1 ip4:192.0.2.{} -all", level + 1)
        } else {
            format!(
                "v=spf1 ip4:192.0.2.{} include:{} -all",
                level + 1,
                name(level + 1)
            )
        };
        zones = zones.txt(&name(level), &[&record]);
    }
    zones
}

/// `Dns`, counting the lookups that reach it, as a cross-check of
/// `SpfAudit.dns_queries`.
struct Counting {
    dns: Dns,
    sent: AtomicU32,
}

impl Counting {
    fn tick(&self) {
        self.sent.fetch_add(1, Ordering::Relaxed);
    }
}

impl MailDns for Counting {
    fn txt<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Lookup<Vec<Vec<u8>>>> {
        self.tick();
        MailDns::txt(&self.dns, name)
    }
    fn a<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Lookup<IpAddr>> {
        self.tick();
        MailDns::a(&self.dns, name)
    }
    fn aaaa<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Lookup<IpAddr>> {
        self.tick();
        MailDns::aaaa(&self.dns, name)
    }
    fn mx<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Lookup<(u16, String)>> {
        self.tick();
        MailDns::mx(&self.dns, name)
    }
    fn ptr<'a>(&'a self, ip: IpAddr) -> BoxFuture<'a, Lookup<String>> {
        self.tick();
        MailDns::ptr(&self.dns, ip)
    }
    fn cname<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Lookup<String>> {
        self.tick();
        MailDns::cname(&self.dns, name)
    }
}

struct Row {
    shape: &'static str,
    queries: u32,
    sent: u32,
    lookups: u32,
    times: Vec<Duration>,
}

async fn measure(server: &DnsServer, shape: &'static str, domain: &str) -> Row {
    let config = NetConfig {
        nameservers: vec![server.addr],
        timeout: Duration::from_secs(2),
        ..NetConfig::default()
    };
    let mut times = Vec::with_capacity(RUNS);
    let (mut queries, mut sent, mut lookups) = (0, 0, 0);
    // One warm-up run, not counted.
    for run in 0..=RUNS {
        // A fresh resolver each run: its per-audit memo must not answer for the server.
        let dns = Counting {
            dns: Dns::new(
                &config,
                Arc::new(tokio::sync::Semaphore::new(config.concurrency)),
            )
            .expect("resolver"),
            sent: AtomicU32::new(0),
        };
        let started = Instant::now();
        let audit = spf::audit(&dns, domain).await;
        let elapsed = started.elapsed();
        queries = audit.dns_queries;
        sent = dns.sent.load(Ordering::Relaxed);
        lookups = audit.lookups;
        if audit.record.is_none() {
            panic!(
                "{shape}: no SPF record found at {domain}: {:?}",
                audit.problems
            );
        }
        if run > 0 {
            times.push(elapsed);
        }
    }
    times.sort();
    Row {
        shape,
        queries,
        sent,
        lookups,
        times,
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let rows = rt.block_on(async {
        let mut zones = Zones::new().zone(APEX);
        zones = wide(zones);
        zones = chain(zones);
        zones.latency = LATENCY;
        let server = DnsServer::start(zones).await.expect("DNS server");
        vec![
            measure(&server, "wide (fan-out 3)", &format!("wide.{APEX}")).await,
            measure(&server, "chain", &format!("chain.{APEX}")).await,
        ]
    });
    let depth_ms = f64::from(LEVELS) * ms(LATENCY);
    println!(
        "SPF audit, {LEVELS}-level include trees, {} ms per DNS answer, {RUNS} runs each (after 1 warm-up)",
        ms(LATENCY)
    );
    println!(
        "{:<17} {:>6} {:>11} {:>5} {:>7} {:>9} {:>9} {:>9} {:>14} {:>12}",
        "shape",
        "levels",
        "dns_queries",
        "sent",
        "lookups",
        "median",
        "min",
        "max",
        "median/(L×20)",
        "serial Q×20"
    );
    for row in &rows {
        let median = row.times[row.times.len() / 2];
        let min = row.times[0];
        let max = row.times[row.times.len() - 1];
        println!(
            "{:<17} {:>6} {:>11} {:>5} {:>7} {:>6.1} ms {:>6.1} ms {:>6.1} ms {:>14.2} {:>9.0} ms",
            row.shape,
            LEVELS,
            row.queries,
            row.sent,
            row.lookups,
            ms(median),
            ms(min),
            ms(max),
            ms(median) / depth_ms,
            f64::from(row.sent) * ms(LATENCY),
        );
    }
    println!(
        "levels × 20 ms = {depth_ms:.0} ms; the critical path is levels + 1 round trips (the root's own TXT query), i.e. {:.0} ms.",
        f64::from(LEVELS + 1) * ms(LATENCY)
    );
    println!(
        "dns_queries = SpfAudit.dns_queries (queries sent, at most the budget of 50); sent = lookups that reached the resolver."
    );
    println!(
        "serial Q×20 = sent × 20 ms, computed, not run: what the same queries would cost one after another."
    );
}
